"""projects: the demo marked as such, archived projects (kept, hidden from the list)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

Adding columns changes every project row's state: each row gets an audit entry of its own
(its last entry's data with the new columns), chained like any other, so ``verify`` still finds
every row equal to its last entry. The demo made before this revision is marked by its code.
"""
import json

import sqlalchemy as sa
from alembic import op

from inspector_app.models.auditing import GENESIS, canonical, entry_hash
from inspector_app.models.base import utcnow

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

DEMO_CODE = "BJ-DX-2024-017"  # resources/demo/demo_project.json
ACTOR = "系统升级 0008"

# A report row may be deleted only while its project, the demo, is being deleted whole: the delete
# names the project in project_deletion for the length of its transaction (services/project_lifecycle.py)
_DELETING = ("COALESCE((SELECT p.is_demo FROM project p JOIN project_deletion x ON x.project_id = p.id "
             "WHERE p.id = {}), 0)")
TRIGGERS = [
    ("issued_report_no_delete", "issued_report", "issued reports are frozen", _DELETING.format("OLD.project_id")),
    ("report_draft_no_delete", "report_draft", "submitted drafts are frozen", _DELETING.format("OLD.project_id")),
    ("report_approval_no_delete", "report_approval", "approvals are written once",
     _DELETING.format("(SELECT d.project_id FROM report_draft d WHERE d.id = OLD.draft_id)")),
]
AUDIT = sa.table('audit_log', sa.column('seq', sa.Integer()), sa.column('at', sa.DateTime()),
                 sa.column('actor', sa.String()), sa.column('table_name', sa.String()),
                 sa.column('row_id', sa.Integer()), sa.column('action', sa.String()), sa.column('data', sa.Text()),
                 sa.column('prev_hash', sa.String()), sa.column('hash', sa.String()))
HEAD = sa.table('audit_head', sa.column('id', sa.Integer()), sa.column('last_seq', sa.Integer()),
                sa.column('last_hash', sa.String()))


def upgrade() -> None:
    op.execute("ALTER TABLE project ADD COLUMN is_demo BOOLEAN DEFAULT 0 NOT NULL")
    op.add_column('project', sa.Column('archived_at', sa.DateTime(), nullable=True))
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE project SET is_demo = 1 WHERE code = :code"), {"code": DEMO_CODE})
    _audit_new_columns(conn)
    op.create_table('project_deletion',
    sa.Column('project_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('project_id', name=op.f('pk_project_deletion'))
    )
    # Reports, drafts and approvals stay undeletable, except the demo's (the demo can be removed whole)
    for trigger, table, message, demo in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute(f"CREATE TRIGGER {trigger} BEFORE DELETE ON {table} WHEN NOT ({demo}) "
                   f"BEGIN SELECT RAISE(ABORT, '{message}'); END")


def _audit_new_columns(conn: sa.Connection) -> None:
    head = conn.execute(sa.select(HEAD.c.last_seq, HEAD.c.last_hash).where(HEAD.c.id == 1)).first()
    seq, prev = (head[0], head[1]) if head else (0, GENESIS)
    at = utcnow()
    rows = []
    for row_id, is_demo in conn.execute(sa.text("SELECT id, is_demo FROM project ORDER BY id")).all():
        last = conn.execute(sa.text("SELECT data FROM audit_log WHERE table_name = 'project' AND row_id = :id "
                                    "ORDER BY seq DESC LIMIT 1"), {"id": row_id}).scalar()
        if last is None:  # a row written outside the app: verify reports it, this revision does not hide it
            continue
        seq += 1
        data = canonical({**json.loads(last), "is_demo": bool(is_demo), "archived_at": None})
        digest = entry_hash(seq, at.isoformat(), ACTOR, "project", row_id, "update", data, prev)
        rows.append({"seq": seq, "at": at, "actor": ACTOR, "table_name": "project", "row_id": row_id,
                     "action": "update", "data": data, "prev_hash": prev, "hash": digest})
        prev = digest
    if not rows:
        return
    conn.execute(sa.insert(AUDIT), rows)
    if head:
        conn.execute(sa.update(HEAD).where(HEAD.c.id == 1).values(last_seq=seq, last_hash=prev))
    else:
        conn.execute(sa.insert(HEAD).values(id=1, last_seq=seq, last_hash=prev))


def downgrade() -> None:
    # SQLite >= 3.35 drops a column in place (a batch rebuild would trip the foreign keys); the audit
    # entries stay (append-only): rows then differ from them by the two keys, as before any upgrade
    for trigger, table, message, _demo in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute(f"CREATE TRIGGER {trigger} BEFORE DELETE ON {table} "
                   f"BEGIN SELECT RAISE(ABORT, '{message}'); END")
    op.drop_table('project_deletion')
    op.execute('ALTER TABLE project DROP COLUMN archived_at')
    op.execute('ALTER TABLE project DROP COLUMN is_demo')
