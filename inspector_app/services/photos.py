"""Photo import into the evidence: files -> store (atomic, content-addressed) -> one row per
photo, committed one by one so a kill at any moment leaves every reported photo in place."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound, PhotoRejected, ValidationError
from ..models import (
    ChecklistResult,
    Finding,
    FloorPlan,
    IssuedReport,
    Photo,
    RectificationReply,
    ReportDraft,
    Verification,
    Visit,
)
from ..models.db import Database
from ..models.photo import ROLES
from ..photos import IngestedPhoto, PhotoStore, ingest_many, readable_path
from ..values import dto

Progress = Callable[[int, int, dto.PhotoImportResult], None]


PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".heic", ".heif"}


def expand_paths(paths: Sequence[Path | str]) -> list[Path]:
    """Files as given, and folders (a camera card) opened into their photo files, sorted by name.

    Inside a folder only photo-like names are taken (a card also holds .THM, .MP4, ...); a file
    named explicitly is always tried, so a wrong type is reported rather than skipped. A photo-like
    name that is not a regular file (a pipe, a device, a broken link) is listed too, to be refused
    with its reason; folders linked from inside the folder are not followed (no loops)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted((f for f in p.rglob("*") if not f.is_dir() and f.suffix.lower() in PHOTO_SUFFIXES
                            and not f.name.startswith(".")), key=lambda f: str(f).casefold())
            out += found or [p]  # a folder without photos is said to be one, not passed over in silence
        else:
            out.append(p)
    return out


def _target(db: Database, finding_id: int | None, visit_id: int | None) -> int:
    """The project the photos go to; checks the finding or visit exists."""
    if (finding_id is None) == (visit_id is None):
        raise ValidationError("photo.owner", "photo.owner_required")
    with db.read() as s:
        owner = s.get(Finding, finding_id) if finding_id is not None else s.get(Visit, visit_id)
        if owner is None:
            raise NotFound("finding" if finding_id is not None else "visit", finding_id or visit_id)
        return owner.project_id


def import_photos(db: Database, store: PhotoStore, paths: Sequence[Path | str], *, finding_id: int | None = None,
                  visit_id: int | None = None, role: str = "general", caption: str | None = None,
                  reply_id: int | None = None, verification_id: int | None = None,
                  progress: Progress | None = None, cancel: Callable[[], bool] | None = None,
                  workers: int | None = None) -> Iterator[dto.PhotoImportResult]:
    """Import files as evidence; yields one result per file after its row has committed.

    A bad file is reported (status ``rejected`` with the reason) and the batch goes on.
    ``cancel`` stops the batch between files (raises Cancelled); what was yielded stays."""
    if role not in ROLES:
        raise ValidationError("photo.role", "value.unknown_type", value=role, choices=list(ROLES))
    project_id = _target(db, finding_id, visit_id)
    _check_links(db, finding_id, reply_id, verification_id)
    total = len(paths)
    for done, (path, outcome) in enumerate(ingest_many(store, paths, workers=workers, cancel=cancel), start=1):
        if isinstance(outcome, PhotoRejected):
            result = dto.PhotoImportResult(readable_path(path), "rejected", reason=outcome.reason, reason_key=outcome.key,
                                           reason_params=outcome.params)
        else:
            result = _record(db, outcome, project_id, finding_id, visit_id, role, caption, reply_id, verification_id)
        if progress:
            progress(done, total, result)
        yield result


def _check_links(db: Database, finding_id: int | None, reply_id: int | None, verification_id: int | None) -> None:
    with db.read() as s:
        links: list[tuple[RectificationReply | Verification | None, int | None, str]] = [
            (s.get(RectificationReply, reply_id) if reply_id else None, reply_id, "reply"),
            (s.get(Verification, verification_id) if verification_id else None, verification_id, "verification")]
        for row, key, name in links:
            if key is not None and (row is None or row.finding_id != finding_id):
                raise ValidationError(name, "photo.link_not_of_finding", id=key, finding=finding_id)


def _record(db: Database, p: IngestedPhoto, project_id: int, finding_id: int | None, visit_id: int | None,
            role: str, caption: str | None, reply_id: int | None, verification_id: int | None) -> dto.PhotoImportResult:
    gps = (p.gps_lat, p.gps_lon) if p.gps_lat is not None and p.gps_lon is not None else None
    with db.write() as s:
        same = select(Photo.id).where(Photo.sha256 == p.sha256)
        same = same.where(Photo.finding_id == finding_id) if finding_id is not None else same.where(
            Photo.visit_id == visit_id, Photo.finding_id.is_(None))
        existing = s.execute(same).scalar()
        if existing is not None:
            return dto.PhotoImportResult(p.source_path, "duplicate", reason="同一照片已在此处", photo_id=existing,
                                         sha256=p.sha256, taken_at=p.taken_at, gps=gps, width=p.width, height=p.height)
        row = Photo(project_id=project_id, finding_id=finding_id, visit_id=visit_id, reply_id=reply_id,
                    verification_id=verification_id, role=role, caption=caption, sha256=p.sha256,
                    original_name=p.original_name, extension=p.extension, format=p.format, byte_size=p.byte_size,
                    width=p.width, height=p.height, orientation=p.orientation, taken_at=p.taken_at,
                    taken_at_offset=p.taken_at_offset, gps_lat=p.gps_lat, gps_lon=p.gps_lon, gps_alt=p.gps_alt,
                    camera_make=p.camera_make, camera_model=p.camera_model, imported_by=db.actor)
        s.add(row)
        s.flush()
        photo_id = row.id
    return dto.PhotoImportResult(p.source_path, "imported", photo_id=photo_id, sha256=p.sha256,
                                 taken_at=p.taken_at, gps=gps, width=p.width, height=p.height)


def list_photos(db: Database, *, finding_id: int | None = None, visit_id: int | None = None) -> list[dto.PhotoInfo]:
    with db.read() as s:
        q = select(Photo).order_by(Photo.taken_at.is_(None), Photo.taken_at, Photo.id)
        q = q.where(Photo.finding_id == finding_id) if finding_id is not None else q.where(Photo.visit_id == visit_id)
        return [photo_info(p) for p in s.execute(q).scalars()]


def photo_info(p: Photo) -> dto.PhotoInfo:
    return dto.PhotoInfo(p.id, p.sha256, p.role, p.original_name, p.width, p.height, p.taken_at,
                         p.finding_id, p.visit_id, json.loads(p.markup) if p.markup else [], p.caption)


@dataclass(frozen=True, slots=True)
class RemovedPhoto:
    photo: dto.PhotoInfo
    files: int  # files removed from the store: the original and its derived files, when no other row names them


def remove_photo(db: Database, store: PhotoStore, photo_id: int) -> RemovedPhoto:
    """Remove a photo from its finding or visit (one imported by mistake, or an original that no longer
    decodes); the audit log keeps the row. Refused while a report issued or in review shows the same
    bytes, or a checklist result stands on it. The original goes when no other row names it."""
    with db.write() as s:
        row = s.get(Photo, photo_id)
        if row is None:
            raise NotFound("photo", photo_id)
        reports = _reports_showing(s, row.project_id, row.sha256)
        if reports:
            raise ValidationError("photo", "photo.in_report", id=photo_id, name=row.original_name, reports=reports)
        items = sorted(s.execute(select(ChecklistResult.item_code).where(ChecklistResult.photo_id == photo_id))
                       .scalars())
        if items:
            raise ValidationError("photo", "photo.in_checklist", id=photo_id, name=row.original_name, items=items)
        info, sha = photo_info(row), row.sha256
        s.delete(row)
        s.flush()
    with db.read() as s:
        used = s.execute(select(Photo.id).where(Photo.sha256 == sha).limit(1)).first() is not None
        used = used or s.execute(select(FloorPlan.id).where(FloorPlan.sha256 == sha).limit(1)).first() is not None
    return RemovedPhoto(info, 0 if used else store.discard(sha))


def _reports_showing(s: Session, project_id: int, sha: str) -> list[str]:
    """Numbers of the project's issued reports and reports in review whose frozen data holds ``sha``."""
    like = f"%{sha}%"
    issued = s.execute(select(IssuedReport.number).where(IssuedReport.project_id == project_id,
                                                          IssuedReport.snapshot.like(like))).scalars()
    review = s.execute(select(ReportDraft.number).where(
        ReportDraft.project_id == project_id, ReportDraft.status.in_(("submitted", "reviewed", "approved")),
        ReportDraft.snapshot.like(like))).scalars()
    return sorted({*issued, *review})
