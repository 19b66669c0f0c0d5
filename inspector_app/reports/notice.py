"""整改通知单: the rectification notice of one visit, addressed to the developer and the
contractor: the findings with requirements and deadlines, earlier ones still open, photos."""

from __future__ import annotations

import os

from reportlab.platypus import Flowable, KeepTogether

from ..values.report import FindingEntry, ReportData
from .finding_blocks import ANNEX, finding_block, grade_text, photo_annex, photos_cut, where
from .layout import (
    CancelFlag,
    Progress,
    Section,
    data_table,
    heading,
    kv_table,
    make_styles,
    para,
    spacer,
    write_report,
)
from .output import ReportFile
from .signoff import DAY_LINE, SIGN_LINE, notice_lines, revision, seal

TITLE = "整改通知单"
SECTIONS = [Section("list", "一、本次巡查发现问题及整改要求"), Section("earlier", "二、以往未整改问题"),
            Section("photos", "三、问题照片"), Section("sign", "四、签收")]


def _rows(entries: list[FindingEntry], data: ReportData) -> list[list[object]]:
    return [[e.finding.label, where(e.finding), e.finding.description, grade_text(e.finding.grade_found, data.labels),
             e.finding.requirement or data.labels.grade_responses.get(e.finding.grade_found, ""),
             e.finding.deadline or "—", e.finding.responsible_party or "—"] for e in entries]


def story(data: ReportData) -> list[Flowable]:
    styles = make_styles()
    p = data.project
    visit = data.visits[0]
    party = {x.role: x.name for x in p.parties}
    out: list[Flowable] = [para(TITLE, styles["title"]), kv_table([
        ("通知单编号", data.report_no), ("项目名称", p.name), ("保险单号", p.policy_no),
        ("致（建设单位）", party.get("developer")), ("致（施工单位）", party.get("construction")),
        ("抄送（监理单位）", party.get("supervision")), ("巡查", f"{data.scope.label}，节点 {' '.join(visit.nodes)}"),
        ("检查人员", "、".join(visit.inspectors))], styles, 34), *revision(data, styles), spacer(3),
        para(f"我机构于 {visit.started_at:%Y年%m月%d日} 对贵项目进行第 {visit.number} 次现场巡查，发现下列质量问题。"
             "请建设单位督促责任单位按整改要求在期限内完成整改，并将书面整改回复及整改后照片报送我机构；"
             "严重缺陷（D、E 级）须立即整改，经我机构现场复查验证后方可关闭。", styles["body"])]
    head = ["编号", "部位", "问题描述", "等级", "整改要求", "期限", "责任单位"]
    widths = [12, 24, 50, 18, 42, 22, 26]
    out += [*heading(SECTIONS[0], styles),
            data_table(head, _rows(data.new_findings, data), widths, styles) if data.new_findings
            else para("本次巡查未发现问题。", styles["body"])]
    out += [*heading(SECTIONS[1], styles),
            data_table(head, _rows(data.tracked_findings, data), widths, styles) if data.tracked_findings
            else para("无。", styles["body"])]
    out += heading(SECTIONS[2], styles)
    for e in data.new_findings:
        if e.photos:
            out += finding_block(e, data.labels, styles, key_prefix="n")
    out += [*heading(SECTIONS[3], styles), KeepTogether([kv_table([
        ("风险管理机构", p.agency or (data.agency.name if data.agency else "")), *notice_lines(data),
        ("建设单位签收", f"签收人：{SIGN_LINE}　日期：{DAY_LINE}"), ("施工单位签收", f"签收人：{SIGN_LINE}　日期：{DAY_LINE}"),
        ("整改回复期限", "各项问题整改期限见上表；逾期未回复的，我机构将在过程评估报告中列明。")], styles, 34),
        spacer(3), seal(data)])]
    if photos_cut(data.new_findings):  # a finding with more photos than its block shows: every photo listed
        out += [*heading(ANNEX, styles), *photo_annex(data.all_entries(), data.new_findings, data.labels, styles)]
    return out


def build_notice(data: ReportData, out_path: str | os.PathLike[str], *, progress: Progress | None = None,
                 cancel: CancelFlag | None = None, pdfa: bool = False) -> ReportFile:
    """Write the rectification notice PDF (PDF/A-2b with ``pdfa``); returns its path, pages, size and SHA-256."""
    if not data.visits:
        raise ValueError("整改通知单需要一次巡查（report_data.gather 'notice'）")
    return write_report(data, out_path, TITLE, story(data), [], progress=progress, cancel=cancel, pdfa=pdfa,
                        cover=False)
