"""documents and test reports reviewed on a visit (资料核查)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('result', sa.String(length=8), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('finding_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=60), nullable=True),
    sa.CheckConstraint("kind IN ('document','test')", name=op.f('ck_document_review_kind_known')),
    sa.CheckConstraint("result IN ('ok','fail','missing')", name=op.f('ck_document_review_result_known')),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_document_review_finding_id_finding')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_document_review_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_review'))
    )
    with op.batch_alter_table('document_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_review_visit_id'), ['visit_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('document_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_review_visit_id'))
    op.drop_table('document_review')
