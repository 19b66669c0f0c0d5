"""同步: what waits to reach the insurer's platform and what arrived, item by item, and a
button to send now. Sending runs in the background (the task runner); while a platform is
set, the window also tries every few minutes; failed items wait their back-off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..app import AppContext
from ..errors import InspectorError
from .i18n import capitalized, reason_text, tr
from .tasks import TaskRunner

STATUS = {"pending": "待发送", "delivered": "已送达（回执已核对）", "failed": "失败"}
COLORS = {"pending": "#FFF8E1", "delivered": "#E8F5E9", "failed": "#FFEBEE"}
AUTO_MS = 5 * 60 * 1000


class SyncView(QWidget):
    def __init__(self, ctx: Callable[[], AppContext], runner: TaskRunner, server: str,
                 save_server: Callable[[str], None], say: Callable[[str], None],
                 on_error: Callable[[Exception], None]) -> None:
        super().__init__()
        self.ctx, self.runner, self.say, self.on_error, self.save_server = ctx, runner, say, on_error, save_server
        self.on_received: Callable[[], None] | None = None  # the window reloads the shown project
        self.server = QLineEdit(server)
        self.server.setPlaceholderText("https://idi-platform.example.com")
        self.server.editingFinished.connect(lambda: self._set_server(self.server.text()))
        self.token = QPushButton(tr("保存令牌…"))
        self.token.clicked.connect(self.ask_token)
        self.now = QPushButton(tr("立即同步"))
        self.now.clicked.connect(self.sync_now)
        self.note = QLabel(tr("令牌保存在系统密钥库中，不以明文保存；传输始终校验 TLS 证书。每个条目在核对平台回执的哈希后才标记为已送达。"))
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color:#607D8B")
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([tr("条目"), tr("状态"), tr("文件数"), tr("尝试次数"), tr("送达时间"),
                                              tr("最近错误")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("平台地址：")))
        row.addWidget(self.server, 1)
        row.addWidget(self.token)
        row.addWidget(self.now)
        col = QVBoxLayout(self)
        col.addLayout(row)
        col.addWidget(self.note)
        col.addWidget(self.table, 1)
        self.timer = QTimer(self)
        self.timer.timeout.connect(lambda: self.sync_now(quiet=True))
        self.timer.start(AUTO_MS)
        self.running = False

    def _set_server(self, text: str) -> None:
        try:
            self.save_server(text)
        except InspectorError as exc:
            self.on_error(exc)

    def ask_token(self) -> None:
        text, ok = QInputDialog.getText(self, tr("平台令牌"), tr("粘贴风险管理机构或检查人员的令牌："),
                                        QLineEdit.EchoMode.Password)
        if ok and text.strip():
            self.save_token(text)

    def save_token(self, text: str) -> None:
        from ..sync.token import save_token

        try:
            save_token(self.server.text().strip(), text)
        except InspectorError as exc:
            self.on_error(exc)
            return
        self.say(tr("令牌已存入系统密钥库"))

    def refresh(self) -> None:
        from ..sync.client import outbox

        rows = outbox(self.ctx())
        self.table.setRowCount(len(rows))
        for r, item in enumerate(rows):
            cells = [capitalized(reason_text(item.label)), tr(STATUS.get(item.status, item.status)), str(item.blobs), str(item.attempts),
                     f"{item.delivered_at:%Y-%m-%d %H:%M}" if item.delivered_at else "", reason_text(item.last_error)]
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setBackground(QColor(COLORS.get(item.status, "#FFFFFF")))
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                cell.setToolTip(item.idempotency_key if c == 0 else text)
                self.table.setItem(r, c, cell)
        self.table.resizeColumnsToContents()

    def sync_now(self, quiet: bool = False) -> None:
        server = self.server.text().strip()
        if not server or self.running:
            if not quiet and not server:
                self.say(tr("请先填写平台地址"))
            return
        ctx = self.ctx()

        def work(progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> Any:
            from ..sync.client import sync
            from ..sync.token import load_token

            # the button sends again what the platform refused; the automatic runs leave it for a person
            return sync(ctx, server, load_token(server), progress=progress, cancel=cancel, retry_refused=not quiet)

        def done(summary: Any) -> None:
            self.running = False
            self.refresh()
            text = tr("同步完成：送达 {0} 项，平台已有 {1} 项，失败 {2} 项，上传 {3:.1f} MB").format(
                len(summary.delivered), len(summary.already_there), len(summary.failed), summary.bytes_sent / 2**20)
            text += tr("；团队：发出 {0} 条变更，收到 {1} 条").format(summary.changes_sent, summary.changes_received)
            if summary.conflicts:
                text += tr("；新冲突 {0} 个，请在问题详情中处理").format(len(summary.conflicts))
            if summary.team_held:
                text += tr("；平台拒绝过 {0} 的团队变更，未再发送（核对后点“立即同步”再发送）").format(
                    "、".join(summary.team_held))
            self.say(text)
            if summary.changes_received and self.on_received is not None:
                self.on_received()  # the others' work: the window shows it

        def failed(exc: Exception) -> None:
            self.running = False
            self.refresh()
            if not quiet:
                self.on_error(exc)

        self.running = True
        self.runner.submit(tr("同步到平台"), work, on_done=done, on_error=failed)
