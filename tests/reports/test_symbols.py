"""Issue 12, symbols are kept: Ⓐ ③ ⌀ ℃ ㎡ ± ≥ and the like stay what was written. WenQuanYi Micro
Hei lacks some of them (Ⓐ-ⓩ, ⌀, ℃); they are drawn from the embedded symbol fonts, so the page
shows them and the PDF's text (pdftotext) carries them, in every document: process, final and
notice reports, and the register. A character no font has is still replaced, never a box."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from long_finding import PHOTOS, flat, record_long_project, text_of
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from inspector_app.app import AppContext
from inspector_app.reports import fonts, pdfa
from inspector_app.reports.photo_grid import BLOCK_LIMIT
from inspector_app.services import findings, issuing, markup, photos

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
# The symbols of site notes: axis marks, numbered items, diameters, temperatures, areas, tolerances.
SYMBOLS = ("".join(map(chr, range(0x24B6, 0x24EA))) + "".join(map(chr, range(0x2460, 0x2474)))
           + "⓪⌀℃㎡㎥㎜㎝㎏±≥≤°²³‰ΦφØø×√÷∅Ω")
LOCATION = "Ⓐ~Ⓑ轴 ⌀12 板筋"
NOTE = "Ⓐ~Ⓑ轴 ⌀12 钢筋间距偏差 ±20 mm，≥ 10 处；养护温度 5℃，面积约 50㎡，见①②③处。"
SYMBOL_FONTS = [name for name, _ in fonts.FALLBACKS]


def pdf_fonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def test_every_symbol_of_site_notes_has_a_font() -> None:
    for ch in SYMBOLS:
        assert fonts.font_of(ch) is not None and fonts.shown(ch) == ch, ch
    for ch in "ⒶⓏ⓪℃⌀":  # some the report font lacks
        assert fonts.font_of(ch) in SYMBOL_FONTS, ch


def test_a_character_no_font_has_is_still_replaced() -> None:
    assert fonts.font_of("\u0e01") is None and fonts.shown("阀\u0e01门") == "阀?门"  # Thai: no font has it
    assert fonts.shown("\u2f00") == "一"  # a Kangxi radical folds to its ideograph
    assert fonts.clean("Ⓐ~Ⓑ轴 ⌀12 25℃") == "A~B轴 ?12 25°C"  # a string drawn in the report font alone


def test_para_tags_the_runs_of_symbols_with_their_font() -> None:
    cjk, sans = SYMBOL_FONTS
    assert fonts.para("Ⓐ~Ⓑ轴 <⌀12>\n5℃") == (
        f'<font name="{cjk}">Ⓐ</font>~<font name="{cjk}">Ⓑ</font>轴 &lt;<font name="{sans}">⌀</font>12&gt;'
        f'<br/>5<font name="{cjk}">℃</font>')
    assert fonts.para("普通文字 ±5 mm") == "普通文字 ±5 mm"  # the report font's own text: as before


def test_symbols_break_lines_with_the_text_around_them() -> None:
    """In a CJK paragraph the symbol runs break by the Chinese rules like any character: "Ⓐ~Ⓑ"
    and "⌀12" stay whole, nothing is lost, and each symbol stays in its font."""
    fonts.register()
    style = ParagraphStyle("t", fontName=fonts.FONT, fontSize=10, leading=14, wordWrap="CJK")
    text = "底板后浇带两侧Ⓐ~Ⓑ轴⌀12钢筋间距偏差，养护温度5℃。" * 8
    for width in range(60, 400, 7):
        para = Paragraph(fonts.para(text), style)
        para.wrap(width, 10_000)
        lines = para.blPara.lines
        assert len(lines) > 1
        joined = "\n".join("".join(f.text for f in line.words) for line in lines)
        assert joined.replace("\n", "") == text, width
        assert joined.count("Ⓐ~Ⓑ") == 8 and joined.count("⌀12") == 8, (width, joined)
        for line in lines:
            for frag in line.words:
                for ch in frag.text:
                    assert frag.fontName == (fonts.font_of(ch) or fonts.FONT), (ch, frag.fontName)


def test_a_canvas_string_switches_fonts(tmp_path: Path) -> None:
    fonts.register()
    pdf = tmp_path / "canvas.pdf"
    c = Canvas(str(pdf))
    text = "报告编号：Ⓐ~Ⓑ轴 ⌀12"
    drawn = fonts.draw(c, 500, 700, text, 10, anchor="end")
    c.save()
    assert drawn == pytest.approx(fonts.width(text, 10))
    assert drawn > fonts.width("报告编号：~轴 12", 10)
    assert "Ⓐ~Ⓑ轴⌀12" in flat(text_of(pdf))
    names = " ".join(r[0] for r in pdf_fonts(pdf))
    assert all(name in names for name in SYMBOL_FONTS), names


def test_every_document_keeps_the_symbols(ctx: AppContext, project, tmp_path: Path) -> None:
    """The issue's acceptance: the longest description, 30 photos on one finding, places with
    Ⓐ~Ⓑ轴 and ⌀12: every document carries the symbols (and every photo, 另有 N 张)."""
    visit, big, small = record_long_project(ctx, project.id, tmp_path)
    noted = findings.record_finding(ctx.db, visit.id, building="2#楼", coverage="WPI-2", division="01", grade="C",
                                    description=NOTE, floor="2F", location=LOCATION)
    photo = photos.list_photos(ctx.db, finding_id=small.id)[0]
    markup.set_markup(ctx.db, photo.id, [{"kind": "text", "points": [[0.1, 0.2]], "text": "Ⓒ轴 ⌀25"}])
    assert len(photos.list_photos(ctx.db, finding_id=big.id)) == PHOTOS
    for kind in ("process", "final", "notice"):
        data = issuing.gather(ctx, kind, None if kind == "notice" else project.id,
                              visit_id=visit.id if kind != "final" else None)
        made = Path(issuing.build(kind, data, tmp_path / f"{kind}.pdf", pdfa=True).path)
        text = flat(text_of(made))
        # each token on one line (the line breaking keeps them whole), whatever the columns around it
        for needle in ("③~⑤/Ⓐ~Ⓑ", "⌀600", "⌀25", "Ⓐ~Ⓑ轴⌀25钢筋保护层"):  # the long finding's place and texts
            assert needle in text, (kind, needle)
        for needle in ("⌀12", "±20mm", "≥10", "5℃", "50㎡", "①②③"):  # the note's finding
            assert needle in text, (kind, needle)
        if kind == "notice":  # the markup drawn over the photo
            assert "Ⓒ轴⌀25" in text, kind
        assert not re.search(r"A~B轴|\?(12|25|600)", text), kind  # nothing substituted
        entry = next(e for e in data.all_entries() if e.finding.id == big.id)
        assert len(entry.photos) > BLOCK_LIMIT, kind  # the report shows this many of the 30 (its photos)
        assert f"另有{len(entry.photos) - BLOCK_LIMIT}张，见附件" in text, kind
        for p in [*entry.photos, photo]:  # every photo by its id, in the block or the annex
            assert f"照片{p.id}" in text, (kind, p.id)
        rows = pdf_fonts(made)
        assert all(r[-5] == "yes" and r[-4] == "yes" for r in rows), rows  # embedded, as subsets
        names = " ".join(r[0] for r in rows)
        assert all(name in names for name in SYMBOL_FONTS), (kind, names)
        pdfa.qpdf_check(made)
    for name in ("register.xlsx", "register.csv"):
        issuing.build("register", issuing.gather(ctx, "register", project.id), tmp_path / name)
    ws = openpyxl.load_workbook(tmp_path / "register.xlsx")["质量缺陷登记表"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == noted.label)
    assert row[head.index("部位")] == LOCATION and row[head.index("问题描述")] == NOTE
    with open(tmp_path / "register.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert any(r[0] == noted.label and LOCATION in r and NOTE in r for r in rows)
    assert any(r[0] == big.label and big.location in r for r in rows)
