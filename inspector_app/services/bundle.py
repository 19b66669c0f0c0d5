"""Project bundles: a zip of the project's rows and photo originals with a manifest of hashes.

Import checks every hash and reference before touching the database, writes the originals
(content-addressed, atomic), then inserts all rows in one transaction: all or nothing. A bundle is
hostile input until checked: sizes and counts are limited (declared and while reading), only the
entries the rows use are taken, each to a path made here from its hash, and every value must fit
its column; a refusal is a ``BundleInvalid`` naming what and why, with nothing written. A bundle
of a project already here changes nothing when it holds nothing new (import is idempotent), and
is refused naming what differs when it does (``bundle_diff``)."""

from __future__ import annotations

import hashlib
import json
import math
import re
import tempfile
import zipfile
import zlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from ..errors import BundleError, BundleInvalid, PhotoRejected
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
from ..photos.decode import MAX_BYTES as MAX_PHOTO
from ..photos.store import write_atomic
from ..schema import SCHEMA_HEAD
from .bundle_diff import differences
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


# Limits a bundle must keep (issue 15): checked against the zip's declared sizes before anything is
# read, and again while reading (a declared size can lie). The demo's data.json is 0.3 MB.
MAX_ENTRIES = 200_000
MAX_MANIFEST = 16 * 2**20
MAX_DATA = 64 * 2**20
MAX_REPORT = 100 * 2**20
MAX_TOTAL = 16 * 2**30  # all the entries the import takes
MAX_RATIO = 100  # uncompressed / compressed, for an entry over a MiB: a zip bomb, not a project
_CHUNK = 1 << 20
_HEX = re.compile(r"[0-9a-f]{64}")
_NAMES = re.compile(r"(?:photos/(?P<photo>[0-9a-f]{64})\.(?:jpg|png|heic)|reports/(?P<report>[0-9a-f]{64})\.pdf)")
_ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError)


def _limit_of(name: str) -> int:
    if name == "data.json":
        return MAX_DATA
    return MAX_PHOTO if name.startswith("photos/") else MAX_REPORT


def _read_entry(z: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, sink: Any = None) -> bytes:
    """The entry's bytes (or, given ``sink``, written to it), refused as soon as more come out than
    it declares or than ``limit``; a damaged entry (CRC, truncated, unknown method) is named."""
    allowed = min(limit, info.file_size)
    parts: list[bytes] = []
    got = 0
    try:
        with z.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                got += len(chunk)
                if got > allowed:
                    raise BundleInvalid("bundle.entry_too_large", file=info.filename, size_mb=_mb(got),
                                        limit_mb=_mb(allowed))
                if sink is None:
                    parts.append(chunk)
                else:
                    sink.write(chunk)
    except _ZIP_DAMAGE as exc:
        raise BundleInvalid("bundle.entry_damaged", file=info.filename, detail=str(exc)[:200]) from None
    return b"".join(parts)


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f}"


def _open(path: Path) -> zipfile.ZipFile:
    try:
        z = zipfile.ZipFile(path)
        infos = z.infolist()
    except _ZIP_DAMAGE as exc:
        raise BundleInvalid("bundle.not_a_bundle", path=path, detail=str(exc)[:200]) from None
    if len(infos) > MAX_ENTRIES:
        z.close()
        raise BundleInvalid("bundle.too_many_entries", count=len(infos), limit=MAX_ENTRIES)
    return z


def _entries(z: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The zip's entries by name; a name given twice is refused (which one would be read?)."""
    out: dict[str, zipfile.ZipInfo] = {}
    for info in z.infolist():
        if info.filename in out:
            raise BundleInvalid("bundle.duplicate_entry", file=info.filename)
        out[info.filename] = info
    return out


def _manifest(path: Path, z: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo]) -> dict[str, Any]:
    info = entries.get("manifest.json")
    if info is None:
        raise BundleInvalid("bundle.bad_manifest", path=path, detail="manifest.json")
    try:
        manifest = json.loads(_read_entry(z, info, MAX_MANIFEST), parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise BundleInvalid("bundle.bad_manifest", path=path, detail=str(exc)[:200]) from None
    if not isinstance(manifest, dict):
        raise BundleInvalid("bundle.bad_manifest", path=path, detail=type(manifest).__name__)
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BundleInvalid("bundle.wrong_format", path=path, format=str(manifest.get("format"))[:60],
                            version=str(manifest.get("version"))[:20])
    if manifest.get("schema") != SCHEMA_HEAD:
        raise BundleInvalid("bundle.schema_mismatch", schema=str(manifest.get("schema"))[:40], expected=SCHEMA_HEAD)
    for key in ("project_uid", "project_code"):
        if not isinstance(manifest.get(key), str) or not 0 < len(manifest[key]) <= 40:
            raise BundleInvalid("bundle.manifest_field", field=key, value=str(manifest.get(key))[:60])
    files = manifest.get("files")
    if not isinstance(files, dict) or "data.json" not in files:
        raise BundleInvalid("bundle.manifest_field", field="files", value=str(files)[:60])
    for name, digest in files.items():
        if not isinstance(digest, str) or not _HEX.fullmatch(digest):
            raise BundleInvalid("bundle.manifest_field", field=f"files.{name[:80]}", value=str(digest)[:80])
        found = _NAMES.fullmatch(name)
        if name != "data.json" and found is None:  # never a path of our choosing: no "..", no folders
            raise BundleInvalid("bundle.bad_entry_name", file=name[:120])
        if found is not None and (found["photo"] or found["report"]) != digest:
            raise BundleInvalid("bundle.name_not_hash", file=name)
    return manifest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number this software stores")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is not a finite number")
    return value


def _read_checked(path: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]], zipfile.ZipFile,
                                       dict[str, zipfile.ZipInfo]]:
    """The manifest, the rows and the open zip with the entries the import takes (only those the
    manifest lists and the rows use), each within its limits and its hash checked."""
    z = _open(path)
    try:
        entries = _entries(z)
        manifest = _manifest(path, z, entries)
        files: dict[str, str] = manifest["files"]
        for name in files:
            if name not in entries:
                raise BundleInvalid("bundle.file_missing", file=name)
        data_info = entries["data.json"]
        _check_declared({"data.json": data_info})
        data = _read_entry(z, data_info, MAX_DATA)
        if _sha(data) != files["data.json"]:
            raise BundleInvalid("bundle.hash_mismatch", file="data.json")
        rows = _parse_rows(data)
        if len(rows.get("project", [])) != 1 or rows["project"][0].get("uid") != manifest["project_uid"]:
            raise BundleInvalid("bundle.project_mismatch")
        taken = {name: entries[name] for name in _referenced(rows, files)}
        _check_declared(taken)
        for name, info in taken.items():
            h = hashlib.sha256()
            _read_entry(z, info, _limit_of(name), _Hashing(h))
            if h.hexdigest() != files[name]:
                raise BundleInvalid("bundle.hash_mismatch", file=name)
    except BaseException:
        z.close()
        raise
    return manifest, rows, z, taken


class _Hashing:
    def __init__(self, h: Any) -> None:
        self.h = h

    def write(self, chunk: bytes) -> None:
        self.h.update(chunk)


def _check_declared(taken: dict[str, zipfile.ZipInfo]) -> None:
    total = 0
    for name, info in taken.items():
        limit = _limit_of(name)
        if info.file_size > limit:
            raise BundleInvalid("bundle.entry_too_large", file=name, size_mb=_mb(info.file_size), limit_mb=_mb(limit))
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise BundleInvalid("bundle.entry_ratio", file=name, ratio=info.file_size // max(info.compress_size, 1),
                                limit=MAX_RATIO)
        total += info.file_size
    if total > MAX_TOTAL:
        raise BundleInvalid("bundle.too_large", size_mb=_mb(total), limit_mb=_mb(MAX_TOTAL))


def _referenced(rows: dict[str, list[dict[str, Any]]], files: dict[str, str]) -> list[str]:
    """The entries the rows use: their photos and plans, their reports' PDFs. An entry nothing uses
    is left in the zip; one the rows need and the manifest lacks is refused."""
    listed = {digest: name for name, digest in files.items() if name != "data.json"}
    wanted = [r.get("sha256") for r in rows.get("photo", []) + rows.get("floor_plan", [])]
    pdfs = [r.get("pdf_sha256") for r in rows.get("issued_report", []) + rows.get("report_draft", [])]
    missing = [d for d in wanted if d not in listed or not listed[str(d)].startswith("photos/")]
    if missing:
        raise BundleInvalid("bundle.photos_missing", count=len(set(map(str, missing))))
    for digest in pdfs:
        if digest not in listed or not listed[str(digest)].startswith("reports/"):
            raise BundleInvalid("bundle.file_missing", file=f"reports/{digest}.pdf")
    return sorted({listed[str(d)] for d in [*wanted, *pdfs]})


_TABLES: dict[str, type[Base]] = {cls.__tablename__: cls for cls in ORDER}


def _parse_rows(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """data.json as tables of rows, each row's values of its column's type (no NaN, no text where a
    number belongs, no text longer than its column), refused naming the table, the row and why."""
    try:
        rows = json.loads(data, parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, RecursionError) as exc:
        raise BundleInvalid("bundle.bad_data", table="data.json", row="", detail=str(exc)[:200]) from None
    if not isinstance(rows, dict):
        raise BundleInvalid("bundle.bad_data", table="data.json", row="", detail=type(rows).__name__)
    for table, items in rows.items():
        if table != "sync_identity" and table not in _TABLES:
            raise BundleInvalid("bundle.bad_data", table=str(table)[:40], row="", detail="unknown table")
        if not isinstance(items, list) or not all(isinstance(r, dict) for r in items):
            raise BundleInvalid("bundle.bad_data", table=table, row="", detail="not a list of rows")
    for r in rows.get("sync_identity", []):
        if not (isinstance(r.get("table_name"), str) and _is_id(r.get("row_id")) and isinstance(r.get("uid"), str)
                and len(r["uid"]) <= 36):
            raise BundleInvalid("bundle.bad_data", table="sync_identity", row=str(r.get("row_id"))[:20],
                                detail="table_name, row_id, uid")
    for cls in ORDER:
        for raw in rows.get(cls.__tablename__, []):
            _convert(cls, raw)
    return rows


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def _convert(cls: type[Base], values: dict[str, Any]) -> dict[str, Any]:
    table = cls.__tablename__
    if not _is_id(values.get("id")):
        raise BundleInvalid("bundle.bad_data", table=table, row=str(values.get("id"))[:20], detail="id")
    out = {}
    for col in cls.__table__.columns:
        v = values.get(col.key)
        try:
            out[col.key] = _typed(col, v)
        except (TypeError, ValueError, OverflowError) as exc:
            raise BundleInvalid("bundle.bad_value", table=table, row=values["id"], column=col.key,
                                value=repr(v)[:60], detail=str(exc)[:120]) from None
    return out


def _typed(col: Any, v: Any) -> Any:
    """``v`` as the column's Python value; TypeError/ValueError when it cannot be one."""
    kind = col.type
    if v is None:
        if not col.nullable and not col.primary_key:
            raise ValueError("required")
        return None
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(_text(v))
    if isinstance(kind, Date):
        return date.fromisoformat(_text(v))
    if isinstance(kind, Boolean):
        if not isinstance(v, bool) and v not in (0, 1):
            raise TypeError("not true or false")
        return bool(v)
    if isinstance(kind, Float):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise TypeError("not a finite number")
        return v
    if isinstance(kind, Integer):
        if isinstance(v, bool) or not isinstance(v, int) or not -(2**63) <= v < 2**63:
            raise TypeError("not a whole number")
        return v
    if isinstance(kind, String):  # Text too
        text = _text(v)
        if kind.length is not None and len(text) > kind.length:
            raise ValueError(f"longer than {kind.length} characters")
        return text
    return v


def _text(v: Any) -> str:
    if not isinstance(v, str):
        raise TypeError("not text")
    return v


def import_bundle(db: Database, store: PhotoStore, path: Path) -> dict[str, Any]:
    """Take a project bundle in: all or nothing. A bundle of a project already here is taken in
    only when it holds nothing this laptop lacks (then nothing changes); one that does is refused
    naming what differs (``bundle.differs``), never silently dropped."""
    manifest, rows, z, taken = _read_checked(path)
    uids = {(r["table_name"], r["row_id"]): r["uid"] for r in rows.get("sync_identity", [])}
    with z:
        with db.read() as s:
            existing = s.execute(select(Project).where(Project.uid == manifest["project_uid"])).scalars().first()
            if existing is not None:
                diff = differences(s, existing, rows, uids)
                if diff.bundle_has_more:
                    raise BundleError("bundle.differs", code=existing.code, **diff.params())
                return {"imported": False, "project_id": existing.id, "code": existing.code,
                        "only_here": diff.only_here}
            if s.execute(select(Project.id).where(Project.code == manifest["project_code"])).first():
                raise BundleError("bundle.code_taken", code=manifest["project_code"])
        added: list[Path | str] = []
        try:
            _take_files(store, z, taken, manifest["files"], added)
            with db.write() as s:
                ids = _insert_rows(s, rows, uids)
                project_id = ids["project"][rows["project"][0]["id"]]
        except BaseException as exc:
            _remove(store, added)  # a refusal leaves no file behind: the ones added here are named by no row
            if isinstance(exc, (IntegrityError, StatementError)):
                detail = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
                raise BundleInvalid("bundle.rows_refused", detail=detail) from None
            raise
    return {"imported": True, "project_id": project_id, "code": manifest["project_code"]}


def _remove(store: PhotoStore, added: list[Path | str]) -> None:
    for item in added:
        if isinstance(item, Path):
            item.unlink(missing_ok=True)
        else:
            store.discard(item)


def _take_files(store: PhotoStore, z: zipfile.ZipFile, taken: dict[str, zipfile.ZipInfo], files: dict[str, str],
                added: list[Path | str]) -> None:
    """Photos into the evidence store, report PDFs beside it: each written from the zip to a file
    named here (its hash), never to a path the bundle names. ``added`` gets what was new here (a
    photo's hash, a report's path)."""
    reports_root = store.originals_root.parent / "reports"
    store.cache_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=store.cache_root) as tmp:
        for name, info in taken.items():
            sha = files[name]
            if name.startswith("photos/"):
                staged = Path(tmp) / f"{sha}{Path(name).suffix}"
                with open(staged, "wb") as fh:
                    _read_entry(z, info, MAX_PHOTO, fh)
                try:
                    if not store.ingest(staged).already_stored:
                        added.append(sha)
                except PhotoRejected as exc:
                    raise BundleInvalid("bundle.photo_rejected", file=name, reason=exc.reason) from None
                finally:
                    staged.unlink(missing_ok=True)
            else:
                target = reports_root / sha[:2] / f"{sha}.pdf"
                if not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    write_atomic(target, _read_entry(z, info, MAX_REPORT))
                    added.append(target)


def _insert_rows(s: Session, rows: dict[str, list[dict[str, Any]]], uids: dict[tuple[str, int], str]) -> dict[str, dict[int, int]]:
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
                        target = ids.get(fk.column.table.name, {})
                        if values[col.key] not in target:
                            raise BundleInvalid("bundle.dangling_reference", table=table, row=old_id, column=col.key,
                                                value=str(values[col.key])[:20], target=fk.column.table.name)
                        values[col.key] = target[values[col.key]]
            if old_id in ids[table]:
                raise BundleInvalid("bundle.bad_data", table=table, row=old_id, detail="id given twice")
            ids[table][old_id] = _insert_or_match(s, cls, values, uids.get((table, old_id)))
    return ids


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
