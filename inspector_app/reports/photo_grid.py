"""Photo evidence in a report: the cached upright JPEG rendition embedded from its file (never
decoded here), markup shapes drawn over it, a caption under it; before and after side by side.

A finding shows 1 photo full width, or rows of 2 (2 or 4 photos per block); each row is its
own flowable so a block may break between rows, never through a photo. A finding with more
photos than a block shows says how many more there are (另有 N 张，见附件), and the photo annex
lists every photo of the report with its id, role, time taken and SHA-256. Each caption names
the photo by its id."""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import zip_longest

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from ..values.dto import FindingInfo
from ..values.report import MarkupShape, PhotoRef
from . import fonts, images
from .layout import BODY_W

GAP = 4 * mm
CAPTION_H = 9 * mm
SINGLE_BOX = (120 * mm, 80 * mm)
# The height of a 2-up row's boxes over their width: low enough that two findings (heading, facts
# and first photo row, kept together) share a page; a 4:3 photo is drawn 75 x 56 mm.
ROW_ASPECT = 0.66
FRAME = colors.HexColor("#BDBDBD")


def _rgb(value: str) -> colors.Color:
    try:
        return colors.HexColor(value)
    except (ValueError, TypeError):
        return colors.HexColor("#E53935")


def draw_markup(canvas: Canvas, shapes: Sequence[MarkupShape], x: float, y: float, w: float, h: float) -> None:
    """Draw markup shapes over an image placed at (x, y) with size (w, h) in PDF units.

    Shape points are normalised over the upright image with y pointing down; the stroke width
    is a fraction of the image width."""
    if not shapes:
        return

    def at(px: float, py: float) -> tuple[float, float]:
        return x + px * w, y + (1.0 - py) * h

    canvas.saveState()
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    for s in shapes:
        pts = [at(px, py) for px, py in s.points]
        if not pts:
            continue
        colour = _rgb(s.color)
        stroke = max(s.width * w, 0.5)
        canvas.setStrokeColor(colour)
        canvas.setFillColor(colour)
        canvas.setLineWidth(stroke)
        if s.kind in ("rect", "ellipse") and len(pts) >= 2:
            (x0, y0), (x1, y1) = pts[0], pts[1]
            shape = canvas.rect if s.kind == "rect" else canvas.ellipse
            if s.kind == "rect":
                shape(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0), stroke=1, fill=0)
            else:
                shape(x0, y0, x1, y1, stroke=1, fill=0)
        elif s.kind in ("line", "arrow", "freehand") and len(pts) >= 2:
            path = canvas.beginPath()
            path.moveTo(*pts[0])
            for p in pts[1:]:
                path.lineTo(*p)
            canvas.drawPath(path, stroke=1, fill=0)
            if s.kind == "arrow":
                _arrow_head(canvas, pts[-2], pts[-1], stroke)
        elif s.kind == "text" and s.text:
            size = max(min(w * 0.045, 14), 6)
            fonts.draw(canvas, pts[0][0], pts[0][1] - size, s.text, size)
    canvas.restoreState()


def _arrow_head(canvas: Canvas, a: tuple[float, float], b: tuple[float, float], stroke: float) -> None:
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    size = max(stroke * 4, 4)
    path = canvas.beginPath()
    path.moveTo(*b)
    for side in (-1, 1):
        path.lineTo(b[0] - size * math.cos(angle + side * 0.45), b[1] - size * math.sin(angle + side * 0.45))
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


CAPTION_LINES = 2


def caption(f: FindingInfo, p: PhotoRef, roles: dict[str, str], where_max: int | None = None) -> str:
    """F003 整改前 · 照片 24 · 1#楼 B2 ③~⑤轴 · 2024-11-26 (the place cut to ``where_max`` characters)."""
    where = " ".join(x for x in (f.building, f.floor, f.location) if x)
    where = " ".join(where.split())
    if where_max is not None and len(where) > where_max:
        where = where[:max(where_max - 1, 0)] + "…"
    day = (p.taken_at.date() if p.taken_at else f.found_on).isoformat()
    return " · ".join(x for x in (f"{f.label} {roles.get(p.role, p.role)}", f"照片 {p.id}", where, day) if x)


def caption_para(f: FindingInfo, p: PhotoRef, roles: dict[str, str], style: ParagraphStyle,
                 width: float) -> Paragraph:
    """The caption on at most two lines under the photo: a long place is shortened, the photo id
    and the day are always there."""
    where_len = len(" ".join(x for x in (f.building, f.floor, f.location) if x))
    lo, hi = 0, where_len
    para = Paragraph(fonts.para(caption(f, p, roles)), style)
    if para.wrap(width, CAPTION_H)[1] <= CAPTION_LINES * style.leading + 0.01:
        return para
    while lo < hi:  # the longest place that keeps the caption on two lines
        mid = (lo + hi + 1) // 2
        if Paragraph(fonts.para(caption(f, p, roles, mid)), style).wrap(width, CAPTION_H)[1] \
                <= CAPTION_LINES * style.leading + 0.01:
            lo = mid
        else:
            hi = mid - 1
    return Paragraph(fonts.para(caption(f, p, roles, lo)), style)


def fit(img_w: int, img_h: int, box_w: float, box_h: float) -> tuple[float, float]:
    scale = min(box_w / max(img_w, 1), box_h / max(img_h, 1))
    return img_w * scale, img_h * scale


class PhotoRow(Flowable):  # type: ignore[misc]
    """One row of photos (1 or 2 cells), each fitted into its box and captioned."""

    def __init__(self, finding: FindingInfo, cells: Sequence[PhotoRef | None], style: ParagraphStyle,
                 roles: dict[str, str]) -> None:
        super().__init__()
        self.finding, self.cells, self.style, self.roles = finding, list(cells), style, roles
        if len(self.cells) == 1:
            self.box_w, self.box_h = SINGLE_BOX
        else:
            self.box_w = (BODY_W - GAP) / 2
            self.box_h = self.box_w * ROW_ASPECT
        self.height = self.box_h + CAPTION_H

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return BODY_W, self.height

    def draw(self) -> None:
        c = self.canv
        n = len(self.cells)
        x0 = (BODY_W - self.box_w) / 2 if n == 1 else 0
        for i, p in enumerate(self.cells):
            x = x0 + i * (self.box_w + GAP)
            if p is None:
                continue
            w, h = fit(p.width, p.height, self.box_w, self.box_h)
            ix, iy = x + (self.box_w - w) / 2, CAPTION_H + (self.box_h - h) / 2
            deferred = getattr(getattr(c, "_doctemplate", None), "images", None)
            if isinstance(deferred, dict):  # a ReportDoc embeds the JPEG file after layout
                deferred[p.sha256] = p.path
                images.draw_placeholder(c, p.sha256, ix, iy, w, h)
            else:
                c.drawImage(p.path, ix, iy, w, h)  # the JPEG file is embedded as is
            draw_markup(c, p.markup, ix, iy, w, h)
            c.setStrokeColor(FRAME)
            c.setLineWidth(0.4)
            c.rect(ix, iy, w, h, stroke=1, fill=0)
            para = caption_para(self.finding, p, self.roles, self.style, self.box_w)
            _, ph = para.wrap(self.box_w, CAPTION_H)
            para.drawOn(c, x, CAPTION_H - ph - 1.5 * mm)


def arrange(photos: Sequence[PhotoRef]) -> list[list[PhotoRef | None]]:
    """Rows of a finding's photos: before and after paired left and right, then the others
    two by two; a lone photo gets the full width."""
    before = [p for p in photos if p.role == "before"]
    after = [p for p in photos if p.role == "after"]
    other = [p for p in photos if p.role not in ("before", "after")]
    if len(photos) == 1:
        return [[photos[0]]]
    rows: list[list[PhotoRef | None]] = []
    if after:
        rows += [[b, a] for b, a in zip_longest(before, after)]
        rest = other
    else:
        rest = [*before, *other]
    rows += [list(rest[i:i + 2]) + [None] * (2 - len(rest[i:i + 2])) for i in range(0, len(rest), 2)]
    return rows


BLOCK_LIMIT = 4  # photos a finding's block shows; the others are listed in the photo annex


def shown(photos: Sequence[PhotoRef], limit: int | None = BLOCK_LIMIT) -> list[PhotoRef]:
    """The photos a finding's block shows: at most ``limit``, before/after kept (up to half
    of them after-photos), in their order."""
    chosen = list(photos)
    if limit is not None and len(chosen) > limit:
        after = [p for p in chosen if p.role == "after"][: limit // 2]
        chosen = [p for p in chosen if p.role != "after"][: limit - len(after)] + after
    return chosen


def photo_rows(finding: FindingInfo, photos: Sequence[PhotoRef], style: ParagraphStyle, roles: dict[str, str],
               limit: int | None = BLOCK_LIMIT) -> list[Flowable]:
    """The photo block of one finding (at most ``limit`` photos, before/after kept)."""
    return [PhotoRow(finding, row, style, roles) for row in arrange(shown(photos, limit))]
