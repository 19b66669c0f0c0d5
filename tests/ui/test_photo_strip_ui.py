"""The photo strip under a finding: whole photos letterboxed (never cropped), markup drawn on the
thumbnails and redrawn when it changes, and two caption lines (role, time taken) that fit."""

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPixmap  # noqa: E402
from PySide6.QtWidgets import QStyleOptionViewItem  # noqa: E402

from inspector_app.photos.store import PhotoStore  # noqa: E402
from inspector_app.ui.photo_strip import (  # noqa: E402
    LETTERBOX,
    PICTURE,
    PhotoStripModel,
    PhotoStripView,
    strip_picture,
    thumbnail_image,
)
from inspector_app.values.dto import PhotoInfo  # noqa: E402

ORIENTATION = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "exif-orientation"
needs_testdata = pytest.mark.skipif(not ORIENTATION.is_dir(), reason="../shared/testdata not present")
RING = [{"kind": "ellipse", "points": [[0.3, 0.3], [0.7, 0.7]], "color": "#E53935", "width": 0.01}]


def _stored(tmp_path: Path, name: str) -> tuple[PhotoStore, PhotoInfo]:
    store = PhotoStore(tmp_path / "originals", tmp_path / "cache")
    got = store.ingest(ORIENTATION / name)
    return store, PhotoInfo(1, got.sha256, "before", got.original_name, got.width, got.height,
                            datetime(2025, 11, 3, 14, 25), 1, None)


def _picture(model: PhotoStripModel, row: int = 0) -> QImage:
    picture = model.data(model.index(row), Qt.ItemDataRole.DecorationRole)
    assert isinstance(picture, QPixmap) and picture.size() == PICTURE
    return picture.toImage()


def _difference(a: QImage, b: QImage) -> float:
    """Mean absolute difference of grey levels, 0..255."""
    assert a.size() == b.size()
    a, b = a.convertToFormat(QImage.Format.Format_Grayscale8), b.convertToFormat(QImage.Format.Format_Grayscale8)
    pairs = [(a.pixelColor(x, y).red(), b.pixelColor(x, y).red()) for x in range(a.width()) for y in range(a.height())]
    return sum(abs(p - q) for p, q in pairs) / len(pairs)


def _close(a: QColor, b: QColor, tolerance: int = 6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


@needs_testdata
def test_a_landscape_photo_is_letterboxed_whole_not_cropped(qtbot, tmp_path):
    store, photo = _stored(tmp_path, "Landscape_1.jpg")  # 1800×1200
    model = PhotoStripModel(store.cached_thumbnail)
    model.set_photos([photo])
    img = _picture(model)
    w, h = img.width(), img.height()
    for y in (0, 1, h - 2, h - 1):  # bands above and below: the letterbox colour from edge to edge
        assert all(img.pixelColor(x, y) == LETTERBOX for x in range(w))
    thumb = QImage(str(store.cached_thumbnail(photo.sha256)))
    size = thumb.size().scaled(PICTURE, Qt.AspectRatioMode.KeepAspectRatio)
    assert size.width() == w and size.height() < h - 3  # full width, bands left above and below
    shown = img.copy((w - size.width()) // 2, (h - size.height()) // 2, size.width(), size.height())
    smooth = Qt.TransformationMode.SmoothTransformation
    whole = thumb.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio, smooth)
    middle = thumb.copy(thumb.width() // 8, 0, thumb.width() * 3 // 4, thumb.height()).scaled(
        size, Qt.AspectRatioMode.IgnoreAspectRatio, smooth)  # what a crop to the middle would show
    near, cropped = _difference(shown, whole), _difference(shown, middle)
    assert near < 6 and cropped > max(12.0, 3 * near), (near, cropped)
    assert not any(img.pixelColor(x, h // 2) == LETTERBOX for x in (0, w - 1))


@needs_testdata
def test_a_cropped_thumbnail_left_by_an_older_version_is_made_again(qtbot, tmp_path):
    store, photo = _stored(tmp_path, "Landscape_1.jpg")
    cached = store.cached_thumbnail(photo.sha256)
    QImage(str(cached)).copy(40, 0, 213, 213).save(str(cached), "JPEG")  # the middle of the photo only
    asked = []

    def request(sha, rebuild=False):
        asked.append((sha, rebuild))
        store.thumbnail_path(sha, rebuild=rebuild)
        model.thumbnail_ready(sha)

    model = PhotoStripModel(store.cached_thumbnail, request)
    model.set_photos([photo])
    first = model.data(model.index(0), Qt.ItemDataRole.DecorationRole)
    assert first is model.placeholder and asked == [(photo.sha256, True)]  # never shown cropped
    assert QImage(str(cached)).size().toTuple() == (320, 213)  # the whole photo again
    img = _picture(model)
    assert all(img.pixelColor(x, 0) == LETTERBOX for x in range(img.width()))
    assert img.pixelColor(0, img.height() // 2) != LETTERBOX


@needs_testdata
def test_a_portrait_photo_is_pillarboxed_whole(qtbot, tmp_path):
    store, photo = _stored(tmp_path, "Portrait_1.jpg")
    model = PhotoStripModel(store.cached_thumbnail)
    model.set_photos([photo])
    img = _picture(model)
    assert all(img.pixelColor(x, y) == LETTERBOX for x in (0, img.width() - 1) for y in range(img.height()))
    assert img.pixelColor(img.width() // 2, 0) != LETTERBOX  # top to bottom: the photo
    assert img.pixelColor(img.width() // 2, img.height() - 1) != LETTERBOX


@needs_testdata
def test_markup_is_drawn_on_the_thumbnail_and_redrawn_when_it_changes(qtbot, tmp_path):
    store, photo = _stored(tmp_path, "Landscape_1.jpg")
    model = PhotoStripModel(store.cached_thumbnail)
    model.set_photos([photo])
    plain = _picture(model)
    marked = replace(photo, markup=RING)
    with qtbot.waitSignal(model.dataChanged):
        model.update_photo(marked)  # what the window does when the markup dialog saves
    drawn = _picture(model)
    assert drawn != plain
    changed = [(x, y) for x in range(drawn.width()) for y in range(drawn.height())
               if not _close(drawn.pixelColor(x, y), plain.pixelColor(x, y), 40)]
    reds = [p for p in changed if _close(drawn.pixelColor(*p), QColor("#E53935"), 60)]
    assert len(reds) > 100  # the red ring over the photo
    xs, ys = [p[0] for p in reds], [p[1] for p in reds]
    w = drawn.width()  # a 3:2 photo fills the width: the ring spans 0.3..0.7 of it, as on the photo
    assert 0.3 * w - 4 <= min(xs) and max(xs) <= 0.7 * w + 4
    assert min(ys) < drawn.height() / 2 < max(ys)
    with qtbot.waitSignal(model.dataChanged):
        model.update_photo(photo)  # markup cleared: the plain picture again
    assert _picture(model) == plain
    assert strip_picture(thumbnail_image(store.cached_thumbnail(photo.sha256)), RING) == drawn


def test_captions_show_role_and_time_on_two_lines_that_fit(qtbot):
    model = PhotoStripModel(lambda _sha: None)
    model.role_names = {"before": "整改前", "after": "Rectification completed (after)"}
    at = datetime(2025, 11, 3, 14, 25)
    model.set_photos([PhotoInfo(1, "a" * 64, "before", "IMG_1.JPG", 4000, 3000, at, 1, None, RING),
                      PhotoInfo(2, "b" * 64, "after", "IMG_2.JPG", 4000, 3000, at, 1, None)])
    view = PhotoStripView(model)
    qtbot.addWidget(view)
    view.resize(362, view.minimumHeight())  # the strip at its smallest, as on a 768-pixel-high screen
    view.show()
    assert view.minimumHeight() <= 160
    option = QStyleOptionViewItem()
    option.initFrom(view)
    first, second = model.index(0), model.index(1)
    assert model.data(first, Qt.ItemDataRole.DisplayRole) == "整改前 ✎\n11-03 14:25"
    assert view.delegate.caption_lines(option, first) == ["整改前 ✎", "11-03 14:25"]
    role, time = view.delegate.caption_lines(option, second)
    assert role.endswith("…") and time == "11-03 14:25"  # a long role is shortened, the time is never lost
    cell = view.visualRect(first)
    line = view.fontMetrics().height()
    assert cell.height() >= PICTURE.height() + 2 * line and cell.width() >= PICTURE.width()
    assert cell.bottom() < view.viewport().height()  # the whole cell, both lines, shows at the minimum height
    shot = view.viewport().grab().toImage()
    time_band = [shot.pixelColor(x, y) for x in range(cell.left(), cell.right())
                 for y in range(cell.bottom() - line, cell.bottom())]
    assert any(c.lightness() < 160 for c in time_band)  # the time is drawn, not cut off


def test_the_window_redraws_a_thumbnail_when_its_markup_is_saved(window):
    rows = [window.model.finding(r).label for r in range(window.model.rowCount())]
    window.table.selectRow(rows.index("F001"))
    model = window.panel.strip_model
    row, photo = next((i, p) for i, p in enumerate(model.photos) if p.markup)  # the demo marks a photo of F001
    thumb = thumbnail_image(window.ctx.store.thumbnail_path(photo.sha256))
    marked = _picture(model, row)
    assert marked == strip_picture(thumb, photo.markup) != strip_picture(thumb, [])
    dialog = window.open_markup(photo.id)
    dialog.clear()  # saved at once, through the writer lane
    assert _picture(model, row) == strip_picture(thumb, [])
    dialog.undo()
    assert _picture(model, row) == marked
    dialog.accept()
