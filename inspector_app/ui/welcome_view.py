"""What the window's right-hand side shows when there is no project to show: the demo (with the
progress of its making on a first start), a new project, an import, the platform connection.
It only says what was asked (signals); the window does it (ui/first_start.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .i18n import tr

BUILDING, READY, ABSENT, FAILED = "building", "ready", "absent", "failed"


class WelcomeView(QScrollArea):
    """Scrolls rather than grow: it never makes the window taller than a laptop's screen."""

    open_demo_requested = Signal()
    new_project_requested = Signal()
    import_requested = Signal()
    connect_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.demo_state = ABSENT
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(32, 24, 32, 24)
        col.setSpacing(6)
        title = QLabel(tr("欢迎使用 IDI Inspector"))
        title.setStyleSheet("font-size:20px;font-weight:bold")
        intro = QLabel(tr("住宅工程质量潜在缺陷保险 风险管理检查：巡查、问题、整改复查、照片与报告。"
                          "可先看演示项目，或建立自己的项目。"))
        intro.setWordWrap(True)
        col.addWidget(title)
        col.addWidget(intro)
        col.addSpacing(12)
        self.demo_button = self._choice(col, tr("打开演示项目"), tr(
            "一个北京住宅项目：多次巡查、各级问题、整改复查、照片、平面图与报告，可随意试用；演示项目标为“演示”，从不同步到平台。"),
            self.open_demo_requested)
        self.demo_progress = QProgressBar()
        self.demo_progress.setMaximumWidth(420)
        self.demo_progress.setTextVisible(True)
        self.demo_status = QLabel()
        self.demo_status.setWordWrap(True)
        col.addWidget(self.demo_progress)
        col.addWidget(self.demo_status)
        col.addSpacing(8)
        self.new_button = self._choice(col, tr("新建项目…"), tr(
            "填写项目、保单、参建单位与单体，校验与命令行 project create 相同。"), self.new_project_requested)
        self.import_button = self._choice(col, tr("导入项目文件（project.toml）或数据包…"), tr(
            "项目文件建立一个新项目；数据包是另一台电脑导出的项目，带全部记录、照片与报告。"), self.import_requested)
        self.connect_button = self._choice(col, tr("连接保险平台…"), tr(
            "填写平台地址并保存本机的令牌（存于系统密钥库）；之后巡查记录在后台同步到平台（演示项目除外）。"),
            self.connect_requested)
        col.addStretch(1)
        self.setWidget(page)
        self.show_demo_absent()

    @staticmethod
    def _choice(col: QVBoxLayout, text: str, note: str, signal: SignalInstance) -> QPushButton:
        """A button with its note below it."""
        box = QWidget()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(6)
        button = QPushButton(text)
        button.setMinimumHeight(34)
        button.setMaximumWidth(420)
        button.setStyleSheet("text-align:left;padding:4px 12px;font-weight:bold")
        button.clicked.connect(lambda _checked=False: signal.emit())
        label = QLabel(note)
        label.setWordWrap(True)
        label.setStyleSheet("color:#555;margin:0 0 8px 14px")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        inner.addWidget(button)
        inner.addWidget(label)
        col.addWidget(box)
        return button

    # -- the demo's state -------------------------------------------------------------------------
    def show_demo_building(self, done: int = 0, total: int = 0, step: str = "") -> None:
        """Being made: the button waits; the bar counts the steps (busy until the first one)."""
        if self.demo_state != BUILDING:  # each step then changes only the bar and the line below it
            self.demo_state = BUILDING
            self.demo_button.setEnabled(False)
            self.demo_button.setText(tr("打开演示项目"))
            self.demo_progress.show()
            self.demo_status.show()
            self.demo_status.setStyleSheet("color:#555")
        self.demo_progress.setRange(0, total)
        self.demo_progress.setValue(done)
        self.demo_status.setText(tr("正在准备演示项目：{0}。约需半分钟，其间可以新建或导入项目。").format(step) if step
                                 else tr("正在准备演示项目，约需半分钟；其间可以新建或导入项目。"))

    def show_demo_ready(self) -> None:
        self.demo_state = READY
        self.demo_button.setEnabled(True)
        self.demo_button.setText(tr("打开演示项目"))
        self.demo_button.setDefault(True)
        self.demo_progress.hide()
        self.demo_status.show()
        self.demo_status.setText(tr("演示项目已就绪。"))
        self.demo_status.setStyleSheet("color:#1B5E20")

    def show_demo_absent(self) -> None:
        """Not on this laptop (removed, or never made): the button makes it."""
        self.demo_state = ABSENT
        self.demo_button.setEnabled(True)
        self.demo_button.setText(tr("创建演示项目"))
        self.demo_progress.hide()
        self.demo_status.hide()

    def show_demo_failed(self, reason: str) -> None:
        self.demo_state = FAILED
        self.demo_button.setEnabled(True)
        self.demo_button.setText(tr("重新创建演示项目"))
        self.demo_progress.hide()
        self.demo_status.show()
        self.demo_status.setText(tr("演示项目未能创建：{0}").format(reason))
        self.demo_status.setStyleSheet("color:#B71C1C")
