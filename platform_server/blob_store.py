"""Blobs on disk, named by SHA-256: ``<root>/sha256/ab/<sha256>``, written to a temporary
file, fsynced and linked into place, never modified. Upload segments wait in
``<root>/incoming/<upload id>/`` until the upload completes.

Every server instance may share the folder (NFS, a mounted bucket): names are content
hashes or random, and the final link refuses to replace an existing blob.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import queue
import re
import secrets
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
READ_CHUNK = 1 << 20
QUEUED_CHUNKS = 256  # at most ~16-64 MB in flight per PATCH


class HashMismatch(Exception):
    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(f"SHA-256 of the bytes is {actual}, not {expected}")
        self.expected = expected
        self.actual = actual


@dataclass(frozen=True, slots=True)
class Segment:
    path: Path
    start: int
    length: int
    sha256: str


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


MAKE_ATTEMPTS = 20


def create_in_folder(path: Path) -> BinaryIO:
    """A new file at ``path``, its folder made as needed. Another upload's completion (or a
    pruned empty folder) may remove the folder at any moment: while mkdir runs (mkdir then
    reports an existing folder that is gone) or before the file is created; it is made again."""
    for _attempt in range(MAKE_ATTEMPTS):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            continue  # found, then removed before mkdir could check it was a folder
        try:
            return open(path, "xb")  # noqa: SIM115 (the caller closes it)
        except FileNotFoundError:
            continue  # removed between mkdir and open
    raise FileNotFoundError(f"the folder {path.parent} kept vanishing while a file was made in it")


class SegmentWriter:
    """Receives one PATCH body into its own file, at most ``limit`` bytes. A thread writes and
    hashes while the event loop receives the next chunk (hashlib and write release the GIL);
    a bounded queue keeps a slow disk from filling memory."""

    def __init__(self, path: Path, limit: int) -> None:
        self.path = path
        self.limit = limit
        self.length = 0
        self._hash = hashlib.sha256()
        self._file: BinaryIO = create_in_folder(path)  # closed by finish/abort
        self._chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUED_CHUNKS)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="segment-writer", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while (chunk := self._chunks.get()) is not None:
            if self._failure is None:
                try:
                    self._file.write(chunk)
                    self._hash.update(chunk)
                except BaseException as exc:  # raised again by finish()
                    self._failure = exc

    async def write(self, chunk: bytes) -> bool:
        """Queue a chunk; False (nothing queued) when it would pass the limit."""
        if self.length + len(chunk) > self.limit:
            return False
        self.length += len(chunk)
        try:
            self._chunks.put_nowait(chunk)
        except queue.Full:
            await asyncio.to_thread(self._chunks.put, chunk)
        return True

    def _stop(self) -> None:
        self._chunks.put(None)
        self._thread.join()

    def finish(self) -> Segment:
        """Write out and flush to disk: the bytes survive a crash once this returns (blocking)."""
        self._stop()
        try:
            if self._failure is not None:
                raise self._failure
            self._file.flush()
            os.fsync(self._file.fileno())
        finally:
            self._file.close()
        return Segment(self.path, -1, self.length, self._hash.hexdigest())

    def abort(self) -> None:
        """Drop the segment (blocking)."""
        self._stop()
        self._file.close()
        self.path.unlink(missing_ok=True)


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.blobs_root = root / "sha256"
        self.incoming_root = root / "incoming"
        self.blobs_root.mkdir(parents=True, exist_ok=True)
        self.incoming_root.mkdir(parents=True, exist_ok=True)

    def blob_path(self, sha256: str) -> Path:
        if not SHA256_PATTERN.match(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.blobs_root / sha256[:2] / sha256

    def new_segment_path(self, upload_id: str, start: int) -> Path:
        return self.incoming_root / upload_id / f"{start:020d}.{secrets.token_hex(6)}.part"

    def segment_path(self, upload_id: str, file_name: str) -> Path:
        return self.incoming_root / upload_id / file_name

    def store(self, sha256: str, upload_id: str, segments: list[Segment]) -> None:
        """Make the blob from the committed segments, in order; HashMismatch when the bytes
        are not the ones announced. Storing a blob that is already there keeps the one copy."""
        target = self.blob_path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        single = len(segments) == 1 and segments[0].start == 0
        if single:
            source, actual = segments[0].path, segments[0].sha256  # hashed as it arrived
        else:
            source, actual = self._concatenate(self.incoming_root / upload_id, segments)
        try:
            if actual != sha256:
                raise HashMismatch(sha256, actual)
            self._link(source, target)
        finally:
            if not single:
                source.unlink(missing_ok=True)

    def _concatenate(self, folder: Path, segments: list[Segment]) -> tuple[Path, str]:
        joined = folder / f"joined.{secrets.token_hex(6)}.part"
        digest = hashlib.sha256()
        with create_in_folder(joined) as out:
            for segment in segments:
                with open(segment.path, "rb") as part:
                    for chunk in iter(lambda: part.read(READ_CHUNK), b""):  # noqa: B023
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        return joined, digest.hexdigest()

    def _link(self, source: Path, target: Path) -> None:
        try:
            os.link(source, target)
        except FileExistsError:
            return  # the same bytes are already stored (names are hashes)
        except OSError:  # a file system without hard links
            if target.exists():
                return
            os.replace(source, target)
        _fsync_dir(target.parent)

    def has_file(self, sha256: str) -> bool:
        return self.blob_path(sha256).is_file()

    def discard_upload(self, upload_id: str) -> None:
        shutil.rmtree(self.incoming_root / upload_id, ignore_errors=True)

    def discard_segment(self, path: Path) -> None:
        """Remove a segment and, when it was the last file there, its upload's folder (a writer
        making a segment there meanwhile makes the folder again)."""
        path.unlink(missing_ok=True)
        try:
            path.parent.rmdir()
        except OSError:
            pass  # not empty (other segments of the upload), or already gone
