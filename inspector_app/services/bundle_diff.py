"""What a bundle of a project already here holds that this laptop lacks or holds differently.

Rows are matched by their identity across laptops (``sync_identity``; a plan node by its code).
A bundle carries snapshots, not changes: where a field differs and this laptop's history never held
the bundle's value, nothing says which side is newer (the team merge needs the value a change was
made from). So a bundle that holds anything new or different is refused naming what, and the team
sync is the way to merge two laptops' work; one that is only older than this laptop changes nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    AuditEntry,
    Base,
    Finding,
    FindingEvent,
    Photo,
    PlanNode,
    Project,
    SyncIdentity,
    Visit,
)
from ..models.auditing import row_state
from ..models.sync import SYNCED_TABLES

GROUPS = {"finding": "findings", "finding_event": "events", "photo": "photos"}  # the rest: "other"


@dataclass
class Differences:
    """Per table: rows of the bundle not here (new) and rows here with other values (changed);
    and how many of this laptop's findings, events, visits and photos the bundle lacks."""

    new: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    only_here: dict[str, int] = field(default_factory=dict)

    @property
    def bundle_has_more(self) -> bool:
        return any(self.new.values()) or any(self.changed.values())

    def params(self) -> dict[str, Any]:
        """The params of ``bundle.differs``: counts by group, and per table for tools."""
        out: dict[str, Any] = {}
        for group in (*GROUPS.values(), "other"):
            tables = [t for t in {*self.new, *self.changed} if GROUPS.get(t, "other") == group]
            out[f"{group}_new"] = sum(self.new.get(t, 0) for t in tables)
            out[f"{group}_changed"] = sum(self.changed.get(t, 0) for t in tables)
        out["tables"] = {t: {"new": self.new.get(t, 0), "changed": self.changed.get(t, 0)}
                         for t in sorted({*self.new, *self.changed}) if self.new.get(t) or self.changed.get(t)}
        return out


def _tables() -> dict[str, type[Base]]:
    return {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}


def _plain_columns(cls: type[Base]) -> list[str]:
    """Columns compared as they are: not the id, not foreign keys (local ids differ per laptop)."""
    return [c.key for c in cls.__table__.columns if c.key != "id" and not c.foreign_keys]


def _differs(raw: dict[str, Any], state: dict[str, Any], columns: list[str]) -> bool:
    return any(raw.get(c) != state.get(c) for c in columns)


def _held_before(s: Session, table: str, row_id: int, raw: dict[str, Any], columns: list[str]) -> bool:
    """The row once held the bundle's values here (its audit history says so): the bundle is older
    for it, and this laptop's later change is no difference it brings."""
    for data in s.execute(select(AuditEntry.data).where(AuditEntry.table_name == table, AuditEntry.row_id == row_id)
                          .order_by(AuditEntry.seq.desc())).scalars():
        if not _differs(raw, json.loads(data), columns):
            return True
    return False


def differences(s: Session, project: Project, rows: dict[str, list[dict[str, Any]]],
                uids: dict[tuple[str, int], str]) -> Differences:
    """Compare the bundle's rows with this laptop's copy of ``project`` (read in ``s``)."""
    out = Differences()
    tables = _tables()
    for table in (*SYNCED_TABLES, "plan_node"):
        items = rows.get(table, [])
        if not items:
            continue
        cls: Any = tables[table]
        columns = _plain_columns(cls)
        local_ids: dict[Any, int]
        if table == "plan_node":
            local_ids = {code: i for code, i in s.execute(
                select(PlanNode.code, PlanNode.id).where(PlanNode.project_id == project.id))}
            keys = [r.get("code") for r in items]
        else:
            local_ids = {uid: i for uid, i in s.execute(
                select(SyncIdentity.uid, SyncIdentity.row_id).where(SyncIdentity.table_name == table))}
            keys = [uids.get((table, r["id"])) for r in items]
        new = changed = 0
        for raw, key in zip(items, keys, strict=True):
            row_id = local_ids.get(key) if key is not None else None
            local = s.get(cls, row_id) if row_id is not None else None
            if local is None:
                new += 1
            elif _differs(raw, row_state(local), columns) and not _held_before(s, table, local.id, raw, columns):
                changed += 1
        out.new[table], out.changed[table] = new, changed
    bundle_uids = set(uids.values())
    for table, cls, scope in (("finding", Finding, Finding.project_id), ("visit", Visit, Visit.project_id),
                              ("photo", Photo, Photo.project_id)):
        here = s.execute(select(SyncIdentity.uid).join(cls, cls.id == SyncIdentity.row_id)
                         .where(SyncIdentity.table_name == table, scope == project.id)).scalars()
        out.only_here[table] = sum(uid not in bundle_uids for uid in here)
    events = s.execute(select(SyncIdentity.uid).join(FindingEvent, FindingEvent.id == SyncIdentity.row_id)
                       .join(Finding, Finding.id == FindingEvent.finding_id)
                       .where(SyncIdentity.table_name == "finding_event", Finding.project_id == project.id)).scalars()
    out.only_here["finding_event"] = sum(uid not in bundle_uids for uid in events)
    return out
