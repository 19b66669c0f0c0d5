"""staff roles, the review chain before issue (编制 / 审核 / 批准), the day a finding's step takes effect

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild: inspector is referenced by visits and verifications); the
    # role's check is enforced by the model and, for new rows, by the trigger below.
    op.execute("ALTER TABLE inspector ADD COLUMN role VARCHAR(12) DEFAULT 'inspector' NOT NULL")
    op.add_column('finding_event', sa.Column('on_day', sa.Date(), nullable=True))
    op.execute("CREATE TRIGGER inspector_role_known BEFORE UPDATE OF role ON inspector "
               "WHEN NEW.role NOT IN ('inspector','lead','technical') "
               "BEGIN SELECT RAISE(ABORT, 'unknown staff role'); END")
    op.execute("CREATE TRIGGER inspector_role_known_insert BEFORE INSERT ON inspector "
               "WHEN NEW.role NOT IN ('inspector','lead','technical') "
               "BEGIN SELECT RAISE(ABORT, 'unknown staff role'); END")
    op.create_table('report_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('scope_key', sa.String(length=60), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.Column('snapshot_sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf_bytes', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('gate_passed', sa.Boolean(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('prepared_by', sa.String(length=60), nullable=False),
    sa.Column('prepared_at', sa.DateTime(), nullable=False),
    sa.Column('issued_report_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('process','final','notice')", name=op.f('ck_report_draft_kind_known')),
    sa.CheckConstraint("status IN ('submitted','reviewed','approved','rejected','issued')",
                       name=op.f('ck_report_draft_status_known')),
    sa.ForeignKeyConstraint(['issued_report_id'], ['issued_report.id'],
                            name=op.f('fk_report_draft_issued_report_id_issued_report')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_report_draft_project_id_project')),
    sa.ForeignKeyConstraint(['replaces_id'], ['issued_report.id'],
                            name=op.f('fk_report_draft_replaces_id_issued_report')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_draft')),
    sa.UniqueConstraint('number', 'revision', 'attempt', name=op.f('uq_report_draft_number'))
    )
    with op.batch_alter_table('report_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_draft_project_id'), ['project_id'], unique=False)
    op.create_table('report_approval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=8), nullable=False),
    sa.Column('by_name', sa.String(length=60), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('certificate_no', sa.String(length=60), nullable=True),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('gate_confirmed', sa.Boolean(), nullable=False),
    sa.CheckConstraint("step IN ('review','approve','reject')", name=op.f('ck_report_approval_step_known')),
    sa.ForeignKeyConstraint(['draft_id'], ['report_draft.id'], name=op.f('fk_report_approval_draft_id_report_draft')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_approval'))
    )
    with op.batch_alter_table('report_approval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_approval_draft_id'), ['draft_id'], unique=False)
    # What was submitted is what is reviewed and issued: a draft's snapshot and PDF never change,
    # and its status only moves forward; approvals are written once.
    op.execute("CREATE TRIGGER report_draft_frozen BEFORE UPDATE ON report_draft "
               "WHEN NEW.snapshot IS NOT OLD.snapshot OR NEW.snapshot_sha256 IS NOT OLD.snapshot_sha256 "
               "OR NEW.pdf_sha256 IS NOT OLD.pdf_sha256 OR NEW.number IS NOT OLD.number "
               "OR NEW.revision IS NOT OLD.revision OR NEW.scope IS NOT OLD.scope "
               "OR NEW.prepared_by IS NOT OLD.prepared_by OR OLD.status IN ('rejected','issued') "
               "BEGIN SELECT RAISE(ABORT, 'submitted drafts are frozen'); END")
    op.execute("CREATE TRIGGER report_draft_no_delete BEFORE DELETE ON report_draft "
               "BEGIN SELECT RAISE(ABORT, 'submitted drafts are frozen'); END")
    op.execute("CREATE TRIGGER report_approval_frozen BEFORE UPDATE ON report_approval "
               "BEGIN SELECT RAISE(ABORT, 'approvals are written once'); END")
    op.execute("CREATE TRIGGER report_approval_no_delete BEFORE DELETE ON report_approval "
               "BEGIN SELECT RAISE(ABORT, 'approvals are written once'); END")


def downgrade() -> None:
    for trigger in ('report_approval_no_delete', 'report_approval_frozen', 'report_draft_no_delete',
                    'report_draft_frozen', 'inspector_role_known_insert', 'inspector_role_known'):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    with op.batch_alter_table('report_approval', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_approval_draft_id'))
    op.drop_table('report_approval')
    with op.batch_alter_table('report_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_draft_project_id'))
    op.drop_table('report_draft')
    op.execute("ALTER TABLE finding_event DROP COLUMN on_day")
    op.execute("ALTER TABLE inspector DROP COLUMN role")
