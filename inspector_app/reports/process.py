"""工程质量风险过程评估报告: the process evaluation report for one visit or a period."""

from __future__ import annotations

import os
from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak

from ..values.report import FindingEntry, ReportData
from . import sections, signoff
from .checklist_blocks import checklist_record
from .document_blocks import documents_reviewed
from .finding_blocks import (
    ANNEX,
    finding_block,
    photo_annex,
    photos_cut,
    tracking_tables,
    with_heading,
)
from .layout import (
    CancelFlag,
    Contents,
    Progress,
    Section,
    heading,
    make_styles,
    para,
    write_report,
)
from .output import ReportFile

TITLE = "工程质量风险过程评估报告"
SECTIONS = [
    Section("project", "一、项目概况与保险信息"), Section("parties", "二、参建各方"),
    Section("progress", "三、工程形象进度"), Section("scope", "四、评估范围、方法与依据"),
    Section("stats", "五、风险统计"), Section("new", "六、本期新发现问题"),
    Section("tracking", "七、以往问题跟踪"), Section("behaviour", "八、质量行为风险"),
    Section("documents", "九、资料核查"), Section("conclusion", "十、结论与下阶段关注重点"),
    Section("signoff", "十一、声明与签发"),
]


def technical(entries: Sequence[FindingEntry], behaviour: Sequence[str]) -> list[FindingEntry]:
    return [e for e in entries if e.finding.grade_found not in behaviour]


def behavioural(entries: Sequence[FindingEntry], behaviour: Sequence[str]) -> list[FindingEntry]:
    return [e for e in entries if e.finding.grade_found in behaviour]


def behaviour_grades(data: ReportData) -> list[str]:
    """Grades naming a quality-behaviour breach (E, 严重质量行为风险, in the default scale)."""
    return [code for code, name in data.labels.grades.items() if "行为" in name]


def conclusion(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    st = data.stats
    serious_open = [e.finding for e in data.all_entries()
                    if e.finding.is_serious and e.finding.is_open]
    overdue = [e.finding for e in data.all_entries() if e.finding.overdue]
    behaviour = f"，严重质量行为风险（不计入严重质量缺陷）{st.new.behaviour} 项" if st.new.behaviour else ""
    text = [f"本期（{data.scope.label}）新发现问题 {st.new.total} 项，其中严重缺陷 {st.new.serious} 项{behaviour}；"
            f"跟踪以往问题 {len(data.tracked_findings)} 项。"]
    if data.gate is not None:  # the project's gate, as the window and the final report state it
        blocking = [f.label for f in data.gate.blocking]
        if blocking:
            text.append("本项目尚未验证整改的严重缺陷：" + "、".join(blocking) +
                        "。建设单位应督促责任单位立即整改并书面回复，风险管理机构将现场复查。")
        else:
            text.append("本项目已认定的严重缺陷均已验证整改。")
    elif serious_open:  # a snapshot made before the gate was part of a process report
        text.append("尚未验证整改的严重缺陷：" + "、".join(f.label for f in serious_open) +
                    "。建设单位应督促责任单位立即整改并书面回复，风险管理机构将现场复查。")
    else:
        text.append("本报告范围内的严重缺陷均已验证整改。")
    if overdue:
        text.append("已逾期未整改：" + "、".join(f.label for f in overdue) + "。")
    # the plan as it stood on the report's as-of day (snapshots before it: the last visit's day)
    last = data.as_of or max((v.started_at.date() for v in data.visits), default=data.generated_on)
    upcoming = [n for n in data.project.nodes if n.status == "planned" and (n.planned_date is None or n.planned_date >= last)][:3]
    focus = "；".join(f"{n.code} {n.name}（计划 {n.planned_date or '待定'}）" for n in upcoming)
    if focus:
        text.append(f"下阶段关注重点：{focus}。")
    return [para(t, styles["body"]) for t in text]


def story(data: ReportData, title: str = TITLE) -> tuple[list[Flowable], list[Section]]:
    styles = make_styles()
    behaviour = behaviour_grades(data)
    new_tech = technical(data.new_findings, behaviour)
    new_beh = behavioural(data.new_findings, behaviour)
    out: list[Flowable] = sections.cover(data, title, styles)
    toc = [*SECTIONS, ANNEX] if photos_cut(data.new_findings) else SECTIONS  # every photo listed when some are not shown
    out += [para("目　录", styles["h1"]), Contents(toc, styles), PageBreak()]
    parts: dict[str, list[Flowable]] = {
        "project": sections.project_policy(data, styles),
        "parties": sections.parties(data, styles),
        "progress": sections.progress(data, styles),
        "scope": [*sections.scope_and_standards(data, styles), *checklist_record(data, styles)],
        "stats": sections.statistics(data, styles, "本期新发现问题"),
        "new": [b for e in new_tech for b in finding_block(e, data.labels, styles)]
        or [para("本期未发现技术风险问题。", styles["body"])],
        "tracking": tracking_tables(data.tracked_findings, data.labels, styles) if data.tracked_findings
        else [para("无需跟踪的以往问题。", styles["body"])],
        "behaviour": [b for e in new_beh for b in finding_block(e, data.labels, styles)]
        or [para("本期未发现质量行为风险。", styles["body"])],
        "documents": documents_reviewed(data, styles),
        "conclusion": conclusion(data, styles),
        "signoff": signoff.signoff_block(data, styles),
    }
    if ANNEX in toc:
        parts[ANNEX.key] = photo_annex(data.all_entries(), data.new_findings, data.labels, styles)
    for s in toc:
        out += with_heading(heading(s, styles), parts[s.key])
    return out, toc


def build_process(data: ReportData, out_path: str | os.PathLike[str], *, progress: Progress | None = None,
                  cancel: CancelFlag | None = None, pdfa: bool = False) -> ReportFile:
    """Write the process report PDF (PDF/A-2b with ``pdfa``); returns its path, pages, size and SHA-256."""
    flowables, toc = story(data)
    return write_report(data, out_path, TITLE, flowables, toc, progress=progress, cancel=cancel, pdfa=pdfa)
