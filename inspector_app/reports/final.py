"""工程质量风险最终评估报告: the final report before completion acceptance, with every serious
defect and the evidence of its rectification, the full register, and the gate decision."""

from __future__ import annotations

import os
from collections import defaultdict

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak

from .. import messages
from ..values.dto import GateResult
from ..values.report import FindingEntry, Labels, ReportData
from . import sections, signoff
from .document_blocks import tests_summary
from .finding_blocks import (
    ANNEX,
    evidence_block,
    finding_block,
    photo_annex,
    photos_cut,
    register_tables,
    status_text,
    where,
    with_heading,
)
from .layout import (
    CancelFlag,
    Contents,
    Progress,
    Section,
    data_table,
    heading,
    make_styles,
    para,
    write_report,
)
from .output import ReportFile

TITLE = "工程质量风险最终评估报告"
SECTIONS = [
    Section("project", "一、项目概况与保险信息"), Section("parties", "二、参建各方"),
    Section("work", "三、风险管理工作概况"), Section("scope", "四、评估依据与方法"),
    Section("stats", "五、风险统计"), Section("divisions", "六、分部工程评估"),
    Section("serious", "七、严重质量缺陷及整改证据"), Section("register", "八、质量缺陷登记表"),
    Section("open", "九、未关闭问题"), Section("tests", "十、检测与资料核查汇总"),
    Section("conclusion", "十一、结论：严重质量缺陷评估"), Section("signoff", "十二、声明与签发"),
    Section("annex", "附件：问题照片记录"),
]

ACCEPTANCE = "竣工验收由建设单位依法组织，本报告仅就严重质量缺陷及其实质性整改情况作出评估结论，不对竣工验收本身作出结论。"


def gate_sentence(gate: GateResult, labels: Labels) -> str:
    """The agency's conclusion about serious defects (Art. 10), naming by number those not verified
    as substantively rectified. The report states facts and this conclusion; completion acceptance
    is the developer's procedure, so it never says the project passes or fails that acceptance."""
    others = [r for r in gate.reasons if r.blocking and r.code not in ("serious_unverified", "serious_unproven")]
    work = "；".join(messages.text(r.key, r.params) for r in others)
    if gate.passed:
        found = (f"本项目共认定严重质量缺陷 {gate.serious_total} 项，均已由风险管理机构检查人员现场复查，"
                 "并以整改后照片验证实质性整改" if gate.serious_total else "本项目评估过程中未认定严重质量缺陷")
        return (f"经评估，计划关键节点均已巡查或经说明理由豁免；{found}。"
                f"风险管理机构的结论：本项目不存在未经实质性整改的严重质量缺陷。{ACCEPTANCE}")
    parts = [f"经评估，本项目共认定严重质量缺陷 {gate.serious_total} 项"]
    if gate.blocking:
        named = "、".join(f.label for f in gate.blocking)
        parts.append(f"，其中 {len(gate.blocking)} 项（{named}）尚未经风险管理机构现场复查验证实质性整改，或整改证据不足。"
                     f"风险管理机构的结论：本项目存在未经实质性整改的严重质量缺陷 {named}。"
                     f"依据{labels.regulation}{labels.gate_article}，最终评估报告指出的严重质量缺陷应在竣工时得到实质性整改；"
                     "建设单位应督促责任单位完成整改，并报风险管理机构现场复查验证")
        if work:
            parts.append(f"。此外，风险管理机构的评估工作尚未完成：{work}")
    else:
        parts.append(f"，均已验证实质性整改；但风险管理机构的评估工作尚未完成：{work}。"
                     "在上述工作完成前，本报告不能得出“不存在未经实质性整改的严重质量缺陷”的结论")
    return "".join(parts) + "。" + ACCEPTANCE


def gate_headline(gate: GateResult) -> str:
    """The cover's one-line conclusion about serious defects."""
    if gate.passed:
        return "不存在未经实质性整改的严重质量缺陷"
    if gate.blocking:
        return "存在未经实质性整改的严重质量缺陷：" + "、".join(f.label for f in gate.blocking)
    return "评估工作尚未完成，暂不能得出结论"


def gate_notes(gate: GateResult, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """What the conclusion states beside the decision: every reason of the gate by itself, and the
    process reports the final report covers."""
    rows = [["影响结论" if r.blocking else "说明", messages.text(r.key, r.params)] for r in gate.reasons]
    rows.append(["说明", "已签发过程评估报告：" + ("、".join(gate.process_reports) or "无")])
    return [data_table(["性质", "评估事项"], rows, [18, 152], styles)]


def work_summary(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    inspected = sum(n.status == "inspected" for n in data.project.nodes)
    text = (f"自保单签发（{data.project.issued_on}）至本报告签发，风险管理机构共进行现场巡查 {len(data.visits)} 次，"
            f"检查关键节点 {inspected} 个（计划 {len(data.project.nodes)} 个），记录问题 {data.stats.new.total} 项，"
            f"每次巡查后出具过程评估报告及整改通知单。")
    issued = {r.visit_id: f"{r.number} 第{r.revision}版" for r in data.issued if r.kind == "process"}
    rows = [[f"第 {v.number} 次", v.started_at.date(), " ".join(v.nodes), v.findings, issued.get(v.id, "（未签发）")]
            for v in data.visits]
    return [para(text, styles["body"]),
            data_table(["巡查", "日期", "节点", "发现问题", "过程评估报告编号"], rows, [18, 26, 40, 20, 60], styles),
            *sections.progress(data, styles)]


def division_assessment(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    groups: dict[str, list[FindingEntry]] = defaultdict(list)
    for e in data.new_findings:
        groups[e.finding.division_code].append(e)
    rows = []
    for code, name in data.labels.divisions.items():
        rows_f = [e.finding for e in groups.get(code, [])]
        if not rows_f:
            continue
        serious = [f for f in rows_f if f.is_serious]
        open_ = [f for f in rows_f if f.is_open]
        blocking = [f.label for f in serious if f.status != "verified"]
        verdict = ("存在未验证整改的严重缺陷：" + "、".join(blocking)) if blocking else (
            "有未关闭问题，需持续跟踪" if open_ else "已发现问题均已整改闭合，风险受控")
        rows.append([f"{code} {name}", len(rows_f), len(serious), len(open_), verdict])
    return [data_table(["分部工程", "问题数", "严重", "未关闭", "评估意见"], rows, [40, 16, 14, 16, 94], styles)]


def open_items(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    rows = [[e.finding.label, where(e.finding), e.finding.description, e.finding.grade_now,
             e.finding.deadline or "—", status_text(e.finding, data.labels)]
            for e in data.new_findings if e.finding.is_open]
    if not rows:
        return [para("无未关闭问题。", styles["body"])]
    return [data_table(["编号", "部位", "问题描述", "现等级", "整改期限", "状态"], rows, [14, 30, 80, 14, 22, 20], styles)]


def conclusion(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    assert data.gate is not None
    st = data.stats
    behaviour = (f"，另有严重质量行为风险（{'、'.join(data.labels.behaviour_grades) or 'E'} 级，未认定为严重质量缺陷，"
                 f"不计入本结论）{st.new.behaviour} 项" if st.new.behaviour else "")
    summary = (f"本项目全过程共记录问题 {st.new.total} 项，其中严重质量缺陷 {st.new.serious} 项{behaviour}；"
               f"截至 {data.as_of or data.generated_on} 未关闭问题 {st.open.total} 项。")
    return [para(summary, styles["body"]), para(gate_sentence(data.gate, data.labels), styles["gate"]),
            *gate_notes(data.gate, styles)]


def story(data: ReportData) -> tuple[list[Flowable], list[Section]]:
    styles = make_styles()
    if data.gate is None:
        raise ValueError("最终评估报告需要竣工验收闸门结果（report_data.gather 'final'）")
    serious = [e for e in data.new_findings if e.finding.is_serious]
    with_photos = [e for e in data.new_findings if e.photos]
    out: list[Flowable] = sections.cover(data, TITLE, styles, [("严重质量缺陷评估结论", gate_headline(data.gate))])
    toc = [*SECTIONS, ANNEX] if photos_cut(with_photos) else SECTIONS  # every photo listed when some are not shown
    out += [para("目　录", styles["h1"]), Contents(toc, styles), PageBreak()]
    parts: dict[str, list[Flowable]] = {
        "project": sections.project_policy(data, styles),
        "parties": sections.parties(data, styles),
        "work": work_summary(data, styles),
        "scope": sections.scope_and_standards(data, styles),
        "stats": sections.statistics(data, styles, "全过程发现问题"),
        "divisions": division_assessment(data, styles),
        "serious": [b for e in serious for b in evidence_block(e, data.labels, styles)]
        or [para("本项目未认定严重质量缺陷。", styles["body"])],
        "register": register_tables(data, data.new_findings, styles),
        "open": open_items(data, styles),
        "tests": tests_summary(data, styles),
        "conclusion": conclusion(data, styles),
        "signoff": signoff.signoff_block(data, styles),
        "annex": [b for e in with_photos for b in finding_block(e, data.labels, styles, key_prefix="a")]
        or [para("无。", styles["body"])],
    }
    if ANNEX in toc:
        parts[ANNEX.key] = photo_annex(data.all_entries(), with_photos, data.labels, styles)
    for s in toc:
        if s.key == "annex":
            out.append(PageBreak())
        out += with_heading(heading(s, styles), parts[s.key])
    return out, toc


def build_final(data: ReportData, out_path: str | os.PathLike[str], *, progress: Progress | None = None,
                cancel: CancelFlag | None = None, pdfa: bool = False) -> ReportFile:
    """Write the final report PDF (PDF/A-2b with ``pdfa``); returns its path, pages, size and SHA-256."""
    flowables, toc = story(data)
    return write_report(data, out_path, TITLE, flowables, toc, progress=progress, cancel=cancel, pdfa=pdfa)
