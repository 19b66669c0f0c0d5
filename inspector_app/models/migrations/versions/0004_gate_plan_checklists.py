"""gate preconditions, plan contents, evidence and tag reasons, node checklists

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: no table is rebuilt, so no foreign key is broken on the way
    op.add_column('project', sa.Column('plan_confirmed_on', sa.Date(), nullable=True))
    op.add_column('project', sa.Column('plan_confirmed_by', sa.String(length=60), nullable=True))
    op.add_column('project', sa.Column('key_processes', sa.Text(), nullable=True))
    op.add_column('policy', sa.Column('permit_date', sa.Date(), nullable=True))
    op.add_column('policy_coverage', sa.Column('period_reason', sa.Text(), nullable=True))
    op.add_column('plan_node', sa.Column('notified_on', sa.Date(), nullable=True))
    op.add_column('plan_node', sa.Column('waived_reason', sa.Text(), nullable=True))
    op.add_column('plan_node', sa.Column('waived_by', sa.String(length=60), nullable=True))
    op.add_column('plan_node', sa.Column('waived_on', sa.Date(), nullable=True))
    op.add_column('finding', sa.Column('tag_reason', sa.Text(), nullable=True))
    op.add_column('verification', sa.Column('reuse_reason', sa.Text(), nullable=True))
    op.create_table('checklist_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=20), nullable=False),
    sa.Column('result', sa.String(length=4), nullable=False),
    sa.Column('value', sa.String(length=60), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('finding_id', sa.Integer(), nullable=True),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=60), nullable=True),
    sa.CheckConstraint("result IN ('ok','fail','na')", name=op.f('ck_checklist_result_result_known')),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_checklist_result_finding_id_finding')),
    sa.ForeignKeyConstraint(['node_id'], ['plan_node.id'], name=op.f('fk_checklist_result_node_id_plan_node')),
    sa.ForeignKeyConstraint(['photo_id'], ['photo.id'], name=op.f('fk_checklist_result_photo_id_photo')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_checklist_result_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_result')),
    sa.UniqueConstraint('visit_id', 'item_code', name=op.f('uq_checklist_result_visit_id'))
    )
    with op.batch_alter_table('checklist_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_result_node_id'), ['node_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_result_visit_id'), ['visit_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('checklist_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_result_visit_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_result_node_id'))
    op.drop_table('checklist_result')
    # SQLite >= 3.35 drops a column in place (a batch rebuild would trip the foreign keys)
    for table, column in (('verification', 'reuse_reason'), ('finding', 'tag_reason'), ('plan_node', 'waived_on'),
                          ('plan_node', 'waived_by'), ('plan_node', 'waived_reason'), ('plan_node', 'notified_on'),
                          ('policy_coverage', 'period_reason'), ('policy', 'permit_date'),
                          ('project', 'key_processes'), ('project', 'plan_confirmed_by'),
                          ('project', 'plan_confirmed_on')):
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
