"""A strip of photo thumbnails as a model/view list that loads lazily.

Only rows the view paints ask for a picture; a picture comes from the cached 320 px
thumbnail (never the original) and is kept in a small LRU. A missing thumbnail shows a
placeholder and is made in the background by ``request_thumbnail``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap

from ..values.dto import PhotoInfo

PhotoRole = Qt.ItemDataRole.UserRole + 1


class PhotoStripModel(QAbstractListModel):
    def __init__(self, cached_thumb: Callable[[str], Path | None],
                 request_thumbnail: Callable[[str], None] | None = None, cache_size: int = 300) -> None:
        super().__init__()
        self.photos: list[PhotoInfo] = []
        self.role_names: dict[str, str] = {}  # from the project's rule set
        self.cached_thumb = cached_thumb
        self.request_thumbnail = request_thumbnail
        self.cache: OrderedDict[str, QIcon] = OrderedDict()
        self.cache_size = cache_size
        self.loads = 0
        self._requested: set[str] = set()
        placeholder = QPixmap(QSize(150, 112))
        placeholder.fill(QColor("#CFD8DC"))
        self.placeholder = QIcon(placeholder)

    def set_photos(self, photos: list[PhotoInfo]) -> None:
        self.beginResetModel()
        self.photos = photos
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.photos)

    def _icon(self, sha: str) -> QIcon:
        icon = self.cache.get(sha)
        if icon is not None:
            self.cache.move_to_end(sha)
            return icon
        path = self.cached_thumb(sha)
        if path is None:
            if self.request_thumbnail is not None and sha not in self._requested:
                self._requested.add(sha)
                self.request_thumbnail(sha)
            return self.placeholder
        self.loads += 1
        icon = QIcon(QPixmap(str(path)))
        self.cache[sha] = icon
        if len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return icon

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
        if role == Qt.ItemDataRole.DisplayRole:
            name = self.role_names.get(p.role, p.role)
            marked = " ✎" if p.markup else ""
            return f"{name}{marked}\n{p.taken_at:%m-%d %H:%M}" if p.taken_at else f"{name}{marked}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(p.sha256)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{p.original_name}\n{p.width}×{p.height}\nSHA-256 {p.sha256}"
        if role == PhotoRole:
            return p
        return None
