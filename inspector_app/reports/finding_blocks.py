"""How findings appear in a report: one block per finding (facts table and photos), the
tracking table of earlier findings, the rectification evidence of a serious defect, and the
defect register split into page-sized tables."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table

from ..values.dto import FindingInfo
from ..values.report import FindingEntry, Labels, PhotoRef, ReportData
from . import fonts
from .layout import (
    BODY_W,
    FRAME_H,
    HEAD_BG,
    Heading,
    Section,
    data_table,
    flow_table,
    grid_style,
    spacer,
)
from .photo_grid import photo_rows, shown

REGISTER_CHUNK = 40  # rows per register table: many small tables split and lay out faster than one


def grade_text(code: str, labels: Labels) -> str:
    return f"{code} {labels.grades.get(code, '')}".strip()


def status_text(f: FindingInfo, labels: Labels) -> str:
    return labels.status(f.status) + ("（逾期）" if f.overdue else "")


def where(f: FindingInfo) -> str:
    return " ".join(x for x in (f.building, f.floor, f.location) if x)


def division_text(f: FindingInfo, labels: Labels) -> str:
    text = f"{f.division_code} {labels.divisions.get(f.division_code, '')}"
    if f.subdivision_code:
        text += f" / {labels.subdivisions.get(f.subdivision_code, f.subdivision_code)}"
    return text


def coverage_text(code: str, labels: Labels) -> str:
    return f"{code} {labels.coverage.get(code, '')}".strip()


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(fonts.para(text if text not in (None, "") else "—"), style)


def facts_table(f: FindingInfo, labels: Labels, styles: dict[str, ParagraphStyle]) -> Table:
    """A finding's facts: 4 columns, long texts spanning the row."""
    c, h = styles["cell"], styles["cellhead"]
    grade = grade_text(f.grade_found, labels)
    if f.grade_now != f.grade_found:
        grade += f" → 现 {grade_text(f.grade_now, labels)}"
    if f.is_serious:
        grade += "【严重缺陷】"
    rows = [
        [_p("问题编号", h), _p(f"{f.label}（第 {f.visit_number} 次巡查，{f.found_on}）", c), _p("风险等级", h),
         _p(grade, c)],
        [_p("部位", h), _p(where(f), c), _p("状态", h), _p(status_text(f, labels), c)],
        [_p("分部工程", h), _p(division_text(f, labels), c), _p("承保类别", h), _p(coverage_text(f.coverage_code, labels), c)],
        [_p("问题描述", h), _p(f.description, c), "", ""],
        [_p("风险分析", h), _p(f.risk, c), "", ""],
        [_p("依据条款", h), _p(f.clause, c), "", ""],
        [_p("整改要求", h), _p(f.requirement or labels.grade_responses.get(f.grade_now), c), "", ""],
        [_p("整改期限", h), _p(f.deadline, c), _p("责任单位", h), _p(f.responsible_party, c)],
    ]
    spans = [("SPAN", (1, r), (3, r)) for r in (3, 4, 5, 6)]
    shade = [("BACKGROUND", (0, 0), (0, -1), HEAD_BG), ("BACKGROUND", (2, 0), (2, 2), HEAD_BG),
             ("BACKGROUND", (2, 7), (2, 7), HEAD_BG)]
    w = BODY_W
    names = ["问题编号", "部位", "分部工程", "问题描述", "风险分析", "依据条款", "整改要求", "整改期限"]
    return flow_table(rows, [0.13 * w, 0.42 * w, 0.13 * w, 0.32 * w], grid_style(0, [*spans, *shade]), styles,
                      continued=[f"{f.label} {n}（续）" for n in names])


START_H = 50 * mm  # room a block longer than a page needs to start on a page: its heading and first lines


class KeepIfFits(KeepTogether):  # type: ignore[misc]
    """Kept on one page when it fits on a page (a finding's heading, facts and first photo row);
    a longer one flows from where it stands once its first lines fit, since a page break before
    it would only leave a gap."""

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if self._H > FRAME_H:
            return [CondPageBreak(START_H), *self._content]
        return list(super().split(aW, aH))


def with_heading(head: Sequence[Flowable], part: Sequence[Flowable]) -> list[Flowable]:
    """A section's heading and its part, the heading taken into the part's first kept block (a
    heading's keepWithNext does not reach into a KeepTogether, so it was left at a page's foot)."""
    first = part[0] if part else None
    if isinstance(first, KeepTogether) and head and isinstance(head[-1], Heading):
        kept = KeepIfFits([head[-1], *first._content]) if isinstance(first, KeepIfFits) \
            else KeepTogether([head[-1], *first._content])
        return [*head[:-1], kept, *part[1:]]
    return [*head, *part]


def more_photos(entry: FindingEntry, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """What a finding's block says when it shows fewer photos than the finding has."""
    extra = len(entry.photos) - len(shown(entry.photos))
    if extra <= 0:
        return []
    text = (f"{entry.finding.label} 共有照片 {len(entry.photos)} 张，上列 {len(entry.photos) - extra} 张；"
            f"另有 {extra} 张，见附件“照片清单”。")
    return [spacer(1), Paragraph(fonts.para(text), styles["small"])]


def finding_block(entry: FindingEntry, labels: Labels, styles: dict[str, ParagraphStyle], *,
                  photos: bool = True, key_prefix: str = "f") -> list[Flowable]:
    """Heading (an outline entry), facts, photos: the heading and facts kept with the first photo row."""
    f = entry.finding
    title = " ".join(f"{f.label} · {where(f)} · {grade_text(f.grade_found, labels)}".split())  # one paragraph
    head = Heading(Section(f"{key_prefix}{f.id}", title, 1), styles["h2"])
    head.keepWithNext = 0  # kept by the block itself, which may be longer than a page
    kept: list[Flowable] = [head, facts_table(f, labels, styles)]
    rest: list[Flowable] = []
    if photos and entry.photos:
        rows = photo_rows(f, entry.photos, styles["caption"], labels.photo_roles)
        kept += [spacer(2), rows[0]]
        rest += [*rows[1:], *more_photos(entry, styles)]
    return [KeepIfFits(kept), *rest, spacer(3)]


def _latest_reply(e: FindingEntry) -> str:
    if not e.replies:
        return "—"
    r = e.replies[-1]
    return f"{r.replied_on} {r.party or ''}：{r.text}"


def _latest_check(e: FindingEntry) -> str:
    if not e.verifications:
        return "—"
    v = e.verifications[-1]
    result = "通过" if v.result == "accepted" else "未通过"
    visit = f"（第 {v.visit_number} 次巡查）" if v.visit_number else ""
    return f"{v.verified_on} {v.inspector or ''}{visit} 复查{result}" + (f"：{v.notes}" if v.notes else "")


def tracking_tables(entries: Sequence[FindingEntry], labels: Labels,
                    styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Earlier findings followed up: reply, evidence, re-check, grade now, status."""
    out: list[Flowable] = []
    for start in range(0, len(entries), REGISTER_CHUNK):
        rows = []
        for e in entries[start:start + REGISTER_CHUNK]:
            f = e.finding
            after = sum(p.role == "after" for p in e.photos)
            rows.append([f.label, f"{where(f)}\n{f.description}", _latest_reply(e),
                         f"整改后照片 {after} 张" if after else "无整改后照片", _latest_check(e),
                         f"{f.grade_found}→{f.grade_now}", status_text(f, labels)])
        out += [data_table(["编号", "部位及问题", "整改回复", "证据", "复查", "等级", "状态"], rows,
                           [13, 52, 40, 20, 40, 13, 18], styles), spacer(2)]
    return out


def evidence_block(entry: FindingEntry, labels: Labels, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """A serious defect and the evidence of its rectification: replies, re-checks (who, when),
    before and after photos side by side; its heading, facts, evidence, verdict and first photo
    row kept on one page when they fit on one."""
    f = entry.finding
    head = finding_block(entry, labels, styles, photos=False, key_prefix="s")[0]
    out: list[Flowable] = list(head._content) if isinstance(head, KeepIfFits) else [head]
    rows: list[list[object]] = [[r.replied_on, r.party or "—", "整改回复", r.text] for r in entry.replies]
    rows += [[v.verified_on, v.inspector or "—", "现场复查" + ("通过" if v.result == "accepted" else "未通过"),
              (f"第 {v.visit_number} 次巡查。" if v.visit_number else "") + (v.notes or "")]
             for v in entry.verifications]
    if not rows:
        rows = [["—", "—", "—", "尚无整改回复及复查记录"]]
    out += [spacer(1.5), data_table(["日期", "人员/单位", "事项", "内容"], rows, [22, 45, 28, 85], styles)]
    verdict = ("已经现场复查验证整改" if f.status == "verified" else
               "已关闭（未经现场验证）" if f.status == "closed" else "尚未经现场复查验证实质性整改")
    out += [spacer(1.5), Paragraph(fonts.para(f"整改证据结论：{f.label} {verdict}。"), styles["body"])]
    rest: list[Flowable] = []
    if entry.photos:  # the first photo row (the before/after pair) kept with the verdict
        rows = photo_rows(f, entry.photos, styles["caption"], labels.photo_roles)
        out += [spacer(1.5), rows[0]]
        rest = [*rows[1:], *more_photos(entry, styles)]
    return [KeepIfFits(out), *rest, spacer(4)]


ANNEX = Section("photolist", "附件：照片清单")


def photos_cut(entries: Sequence[FindingEntry]) -> bool:
    """Whether a finding's block leaves out some of its photos (the report then needs the annex)."""
    return any(len(shown(e.photos)) < len(e.photos) for e in entries)


def _taken(p: PhotoRef) -> str:
    return f"{p.taken_at:%Y-%m-%d %H:%M}" if p.taken_at else "未记录"


def photo_annex(entries: Sequence[FindingEntry], shown_in: Sequence[FindingEntry], labels: Labels,
                styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """附件：照片清单: every photo of the report's findings with its id, finding, role, time taken
    and SHA-256, and whether the report shows it (``shown_in``: the findings whose blocks it has)."""
    on_page = {p.id for e in shown_in for p in shown(e.photos)}
    rows = [(e.finding.label, p) for e in entries for p in e.photos]
    digest = ParagraphStyle("sha256", parent=styles["cell"], fontSize=7, leading=9.5)
    out: list[Flowable] = [Paragraph(fonts.para(
        f"下表列出本报告所涉问题的全部照片，共 {len(rows)} 张：照片编号、所属问题、类别、拍摄时间及照片文件的 "
        "SHA-256 摘要，可据以核对原始照片；“正文”一栏注明该照片是否已在正文中显示。"), styles["body"])]
    for start in range(0, len(rows), REGISTER_CHUNK):
        table = [[f"照片 {p.id}", label, labels.photo_role(p.role), _taken(p), "已显示" if p.id in on_page else "仅列明",
                  Paragraph(fonts.para(p.sha256), digest)] for label, p in rows[start:start + REGISTER_CHUNK]]
        out += [data_table(["照片编号", "问题", "类别", "拍摄时间", "正文", "SHA-256"], table,
                           [17, 12, 14, 25, 13, 93], styles), spacer(2)]
    return out


def register_tables(data: ReportData, entries: Sequence[FindingEntry],
                    styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The defect register: every finding with grade as found and now, in tables of 40 rows."""
    out: list[Flowable] = []
    for start in range(0, len(entries), REGISTER_CHUNK):
        rows = [[f.label, where(f), f.description, f.division_code, f.coverage_code,
                 f.grade_found, f.grade_now, status_text(f, data.labels), f.closed_on or "—"]
                for f in (e.finding for e in entries[start:start + REGISTER_CHUNK])]
        serious = [("TEXTCOLOR", (5, i + 1), (6, i + 1), "#C62828")
                   for i, e in enumerate(entries[start:start + REGISTER_CHUNK]) if e.finding.is_serious]
        out += [data_table(["编号", "部位", "问题描述", "分部", "承保", "发现等级", "现等级", "状态", "关闭日期"], rows,
                           [12, 28, 62, 9, 14, 10, 10, 18, 18], styles, serious), spacer(2)]
    if not entries:
        out.append(Paragraph(fonts.para("无。"), styles["body"]))
    return out
