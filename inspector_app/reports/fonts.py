"""The report font: the shipped WenQuanYi Micro Hei, embedded as a subset TrueType font.

Every glyph in a report comes from this one font (PDF/A wants every font embedded, and a
reader without CJK fonts must show the same page). Characters the font lacks are replaced
before layout, never left to become boxes."""

from __future__ import annotations

import unicodedata
from functools import cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.graphics import shapes
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..paths import resource_path
from . import linebreak

rl_config.useA85 = 0  # binary streams: smaller files, and PDF/A does not need ASCII85
rl_config.canvas_basefontname = "WQY"  # no unembedded Helvetica in the page resources

FONT = "WQY"
FONT_FILE = ("fonts", "wqy-microhei.ttc")
SUBFONT = 0  # face 0 of the collection is WenQuanYi Micro Hei; face 1 is its Mono variant
# What to write for a character the font lacks, when Unicode compatibility folding does not help.
SUBSTITUTES = {"\u2103": "°C", "\u33a1": "m²", "\u2264": "≤", "\u2265": "≥", "\u00a0": " ", "\u2009": " "}


@cache
def register() -> str:
    """Register the font (once) and return its reportlab name."""
    font = TTFont(FONT, str(resource_path(*FONT_FILE)), subfontIndex=SUBFONT)
    pdfmetrics.registerFont(font)
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(FONT, bold, italic, FONT)  # one face: <b> in a paragraph must not switch fonts
    shapes.STATE_DEFAULTS["fontName"] = FONT  # charts start from this state: no unembedded Helvetica
    linebreak.install()  # Chinese line-breaking rules for every CJK paragraph
    return FONT


@cache
def _covered() -> frozenset[int]:
    """Characters with a drawn glyph: the cmap also maps some (℃ among them) to empty outlines."""
    face = pdfmetrics.getFont(register()).face
    pos = face.glyphPos
    return frozenset(c for c, g in face.charToGlyph.items() if pos[g + 1] > pos[g] or chr(c).isspace())


@cache
def _substitute(ch: str) -> str:
    covered = _covered()
    if ord(ch) in covered or ch in "\n\t":
        return ch
    if ch in SUBSTITUTES and all(ord(c) in covered for c in SUBSTITUTES[ch]):
        return SUBSTITUTES[ch]
    folded = unicodedata.normalize("NFKC", ch)  # Ⓐ -> A, ﬁ -> fi, full-width forms
    if folded != ch and all(ord(c) in covered for c in folded):
        return folded
    return "?"


def clean(text: object) -> str:
    """Text the font can show: every character it lacks replaced."""
    s = "" if text is None else str(text)
    covered = _covered()
    if all(ord(c) in covered for c in s):
        return s
    return "".join(_substitute(c) for c in s)


def para(text: object) -> str:
    """Clean text escaped for a platypus Paragraph (line breaks kept)."""
    return escape(clean(text)).replace("\n", "<br/>")
