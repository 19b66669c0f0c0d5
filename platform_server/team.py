"""Protocol v2: a project's change feed, the team's merged record, and reserved numbers.

Laptops send their changes (``accept_changes``): each is kept once under its id (SHA-256 of its
RFC 8785 canonical JSON, checked here), in arrival order; ``seq`` is the feed's cursor. The
same change sent again is answered ``already``; a device that sends another audit entry under a
sequence number it already used was restored from a backup and is told so (409
``device_restored``: it takes a new device name and sends again; nothing was stored).

Every change is also merged into ``sync_row``, the platform's view of the team's record, by the
laptops' rule: a field moves only when it still holds the value the sender changed from (or a
conflict on it was decided); otherwise the value stays and the laptops list the conflict, which
arrives here as a ``sync_conflict`` row. Writes to one project are serialised by a lock on its row.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import rfc8785
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .database import Database
from .errors import ProtocolError
from .models import (
    NumberBlockGrant,
    NumberCounter,
    PlatformProject,
    SyncChange,
    SyncDevice,
    SyncRow,
    utcnow,
)
from .projects import visible_project_id
from .schemas import ChangeIn, ChangesIn, NumbersIn

LATER_WINS = {"finding": {"status", "closed_on", "grade_now", "is_serious"},
              "plan_node": {"status", "reached_date", "notified_on", "waived_reason"}}
DRAFT_ORDER = {"submitted": 0, "reviewed": 1, "approved": 2, "rejected": 3, "issued": 3}
BOOKKEEPING = {"created_at", "recorded_at", "imported_at", "granted_at"}
FEED_PAGE = 500
NAMESPACE = uuid.UUID("6f1d7c2e-8a9b-4c3d-9e0f-2a4b6c8d0e1f")  # the laptops' (docs/sync-protocol.yaml)


def natural_uid(*parts: object) -> str:
    """How the laptops name a setup row (a building by its project and name, ...)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def change_id(raw: dict[str, Any]) -> str:
    try:
        return hashlib.sha256(rfc8785.dumps({k: v for k, v in raw.items() if k != "id"})).hexdigest()
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise ProtocolError(422, "invalid_change", f"a change cannot be canonicalised (RFC 8785): {exc}") from None


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def _lock(s: Session, project_id: int) -> None:
    """One writer per project at a time (PostgreSQL: a row lock; SQLite: BEGIN IMMEDIATE already)."""
    s.execute(select(PlatformProject.id).where(PlatformProject.id == project_id).with_for_update())


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def accept_changes(db: Database, agency_id: int | None, sees_all: bool, project_uid: str, body: ChangesIn,
                   raw: list[dict[str, Any]]) -> dict[str, Any]:
    for parsed, document in zip(body.changes, raw, strict=True):
        if parsed.device != body.device:
            raise ProtocolError(422, "invalid_change", "every change of a request comes from its device",
                                change=parsed.id)
        if change_id(document) != parsed.id:
            raise ProtocolError(422, "change_id_mismatch", "a change's id is not the SHA-256 of its canonical JSON",
                                change=parsed.id)
    with db.write() as s:
        project_id = visible_project_id(s, agency_id, sees_all, project_uid)
        _lock(s, project_id)
        stored = already = 0
        known = set(s.scalars(select(SyncChange.change_id).where(
            SyncChange.project_id == project_id, SyncChange.change_id.in_([c.id for c in body.changes]))))
        for parsed, document in zip(body.changes, raw, strict=True):
            if parsed.id in known:
                already += 1
                continue
            clash = s.scalars(select(SyncChange.change_id).where(
                SyncChange.project_id == project_id, SyncChange.device == parsed.device,
                SyncChange.device_seq == parsed.seq)).first()
            if clash is not None:
                raise ProtocolError(409, "device_restored",
                                    f"{parsed.device} already sent audit entry {parsed.seq} with other content: "
                                    "this data folder was restored or copied; take a new device name and send again",
                                    device=parsed.device, seq=parsed.seq)
            change = SyncChange(project_id=project_id, change_id=parsed.id, device=parsed.device,
                                device_seq=parsed.seq, audit_hash=parsed.audit_hash, table_name=parsed.table,
                                row_uid=parsed.uid, op=parsed.op, at=_utc(parsed.at), body=_canonical(document))
            s.add(change)
            s.flush()
            _merge(s, project_id, parsed, change.seq)
            known.add(parsed.id)
            stored += 1
        if body.changes:
            _seen(s, project_id, agency_id, body)
        cursor = s.scalar(select(func.max(SyncChange.seq)).where(SyncChange.project_id == project_id)) or 0
    return {"stored": stored, "already": already, "cursor": cursor}


def _seen(s: Session, project_id: int, agency_id: int | None, body: ChangesIn) -> None:
    newest = max(body.changes, key=lambda c: c.seq)
    device = s.get(SyncDevice, (project_id, body.device))
    if device is None:
        device = SyncDevice(project_id=project_id, device=body.device, agency_id=agency_id or 0, last_seq=0)
        s.add(device)
    if newest.seq >= (device.last_seq or 0):
        device.last_seq, device.last_hash = newest.seq, newest.audit_hash
    device.last_seen = utcnow()


def _merge(s: Session, project_id: int, change: ChangeIn, seq: int) -> None:
    row = s.scalars(select(SyncRow).where(SyncRow.project_id == project_id, SyncRow.table_name == change.table,
                                          SyncRow.row_uid == change.uid)).first()
    at = _utc(change.at)
    if change.table in ("finding", "visit") and change.op != "delete":
        number = change.values.get("number")
        if isinstance(number, int) and not isinstance(number, bool) and 0 < number < 2**31:
            _raise_counter(s, project_id, change.table, number + 1)
    elif change.table in ("issued_report", "report_draft") and change.op == "insert":
        kind, tail = change.values.get("kind"), str(change.values.get("number") or "").rsplit("-", 1)[-1]
        if kind in ("notice", "process", "final") and tail.isdigit() and 0 < int(tail) < 2**31:
            _raise_counter(s, project_id, str(kind), int(tail) + 1)
    if change.op == "delete":
        if row is not None:
            row.deleted, row.changed_at, row.updated_seq = True, at, seq
        return
    if row is None:
        s.add(SyncRow(project_id=project_id, table_name=change.table, row_uid=change.uid,
                      data=_canonical(change.values), changed_at=at, updated_seq=seq))
        return
    current: dict[str, Any] = json.loads(row.data)
    before = change.before
    for name, new in change.values.items():
        cur = current.get(name)
        if cur == new:
            continue
        if change.table == "sync_conflict":
            if change.values.get("status") == "resolved":
                current[name] = new
            continue
        if before is None:  # its insert, again: the row's later changes come as updates
            continue
        if name not in before:
            continue
        old = before[name]
        if change.table == "report_draft" and name == "status":
            if DRAFT_ORDER.get(str(new), 0) >= DRAFT_ORDER.get(str(cur), 0):
                current[name] = new
        elif cur == old or name in BOOKKEEPING or _decided(s, project_id, change, name, old, cur):
            current[name] = new
        elif name in LATER_WINS.get(change.table, ()) and (at, _canonical(new)) > (row.changed_at, _canonical(cur)):
            current[name] = new
    row.data, row.updated_seq = _canonical(current), seq
    row.changed_at = max(row.changed_at, at)


def _decided(s: Session, project_id: int, change: ChangeIn, name: str, old: Any, cur: Any) -> bool:
    """A conflict on this field whose two sides are the sender's old value and ours."""
    wanted = {_canonical(old), _canonical(cur)}
    for data in s.scalars(select(SyncRow.data).where(SyncRow.project_id == project_id,
                                                     SyncRow.table_name == "sync_conflict")):
        c = json.loads(data)
        if (c.get("table_name"), c.get("row_uid"), c.get("field")) == (change.table, change.uid, name):
            sides = {c.get("value_a"), c.get("value_b"), c.get("resolution")}
            if wanted <= sides:
                return True
    return False


def _raise_counter(s: Session, project_id: int, kind: str, at_least: int) -> NumberCounter:
    counter = s.get(NumberCounter, (project_id, kind))
    if counter is None:
        counter = NumberCounter(project_id=project_id, kind=kind, next_free=at_least)
        s.add(counter)
    elif counter.next_free < at_least:
        counter.next_free = at_least
    return counter


def feed(db: Database, agency_id: int | None, sees_all: bool, project_uid: str, after: int, limit: int,
         exclude_device: str | None) -> dict[str, Any]:
    """The project's changes after the cursor, oldest first, leaving out the caller's own device."""
    limit = max(1, min(limit, FEED_PAGE))
    with db.read() as s:
        project_id = visible_project_id(s, agency_id, sees_all, project_uid)
        q = select(SyncChange.seq, SyncChange.body).where(SyncChange.project_id == project_id, SyncChange.seq > after)
        if exclude_device:
            q = q.where(SyncChange.device != exclude_device)
        rows = list(s.execute(q.order_by(SyncChange.seq).limit(limit)))
        more = len(rows) == limit
        if more:
            next_cursor = rows[-1][0]
        else:  # everything up to the newest change was read (the caller's own included)
            next_cursor = max(after, s.scalar(select(func.max(SyncChange.seq)).where(
                SyncChange.project_id == project_id)) or 0)
    return {"changes": [{"seq": seq, "change": json.loads(body)} for seq, body in rows],
            "next": next_cursor, "more": more}


def reserve_numbers(db: Database, agency_id: int | None, sees_all: bool, project_uid: str,
                    body: NumbersIn) -> dict[str, Any]:
    """A block of finding or visit numbers for one device, never handed out twice."""
    with db.write() as s:
        project_id = visible_project_id(s, agency_id, sees_all, project_uid)
        _lock(s, project_id)
        counter = _raise_counter(s, project_id, body.kind, body.above + 1)
        start = counter.next_free
        end = start + body.count - 1
        if end >= 2**31:
            raise ProtocolError(422, "numbers_exhausted", "no more numbers on this project")
        counter.next_free = end + 1
        s.add(NumberBlockGrant(project_id=project_id, kind=body.kind, device=body.device, start=start, end=end))
    return {"kind": body.kind, "start": start, "end": end}


def team_rows(s: Session, project_id: int, table: str) -> list[dict[str, Any]]:
    """The merged rows of one table of a project (not deleted), with their UUIDs."""
    return [{"uid": uid, **json.loads(data)} for uid, data in s.execute(
        select(SyncRow.row_uid, SyncRow.data).where(SyncRow.project_id == project_id, SyncRow.table_name == table,
                                                    SyncRow.deleted.is_(False)).order_by(SyncRow.id))]
