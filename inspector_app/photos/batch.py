"""Import many files using every core: workers hash, decode and store; the caller records rows.

Results come back in input order, through a bounded window, so memory stays flat and a
cancel takes effect within a few files."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ..errors import Cancelled, PhotoRejected, StorageError
from .names import readable_path
from .store import IngestedPhoto, PhotoStore

Outcome = IngestedPhoto | PhotoRejected


Result = IngestedPhoto | tuple[str, str, str, dict[str, Any]]


def _work(originals: str, cache: str, path: str) -> Result:
    """Runs in a worker process; failures travel back as plain (kind, path, key or reason, params) tuples."""
    try:
        return PhotoStore(Path(originals), Path(cache)).ingest(path)
    except PhotoRejected as exc:  # the name as a person reads it: a GBK name must not crash a print or a row
        return ("rejected", readable_path(exc.path), exc.key, exc.params)
    except OSError as exc:  # the store's disk, not the photo: full, read-only, unplugged
        return ("storage", readable_path(path), exc.strerror or str(exc), {})


def _outcome(result: Result) -> Outcome:
    if isinstance(result, tuple):
        if result[0] == "storage":
            raise StorageError(result[1], result[2])
        _, path, key, params = result
        return PhotoRejected(path, key, **{k: v for k, v in params.items() if k != "path"})
    return result


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def ingest_many(store: PhotoStore, paths: Sequence[Path | str], *, workers: int | None = None,
                cancel: Callable[[], bool] | None = None) -> Iterator[tuple[Path, Outcome]]:
    """Ingest ``paths``; yields (path, IngestedPhoto or PhotoRejected) in input order.

    ``cancel()`` is polled before each submission and each result; when true, pending work
    is dropped and Cancelled is raised. Originals already written are complete and harmless."""
    cancelled = cancel or (lambda: False)
    n = workers or default_workers()
    if n <= 1 or len(paths) <= 1:
        for p in paths:
            if cancelled():
                raise Cancelled()
            yield Path(p), _outcome(_work(str(store.originals_root), str(store.cache_root), str(p)))
        return
    context = multiprocessing.get_context("forkserver" if sys.platform.startswith("linux") else "spawn")
    window: deque[tuple[Path, Future[Result]]] = deque()
    todo = iter(paths)
    with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
        try:
            while True:
                while len(window) < 2 * n and not cancelled():
                    nxt = next(todo, None)
                    if nxt is None:
                        break
                    window.append((Path(nxt), pool.submit(_work, str(store.originals_root),
                                                          str(store.cache_root), str(nxt))))
                if cancelled():
                    raise Cancelled()
                if not window:
                    return
                path, fut = window.popleft()
                yield path, _outcome(fut.result())
        finally:
            for _p, fut in window:
                fut.cancel()
