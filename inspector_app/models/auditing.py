"""Writes the audit log from the ORM's unit of work and checks it.

Every flush appends one entry per inserted, updated or deleted audited row, holding the
row's full state after the change. Each entry's hash covers its content and the previous
hash, so an edited or removed entry breaks the chain; the head row catches a cut tail;
comparing each live row with its last entry catches a row edited outside the app."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Float, event, insert, inspect, select, text, update
from sqlalchemy.orm import Session

from .audit import AuditEntry, AuditHead
from .base import Audited, Base, utcnow

GENESIS = "0" * 64


def row_state(obj: object) -> dict[str, Any]:
    """The audited columns of an ORM object as plain JSON values, as the database holds them."""
    mapper = inspect(obj).mapper
    return {attr.key: _plain(getattr(obj, attr.key), attr.columns[0].type) for attr in mapper.column_attrs}


def _plain(value: Any, kind: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(kind, Float) and isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # SQLite hands a REAL back as float: 27 and 27.0 are one value
    return value


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(seq: int, at: str, actor: str | None, table: str, row_id: int, action: str,
               data: str, prev_hash: str) -> str:
    payload = canonical({"seq": seq, "at": at, "actor": actor, "table": table, "row_id": row_id,
                         "action": action, "data": data, "prev": prev_hash})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _after_flush(session: Session, _context: object) -> None:
    changes: list[tuple[str, Audited]] = []
    changes += [("insert", o) for o in session.new if isinstance(o, Audited)]
    changes += [("update", o) for o in session.dirty
                if isinstance(o, Audited) and session.is_modified(o, include_collections=False)]
    changes += [("delete", o) for o in session.deleted if isinstance(o, Audited)]
    if not changes:
        return
    conn = session.connection()
    head = conn.execute(select(AuditHead.last_seq, AuditHead.last_hash).where(AuditHead.id == 1)).first()
    seq, prev = (head[0], head[1]) if head else (0, GENESIS)
    actor = session.info.get("actor")
    at = utcnow()
    rows = []
    for action, obj in sorted(changes, key=lambda c: (type(c[1]).__name__, c[1].id or 0)):
        seq += 1
        data = canonical(row_state(obj))
        table = obj.__table__.name  # type: ignore[attr-defined]
        digest = entry_hash(seq, at.isoformat(), actor, table, obj.id, action, data, prev)
        rows.append({"seq": seq, "at": at, "actor": actor, "table_name": table,
                     "row_id": obj.id, "action": action, "data": data,
                     "prev_hash": prev, "hash": digest})
        prev = digest
    conn.execute(insert(AuditEntry), rows)
    if head:
        conn.execute(update(AuditHead).where(AuditHead.id == 1),
                     {"last_seq": seq, "last_hash": prev})
    else:
        conn.execute(insert(AuditHead), {"id": 1, "last_seq": seq, "last_hash": prev})


def install(session_class: type[Session] | Any) -> None:
    event.listen(session_class, "after_flush", _after_flush)


def verify_chain(session: Session) -> list[str]:
    """Problems with the audit log itself: a broken link, an edited or missing entry."""
    problems: list[str] = []
    expected_seq, prev = 1, GENESIS
    result = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
    for e in result:
        if e.seq != expected_seq:
            problems.append(f"审计日志缺少第 {expected_seq}..{e.seq - 1} 条（被删除）")
        if e.prev_hash != prev:
            problems.append(f"审计日志第 {e.seq} 条与上一条的链接不符")
        digest = entry_hash(e.seq, e.at.isoformat(), e.actor, e.table_name, e.row_id, e.action, e.data, e.prev_hash)
        if digest != e.hash:
            problems.append(f"审计日志第 {e.seq} 条内容被改动（哈希不符）")
        expected_seq, prev = e.seq + 1, e.hash
    head = session.get(AuditHead, 1)
    last = expected_seq - 1
    if head is None:
        if last:
            problems.append("审计日志头记录缺失")
    elif head.last_seq != last or head.last_hash != prev:
        problems.append(f"审计日志末尾被截断或改动（头记录指向第 {head.last_seq} 条，实际最后为第 {last} 条）")
    return problems


def verify_rows(session: Session) -> list[str]:
    """Live rows that differ from their last audit entry: edited or removed outside the app."""
    problems: list[str] = []
    latest: dict[tuple[str, int], tuple[str, str]] = {}
    for table, row_id, action, data in session.execute(
        text("SELECT table_name, row_id, action, data FROM audit_log ORDER BY seq")
    ):
        latest[(table, row_id)] = (action, data)
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if not issubclass(cls, Audited):
            continue
        table = cls.__table__.name  # type: ignore[attr-defined]
        seen: set[int] = set()
        for obj in session.execute(select(cls)).scalars():
            seen.add(obj.id)
            last = latest.get((table, obj.id))
            if last is None:
                problems.append(f"{table} #{obj.id} 不在审计日志中（绕过软件写入）")
            elif last[0] == "delete":
                problems.append(f"{table} #{obj.id} 已记录为删除，却仍然存在")
            elif last[1] != canonical(row_state(obj)):
                problems.append(f"{table} #{obj.id} 的内容与审计日志不符（在软件之外被修改）")
        for (t, row_id), (action, _data) in latest.items():
            if t == table and action != "delete" and row_id not in seen:
                problems.append(f"{table} #{row_id} 在审计日志中存在，但记录已被删除")
    return problems
