"""Task lanes for work off the GUI thread (Picard's one writer thread, Anki's operations).

Three lanes, each a runner with its own progress and cancel: the writer (exactly one worker
thread: every write, so writes are serialised and the GUI thread never opens a write
transaction), the quick lane (thumbnails and drafts, never queued behind a write or a sync)
and the network lane (sync with the insurer's platform). Core functions take ``progress``
and ``cancel`` callables and know nothing of threads; results, progress and errors come
back to the GUI thread by queued signals. Tests use SyncTaskRunner / ``Lanes(sync=True)``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Work = Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]


class TaskHandle:
    def __init__(self, title: str) -> None:
        self.title = title
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Work, handle: TaskHandle, signals: _Signals) -> None:
        super().__init__()
        self.work, self.handle, self.signals = work, handle, signals

    def run(self) -> None:
        try:
            result = self.work(self.signals.progress.emit, lambda: self.handle.cancelled)
        except Exception as exc:  # noqa: BLE001  (reaches the user as a message, never a trace)
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class TaskRunner(QObject):
    """One lane: runs its tasks in order on ``threads`` worker threads (one by default)."""

    started = Signal(object)  # TaskHandle
    finished = Signal(object)  # TaskHandle
    progress = Signal(object, int, int, str)  # TaskHandle, done, total, label

    def __init__(self, parent: QObject | None = None, *, threads: int = 1, name: str = "") -> None:
        super().__init__(parent)
        self.name = name
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._keep: set[_Signals] = set()
        self.active: list[TaskHandle] = []

    def submit(self, title: str, work: Work, *, on_done: Callable[[Any], None],
               on_error: Callable[[Exception], None],
               on_progress: Callable[[int, int, str], None] | None = None) -> TaskHandle:
        handle = TaskHandle(title)
        signals = _Signals()
        self._keep.add(signals)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            self._keep.discard(signals)
            self._end(handle)
            callback(value)

        signals.progress.connect(lambda d, t, label: self._progress(handle, d, t, label, on_progress))
        signals.done.connect(lambda value: finish(on_done, value))
        signals.failed.connect(lambda exc: finish(on_error, exc))
        self._begin(handle)
        self._pool.start(_Job(work, handle, signals))
        return handle

    def cancel_all(self) -> None:
        for handle in self.active:
            handle.cancel()

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)

    def _begin(self, handle: TaskHandle) -> None:
        self.active.append(handle)
        self.started.emit(handle)

    def _end(self, handle: TaskHandle) -> None:
        if handle in self.active:
            self.active.remove(handle)
        self.finished.emit(handle)

    def _progress(self, handle: TaskHandle, done: int, total: int, label: str,
                  on_progress: Callable[[int, int, str], None] | None) -> None:
        self.progress.emit(handle, done, total, label)
        if on_progress is not None:
            on_progress(done, total, label)


class SyncTaskRunner(TaskRunner):
    """The same contract, run at once on the calling thread (tests, scripts)."""

    def submit(self, title: str, work: Work, *, on_done: Callable[[Any], None],
               on_error: Callable[[Exception], None],
               on_progress: Callable[[int, int, str], None] | None = None) -> TaskHandle:
        handle = TaskHandle(title)
        self._begin(handle)
        try:
            result = work(lambda d, t, label: self._progress(handle, d, t, label, on_progress),
                          lambda: handle.cancelled)
        except Exception as exc:  # noqa: BLE001
            self._end(handle)
            on_error(exc)
        else:
            self._end(handle)
            on_done(result)
        return handle


class Lanes(QObject):
    """The window's three lanes. ``sync=True``: all three run at once on the calling thread."""

    def __init__(self, parent: QObject | None = None, *, sync: bool = False) -> None:
        super().__init__(parent)
        make = SyncTaskRunner if sync else TaskRunner
        self.writer = make(self, name="writer")  # one thread: writes never interleave
        self.quick = make(self, threads=2, name="quick")
        self.network = make(self, name="network")

    @classmethod
    def of(cls, runner: TaskRunner | Lanes | None, parent: QObject | None = None) -> Lanes:
        """Lanes from what a caller passes: lanes as they are; a SyncTaskRunner (tests): synchronous
        lanes; a TaskRunner or nothing: threaded lanes."""
        if isinstance(runner, Lanes):
            return runner
        return cls(parent, sync=isinstance(runner, SyncTaskRunner))

    def all(self) -> tuple[TaskRunner, TaskRunner, TaskRunner]:
        return self.writer, self.quick, self.network

    def wait(self, msecs: int = -1) -> bool:
        return all([lane.wait(msecs) for lane in self.all()])
