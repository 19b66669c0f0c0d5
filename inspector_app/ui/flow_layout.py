"""A layout that places its widgets left to right and wraps them onto the next row when the
width runs out (the filter bar over the findings table: one row on a wide screen, two or
three on a 1280 px laptop). Its minimum width is that of its widest item; its height follows
the width it is given (height-for-width), as Qt's flow layout example does."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    # -- QLayout's item interface ----------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        if 0 <= index < len(self._items):
            return self._items.pop(index)
        return None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        """Everything on one row."""
        width = sum(item.sizeHint().width() for item in self._shown()) + self._gap * max(0, len(self._shown()) - 1)
        height = max((item.sizeHint().height() for item in self._shown()), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:  # noqa: N802
        """The widest item: narrower, it would be cut."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return size.grownBy(self.contentsMargins())

    # -- placing ------------------------------------------------------------------------------------
    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _place(self, rect: QRect, *, move: bool) -> int:
        """Lay the items out in ``rect`` (or only measure): the height the rows take."""
        m: QMargins = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, row_height = area.x(), area.y(), 0
        row: list[tuple[QLayoutItem, QPoint, QSize]] = []
        for item in self._shown():
            hint = item.sizeHint().expandedTo(item.minimumSize())
            width = min(hint.width(), max(area.width(), item.minimumSize().width()))
            gap = self._gap
            if row and x + width > area.x() + area.width():
                self._set_row(row, row_height, move)
                x, y, row_height, row = area.x(), y + row_height + gap, 0, []
            row.append((item, QPoint(x, y), QSize(width, hint.height())))
            x += width + gap
            row_height = max(row_height, hint.height())
        self._set_row(row, row_height, move)
        return y + row_height - rect.y() + m.bottom()

    @staticmethod
    def _set_row(row: list[tuple[QLayoutItem, QPoint, QSize]], height: int, move: bool) -> None:
        if not move:
            return
        for item, at, size in row:  # each item centred in its row's height
            item.setGeometry(QRect(QPoint(at.x(), at.y() + (height - size.height()) // 2), size))


def flow_row(widgets: list[QWidget], parent: QWidget | None = None) -> FlowLayout:
    """A FlowLayout holding ``widgets`` in order (the parent, when given, gets it as its layout)."""
    flow = FlowLayout(parent)
    for widget in widgets:
        flow.addWidget(widget)
    return flow
