"""Small charts painted with QPainter: horizontal bars with labels and counts.

No chart library: a dashboard needs a handful of bars, drawn crisp at any DPI, in the
app's own font, and nothing to load at start-up.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ["#1565C0", "#2E7D32", "#EF6C00", "#6A1B9A", "#00838F", "#AD1457", "#4E342E", "#546E7A"]


class BarChart(QWidget):
    """Bars of (key, label, value, colour); clicking a bar emits its key."""

    bar_clicked = Signal(str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.bars: list[tuple[str, str, int, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_bars(self, bars: list[tuple[str, str, int, str | None]]) -> None:
        self.bars = [(k, label, v, c or PALETTE[i % len(PALETTE)]) for i, (k, label, v, c) in enumerate(bars)]
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return max(22, self.fontMetrics().height() + 8)

    def sizeHint(self) -> QSize:
        return QSize(320, 34 + self._row_height() * max(1, len(self.bars)))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def _label_width(self) -> int:
        fm = self.fontMetrics()
        return min(max((fm.horizontalAdvance(b[1]) for b in self.bars), default=40) + 12, self.width() // 2)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        title_font = QFont(self.font())
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(QColor("#263238"))
        p.drawText(QRectF(0, 0, self.width(), 24), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   self.title)
        p.setFont(self.font())
        if not self.bars:
            p.setPen(QColor("#90A4AE"))
            p.drawText(QRectF(0, 28, self.width(), 24), Qt.AlignmentFlag.AlignLeft, "—")
            return
        rh, lw = self._row_height(), self._label_width()
        top = max(b[2] for b in self.bars) or 1
        count_w = self.fontMetrics().horizontalAdvance("00000")
        span = max(10, self.width() - lw - count_w - 8)
        fm = self.fontMetrics()
        for i, (_k, label, value, color) in enumerate(self.bars):
            y = 30 + i * rh
            p.setPen(QColor("#37474F"))
            p.drawText(QRectF(0, y, lw - 8, rh), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(label, Qt.TextElideMode.ElideRight, lw - 8))
            w = span * value / top
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(color))
            p.drawRoundedRect(QRectF(lw, y + 4, max(w, 2 if value else 0), rh - 8), 3, 3)
            p.setPen(QColor("#263238"))
            p.drawText(QRectF(lw + w + 6, y, count_w, rh), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       str(value))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        i = int((event.position().y() - 30) // self._row_height())
        if 0 <= i < len(self.bars) and event.position().y() >= 30:
            self.bar_clicked.emit(self.bars[i][0])
