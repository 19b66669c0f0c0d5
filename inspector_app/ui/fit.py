"""Windows that fit the screen they open on: a site laptop at 1366x768, or 1920x1080 at 150 %
(1280x720 logical pixels). ``fit_dialog`` puts a dialog's content in a scroll area and keeps
its buttons (OK/Cancel) below it, always visible; ``place`` opens a window no larger than the
screen's available area, centred in it."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

# the window manager's frame and title bar, unknown before the first show
FRAME = QSize(16, 48)
# how low a dialog's scrolled content may be squeezed before the dialog stops shrinking
MIN_CONTENT_HEIGHT = 160
FALLBACK = QRect(0, 0, 1280, 720)


def available(widget: QWidget | None = None) -> QRect:
    """The screen's area left by task bars: the screen ``widget`` is on, else the primary one."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else FALLBACK


def room(widget: QWidget | None = None) -> QSize:
    """The largest size a window's content may take on that screen, its frame left around it."""
    return available(widget).size() - FRAME


def place(window: QWidget, wanted: QSize) -> None:
    """Size ``window`` to ``wanted``, capped to the screen, and centre it in the available area."""
    area = available(window)
    size = wanted.boundedTo(area.size() - FRAME).expandedTo(window.minimumSizeHint().boundedTo(area.size()))
    window.resize(size)
    outer = size + FRAME
    window.move(area.x() + max(0, (area.width() - outer.width()) // 2),
                area.y() + max(0, (area.height() - outer.height()) // 2))


class FitScroll(QScrollArea):
    """A scroll area that asks for its content's whole size (QScrollArea caps its hint at a small
    box) and can shrink to a strip of it; only as wide as the content needs, up to the screen."""

    def __init__(self, content: QWidget, limit: QSize) -> None:
        super().__init__()
        self.limit = limit
        self.setObjectName("fit_scroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(content)

    def _bar(self) -> int:
        return self.verticalScrollBar().sizeHint().width()

    def sizeHint(self) -> QSize:  # noqa: N802
        content = self.widget()
        hint = content.sizeHint().expandedTo(content.minimumSizeHint()) if content is not None else QSize(0, 0)
        return QSize(hint.width() + self._bar(), hint.height()).boundedTo(self.limit)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        content = self.widget()
        least = content.minimumSizeHint() if content is not None else QSize(0, 0)
        return QSize(min(least.width() + self._bar(), self.limit.width()),
                     min(least.height(), MIN_CONTENT_HEIGHT, self.limit.height()))


def fit_dialog(dialog: QDialog, *keep: QWidget | QLayout) -> FitScroll:
    """Move ``dialog``'s content into a scroll area; what ``keep`` names (a refusal's label, a row
    of buttons) and the dialog's QDialogButtonBox stay below it, in that order, outside the scroll,
    so the reason for a refusal and OK/Cancel are always on screen. The dialog opens at its natural size, or larger when it was given a size, capped to
the screen.
    Call at the end of the dialog's construction, once its layout is complete."""
    page = dialog.layout()
    if page is None:
        raise ValueError("fit_dialog: the dialog has no layout yet")
    boxes = [box for box in dialog.findChildren(QDialogButtonBox) if _holder(page, box) is not None]
    keep = (*keep, *(box for box in boxes if box not in keep))
    wanted = dialog.size() if dialog.testAttribute(Qt.WidgetAttribute.WA_Resized) else None
    for item in keep:
        holder = _holder(page, item)
        if holder is None:
            raise ValueError("fit_dialog: what is to stay visible is not in the dialog's layout")
        if isinstance(item, QLayout):
            holder.removeItem(item)
        else:
            holder.removeWidget(item)
    margins = page.contentsMargins()
    content = QWidget()
    content.setObjectName("fit_content")
    content.setLayout(page)  # takes the layout, and its widgets, from the dialog
    page.setContentsMargins(0, 0, 0, 0)
    limit = room(dialog)
    scroll = FitScroll(content, limit - QSize(margins.left() + margins.right(), margins.top() + margins.bottom()))
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(margins)
    outer.addWidget(scroll, 1)
    for item in keep:
        if isinstance(item, QLayout):
            outer.addLayout(item)
        else:
            outer.addWidget(item)
    dialog.setMinimumSize(dialog.minimumSize().boundedTo(limit))
    natural = dialog.sizeHint()
    dialog.resize((wanted.expandedTo(natural) if wanted else natural).boundedTo(limit)
                  .expandedTo(dialog.minimumSizeHint()))
    return scroll


def _holder(layout: QLayout, target: QWidget | QLayout) -> QLayout | None:
    """The layout (``layout`` or one nested in it) that directly holds ``target``."""
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item is None:
            continue
        if item.widget() is target or item.layout() is target:
            return layout
        inner = item.layout()
        if inner is not None:
            found = _holder(inner, target)
            if found is not None:
                return found
    return None
