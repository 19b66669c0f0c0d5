"""A strip of photo thumbnails as a model/view list that loads lazily.

Only rows the view paints ask for a picture; a picture comes from the cached 320 px
thumbnail (never the original) and is kept in a small LRU. A missing thumbnail shows a
placeholder and is made in the background by ``request_thumbnail``.

Each picture is the whole photo letterboxed into a fixed box (never cropped) with its markup
drawn over it; the LRU is keyed by the photo and its markup, so a changed markup is redrawn.
Under it the delegate writes two lines: the photo's role and the time it was taken.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageReader,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsScene,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ..values.dto import PhotoInfo
from .i18n import tr

PhotoRole = Qt.ItemDataRole.UserRole + 1
PICTURE = QSize(148, 104)  # between 4:3 and 3:2, the shapes of most site photos
LETTERBOX = QColor("#ECEFF1")
PAD = 4
MARKUP_VIEW = 480.0


def markup_key(shapes: Sequence[dict[str, Any]]) -> str:
    """A short digest of a photo's markup: the picture cache's key changes when the markup does."""
    if not shapes:
        return ""
    return hashlib.sha1(json.dumps(list(shapes), sort_keys=True).encode(), usedforsecurity=False).hexdigest()[:16]


def thumbnail_image(path: Path | str) -> QImage:
    """The cached thumbnail decoded straight at the picture box's size (the JPEG decoder scales as
    it reads: cheaper than decoding 320 px and scaling down)."""
    return _read_scaled(QImageReader(str(path)))


def _read_scaled(reader: QImageReader, size: QSize | None = None) -> QImage:
    size = size if size is not None else reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(PICTURE, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


def strip_picture(thumb: QImage, shapes: Sequence[dict[str, Any]], box: QSize = PICTURE) -> QImage:
    """The whole photo scaled into ``box`` and centred on the letterbox colour, its markup drawn
    over it at the same place as on the photo (points are normalised to the upright image)."""
    out = QImage(box, QImage.Format.Format_RGB32)
    out.fill(LETTERBOX)
    if thumb.isNull():
        return out
    size = thumb.size().scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
    target = QRect((box.width() - size.width()) // 2, (box.height() - size.height()) // 2,
                   size.width(), size.height())
    painter = QPainter(out)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(target, thumb)
    if shapes:
        from .photo_viewer import shape_items  # the viewer's own drawing: same shapes, same place

        # drawn as over a 480 px wide view, then scaled down: labels keep their size relative to the
        # photo (not the 12 px floor a tiny picture would give them); strokes stay 2 px wide
        scale = MARKUP_VIEW / target.width()
        w, h = MARKUP_VIEW, target.height() * scale
        scene = QGraphicsScene()
        scene.setSceneRect(QRectF(0, 0, w, h))
        for shape in shapes:
            for item in shape_items(dict(shape), w, h, min_width=2.0 * scale):
                scene.addItem(item)
        scene.render(painter, QRectF(target), scene.sceneRect())
    painter.end()
    return out


class RequestThumbnail(Protocol):
    def __call__(self, sha: str, rebuild: bool = False) -> None: ...


def shows_whole(size: QSize, photo: PhotoInfo) -> bool:
    """Whether a thumbnail of ``size`` has the photo's proportions (a cropped one from an older
    version, or any other stale one, does not)."""
    if size.isEmpty() or photo.width <= 0 or photo.height <= 0:
        return True  # nothing to compare with
    if size.width() >= size.height():
        return abs(size.width() * photo.height / photo.width - size.height()) <= 2.5
    return abs(size.height() * photo.width / photo.height - size.width()) <= 2.5


class PhotoStripModel(QAbstractListModel):
    def __init__(self, cached_thumb: Callable[[str], Path | None],
                 request_thumbnail: RequestThumbnail | None = None, cache_size: int = 300) -> None:
        super().__init__()
        self.photos: list[PhotoInfo] = []
        self.role_names: dict[str, str] = {}  # from the project's rule set
        self.cached_thumb = cached_thumb
        self.request_thumbnail = request_thumbnail
        self.cache: OrderedDict[tuple[str, str], QPixmap] = OrderedDict()  # (sha256, markup_key)
        self.cache_size = cache_size
        self.loads = 0
        self._requested: set[str] = set()
        self._markup_of: dict[str, str] = {}  # sha256 -> markup_key of its cached picture
        self.placeholder = QPixmap(PICTURE)
        self.placeholder.fill(QColor("#CFD8DC"))

    def set_photos(self, photos: list[PhotoInfo]) -> None:
        self.beginResetModel()
        self.photos = photos
        self.endResetModel()

    def update_photo(self, photo: PhotoInfo) -> None:
        """One photo changed (its markup, its role): its row is redrawn from the new facts."""
        for row, p in enumerate(self.photos):
            if p.id == photo.id:
                self.photos[row] = photo
                idx = self.index(row)
                self.dataChanged.emit(idx, idx)

    def remove_photo(self, photo_id: int) -> bool:
        """A photo removed from its finding or visit: its row goes (the others keep their pictures)."""
        for row, p in enumerate(self.photos):
            if p.id == photo_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.photos[row]
                self.endRemoveRows()
                return True
        return False

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.photos)

    def _picture(self, p: PhotoInfo) -> QPixmap:
        key = (p.sha256, markup_key(p.markup))
        picture = self.cache.get(key)
        if picture is not None:
            self.cache.move_to_end(key)
            return picture
        path = self.cached_thumb(p.sha256)
        if path is None:
            if self.request_thumbnail is not None and p.sha256 not in self._requested:
                self._requested.add(p.sha256)
                self.request_thumbnail(p.sha256)
            return self.placeholder
        reader = QImageReader(str(path))
        size = reader.size()
        if not shows_whole(size, p):
            if self.request_thumbnail is not None and p.sha256 not in self._requested:
                self._requested.add(p.sha256)
                self.request_thumbnail(p.sha256, rebuild=True)
            return self.placeholder
        self.loads += 1
        picture = QPixmap.fromImage(strip_picture(_read_scaled(reader, size), p.markup))
        former = self._markup_of.get(p.sha256)
        if former is not None and former != key[1]:  # the same photo under its former markup
            self.cache.pop((p.sha256, former), None)
        self._markup_of[p.sha256] = key[1]
        self.cache[key] = picture
        if len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return picture

    def thumbnail_ready(self, sha: str) -> None:
        self._requested.discard(sha)
        for row, p in enumerate(self.photos):
            if p.sha256 == sha:
                idx = self.index(row)
                self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        p = self.photos[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:  # two lines: the role, the time taken
            name = self.role_names.get(p.role, p.role)
            marked = " ✎" if p.markup else ""
            return f"{name}{marked}\n{p.taken_at:%m-%d %H:%M}" if p.taken_at else f"{name}{marked}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._picture(p)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{p.original_name}\n{p.width}×{p.height}\nSHA-256 {p.sha256}"
        if role == PhotoRole:
            return p
        return None


class PhotoStripDelegate(QStyledItemDelegate):
    """The picture in its box and two caption lines under it, each line elided on its own (the
    time is never pushed out by a long role name)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        line = option.fontMetrics.height()
        return QSize(PICTURE.width() + 2 * PAD, PICTURE.height() + 3 * PAD + 2 * line)

    def caption_lines(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> list[str]:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        metrics = option.fontMetrics
        return [metrics.elidedText(t, Qt.TextElideMode.ElideRight, PICTURE.width()) for t in text.split("\n")[:2]]

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)  # state only (no initStyleOption: it asks the model for every role)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)  # selection, hover, focus
        rect: QRect = option.rect
        picture = index.data(Qt.ItemDataRole.DecorationRole)
        left = rect.x() + (rect.width() - PICTURE.width()) // 2
        if isinstance(picture, QPixmap):
            painter.drawPixmap(left, rect.y() + PAD, picture)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        line = option.fontMetrics.height()
        top = rect.y() + 2 * PAD + PICTURE.height()
        painter.save()
        for i, text in enumerate(self.caption_lines(option, index)):
            colour = (palette.color(QPalette.ColorRole.HighlightedText) if selected
                      else palette.color(QPalette.ColorRole.Text) if i == 0 else QColor("#546E7A"))
            painter.setPen(colour)
            painter.drawText(QRect(rect.x(), top + i * line, rect.width(), line),
                             int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), text)
        painter.restore()


class PhotoStripView(QListView):
    """The strip: cells as wide as the picture box, as tall as the picture and two caption lines,
    wrapping to the panel's width; at its minimum height one whole row shows. Its context menu and
    the Delete key ask for the removal of the photo under the pointer or selected."""

    remove_requested = Signal(object)  # PhotoInfo

    def __init__(self, model: PhotoStripModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.menu: QMenu | None = None  # the context menu last shown
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.delegate = PhotoStripDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setIconSize(PICTURE)
        self.update_cell()
        self._per_row = self._fit_per_row()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self.updateGeometry)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if not index.isValid():
            return
        self.setCurrentIndex(index)
        photo = index.data(PhotoRole)
        menu = QMenu(self)
        menu.addAction(tr("移除照片…"), lambda: self.remove_requested.emit(photo))
        if self.menu is not None:
            self.menu.deleteLater()
        self.menu = menu
        menu.popup(self.viewport().mapToGlobal(pos))  # not exec(): the window keeps working

    def selected_photo(self) -> PhotoInfo | None:
        """The photo selected (or, with none selected, the one with the focus frame)."""
        chosen = self.selectedIndexes() or ([self.currentIndex()] if self.currentIndex().isValid() else [])
        return chosen[0].data(PhotoRole) if chosen else None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Delete:
            photo = self.selected_photo()
            if photo is not None:
                self.remove_requested.emit(photo)
                event.accept()
                return
        super().keyPressEvent(event)

    def update_cell(self) -> None:
        line = self.fontMetrics().height()
        cell = QSize(PICTURE.width() + 2 * PAD, PICTURE.height() + 3 * PAD + 2 * line)
        self.setGridSize(cell + QSize(8, 2))
        self.setMinimumHeight(cell.height() + 2 + 2 * self.frameWidth())

    def _fit_per_row(self) -> int:
        return max(1, self.viewport().width() // self.gridSize().width())

    def sizeHint(self) -> QSize:  # noqa: N802
        """As high as the photos' whole rows at the present width: one row, or two when there are more."""
        rows = -(-self.model().rowCount() // self._fit_per_row())
        return QSize(super().sizeHint().width(),
                     max(1, min(2, rows)) * self.gridSize().height() + 2 * self.frameWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        per_row = self._fit_per_row()
        if per_row != self._per_row:  # rows wrap differently: another height may be wanted
            self._per_row = per_row
            self.updateGeometry()
