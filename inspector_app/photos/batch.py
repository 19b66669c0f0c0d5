"""Import many files using every core: workers hash, decode and store; the caller records rows.

Results come back in input order, through a bounded window, so memory stays flat and a
cancel takes effect within a few files. A worker that dies on a file (a crash inside a C
decoder, or the system killing it for memory) costs that file, not the batch: the file is tried
alone to know it is the one, refused as such, and the rest go on in fresh workers."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from pathlib import Path
from typing import Any

from ..errors import Cancelled, PhotoRejected, StorageError
from .decode import decode
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


WORKER: Callable[[str, str, str], Result] = _work  # what the worker processes run (a test may wrap it)


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
            yield Path(p), _outcome(WORKER(str(store.originals_root), str(store.cache_root), str(p)))
        return
    originals, cache = str(store.originals_root), str(store.cache_root)
    jobs = [(originals, cache, str(p)) for p in paths]
    with closing(_pooled(WORKER, jobs, n, cancelled)) as results:
        for p, result in zip(paths, results, strict=True):
            crashed = result is CRASHED
            yield Path(p), PhotoRejected(readable_path(p), "photo.decoder_crashed") if crashed else _outcome(result)


CRASHED = object()  # what ``_pooled`` gives for a job whose worker died on it, run alone


def _pooled(fn: Callable[..., Any], jobs: Sequence[tuple[str, ...]], n: int,
            cancelled: Callable[[], bool]) -> Generator[Any, None, None]:
    """``fn(*job)`` for each job on ``n`` worker processes, results in job order through a window of
    2n (memory stays flat, a cancel takes effect within a few jobs). A worker that dies on a job (a
    crash in a C decoder, the system killing it for memory) costs that job, not the rest: the job
    runs again alone to know it is the one (``CRASHED`` if that dies too), and the jobs that were
    waiting go to fresh workers."""
    context = multiprocessing.get_context("forkserver" if sys.platform.startswith("linux") else "spawn")

    def fresh(size: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=size, mp_context=context)

    window: deque[tuple[tuple[str, ...], Future[Any]]] = deque()
    todo = iter(jobs)
    pool = fresh(n)
    try:
        while True:
            while len(window) < 2 * n and not cancelled():
                job = next(todo, None)
                if job is None:
                    break
                window.append((job, pool.submit(fn, *job)))
            if cancelled():
                raise Cancelled()
            if not window:
                return
            job, fut = window.popleft()
            try:
                result = fut.result()
            except BrokenProcessPool:
                pool.shutdown(wait=True, cancel_futures=True)
                with fresh(1) as solo:
                    try:
                        result = solo.submit(fn, *job).result()
                    except BrokenProcessPool:
                        result = CRASHED
                pool = fresh(n)  # the jobs that were waiting are sent again
                window = deque((j, pool.submit(fn, *j)) for j, _f in window)
            yield result
    finally:
        for _j, fut in window:
            fut.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


# --- verify: does each stored original still decode as the import requires? ------------------------

Check = tuple[str, dict[str, Any]] | None


def _decodes(original: str) -> Check:
    """Runs in a worker: the import's own full decode (``decode.decode``) of a stored original;
    None when it passes, else the refusal's key and params."""
    path = Path(original)
    try:
        decode(path, path.read_bytes())
    except PhotoRejected as exc:
        return exc.key, {k: v for k, v in exc.params.items() if k != "path"}
    except OSError as exc:
        return "photo.unreadable", {"detail": exc.strerror or str(exc)}
    return None


DECODE_CHECK: Callable[[str], Check] = _decodes  # what the worker processes run (a test may wrap it)
POOL_FROM = 16  # fewer originals decode faster here than worker processes start


def undecodable(originals: Sequence[tuple[str, Path]], *, workers: int | None = None,
                cancel: Callable[[], bool] | None = None) -> list[tuple[str, PhotoRejected]]:
    """Decode each (sha256, path) in full, as the import does, on several cores (the photo batch's
    process pool, from ``POOL_FROM`` originals unless ``workers`` is given); returns (sha256, why)
    for each that does not decode, in input order. A decoder that kills its worker costs that file
    (tried alone to know it), not the check."""
    cancelled = cancel or (lambda: False)

    def why(path: Path, check: Check) -> PhotoRejected | None:
        if check is None:
            return None
        key, params = check  # the worker's refusal, passed on
        return PhotoRejected(path, key, **params)

    n = workers or (default_workers() if len(originals) >= POOL_FROM else 1)
    out: list[tuple[str, PhotoRejected]] = []
    if n <= 1 or len(originals) <= 1:
        for sha, path in originals:
            if cancelled():
                raise Cancelled()
            bad = why(path, DECODE_CHECK(str(path)))
            if bad is not None:
                out.append((sha, bad))
        return out
    with closing(_pooled(DECODE_CHECK, [(str(path),) for _sha, path in originals], n, cancelled)) as results:
        for (sha, path), check in zip(originals, results, strict=True):
            bad = PhotoRejected(path, "photo.decode_crashed") if check is CRASHED else why(path, check)
            if bad is not None:
                out.append((sha, bad))
    return out
