"""资料核查: the documents and test reports an inspector reviewed (process report), and the tests
summary of the final report. Never an empty table: without review records the section says what
was checked by measurement (check items with a value) and by test photos, or that nothing was."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from ..values.report import DocumentReviewRef, FindingEntry, PhotoRef, ReportData
from . import fonts
from .layout import data_table, para, spacer

KINDS = {"document": "资料", "test": "检测"}
RESULTS = {"ok": "符合", "fail": "不符合", "missing": "缺失"}
RESULT_COLORS = {"ok": "#2E7D32", "fail": "#C62828", "missing": "#E65100"}
WIDTHS = [12, 19, 46, 28, 11, 14, 38, 12]


def _result(r: DocumentReviewRef, styles: dict[str, ParagraphStyle]) -> Paragraph:
    style = ParagraphStyle(f"review-{r.result}", parent=styles["cell"],
                           textColor=colors.HexColor(RESULT_COLORS.get(r.result, "#424242")))
    text = fonts.para(RESULTS.get(r.result, r.result))
    return Paragraph(f"<b>{text}</b>" if r.result != "ok" else text, style)


def counts(rows: Sequence[DocumentReviewRef]) -> str:
    """资料 3 份、检测报告 2 份：符合 4 份，缺失 1 份"""
    kinds = "、".join(f"{'检测报告' if k == 'test' else KINDS.get(k, k)} {n} 份"
                      for k in ("document", "test", *sorted({r.kind for r in rows} - set(KINDS)))
                      if (n := sum(r.kind == k for r in rows)))
    results = "，".join(f"{RESULTS.get(k, k)} {n} 份" for k in ("ok", "fail", "missing", *sorted(
        {r.result for r in rows} - set(RESULTS))) if (n := sum(r.result == k for r in rows)))
    return f"{kinds}：{results}"


def review_table(rows: Sequence[DocumentReviewRef], styles: dict[str, ParagraphStyle]) -> Flowable:
    table = [[f"第 {r.visit_number} 次", r.day, r.name, r.reference or "—", KINDS.get(r.kind, r.kind),
              _result(r, styles), r.note or "—", r.finding_no or "—"] for r in rows]
    return data_table(["巡查", "日期", "资料/检测报告名称", "编号", "类别", "结论", "说明", "问题"], table, WIDTHS, styles)


def _in_scope(p: PhotoRef, data: ReportData) -> bool:
    if data.scope.kind == "project" or p.taken_at is None or not data.visits:
        return True
    first = min(v.started_at.date() for v in data.visits)
    last: date = data.as_of or max(v.started_at.date() for v in data.visits)
    return first <= p.taken_at.date() <= last


def _test_photos(entries: Sequence[FindingEntry], data: ReportData) -> list[str]:
    return [f"{e.finding.label} 照片 {p.id}（{p.taken_at:%Y-%m-%d}）" if p.taken_at else f"{e.finding.label} 照片 {p.id}"
            for e in entries for p in e.photos if p.role == "test" and _in_scope(p, data)]


def without_records(data: ReportData, styles: dict[str, ParagraphStyle], period: str) -> list[Flowable]:
    """What was checked when no document or test report was recorded as reviewed."""
    measured = [r for r in data.checklists if r.value]
    photos = _test_photos(data.all_entries(), data)
    if not measured and not photos:
        return [para(f"{period}未核查资料。", styles["body"])]
    lines = [f"{period}未登记资料及检测报告核查记录，现场核查情况如下。"]
    if measured:
        items = "；".join(
            f"{r.item_id} {r.value_label or r.text} 实测 {r.value_text()}"
            + (f"（要求 {r.bounds()}）" if r.bounds() else "") + f"，{r.result_name or '未检查'}" for r in measured)
        lines.append(f"现场实测 {len(measured)} 项（见“检查要点核查记录”）：{items}。")
    if photos:
        lines.append(f"检测照片 {len(photos)} 张：{'；'.join(photos)}。")
    return [para(t, styles["body"]) for t in lines]


def documents_reviewed(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The process report's 资料核查: every document and test report reviewed in scope."""
    rows = data.document_reviews
    if not rows:
        return without_records(data, styles, "本期")
    failed = [r for r in rows if r.result != "ok"]
    out: list[Flowable] = [para(f"本期核查{counts(rows)}。" + (
        "不符合或缺失的资料已作为问题记录，其编号见“问题”一栏。" if any(r.finding_no for r in failed) else ""),
        styles["body"]), review_table(rows, styles)]
    return out


def tests_summary(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The final report's tests summary: test reports first, then the other documents reviewed."""
    rows = data.document_reviews
    if not rows:
        return without_records(data, styles, "项目全过程")
    tests = [r for r in rows if r.kind == "test"]
    others = [r for r in rows if r.kind != "test"]
    open_ = [r for r in rows if r.result != "ok"]
    out: list[Flowable] = [para(f"项目全过程共核查{counts(rows)}。", styles["body"])]
    if open_:
        out.append(para("结论为不符合或缺失的：" + "；".join(
            f"{r.name}（第 {r.visit_number} 次巡查，{RESULTS.get(r.result, r.result)}"
            + (f"，见 {r.finding_no}" if r.finding_no else "") + "）" for r in open_) + "。", styles["body"]))
    for title, part in (("检测报告", tests), ("其他资料", others)):
        if part:
            out += [spacer(2), para(title, styles["h2"]), review_table(part, styles)]
    return out
