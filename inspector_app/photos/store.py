"""The evidence store: originals content-addressed by SHA-256, written atomically and never
modified; thumbnails and report renditions derived, upright, cached and rebuildable."""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import stat
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import PhotoRejected
from .decode import EXTENSIONS, MAX_BYTES, decode, render
from .names import readable_name, readable_path
from .staging import ABANDONED_AFTER, remove_abandoned, staged_path

TMP_SUFFIX = ".tmp"
_IO: ThreadPoolExecutor | None = None


def _io_thread() -> ThreadPoolExecutor:
    """One I/O thread per process: file writes and hashing release the GIL, as decoding does."""
    global _IO
    if _IO is None:
        _IO = ThreadPoolExecutor(1, thread_name_prefix="photo-io")
    return _IO


@dataclass(frozen=True, slots=True)
class IngestedPhoto:
    source_path: str
    original_name: str
    sha256: str
    byte_size: int
    format: str
    extension: str
    width: int
    height: int
    orientation: int
    taken_at: datetime | None
    taken_at_offset: str | None
    gps_lat: float | None
    gps_lon: float | None
    gps_alt: float | None
    camera_make: str | None
    camera_model: str | None
    stored_path: str
    already_stored: bool


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows; NTFS journals the rename
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(target: Path, data: bytes, *, durable: bool = True) -> None:
    """Temporary file in the same folder, write, fsync, rename, fsync the folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        _fsync_dir(target.parent)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_KINDS = ((stat.S_ISFIFO, "命名管道"), (stat.S_ISCHR, "设备文件"), (stat.S_ISBLK, "设备文件"), (stat.S_ISSOCK, "套接字"))


def _regular(path: Path, mode: int) -> None:
    """Refuse anything but a regular file, saying what it is."""
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "特殊文件")
    raise PhotoRejected(str(path), "photo.not_a_file", content=kind)


class PhotoStore:
    def __init__(self, originals_root: Path, cache_root: Path) -> None:
        self.originals_root = Path(originals_root)
        self.cache_root = Path(cache_root)

    def _read(self, path: Path) -> bytes:
        """The file's bytes, read once and bounded. Only a regular file is read: a named pipe or a
        device (a symlink to /dev/zero, a FIFO on a card image) is refused before it is opened, and
        it is opened without blocking, so a pipe swapped in after the check cannot hang the batch."""
        try:
            if path.is_dir():
                raise PhotoRejected(str(path), "photo.is_folder")
            if path.is_symlink() and not path.exists():
                raise PhotoRejected(str(path), "photo.dangling_link", target=readable_name(os.readlink(path)))
            _regular(path, os.stat(path).st_mode)
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
            with os.fdopen(fd, "rb") as fh:
                info = os.fstat(fh.fileno())
                _regular(path, info.st_mode)
                if info.st_size == 0:
                    raise PhotoRejected(str(path), "photo.empty")
                if info.st_size > MAX_BYTES:
                    raise PhotoRejected(str(path), "photo.too_large", size_mb=info.st_size / 2**20,
                                        limit_mb=MAX_BYTES // 2**20)
                data = fh.read(MAX_BYTES + 1)  # a file that grows while it is read stays bounded
            if len(data) > MAX_BYTES:
                raise PhotoRejected(str(path), "photo.too_large", size_mb=len(data) / 2**20,
                                    limit_mb=MAX_BYTES // 2**20)
            if not data:
                raise PhotoRejected(str(path), "photo.empty")
            return data
        except FileNotFoundError:
            raise PhotoRejected(str(path), "photo.missing") from None
        except PermissionError:
            raise PhotoRejected(str(path), "photo.no_permission") from None
        except OSError as exc:
            raise PhotoRejected(str(path), "photo.unreadable", detail=exc.strerror or str(exc)) from None

    def _stage(self, data: bytes) -> tuple[str, Path]:
        """Hash the bytes and write them durably to a temporary file in the store."""
        incoming = self.originals_root / ".incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        tmp = staged_path(incoming, TMP_SUFFIX)  # named for this process: another one's cleanup leaves it
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        return hashlib.sha256(data).hexdigest(), tmp

    def ingest(self, path: Path | str) -> IngestedPhoto:
        """Read once; hash and stage the bytes durably while the pixels are decoded and checked
        (I/O overlaps decoding); then rename into place, or discard if rejected or already stored."""
        src = Path(path)
        data = self._read(src)
        staging = _io_thread().submit(self._stage, data)
        try:
            decoded = decode(src, data)
        except BaseException:
            staging.result()[1].unlink(missing_ok=True)
            raise
        sha, tmp = staging.result()
        ext = EXTENSIONS[decoded.format]
        target = self._original(sha, ext)
        already = target.exists() and target.stat().st_size == len(data)
        if already:
            tmp.unlink(missing_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp, 0o444)  # an original is never modified
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        thumb = self._thumb(sha)
        if not thumb.exists():
            write_atomic(thumb, decoded.thumbnail_jpeg, durable=False)
        f = decoded.facts
        return IngestedPhoto(readable_path(path), readable_name(src.name), sha, len(data), decoded.format, ext, decoded.width, decoded.height,
                             f.orientation, f.taken_at, f.taken_at_offset, f.gps_lat, f.gps_lon, f.gps_alt,
                             f.camera_make, f.camera_model, str(target), already)

    def _original(self, sha: str, ext: str) -> Path:
        return self.originals_root / sha[:2] / f"{sha}.{ext}"

    def _thumb(self, sha: str) -> Path:
        return self.cache_root / "thumbs" / sha[:2] / f"{sha}.jpg"

    def original_path(self, sha256: str) -> Path | None:
        for ext in EXTENSIONS.values():
            p = self._original(sha256, ext)
            if p.exists():
                return p
        return None

    def _derive(self, sha256: str, target: Path, long_side: int, quality: int, *, rebuild: bool = False) -> Path:
        if target.exists() and not rebuild:
            return target
        original = self.original_path(sha256)
        if original is None:
            raise FileNotFoundError(f"照片原件缺失：{sha256}")
        buf = io.BytesIO()
        render(original, long_side, sha256).save(buf, "JPEG", quality=quality, optimize=True)
        write_atomic(target, buf.getvalue(), durable=False)
        return target

    def cached_thumbnail(self, sha256: str) -> Path | None:
        """The thumbnail if it is already made; never decodes anything (for scrolling lists)."""
        path = self._thumb(sha256)
        return path if path.exists() else None

    def thumbnail_path(self, sha256: str, *, rebuild: bool = False) -> Path:
        """The 320 px thumbnail of the whole upright photo, made if missing; ``rebuild`` replaces a
        cached one that does not show the whole photo (the cached one stays if the original is gone)."""
        return self._derive(sha256, self._thumb(sha256), 320, 80, rebuild=rebuild)

    def rendition_path(self, sha256: str, long_side: int = 1600, quality: int = 85) -> Path:
        name = f"{sha256}-{long_side}.jpg" if quality == 85 else f"{sha256}-{long_side}q{quality}.jpg"
        return self._derive(sha256, self.cache_root / "renditions" / sha256[:2] / name, long_side, quality)

    def verify_original(self, sha256: str) -> str | None:
        path = self.original_path(sha256)
        if path is None:
            return "文件缺失"
        try:
            actual = sha256_file(path)
        except OSError as exc:
            return f"无法读取：{exc.strerror or exc}"
        return None if actual == sha256 else f"内容哈希不符: 实际 {actual}"

    def iter_stored(self) -> Iterator[tuple[str, Path]]:
        if not self.originals_root.exists():
            return
        for folder in sorted(self.originals_root.iterdir()):
            if folder.is_dir() and len(folder.name) == 2:
                for f in sorted(folder.iterdir()):
                    if not f.name.startswith(".") and "." in f.name:
                        yield f.name.split(".")[0], f

    def discard(self, sha256: str) -> int:
        """Remove an original no row names any more, with its thumbnail and renditions; returns how
        many files went. The caller checks that nothing names it (the store keeps no references)."""
        paths = [self.original_path(sha256), self.cached_thumbnail(sha256),
                 *(self.cache_root / "renditions" / sha256[:2]).glob(f"{sha256}-*.jpg")]
        removed = 0
        for path in paths:
            if path is None:
                continue
            try:
                path.chmod(0o644)  # originals are read-only; Windows refuses to unlink those
                path.unlink()
                removed += 1
            except FileNotFoundError:
                continue
        return removed

    def cleanup_temporaries(self, *, max_age: float = ABANDONED_AFTER) -> int:
        """Remove temporary files a killed process left behind; returns how many.

        Another process may be importing at the same time: a staged original is removed only once
        its owner is dead, any other temporary file only once it is ``max_age`` seconds old."""
        incoming = self.originals_root / ".incoming"
        count = remove_abandoned(incoming, max_age=max_age)
        now = time.time()
        for root in (self.originals_root, self.cache_root):
            if root.exists():
                for tmp in root.rglob(f".*{TMP_SUFFIX}"):
                    if tmp.parent == incoming:
                        continue
                    try:
                        if now - tmp.stat().st_mtime >= max_age:
                            tmp.unlink()
                            count += 1
                    except OSError:  # gone meanwhile, or in use
                        continue
        return count
