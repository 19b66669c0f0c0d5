"""The draft watermark: a large diagonal light-grey 草稿 under every page of an unissued report.

The characters are drawn as filled outlines read from the report font's glyphs, not as text, so
a reader who searches or copies the page's text never gets 草稿 in the middle of a finding's
description; the page header says 草稿 · 未签发 in words. An opaque light grey (no transparency,
valid PDF/A-1 and PDF/A-2), drawn before the page's content so text and photos lie over it."""

from __future__ import annotations

import struct
from functools import cache

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import FILL_NON_ZERO, Canvas

from . import fonts

TEXT = "草稿"
HEADER = "草稿 · 未签发"
COLOR = colors.HexColor("#E4E4E4")
SIZE = 190.0  # pt
ANGLE = 40.0  # degrees

Point = tuple[float, float, bool]  # x, y in font units, on the curve


def _glyph(data: bytes, glyf: int, pos: list[int], gid: int, depth: int = 0) -> list[list[Point]]:
    """The contours of glyph ``gid`` from the TrueType ``glyf`` table (composites resolved)."""
    start, end = glyf + pos[gid], glyf + pos[gid + 1]
    if end <= start or depth > 8:
        return []
    (count,) = struct.unpack_from(">h", data, start)
    at = start + 10
    if count < 0:
        return _composite(data, glyf, pos, at, depth)
    ends = struct.unpack_from(f">{count}H", data, at)
    at += 2 * count
    (skip,) = struct.unpack_from(">H", data, at)
    at += 2 + skip
    total = ends[-1] + 1 if ends else 0
    flags: list[int] = []
    while len(flags) < total:
        flag = data[at]
        at += 1
        flags.append(flag)
        if flag & 8:
            flags += [flag] * data[at]
            at += 1
    coords: list[list[int]] = [[], []]
    for axis, (short, same) in enumerate(((2, 16), (4, 32))):
        value = 0
        for flag in flags:
            if flag & short:
                value += data[at] if flag & same else -data[at]
                at += 1
            elif not flag & same:
                value += struct.unpack_from(">h", data, at)[0]
                at += 2
            coords[axis].append(value)
    points = [(float(x), float(y), bool(f & 1)) for x, y, f in zip(coords[0], coords[1], flags, strict=True)]
    contours, first = [], 0
    for last in ends:
        contours.append(points[first:last + 1])
        first = last + 1
    return contours


def _composite(data: bytes, glyf: int, pos: list[int], at: int, depth: int) -> list[list[Point]]:
    contours: list[list[Point]] = []
    more = True
    while more:
        flags, gid = struct.unpack_from(">HH", data, at)
        at += 4
        if flags & 1:  # ARG_1_AND_2_ARE_WORDS
            dx, dy = struct.unpack_from(">hh", data, at)
            at += 4
        else:
            dx, dy = struct.unpack_from(">bb", data, at)
            at += 2
        if not flags & 2:  # point-matched components: not used by this font's CJK glyphs
            dx = dy = 0
        a, b, c, d = 1.0, 0.0, 0.0, 1.0
        if flags & 8:  # WE_HAVE_A_SCALE
            a = d = struct.unpack_from(">h", data, at)[0] / 16384
            at += 2
        elif flags & 0x40:  # WE_HAVE_AN_X_AND_Y_SCALE
            a, d = (v / 16384 for v in struct.unpack_from(">hh", data, at))
            at += 4
        elif flags & 0x80:  # WE_HAVE_A_TWO_BY_TWO
            a, b, c, d = (v / 16384 for v in struct.unpack_from(">hhhh", data, at))
            at += 8
        for contour in _glyph(data, glyf, pos, gid, depth + 1):
            contours.append([(a * x + c * y + dx, b * x + d * y + dy, on) for x, y, on in contour])
        more = bool(flags & 0x20)  # MORE_COMPONENTS
    return contours


def _segments(contour: list[Point]) -> list[tuple[tuple[float, float], ...]]:
    """A closed quadratic contour as (start), then (control, end) pairs, implied on-points added."""
    if not contour:
        return []
    pts = list(contour)
    if not pts[0][2]:  # start on a curve point
        k = next((i for i, p in enumerate(pts) if p[2]), None)
        if k is None:
            x0, y0, _ = pts[0]
            x1, y1, _ = pts[-1]
            pts.insert(0, ((x0 + x1) / 2, (y0 + y1) / 2, True))
        else:
            pts = pts[k:] + pts[:k]
    out: list[tuple[tuple[float, float], ...]] = [((pts[0][0], pts[0][1]),)]
    control: tuple[float, float] | None = None
    for x, y, on in [*pts[1:], pts[0]]:
        if on:
            out.append((control, (x, y)) if control else ((x, y),))
            control = None
        elif control is None:
            control = (x, y)
        else:
            mid = ((control[0] + x) / 2, (control[1] + y) / 2)
            out.append((control, mid))
            control = (x, y)
    return out


@cache
def _outline(text: str) -> tuple[list[list[tuple[tuple[float, float], ...]]], float]:
    """The text's contours in font units, laid out left to right, and its advance width."""
    face = pdfmetrics.getFont(fonts.register()).face
    glyf, _ = face.get_table_pos("glyf")
    data, pos = face._ttf_data, face.glyphPos
    contours, x = [], 0.0
    for ch in text:
        gid = face.charToGlyph.get(ord(ch), 0)
        for contour in _glyph(data, glyf, pos, gid):
            contours.append(_segments([(px + x, py, on) for px, py, on in contour]))
        x += face.getCharWidth(ord(ch)) * face.unitsPerEm / 1000
    return contours, x


def draw(canv: Canvas, cx: float, cy: float, text: str = TEXT, size: float = SIZE, angle: float = ANGLE) -> None:
    """Draw ``text`` as filled outlines centred on (cx, cy), turned by ``angle`` degrees."""
    face = pdfmetrics.getFont(fonts.register()).face
    contours, width = _outline(text)
    scale = size / face.unitsPerEm
    canv.saveState()
    canv.translate(cx, cy)
    canv.rotate(angle)
    canv.scale(scale, scale)
    canv.translate(-width / 2, -face.unitsPerEm * 0.36)  # the ideographs' middle on the centre
    canv.setFillColor(COLOR)
    path = canv.beginPath()
    for contour in contours:
        cur = contour[0][0]
        path.moveTo(*cur)
        for seg in contour[1:]:
            end = seg[-1]
            if len(seg) == 2:  # a quadratic curve, as the cubic PDF draws
                (qx, qy), (sx, sy), (ex, ey) = seg[0], cur, end
                path.curveTo(sx + 2 / 3 * (qx - sx), sy + 2 / 3 * (qy - sy), ex + 2 / 3 * (qx - ex),
                             ey + 2 / 3 * (qy - ey), ex, ey)
            else:
                path.lineTo(*end)
            cur = end
        path.close()
    canv.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
    canv.restoreState()
