"""Team sync bookkeeping (docs/sync-protocol.yaml, v2): who this laptop is, which identity each
row carries across laptops, how far its changes went up and the others' came down, the finding
and visit numbers the platform reserved for it, and the conflicts a person has to decide.

Identity is made where a row is recorded: every row of a synced table has a UUID in
``sync_identity`` (a side table, so the audited rows and their audit chain stay as they are).
Setup rows (buildings, plan nodes, staff, parties) are named by their natural keys instead,
the same on every laptop (``services/team.natural_uid``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    insert,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import Audited, Base, utcnow


class SyncIdentity(Base):
    """The UUID of a row of a synced table, made on the laptop that recorded it (or, for a row
    that came from another laptop, the one it came with). Never changes, never reused."""

    __tablename__ = "sync_identity"
    __table_args__ = (UniqueConstraint("uid"),)

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    uid: Mapped[str] = mapped_column(String(36))


class SyncDevice(Base):
    """One row: this data folder's identity towards the platform. ``epoch`` moves on when the
    folder was restored from a backup or copied to another laptop: the device name then
    changes, so nothing it sends can collide with what the platform holds from before."""

    __tablename__ = "sync_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance: Mapped[str] = mapped_column(String(36))  # made once per database file
    epoch: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    epoch_reason: Mapped[str | None] = mapped_column(String(200))


class SyncCursor(Base):
    """Per project: the audit sequence number up to which this laptop's changes are on the
    platform, and the platform's change-feed cursor up to which the others' were applied."""

    __tablename__ = "sync_cursor"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), primary_key=True)
    pushed_seq: Mapped[int] = mapped_column(default=0)
    pulled: Mapped[int] = mapped_column(default=0)
    device: Mapped[str] = mapped_column(String(80))  # the device name the cursors belong to
    server: Mapped[str | None] = mapped_column(String(300))
    synced_at: Mapped[datetime | None]


class SyncInbound(Base):
    """Audit entries [first, last] written while applying other laptops' changes: not sent back."""

    __tablename__ = "sync_inbound"

    first: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int]


class NumberBlock(Base):
    """Finding, visit or report numbers [start, end] the platform reserved for this laptop on a
    project (a report's: the sequence in CODE-TZ-003), so numbers given offline on several
    laptops never collide."""

    __tablename__ = "number_block"
    __table_args__ = (CheckConstraint("kind IN ('finding','visit','notice','process','final')", name="kind_known"),
                      Index("ix_number_block_project_kind", "project_id", "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    kind: Mapped[str] = mapped_column(String(8))
    start: Mapped[int]
    end: Mapped[int]
    device: Mapped[str] = mapped_column(String(80))
    # A spare block is used only when the main blocks are spent offline, or by a restored folder
    # (whose old main block may have been used after the backup was made)
    spare: Mapped[bool] = mapped_column(default=False)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncPending(Base):
    """A change from another laptop that could not be applied yet (it names a row not here);
    tried again on every pull, never dropped."""

    __tablename__ = "sync_pending"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    change_id: Mapped[str] = mapped_column(String(64), unique=True)
    change: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncConflict(Audited, Base):
    """Two laptops changed the same field of the same row offline to different values (or
    recorded the same natural item twice). Both values are kept here, the row keeps the local
    one, and a person chooses: keep mine, theirs, or another value. Its ``uid`` is derived from
    the row, the field and the two values, so every laptop names the same conflict alike; it
    travels like any synced row and its resolution reaches every laptop."""

    __tablename__ = "sync_conflict"
    __table_args__ = (UniqueConstraint("uid"),
                      CheckConstraint("status IN ('open','resolved')", name="status_known"))

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    uid: Mapped[str] = mapped_column(String(36))
    table_name: Mapped[str] = mapped_column(String(40))
    row_uid: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(40))  # a column, or "*" for a whole row recorded twice
    value_a: Mapped[str] = mapped_column(Text)  # canonical JSON; a and b in canonical order
    value_b: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
    resolution: Mapped[str | None] = mapped_column(Text)  # canonical JSON of the value kept
    resolved_by: Mapped[str | None] = mapped_column(String(60))
    resolved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# Rows recorded in the field travel between laptops, each under its UUID, parents before children.
SYNCED_TABLES = ("visit", "visit_node", "visit_inspector", "visit_attendee", "visit_progress", "floor_plan",
                 "finding", "finding_event", "rectification_reply", "verification", "photo", "checklist_result",
                 "document_review", "issued_report", "report_draft", "report_approval", "sync_conflict")
# Setup rows named by natural keys (the same on every laptop); of these only plan-node updates
# (reached, waived, notified) travel: the rest comes with the project from the platform.
NATURAL_TABLES = ("project", "building", "plan_node", "party", "inspector", "agency")
# How each synced table reaches its project (for a row's project, and the migration's backfill)
PROJECT_PATH = {
    "visit": None, "finding": None, "photo": None, "floor_plan": None, "issued_report": None, "report_draft": None,
    "sync_conflict": None,
    "visit_node": ("visit_id", "visit"), "visit_inspector": ("visit_id", "visit"),
    "visit_attendee": ("visit_id", "visit"), "visit_progress": ("visit_id", "visit"),
    "checklist_result": ("visit_id", "visit"), "document_review": ("visit_id", "visit"),
    "finding_event": ("finding_id", "finding"), "rectification_reply": ("finding_id", "finding"),
    "verification": ("finding_id", "finding"), "report_approval": ("draft_id", "report_draft"),
}
# A fixed namespace: legacy rows get uuid5(project uid / table / ordinal), the same on every laptop
# that imported the same bundle before identities existed.
NAMESPACE = "6f1d7c2e-8a9b-4c3d-9e0f-2a4b6c8d0e1f"


def _assign_identities(session: Session, _context: object) -> None:
    """Every new row of a synced table gets its UUID in the same flush: the one it came with from
    another laptop (``session.info["sync_uids"]``, keyed by the object), else a new one."""
    given: dict[int, str] = session.info.get("sync_uids") or {}
    rows = []
    for obj in session.new:
        table = getattr(obj, "__tablename__", None)
        if table not in SYNCED_TABLES:
            continue
        uid = given.pop(id(obj), None) or (obj.uid if isinstance(obj, SyncConflict) else None) or str(uuid.uuid4())
        rows.append({"table_name": table, "row_id": obj.id, "uid": uid})
    if rows:
        session.connection().execute(insert(SyncIdentity), rows)


def install(session_class: type[Session] | Any) -> None:
    event.listen(session_class, "after_flush", _assign_identities)
