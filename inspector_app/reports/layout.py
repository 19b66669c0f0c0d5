"""The A4 document every PDF report shares: header and footer with the report number and
第 x 页 共 y 页, a table of contents, PDF bookmarks per section, and table helpers.

One layout pass only: the page total and the contents' page numbers are drawn as PDF form
XObjects referenced on every page and defined when the build ends, so a 2,000-page report is
laid out once (multiBuild would lay it out twice or more)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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

from ..errors import Cancelled
from . import fonts, images
from . import pdfa as pdfa_module
from .output import ReportFile, describe

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18 * mm, 22 * mm, 18 * mm
BODY_W = PAGE_W - 2 * MARGIN_X
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
            title = fonts.clean(s.title)
            c.setFont(fonts.FONT, size)
            c.drawString(indent, y, title)
            start = indent + c.stringWidth(title, fonts.FONT, size) + 2 * mm
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
                 progress: Progress | None = None, cancel: CancelFlag | None = None) -> None:
        layout_path = Path(out_path).with_name(f".{Path(out_path).name}.layout.tmp")
        super().__init__(str(layout_path), pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                         bottomMargin=MARGIN_BOTTOM, title=title, subject=subject, author="IDI Inspector",
                         creator="IDI Inspector", producer="IDI Inspector (reportlab)", lang="zh-CN")
        self.report_title, self.report_no = title, report_no
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, BODY_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("cover", [frame], onPage=self._cover_page),
                               PageTemplate("body", [frame], onPage=self._body_page)])
        self.section_pages: dict[str, int] = {}
        self.progress, self.cancel = progress, cancel
        self.total_flowables, self.done_flowables = 0, 0
        self.images: dict[str, str] = {}  # sha256 -> JPEG file, embedded after layout
        self.final_path = Path(out_path)

    def _cover_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self._footer(canv)

    def _body_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        canv.setFont(fonts.FONT, 8.5)
        canv.setFillColor(colors.HexColor("#424242"))
        top = PAGE_H - MARGIN_TOP + 6 * mm
        canv.drawString(MARGIN_X, top, fonts.clean(self.report_title))
        canv.drawRightString(PAGE_W - MARGIN_X, top, fonts.clean(f"报告编号：{self.report_no}"))
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
            self.canv.addOutlineEntry(fonts.clean(s.title), s.key, level=s.level, closed=s.level > 0)
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
                             author=self.author) if pdfa else None
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
    """A table that splits across pages and repeats its header row; text cells wrap."""
    total = sum(widths_mm)
    widths = [w / total * BODY_W for w in widths_mm]
    cell = styles["cell"]
    body = [[c if isinstance(c, Flowable) else Paragraph(fonts.para(c), cell) for c in row] for row in rows]
    head = [Paragraph(fonts.para(h), styles["cellhead"]) for h in header]
    return Table([head, *body], colWidths=widths, repeatRows=1, style=grid_style(1, extra), hAlign="LEFT")


def kv_table(pairs: Sequence[tuple[str, object]], styles: dict[str, ParagraphStyle], label_mm: float = 38) -> Table:
    """Label / value rows (project facts, cover data)."""
    cell = styles["cell"]
    rows = [[Paragraph(fonts.para(k), cell), Paragraph(fonts.para(v if v not in (None, "") else "—"), cell)]
            for k, v in pairs]
    return Table(rows, colWidths=[label_mm * mm, BODY_W - label_mm * mm], hAlign="LEFT",
                 style=grid_style(0, [("BACKGROUND", (0, 0), (0, -1), HEAD_BG)]))


def write_report(data: Any, out_path: str | os.PathLike[str], title: str, flowables: list[Any],
                 toc: Sequence[Section], *, progress: Progress | None = None, cancel: CancelFlag | None = None,
                 pdfa: bool = False, cover: bool = True) -> ReportFile:
    """Lay out one report (PDF/A-2b with ``pdfa``); returns its path, pages, size and SHA-256."""
    doc = ReportDoc(str(out_path), title=title, report_no=data.report_no, subject=data.project.name,
                    progress=progress, cancel=cancel)
    if not cover:
        doc.handle_nextPageTemplate("body")
    return describe(out_path, doc.render(flowables, toc, pdfa=pdfa))
