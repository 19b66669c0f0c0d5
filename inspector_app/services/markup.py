"""Non-destructive photo markup: vector shapes kept beside the untouched original.

A shape is ``{"kind", "points", "color", "width", "text"}``; points are normalised to the
upright image (0..1, x right, y down) so the overlay fits any rendition: the viewer's,
the thumbnail's and the report's. The original bytes are never touched.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import NotFound, ValidationError
from ..models import Photo
from ..models.db import Database
from ..values import dto
from .photos import photo_info

KINDS = {"arrow": 2, "line": 2, "rect": 2, "ellipse": 2, "freehand": 2, "text": 1}
MAX_SHAPES = 200
MAX_POINTS = 2000
COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
DEFAULT_COLOR = "#E53935"


def check_shape(raw: dict[str, Any], i: int) -> dict[str, Any]:
    where = f"标注第 {i + 1} 个图形"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ValidationError(where, f"类型“{kind}”未知（可用：{'、'.join(KINDS)}）")
    points = raw.get("points") or []
    if not isinstance(points, list) or len(points) < KINDS[kind] or len(points) > MAX_POINTS:
        raise ValidationError(where, f"{kind} 需要至少 {KINDS[kind]} 个点（至多 {MAX_POINTS} 个）")
    clean: list[list[float]] = []
    for pt in points:
        try:
            x, y = float(pt[0]), float(pt[1])
        except (TypeError, ValueError, IndexError):
            raise ValidationError(where, f"点 {pt!r} 不是一对数字") from None
        if not (-0.05 <= x <= 1.05 and -0.05 <= y <= 1.05):
            raise ValidationError(where, f"点 ({x:.3f}, {y:.3f}) 超出照片范围")
        clean.append([round(min(max(x, 0.0), 1.0), 5), round(min(max(y, 0.0), 1.0), 5)])
    color = raw.get("color") or DEFAULT_COLOR
    if not COLOR.match(str(color)):
        raise ValidationError(where, f"颜色“{color}”应为 #RRGGBB")
    width = float(raw.get("width") or 0.006)
    if not 0.0005 <= width <= 0.05:
        raise ValidationError(where, f"线宽 {width} 超出范围（0.0005–0.05，按照片宽度计）")
    text = str(raw.get("text") or "")
    if kind == "text" and not text.strip():
        raise ValidationError(where, "文字标注不能为空")
    if len(text) > 200:
        raise ValidationError(where, f"文字过长（{len(text)} 字，上限 200）")
    return {"kind": kind, "points": clean, "color": str(color).upper(), "width": round(width, 5), "text": text}


def set_markup(db: Database, photo_id: int, shapes: list[dict[str, Any]]) -> dto.PhotoInfo:
    """Replace the overlay of one photo (an empty list removes it). Audited like any edit."""
    if len(shapes) > MAX_SHAPES:
        raise ValidationError("标注", f"图形过多（{len(shapes)} 个，上限 {MAX_SHAPES}）")
    clean = [check_shape(s, i) for i, s in enumerate(shapes)]
    with db.write() as s:
        photo = s.get(Photo, photo_id)
        if photo is None:
            raise NotFound("照片", str(photo_id))
        photo.markup = json.dumps(clean, ensure_ascii=False) if clean else None
        s.flush()
        return photo_info(photo)


def get_photo(db: Database, photo_id: int) -> dto.PhotoInfo:
    with db.read() as s:
        photo = s.get(Photo, photo_id)
        if photo is None:
            raise NotFound("照片", str(photo_id))
        return photo_info(photo)
