"""The checklist record (检查要点核查记录) of a process report: per node visited, each check item
with what the inspector marked (符合 / 不符合 / 不适用), the value measured against its
requirement, and the finding a 不符合 opened."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph

from ..values.checklist import ChecklistRow
from ..values.report import ReportData
from . import fonts
from .layout import data_table, para, spacer

RESULT_COLORS = {"ok": "#2E7D32", "fail": "#C62828", "na": "#616161"}
NOT_MARKED = "未检查"
WIDTHS = [15, 83, 16, 22, 20, 14]


def _counts(rows: Sequence[ChecklistRow]) -> str:
    marked = [r for r in rows if r.result]
    parts = [f"{name} {sum(r.result == code for r in marked)} 项"
             for code, name in (("ok", "符合"), ("fail", "不符合"), ("na", "不适用"))]
    missing = len(rows) - len(marked)
    return "，".join(parts + ([f"{NOT_MARKED} {missing} 项"] if missing else []))


def _result(r: ChecklistRow, styles: dict[str, ParagraphStyle]) -> Paragraph:
    color = RESULT_COLORS.get(r.result or "", "#9E9E9E")
    style = ParagraphStyle(f"checklist-{r.result or 'none'}", parent=styles["cell"], textColor=colors.HexColor(color))
    text = fonts.para(r.result_name or NOT_MARKED)
    return Paragraph(f"<b>{text}</b>" if r.result == "fail" else text, style)


def _item_text(r: ChecklistRow) -> str:
    lines = [r.text]
    if r.clause:
        lines.append(f"依据：{r.clause}")
    if r.note:
        lines.append(f"备注：{r.note}")
    if r.photo_id is not None:
        lines.append("已附照片")
    return "\n".join(lines)


def _finding(r: ChecklistRow) -> str:
    if not r.finding_label:
        return "—"
    return r.finding_label if r.result == "fail" else f"{r.finding_label}（此前不符合）"


def checklist_record(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The record, one table per visit and node; nothing in a report of nodes without check items."""
    rows = data.checklists
    if not rows:
        return []
    several = len({r.visit_id for r in rows}) > 1
    title_style = ParagraphStyle("checklist-node", parent=styles["body"], keepWithNext=1)  # not orphaned from its table
    # the heading and its note travel with the first node's table (never left at a page's foot)
    head = ParagraphStyle("checklist-h2", parent=styles["h2"], keepWithNext=1)
    note = ParagraphStyle("checklist-note", parent=styles["body"], keepWithNext=1)
    out: list[Flowable] = [CondPageBreak(40 * mm), spacer(3), para("检查要点核查记录", head),
                           para("下表列出本期巡查节点的检查要点及检查人员的结论；判为不符合的要点已作为问题记录，"
                                "其编号见“问题”一栏。", note)]
    for (number, code), group in groupby(rows, key=lambda r: (r.visit_number, r.node_code)):
        items = list(group)
        title = f"{code} {items[0].node_name}"
        if several:
            title = f"第 {number} 次巡查 · {title}"
        if not any(r.result for r in items):  # a node whose items were not marked: one line, not a table
            out.append(Paragraph(f"<b>{fonts.para(title)}</b>：未记录检查要点结论（共 {len(items)} 项）。",
                                 styles["body"]))
            continue
        out.append(Paragraph(f"<b>{fonts.para(title)}</b>：{fonts.para(_counts(items))}", title_style))
        table = [[r.item_id, _item_text(r), _result(r, styles), r.value_text() or "—", r.bounds() or "—",
                  _finding(r)] for r in items]
        out += [data_table(["编号", "检查要点", "结论", "实测值", "要求", "问题"], table, WIDTHS, styles), spacer(2)]
    return out
