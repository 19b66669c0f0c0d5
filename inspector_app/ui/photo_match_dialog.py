"""Matching a visit's photos to its findings by time taken: the core proposes, the inspector
confirms or corrects each burst, then the photos are attached."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services.photo_matching import Burst, MatchProposal
from ..values.dto import FindingInfo, PhotoInfo
from .action_dialog import error_label, ok_cancel, refusal
from .fit import fit_dialog
from .i18n import tr

# assign(batches of (photo ids, finding id), done(count moved), failed(error)): the writer lane
Assign = Callable[[list[tuple[list[int], int]], Callable[[int], None], Callable[[Exception], None]], None]
# remove(photo, the dialog asking, removed(photo)): asks, then removes on the writer lane
Remove = Callable[[PhotoInfo, QWidget, Callable[[PhotoInfo], None]], QWidget]


class PhotoMatchDialog(QDialog):
    def __init__(self, proposal: MatchProposal, visit_findings: list[FindingInfo],
                 thumb: Callable[[str], Path | None], assign: Assign,
                 parent: QWidget | None = None, remove: Remove | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("按拍摄时间匹配照片"))
        self.resize(900, 560)
        self.proposal, self.assign, self.remove, self.thumb = proposal, assign, remove, thumb
        self.menu: QMenu | None = None  # the context menu last shown
        self.confirm: QWidget | None = None  # the question before a removal
        self.assigned = 0
        self.table = QTableWidget(len(proposal.bursts), 4)
        self.table.setHorizontalHeaderLabels([tr("照片"), tr("拍摄时间"), tr("张数"), tr("归属问题")])
        self.table.verticalHeader().setVisible(False)
        self.table.setIconSize(QSize(96, 72))
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.combos: list[QComboBox] = []
        for r, burst in enumerate(proposal.bursts):
            self._fill(r, burst)
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
        if remove is not None:  # 移除照片… on a row: a photo imported by mistake, or one that no longer decodes
            self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            self.table.customContextMenuRequested.connect(self._context_menu)

    def _fill(self, r: int, burst: Burst) -> None:
        """A burst's row: its first photo, its time span and how many photos it holds."""
        first = burst.photos[0]
        item = QTableWidgetItem(first.original_name)
        path = self.thumb(first.sha256)
        if path is not None:
            item.setIcon(QIcon(QPixmap(str(path))))
        self.table.setItem(r, 0, item)
        when = f"{burst.start:%H:%M:%S}–{burst.end:%H:%M:%S}" if burst.start and burst.end else "—"
        self.table.setItem(r, 1, QTableWidgetItem(when))
        self.table.setItem(r, 2, QTableWidgetItem(str(len(burst.photos))))

    def _context_menu(self, pos: QPoint) -> None:
        """One entry per photo of the burst under the pointer (a burst of one: the entry itself)."""
        row = self.table.rowAt(pos.y())
        if self.remove is None or not 0 <= row < len(self.proposal.bursts):
            return
        shots = self.proposal.bursts[row].photos
        menu = QMenu(self)
        if len(shots) == 1:
            menu.addAction(tr("移除照片…"), self._asker(shots[0]))
        else:
            sub = menu.addMenu(tr("移除照片…"))
            for p in shots:
                taken = f"{p.taken_at:%H:%M:%S}" if p.taken_at else "—"
                sub.addAction(f"{p.original_name}  {taken}", self._asker(p))
        if self.menu is not None:
            self.menu.deleteLater()
        self.menu = menu
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _asker(self, photo: PhotoInfo) -> Callable[[], None]:
        return lambda: self.ask_remove(photo)

    def ask_remove(self, photo: PhotoInfo) -> None:
        if self.remove is not None:
            self.confirm = self.remove(photo, self, self.photo_removed)

    def photo_removed(self, photo: PhotoInfo) -> None:
        """A photo removed: it leaves its burst; a burst left empty leaves the table."""
        for row, burst in enumerate(self.proposal.bursts):
            if any(p.id == photo.id for p in burst.photos):
                burst.photos[:] = [p for p in burst.photos if p.id != photo.id]
                if burst.photos:
                    self._fill(row, burst)
                else:
                    del self.proposal.bursts[row]
                    del self.combos[row]
                    self.table.removeRow(row)
                return

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
