"""Photo viewer with zoom and pan, and non-destructive markup drawn over it.

The viewer shows the 1600 px rendition (never the camera original). Markup shapes are kept
in coordinates normalised to the upright image, so they sit in the same place on the
thumbnail, here and in the report. Each finished shape is saved at once through the core
(undoable there); the original file is never touched.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QMouseEvent,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPolygonItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .fit import fit_dialog
from .i18n import tr

TOOLS = [("pan", "平移"), ("arrow", "箭头"), ("ellipse", "椭圆"), ("rect", "矩形"), ("freehand", "画笔"),
         ("line", "直线"), ("text", "文字")]
COLORS = ["#E53935", "#FDD835", "#1E88E5", "#43A047", "#FFFFFF"]


def shape_items(shape: dict[str, Any], w: float, h: float, min_width: float = 1.0) -> list[QGraphicsItem]:
    """Graphics items for one stored shape over an image of w×h scene units (strokes at least
    ``min_width`` wide: a thumbnail needs them thicker than the photo's own proportion)."""
    pts = [QPointF(x * w, y * h) for x, y in shape["points"]]
    color = QColor(shape.get("color", "#E53935"))
    pen = QPen(color, max(min_width, float(shape.get("width", 0.006)) * w))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    kind = shape["kind"]
    items: list[QGraphicsItem] = []
    if kind in ("rect", "ellipse"):
        rect = QRectF(pts[0], pts[-1]).normalized()
        box: QGraphicsRectItem | QGraphicsEllipseItem = (QGraphicsRectItem(rect) if kind == "rect"
                                                         else QGraphicsEllipseItem(rect))
        box.setPen(pen)
        items.append(box)
    elif kind in ("line", "arrow", "freehand"):
        path = QPainterPath(pts[0])
        for p in pts[1:]:
            path.lineTo(p)
        stroke = QGraphicsPathItem(path)
        stroke.setPen(pen)
        items.append(stroke)
        if kind == "arrow":
            line = QLineF(pts[-2], pts[-1])
            size = pen.widthF() * 4
            angle = math.radians(-line.angle())
            tip = pts[-1]
            left = tip - QPointF(math.cos(angle - 0.45) * size, math.sin(angle - 0.45) * size)
            right = tip - QPointF(math.cos(angle + 0.45) * size, math.sin(angle + 0.45) * size)
            head = QGraphicsPolygonItem(QPolygonF([tip, left, right]))
            head.setPen(QPen(color, 1))
            head.setBrush(QBrush(color))
            items.append(head)
    elif kind == "text":
        font = QFont()
        font.setPixelSize(max(12, int(w * 0.035)))
        font.setBold(True)
        text = QGraphicsSimpleTextItem(shape.get("text", ""))
        text.setFont(font)
        text.setBrush(QBrush(color))
        text.setPen(QPen(QColor("#000000"), max(0.5, w * 0.0012)))
        text.setPos(pts[0])
        items.append(text)
    return items


class PhotoView(QGraphicsView):
    """Zoom with the wheel (around the cursor), pan by dragging; draws with the current tool."""

    shape_finished = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor("#263238"))
        self.setRenderHints(self.renderHints())
        self.pixmap_item: QGraphicsItem | None = None
        self.missing = False  # the photo's file is gone: a note shows, nothing is drawn
        self.size_ = (1.0, 1.0)
        self.tool = "pan"
        self.color = COLORS[0]
        self._points: list[QPointF] = []
        self._preview: list[QGraphicsItem] = []
        self._overlay: list[QGraphicsItem] = []
        self.set_tool("pan")

    def show_image(self, path: str, shapes: list[dict[str, Any]]) -> bool:
        """Show the photo at ``path`` with its markup; False (and a note in its place, nothing to draw
        on) when the file is gone, e.g. the photo was removed meanwhile."""
        self.scene().clear()
        self._overlay.clear()
        pix = QPixmap(path)
        self.missing = pix.isNull()
        if self.missing:
            self.pixmap_item = None
            self.size_ = (1.0, 1.0)
            self._points = []
            note = self.scene().addText(tr("照片文件已不存在（照片可能已被移除）"))
            note.setDefaultTextColor(QColor("#ECEFF1"))
            self.scene().setSceneRect(note.boundingRect())
            self.set_tool("pan")
            return False
        self.pixmap_item = self.scene().addPixmap(pix)
        self.size_ = (float(pix.width()), float(pix.height()))
        self.scene().setSceneRect(QRectF(0, 0, *self.size_))
        self.set_shapes(shapes)
        self.fit()
        return True

    def set_shapes(self, shapes: list[dict[str, Any]]) -> None:
        for item in self._overlay:
            self.scene().removeItem(item)
        self._overlay = []
        if self.missing:
            return
        for shape in shapes:
            for item in shape_items(shape, *self.size_):
                self.scene().addItem(item)
                self._overlay.append(item)

    def fit(self) -> None:
        self.resetTransform()
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def zoom(self, factor: float) -> None:
        current = self.transform().m11()
        if 0.05 < current * factor < 20:
            self.scale(factor, factor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom(1.25 if event.angleDelta().y() > 0 else 0.8)

    def set_tool(self, tool: str) -> None:
        self.tool = tool
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag if tool == "pan" else QGraphicsView.DragMode.NoDrag)
        self.setCursor(Qt.CursorShape.OpenHandCursor if tool == "pan" else Qt.CursorShape.CrossCursor)

    def _norm(self, p: QPointF) -> list[float]:
        w, h = self.size_
        return [min(max(p.x() / w, 0.0), 1.0), min(max(p.y() / h, 0.0), 1.0)]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.tool == "pan" or self.missing or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        p = self.mapToScene(event.position().toPoint())
        if self.tool == "text":
            text, ok = QInputDialog.getText(self, tr("文字标注"), tr("标注文字："))
            if ok and text.strip():
                self.shape_finished.emit({"kind": "text", "points": [self._norm(p)], "text": text.strip(),
                                          "color": self.color, "width": 0.006})
            return
        self._points = [p]

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self._points:
            super().mouseMoveEvent(event)
            return
        p = self.mapToScene(event.position().toPoint())
        if self.tool == "freehand":
            self._points.append(p)
        else:
            self._points = [self._points[0], p]
        self._show_preview()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self._points:
            super().mouseReleaseEvent(event)
            return
        p = self.mapToScene(event.position().toPoint())
        if self.tool != "freehand":
            self._points = [self._points[0], p]
        points = [self._norm(q) for q in self._points]
        self._points = []
        self._clear_preview()
        if len(points) >= 2 and (abs(points[0][0] - points[-1][0]) + abs(points[0][1] - points[-1][1]) > 0.005):
            self.shape_finished.emit({"kind": self.tool, "points": points[:2000], "color": self.color,
                                      "width": 0.006})

    def _clear_preview(self) -> None:
        for item in self._preview:
            self.scene().removeItem(item)
        self._preview = []

    def _show_preview(self) -> None:
        self._clear_preview()
        if len(self._points) < 2:
            return
        shape = {"kind": self.tool, "points": [self._norm(q) for q in self._points], "color": self.color,
                 "width": 0.006}
        for item in shape_items(shape, *self.size_):
            self.scene().addItem(item)
            self._preview.append(item)


Shapes = Callable[[list[dict[str, Any]] | None], None]  # called with the shapes as stored


class MarkupDialog(QDialog):
    """Mark up one photo. ``save(shapes, then)`` stores them (through the undo stack, on the
    writer lane) and calls ``then`` with the shapes as stored (None when refused);
    ``undo(then)``/``redo(then)`` do the same with the shapes after the step."""

    def __init__(self, title: str, image_path: str, shapes: list[dict[str, Any]],
                 save: Callable[[list[dict[str, Any]], Shapes], None],
                 undo: Callable[[Shapes], None], redo: Callable[[Shapes], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(1100, 780)
        self.shapes = list(shapes)
        self._save, self._undo, self._redo = save, undo, redo
        self.view = PhotoView()
        self.view.shape_finished.connect(self._add)
        bar = QHBoxLayout()
        group = QButtonGroup(self)
        self.tool_buttons: dict[str, QToolButton] = {}
        for tool, name in TOOLS:
            b = QToolButton()
            b.setText(tr(name))
            b.setCheckable(True)
            b.clicked.connect(lambda _c=False, t=tool: self.view.set_tool(t))
            group.addButton(b)
            bar.addWidget(b)
            self.tool_buttons[tool] = b
        self.tool_buttons["pan"].setChecked(True)
        for color in COLORS:
            b = QToolButton()
            b.setStyleSheet(f"background:{color};min-width:18px")
            b.setToolTip(color)
            b.clicked.connect(lambda _c=False, c=color: setattr(self.view, "color", c))
            bar.addWidget(b)
        bar.addStretch(1)
        for text, slot in ((tr("撤销"), self.undo), (tr("重做"), self.redo), (tr("清除标注"), self.clear),
                           (tr("适合窗口"), self.view.fit), (tr("放大"), lambda: self.view.zoom(1.25)),
                           (tr("缩小"), lambda: self.view.zoom(0.8)), (tr("关闭"), self.accept)):
            push = QPushButton(text)
            push.clicked.connect(slot)
            bar.addWidget(push)
        self.note = QLabel(tr("标注单独保存，原始照片不被修改；每画一笔即自动保存。滚轮缩放，“平移”工具拖动查看。"))
        self.note.setStyleSheet("color:#607D8B")
        self.note.setWordWrap(True)
        col = QVBoxLayout(self)
        col.addLayout(bar)
        col.addWidget(self.view, 1)
        col.addWidget(self.note)
        fit_dialog(self)  # no larger than the screen; the photo view zooms and pans within it
        if not self.view.show_image(image_path, self.shapes):
            self.photo_gone()

    def photo_gone(self) -> None:
        """The photo was removed (or its file is gone) while open: nothing more to draw or save."""
        self.view.show_image("", [])
        for tool, button in self.tool_buttons.items():
            button.setEnabled(tool == "pan")
        self.tool_buttons["pan"].setChecked(True)
        self.note.setText(tr("这张照片已被移除：标注不能再保存，请关闭此窗口。"))

    def _apply(self, shapes: list[dict[str, Any]] | None) -> None:
        if shapes is not None:
            self.shapes = list(shapes)
            self.view.set_shapes(self.shapes)

    def _add(self, shape: dict[str, Any]) -> None:
        self.shapes = [*self.shapes, shape]  # at once: the next stroke may come before the save returns
        self._save(list(self.shapes), self._apply)

    def clear(self) -> None:
        self.shapes = []
        self._save([], self._apply)

    def undo(self) -> None:
        self._undo(self._apply)

    def redo(self) -> None:
        self._redo(self._apply)


class CompareDialog(QDialog):
    """Before and after side by side: pick a photo on each side, zoom each independently."""

    def __init__(self, title: str, before: list[tuple[str, str, list[dict[str, Any]]]],
                 after: list[tuple[str, str, list[dict[str, Any]]]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(1300, 720)
        row = QHBoxLayout(self)
        self.sides: list[PhotoView] = []
        for label, items in ((tr("整改前"), before), (tr("整改后"), after)):
            col = QVBoxLayout()
            col.addWidget(QLabel(f"<b>{label}</b>{tr('（{0}）').format(len(items))}"))
            view = PhotoView()
            picker = QListWidget()
            picker.setFlow(QListWidget.Flow.LeftToRight)
            picker.setMaximumHeight(60)
            for name, path, shapes in items:
                item = QListWidgetItem(name)
                item.setData(Qt.ItemDataRole.UserRole, (path, shapes))
                picker.addItem(item)
            picker.currentItemChanged.connect(
                lambda cur, _prev, v=view: cur and v.show_image(*cur.data(Qt.ItemDataRole.UserRole)))
            col.addWidget(view, 1)
            col.addWidget(picker)
            if items:
                picker.setCurrentRow(0)
            else:
                col.addWidget(QLabel(tr("尚无照片")))
            row.addLayout(col)
            self.sides.append(view)
        fit_dialog(self)  # no larger than the screen
