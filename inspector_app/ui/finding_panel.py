"""The selected finding: what, where, how serious, its history, and its photo evidence as a
strip of thumbnails. Photos are added by dropping files or a whole camera folder onto it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..services.dto import FindingInfo, PhotoInfo
from ..services.rules import STATUS_NAMES

ROLES = [("整改前", "before"), ("整改后", "after"), ("检测/试验", "test"), ("现场概况", "general")]
ROLE_NAMES = {code: name for name, code in ROLES}
KIND_NAMES = {"status": "状态", "grade": "等级", "serious": "严重缺陷认定"}


class FindingPanel(QWidget):
    import_requested = Signal(list, str)  # paths, role
    action_requested = Signal(str)  # reply | verify | close | reopen

    ACTIONS = [("reply", "整改回复…", ("open",)), ("verify", "复查…", ("open", "replied")),
               ("close", "关闭…", ("open", "replied")), ("reopen", "重新打开…", ("verified", "closed"))]

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.setMinimumWidth(360)
        self.title = QLabel("选择左侧表格中的问题")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.strip = QListWidget()
        self.strip.setViewMode(QListView.ViewMode.IconMode)
        self.strip.setIconSize(QSize(150, 112))
        self.strip.setResizeMode(QListView.ResizeMode.Adjust)
        self.strip.setMinimumHeight(150)
        self.role = QComboBox()
        for name, code in ROLES:
            self.role.addItem(name, code)
        self.pick = QPushButton("导入照片…")
        self.pick.setEnabled(False)
        self.pick.clicked.connect(self._pick_files)
        self.hint = QLabel("可将照片文件或整个相机文件夹拖放到此处")
        self.hint.setStyleSheet("color:#777")
        self.history = QListWidget()
        self.history.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for key, label, _states in self.ACTIONS:
            button = QPushButton(label)
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, k=key: self.action_requested.emit(k))
            self.buttons[key] = button
            actions.addWidget(button)
        row = QHBoxLayout()
        row.addWidget(QLabel("照片类型"))
        row.addWidget(self.role)
        row.addWidget(self.pick)
        col = QVBoxLayout(self)
        col.addWidget(self.title)
        col.addWidget(self.details)
        col.addLayout(actions)
        col.addWidget(QLabel("<b>照片证据</b>"))
        col.addWidget(self.strip, 2)
        col.addLayout(row)
        col.addWidget(self.hint)
        col.addWidget(QLabel("<b>处理记录</b>"))
        col.addWidget(self.history, 1)
        self.finding: FindingInfo | None = None

    def show_finding(self, f: FindingInfo, photos: list[PhotoInfo], thumbs: dict[str, Path]) -> None:
        self.finding = f
        self.pick.setEnabled(True)
        for key, _label, states in self.ACTIONS:
            self.buttons[key].setEnabled(f.status in states)
        serious = "<span style='color:#B71C1C'>【严重缺陷】</span>" if f.is_serious else ""
        overdue = "<span style='color:#B71C1C'>【逾期】</span>" if f.overdue else ""
        self.title.setText(f"<h3 style='margin:0'>{f.label} {serious}{overdue}</h3>"
                           f"{f.building} {f.floor or ''} {f.location or ''} · 第 {f.visit_number} 次巡查 {f.found_on}")
        self.details.setText(
            f"{f.description}\n\n承保类别 {f.coverage_code} · 分部 {f.subdivision_code or f.division_code} · "
            f"等级 {f.grade_found} → {f.grade_now} · {STATUS_NAMES.get(f.status, f.status)}\n"
            f"整改要求：{f.requirement or '—'}\n依据：{f.clause or '—'}\n"
            f"整改期限：{f.deadline or '—'} · 责任单位：{f.responsible_party or '—'}")
        self.strip.clear()
        for p in photos:
            item = QListWidgetItem(f"{ROLE_NAMES.get(p.role, p.role)}\n{p.taken_at:%m-%d %H:%M}" if p.taken_at
                                   else ROLE_NAMES.get(p.role, p.role))
            thumb = thumbs.get(p.sha256)
            if thumb is not None:
                item.setIcon(QIcon(QPixmap(str(thumb))))
            item.setToolTip(f"{p.original_name}\n{p.width}×{p.height}\nSHA-256 {p.sha256}")
            self.strip.addItem(item)
        self.history.clear()
        for e in f.history:
            self.history.addItem(f"{e.at:%Y-%m-%d %H:%M} {e.actor or ''}  {KIND_NAMES.get(e.kind, e.kind)} "
                                 f"{_name(e.from_value)} → {_name(e.to_value)}  {e.reason or ''}")

    def _pick_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "导入照片", "", "照片 (*.jpg *.jpeg *.png *.heic *.heif);;所有文件 (*)")
        if files:
            self.import_requested.emit(files, self.role.currentData())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.finding is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.import_requested.emit(paths, self.role.currentData())
            event.acceptProposedAction()


def _name(value: str | None) -> str:
    return STATUS_NAMES.get(value or "", value or "—")
