"""One task runner for long work (photo import, thumbnails, reports, sync).

Core functions take ``progress`` and ``cancel`` callables and know nothing of threads; the
runner calls them on its single worker thread (so writes are serialised) and brings results,
progress and errors back to the GUI thread by queued signals. Tests use SyncTaskRunner."""

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
    """Runs one task at a time off the GUI thread."""

    started = Signal(object)  # TaskHandle
    finished = Signal(object)  # TaskHandle

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._keep: set[_Signals] = set()

    def submit(self, title: str, work: Work, *, on_done: Callable[[Any], None],
               on_error: Callable[[Exception], None],
               on_progress: Callable[[int, int, str], None] | None = None) -> TaskHandle:
        handle = TaskHandle(title)
        signals = _Signals()
        self._keep.add(signals)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            self._keep.discard(signals)
            self.finished.emit(handle)
            callback(value)

        if on_progress:
            signals.progress.connect(on_progress)
        signals.done.connect(lambda value: finish(on_done, value))
        signals.failed.connect(lambda exc: finish(on_error, exc))
        self.started.emit(handle)
        self._pool.start(_Job(work, handle, signals))
        return handle

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)


class SyncTaskRunner(TaskRunner):
    """The same contract, run at once on the calling thread (tests, scripts)."""

    def submit(self, title: str, work: Work, *, on_done: Callable[[Any], None],
               on_error: Callable[[Exception], None],
               on_progress: Callable[[int, int, str], None] | None = None) -> TaskHandle:
        handle = TaskHandle(title)
        self.started.emit(handle)
        try:
            result = work(on_progress or (lambda *_: None), lambda: handle.cancelled)
        except Exception as exc:  # noqa: BLE001
            self.finished.emit(handle)
            on_error(exc)
        else:
            self.finished.emit(handle)
            on_done(result)
        return handle
