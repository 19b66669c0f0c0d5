"""Floor plans: one drawing per building and floor, with the findings pinned on it.

Plan-first entry: in 记录问题 mode a click on the drawing (a drag still pans) records a finding
there; the context menu (right click, two-finger tap on a touchpad) offers the same at any time,
and places the selected finding's pin.

The scene is in the drawing's own pixel coordinates (what the core stores), so a pin stays
on its spot whatever the zoom; the picture shown is a cached rendition scaled up to that
size. Pins take the grade's colour; a closed or verified finding's pin is hollow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QContextMenuEvent, QFont, QMouseEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QGraphicsEllipseItem,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..values.dto import FloorPlanInfo, PinInfo
from .action_dialog import ActionDialog, choice, line
from .i18n import tr
from .photo_viewer import PhotoView

DISPLAY_SIDE = 3000


class PinItem(QGraphicsEllipseItem):
    def __init__(self, pin: PinInfo, color: str, radius: float) -> None:
        super().__init__(QRectF(-radius, -radius, 2 * radius, 2 * radius))
        self.pin = pin
        self.setPos(QPointF(pin.x, pin.y))
        done = pin.status in ("verified", "closed")
        self.setPen(QPen(QColor(color), radius * 0.35))
        self.setBrush(QBrush(QColor("#FFFFFF" if done else color)))
        self.setToolTip(f"{pin.label} {pin.grade} · {pin.description}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(10)
        font = QFont()
        font.setPixelSize(int(radius * 1.5))
        font.setBold(True)
        tag = QGraphicsRectItem(self)
        label = QGraphicsSimpleTextItem(pin.label, tag)
        label.setFont(font)
        label.setBrush(QBrush(QColor("#263238")))
        box = label.boundingRect()
        tag.setRect(QRectF(0, 0, box.width() + radius * 0.6, box.height()))
        tag.setBrush(QBrush(QColor(255, 255, 255, 220)))
        tag.setPen(QPen(QColor(color), radius * 0.12))
        label.setPos(radius * 0.3, 0)
        tag.setPos(radius * 1.2, -box.height() / 2)


class PlanCanvas(PhotoView):
    pin_clicked = Signal(int)
    place_requested = Signal(float, float)
    record_requested = Signal(float, float)  # a new finding at this point of the drawing

    def __init__(self) -> None:
        super().__init__()
        self.placing = False
        self.recording = False
        self.place_label: str | None = None  # the selected finding, offered in the context menu
        self.plan: FloorPlanInfo | None = None
        self.marker: QGraphicsEllipseItem | None = None
        self._press: QPointF | None = None

    def show_plan(self, plan: FloorPlanInfo, image_path: str, pins: list[PinInfo], colors: dict[str, str]) -> None:
        self.plan = plan
        self.scene().clear()
        self._overlay.clear()
        pix = QPixmap(image_path)
        item = self.scene().addPixmap(pix)
        item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        item.setScale(plan.width / max(1, pix.width()))
        self.size_ = (float(plan.width), float(plan.height))
        self.scene().setSceneRect(QRectF(0, 0, plan.width, plan.height))
        radius = max(plan.width, plan.height) / 110
        for pin in pins:
            self.scene().addItem(PinItem(pin, colors.get(pin.grade, "#E53935"), radius))
        self.marker = None
        self.fit()

    def inside(self, p: QPointF) -> bool:
        return self.plan is not None and 0 <= p.x() <= self.plan.width and 0 <= p.y() <= self.plan.height

    def mark(self, x: float, y: float) -> None:
        """A dashed ring where the finding being recorded will be pinned."""
        self.clear_mark()
        if self.plan is None:
            return
        r = max(self.plan.width, self.plan.height) / 80
        self.marker = self.scene().addEllipse(QRectF(x - r, y - r, 2 * r, 2 * r),
                                              QPen(QColor("#E53935"), r * 0.3, Qt.PenStyle.DashLine))
        self.marker.setZValue(20)

    def clear_mark(self) -> None:
        if self.marker is not None and self.marker.scene() is self.scene():
            self.scene().removeItem(self.marker)
        self.marker = None

    def context_menu(self, pos: QPoint) -> QMenu | None:
        """The menu at a point of the view: record a finding there, or place the selected one."""
        p = self.mapToScene(pos)
        if not self.inside(p):
            return None
        menu = QMenu(self)
        menu.addAction(tr("在此记录问题…"), lambda: self.record_requested.emit(p.x(), p.y()))
        if self.place_label:
            menu.addAction(tr("将 {0} 放置在此").format(self.place_label),
                           lambda: self.place_requested.emit(p.x(), p.y()))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(event.pos())
        if menu is not None:
            menu.exec(event.globalPos())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        p = self.mapToScene(event.position().toPoint())
        if self.placing and self.plan is not None and event.button() == Qt.MouseButton.LeftButton:
            self.placing = False
            self.set_tool("pan")
            if self.recording:
                self.setCursor(Qt.CursorShape.CrossCursor)
            self.place_requested.emit(p.x(), p.y())
            return
        for item in self.scene().items(p):
            target = item if isinstance(item, PinItem) else item.parentItem()
            if isinstance(target, PinItem):
                self.pin_clicked.emit(target.pin.finding_id)
                return
        if self.recording and event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()  # a click records; a drag pans, as in the other modes
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press = self._press, None
        super().mouseReleaseEvent(event)
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if (event.position() - press).manhattanLength() <= QApplication.startDragDistance():
            p = self.mapToScene(event.position().toPoint())
            if self.inside(p):
                self.record_requested.emit(p.x(), p.y())


class FloorPlanView(QWidget):
    """Pick a drawing, see its pins, import a drawing, place the selected finding."""

    finding_clicked = Signal(int)
    import_requested = Signal(dict)  # {"building", "floor", "path", "page"}
    place_requested = Signal(int, float, float)  # plan id, x, y
    record_requested = Signal(int, float, float)  # plan id, x, y: a new finding there

    def __init__(self, grade_colors: dict[str, str]) -> None:
        super().__init__()
        self.colors = grade_colors
        self.plans: list[FloorPlanInfo] = []
        self.finding_label: str | None = None
        self.buildings: list[str] = []
        self.picker = QComboBox()
        self.picker.setMinimumWidth(200)
        self.import_button = QPushButton(tr("导入平面图…"))
        self.place_button = QPushButton(tr("在图上放置所选问题"))
        self.place_button.setEnabled(False)
        self.record_button = QPushButton(tr("记录问题模式"))
        self.record_button.setCheckable(True)
        self.record_button.setToolTip(tr("打开后，点击图纸上的位置即在该处记录问题（拖动仍可平移）；"
                                         "任何时候也可右键图纸选择“在此记录问题…”"))
        self.record_button.setEnabled(False)
        self._idle_status: str | None = None
        self.status = QLabel()
        self.status.setStyleSheet("color:#607D8B")
        self.canvas = PlanCanvas()
        self.canvas.pin_clicked.connect(self.finding_clicked)
        self.canvas.place_requested.connect(self._place)
        self.canvas.record_requested.connect(self._record)
        self.record_button.toggled.connect(self.set_recording)
        self.import_button.clicked.connect(self.ask_import)
        self.place_button.clicked.connect(self.start_placing)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("图纸：")))
        bar.addWidget(self.picker)
        bar.addWidget(self.import_button)
        bar.addWidget(self.place_button)
        bar.addWidget(self.record_button)
        for text, slot in ((tr("适合窗口"), self.canvas.fit), (tr("放大"), lambda: self.canvas.zoom(1.25)),
                           (tr("缩小"), lambda: self.canvas.zoom(0.8))):
            b = QPushButton(text)
            b.clicked.connect(slot)
            bar.addWidget(b)
        bar.addStretch(1)
        col = QVBoxLayout(self)
        col.addLayout(bar)
        col.addWidget(self.canvas, 1)
        col.addWidget(self.status)
        self.picker.currentIndexChanged.connect(self._picked)
        self.loader: Callable[[FloorPlanInfo], tuple[str, list[PinInfo]]] | None = None
        self.dialog: ActionDialog | None = None

    def set_plans(self, plans: list[FloorPlanInfo], buildings: list[str],
                  loader: Callable[[FloorPlanInfo], tuple[str, list[PinInfo]]], select: int | None = None) -> None:
        self.plans, self.buildings, self.loader = plans, buildings, loader
        current = select if select is not None else self.picker.currentData()
        self.picker.blockSignals(True)
        self.picker.clear()
        for p in plans:
            self.picker.addItem(tr("{0} {1}（{2} 个图钉）").format(p.building, p.floor, p.pins), p.id)
        self.picker.setCurrentIndex(max(0, self.picker.findData(current)))
        self.picker.blockSignals(False)
        self.place_button.setEnabled(bool(plans) and self.finding_label is not None)
        self.record_button.setEnabled(bool(plans))
        if not plans:
            self.canvas.scene().clear()
            self.status.setText(tr("本项目尚无平面图：点“导入平面图…”选择 PDF 图纸或图片。"))
        self._picked()

    def current_plan(self) -> FloorPlanInfo | None:
        pid = self.picker.currentData()
        return next((p for p in self.plans if p.id == pid), None)

    def _picked(self) -> None:
        plan = self.current_plan()
        if plan is None or self.loader is None:
            return
        path, pins = self.loader(plan)
        self.canvas.show_plan(plan, path, pins, self.colors)
        text = tr("{0} {1} · 来源 {2} · {3}×{4} 像素 · 图钉按等级着色，空心为已关闭").format(
            plan.building, plan.floor, plan.source_name, plan.width, plan.height)
        if self.canvas.recording:  # the mode's hint stays; this comes back when the mode ends
            self._idle_status = text
        else:
            self.status.setText(text)

    def set_finding(self, label: str | None) -> None:
        self.finding_label = label
        self.canvas.place_label = label
        self.place_button.setEnabled(label is not None and bool(self.plans))
        self.place_button.setText(tr("在图上放置 {0}").format(label) if label else tr("在图上放置所选问题"))

    def start_placing(self) -> None:
        self.canvas.placing = True
        self.canvas.setCursor(Qt.CursorShape.CrossCursor)
        self.canvas.setDragMode(PlanCanvas.DragMode.NoDrag)
        self.status.setText(tr("点击图纸上的位置放置图钉"))

    def set_recording(self, on: bool) -> None:
        """记录问题 mode: a click on the drawing records a finding at that point."""
        self.record_button.setChecked(on)
        self.canvas.recording = on
        self.canvas.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.OpenHandCursor)
        if on:
            self._idle_status = self.status.text()
            self.status.setText(tr("记录问题模式：点击图纸上的位置，在该处记录问题；拖动平移，滚轮缩放"))
        elif self._idle_status is not None:
            self.status.setText(self._idle_status)
            self._idle_status = None

    def _record(self, x: float, y: float) -> None:
        plan = self.current_plan()
        if plan is not None:
            self.canvas.mark(x, y)
            self.record_requested.emit(plan.id, x, y)

    def _place(self, x: float, y: float) -> None:
        plan = self.current_plan()
        if plan is not None:
            self.place_requested.emit(plan.id, x, y)

    def ask_import(self, path: str | None = None) -> ActionDialog | None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, tr("选择平面图"), "", tr("图纸 (*.pdf *.png *.jpg *.jpeg)"))
        if not path:
            return None

        def submit(v: dict[str, Any]) -> None:
            page = int(v["page"]) if str(v["page"]).isdigit() else 1
            self.import_requested.emit({"building": v["building"], "floor": v["floor"], "path": path, "page": page})

        self.dialog = ActionDialog(tr("导入平面图"), [
            ("building", tr("单体"), choice([(b, b) for b in self.buildings])),
            ("floor", tr("楼层"), line(placeholder=tr("如 3F、B1、屋面"))),
            ("page", tr("PDF 页码"), line("1")),
        ], submit, self)
        self.dialog.open()
        return self.dialog
