"""The A4 document every PDF report shares: header and footer with the report number and
第 x 页 共 y 页, a table of contents, PDF bookmarks per section, and table helpers.

One layout pass only: the page total and the contents' page numbers are drawn as PDF form
XObjects referenced on every page and defined when the build ends, so a 2,000-page report is
laid out once (multiBuild would lay it out twice or more).

A table row cannot split across pages in reportlab, so a table that must split first cuts each
row taller than ``SPLIT_ROW_ABOVE`` (a 2,000-character description in a narrow column) into
several rows of a few lines each, drawn as one cell (no rule between the pieces): the table then
flows page after page, and a piece that starts a page names what it continues (F003（续）)."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.paragraph import ParaLines

from ..errors import Cancelled
from . import draftmark, fonts, images, stamp
from . import pdfa as pdfa_module
from .output import ReportFile, describe

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18 * mm, 22 * mm, 18 * mm
BODY_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # the body frame's height
LINE = colors.HexColor("#9E9E9E")
HEAD_BG = colors.HexColor("#E8EEF4")
ACCENT = colors.HexColor("#1F4E79")
CHECK_MAX_IMAGES = 200  # qpdf --check decodes every JPEG (about 0.1 s each): skipped for bigger reports
Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]


def _style(name: str, size: float, leading: float | None = None, **kw: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=fonts.FONT, fontSize=size, leading=leading or size * 1.45,
                          wordWrap="CJK", **kw)


def make_styles() -> dict[str, ParagraphStyle]:
    fonts.register()
    return {
        "title": _style("title", 24, 34, alignment=TA_CENTER, textColor=ACCENT, spaceAfter=6 * mm),
        "subtitle": _style("subtitle", 13, alignment=TA_CENTER, spaceAfter=3 * mm),
        "h1": _style("h1", 15, 22, textColor=ACCENT, spaceBefore=4 * mm, spaceAfter=3 * mm, keepWithNext=1),
        "h2": _style("h2", 12, 18, textColor=ACCENT, spaceBefore=3 * mm, spaceAfter=2 * mm, keepWithNext=1),
        "body": _style("body", 10, 16, spaceAfter=1.5 * mm),
        "small": _style("small", 8.5, 12),
        "cell": _style("cell", 8.5, 11.5),
        "cellhead": _style("cellhead", 8.5, 11.5, textColor=colors.black),
        "caption": _style("caption", 7.5, 10, alignment=TA_CENTER, textColor=colors.HexColor("#424242")),
        "continued": _style("continued", 8.5, 11.5, textColor=colors.HexColor("#757575")),
        "toc1": _style("toc1", 11, 20),
        "toc2": _style("toc2", 9.5, 16, leftIndent=6 * mm),
        "right": _style("right", 10, 16, alignment=TA_RIGHT),
        "gate": _style("gate", 11, 18, borderColor=ACCENT, borderWidth=0.8, borderPadding=3 * mm,
                       backColor=colors.HexColor("#FFF8E1"), spaceBefore=3 * mm, spaceAfter=4 * mm),
    }


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    level: int = 0


class Heading(Paragraph):  # type: ignore[misc]
    """A section heading: becomes a bookmark, an outline entry and a contents line."""

    def __init__(self, section: Section, style: ParagraphStyle) -> None:
        super().__init__(fonts.para(section.title), style)
        self.section = section

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []  # a heading moves to the next page whole (and is one bookmark)


def heading(section: Section, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """A section heading that never sits alone at the foot of a page."""
    return [CondPageBreak(40 * mm), Heading(section, styles["h1" if section.level == 0 else "h2"])]


class Contents(Flowable):  # type: ignore[misc]
    """The table of contents, laid out from the known section list; each page number is a
    form filled in when the build ends (one pass)."""

    def __init__(self, sections: Sequence[Section], styles: dict[str, ParagraphStyle]) -> None:
        super().__init__()
        self.sections = list(sections)
        self.styles = styles
        self.row_h = 7 * mm

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        return aw, self.row_h * len(self.sections)

    def split(self, aw: float, ah: float) -> list[Flowable]:
        n = int(ah // self.row_h)
        if n <= 0 or n >= len(self.sections):
            return []
        return [Contents(self.sections[:n], self.styles), Contents(self.sections[n:], self.styles)]

    def draw(self) -> None:
        c = self.canv
        for i, s in enumerate(self.sections):
            y = self.row_h * (len(self.sections) - i - 1) + 2 * mm
            indent = 7 * mm * s.level
            size = 11 if s.level == 0 else 9.5
            start = indent + fonts.draw(c, indent, y, s.title, size) + 2 * mm
            c.setDash(0.5, 2)
            c.setStrokeColor(LINE)
            c.line(start, y + 1, self.width - 12 * mm, y + 1)
            c.setDash()
            c.saveState()
            c.translate(self.width, y)
            c.doForm(f"tocpg_{s.key}")
            c.restoreState()
            c.linkRect("", s.key, (0, y - 2, self.width, y + size), relative=1, thickness=0)


class ReportDoc(BaseDocTemplate):  # type: ignore[misc]
    """A4, cover page without header; body pages with header and 第 x 页 共 y 页."""

    def __init__(self, out_path: str, *, title: str, report_no: str, subject: str = "",
                 progress: Progress | None = None, cancel: CancelFlag | None = None, draft: bool = False) -> None:
        layout_path = Path(out_path).with_name(f".{Path(out_path).name}.layout.tmp")
        super().__init__(str(layout_path), pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                         bottomMargin=MARGIN_BOTTOM, title=title, subject=subject, author="IDI Inspector",
                         creator="IDI Inspector", producer="IDI Inspector (reportlab)", lang="zh-CN")
        self.report_title, self.report_no, self.draft = title, report_no, draft
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, BODY_W, FRAME_H, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("cover", [frame], onPage=self._cover_page),
                               PageTemplate("body", [frame], onPage=self._body_page)])
        self.section_pages: dict[str, int] = {}
        self.progress, self.cancel = progress, cancel
        self.total_flowables, self.done_flowables = 0, 0
        self.images: dict[str, str] = {}  # sha256 -> JPEG file, embedded after layout
        self.final_path = Path(out_path)

    created: datetime | None = None  # the creation date the file states (write_report: from the data)
    fingerprint = ""  # what the file's /ID is made from (write_report: the data)

    def _makeCanvas(self, filename: str | None = None, canvasmaker: Any = Canvas) -> Canvas:
        self.invariant = 1  # the same data makes the same bytes: no clock time, no random ID (stamp.py)
        canv = super()._makeCanvas(filename, canvasmaker)
        stamp.fix(canv, self.created, self.fingerprint)
        return canv

    def _cover_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self._draft_mark(canv)
        self._footer(canv)

    def _draft_mark(self, canv: Canvas) -> None:
        """A draft's diagonal 草稿 under the page's content, and 草稿 · 未签发 in words at its head."""
        if not self.draft:
            return
        draftmark.draw(canv, PAGE_W / 2, PAGE_H / 2)
        canv.saveState()
        canv.setFont(fonts.FONT, 9)
        canv.setFillColor(colors.HexColor("#C62828"))
        canv.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN_TOP + 6 * mm, draftmark.HEADER)
        canv.restoreState()

    def _body_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self._draft_mark(canv)
        canv.saveState()
        canv.setFont(fonts.FONT, 8.5)
        canv.setFillColor(colors.HexColor("#424242"))
        top = PAGE_H - MARGIN_TOP + 6 * mm
        fonts.draw(canv, MARGIN_X, top, self.report_title, 8.5)
        fonts.draw(canv, PAGE_W - MARGIN_X, top, f"报告编号：{self.report_no}", 8.5, anchor="end")
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(0.6)
        canv.line(MARGIN_X, top - 2 * mm, PAGE_W - MARGIN_X, top - 2 * mm)
        canv.restoreState()
        self._footer(canv)

    def _footer(self, canv: Canvas) -> None:
        canv.saveState()
        canv.setFont(fonts.FONT, 8.5)
        canv.setFillColor(colors.HexColor("#424242"))
        y = MARGIN_BOTTOM - 9 * mm
        text = f"第 {canv.getPageNumber()} 页 共 "
        width = canv.stringWidth(text + "0000 页", fonts.FONT, 8.5)
        x = PAGE_W / 2 - width / 2
        canv.drawString(x, y, text)
        canv.translate(x + canv.stringWidth(text, fonts.FONT, 8.5), y)
        canv.doForm("pagetotal")  # the total is known only at the end
        canv.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            s = flowable.section
            self.canv.bookmarkPage(s.key)
            # the viewer shows an outline entry in its own font: the title as written
            self.canv.addOutlineEntry(" ".join(s.title.split()), s.key, level=s.level, closed=s.level > 0)
            self.section_pages[s.key] = self.canv.getPageNumber()
        self.done_flowables += 1
        if self.cancel is not None and self.cancel():
            raise Cancelled()
        if self.progress is not None and self.done_flowables % 20 == 0:
            self.progress(self.done_flowables, self.total_flowables)

    def _endBuild(self) -> None:
        self._doSave = 0
        super()._endBuild()
        canv = self.canv
        total = canv.getPageNumber() - 1
        self._number_form("pagetotal", f"{total} 页", align_right=False)
        for key in self.toc_keys:
            self._number_form(f"tocpg_{key}", str(self.section_pages.get(key, "")), align_right=True)
        images.define_placeholders(canv, self.images)
        canv.save()
        self.page_count = total

    def _number_form(self, name: str, text: str, *, align_right: bool) -> None:
        canv = self.canv
        canv.beginForm(name, lowerx=-30 * mm, lowery=-3 * mm, upperx=30 * mm, uppery=6 * mm)
        canv.setFont(fonts.FONT, 8.5 if not align_right else 10)
        canv.setFillColor(colors.HexColor("#424242") if not align_right else colors.black)
        (canv.drawRightString if align_right else canv.drawString)(0, 0, text)
        canv.endForm()

    def render(self, story: list[Flowable], sections: Sequence[Section], *, pdfa: bool = False) -> int:
        """Lay the story out, embed the photos, write the file (PDF/A-2b when asked);
        returns the page count."""
        self.toc_keys = [s.key for s in sections]
        self.total_flowables = len(story)
        layout = Path(self.filename)
        try:
            self.build(story)
            finish = partial(pdfa_module.apply, title=self.report_title, subject=self.subject,
                             author=self.author, moment=self.created) if pdfa else None
            images.embed(layout, self.final_path, self.images, finish=finish)
            if pdfa and len(self.images) <= CHECK_MAX_IMAGES:
                pdfa_module.qpdf_check(self.final_path)
        finally:
            layout.unlink(missing_ok=True)
        if self.progress is not None:
            self.progress(self.total_flowables, self.total_flowables)
        return int(self.page_count)


def cover_break() -> list[Flowable]:
    return [NextPageTemplate("body"), PageBreak()]


def para(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(fonts.para(text), style)


def spacer(h_mm: float) -> Spacer:
    return Spacer(1, h_mm * mm)


def grid_style(header_rows: int = 1, extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    cmds: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), fonts.FONT, 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, LINE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header_rows:
        cmds.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG))
    return TableStyle([*cmds, *extra])


def data_table(header: Sequence[str], rows: Sequence[Sequence[object]], widths_mm: Sequence[float],
               styles: dict[str, ParagraphStyle], extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A table that splits across pages and repeats its header row; text cells wrap, and a
    cell of any length continues on the next page."""
    total = sum(widths_mm)
    widths = [w / total * BODY_W for w in widths_mm]
    cell = styles["cell"]
    body = [[c if isinstance(c, Flowable) else Paragraph(fonts.para(c), cell) for c in row] for row in rows]
    head = [Paragraph(fonts.para(h), styles["cellhead"]) for h in header]
    return flow_table([head, *body], widths, grid_style(1, extra), styles, header_rows=1)


def kv_table(pairs: Sequence[tuple[str, object]], styles: dict[str, ParagraphStyle], label_mm: float = 38) -> Table:
    """Label / value rows (project facts, cover data)."""
    cell = styles["cell"]
    rows = [[Paragraph(fonts.para(k), cell), Paragraph(fonts.para(v if v not in (None, "") else "—"), cell)]
            for k, v in pairs]
    return flow_table(rows, [label_mm * mm, BODY_W - label_mm * mm],
                      grid_style(0, [("BACKGROUND", (0, 0), (0, -1), HEAD_BG)]), styles,
                      continued=[f"{k}（续）" for k, _ in pairs])


SPLIT_ROW_ABOVE = 200.0  # pt: a row taller than this (about 17 lines of a cell) is cut into pieces
PIECE_H = 70.0  # pt: the height a piece aims at (6 lines of a cell): at most this is left blank at a page foot
CELL_PAD = 6.0  # pt: the left and right padding of a cell (grid_style)


class Continued(Flowable):  # type: ignore[misc]
    """The first cell of a row's continuation: blank, except where the piece starts a page,
    where it names what it continues (``FlowTable.onSplit`` shows it)."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.para = Paragraph(fonts.para(text), style)
        self.shown = False

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        _, self.height = self.para.wrap(aw, ah)
        return aw, self.height

    def draw(self) -> None:
        if self.shown:
            self.para.drawOn(self.canv, 0, 0)


class FlowTable(Table):  # type: ignore[misc]
    """A table that cuts its over-tall rows into pieces when it has to split (``flow_table``)."""

    source: tuple[list[list[Any]], list[float], list[tuple[Any, ...]], int, list[str] | None,
                  dict[str, ParagraphStyle]] | None = None

    def split(self, aW: float, aH: float) -> list[Flowable]:
        cut = self.cut(aW, aH)
        return list(super().split(aW, aH) if cut is self else cut.split(aW, aH))

    def cut(self, aW: float, aH: float) -> FlowTable:
        """This table with every row taller than ``SPLIT_ROW_ABOVE`` cut into pieces (itself when
        none is, or when it is already a cut table or a part of one)."""
        if self.source is None:
            return self
        self._calc(aW, aH)  # the row heights, as reportlab lays the rows out
        rows, widths, cmds, header_rows, continued, styles = self.source
        tall = {r for r, h in enumerate(self._rowHeights) if r >= header_rows and h > SPLIT_ROW_ABOVE}
        if not tall:
            return self
        table = _cut_table(rows, widths, cmds, header_rows, continued, styles, tall)
        table.hAlign, table.vAlign = self.hAlign, self.vAlign
        return table

    def onSplit(self, T: Table, byRow: int = 1) -> None:
        rows = T._cellvalues
        first = T.repeatRows if isinstance(T.repeatRows, int) else len(T.repeatRows)
        cell = rows[first][0] if len(rows) > first and rows[first] else None
        for value in cell if isinstance(cell, (list, tuple)) else [cell]:  # flowables come wrapped in a tuple
            if isinstance(value, Continued):
                value.shown = True


def _lines(p: Paragraph, width: float) -> int:
    """How many lines a paragraph takes at ``width`` (reusing the table's layout of it when it has one)."""
    if abs(getattr(p, "width", -1.0) - width) > 0.01 or not hasattr(p, "blPara"):
        p.wrap(width, 1e9)
    return len(p.blPara.lines)


def _pieces(p: Paragraph, width: float, lines: int) -> list[Paragraph]:
    """A paragraph cut into paragraphs of ``lines`` lines each (the last may have fewer), from one
    layout of it: each piece holds the fragments of its lines and keeps those very lines (as
    reportlab's own Paragraph.split does), so the text breaks exactly where it did whole."""
    n = _lines(p, width)
    if n <= lines:
        return [p]
    split, whole = p._get_split_blParaFunc(), p.blPara
    out = []
    for start in range(0, n, lines):
        piece = Paragraph(None, p.style, frags=split(whole, start, min(start + lines, n)))
        if whole.kind == 0 or len(piece.frags) > 1:  # one frag of a mixed paragraph is laid out anew
            piece.blPara = ParaLines(kind=whole.kind, lines=whole.lines[start:start + lines], aW=width)
            piece._splitpara = 1
        out.append(piece)
    return out


def _row_index(value: Any, count: int) -> Any:
    return value + count if isinstance(value, int) and value < 0 else value


def flow_table(rows: Sequence[Sequence[Any]], widths: Sequence[float], style: TableStyle,
               styles: dict[str, ParagraphStyle], *, header_rows: int = 0,
               continued: Sequence[str] | None = None) -> Table:
    """A table of ``rows`` that, when it has to split across pages, first cuts each row taller than
    ``SPLIT_ROW_ABOVE`` into several rows of about ``PIECE_H``: every paragraph cell of it cut into
    as many pieces, the rules between the pieces left out, so the table may break between them.
    ``continued`` names each row where a piece starts a page (default: its first cell's text and
    （续））. Drawn whole, or with no such row, it is exactly a plain Table."""
    table = FlowTable(list(rows), colWidths=list(widths), repeatRows=header_rows, style=style, hAlign="LEFT")
    table.source = ([list(r) for r in rows], list(widths), list(style.getCommands()), header_rows,
                    list(continued) if continued is not None else None, styles)
    return table


def _cut_table(rows: list[list[Any]], widths: list[float], cmds: list[tuple[Any, ...]], header_rows: int,
               continued: list[str] | None, styles: dict[str, ParagraphStyle], tall: set[int]) -> FlowTable:
    """The table with the ``tall`` rows cut into pieces, its style commands moved along."""
    ncols, nrows = len(widths), len(rows)
    spans: dict[int, list[tuple[int, int]]] = {}
    fixed: set[int] = set()  # rows in a span over several rows: never cut
    for cmd in cmds:
        if cmd[0] != "SPAN":
            continue
        (sc, sr), (ec, er) = cmd[1], cmd[2]
        sc, ec = _row_index(sc, ncols), _row_index(ec, ncols)
        sr, er = _row_index(sr, nrows), _row_index(er, nrows)
        if sr == er:
            spans.setdefault(sr, []).append((sc, ec))
        else:
            fixed.update(range(sr, er + 1))
    physical: list[list[Any]] = []
    first: list[int] = []
    last: list[int] = []
    cut: list[tuple[int, int]] = []  # (first, last) physical rows of each row that was cut
    for r, row in enumerate(rows):
        first.append(len(physical))
        pieces = _cut_row(row, widths, spans.get(r, [])) if r in tall and r not in fixed else {}
        if not pieces:
            physical.append(list(row))
            last.append(len(physical) - 1)
            continue
        count = max(len(v) for v in pieces.values())
        label = continued[r] if continued is not None and r < len(continued) else _label(row[0])
        for j in range(count):
            line: list[Any] = []
            for c, value in enumerate(row):
                if c in pieces:
                    line.append(pieces[c][j] if j < len(pieces[c]) else "")
                else:
                    line.append(value if j == 0 else "")
            if j and line[0] == "" and label:
                line[0] = Continued(label, styles["continued"])
            physical.append(line)
        last.append(len(physical) - 1)
        cut.append((first[r], last[r]))
    return FlowTable(physical, colWidths=widths, repeatRows=header_rows, hAlign="LEFT",
                     style=TableStyle(_remap(cmds, first, last, cut, nrows, ncols)))


def _cut_row(row: Sequence[Any], widths: Sequence[float], spans: list[tuple[int, int]]) -> dict[int, list[Any]]:
    """The pieces of each paragraph cell of a tall row ({} when it has none to cut)."""
    covered = {c for sc, ec in spans for c in range(sc + 1, ec + 1)}
    span_end = {sc: ec for sc, ec in spans}
    cells: dict[int, tuple[Paragraph, float, int]] = {}
    tallest = 0.0
    for c, value in enumerate(row):
        if c in covered or not isinstance(value, Paragraph):
            continue
        width = sum(widths[c:span_end.get(c, c) + 1]) - CELL_PAD
        n = _lines(value, width)
        cells[c] = (value, width, n)
        tallest = max(tallest, n * value.style.leading)
    if tallest <= PIECE_H:
        return {}
    # pieces of one height for every cell, the tallest cell's lines shared out evenly: a shorter
    # cell fills the first pieces from the top, as it would stand in one tall row
    count = math.ceil(tallest / PIECE_H)
    piece_h = math.ceil(tallest / count)
    return {c: _pieces(p, width, max(2, math.ceil(piece_h / p.style.leading - 0.01)))
            for c, (p, width, _) in cells.items()}


def _label(cell: Any) -> str:
    text = cell.getPlainText() if isinstance(cell, Paragraph) else "" if isinstance(cell, Flowable) else str(cell)
    text = " ".join(text.split())
    return f"{text[:12]}（续）" if text else ""


def _remap(cmds: list[tuple[Any, ...]], first: list[int], last: list[int], cut: list[tuple[int, int]],
           nrows: int, ncols: int) -> list[tuple[Any, ...]]:
    """The style commands of the rows moved onto the physical rows; the grid drawn without a
    rule between the pieces of a row; the pieces top-aligned and joined without padding."""
    out: list[tuple[Any, ...]] = []
    for cmd in cmds:
        op, (sc, sr), (ec, er), *rest = cmd
        if isinstance(sr, str) or isinstance(er, str):  # splitfirst / splitlast
            out.append(cmd)
            continue
        sr, er = _row_index(sr, nrows), _row_index(er, nrows)
        if op == "SPAN":
            out += [(op, (sc, r), (ec, r)) for r in range(first[sr], last[er] + 1)] if sr == er else \
                [(op, (sc, first[sr]), (ec, last[er]))]
        elif op in ("GRID", "INNERGRID"):
            if op == "GRID":
                out.append(("BOX", (sc, first[sr]), (ec, last[er]), *rest))
            if _row_index(ec, ncols) > _row_index(sc, ncols):
                out.append(("LINEBEFORE", (_row_index(sc, ncols) + 1, first[sr]), (ec, last[er]), *rest))
            out += [("LINEABOVE", (sc, first[r]), (ec, first[r]), *rest) for r in range(sr + 1, er + 1)]
        elif op == "LINEABOVE":
            out += [(op, (sc, first[r]), (ec, first[r]), *rest) for r in range(sr, er + 1)]
        elif op == "LINEBELOW":
            out += [(op, (sc, last[r]), (ec, last[r]), *rest) for r in range(sr, er + 1)]
        else:
            out.append((op, (sc, first[sr]), (ec, last[er]), *rest))
    for top, bottom in cut:
        out.append(("VALIGN", (0, top), (-1, bottom), "TOP"))
        out.append(("TOPPADDING", (0, top + 1), (-1, bottom), 0))
        out.append(("BOTTOMPADDING", (0, top), (-1, bottom - 1), 0))
    return out


def write_report(data: Any, out_path: str | os.PathLike[str], title: str, flowables: list[Any],
                 toc: Sequence[Section], *, progress: Progress | None = None, cancel: CancelFlag | None = None,
                 pdfa: bool = False, cover: bool = True) -> ReportFile:
    """Lay out one report (PDF/A-2b with ``pdfa``); returns its path, pages, size and SHA-256."""
    doc = ReportDoc(str(out_path), title=title, report_no=data.report_no, subject=data.project.name,
                    progress=progress, cancel=cancel, draft=bool(getattr(data, "draft", False)))
    doc.created, doc.fingerprint = stamp.created(data), stamp.fingerprint(data)
    if not cover:
        doc.handle_nextPageTemplate("body")
    return describe(out_path, doc.render(flowables, toc, pdfa=pdfa))
