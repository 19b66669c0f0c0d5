"""Chinese line breaking for the reports (禁则): no closing punctuation at the start of a line,
no opening punctuation at its end, and standard numbers and measurements kept whole.

reportlab wraps CJK text character by character and only knows the Japanese closing marks, so
"，" "；" "）" "》" started lines, "（" "【" ended them and "GB 50300-2013" split anywhere. The
two splitters it uses for CJK paragraphs (one for a single run of text, one for mixed styles)
are replaced by ones that choose every break with ``break_at`` below. Installed once, by
``fonts.register()``; the rest of reportlab is untouched."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# Never at the start of a line: they hang in the margin instead (one character at most).
CANNOT_START = frozenset("，。、；：！？）》〉」』】〕］｝”’…‥·%‰℃°,.;:!?)]}'\"" "\u2014\u2015\u30fc\u3005")
# Never at the end of a line: they move down with what they open.
CANNOT_END = frozenset("（《〈「『【〔［｛“‘([{$￥#№")
# Inside a token that must stay whole: "GB 50300-2013", "≥ 100 mm", "3#楼" is fine to break after.
_JOINED = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-./~×±≤≥°%_:+"
                    "⌀ΦφØ"  # "⌀12", "Φ25": a diameter and its number
                    + "".join(map(chr, range(0x2460, 0x2500)))  # "③~⑤/Ⓐ~Ⓑ轴": axis marks and their range
                    + "".join(map(chr, range(0x3380, 0x33E0))))  # "50㎡", "3㎜": a number and its unit


def _joined(chars: Sequence[str], k: int) -> bool:
    """True when a line must not break between ``chars[k-1]`` and ``chars[k]``."""
    a, b = chars[k - 1], chars[k]
    if a in _JOINED and b in _JOINED:
        return True
    # "GB 50300" / "JGJ 18" / "≥ 100": a space between a code (or a bound) and its number
    def code_or_bound(c: str) -> bool:
        return (c.isascii() and c.isalpha()) or c in "≥≤±<>="

    if a == " " and b.isdigit() and k >= 2 and code_or_bound(chars[k - 2]):
        return True
    if b == " " and code_or_bound(a) and k + 1 < len(chars) and chars[k + 1].isdigit():
        return True
    # "100 mm", "24 h": a number and its unit
    if b == " " and a.isdigit() and k + 1 < len(chars) and chars[k + 1].isascii() and chars[k + 1].isalpha():
        return True
    return a == " " and b.isascii() and b.isalpha() and k >= 2 and chars[k - 2].isdigit()


def break_at(chars: Sequence[str], start: int, i: int) -> int:
    """Where a line that began at ``start`` ends, given that ``chars[i-1]`` overflowed it:
    the index of the first character of the next line (``start < result <= i``)."""
    inside = i < len(chars) and _joined(chars, i)  # "5.0.3": a full stop inside a number is no closing mark
    if chars[i - 1] in CANNOT_START and i - 1 > start and not inside and not (i < len(chars) and chars[i] in CANNOT_START):
        return i  # hang one closing mark in the margin (a run of them moves down with a character)
    b = i - 1
    if b <= start:
        return i  # a single character wider than the line: it goes alone
    # a closing mark must not lead the next line: take the character before it down with it
    while b - 1 > start and chars[b] in CANNOT_START:
        b -= 1
    # keep a token whole: it moves down whole unless it began the line (then it is longer than a line)
    k = b
    while k > start and _joined(chars, k):
        k -= 1
    if k > start:
        b = k
    # an opening mark moves down with what it opens
    while b - 1 > start and chars[b - 1] in CANNOT_END:
        b -= 1
    return max(b, start + 1)


def dumb_split(word: str, widths: Sequence[float], max_widths: Any) -> list[list[Any]]:
    """``reportlab.lib.textsplit.dumbSplit`` with ``break_at``: lines of one run of text."""
    if not isinstance(max_widths, (list, tuple)):
        max_widths = [max_widths]
    lines: list[list[Any]] = []
    i = start = 0
    used = 0.0
    width = max_widths[0]
    while i < len(word):
        used += widths[i]
        i += 1
        if used > width + _FUZZ and used > 0:
            j = break_at(word, start, i)
            spare = width - sum(widths[start:j])
            lines.append([spare, word[start:j].strip()])
            width = max_widths[min(len(lines), len(max_widths) - 1)]
            start, i = j, j
            used = 0.0
    if start < len(word):
        lines.append([width - sum(widths[start:]), word[start:]])
    return lines


def word_split(word: str | bytes, max_widths: Any, font_name: str, font_size: float,
               encoding: str = "utf8") -> list[list[Any]]:
    """``reportlab.lib.textsplit.wordSplit`` for the single-run path of a CJK paragraph."""
    from reportlab.lib.textsplit import getCharWidths

    text = word.decode(encoding) if isinstance(word, bytes) else word
    return dumb_split(text, getCharWidths(text, font_name, font_size), max_widths)


def cjk_frag_split(frags: Sequence[Any], max_widths: Sequence[float], calc_bounds: bool,
                   encoding: str = "utf8") -> Any:
    """``reportlab.platypus.paragraph.cjkFragSplit`` with ``break_at``: lines of mixed runs."""
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

    glyphs: list[Any] = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        if text:
            glyphs.extend(cjkU(t, f, encoding) for t in text)
        else:
            glyphs.append(cjkU(text, f, encoding))
    chars = [str(g) or "\ufffc" for g in glyphs]  # an image (empty text) breaks like any character
    lines: list[Any] = []
    i = start = 0
    used = 0.0
    width = max_widths[0]

    def advance(g: Any) -> float:
        w = g.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = width
            w = w.normalizedValue(width)
        return float(w)

    sizes: list[float] = []  # the advance of each glyph consumed so far (len(sizes) == i)
    while i < len(glyphs):
        g = glyphs[i]
        w = advance(g)
        sizes.append(w)
        used += w
        i += 1
        forced = hasattr(g.frag, "lineBreak")
        if (used > width + _FUZZ and used > 0) or forced:
            j = i if forced else break_at(chars, start, i)
            taken = sum(sizes[start:j])
            lines.append(makeCJKParaLine(glyphs[start:j], width, taken, width - taken, forced, calc_bounds))
            width = max_widths[min(len(lines), len(max_widths) - 1)]
            start, i = j, j
            del sizes[j:]
            used = 0.0
    if i > start:
        taken = sum(sizes[start:i])
        lines.append(makeCJKParaLine(glyphs[start:], width, taken, width - taken, False, calc_bounds))
    return ParaLines(kind=1, lines=lines)


_FUZZ = 1e-6
_installed = False


def install() -> None:
    """Make reportlab's CJK paragraphs break lines with ``break_at`` (idempotent)."""
    global _installed, _FUZZ
    if _installed:
        return
    from reportlab import rl_config
    from reportlab.platypus import paragraph

    _FUZZ = float(rl_config._FUZZ)
    paragraph.wordSplit = word_split
    paragraph.cjkFragSplit = cjk_frag_split
    _installed = True
