"""One lane's progress bar and cancel button in the status bar: shown while the lane has
work, hidden when it is idle; cancel asks every task of that lane (and only that lane) to stop."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar

from .i18n import tr
from .tasks import TaskHandle, TaskRunner


class LaneStatus:
    def __init__(self, lane: TaskRunner, bar: QStatusBar, name: str) -> None:
        self.lane = lane
        self.label = QLabel(name)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.cancel = QPushButton(tr("取消"))
        self.cancel.setToolTip(tr("取消{0}").format(name))
        self.cancel.clicked.connect(lane.cancel_all)
        for w in (self.label, self.progress, self.cancel):
            w.hide()
            bar.addPermanentWidget(w)
        lane.started.connect(self._started)
        lane.finished.connect(self._finished)
        lane.progress.connect(self._progress)

    def _started(self, _handle: TaskHandle) -> None:
        self.progress.setRange(0, 0)  # busy until the first progress report
        for w in (self.label, self.progress, self.cancel):
            w.show()

    def _progress(self, _handle: TaskHandle, done: int, total: int, _label: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _finished(self, _handle: TaskHandle) -> None:
        if not self.lane.active:
            for w in (self.label, self.progress, self.cancel):
                w.hide()
