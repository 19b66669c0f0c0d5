"""team sync: row identities made on the device, cursors, reserved numbers, conflicts

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""
import uuid

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

NAMESPACE = uuid.UUID("6f1d7c2e-8a9b-4c3d-9e0f-2a4b6c8d0e1f")
# table -> (column leading to the parent, parent table) or None when the table has project_id
PATHS = {
    "visit": None, "finding": None, "photo": None, "floor_plan": None, "issued_report": None, "report_draft": None,
    "visit_node": ("visit_id", "visit"), "visit_inspector": ("visit_id", "visit"),
    "visit_attendee": ("visit_id", "visit"), "visit_progress": ("visit_id", "visit"),
    "checklist_result": ("visit_id", "visit"), "document_review": ("visit_id", "visit"),
    "finding_event": ("finding_id", "finding"), "rectification_reply": ("finding_id", "finding"),
    "verification": ("finding_id", "finding"), "report_approval": ("draft_id", "report_draft"),
}


def upgrade() -> None:
    op.create_table('sync_identity',
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('table_name', 'row_id', name=op.f('pk_sync_identity')),
    sa.UniqueConstraint('uid', name=op.f('uq_sync_identity_uid'))
    )
    op.create_table('sync_device',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance', sa.String(length=36), nullable=False),
    sa.Column('epoch', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('epoch_reason', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_device'))
    )
    op.create_table('sync_cursor',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('pushed_seq', sa.Integer(), nullable=False),
    sa.Column('pulled', sa.Integer(), nullable=False),
    sa.Column('device', sa.String(length=80), nullable=False),
    sa.Column('server', sa.String(length=300), nullable=True),
    sa.Column('synced_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_sync_cursor_project_id_project')),
    sa.PrimaryKeyConstraint('project_id', name=op.f('pk_sync_cursor'))
    )
    op.create_table('sync_inbound',
    sa.Column('first', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('first', name=op.f('pk_sync_inbound'))
    )
    op.create_table('number_block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('device', sa.String(length=80), nullable=False),
    sa.Column('spare', sa.Boolean(), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('finding','visit','notice','process','final')",
                       name=op.f('ck_number_block_kind_known')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_number_block_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_number_block'))
    )
    with op.batch_alter_table('number_block', schema=None) as batch_op:
        batch_op.create_index('ix_number_block_project_kind', ['project_id', 'kind'], unique=False)
    op.create_table('sync_pending',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('change_id', sa.String(length=64), nullable=False),
    sa.Column('change', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_sync_pending_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_pending')),
    sa.UniqueConstraint('change_id', name=op.f('uq_sync_pending_change_id'))
    )
    with op.batch_alter_table('sync_pending', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_pending_project_id'), ['project_id'], unique=False)
    op.create_table('sync_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_uid', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('value_a', sa.Text(), nullable=False),
    sa.Column('value_b', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('resolved_by', sa.String(length=60), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('open','resolved')", name=op.f('ck_sync_conflict_status_known')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_sync_conflict_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict')),
    sa.UniqueConstraint('uid', name=op.f('uq_sync_conflict_uid'))
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_project_id'), ['project_id'], unique=False)
    # Rows recorded before identities existed: uuid5(project uid / table / ordinal in the project),
    # so two laptops that imported the same bundle name its rows alike.
    conn = op.get_bind()
    rows = []
    for table, path in PATHS.items():
        if path is None:
            query = f"SELECT t.id, p.uid FROM {table} t JOIN project p ON p.id = t.project_id ORDER BY t.id"
        else:
            column, parent = path
            query = (f"SELECT t.id, p.uid FROM {table} t JOIN {parent} x ON x.id = t.{column} "
                     f"JOIN project p ON p.id = x.project_id ORDER BY t.id")
        ordinal: dict[str, int] = {}
        for row_id, project_uid in conn.execute(sa.text(query)):
            ordinal[project_uid] = ordinal.get(project_uid, 0) + 1
            uid = uuid.uuid5(NAMESPACE, f"{project_uid}/{table}/{ordinal[project_uid]}")
            rows.append({"table_name": table, "row_id": row_id, "uid": str(uid)})
    if rows:
        op.bulk_insert(sa.table('sync_identity', sa.column('table_name'), sa.column('row_id'), sa.column('uid')), rows)


def downgrade() -> None:
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflict_project_id'))
    op.drop_table('sync_conflict')
    with op.batch_alter_table('sync_pending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_pending_project_id'))
    op.drop_table('sync_pending')
    with op.batch_alter_table('number_block', schema=None) as batch_op:
        batch_op.drop_index('ix_number_block_project_kind')
    op.drop_table('number_block')
    op.drop_table('sync_inbound')
    op.drop_table('sync_cursor')
    op.drop_table('sync_device')
    op.drop_table('sync_identity')
