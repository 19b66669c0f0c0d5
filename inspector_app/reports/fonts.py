"""The report fonts: the shipped WenQuanYi Micro Hei, and for the symbols it lacks (Ⓐ~Ⓑ axis
marks, ⌀, ℃, ⓪) two small symbol fonts made from Noto Sans CJK SC and DejaVu Sans
(resources/fonts/README.md); each embedded as a subset TrueType font.

PDF/A wants every font embedded, and a reader without CJK fonts must show the same page, so every
glyph comes from these fonts: a character is drawn by WenQuanYi when it can be, else by the first
symbol font that has it (``para`` tags such runs with ``<font name=...>``; ``draw`` switches fonts
on a canvas), so the PDF's text carries the very characters written. A character none of them has
is replaced before layout (compatibility folding, else "?"), never left to become a box; so is
every character WenQuanYi lacks in the few strings drawn in it alone (``clean``: chart labels)."""

from __future__ import annotations

import unicodedata
from functools import cache
from itertools import groupby
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.graphics import shapes
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ..paths import resource_path
from . import linebreak

rl_config.useA85 = 0  # binary streams: smaller files, and PDF/A does not need ASCII85
rl_config.canvas_basefontname = "WQY"  # no unembedded Helvetica in the page resources

FONT = "WQY"
FONT_FILE = ("fonts", "wqy-microhei.ttc")
SUBFONT = 0  # face 0 of the collection is WenQuanYi Micro Hei; face 1 is its Mono variant
# The fonts of the symbols WenQuanYi lacks, tried in this order.
FALLBACKS = (("IDISymbolsCJK", ("fonts", "idi-symbols-cjk.ttf")), ("IDISymbolsSans", ("fonts", "idi-symbols-sans.ttf")))
# What to write for a character that cannot be drawn (by ``clean``: in the report font alone), tried
# before Unicode compatibility folding.
SUBSTITUTES = {"\u2103": "°C", "\u33a1": "m²", "\u2264": "≤", "\u2265": "≥", "\u00a0": " ", "\u2009": " "}


@cache
def register() -> str:
    """Register the fonts (once) and return the report font's reportlab name."""
    faces = [TTFont(FONT, str(resource_path(*FONT_FILE)), subfontIndex=SUBFONT)]
    faces += [TTFont(name, str(resource_path(*path))) for name, path in FALLBACKS]
    for font in faces:
        pdfmetrics.registerFont(font)
        for bold in (0, 1):
            for italic in (0, 1):  # one face each: <b> in a paragraph must not switch fonts
                addMapping(font.fontName, bold, italic, font.fontName)
    shapes.STATE_DEFAULTS["fontName"] = FONT  # charts start from this state: no unembedded Helvetica
    linebreak.install()  # Chinese line-breaking rules for every CJK paragraph
    return FONT


@cache
def _drawn(name: str) -> frozenset[int]:
    """Characters ``name`` draws: a cmap also maps some (℃ in WenQuanYi) to empty outlines."""
    register()
    face = pdfmetrics.getFont(name).face
    pos = face.glyphPos
    return frozenset(c for c, g in face.charToGlyph.items() if pos[g + 1] > pos[g] or chr(c).isspace())


def _covered() -> frozenset[int]:
    return _drawn(FONT)


@cache
def font_of(ch: str) -> str | None:
    """The font that draws ``ch``: the report font when it can, else the first symbol font that can."""
    if ch in "\n\t":
        return FONT
    for name in (FONT, *(n for n, _ in FALLBACKS)):
        if ord(ch) in _drawn(name):
            return name
    return None


@cache
def _substitute(ch: str, alone: bool) -> str:
    """``ch``, or what to write for it when no font (with ``alone``: the report font) draws it."""
    def drawn(c: str) -> bool:
        font = font_of(c)
        return font == FONT if alone else font is not None

    if drawn(ch):
        return ch
    if ch in SUBSTITUTES and all(drawn(c) for c in SUBSTITUTES[ch]):
        return SUBSTITUTES[ch]
    folded = unicodedata.normalize("NFKC", ch)  # Ⓐ -> A, ﬁ -> fi, full-width forms
    if folded != ch and all(drawn(c) for c in folded):
        return folded
    return "?"


def clean(text: object) -> str:
    """Text the report font alone can show (a string drawn in it alone, as a chart's labels): every
    character it lacks replaced, symbols too (Ⓐ -> A, ℃ -> °C, ⌀ -> ?)."""
    s = "" if text is None else str(text)
    covered = _covered()
    if all(ord(c) in covered for c in s):
        return s
    return "".join(_substitute(c, True) for c in s)


def shown(text: object) -> str:
    """The text as a report shows it: symbols kept, every character no font has replaced."""
    s = "" if text is None else str(text)
    covered = _covered()
    if all(ord(c) in covered for c in s):
        return s
    return "".join(_substitute(c, False) for c in s)


def runs(text: object) -> list[tuple[str, str]]:
    """``shown(text)`` in runs of one font each: [(font name, text), ...]."""
    return [(font, "".join(chars)) for font, chars in groupby(shown(text), key=lambda c: font_of(c) or FONT)]


def para(text: object) -> str:
    """The text escaped for a platypus Paragraph (line breaks kept), each run of symbols in the
    font that has them."""
    s = shown(text)
    covered = _covered()
    pieces = [(FONT, s)] if all(ord(c) in covered for c in s) else runs(s)
    out = []
    for font, piece in pieces:
        markup = escape(piece).replace("\n", "<br/>")
        out.append(markup if font == FONT else f'<font name="{font}">{markup}</font>')
    return "".join(out)


def width(text: object, size: float) -> float:
    """The width of ``text`` drawn by ``draw`` at ``size``."""
    return float(sum(pdfmetrics.stringWidth(piece, font, size) for font, piece in runs(text)))


def draw(canvas: Canvas, x: float, y: float, text: object, size: float, *, anchor: str = "start") -> float:
    """Draw ``text`` at (x, y) on a canvas, each run in the font that has it; ``anchor`` "start",
    "middle" or "end" says what x is. Leaves the canvas in the report font; returns the width."""
    pieces = runs(text)
    total = float(sum(pdfmetrics.stringWidth(piece, font, size) for font, piece in pieces))
    x -= {"start": 0.0, "middle": total / 2, "end": total}[anchor]
    t = canvas.beginText(x, y)
    for font, piece in pieces:
        t.setFont(font, size)
        t.textOut(piece)
    canvas.drawText(t)
    canvas.setFont(FONT, size)
    return total
