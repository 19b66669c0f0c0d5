"""Manifests: what an inspector's app delivers for a project, exactly once.

The idempotency key names the delivery. The same key with the same content (canonical
JSON, SHA-256) answers the receipt stored the first time; with other content it is a
conflict, never an overwrite. Items are idempotent too: an issued report revision, a
history event, a photo reference and an audit-chain head are each kept once, whatever
number of manifests carry them, and a report revision or audit head that contradicts
the stored one is refused.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .blob_store import BlobStore
from .canonical import canonical_sha256
from .database import Database
from .errors import ProtocolError
from .models import AuditCheckpoint, Finding, FindingEvent, Manifest, PhotoRef, Report, utcnow
from .projects import visible_project_id
from .schemas import MAX_DEPTH, FindingIn, ManifestIn, too_deep
from .uploads import present_blobs

KEY_PATTERN = re.compile(r"^[\x21-\x7e]{8,200}$")


def _replay(s: Session, agency_id: int, key: str, content_sha256: str) -> dict[str, Any] | None:
    stored = s.scalars(select(Manifest).where(Manifest.agency_id == agency_id,
                                              Manifest.idempotency_key == key)).first()
    if stored is None:
        return None
    if stored.content_sha256 != content_sha256:
        raise ProtocolError(409, "idempotency_conflict",
                            "this idempotency key was used for a different manifest; nothing was changed",
                            idempotency_key=key, stored_sha256=stored.content_sha256, sent_sha256=content_sha256)
    receipt: dict[str, Any] = json.loads(stored.receipt)
    return receipt


def parse(raw: bytes) -> tuple[dict[str, Any], ManifestIn]:
    try:
        document = json.loads(raw)
    except ValueError as exc:
        raise ProtocolError(400, "invalid_json", f"the body is not JSON: {exc}") from None
    except RecursionError:
        raise ProtocolError(400, "invalid_json", f"the body nests deeper than {MAX_DEPTH} levels") from None
    if not isinstance(document, dict):
        raise ProtocolError(400, "invalid_json", "the manifest is a JSON object")
    if too_deep(document):
        raise ProtocolError(400, "invalid_json", f"the body nests deeper than {MAX_DEPTH} levels")
    try:
        return document, ManifestIn.model_validate(document)
    except ValidationError as exc:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        raise ProtocolError(422, "invalid_manifest", "the manifest does not follow the schema",
                            errors=errors) from None


def accept_manifest(db: Database, store: BlobStore, agency_id: int, key: str,
                    raw: bytes) -> tuple[dict[str, Any], bool]:
    """Store a manifest once; return its receipt and whether it is a replay of an earlier one."""
    if not KEY_PATTERN.match(key):
        raise ProtocolError(400, "invalid_idempotency_key", "Idempotency-Key: 8 to 200 printable ASCII characters")
    document, manifest = parse(raw)
    content_sha256 = canonical_sha256(document)
    with db.read() as s:
        replay = _replay(s, agency_id, key, content_sha256)
        if replay is not None:
            return replay, True
        project_id = visible_project_id(s, agency_id, None, manifest.project.uid)
    _require_blobs(db, store, agency_id, manifest)
    try:
        with db.write() as s:
            replay = _replay(s, agency_id, key, content_sha256)
            if replay is not None:
                return replay, True
            return _store(s, agency_id, project_id, key, content_sha256, document, manifest), False
    except IntegrityError:  # a concurrent delivery under the same key committed first
        with db.read() as s:
            replay = _replay(s, agency_id, key, content_sha256)
        if replay is None:
            raise
        return replay, True


def _require_blobs(db: Database, store: BlobStore, agency_id: int, manifest: ManifestIn) -> None:
    cited = manifest.blob_sizes()
    present = present_blobs(db, store, agency_id, list(cited))
    missing = sorted(set(cited) - set(present))
    if missing:
        raise ProtocolError(422, "missing_blobs", f"{len(missing)} blob(s) not uploaded yet", missing=missing)
    wrong = sorted(sha for sha, size in cited.items() if present[sha] != size)
    if wrong:
        raise ProtocolError(422, "size_mismatch", "stated sizes differ from the stored blobs",
                            blobs=[{"sha256": sha, "stated": cited[sha], "stored": present[sha]} for sha in wrong])


def _store(s: Session, agency_id: int, project_id: int, key: str, content_sha256: str,
           document: dict[str, Any], manifest: ManifestIn) -> dict[str, Any]:
    row = Manifest(agency_id=agency_id, idempotency_key=key, content_sha256=content_sha256, project_id=project_id,
                   sender=manifest.sender, receipt="")
    s.add(row)
    s.flush()  # claims the key: a concurrent twin fails here
    head = manifest.audit_head
    receipt: dict[str, Any] = {
        "receipt_id": uuid.uuid4().hex, "idempotency_key": key, "manifest_sha256": content_sha256,
        "project_uid": manifest.project.uid, "received_at": utcnow().isoformat(timespec="seconds") + "Z",
        "report": _store_report(s, agency_id, project_id, row.id, manifest),
        "findings": [_store_finding(s, project_id, head.device_id, head.seq, raw, parsed)
                     for raw, parsed in zip(document.get("findings", []), manifest.findings, strict=True)],
        "photos": [_store_photo(s, project_id, raw, parsed.sha256, parsed.finding_number or 0, parsed.role)
                   for raw, parsed in zip(document.get("photos", []), manifest.photos, strict=True)],
        "audit_head": _store_audit_head(s, agency_id, project_id, manifest),
    }
    receipt["blobs"] = [{"sha256": sha, "size": size} for sha, size in sorted(manifest.blob_sizes().items())]
    row.receipt = json.dumps(receipt, ensure_ascii=False, sort_keys=True)
    return receipt


def _store_report(s: Session, agency_id: int, project_id: int, manifest_id: int,
                  manifest: ManifestIn) -> dict[str, Any] | None:
    report = manifest.report
    if report is None:
        return None
    item = {"number": report.number, "revision": report.revision, "pdf_sha256": report.pdf_sha256}
    stored = s.scalars(select(Report).where(Report.project_id == project_id, Report.number == report.number,
                                            Report.revision == report.revision)).first()
    if stored is not None:
        if stored.pdf_sha256 != report.pdf_sha256:
            raise ProtocolError(409, "report_conflict",
                                f"{report.number} revision {report.revision} is stored with another PDF",
                                stored_pdf_sha256=stored.pdf_sha256)
        return {**item, "status": "already_stored"}
    s.add(Report(project_id=project_id, agency_id=agency_id, manifest_id=manifest_id, kind=report.kind,
                 number=report.number, revision=report.revision, title=report.title,
                 pdf_sha256=report.pdf_sha256, pdf_bytes=report.pdf_bytes,
                 issued_at=report.issued_at.astimezone(UTC).replace(tzinfo=None), issued_by=report.issued_by,
                 replaces=report.replaces, gate_passed=report.gate_passed,
                 signoff=json.dumps([x.model_dump(mode="json") for x in report.signoff], ensure_ascii=False)
                 if report.signoff else None))
    return {**item, "status": "stored"}


def _store_finding(s: Session, project_id: int, device_id: str, seq: int, raw: dict[str, Any],
                   parsed: FindingIn) -> dict[str, Any]:
    state = {k: v for k, v in raw.items() if k != "history"}
    state_sha256 = canonical_sha256(state)
    finding = s.scalars(select(Finding).where(Finding.project_id == project_id,
                                              Finding.number == parsed.number)).first()
    if finding is None:
        finding = Finding(project_id=project_id, number=parsed.number, as_of_seq=seq, as_of_device=device_id)
        s.add(finding)
        status = "stored"
    elif finding.state_sha256 == state_sha256:
        status = "unchanged"
    elif finding.as_of_device == device_id and finding.as_of_seq > seq:
        status = "stale"  # an older state than the one kept: history is merged, state is not
    else:
        status = "updated"
    if status in ("stored", "updated"):
        finding.building, finding.description = parsed.building, parsed.description
        finding.grade_now, finding.is_serious, finding.status = parsed.grade_now, parsed.is_serious, parsed.status
        finding.deadline = parsed.deadline.isoformat() if parsed.deadline else None
        finding.state = json.dumps(state, ensure_ascii=False, sort_keys=True)
        finding.state_sha256, finding.as_of_seq, finding.as_of_device = state_sha256, seq, device_id
        finding.updated_at = utcnow()
    s.flush()
    events = [_store_event(s, finding.id, raw_event, parsed.history[i].kind)
              for i, raw_event in enumerate(raw.get("history", []))]
    return {"number": parsed.number, "state_sha256": state_sha256, "status": status, "events": events}


def _store_event(s: Session, finding_id: int, raw: dict[str, Any], kind: str) -> dict[str, str]:
    sha = canonical_sha256(raw)
    exists = s.scalars(select(FindingEvent.id).where(FindingEvent.finding_id == finding_id,
                                                     FindingEvent.sha256 == sha)).first()
    if exists is None:
        s.add(FindingEvent(finding_id=finding_id, sha256=sha, at=str(raw.get("at", ""))[:32], kind=kind,
                           data=json.dumps(raw, ensure_ascii=False, sort_keys=True)))
    return {"sha256": sha, "status": "already_stored" if exists else "stored"}


def _store_photo(s: Session, project_id: int, raw: dict[str, Any], sha256: str, finding_number: int,
                 role: str) -> dict[str, Any]:
    exists = s.scalars(select(PhotoRef.id).where(PhotoRef.project_id == project_id, PhotoRef.sha256 == sha256,
                                                 PhotoRef.finding_number == finding_number,
                                                 PhotoRef.role == role)).first()
    if exists is None:
        s.add(PhotoRef(project_id=project_id, sha256=sha256, finding_number=finding_number, role=role,
                       data=json.dumps(raw, ensure_ascii=False, sort_keys=True)))
    return {"sha256": sha256, "finding_number": finding_number or None, "role": role,
            "status": "already_stored" if exists else "stored"}


def _store_audit_head(s: Session, agency_id: int, project_id: int, manifest: ManifestIn) -> dict[str, Any]:
    head = manifest.audit_head
    item = {"device_id": head.device_id, "seq": head.seq, "hash": head.hash}
    stored = s.scalars(select(AuditCheckpoint).where(AuditCheckpoint.agency_id == agency_id,
                                                     AuditCheckpoint.device_id == head.device_id,
                                                     AuditCheckpoint.seq == head.seq)).first()
    if stored is not None:
        if stored.hash != head.hash:
            raise ProtocolError(409, "audit_chain_conflict",
                                f"audit entry {head.seq} of {head.device_id} was delivered with another hash",
                                stored_hash=stored.hash)
        return {**item, "status": "already_stored"}
    s.add(AuditCheckpoint(agency_id=agency_id, device_id=head.device_id, seq=head.seq, hash=head.hash,
                          project_id=project_id))
    return {**item, "status": "stored"}
