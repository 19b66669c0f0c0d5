"""The message line where the work is: a closable strip above the project's view that shows what
the status bar shows (a save, a refusal, what to do first), coloured by kind. Information goes
away by itself after a while; a warning or an error stays until it is closed or replaced."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QToolButton, QWidget

from .i18n import tr

# level: background, border, text colour, the style's standard icon
LEVELS = {
    "info": ("#E3F2FD", "#64B5F6", "#0D47A1", QStyle.StandardPixmap.SP_MessageBoxInformation),
    "warning": ("#FFF3E0", "#FFB74D", "#8D4A00", QStyle.StandardPixmap.SP_MessageBoxWarning),
    "error": ("#FFEBEE", "#E57373", "#B71C1C", QStyle.StandardPixmap.SP_MessageBoxCritical),
}
INFO_SECONDS = 15  # as long as the status bar keeps a message


class MessageBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message_banner")
        self.level = "info"
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(tr("关闭提示"))
        self.close_button.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, text: str, level: str = "info") -> None:
        """Show ``text`` as ``level`` (info, warning or error); information hides itself later."""
        background, border, color, icon = LEVELS.get(level, LEVELS["info"])
        self.level = level if level in LEVELS else "info"
        self.setStyleSheet(f"QFrame#message_banner{{background:{background};border:1px solid {border};"
                           f"border-left:4px solid {border};border-radius:4px}}"
                           f"QFrame#message_banner QLabel{{color:{color};background:transparent;border:none}}")
        size = self.fontMetrics().height()
        self.icon.setPixmap(self.style().standardIcon(icon).pixmap(size, size))
        self.text.setText(text)
        self.show()
        if self.level == "info":
            self.timer.start(INFO_SECONDS * 1000)
        else:
            self.timer.stop()
