"""A team on one project (docs/sync-protocol.yaml, v2): changes, not snapshots; merge without loss.

**Identity.** Every row of a synced table carries a UUID made where it was recorded
(``models.sync.SyncIdentity``); setup rows are named by natural keys (``natural_uid``), the same
on every laptop. A change names rows only by these: a foreign key travels as the UUID of the
row it points to, never as a local id.

**Changes.** This laptop's changes are its audit entries since the last one the platform
acknowledged (``SyncCursor.pushed_seq``), each with the row's values after the change and, for
an update, the values of the fields it changed as they were before (``collect_changes``).
A change's id is the SHA-256 of its canonical JSON, so sending it twice stores it once, and a
data folder restored from a backup can never send other content under an id already used.

**Merge** (``apply_changes``), per field of an update from another laptop:
- the local value already equals the new one: nothing to do;
- the local value is the one the other laptop changed from: take the new one;
- both laptops changed it offline: a **conflict**. The row keeps the local value; both are kept
  in ``sync_conflict`` and a person chooses (``resolve_conflict``). A finding's status, grade now,
  seriousness and closing day follow from its history (replies, re-checks and status steps are
  rows of their own, appended on both sides): for those the later step wins.
Inserts merge by UUID; a change naming a row not here yet waits in ``sync_pending`` and is tried
again on every pull. What the merge writes is audited like any edit, and marked inbound so it is
not sent back.

**Numbers.** Finding and visit numbers of a team project come from blocks the platform reserves
for each laptop (``NumberBlock``), so F012 recorded offline on two laptops cannot happen; a
laptop out of numbers (or never synced) counts on from the highest number it knows, and a
collision found on a pull is given the next free number and listed as a conflict.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import platformdirs
import rfc8785
from sqlalchemy import Date, DateTime, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ..errors import NotFound, ValidationError
from ..models import (
    Agency,
    AuditEntry,
    AuditHead,
    Base,
    Building,
    Finding,
    Inspector,
    NumberBlock,
    Party,
    PlanNode,
    Project,
    SyncConflict,
    SyncCursor,
    SyncDevice,
    SyncIdentity,
    SyncInbound,
    SyncPending,
    Visit,
)
from ..models.auditing import row_state
from ..models.base import utcnow
from ..models.db import Database
from ..models.sync import NAMESPACE, PROJECT_PATH, SYNCED_TABLES
from .projects import resolve_project

NS = uuid.UUID(NAMESPACE)
SIDECAR = "sync-device.json"
PAGE = 500  # changes per request, each way
BLOCK = 100  # numbers reserved at a time; topped up when fewer than LOW_WATER are left
LOW_WATER = 50
# Fields that follow from a row's own history: the later step wins, never a conflict.
LATER_WINS = {"finding": {"status", "closed_on", "grade_now", "is_serious"},
              "plan_node": {"status", "reached_date", "notified_on", "waived_reason"}}
DRAFT_ORDER = {"submitted": 0, "reviewed": 1, "approved": 2, "rejected": 3, "issued": 3}
# Bookkeeping that differs when the same item was recorded twice, not a disagreement about it.
BOOKKEEPING = {"created_at", "recorded_at", "imported_at", "granted_at"}


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def natural_uid(*parts: object) -> str:
    return str(uuid.uuid5(NS, "/".join(str(p) for p in parts)))


def _tables() -> dict[str, type[Base]]:
    return {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}


# --- this laptop ---------------------------------------------------------------------------------

def device(s: Session) -> SyncDevice:
    """This data folder's identity, made on first use (in the caller's write transaction)."""
    row = s.get(SyncDevice, 1)
    if row is None:
        row = SyncDevice(id=1, instance=str(uuid.uuid4()), epoch=1, created_at=utcnow())
        s.add(row)
        s.flush()
    return row


def device_name(row: SyncDevice) -> str:
    return f"{row.instance}.{row.epoch}"


def sidecars(data_dir: Path, instance: str | None = None) -> list[Path]:
    """Where this folder notes how far it has synced: beside the database, and (for a whole folder
    restored or copied, sidecar and all) in the user's state folder outside it."""
    out = [data_dir / SIDECAR]
    if instance:
        state = os.environ.get("IDI_INSPECTOR_STATE_DIR") or platformdirs.user_state_dir("IDI Inspector", appauthor=False)
        out.append(Path(state) / "devices" / f"{instance}.json")
    return out


def _seen(paths: list[Path]) -> dict[str, Any] | None:
    best: dict[str, Any] | None = None
    for path in paths:
        try:
            seen = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if best is None or (seen.get("epoch", 0), seen.get("seq", 0)) > (best.get("epoch", 0), best.get("seq", 0)):
            best = seen
    return best


def new_epoch(db: Database, reason: str) -> str:
    """A new device name: what this folder sends from now on cannot collide with what the platform
    already holds under the old one; numbers come from the spare blocks until the next sync, and
    every project's feed is read again from the start (the folder's own lost work comes back)."""
    with db.write() as s:
        row = device(s)
        row.epoch += 1
        row.epoch_reason = reason[:200]
        for cursor in s.execute(select(SyncCursor)).scalars():
            cursor.pulled = 0
        return device_name(row)


def check_restored(db: Database, data_dir: Path) -> str | None:
    """On start: a database older than the one this folder last synced (restored from a backup, or
    a copy) gets a new epoch. The notes name the audit entry last reached; if the database no
    longer holds that entry with that hash, the folder went back in time. Returns the reason."""
    with db.read() as s:
        row = s.get(SyncDevice, 1)
        if row is None:
            return None
        instance, epoch = row.instance, row.epoch
    seen = _seen(sidecars(data_dir, instance))
    if seen is None or seen.get("instance") != instance:
        return None
    with db.read() as s:
        entry = s.get(AuditEntry, int(seen.get("seq") or 0)) if seen.get("seq") else None
        same = (entry is None and not seen.get("seq")) or (entry is not None and entry.hash == seen.get("hash"))
    if same and epoch >= int(seen.get("epoch", 0)):
        return None
    reason = f"数据库早于上次记录（审计第 {seen.get('seq')} 条不符）：从备份恢复或复制"
    new_epoch(db, reason)
    remember(db, data_dir, at_least=int(seen.get("epoch", 0)))
    return reason


def remember(db: Database, data_dir: Path, at_least: int = 0) -> None:
    """Note how far this folder has come (device name, audit head), beside it and outside it."""
    with db.write() as s:
        row = s.get(SyncDevice, 1)
        if row is None:
            return
        if row.epoch <= at_least:  # a restore of a restore: past every epoch ever noted
            row.epoch = at_least + 1
        head = s.get(AuditHead, 1)
        seen = {"instance": row.instance, "epoch": row.epoch, "seq": head.last_seq if head else 0,
                "hash": head.last_hash if head else None}
        instance = row.instance
    for path in sidecars(data_dir, instance):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(seen), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            continue  # a read-only state folder: the note beside the database still holds


def projects(db: Database) -> list[tuple[int, str, str]]:
    """(id, uid, code) of every project on this laptop that may be synced (never the demo)."""
    with db.read() as s:
        return [(i, u, c) for i, u, c in s.execute(select(Project.id, Project.uid, Project.code)
                                                   .where(Project.is_demo.is_(False)).order_by(Project.id))]


# --- numbers -------------------------------------------------------------------------------------

def _blocks(s: Session, project_id: int, kind: str) -> list[NumberBlock]:
    """This laptop's blocks in the order they are drawn from: the current device's main blocks,
    its spare, then spares of earlier device names (a restored folder: its old main block may
    have been used after the backup was made, its spare almost surely not)."""
    row = s.get(SyncDevice, 1)
    if row is None:
        return []
    name = device_name(row)
    blocks = list(s.execute(select(NumberBlock).where(NumberBlock.project_id == project_id, NumberBlock.kind == kind)
                            .order_by(NumberBlock.start)).scalars())
    return ([b for b in blocks if b.device == name and not b.spare] + [b for b in blocks if b.device == name and b.spare]
            + [b for b in blocks if b.device != name and b.spare])


def next_number(s: Session, project_id: int, kind: str) -> int:
    """The next finding or visit number: from this laptop's reserved blocks, else one past the
    highest known (a project never synced; or every block spent offline: a clash found later is
    listed as a conflict)."""
    cls: Any = Finding if kind == "finding" else Visit
    for block in _blocks(s, project_id, kind):
        top = s.scalar(select(func.max(cls.number)).where(cls.project_id == project_id,
                                                          cls.number.between(block.start, block.end)))
        candidate = (top or block.start - 1) + 1
        if candidate <= block.end:
            return int(candidate)
    return int((s.scalar(select(func.max(cls.number)).where(cls.project_id == project_id)) or 0) + 1)


REPORT_KINDS = ("notice", "process", "final")
REPORT_BLOCK = 5  # report numbers are few: small blocks keep the sequence dense across laptops


def report_sequence(number: str) -> int | None:
    """The sequence of a report number (``BJ-CY-2025-003-TZ-004`` -> 4)."""
    tail = number.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else None


def _report_numbers(s: Session, project_id: int, kind: str) -> set[int]:
    from ..models import IssuedReport, ReportDraft

    numbers = set(s.execute(select(IssuedReport.number).where(IssuedReport.project_id == project_id,
                                                              IssuedReport.kind == kind)).scalars())
    numbers |= set(s.execute(select(ReportDraft.number).where(ReportDraft.project_id == project_id,
                                                              ReportDraft.kind == kind)).scalars())
    return {n for n in (report_sequence(x) for x in numbers) if n is not None}


def next_report_sequence(s: Session, project_id: int, kind: str) -> int | None:
    """The next report sequence from this laptop's blocks (None: no block left, or none reserved)."""
    taken = _report_numbers(s, project_id, kind)
    for block in _blocks(s, project_id, kind):
        for n in range(block.start, block.end + 1):
            if n not in taken:
                return n
    return None


def numbers_left(db: Database, project_id: int, kind: str) -> dict[bool, int]:
    """Numbers still free in the current device's main blocks (False) and spare (True)."""
    with db.read() as s:
        row = s.get(SyncDevice, 1)
        left = {False: 0, True: 0}
        if row is None:
            return left
        taken = _report_numbers(s, project_id, kind) if kind in REPORT_KINDS else set()
        cls: Any = Finding if kind == "finding" else Visit
        for block in s.execute(select(NumberBlock).where(NumberBlock.project_id == project_id, NumberBlock.kind == kind,
                                                         NumberBlock.device == device_name(row))).scalars():
            if kind in REPORT_KINDS:
                left[block.spare] += sum(n not in taken for n in range(block.start, block.end + 1))
                continue
            used = s.scalar(select(func.max(cls.number)).where(cls.project_id == project_id,
                                                               cls.number.between(block.start, block.end)))
            left[block.spare] += block.end - (used or block.start - 1)
        return left


def add_block(db: Database, project_id: int, kind: str, start: int, end: int, name: str, spare: bool = False) -> None:
    with db.write() as s:
        exists = s.execute(select(NumberBlock.id).where(NumberBlock.project_id == project_id, NumberBlock.kind == kind,
                                                        NumberBlock.start == start)).first()
        if exists is None:
            s.add(NumberBlock(project_id=project_id, kind=kind, start=start, end=end, device=name, spare=spare))


def used_numbers(db: Database, project_id: int) -> dict[str, int]:
    """The highest finding, visit and report numbers here (the platform's counter starts above them)."""
    with db.read() as s:
        used = {"finding": int(s.scalar(select(func.max(Finding.number)).where(Finding.project_id == project_id)) or 0),
                "visit": int(s.scalar(select(func.max(Visit.number)).where(Visit.project_id == project_id)) or 0)}
        for kind in REPORT_KINDS:
            used[kind] = max(_report_numbers(s, project_id, kind), default=0)
        return used


# --- translating rows: local ids <-> UUIDs -------------------------------------------------------

class Missing(Exception):
    """A change names a row that is not here (yet)."""


class Names:
    """UUIDs of rows and back, for one project, read once per batch."""

    def __init__(self, s: Session, project: Project) -> None:
        self.s, self.project = s, project
        self.by_row: dict[tuple[str, int], str] = {}
        self.by_uid: dict[str, tuple[str, int]] = {}
        for table, row_id, uid in s.execute(select(SyncIdentity.table_name, SyncIdentity.row_id, SyncIdentity.uid)):
            self.by_row[(table, row_id)] = uid
            self.by_uid[uid] = (table, row_id)
        self.by_row[("project", project.id)] = project.uid
        self.by_uid[project.uid] = ("project", project.id)
        for b in s.execute(select(Building).where(Building.project_id == project.id)).scalars():
            self._natural("building", b.id, project.uid, "building", b.name)
        for n in s.execute(select(PlanNode).where(PlanNode.project_id == project.id)).scalars():
            self._natural("plan_node", n.id, project.uid, "plan_node", n.code)
        agencies = {}
        for a in s.execute(select(Agency)).scalars():
            agencies[a.id] = a.credit_code or a.name
            self._natural("agency", a.id, "agency", agencies[a.id])
        for i in s.execute(select(Inspector)).scalars():
            self._natural("inspector", i.id, "inspector", agencies.get(i.agency_id), i.name)
        for p in s.execute(select(Party)).scalars():
            self._natural("party", p.id, "party", p.credit_code or p.name)

    def _natural(self, table: str, row_id: int, *parts: object) -> None:
        uid = natural_uid(*parts)
        self.by_row[(table, row_id)] = uid
        self.by_uid.setdefault(uid, (table, row_id))

    def add(self, table: str, row_id: int, uid: str) -> None:
        self.by_row[(table, row_id)] = uid
        self.by_uid[uid] = (table, row_id)

    def uid(self, table: str, row_id: int | None) -> str | None:
        if row_id is None:
            return None
        return self.by_row.get((table, row_id))

    def row_id(self, table: str, uid: str | None) -> int | None:
        if uid is None:
            return None
        found = self.by_uid.get(uid)
        if found is None or found[0] != table:
            raise Missing(f"{table} {uid}")
        return found[1]

    def to_json(self, cls: type[Base], state: dict[str, Any]) -> dict[str, Any]:
        """A row's state (``row_state``, as the audit log holds it) with its keys as UUIDs."""
        out: dict[str, Any] = {}
        for col in cls.__table__.columns:
            if col.key == "id" or col.key not in state:
                continue
            value = state[col.key]
            for fk in col.foreign_keys:
                value = self.uid(fk.column.table.name, value)
            out[col.key] = value
        return out

    def from_json(self, cls: type[Base], values: dict[str, Any]) -> dict[str, Any]:
        """Column values for the ORM from a change's values (UUIDs to local ids, text to dates)."""
        out: dict[str, Any] = {}
        columns = {c.key: c for c in cls.__table__.columns}
        for key, value in values.items():
            col = columns.get(key)
            if col is None or key == "id":
                continue
            for fk in col.foreign_keys:
                value = self.row_id(fk.column.table.name, value)
            if value is not None and isinstance(col.type, DateTime):
                value = datetime.fromisoformat(value)
            elif value is not None and isinstance(col.type, Date):
                value = date.fromisoformat(value)
            out[key] = value
        return out


# --- sending: this laptop's changes --------------------------------------------------------------

@dataclass
class Outgoing:
    changes: list[dict[str, Any]]
    last_seq: int  # the audit entry up to which this batch covers the project


def _project_of(s: Session, table: str, data: dict[str, Any], parents: dict[str, dict[int, int]]) -> int | None:
    path = PROJECT_PATH.get(table)
    if table == "plan_node" or path is None:
        return data.get("project_id")
    column, parent = path
    if parent not in parents:
        model: Any = _tables()[parent]
        parents[parent] = dict(s.execute(select(model.id, model.project_id)).all())
    parent_id = data.get(column)
    found = parents[parent].get(parent_id) if parent_id is not None else None
    if found is None and parent_id is not None:  # the parent was removed since: its audit entry knows
        raw = s.execute(select(AuditEntry.data).where(AuditEntry.table_name == parent, AuditEntry.row_id == parent_id)
                        .order_by(AuditEntry.seq)).scalars().first()
        found = json.loads(raw).get("project_id") if raw else None
    return found


def _inbound(s: Session, since: int) -> list[tuple[int, int]]:
    return [(a, b) for a, b in s.execute(select(SyncInbound.first, SyncInbound.last).where(SyncInbound.last > since))]


def change_id(body: dict[str, Any]) -> str:
    """SHA-256 of the change's JSON canonicalised by RFC 8785 (JCS), without its ``id``."""
    return hashlib.sha256(rfc8785.dumps({k: v for k, v in body.items() if k != "id"})).hexdigest()


def _utc(at: datetime) -> str:
    return at.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def collect_changes(db: Database, project_key: str | int, limit: int = PAGE) -> Outgoing:
    """Up to ``limit`` of this laptop's changes to the project not yet acknowledged, oldest first."""
    with db.read() as s:
        project = resolve_project(s, project_key)
        row = s.get(SyncDevice, 1)
        assert row is not None, "device() runs before a sync"
        name = device_name(row)
        cursor = s.get(SyncCursor, project.id)
        since = cursor.pushed_seq if cursor is not None else 0
        inbound = _inbound(s, since)
        names = Names(s, project)
        tables = _tables()
        head = s.get(AuditHead, 1)
        top = head.last_seq if head else 0
        pushed = (*SYNCED_TABLES, "plan_node")
        entries = s.execute(select(AuditEntry).where(AuditEntry.seq > since, AuditEntry.table_name.in_(pushed))
                            .order_by(AuditEntry.seq)).scalars()
        parents: dict[str, dict[int, int]] = {}
        previous: dict[tuple[str, int], dict[str, Any]] = {}
        out: list[dict[str, Any]] = []
        last = top
        for e in entries:
            if len(out) >= limit:
                last = e.seq - 1
                break
            if any(a <= e.seq <= b for a, b in inbound):
                previous[(e.table_name, e.row_id)] = json.loads(e.data)
                continue
            data = json.loads(e.data)
            if _project_of(s, e.table_name, data, parents) != project.id:
                continue
            if e.table_name == "plan_node" and e.action != "update":
                continue
            uid = names.uid(e.table_name, e.row_id)
            if uid is None:
                continue
            cls = tables[e.table_name]
            body: dict[str, Any] = {"device": name, "seq": e.seq, "audit_hash": e.hash, "table": e.table_name,
                                    "uid": uid, "op": e.action, "at": _utc(e.at), "actor": e.actor,
                                    "values": names.to_json(cls, data)}
            if e.action == "update":
                key = (e.table_name, e.row_id)
                if key not in previous:
                    raw = s.execute(select(AuditEntry.data).where(
                        AuditEntry.table_name == e.table_name, AuditEntry.row_id == e.row_id, AuditEntry.seq < e.seq)
                        .order_by(AuditEntry.seq.desc())).scalars().first()
                    previous[key] = json.loads(raw) if raw else {}
                before = previous[key]
                changed = {k: before.get(k) for k in data if k != "id" and before.get(k) != data[k]}
                previous[key] = data
                if not changed:
                    continue
                body["before"] = names.to_json(cls, changed)
            else:
                previous[(e.table_name, e.row_id)] = data
            body["id"] = change_id(body)
            out.append(body)
        return Outgoing(out, last)


def mark_pushed(db: Database, project_id: int, seq: int, name: str, server: str) -> None:
    with db.write() as s:
        cursor = s.get(SyncCursor, project_id)
        if cursor is None:
            s.add(SyncCursor(project_id=project_id, pushed_seq=seq, pulled=0, device=name, server=server))
        else:
            cursor.pushed_seq, cursor.device, cursor.server = max(cursor.pushed_seq, seq), name, server


def cursor_of(db: Database, project_id: int) -> tuple[int, int]:
    with db.read() as s:
        cursor = s.get(SyncCursor, project_id)
        return (cursor.pushed_seq, cursor.pulled) if cursor else (0, 0)


# --- receiving: the others' changes --------------------------------------------------------------

@dataclass
class Applied:
    applied: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)  # new conflicts' uids
    pending: int = 0


def _conflict_uid(table: str, row_uid: str, name: str, a: str, b: str) -> str:
    lo, hi = sorted((a, b))
    return natural_uid("conflict", table, row_uid, name, lo, hi)


class _Merge:
    def __init__(self, s: Session, project: Project) -> None:
        self.s, self.project = s, project
        self.names = Names(s, project)
        self.tables = _tables()
        self.result = Applied()
        self.new_conflicts: dict[str, SyncConflict] = {}
        self.renumbered: list[tuple[str, str, int, int]] = []

    def _known_conflict(self, table: str, row_uid: str, name: str, *values: str) -> bool:
        wanted = set(values)
        rows = list(self.s.execute(select(SyncConflict).where(
            SyncConflict.table_name == table, SyncConflict.row_uid == row_uid, SyncConflict.field == name)).scalars())
        rows += [c for c in self.new_conflicts.values()
                 if (c.table_name, c.row_uid, c.field) == (table, row_uid, name)]
        return any(wanted <= {c.value_a, c.value_b} | ({c.resolution} if c.resolution else set()) for c in rows)

    def conflict(self, table: str, row_uid: str, name: str, mine: Any, theirs: Any) -> None:
        a, b = sorted((canonical(mine), canonical(theirs)))
        uid = _conflict_uid(table, row_uid, name, a, b)
        if uid in self.new_conflicts or self.s.execute(select(SyncConflict.id).where(SyncConflict.uid == uid)).first():
            return
        self.new_conflicts[uid] = SyncConflict(project_id=self.project.id, uid=uid, table_name=table, row_uid=row_uid,
                                               field=name, value_a=a, value_b=b, status="open")

    def _last_local_at(self, table: str, row_id: int) -> str:
        at = self.s.execute(select(AuditEntry.at).where(AuditEntry.table_name == table, AuditEntry.row_id == row_id)
                            .order_by(AuditEntry.seq.desc())).scalars().first()
        return _utc(at) if at else ""

    def apply(self, change: dict[str, Any]) -> None:
        table, uid, op = str(change.get("table")), str(change.get("uid")), change.get("op")
        if table not in (*SYNCED_TABLES, "plan_node") or op not in ("insert", "update", "delete"):
            raise Missing(f"unknown table or op: {table} {op}")
        cls: Any = self.tables[table]
        found = self.names.by_uid.get(uid)
        local = self.s.get(cls, found[1]) if found and found[0] == table else None
        if op == "delete":
            if local is not None:
                self.s.delete(local)
                self.s.flush()
                self.result.applied += 1
            else:
                self.result.unchanged += 1
            return
        values = change.get("values") or {}
        if local is None:
            if op == "update" or table == "plan_node":
                raise Missing(f"{table} {uid}")
            self._insert(cls, table, uid, values, change)
            return
        self._update(cls, table, uid, local, values, change)

    def _insert(self, cls: Any, table: str, uid: str, values: dict[str, Any], change: dict[str, Any]) -> None:
        columns = self.names.from_json(cls, values)
        if "project_id" in columns:
            columns["project_id"] = self.project.id
        if table in ("finding", "visit"):
            taken = self.s.execute(select(cls.id).where(cls.project_id == self.project.id,
                                                        cls.number == columns["number"])).first()
            if taken is not None:  # numbered offline beyond the reserved blocks: the next free number here
                wanted = columns["number"]
                columns["number"] = next_number(self.s, self.project.id, table)
                self.renumbered.append((table, uid, wanted, columns["number"]))
        obj = cls(**columns)
        if table == "sync_conflict":
            obj.uid = uid
        self.s.info.setdefault("sync_uids", {})[id(obj)] = uid
        try:
            with self.s.begin_nested():
                self.s.add(obj)
                self.s.flush()
        except DBAPIError:  # the same item recorded on two laptops (a natural key taken)
            self.s.info["sync_uids"].pop(id(obj), None)
            twin = self._twin(cls, table, columns)
            if twin is None:
                raise
            mine = self.names.to_json(cls, row_state(twin))
            twin_uid = self.names.uid(table, twin.id) or uid
            self.conflict(table, min(uid, twin_uid), "*", {"uid": twin_uid, **mine}, {"uid": uid, **values})
            raise Missing(f"{table} {uid}: recorded twice") from None
        self.names.add(table, obj.id, uid)
        self.result.applied += 1

    def _twin(self, cls: Any, table: str, columns: dict[str, Any]) -> Any:
        for constraint in cls.__table__.constraints:
            keys = [c.key for c in getattr(constraint, "columns", [])]
            if type(constraint).__name__ != "UniqueConstraint" or not keys:
                continue
            found = self.s.execute(select(cls).where(*[getattr(cls, k) == columns.get(k) for k in keys])).scalars().first()
            if found is not None:
                return found
        return None

    def _update(self, cls: Any, table: str, uid: str, local: Any, values: dict[str, Any],
                change: dict[str, Any]) -> None:
        current = self.names.to_json(cls, row_state(local))
        before = change.get("before")
        changed = False
        for name, new in values.items():
            if name not in current or current[name] == new:
                continue
            if table == "sync_conflict":  # a conflict only moves to resolved
                if name in ("status", "resolution", "resolved_by", "resolved_at") and values.get("status") == "resolved":
                    self._set(cls, local, name, new)
                    changed = True
                continue
            if before is None:  # its insert, again (a bundle or an earlier pull brought the row): later
                continue        # changes come as updates
            if name not in before:
                continue
            old, cur = before[name], current[name]
            if table == "report_draft" and name == "status":
                if DRAFT_ORDER.get(new, 0) >= DRAFT_ORDER.get(cur, 0):
                    self._set(cls, local, name, new)
                    changed = True
                continue
            if cur == old or name in BOOKKEEPING or self._known_conflict(table, uid, name, canonical(old), canonical(cur)):
                self._set(cls, local, name, new)
                changed = True
            elif name in LATER_WINS.get(table, ()):  # the later step; at the same second, the larger value
                if (str(change.get("at", "")), canonical(new)) > (self._last_local_at(table, local.id), canonical(cur)):
                    self._set(cls, local, name, new)
                    changed = True
            elif table == "report_draft" and name == "issued_report_id" and cur is None:
                self._set(cls, local, name, new)
                changed = True
            else:
                self.conflict(table, uid, name, cur, new)
        if changed:
            self.s.flush()
            self.result.applied += 1
        else:
            self.result.unchanged += 1

    def _set(self, cls: Any, local: Any, name: str, value: Any) -> None:
        setattr(local, name, self.names.from_json(cls, {name: value})[name])


def apply_changes(db: Database, project_key: str | int, changes: Iterable[dict[str, Any]], cursor: int | None = None,
                  server: str | None = None) -> Applied:
    """Merge the others' changes (and those still waiting) in one transaction; then record the
    feed cursor. Conflicts found are written after the inbound range, so they travel on."""
    with db.write() as s:
        project = resolve_project(s, project_key)
        merge = _Merge(s, project)
        start = s.execute(select(AuditHead.last_seq).where(AuditHead.id == 1)).scalar() or 0
        for change in changes:
            try:
                with s.begin_nested():
                    merge.apply(change)
            except (Missing, DBAPIError) as exc:
                if not s.execute(select(SyncPending.id).where(SyncPending.change_id == change.get("id"))).first():
                    s.add(SyncPending(project_id=project.id, change_id=str(change.get("id")),
                                      change=canonical(change), reason=str(exc)[:500]))
        # what waits for a row: tried after the page, again while that brings something in
        progress = True
        while progress:
            progress = False
            for pending in list(s.execute(select(SyncPending).where(SyncPending.project_id == project.id)
                                          .order_by(SyncPending.id)).scalars()):
                try:
                    with s.begin_nested():
                        merge.apply(json.loads(pending.change))
                except (Missing, DBAPIError) as exc:
                    pending.reason = str(exc)[:500]
                    continue
                s.delete(pending)
                progress = True
        merge.result.pending = int(s.scalar(select(func.count()).select_from(SyncPending).where(
            SyncPending.project_id == project.id)) or 0)
        s.flush()
        end = s.execute(select(AuditHead.last_seq).where(AuditHead.id == 1)).scalar() or 0
        if end > start:
            s.add(SyncInbound(first=start + 1, last=end))
        for table, uid, wanted, given in merge.renumbered:
            merge.conflict(table, uid, "number", given, wanted)
        for uid, c in list(merge.new_conflicts.items()):
            if s.execute(select(SyncConflict.id).where(SyncConflict.uid == uid)).first():  # it came in this batch
                del merge.new_conflicts[uid]
            else:
                s.add(c)
        merge.result.conflicts = list(merge.new_conflicts)
        if cursor is not None:
            row = s.get(SyncCursor, project.id)
            name = device_name(device(s))
            if row is None:
                s.add(SyncCursor(project_id=project.id, pushed_seq=0, pulled=cursor, device=name, server=server,
                                 synced_at=utcnow()))
            else:
                row.pulled, row.synced_at = max(row.pulled, cursor), utcnow()
        return merge.result


# --- conflicts -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConflictInfo:
    id: int
    uid: str
    project_code: str
    table: str
    row_uid: str
    what: str  # e.g. "F012"
    field: str
    mine: Any
    theirs: Any
    status: str
    resolution: Any
    resolved_by: str | None

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _what(s: Session, names: Names, table: str, row_uid: str) -> str:
    found = names.by_uid.get(row_uid)
    if found is None:
        return f"{table} {row_uid[:8]}"
    model: Any = _tables()[found[0]]
    row = s.get(model, found[1])
    if isinstance(row, Finding):
        return f"F{row.number:03d}"
    if isinstance(row, Visit):
        return f"第 {row.number} 次巡查"
    return f"{table} {row_uid[:8]}"


def _info(s: Session, names: Names, c: SyncConflict) -> ConflictInfo:
    a, b = json.loads(c.value_a), json.loads(c.value_b)
    mine = theirs = None
    found = names.by_uid.get(c.row_uid)
    if c.field not in ("*", "number") and found is not None:
        model: Any = _tables()[found[0]]
        row = s.get(model, found[1])
        current = names.to_json(model, row_state(row))[c.field] if row is not None else None
        mine, theirs = (a, b) if canonical(current) == c.value_a else (b, a)
    else:
        mine, theirs = a, b
    project = s.get(Project, c.project_id)
    return ConflictInfo(c.id, c.uid, project.code if project else "", c.table_name, c.row_uid,
                        _what(s, names, c.table_name, c.row_uid), c.field, mine, theirs, c.status,
                        json.loads(c.resolution) if c.resolution else None, c.resolved_by)


def list_conflicts(db: Database, project_key: str | int, include_resolved: bool = False) -> list[ConflictInfo]:
    with db.read() as s:
        project = resolve_project(s, project_key)
        names = Names(s, project)
        q = select(SyncConflict).where(SyncConflict.project_id == project.id).order_by(SyncConflict.id)
        if not include_resolved:
            q = q.where(SyncConflict.status == "open")
        return [_info(s, names, c) for c in s.execute(q).scalars()]


def conflicts_of_row(db: Database, table: str, row_id: int) -> list[ConflictInfo]:
    """Open conflicts of one row (the finding panel)."""
    with db.read() as s:
        uid = s.execute(select(SyncIdentity.uid).where(SyncIdentity.table_name == table,
                                                       SyncIdentity.row_id == row_id)).scalar()
        if uid is None:
            return []
        rows = list(s.execute(select(SyncConflict).where(SyncConflict.row_uid == uid, SyncConflict.status == "open")
                              .order_by(SyncConflict.id)).scalars())
        if not rows:
            return []
        project = s.get(Project, rows[0].project_id)
        assert project is not None
        names = Names(s, project)
        return [_info(s, names, c) for c in rows]


def open_conflict_count(db: Database, project_id: int) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.project_id == project_id, SyncConflict.status == "open")) or 0)


def resolve_conflict(db: Database, key: str | int, keep: str, value: Any = None) -> ConflictInfo:
    """Keep ``mine`` (the value here), ``theirs`` (the other laptop's) or ``value``; the row takes
    it as an audited edit, and the resolution travels to every laptop."""
    if keep not in ("mine", "theirs", "value"):
        raise ValidationError("conflict.keep", "conflict.keep_unknown", keep=keep)
    with db.write() as s:
        c = _find_conflict(s, key)
        project = s.get(Project, c.project_id)
        assert project is not None
        names = Names(s, project)
        info = _info(s, names, c)
        if c.status != "open":
            raise ValidationError("conflict.status", "conflict.already_resolved", id=c.id, by=c.resolved_by or "")
        chosen = info.mine if keep == "mine" else info.theirs if keep == "theirs" else value
        if c.field == "*":
            chosen_values = {k: v for k, v in dict(chosen or {}).items() if k != "uid"}
            target = names.by_uid.get(info.mine["uid"]) if isinstance(info.mine, dict) else None
            if keep != "mine" and target is not None:
                model: Any = _tables()[target[0]]
                row = s.get(model, target[1])
                for name, v in names.from_json(model, chosen_values).items():
                    if name not in ("project_id",) and name not in BOOKKEEPING:
                        setattr(row, name, v)
        else:
            found = names.by_uid.get(c.row_uid)
            if found is None:
                raise NotFound("conflict", key)
            model = _tables()[found[0]]
            row = s.get(model, found[1])
            if row is None:
                raise NotFound("conflict", key)
            if keep == "value" and c.field != "number":
                chosen = _typed(model, c.field, value)
            if c.field == "number":
                taken = s.execute(select(model.id).where(model.project_id == c.project_id, model.number == int(chosen),
                                                         model.id != row.id)).first()
                if taken is not None:
                    raise ValidationError("conflict.value", "conflict.number_taken", number=chosen)
                chosen = int(chosen)
            setattr(row, c.field, names.from_json(model, {c.field: chosen})[c.field])
        c.status, c.resolution = "resolved", canonical(chosen)
        c.resolved_by, c.resolved_at = db.actor, utcnow()
        s.flush()
        return _info(s, names, c)


def _typed(model: Any, name: str, value: Any) -> Any:
    """A value typed on the command line, as the column holds it (checked by the ORM's types)."""
    col = model.__table__.columns.get(name)
    if col is not None and not col.nullable and (value is None or not str(value).strip()):
        raise ValidationError(f"conflict.{name}", "value.required_not_empty")
    if col is None or value is None:
        return value
    try:
        if isinstance(col.type, Date):
            return date.fromisoformat(str(value)).isoformat()
        if isinstance(col.type, DateTime):
            return datetime.fromisoformat(str(value)).isoformat()
        python = col.type.python_type
    except (NotImplementedError, ValueError):
        raise ValidationError(f"conflict.{name}", "conflict.bad_value", column=name, value=value) from None
    if python is bool:
        return str(value).lower() in ("1", "true", "yes", "是")
    try:
        return python(value)
    except (TypeError, ValueError):
        raise ValidationError(f"conflict.{name}", "conflict.bad_value", column=name, value=value) from None


def _find_conflict(s: Session, key: str | int) -> SyncConflict:
    """By its number (``conflict list``'s first column) or by its UUID or a unique start of it (a
    start of digits only, as 12345678, is tried as a UUID when no conflict has that number)."""
    text = str(key)
    if text.isdigit() and (by_id := s.get(SyncConflict, int(text))) is not None:
        return by_id
    rows = list(s.execute(select(SyncConflict).where(SyncConflict.uid.startswith(text))).scalars())
    if len(rows) != 1:
        raise NotFound("conflict", key)
    return rows[0]


def blobs_of(changes: Iterable[dict[str, Any]]) -> dict[str, str]:
    """The files the changes cite: photo and floor-plan originals, report PDFs -> their kind."""
    out: dict[str, str] = {}
    for c in changes:
        values = c.get("values") or {}
        if c.get("op") == "delete":
            continue
        if c.get("table") in ("photo", "floor_plan") and values.get("sha256"):
            out[values["sha256"]] = "photo"
        elif c.get("table") in ("issued_report", "report_draft") and values.get("pdf_sha256"):
            out[values["pdf_sha256"]] = "report"
    return out
