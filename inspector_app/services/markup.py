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
    where, n = "markup.shape", {"shape": i + 1}
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ValidationError(where, "markup.unknown_kind", kind=kind, choices=list(KINDS), **n)
    points = raw.get("points") or []
    if not isinstance(points, list) or len(points) < KINDS[kind] or len(points) > MAX_POINTS:
        raise ValidationError(where, "markup.point_count", kind=kind, minimum=KINDS[kind], maximum=MAX_POINTS, **n)
    clean: list[list[float]] = []
    for pt in points:
        try:
            x, y = float(pt[0]), float(pt[1])
        except (TypeError, ValueError, IndexError):
            raise ValidationError(where, "markup.bad_point", point=repr(pt), **n) from None
        if not (-0.05 <= x <= 1.05 and -0.05 <= y <= 1.05):
            raise ValidationError(where, "markup.point_outside", x=x, y=y, **n)
        clean.append([round(min(max(x, 0.0), 1.0), 5), round(min(max(y, 0.0), 1.0), 5)])
    color = raw.get("color") or DEFAULT_COLOR
    if not COLOR.match(str(color)):
        raise ValidationError(where, "markup.bad_color", color=color, **n)
    width = float(raw.get("width") or 0.006)
    if not 0.0005 <= width <= 0.05:
        raise ValidationError(where, "markup.bad_width", width=width, **n)
    text = str(raw.get("text") or "")
    if kind == "text" and not text.strip():
        raise ValidationError(where, "markup.text_empty", **n)
    if len(text) > 200:
        raise ValidationError(where, "markup.text_too_long", length=len(text), limit=200, **n)
    return {"kind": kind, "points": clean, "color": str(color).upper(), "width": round(width, 5), "text": text}


def set_markup(db: Database, photo_id: int, shapes: list[dict[str, Any]]) -> dto.PhotoInfo:
    """Replace the overlay of one photo (an empty list removes it). Audited like any edit."""
    if len(shapes) > MAX_SHAPES:
        raise ValidationError("markup", "markup.too_many_shapes", count=len(shapes), limit=MAX_SHAPES)
    clean = [check_shape(s, i) for i, s in enumerate(shapes)]
    with db.write() as s:
        photo = s.get(Photo, photo_id)
        if photo is None:
            raise NotFound("photo", photo_id)
        photo.markup = json.dumps(clean, ensure_ascii=False) if clean else None
        s.flush()
        return photo_info(photo)


def get_photo(db: Database, photo_id: int) -> dto.PhotoInfo:
    with db.read() as s:
        photo = s.get(Photo, photo_id)
        if photo is None:
            raise NotFound("photo", photo_id)
        return photo_info(photo)
