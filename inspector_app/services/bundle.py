"""Project bundles: a zip of the project's rows and photo originals with a manifest of hashes.

Import checks every hash and reference before touching the database, writes the originals
(content-addressed, atomic), then inserts all rows in one transaction: all or nothing. A
bundle whose project (by uid) is already here changes nothing: import is idempotent."""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, select
from sqlalchemy.orm import Session

from ..errors import BundleError
from ..models import (
    Agency,
    Base,
    Building,
    ChecklistResult,
    DocumentReview,
    Finding,
    FindingEvent,
    FloorPlan,
    Inspector,
    IssuedReport,
    Party,
    Photo,
    PlanNode,
    Policy,
    PolicyCoverage,
    PolicyInsurer,
    Project,
    ProjectParty,
    RectificationReply,
    ReportApproval,
    ReportDraft,
    SyncConflict,
    SyncIdentity,
    Verification,
    Visit,
    VisitAttendee,
    VisitInspector,
    VisitNode,
    VisitProgress,
)
from ..models.auditing import row_state
from ..models.db import Database
from ..models.sync import SYNCED_TABLES
from ..photos import PhotoStore
from ..photos.store import write_atomic
from ..schema import SCHEMA_HEAD
from .projects import resolve_project

FORMAT = "idi-inspector-bundle"
VERSION = 1
# Insert order: every table after the ones it refers to.
ORDER: list[type[Base]] = [Agency, Inspector, Party, Project, Policy, PolicyInsurer, PolicyCoverage, ProjectParty,
                           Building, PlanNode, Visit, VisitNode, VisitInspector, VisitAttendee, VisitProgress, FloorPlan,
                           Finding, FindingEvent, RectificationReply, Verification, Photo, ChecklistResult,
                           DocumentReview, IssuedReport, ReportDraft, ReportApproval, SyncConflict]
SHARED = {Agency: ("credit_code", "name"), Party: ("credit_code", "name"), Inspector: ("agency_id", "name")}


def _rows(s: Session, project: Project) -> dict[str, list[dict[str, Any]]]:
    pid = project.id
    visit_ids = select(Visit.id).where(Visit.project_id == pid)
    finding_ids = select(Finding.id).where(Finding.project_id == pid)
    party_ids = {pp.party_id for pp in project.parties}
    queries: dict[type[Base], Any] = {
        Project: select(Project).where(Project.id == pid),
        Policy: select(Policy).where(Policy.project_id == pid),
        PolicyInsurer: select(PolicyInsurer).where(PolicyInsurer.policy_id == project.policy.id),
        PolicyCoverage: select(PolicyCoverage).where(PolicyCoverage.policy_id == project.policy.id),
        ProjectParty: select(ProjectParty).where(ProjectParty.project_id == pid),
        Building: select(Building).where(Building.project_id == pid),
        PlanNode: select(PlanNode).where(PlanNode.project_id == pid),
        Visit: select(Visit).where(Visit.project_id == pid),
        VisitNode: select(VisitNode).where(VisitNode.visit_id.in_(visit_ids)),
        VisitInspector: select(VisitInspector).where(VisitInspector.visit_id.in_(visit_ids)),
        VisitAttendee: select(VisitAttendee).where(VisitAttendee.visit_id.in_(visit_ids)),
        VisitProgress: select(VisitProgress).where(VisitProgress.visit_id.in_(visit_ids)),
        Finding: select(Finding).where(Finding.project_id == pid),
        FindingEvent: select(FindingEvent).where(FindingEvent.finding_id.in_(finding_ids)),
        RectificationReply: select(RectificationReply).where(RectificationReply.finding_id.in_(finding_ids)),
        Verification: select(Verification).where(Verification.finding_id.in_(finding_ids)),
        Photo: select(Photo).where(Photo.project_id == pid),
        ChecklistResult: select(ChecklistResult).where(ChecklistResult.visit_id.in_(visit_ids)),
        DocumentReview: select(DocumentReview).where(DocumentReview.visit_id.in_(visit_ids)),
        FloorPlan: select(FloorPlan).where(FloorPlan.project_id == pid),
        IssuedReport: select(IssuedReport).where(IssuedReport.project_id == pid).order_by(IssuedReport.id),
        ReportDraft: select(ReportDraft).where(ReportDraft.project_id == pid).order_by(ReportDraft.id),
        ReportApproval: select(ReportApproval).where(ReportApproval.draft_id.in_(
            select(ReportDraft.id).where(ReportDraft.project_id == pid))).order_by(ReportApproval.id),
        SyncConflict: select(SyncConflict).where(SyncConflict.project_id == pid).order_by(SyncConflict.id),
        Agency: select(Agency).where(Agency.id == project.agency_id),
        Inspector: select(Inspector).where(Inspector.agency_id == project.agency_id),
    }
    out = {cls.__tablename__: [row_state(o) for o in s.execute(queries[cls]).scalars()] for cls in queries}
    attendee_parties = {r["party_id"] for r in out["visit_attendee"] if r["party_id"]}
    finding_parties = {r["responsible_party_id"] for r in out["finding"] if r["responsible_party_id"]}
    wanted = party_ids | attendee_parties | finding_parties
    out["party"] = [row_state(p) for p in s.execute(select(Party).where(Party.id.in_(wanted))).scalars()]
    # each recorded row's identity across laptops travels with it (team sync merges by it)
    kept = {(table, r["id"]) for table in SYNCED_TABLES if table in out for r in out[table]}
    out["sync_identity"] = [{"table_name": t, "row_id": i, "uid": u} for t, i, u in s.execute(
        select(SyncIdentity.table_name, SyncIdentity.row_id, SyncIdentity.uid)) if (t, i) in kept]
    return out


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def export_project(db: Database, store: PhotoStore, project_key: str | int, out: Path) -> dict[str, Any]:
    """Write the bundle atomically (temporary file, then rename). Issued reports' PDFs are read
    from ``reports/`` beside the photo store (the data folder)."""
    reports_root = store.originals_root.parent / "reports"
    with db.read() as s:
        project = resolve_project(s, project_key)
        rows = _rows(s, project)
        uid, code = project.uid, project.code
    data = json.dumps(rows, ensure_ascii=False, sort_keys=True).encode("utf-8")
    files: dict[str, str] = {"data.json": _sha(data)}
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=out.parent, prefix=f".{out.name}.", delete=False) as tmp:
        tmp_path = Path(tmp.name)
    try:
        with zipfile.ZipFile(tmp_path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("data.json", data)
            images = {(r["sha256"], r["extension"]) for r in rows["photo"]}
            images |= {(r["sha256"], "png") for r in rows["floor_plan"]}
            for photo in images:
                original = store.original_path(photo[0])
                if original is None:
                    raise BundleError("bundle.photo_missing", sha256=photo[0])
                name = f"photos/{photo[0]}{original.suffix}"
                z.write(original, name, compress_type=zipfile.ZIP_STORED)
                files[name] = photo[0]
            for r in [*rows["issued_report"], *rows["report_draft"]]:  # drafts keep their watermarked PDF
                if f"reports/{r['pdf_sha256']}.pdf" in files:
                    continue
                pdf = reports_root / r["pdf_sha256"][:2] / f"{r['pdf_sha256']}.pdf"
                if not pdf.exists():
                    raise BundleError("bundle.report_pdf_missing", number=r["number"], revision=r["revision"],
                                      sha256=r["pdf_sha256"])
                name = f"reports/{r['pdf_sha256']}.pdf"
                z.write(pdf, name, compress_type=zipfile.ZIP_STORED)
                files[name] = r["pdf_sha256"]
            manifest = {"format": FORMAT, "version": VERSION, "schema": SCHEMA_HEAD, "project_uid": uid,
                        "project_code": code, "exported_at": datetime.now().isoformat(timespec="seconds"),
                        "files": files}
            z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        tmp_path.replace(out)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return {"path": str(out), "photos": sum(n.startswith("photos/") for n in files), "rows": sum(len(v) for v in rows.values()),
            "project_uid": uid, "sha256": _sha(out.read_bytes())}


def _read_checked(path: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]], zipfile.ZipFile]:
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BundleError("bundle.not_a_bundle", path=path, detail=str(exc)) from None
    try:
        manifest = json.loads(z.read("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise BundleError("bundle.bad_manifest", path=path, detail=str(exc)) from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BundleError("bundle.wrong_format", path=path, format=manifest.get("format"), version=manifest.get("version"))
    if manifest.get("schema") != SCHEMA_HEAD:
        raise BundleError("bundle.schema_mismatch", schema=manifest.get("schema"), expected=SCHEMA_HEAD)
    names = set(z.namelist())
    for name, digest in manifest["files"].items():
        if name not in names:
            raise BundleError("bundle.file_missing", file=name)
        h = hashlib.sha256()
        with z.open(name) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        if h.hexdigest() != digest:
            raise BundleError("bundle.hash_mismatch", file=name)
    rows = json.loads(z.read("data.json"))
    shas = {r["sha256"] for r in rows.get("photo", [])}
    listed = {n.split("/")[1].split(".")[0] for n in manifest["files"] if n.startswith("photos/")}
    if shas - listed:
        raise BundleError("bundle.photos_missing", count=len(shas - listed))
    if len(rows.get("project", [])) != 1 or rows["project"][0]["uid"] != manifest["project_uid"]:
        raise BundleError("bundle.project_mismatch")
    return manifest, rows, z


def _convert(cls: type[Base], values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for col in cls.__table__.columns:
        v = values.get(col.key)
        if v is not None and isinstance(col.type, DateTime):
            v = datetime.fromisoformat(v)
        elif v is not None and isinstance(col.type, Date):
            v = date.fromisoformat(v)
        out[col.key] = v
    return out


def import_bundle(db: Database, store: PhotoStore, path: Path) -> dict[str, Any]:
    manifest, rows, z = _read_checked(path)
    with z:
        with db.read() as s:
            existing = s.execute(select(Project).where(Project.uid == manifest["project_uid"])).scalars().first()
            if existing is not None:
                return {"imported": False, "project_id": existing.id, "code": existing.code}
            if s.execute(select(Project.id).where(Project.code == manifest["project_code"])).first():
                raise BundleError("bundle.code_taken", code=manifest["project_code"])
        with tempfile.TemporaryDirectory(dir=store.cache_root) as tmp:
            for name in manifest["files"]:
                if name.startswith("photos/"):
                    z.extract(name, tmp)
                    store.ingest(Path(tmp) / name)
                elif name.startswith("reports/"):
                    sha = manifest["files"][name]
                    target = store.originals_root.parent / "reports" / sha[:2] / f"{sha}.pdf"
                    if not target.exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        write_atomic(target, z.read(name))
    uids = {(r["table_name"], r["row_id"]): r["uid"] for r in rows.get("sync_identity", [])}
    with db.write() as s:
        ids: dict[str, dict[int, int]] = {}
        for cls in ORDER:
            table = cls.__tablename__
            ids[table] = {}
            for raw in rows.get(table, []):
                values = _convert(cls, raw)
                old_id = values.pop("id")
                if cls is Project:  # imported to be worked on: an archived project's copy is shown
                    values["archived_at"] = None
                for col in cls.__table__.columns:
                    for fk in col.foreign_keys:
                        if values.get(col.key) is not None:
                            values[col.key] = ids[fk.column.table.name][values[col.key]]
                ids[table][old_id] = _insert_or_match(s, cls, values, uids.get((table, old_id)))
        project_id = ids["project"][rows["project"][0]["id"]]
    return {"imported": True, "project_id": project_id, "code": manifest["project_code"]}


def _insert_or_match(s: Session, cls: type[Base], values: dict[str, Any], uid: str | None = None) -> int:
    keys = SHARED.get(cls)
    if keys:
        key = keys[0] if values.get(keys[0]) else keys[1]
        cond = [getattr(cls, key) == values[key]]
        if cls is Inspector:
            cond = [Inspector.agency_id == values["agency_id"], Inspector.name == values["name"]]
        found = s.execute(select(cls).where(*cond)).scalars().first()
        if found is not None:
            return int(found.id)  # type: ignore[attr-defined]
    obj = cls(**values)
    if uid is not None:
        s.info.setdefault("sync_uids", {})[id(obj)] = uid
    s.add(obj)
    s.flush()
    return int(obj.id)  # type: ignore[attr-defined]
