"""Sections the process and final reports share (DOMAIN.md §9): cover, project and policy,
parties, progress, scope and standards, statistics with tables and charts."""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from ..values.report import Counts, ReportData
from . import charts, fonts, signoff
from .layout import BODY_W, cover_break, data_table, grid_style, kv_table, para, spacer

CLAUSE_CODE = re.compile(r"((?:GB|JGJ|DB\d*|CECS)[ /T]*\s?\d+(?:\.\d+)?-\d{4})")


def cover(data: ReportData, title: str, styles: dict[str, ParagraphStyle],
          extra: Sequence[tuple[str, object]] = ()) -> list[Flowable]:
    p = data.project
    insurers = "、".join(f"{i.name}（{'主承保' if i.is_lead else '共保'} {i.share_percent:g}%）" for i in p.insurers)
    inspectors = sorted({n for v in data.visits for n in v.inspectors})
    rows: list[tuple[str, object]] = [
        ("报告编号", data.report_no), ("项目名称", p.name), ("项目地址", p.address), ("保险单号", p.policy_no),
        ("保险人（共保体）", insurers), ("风险管理机构", p.agency), ("评估期间", data.scope.label),
        ("检查人员", "、".join(inspectors) or "—"), *extra, ("审核人", signoff.reviewer(data)),
        ("签发日期", f"草稿，未签发（生成于 {data.generated_on}）" if data.draft else data.generated_on.isoformat()),
    ]
    return [spacer(30), para("住宅工程质量潜在缺陷保险", styles["subtitle"]), para(title, styles["title"]),
            spacer(10), kv_table(rows, styles, 36), *signoff.revision(data, styles), spacer(12),
            signoff.seal(data), *cover_break()]


def project_policy(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    p = data.project
    facts = [("项目名称", p.name), ("项目编号", p.code), ("项目地址", p.address), ("所在区", p.district),
             ("施工许可证号", p.construction_permit_no), ("计划竣工验收日期", p.planned_acceptance_date),
             ("实际竣工验收日期", p.actual_acceptance_date), ("单体数量", f"{len(p.buildings)} 栋")]
    if p.permit_date is not None:
        facts.insert(5, ("施工许可证核发日期", p.permit_date))
    policy = [("保险单号", p.policy_no), ("签发日期", p.issued_on), ("保险金额", yuan(p.sum_insured_yuan)),
              ("建安工程总造价（预算）", yuan(p.budget_cost_yuan)), ("保险费", yuan(p.premium_yuan)),
              ("其中风险管理费", yuan(p.risk_fee_yuan))]
    insurers = [[i.name, "主承保" if i.is_lead else "共保", f"{i.share_percent:g}%"] for i in p.insurers]
    coverage = [[c.code, c.label, f"{c.period_years} 年" if c.period_years else "—", c.starts_on or "竣工验收后确定",
                 c.ends_on or "—"] for c in p.coverage]
    buildings = [[b.name, f"{b.floors_above}/{b.floors_below}", b.structure_type or "—",
                  f"{b.floor_area_m2:g}" if b.floor_area_m2 else "—", b.dwellings or "—"] for b in p.buildings]
    return [kv_table(facts, styles), spacer(3), kv_table(policy, styles), spacer(3),
            data_table(["保险人", "角色", "份额"], insurers, [120, 30, 30], styles), spacer(3),
            data_table(["险种", "承保内容", "保险期间", "起期", "止期"], coverage, [18, 80, 20, 32, 30], styles), spacer(3),
            data_table(["单体", "地上/地下层数", "结构形式", "建筑面积（m²）", "户数"], buildings, [30, 30, 50, 35, 25], styles),
            *warnings(data, styles)]


def _warning_style(styles: dict[str, ParagraphStyle]) -> ParagraphStyle:
    return ParagraphStyle("warning", parent=styles["body"], textColor=colors.HexColor("#8D4A00"),
                          backColor=colors.HexColor("#FFF3E0"), borderColor=colors.HexColor("#F9A825"),
                          borderWidth=0.6, borderPadding=2 * mm, spaceBefore=2 * mm, spaceAfter=3 * mm)


def warnings(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """What the rules flag on the project without refusing it (rule-set validity, a policy after the
    permit, cover periods with a reason, the plan's confirmation): stated, never left out."""
    if not data.warnings:
        return []
    text = "<br/>".join(f"{i}. {fonts.para(w)}" for i, w in enumerate(data.warnings, 1))
    return [spacer(3), para("需要说明的事项", styles["h2"]), Paragraph(text, _warning_style(styles))]


def basis(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The rule-set basis line (依据《…》（有效期至…）), as a warning when the policy lies outside it."""
    if data.basis_warning:
        return [para(data.basis_warning, _warning_style(styles))]
    return [para(data.basis + "。", styles["body"])] if data.basis else []


def parties(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    rows = [[data.labels.party_role(x.role), x.name, x.credit_code or "—"] for x in data.project.parties]
    out = [data_table(["角色", "单位名称", "统一社会信用代码"], rows, [30, 100, 50], styles)]
    if data.agency:
        a = data.agency
        people = "、".join(f"{i.name}（{i.certificate_no}）" if i.certificate_no else i.name for i in a.inspectors)
        out += [spacer(3), kv_table([("风险管理机构", a.name), ("地址", a.address), ("电话", a.phone),
                                     ("检查人员", people)], styles)]
    return out


def progress(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """形象进度 per building at each visit in scope, and the plan's nodes."""
    names = [b.name for b in data.project.buildings]
    rows = [[f"第 {v.number} 次", v.started_at.date()] + [v.progress.get(n, "—") for n in names] for v in data.visits]
    out: list[Flowable] = [data_table(["巡查", "日期", *names], rows, [16, 22, *[142 / max(len(names), 1)] * len(names)],
                                      styles)]
    status = {"planned": "计划", "reached": "已到达", "inspected": "已检查", "skipped": "跳过", "waived": "免检"}
    nodes = [[n.code, n.name, n.planned_date or "—", n.reached_date or "—", status.get(n.status, n.status), n.visits]
             for n in data.project.nodes]
    out += [spacer(3), para("关键节点计划与完成情况", styles["h2"]),
            data_table(["节点", "名称", "计划日期", "到达日期", "状态", "巡查次数"], nodes, [12, 80, 24, 24, 18, 18], styles)]
    return out + plan_contents(data, styles)


def plan_contents(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The plan as Art. 17 and Art. 10 read: the developer's confirmation, key processes, node notices
    and waivers (said only when recorded, so a report made before they existed reads as it did)."""
    p = data.project
    lines = []
    if p.plan_confirmed_on is not None:
        lines.append(f"风险评估实施方案经建设单位确认：{p.plan_confirmed_on}（{p.plan_confirmed_by}）。")
    if p.key_processes:
        lines.append("重点工序：" + "；".join(p.key_processes) + "。")
    notified = [f"{n.code}（{n.notified_on}）" for n in p.nodes if n.notified_on is not None]
    if notified:
        lines.append("建设单位节点通知：" + "、".join(notified) + "。")
    lines += [f"节点 {n.code} {n.name} 未经现场检查，由检查人员 {n.waived_by} 于 {n.waived_on} 免检，原因：{n.waived_reason}。"
              for n in p.nodes if n.status == "waived"]
    return [para(t, styles["body"]) for t in lines]


def scope_and_standards(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    text = (f"本报告评估范围：{data.scope.label}，共 {len(data.visits)} 次现场巡查。检查人员依据法律法规、工程建设标准、"
            "施工图设计文件及保险合同，对关键节点、重点工序进行现场检查、查阅资料并见证检测，"
            "按风险等级 A～E 及 R、O 记录问题，对以往问题跟踪复查。")
    rows = [[f"第 {v.number} 次", f"{v.started_at:%Y-%m-%d %H:%M}", " ".join(v.nodes), "、".join(v.inspectors),
             v.weather or "—", v.summary or "—"] for v in data.visits]
    cited = sorted({m.group(1).replace("  ", " ") for e in data.all_entries() for m in
                    CLAUSE_CODE.finditer(e.finding.clause or "")})
    out = [para(text, styles["body"]),
           data_table(["巡查", "时间", "节点", "检查人员", "天气", "概况"], rows, [14, 24, 16, 24, 12, 90], styles),
           spacer(3), para("评估依据", styles["h2"]), *basis(data, styles)]
    out += [para(f"{i}. {s}", styles["body"]) for i, s in enumerate(data.labels.standards, 1)]
    if cited:
        out.append(para("本期问题引用的标准：" + "；".join(cited), styles["body"]))
    return out


def _items(counts: dict[str, int], names: dict[str, str], order: Sequence[str] = (),
           code: bool = True) -> list[tuple[str, int]]:
    keys = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    return [((f"{k} {names.get(k, '')}" if code else names.get(k, k)).strip(), counts[k]) for k in keys]


def yuan(value: str) -> str:
    """1234567.00 -> 1,234,567.00 元"""
    whole, _, cents = value.partition(".")
    return f"{int(whole):,}.{cents or '00'} 元" if whole.lstrip("-").isdigit() else f"{value} 元"


def statistics(data: ReportData, styles: dict[str, ParagraphStyle], new_label: str) -> list[Flowable]:
    """Counts by grade, division, coverage category and status, charts, and the trend by visit."""
    lab, st = data.labels, data.stats
    width = BODY_W
    grade_order = list(lab.grades)
    out: list[Flowable] = [para(
        f"{new_label}共 {st.new.total} 项，其中严重缺陷 {st.new.serious} 项"
        f"{f'，严重质量行为风险（不计入严重质量缺陷）{st.new.behaviour} 项' if st.new.behaviour else ''}；截至 {data.as_of or data.generated_on}，"
        f"项目未关闭问题 {st.open.total} 项（严重 {st.open.serious} 项，逾期 {st.open.overdue} 项）。", styles["body"])]
    out.append(_count_table(st.new, st.open, data, styles))
    grades = _items(st.new.by_grade, lab.grades, grade_order)
    out += [spacer(2), KeepTogether(_pair(
        charts.pie(f"{new_label}按风险等级", grades, width / 2, [lab.grade_colors.get(k.split()[0], "#888888")
                                                             for k, _ in grades]),
        charts.pie("未关闭问题按风险等级", _items(st.open.by_grade, lab.grades, grade_order), width / 2,
                   [lab.grade_colors.get(k, "#888888") for k in grade_order if k in st.open.by_grade])))]
    out.append(spacer(3))
    out.append(charts.hbar(f"{new_label}按分部工程", _items(st.new.by_division, lab.divisions, list(lab.divisions)), width))
    out.append(spacer(3))
    out.append(charts.hbar(f"{new_label}按承保类别", _items(st.new.by_coverage, {}, list(lab.coverage)), width))
    out.append(spacer(3))
    out.append(charts.hbar(f"{new_label}按处理状态", _items(st.new.by_status, lab.statuses, list(lab.statuses), code=False), width))
    if len(st.by_visit) > 1:
        labels = [f"第{v.number}次" for v in st.by_visit]
        out.append(charts.trend("各次巡查发现问题趋势", labels, [
            ("新发现", [v.new for v in st.by_visit]), ("其中严重", [v.serious for v in st.by_visit]),
            ("已验证或关闭", [v.closed_since for v in st.by_visit])], width))
    return out


def _pair(left: Flowable, right: Flowable) -> list[Flowable]:
    t = Table([[left, right]], colWidths=[BODY_W / 2, BODY_W / 2], hAlign="LEFT")
    t.setStyle(grid_style(0, [("GRID", (0, 0), (-1, -1), 0, "#FFFFFF"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [t]


def _count_table(new: Counts, open_: Counts, data: ReportData, styles: dict[str, ParagraphStyle]) -> Table:
    lab = data.labels
    rows = [[f"{g} {name}", new.by_grade.get(g, 0), open_.by_grade.get(g, 0)] for g, name in lab.grades.items()]
    rows.append(["合计", new.total, open_.total])
    return data_table(["风险等级", "本期新发现", "未关闭（全项目）"], rows, [80, 50, 50], styles,
                      [("BACKGROUND", (0, len(rows)), (-1, len(rows)), "#F5F5F5")])
