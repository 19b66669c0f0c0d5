"""Build the two symbol fonts the reports fall back on (resources/fonts/idi-symbols-*.ttf).

WenQuanYi Micro Hei, the reports' font, lacks some symbols of site notes: Ⓐ-ⓩ (axis marks), ⌀,
℃ (mapped to an empty outline), ⓪. The fallbacks hold the symbols it lacks and nothing else:

- ``idi-symbols-cjk.ttf``: from Noto Sans CJK SC (Debian's fonts-noto-cjk, OFL 1.1): enclosed
  letters and numbers, ℃ ㎡ ㎜ and the other CJK units, CJK symbols. Its outlines are CFF, which
  reportlab cannot embed: they are converted to TrueType (quadratic) outlines here.
- ``idi-symbols-sans.ttf``: from DejaVu Sans (Debian's fonts-dejavu-core, Bitstream Vera licence
  with the DejaVu changes in the public domain): what neither font has, ⌀ among it.

Both are renamed (the Noto name is Google's trademark; Bitstream Vera's licence wants any modified
font renamed), unhinted, without layout tables (reportlab uses neither).

Run with a Python that has fontTools (``pip install fonttools``; the app does not need it):
    python scripts/build_symbol_fonts.py
The result depends only on the three source fonts: a rebuild from the same packages gives the
same files."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "fonts"
WQY = OUT / "wqy-microhei.ttc"
NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_FACE = "Noto Sans CJK SC"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# The blocks a symbol comes from: Latin-1 to spacing modifiers, Greek, general punctuation to
# miscellaneous symbols and arrows (Braille left out), CJK symbols, enclosed CJK and CJK
# compatibility (units), enclosed alphanumeric supplement (regional indicators left out).
BLOCKS = [(0x00A0, 0x02FF), (0x0370, 0x03FF), (0x2000, 0x27FF), (0x2900, 0x2BFF), (0x3000, 0x303F),
          (0x3200, 0x33FF), (0x1F100, 0x1F1E5)]
SKIP_CATEGORIES = {"Cc", "Cf", "Cn", "Co", "Cs", "Mn", "Me", "Zs", "Zl", "Zp"}  # nothing to draw on its own


def wanted(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in BLOCKS) and unicodedata.category(chr(cp)) not in SKIP_CATEGORIES


def drawn(font: TTFont) -> set[int]:
    """Characters the font draws (its cmap maps some, ℃ in WenQuanYi, to empty outlines)."""
    cmap = font.getBestCmap()
    if "glyf" in font:
        glyf = font["glyf"]
        return {cp for cp, g in cmap.items() if glyf[g].numberOfContours != 0}
    return set(cmap)


def face(path: Path, name: str) -> TTFont:
    for font in TTCollection(str(path)).fonts:
        if font["name"].getDebugName(4) == name:
            return font
    raise SystemExit(f"{path}: no face {name!r}")


def subsetted(font: TTFont, unicodes: set[int]) -> TTFont:
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = [0x409]
    options.drop_tables += ["BASE", "VORG", "vhea", "vmtx", "GDEF", "GSUB", "GPOS", "DSIG", "gasp", "prep",
                            "fpgm", "cvt ", "hdmx", "LTSH", "VDMX", "kern", "FFTM"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(unicodes))
    sub.subset(font)
    return font


def to_truetype(font: TTFont) -> None:
    """CFF outlines to TrueType ones (fontTools' otf2ttf recipe): cubic curves to quadratic
    within 1 unit in 1,000, contours reversed to TrueType's direction."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, g in glyf.glyphs.items():
        if hasattr(g, "xMin"):
            hmtx[name] = (hmtx[name][0], g.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones",):
        setattr(maxp, field, 1)
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0  # no glyph names: reportlab needs none
    post.extraNames, post.mapping = [], {}
    font.sfntVersion = "\000\001\000\000"


def rename(font: TTFont, family: str, source: str) -> None:
    ps = family.replace(" ", "") + "-Regular"
    table = font["name"]
    keep = {0, 7, 8, 9, 11, 12, 13, 14}  # copyright, trademark, vendor, designer, URLs, licence
    table.names = [n for n in table.names if n.nameID in keep]
    for nid, value in ((1, family), (2, "Regular"), (3, f"{ps};IDI Inspector"), (4, f"{family} Regular"),
                       (5, "Version 1.000"), (6, ps),
                       (10, f"The symbols of {source} that WenQuanYi Micro Hei lacks, for IDI Inspector's reports.")):
        table.setName(value, nid, 3, 1, 0x409)
        table.setName(value, nid, 1, 0, 0)
    font["OS/2"].fsType = 0  # installable embedding, as the sources allow
    font.recalcTimestamp = False  # the source's dates: the same packages build the same bytes


def build() -> None:
    wqy = drawn(TTFont(str(WQY), fontNumber=0))
    noto = face(NOTO, NOTO_FACE)
    cjk = {cp for cp in drawn(noto) if wanted(cp) and cp not in wqy}
    subsetted(noto, cjk)
    to_truetype(noto)
    rename(noto, "IDI Symbols CJK", "Noto Sans CJK SC 2.004")
    noto.save(str(OUT / "idi-symbols-cjk.ttf"))
    dejavu = TTFont(str(DEJAVU))
    sans = {cp for cp in drawn(dejavu) if wanted(cp) and cp not in wqy and cp not in cjk}
    subsetted(dejavu, sans)
    rename(dejavu, "IDI Symbols Sans", "DejaVu Sans 2.37")
    dejavu.save(str(OUT / "idi-symbols-sans.ttf"))
    for name, cps in (("idi-symbols-cjk.ttf", cjk), ("idi-symbols-sans.ttf", sans)):
        size = (OUT / name).stat().st_size
        print(f"{name}: {len(cps)} characters, {size / 1024:.0f} KiB", file=sys.stderr)


if __name__ == "__main__":
    build()
