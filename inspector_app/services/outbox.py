"""The outbox: what the app sends to the insurer's platform, frozen, and what came of it.

A manifest (docs/sync-protocol.yaml) carries a project's findings with their history, its
photo hashes, the audit-chain head and, when a report was issued, that report's revision and
PDF hash. It is written once into ``sync_outbox`` with its idempotency key, as canonical JSON,
and sent as is on every attempt. The blobs it names (photo originals, the report PDF) are
listed beside it with their sizes. The sync client (``sync/``) reads the due items and
records each outcome through the functions at the end; it never touches the models.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import messages
from ..errors import ValidationError
from ..models import (
    AuditEntry,
    AuditHead,
    Finding,
    FindingEvent,
    IssuedReport,
    OutboxItem,
    Photo,
    Project,
    RectificationReply,
    Verification,
)
from ..models.base import utcnow
from ..models.db import Database
from .finding_rows import manifest_entry
from .findings import project_rows
from .projects import resolve_project


def canonical(value: Any) -> str:
    """Keys sorted, no spaces, UTF-8: the same bytes the platform hashes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def device_id(s: Session) -> str:
    """Names this laptop's database: derived from the first entry of its audit chain."""
    first = s.execute(select(AuditEntry.hash).where(AuditEntry.seq == 1)).scalar()
    return f"db-{(first or '0' * 64)[:16]}"


def audit_head(s: Session) -> dict[str, Any]:
    head = s.execute(select(AuditHead)).scalars().first()
    seq, last = (head.last_seq, head.last_hash) if head else (0, "0" * 64)
    return {"device_id": device_id(s), "seq": seq, "hash": last}


def _iso(value: Any) -> Any:
    """A day as is; a system time (naive UTC in the database) in RFC 3339 with its offset."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat()
    return value.isoformat() if hasattr(value, "isoformat") else value


def _local(value: datetime | None, offset: str | None) -> str | None:
    """A photo's time taken: the camera's wall time, with the camera's offset when it recorded one."""
    if value is None:
        return None
    return value.isoformat() + (offset or "") if offset and offset[0] in "+-" else value.isoformat()


def _findings(s: Session, project: Project) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every finding (the shared projection) with its history, and every photo, in a fixed number
    of queries (a state manifest is made on every sync after a change, for thousands of findings)."""
    rows = project_rows(s, project.id, date.today())
    events: dict[int, list[dict[str, Any]]] = {f.id: [] for f in rows}
    for e in s.execute(select(FindingEvent).join(Finding).where(Finding.project_id == project.id)
                       .order_by(FindingEvent.id)).scalars():
        events[e.finding_id].append({"at": _iso(e.at), "kind": e.kind, "from_value": e.from_value,
                                     "to_value": e.to_value, "actor": e.actor, "reason": e.reason})
    for r in s.execute(select(RectificationReply).join(Finding).where(Finding.project_id == project.id)
                       .order_by(RectificationReply.id)).scalars():
        events[r.finding_id].append({"at": _iso(r.recorded_at), "kind": "reply", "from_value": None,
                                     "to_value": _iso(r.replied_on), "actor": r.recorded_by, "reason": r.text})
    checks: dict[int, list[dict[str, Any]]] = {f.id: [] for f in rows}
    for v in s.execute(select(Verification).join(Finding).where(Finding.project_id == project.id)
                       .order_by(Verification.id)).scalars():
        checks[v.finding_id].append({"at": _iso(v.recorded_at), "kind": "verification", "from_value": None,
                                     "to_value": v.result, "actor": None, "reason": v.notes,
                                     "verified_on": _iso(v.verified_on)})
    out = [{**manifest_entry(f), "history": events[f.id] + checks[f.id]} for f in rows]
    numbers = {f.id: f.number for f in rows}
    photos = [{"sha256": p.sha256, "byte_size": p.byte_size, "role": p.role,
               "finding_number": numbers.get(p.finding_id) if p.finding_id else None, "taken_at": _local(p.taken_at, p.taken_at_offset)}
              for p in s.execute(select(Photo).where(Photo.project_id == project.id).order_by(Photo.id)).scalars()]
    return out, photos


def _report(r: IssuedReport, replaces: str | None) -> dict[str, Any]:
    snapshot = json.loads(r.snapshot)
    gate = snapshot.get("gate") if r.kind == "final" else None
    signoff = [{"step": x["step"], "name": x["name"], "role": x.get("role") or "",
                "certificate_no": x.get("certificate_no"), "on": x.get("on")} for x in snapshot.get("signoff") or []]
    report = {"kind": r.kind, "number": r.number, "revision": r.revision, "title": r.title,
              "pdf_sha256": r.pdf_sha256, "pdf_bytes": r.pdf_bytes, "pages": r.pages, "issued_at": _iso(r.issued_at),
              "issued_by": r.issued_by, "replaces": replaces, "reason": r.reason,
              "snapshot_sha256": r.snapshot_sha256, "gate_passed": gate.get("passed") if gate else None}
    return {**report, "signoff": signoff} if signoff else report


@dataclass(frozen=True)
class Built:
    manifest: dict[str, Any]
    blobs: list[dict[str, Any]]  # {sha256, size, kind: photo | report}


def build_manifest(s: Session, project: Project, report: IssuedReport | None = None) -> Built:
    findings, photos = _findings(s, project)
    head = audit_head(s)
    manifest: dict[str, Any] = {
        "format": "idi-sync-manifest", "version": 1, "project": {"uid": project.uid, "code": project.code},
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"), "sender": None,
        "findings": findings, "photos": photos,
        "audit_head": head, "report": None}
    blobs = {p["sha256"]: {"sha256": p["sha256"], "size": p["byte_size"], "kind": "photo"} for p in photos}
    if report is not None:
        replaced = s.get(IssuedReport, report.replaces_id) if report.replaces_id else None
        manifest["report"] = _report(report, f"{replaced.number} 第{replaced.revision}版" if replaced else None)
        blobs[report.pdf_sha256] = {"sha256": report.pdf_sha256, "size": report.pdf_bytes, "kind": "report"}
    return Built(manifest, sorted(blobs.values(), key=lambda b: (b["kind"] != "report", b["sha256"])))


def enqueue(s: Session, project: Project, kind: str, label: str, key: str, built: Built, sender: str | None) -> None:
    built.manifest["sender"] = sender
    text = canonical(built.manifest)
    s.add(OutboxItem(project_id=project.id, kind=kind, label=label, idempotency_key=key, manifest=text,
                     manifest_sha256=sha256_text(text), blobs=json.dumps(built.blobs),
                     audit_seq=built.manifest["audit_head"]["seq"]))


def enqueue_report(s: Session, report: IssuedReport, sender: str | None) -> None:
    """Called in the transaction that issues the report: the report and its outbox row commit together."""
    project = s.get(Project, report.project_id)
    assert project is not None
    if project.is_demo:  # the demo's reports stay on this laptop: nothing of it is ever sent
        return
    s.flush()
    built = build_manifest(s, project, report)
    key = f"{device_id(s)}:{project.uid}:report:{report.number}:r{report.revision}"
    label = messages.text("outbox.report", {"report_kind": report.kind, "number": report.number,
                                            "revision": report.revision})
    enqueue(s, project, "report", label, key, built, sender)


# The sync client's side: what is due, and what came of each attempt.

@dataclass(frozen=True)
class Due:
    """An outbox row to send, read out of its session."""

    id: int
    label: str
    idempotency_key: str
    manifest: str
    manifest_sha256: str
    blobs: str
    attempts: int


@dataclass(frozen=True)
class OutboxInfo:
    id: int
    project_id: int
    kind: str
    label: str
    idempotency_key: str
    status: str
    attempts: int
    last_error: str | None
    created_at: Any
    delivered_at: Any
    blobs: int


def check_syncable(db: Database, project: str | int) -> None:
    """Refuse a sync of the demo by name (it is never sent, whatever was queued before it was marked)."""
    with db.read() as s:
        p = resolve_project(s, project)
        if p.is_demo:
            raise ValidationError("project", "sync.demo_project", code=p.code)


def due_items(db: Database, project: str | int | None = None) -> list[Due]:
    """Pending items whose back-off has run out, oldest first; never the demo's."""
    with db.read() as s:
        q = (select(OutboxItem).join(Project, Project.id == OutboxItem.project_id)
             .where(OutboxItem.status == "pending", OutboxItem.kind != TEAM, Project.is_demo.is_(False))
             .order_by(OutboxItem.id))
        if project is not None:
            q = q.where(OutboxItem.project_id == resolve_project(s, project).id)
        now = utcnow()
        return [Due(i.id, i.label, i.idempotency_key, i.manifest, i.manifest_sha256, i.blobs, i.attempts)
                for i in s.execute(q).scalars() if i.next_attempt_at is None or i.next_attempt_at <= now]


def mark_delivered(db: Database, item: Due, server: str, receipt: dict[str, Any]) -> None:
    """The platform's receipt matched the local hashes: the item is delivered, for good."""
    with db.write() as s:
        row = s.get(OutboxItem, item.id)
        assert row is not None
        row.status, row.delivered_at, row.server = "delivered", utcnow(), server
        row.receipt = json.dumps(receipt, ensure_ascii=False)
        row.last_error, row.attempts = None, item.attempts + 1


def mark_failed(db: Database, item: Due, error: str, backoff: list[timedelta]) -> None:
    """One more failed attempt: the reason kept, the next attempt put off by the back-off step."""
    attempts = item.attempts + 1
    with db.write() as s:
        row = s.get(OutboxItem, item.id)
        assert row is not None
        row.attempts, row.last_error = attempts, error
        row.next_attempt_at = utcnow() + backoff[min(attempts - 1, len(backoff) - 1)]


def mark_refused(db: Database, item: Due, error: str) -> None:
    """The platform refused this item for a reason sending it again will not change (a 4xx): it
    leaves the queue (status ``failed``) with the reason, until a person sends it again."""
    with db.write() as s:
        row = s.get(OutboxItem, item.id)
        assert row is not None
        row.status, row.attempts, row.last_error, row.next_attempt_at = "failed", item.attempts + 1, error, None


def requeue_refused(db: Database, project: str | int | None = None) -> int:
    """Put the refused items (of one project, or all) back in the queue; returns how many."""
    with db.write() as s:
        q = select(OutboxItem).where(OutboxItem.status == "failed")
        if project is not None:
            q = q.where(OutboxItem.project_id == resolve_project(s, project).id)
        rows = list(s.execute(q).scalars())
        for row in rows:
            row.status, row.next_attempt_at = "pending", None
        return len(rows)


# Team sync (v2) sends changes, not frozen manifests; when the platform refuses a project's changes
# for good, the refusal is kept here as an outbox row of kind "team" (what was refused, the platform's
# answer, when), shown with the others. While it is ``failed`` the project's changes are not sent;
# ``requeue_refused`` makes it ``pending`` and the next team sync sends them again: delivered when
# the platform takes them, ``failed`` again if it refuses them again.
TEAM = "team"


def team_refusal(db: Database, project_id: int) -> str | None:
    """The reason the platform refused the project's changes for good, while no person asked to send
    them again; None when they may be sent."""
    with db.read() as s:
        return s.execute(select(OutboxItem.last_error).where(
            OutboxItem.project_id == project_id, OutboxItem.kind == TEAM, OutboxItem.status == "failed")
            .order_by(OutboxItem.id.desc())).scalars().first() or None


def mark_team_refused(db: Database, project_id: int, refused: dict[str, Any], error: str) -> None:
    """Keep the platform's refusal of a page of the project's changes: ``refused`` names them (device,
    audit entries, change ids) and holds the platform's status, error and detail."""
    with db.write() as s:
        project = s.get(Project, project_id)
        assert project is not None
        row = s.execute(select(OutboxItem).where(OutboxItem.project_id == project_id, OutboxItem.kind == TEAM,
                                                 OutboxItem.status.in_(("pending", "failed")))).scalars().first()
        body = {"format": "idi-team-refusal", "project": {"uid": project.uid, "code": project.code}, **refused,
                "refused_at": datetime.now(UTC).isoformat(timespec="seconds")}
        text = canonical(body)
        label = messages.text("sync.team_label", {"code": project.code, "count": len(refused["changes"]),
                                                  "first": refused["first_seq"], "last": refused["last_seq"]})
        if row is None:
            row = OutboxItem(project_id=project_id, kind=TEAM, attempts=0, idempotency_key=f"team:{project.uid}:"
                             f"{refused['first_seq']}-{refused['last_seq']}:{sha256_text(text)[:12]}")
            s.add(row)
        row.label, row.manifest, row.manifest_sha256, row.blobs = label, text, sha256_text(text), "[]"
        row.audit_seq, row.status, row.last_error = int(refused["last_seq"]), "failed", error
        row.attempts, row.next_attempt_at = (row.attempts or 0) + 1, None


def mark_team_delivered(db: Database, project_id: int, server: str) -> None:
    """The platform took the project's changes after a person sent them again: its refusal is settled."""
    with db.write() as s:
        for row in s.execute(select(OutboxItem).where(OutboxItem.project_id == project_id, OutboxItem.kind == TEAM,
                                                      OutboxItem.status == "pending")).scalars():
            row.status, row.delivered_at, row.server = "delivered", utcnow(), server
            row.last_error, row.attempts = None, row.attempts + 1


def outbox_items(db: Database) -> list[OutboxInfo]:
    """Every outbox item, newest first (the sync tab)."""
    with db.read() as s:
        return [OutboxInfo(i.id, i.project_id, i.kind, i.label, i.idempotency_key, i.status, i.attempts,
                           i.last_error, i.created_at, i.delivered_at, len(json.loads(i.blobs)))
                for i in s.execute(select(OutboxItem).order_by(OutboxItem.id.desc())).scalars()]


def project_uids(db: Database) -> set[str]:
    """The projects already on this laptop (a download skips them)."""
    with db.read() as s:
        return set(s.execute(select(Project.uid)).scalars())
