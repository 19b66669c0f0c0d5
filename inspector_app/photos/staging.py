"""Staging folders shared by processes: each process names its temporary files with an owner tag and
holds a lock on a lease file of that tag for as long as it lives, so another process cleaning up
removes only what a dead process left (the kernel releases the lock when its owner dies, even on
SIGKILL); files whose owner cannot be told are removed only once they are old."""

from __future__ import annotations

import atexit
import errno
import os
import re
import secrets
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

LEASE_SUFFIX = ".lease"
ABANDONED_AFTER = 24 * 3600  # seconds: a temporary file of unknown owner this old is no one's work
_TAG = r"(?P<tag>\d+-[0-9a-f]{12})"
_LEASE = re.compile(rf"^\.{_TAG}{re.escape(LEASE_SUFFIX)}$")
_STAGED = re.compile(rf"^\.+{_TAG}\.[0-9a-f]+\..+$")  # and its side files (".<name>.layout.tmp")


@dataclass(frozen=True, slots=True)
class _Lease:
    pid: int
    tag: str
    path: Path
    fh: IO[bytes]


_LEASES: dict[str, _Lease] = {}
_GUARD = threading.Lock()


def try_lock(fh: IO[Any]) -> bool:
    """An exclusive lock that does not wait; held until the file is closed or the process ends."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _take(folder: Path) -> _Lease:
    folder.mkdir(parents=True, exist_ok=True)
    for _ in range(8):
        tag = f"{os.getpid()}-{secrets.token_hex(6)}"
        path = folder / f".{tag}{LEASE_SUFFIX}"
        fh = open(path, "a+b")  # noqa: SIM115 -- held open for the life of the process
        # a cleanup may have locked and removed the file between open and lock: then try another tag
        if try_lock(fh) and path.exists() and os.path.samestat(os.fstat(fh.fileno()), path.stat()):
            return _Lease(os.getpid(), tag, path, fh)
        fh.close()
    raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN), str(folder))  # shown as a storage error


def owner_tag(folder: Path) -> str:
    """This process's owner tag in the staging ``folder``, its lease taken on first use."""
    key = os.path.abspath(folder)
    with _GUARD:
        lease = _LEASES.get(key)
        if lease is None or lease.pid != os.getpid() or not lease.path.exists():  # a forked child: its own
            if lease is not None and lease.pid == os.getpid():  # removed meanwhile: a new one replaces it
                lease.fh.close()
            elif not any(held.pid == os.getpid() for held in _LEASES.values()):
                from multiprocessing import util

                util.Finalize(None, _release, exitpriority=0)  # a pool worker ends without atexit
            lease = _LEASES[key] = _take(Path(folder))
        return lease.tag


def staged_path(folder: Path, suffix: str) -> Path:
    """A new temporary file name in ``folder`` owned by this process (``suffix`` like ``.tmp``)."""
    return Path(folder) / f".{owner_tag(folder)}.{secrets.token_hex(6)}{suffix}"


@atexit.register
def _release() -> None:
    """A normal exit gives its leases back (a killed process's are removed by the next cleanup)."""
    with _GUARD:
        for key, lease in list(_LEASES.items()):
            if lease.pid == os.getpid():
                del _LEASES[key]
                lease.fh.close()
                try:
                    lease.path.unlink(missing_ok=True)
                except OSError:  # in use by a cleanup that will find it unheld
                    pass


def _owner_gone(folder: Path, tag: str) -> bool | None:
    """True if the tag's lease can be locked (its process is dead), False if held, None if no lease."""
    lease = folder / f".{tag}{LEASE_SUFFIX}"
    try:
        fh = open(lease, "r+b")  # noqa: SIM115
    except FileNotFoundError:
        return None
    except OSError:
        return False
    try:
        return try_lock(fh)
    finally:
        fh.close()


def remove_abandoned(folder: Path, *, max_age: float = ABANDONED_AFTER) -> int:
    """Remove from the staging ``folder`` the files of dead processes (and their leases), and files of
    unknown owner older than ``max_age`` seconds; never a file of a live process. Returns how many."""
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    with _GUARD:
        mine = {lease.tag for lease in _LEASES.values() if lease.pid == os.getpid()}
    status: dict[str, bool | None] = {}
    count = 0
    now = time.time()
    for entry in sorted(folder.iterdir(), key=lambda p: p.name.endswith(LEASE_SUFFIX)):  # leases last
        match = _LEASE.match(entry.name) or _STAGED.match(entry.name)
        tag = match.group("tag") if match else None
        if tag in mine or not entry.is_file():
            continue
        if tag is not None and tag not in status:
            status[tag] = _owner_gone(folder, tag)
        gone = status.get(tag) if tag else None
        try:
            if gone is False or (gone is None and now - entry.stat().st_mtime < max_age):
                continue
            entry.unlink()
            count += 1
        except FileNotFoundError:
            continue
        except OSError:  # in use (Windows) or not ours to remove: left for a later start
            continue
    return count
