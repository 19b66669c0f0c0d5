"""Resumable uploads: announce (sha256, size), append bytes at the committed offset, complete.

A PATCH body goes to its own segment file; committing it is one conditional UPDATE
(``offset = start + length WHERE offset = start``), so two writers racing at the same
offset cannot both win and no byte is counted twice. The state lives in the database and
the segments in the shared blob folder: any server instance can take the next PATCH.

An upload left ``open`` (or ``failed``) longer than ``Settings.abandoned_upload_hours`` is
removed, rows and segment files, by ``cleanup_abandoned_uploads``.
"""

from __future__ import annotations

import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from .blob_store import SHA256_PATTERN, BlobStore, HashMismatch, Segment
from .database import Database
from .errors import ProtocolError, not_found
from .models import Blob, BlobGrant, Upload, UploadSegment, utcnow


@dataclass(frozen=True, slots=True)
class UploadState:
    id: str | None  # None: the caller already has the blob, nothing to upload
    sha256: str
    size: int
    offset: int
    status: str  # open | complete | failed | present


def check_sha256(sha256: str) -> str:
    if not SHA256_PATTERN.match(sha256):
        raise ProtocolError(422, "invalid_sha256", f"not a lower-case hex SHA-256: {sha256[:80]!r}")
    return sha256


def _state(upload: Upload) -> UploadState:
    return UploadState(upload.id, upload.sha256, upload.size, upload.offset, upload.status)


def present_blobs(db: Database, store: BlobStore, agency_id: int, hashes: list[str]) -> dict[str, int]:
    """The hashes (with sizes) this agency has uploaded and the store still holds."""
    wanted = {check_sha256(h) for h in hashes}
    with db.read() as s:
        rows = s.execute(select(Blob.sha256, Blob.size).join(BlobGrant, BlobGrant.sha256 == Blob.sha256)
                         .where(BlobGrant.agency_id == agency_id, Blob.sha256.in_(wanted))).all()
    return {sha: size for sha, size in rows if store.has_file(sha)}


def start_upload(db: Database, store: BlobStore, agency_id: int, sha256: str, size: int,
                 max_bytes: int) -> tuple[UploadState, bool]:
    """The upload to send these bytes to, and whether it is new. An open upload of the same
    blob by the same agency is handed back (with its offset), so a client that lost its
    upload id, or a second sync run, resumes instead of starting over."""
    check_sha256(sha256)
    if not 0 <= size <= max_bytes:
        raise ProtocolError(413, "too_large", f"a blob may have 0 to {max_bytes} bytes, not {size}")
    if present_blobs(db, store, agency_id, [sha256]):
        return UploadState(None, sha256, size, size, "present"), False
    with db.write() as s:
        existing = s.scalars(select(Upload).where(Upload.agency_id == agency_id, Upload.sha256 == sha256,
                                                  Upload.size == size, Upload.status == "open")
                             .order_by(Upload.offset.desc())).first()
        if existing is not None:
            return _state(existing), False
        upload = Upload(id=uuid.uuid4().hex, agency_id=agency_id, sha256=sha256, size=size)
        s.add(upload)
        s.flush()
        return _state(upload), True


def upload_state(db: Database, agency_id: int, upload_id: str) -> UploadState:
    with db.read() as s:
        upload = s.get(Upload, upload_id)
        if upload is None or upload.agency_id != agency_id:
            raise not_found("upload", upload_id)
        return _state(upload)


def offset_mismatch(state: UploadState) -> ProtocolError:
    return ProtocolError(409, "offset_mismatch", f"the upload is at offset {state.offset}; send from there",
                         offset=state.offset, size=state.size, status=state.status)


def expect_offset(db: Database, agency_id: int, upload_id: str, offset: int) -> UploadState:
    """The open upload, if ``offset`` is where its committed bytes end (409 otherwise)."""
    state = upload_state(db, agency_id, upload_id)
    if state.status != "open" or state.offset != offset:
        raise offset_mismatch(state)
    return state


def commit_segment(db: Database, agency_id: int, upload_id: str, start: int, segment: Segment) -> UploadState:
    """Count the segment's bytes; 409 (the caller discards the file) when another writer
    committed at this offset first."""
    with db.write() as s:
        moved = s.execute(update(Upload)
                          .where(Upload.id == upload_id, Upload.agency_id == agency_id,
                                 Upload.offset == start, Upload.status == "open")
                          .values(offset=start + segment.length, updated_at=utcnow()))
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise _lost_race(s, upload_id)
        s.add(UploadSegment(upload_id=upload_id, start=start, length=segment.length, sha256=segment.sha256,
                            file_name=segment.path.name))
        upload = s.get(Upload, upload_id)
        assert upload is not None
        return _state(upload)


def _lost_race(s: Session, upload_id: str) -> ProtocolError:
    upload = s.get(Upload, upload_id, populate_existing=True)
    if upload is None:
        return not_found("upload", upload_id)
    return offset_mismatch(_state(upload))


def complete_upload(db: Database, store: BlobStore, agency_id: int, upload_id: str) -> UploadState:
    """Recompute the SHA-256 of the committed bytes and store the blob; 422 (and the upload
    is spent) when they are not the announced bytes. Completing twice answers the same."""
    state = upload_state(db, agency_id, upload_id)
    if state.status == "complete":
        return state
    if state.status == "failed":
        raise ProtocolError(422, "hash_mismatch", "this upload's bytes did not match; start a new upload",
                            expected=state.sha256)
    if state.offset != state.size:
        raise ProtocolError(409, "incomplete", f"{state.offset} of {state.size} bytes received",
                            offset=state.offset, size=state.size)
    with db.read() as s:
        rows = s.scalars(select(UploadSegment).where(UploadSegment.upload_id == upload_id)
                         .order_by(UploadSegment.start)).all()
        segments = [Segment(store.segment_path(upload_id, r.file_name), r.start, r.length, r.sha256) for r in rows]
    try:
        store.store(state.sha256, upload_id, segments)
    except HashMismatch as mismatch:
        _mark(db, upload_id, "failed")
        store.discard_upload(upload_id)
        raise ProtocolError(422, "hash_mismatch", str(mismatch), expected=mismatch.expected,
                            actual=mismatch.actual) from None
    except FileNotFoundError:  # a concurrent completion stored it and cleaned up first
        again = upload_state(db, agency_id, upload_id)
        if again.status != "complete":
            raise
        return again
    _record_blob(db, agency_id, upload_id, state.sha256, state.size)
    store.discard_upload(upload_id)
    return upload_state(db, agency_id, upload_id)


def commit_last_segment(db: Database, store: BlobStore, agency_id: int, upload_id: str, sha256: str,
                        segment: Segment) -> UploadState:
    """The segment that brings the upload to its size: check the SHA-256 and store the blob
    with the segment's commit, in one transaction (one fsync fewer, and no need to call
    ``complete``). Bytes that do not hash right are committed, then refused by complete."""
    with db.read() as s:
        rows = s.scalars(select(UploadSegment).where(UploadSegment.upload_id == upload_id)
                         .order_by(UploadSegment.start)).all()
        earlier = [Segment(store.segment_path(upload_id, r.file_name), r.start, r.length, r.sha256) for r in rows]
    try:
        store.store(sha256, upload_id, [*earlier, segment])
    except HashMismatch:
        commit_segment(db, agency_id, upload_id, segment.start, segment)
        return complete_upload(db, store, agency_id, upload_id)
    except FileNotFoundError:  # a concurrent writer completed this upload and cleaned up first
        store.discard_segment(segment.path)
        with db.read() as s:
            lost = _lost_race(s, upload_id)
            finished = (upload := s.get(Upload, upload_id)) is not None and upload.status == "complete"
        if finished:  # the folder this segment re-created after the winner removed it
            store.discard_upload(upload_id)
        raise lost from None
    with db.write() as s:
        moved = s.execute(update(Upload)
                          .where(Upload.id == upload_id, Upload.agency_id == agency_id,
                                 Upload.offset == segment.start, Upload.status == "open")
                          .values(offset=segment.start + segment.length, status="complete", updated_at=utcnow()))
        won = moved.rowcount == 1  # type: ignore[attr-defined]
        if won:
            _insert_blob(s, db, agency_id, sha256, segment.start + segment.length)
    if not won:  # a concurrent writer moved the upload first: this segment is not part of it
        store.discard_segment(segment.path)
        with db.read() as s:
            lost = _lost_race(s, upload_id)
            finished = (upload := s.get(Upload, upload_id)) is not None and upload.status == "complete"
        if finished:  # the winner may have cleaned up before this segment landed
            store.discard_upload(upload_id)
        raise lost
    store.discard_upload(upload_id)
    return upload_state(db, agency_id, upload_id)


def _mark(db: Database, upload_id: str, status: str) -> None:
    with db.write() as s:
        s.execute(update(Upload).where(Upload.id == upload_id, Upload.status == "open")
                  .values(status=status, updated_at=utcnow()))


def _record_blob(db: Database, agency_id: int, upload_id: str, sha256: str, size: int) -> None:
    """The blob, the agency's right to it and the upload's end, in one transaction."""
    with db.write() as s:
        _insert_blob(s, db, agency_id, sha256, size)
        s.execute(update(Upload).where(Upload.id == upload_id, Upload.status == "open")
                  .values(status="complete", updated_at=utcnow()))


def _insert_blob(s: Session, db: Database, agency_id: int, sha256: str, size: int) -> None:
    s.execute(db.insert(Blob).values(sha256=sha256, size=size, stored_at=utcnow())
              .on_conflict_do_nothing())  # type: ignore[attr-defined]
    s.execute(db.insert(BlobGrant).values(agency_id=agency_id, sha256=sha256, granted_at=utcnow())
              .on_conflict_do_nothing())  # type: ignore[attr-defined]


ABANDONED = ("open", "failed")


def cleanup_abandoned_uploads(db: Database, store: BlobStore, older_than: timedelta) -> int:
    """Remove the uploads still open (or failed) whose last change is older than
    ``older_than``: their segment rows and files, their row, their folder under incoming/.
    Returns how many uploads were removed. Completed uploads and stored blobs are never
    touched; folders under incoming/ without an upload row and older than the age go too
    (left by a crash between the row's removal and the folder's).

    Safe beside live servers: each upload is removed in its own transaction, with its row
    locked and the age checked again, so a PATCH committed meanwhile keeps it (a PATCH then
    arriving for a removed upload is answered 404, as for any unknown upload)."""
    if older_than < timedelta(0):
        raise ValueError(f"a negative age: {older_than}")
    cutoff = utcnow() - older_than

    def stale(upload_id: str) -> ColumnElement[bool]:
        return (Upload.id == upload_id) & Upload.status.in_(ABANDONED) & (Upload.updated_at < cutoff)

    with db.read() as s:
        candidates = list(s.scalars(select(Upload.id).where(Upload.status.in_(ABANDONED),
                                                           Upload.updated_at < cutoff)))
    removed = 0
    for upload_id in candidates:
        with db.write() as s:
            locked = s.scalars(select(Upload.id).where(stale(upload_id)).with_for_update()).first()
            if locked is None:  # written to (or completed) since
                continue
            s.execute(delete(UploadSegment).where(UploadSegment.upload_id == upload_id))
            s.execute(delete(Upload).where(stale(upload_id)))
        store.discard_upload(upload_id)
        removed += 1
    _remove_orphan_folders(db, store, time.time() - older_than.total_seconds())
    return removed


def _remove_orphan_folders(db: Database, store: BlobStore, before: float) -> None:
    """Folders under incoming/ untouched since ``before`` (epoch seconds) whose upload is gone
    or complete."""
    old: dict[str, Path] = {}
    for folder in store.incoming_root.iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < before:
                old[folder.name] = folder
        except FileNotFoundError:
            continue
    if not old:
        return
    with db.read() as s:
        names = list(old)
        alive: set[str] = set()
        for i in range(0, len(names), 500):
            alive.update(s.scalars(select(Upload.id).where(Upload.id.in_(names[i:i + 500]),
                                                          Upload.status.in_(ABANDONED))))
    for name, folder in old.items():
        if name not in alive:
            shutil.rmtree(folder, ignore_errors=True)
