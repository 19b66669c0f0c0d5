"""Who answers for a report, and to whom it goes: the sign-off block (编制 / 审核 / 批准) with the
seal area, the agency's independence statement (Art. 18), the distribution (分送), the revision
line of a corrected report, and the compact 编制 / 审核 lines of a rectification notice.

Each renders sensibly without its data (a snapshot made before the review chain, an unissued
preview): a missing step is a blank line to sign by hand, an empty distribution is left out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from ..values.report import ReportData, SignOff
from . import fonts
from .layout import BODY_W, HEAD_BG, grid_style, kv_table, para, spacer

# step -> (its name, the staff role that usually signs it)
STEPS = {"prepare": ("编制", "检查员"), "review": ("审核", "项目负责人"), "approve": ("批准", "技术负责人")}
BLANK_DAY = "　　年　　月　　日"  # in a table cell drawn as a string (a Paragraph would collapse the spaces)
SIGN_LINE, DAY_LINE = "__________", "______年____月____日"  # to fill by hand, in a Paragraph
GREY = colors.HexColor("#757575")


def agency_name(data: ReportData) -> str:
    return (data.agency.name if data.agency else data.project.agency) or ""


def issue_day(data: ReportData) -> str:
    """The issue date as the seal area and the cover write it (a draft has none yet)."""
    return "草稿 · 未签发" if data.draft else f"{data.generated_on:%Y年%m月%d日}"


def _day(on: date | None) -> str:
    return on.isoformat() if on else BLANK_DAY


def steps(data: ReportData, wanted: Sequence[str] = tuple(STEPS)) -> list[tuple[str, SignOff | None]]:
    """The sign-off lines in step order: each recorded line, or (step, None) for a step not signed."""
    out: list[tuple[str, SignOff | None]] = []
    for step in wanted:
        mine = [s for s in data.signoff if s.step == step]
        out += [(step, s) for s in mine] or [(step, None)]
    if tuple(wanted) == tuple(STEPS):  # a step this code does not know is shown, never dropped
        out += [(s.step, s) for s in data.signoff if s.step not in STEPS]
    return out


def person(s: SignOff) -> str:
    """王建国（检查员，证书 TIS-BJ-2019-0217）"""
    extra = "，".join(x for x in (s.role, f"证书 {s.certificate_no}" if s.certificate_no else "") if x)
    return f"{s.name}（{extra}）" if extra else s.name


def reviewer(data: ReportData) -> str:
    """The cover's 审核人: the review step's signer, blank when the report has not been reviewed."""
    found = [s for s in data.signoff if s.step == "review"]
    return "、".join(person(s) for s in found) or "　"


def revision_of(data: ReportData) -> int | None:
    """This report's revision: from its number (… 第2版), else one after the revision it replaces."""
    own = re.search(r"第\s*(\d+)\s*版\s*$", data.report_no)
    if own:
        return int(own.group(1))
    old = re.search(r"第\s*(\d+)\s*版", data.replaces)
    return int(old.group(1)) + 1 if old else None


def revision_line(data: ReportData) -> str:
    """本报告为第2版，替代 <number>，修订原因：<reason>。 ("" for a first issue)"""
    if not data.replaces:
        return ""
    n = revision_of(data)
    which = f"第{n}版" if n else "修订版"
    reason = data.revision_reason.strip().rstrip("。") or "未说明"
    return f"本报告为{which}，替代 {data.replaces}，修订原因：{reason}。"


def _note_style(styles: dict[str, ParagraphStyle]) -> ParagraphStyle:
    return ParagraphStyle("revision", parent=styles["body"], textColor=colors.HexColor("#8D4A00"),
                          backColor=colors.HexColor("#FFF3E0"), borderColor=colors.HexColor("#F9A825"),
                          borderWidth=0.6, borderPadding=2 * mm, leftIndent=2 * mm, rightIndent=2 * mm,
                          spaceBefore=4 * mm, spaceAfter=3 * mm)


def revision(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    line = revision_line(data)
    return [para(line, _note_style(styles))] if line else []


def independence_text(data: ReportData) -> str:
    """The agency's independence statement (Art. 18), worded by the rule set."""
    return (data.labels.independence.replace("{agency}", agency_name(data) or "本风险管理机构")
            .replace("{regulation}", data.labels.regulation))


class SealArea(Flowable):  # type: ignore[misc]
    """Where the agency's seal goes: a dashed circle over the agency's name and the issue date,
    under the words 风险管理机构（盖章）."""

    def __init__(self, agency: str, day: str, width: float = 82 * mm, height: float = 44 * mm) -> None:
        super().__init__()
        self.agency, self.day = fonts.clean(agency or "风险管理机构"), fonts.clean(day)
        self.width, self.height = width, height
        self.hAlign = "RIGHT"

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        w, h = self.width, self.height
        mid = w / 2
        c.saveState()
        c.setStrokeColor(colors.HexColor("#BDBDBD"))
        c.setLineWidth(0.8)
        c.setDash(3, 2)
        c.circle(mid, h / 2 - 2 * mm, 19 * mm, stroke=1, fill=0)
        c.setDash()
        c.setFillColor(GREY)
        c.setFont(fonts.FONT, 9)
        c.drawCentredString(mid, h - 9, "风险管理机构（盖章）")
        size = 11.0
        while size > 7 and c.stringWidth(self.agency, fonts.FONT, size) > w - 4 * mm:
            size -= 0.5
        c.setFillColor(colors.black)
        c.setFont(fonts.FONT, size)
        c.drawCentredString(mid, h / 2, self.agency)
        c.setFont(fonts.FONT, 10)
        c.drawCentredString(mid, h / 2 - 7 * mm, self.day)
        c.restoreState()


def seal(data: ReportData) -> SealArea:
    return SealArea(agency_name(data), issue_day(data))


def _cell(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(fonts.para(text), style)


def signoff_table(data: ReportData, styles: dict[str, ParagraphStyle]) -> Table:
    """编制 / 审核 / 批准: name, role, certificate and date per step; a step not signed is a blank
    line (its usual role printed) to sign by hand. The last column is for the handwritten signature."""
    cell, head = styles["cell"], styles["cellhead"]
    hint = ParagraphStyle("signoff-hint", parent=cell, textColor=GREY)
    rows: list[list[object]] = [[_cell(h, head) for h in ("环节", "姓名", "岗位", "证书编号", "日期", "签字")]]
    for step, s in steps(data):
        name, usual = STEPS.get(step, (step, ""))
        if s is None:
            rows.append([_cell(name, head), "", _cell(usual, hint), "", BLANK_DAY, ""])  # spaces kept: no Paragraph
        else:
            rows.append([_cell(name, head), _cell(s.name, cell), _cell(s.role or usual, cell),
                         _cell(s.certificate_no or "—", cell), _cell(_day(s.on), cell), ""])
    widths = [w / 170 * BODY_W for w in (16, 30, 26, 38, 28, 32)]
    return Table(rows, colWidths=widths, rowHeights=[None] + [10 * mm] * (len(rows) - 1), hAlign="LEFT",
                 style=grid_style(1, [("BACKGROUND", (0, 1), (0, -1), HEAD_BG)]))


def comments(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    names = {"prepare": "编制说明", "review": "审核意见", "approve": "批准意见"}
    lines = [f"{names.get(s.step, s.step)}（{s.name}）：{s.comment.strip()}" for _, s in steps(data)
             if s is not None and s.comment.strip()]
    return [para(t, styles["small"]) for t in lines]


def signoff_block(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The closing section of a process or final report: the independence statement, then the
    sign-off table with the seal area and the distribution, kept on one page."""
    kept: list[Flowable] = [para(independence_text(data), styles["body"]), spacer(2), signoff_table(data, styles),
                            *comments(data, styles), spacer(4), seal(data)]
    if data.distribution:
        kept += [spacer(3), kv_table([("分送", "\n".join(data.distribution))], styles, 16)]
    return [KeepTogether(kept)]


def notice_lines(data: ReportData) -> list[tuple[str, str]]:
    """The rectification notice's compact 编制 / 审核 rows (the notice is signed on site)."""
    out = []
    for step, s in steps(data, ("prepare", "review")):
        label = STEPS[step][0]
        if s is None:
            out.append((label, f"姓名：{SIGN_LINE}　签字：{SIGN_LINE}　日期：{DAY_LINE}"))
        else:
            out.append((label, f"{person(s)}　签字：{SIGN_LINE}　日期：{_day(s.on)}"))
    return out
