"""Matching a visit's photos to its findings by time taken: the core proposes, the inspector
confirms or corrects each burst, then the photos are attached."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services.photo_matching import MatchProposal
from ..values.dto import FindingInfo
from .action_dialog import error_label, ok_cancel, refusal
from .fit import fit_dialog
from .i18n import tr

# assign(batches of (photo ids, finding id), done(count moved), failed(error)): the writer lane
Assign = Callable[[list[tuple[list[int], int]], Callable[[int], None], Callable[[Exception], None]], None]


class PhotoMatchDialog(QDialog):
    def __init__(self, proposal: MatchProposal, visit_findings: list[FindingInfo],
                 thumb: Callable[[str], Path | None], assign: Assign,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("按拍摄时间匹配照片"))
        self.resize(900, 560)
        self.proposal, self.assign = proposal, assign
        self.assigned = 0
        self.table = QTableWidget(len(proposal.bursts), 4)
        self.table.setHorizontalHeaderLabels([tr("照片"), tr("拍摄时间"), tr("张数"), tr("归属问题")])
        self.table.verticalHeader().setVisible(False)
        self.table.setIconSize(QSize(96, 72))
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.combos: list[QComboBox] = []
        for r, burst in enumerate(proposal.bursts):
            first = burst.photos[0]
            item = QTableWidgetItem(first.original_name)
            path = thumb(first.sha256)
            if path is not None:
                item.setIcon(QIcon(QPixmap(str(path))))
            self.table.setItem(r, 0, item)
            when = f"{burst.start:%H:%M:%S}–{burst.end:%H:%M:%S}" if burst.start and burst.end else "—"
            self.table.setItem(r, 1, QTableWidgetItem(when))
            self.table.setItem(r, 2, QTableWidgetItem(str(len(burst.photos))))
            combo = QComboBox()
            combo.addItem(tr("（暂不分配）"), None)
            for f in visit_findings:
                combo.addItem(f"{f.label} {f.building} {f.floor or ''} {f.description[:30]}", f.id)
            combo.setCurrentIndex(max(0, combo.findData(burst.finding_id)))
            if burst.how:
                combo.setToolTip(tr("建议依据：{0}").format(tr(burst.how)))
            self.table.setCellWidget(r, 3, combo)
            self.table.setRowHeight(r, 78)
            self.combos.append(combo)
        info = QLabel(tr("共 {0} 组照片（间隔超过 90 秒即分组）；无拍摄时间的照片 {1} 张留在本次巡查中。").format(
            len(proposal.bursts), len(proposal.undated)))
        self.error = error_label()
        buttons = ok_cancel(self, tr("按此分配"))
        col = QVBoxLayout(self)
        col.addWidget(info)
        col.addWidget(self.table, 1)
        col.addWidget(self.error)
        col.addWidget(buttons)
        fit_dialog(self, self.error)
        self.table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def accept(self) -> None:
        batches = [([p.id for p in burst.photos], int(combo.currentData()))
                   for burst, combo in zip(self.proposal.bursts, self.combos, strict=True)
                   if combo.currentData() is not None]
        self.assign(batches, self._done, self._failed)

    def _done(self, moved: int) -> None:
        self.assigned = moved
        super().accept()

    def _failed(self, exc: Exception) -> None:
        self.error.setText(tr("未完成：{0}").format(refusal(exc)))
