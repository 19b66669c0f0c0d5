"""The CLI's command handlers: each opens the app, calls one service and prints its result."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from . import messages
from .app import AppContext, open_app
from .cli import EXIT_DAMAGED, EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, Out, visit_start
from .errors import ValidationError
from .services import (
    bundle,
    checklists,
    demo,
    document_reviews,
    findings,
    inspection_plan,
    integrity,
    photos,
    project_lifecycle,
    projects,
    visits,
)
from .values.checklist import ChecklistRow
from .values.document_review import DocumentReviewInfo
from .values.dto import FindingInfo, NodeInfo, PhotoInfo, ProjectDetail, to_plain


def dispatch(args: argparse.Namespace, out: Out) -> int:
    handler = HANDLERS[(args.command, getattr(args, "action", None))]
    ctx = open_app(args.data_dir, args.actor)
    try:
        return handler(ctx, args, out)
    finally:
        ctx.close()


def _demo(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    detail = demo.create_demo(ctx.db, ctx.store)
    out.emit({"project_id": detail.id, "code": detail.code, "name": detail.name}, str(detail.id))
    return EXIT_OK


def _project_list(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    rows = projects.list_projects(ctx.db, include_archived=args.all)
    out.emit(rows, lambda: "\n".join(
        f"{p.id:>3}  {p.code:<14} {p.name}{'［演示］' if p.is_demo else ''}{'［已归档］' if p.archived else ''}"
        f"  单体 {p.buildings}  巡查 {p.visits}  问题 {p.findings}"
        f"（未关闭 {p.open_findings}，严重未关闭 {p.serious_open}）" for p in rows) or "（没有项目）")
    return EXIT_OK


def _project_archive(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    if args.action == "archive":
        p = project_lifecycle.archive_project(ctx.db, args.project)
        out.emit(p, f"已归档：{p.code} {p.name}（数据全部保留；project unarchive {p.code} 可撤销）")
    else:
        p = project_lifecycle.unarchive_project(ctx.db, args.project)
        out.emit(p, f"已撤销归档：{p.code} {p.name}")
    return EXIT_OK


def _project_delete(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    gone = project_lifecycle.delete_project(ctx.db, ctx.store, args.project, args.confirm)
    out.emit(gone, f"已删除：{gone.code} {gone.name}（{gone.rows} 条记录，删除记录留在审计日志中；"
                   f"移除不再使用的文件 {gone.files} 个）")
    return EXIT_OK


def _project_create(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    detail = projects.create_project(ctx.db, projects.load_spec(args.spec))
    out.emit(_with_messages(detail), "\n".join([f"{detail.id}  {detail.code}  {detail.name}",
                                *(f"警告：{messages.text(w.key, w.params)}" for w in detail.warnings)]))
    return EXIT_OK


def _project_show(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    d = projects.get_project(ctx.db, args.project)

    def text() -> str:
        lines = [f"{d.name}（{d.code}）", f"地址：{d.address}", f"保单号：{d.policy_no}  签发：{d.issued_on}",
                 f"保险金额 {d.sum_insured_yuan} 元  保费 {d.premium_yuan} 元  风险管理费 {d.risk_fee_yuan} 元",
                 "共保体：" + "、".join(f"{i.name}{'（主承保）' if i.is_lead else ''} {i.share_percent:g}%" for i in d.insurers)]
        lines += [f"  {c.code} {c.label}：{c.starts_on or '待定'} 至 {c.ends_on or '待定'}" for c in d.coverage]
        lines += [f"参建单位：{p.role} {p.name}" for p in d.parties]
        lines += [f"单体：{b.name} 地上 {b.floors_above} 层 / 地下 {b.floors_below} 层 {b.structure_type or ''}" for b in d.buildings]
        lines += _plan_lines(d)
        lines += [f"警告：{messages.text(w.key, w.params)}" for w in d.warnings]
        return "\n".join(lines)

    out.emit(_with_messages(d), text)
    return EXIT_OK


def _with_messages(d: ProjectDetail) -> dict[str, Any]:
    """The project as JSON, each warning with its Chinese sentence beside its code, key and params."""
    plain: dict[str, Any] = to_plain(d)
    plain["warnings"] = [{**to_plain(w), "message": messages.text(w.key, w.params)} for w in d.warnings]
    return plain


def _node_line(n: NodeInfo) -> str:
    line = f"  {n.code} {n.name}  计划 {n.planned_date}  {n.status}"
    if n.notified_on:
        line += f"  建设单位通知 {n.notified_on}"
    if n.status == "waived":
        line += f"  免检：{n.waived_reason}（{n.waived_by}，{n.waived_on}）"
    return line


def _plan_lines(d: ProjectDetail) -> list[str]:
    confirmed = (f"{d.plan_confirmed_on} 由建设单位 {d.plan_confirmed_by} 确认" if d.plan_confirmed_on
                 else "建设单位尚未确认")
    lines = [f"施工许可证核发日：{d.permit_date or '未填写'}", f"风险评估实施方案：{confirmed}",
             "重点工序：" + ("；".join(d.key_processes) or "未填写")]
    return lines + [_node_line(n) for n in d.nodes]


def _plan_node(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    node_id = inspection_plan.find_node(ctx.db, args.project, args.node)
    if args.action == "waive":
        n = inspection_plan.waive_node(ctx.db, node_id, args.reason, args.by)
    elif args.action == "unwaive":
        n = inspection_plan.unwaive_node(ctx.db, node_id)
    else:
        n = inspection_plan.record_notification(ctx.db, node_id, args.date)
    out.emit(n, _node_line(n).strip())
    return EXIT_OK


def _plan_project(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    if args.action == "confirm":
        d = inspection_plan.confirm_plan(ctx.db, args.project, args.date, args.by)
    else:
        d = inspection_plan.set_key_processes(ctx.db, args.project, args.lines)
    out.emit({"project_id": d.id, "code": d.code, "plan_confirmed_on": d.plan_confirmed_on,
              "plan_confirmed_by": d.plan_confirmed_by, "key_processes": d.key_processes,
              "warnings": _with_messages(d)["warnings"]}, lambda: "\n".join(_plan_lines(d)[1:3]))
    return EXIT_OK


def _visit_add(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    v = visits.start_visit(ctx.db, args.project, visit_start(args.date, args.time), node_codes=args.node,
                           inspectors=args.inspector, weather=args.weather, summary=args.summary)
    out.emit(v, f"{v.id}  第 {v.number} 次巡查  {v.started_at:%Y-%m-%d %H:%M}  节点 {' '.join(v.nodes)}")
    return EXIT_OK


def _visit_list(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    rows = visits.list_visits(ctx.db, args.project)
    out.emit(rows, lambda: "\n".join(f"{v.id:>4}  第 {v.number:>2} 次  {v.started_at:%Y-%m-%d}  {' '.join(v.nodes)}"
                                     f"  问题 {v.findings}" for v in rows))
    return EXIT_OK


def _finding_line(f: FindingInfo) -> str:
    flags = ("【严重】" if f.is_serious else "") + ("【逾期】" if f.overdue else "")
    return (f"{f.id:>5}  {f.label}  {f.building} {f.floor or ''} {f.location or ''}  {f.grade_found}->{f.grade_now}"
            f"  {f.status}{flags}  {f.description}")


def _visit_carry(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    rows = findings.carried_forward(ctx.db, args.visit)
    out.emit(rows, lambda: "\n".join(_finding_line(f) for f in rows) or "（没有需跟踪的问题）")
    return EXIT_OK


def _finding_add(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    serious = None if args.serious is None else args.serious == "yes"
    f = findings.record_finding(
        ctx.db, args.visit, building=args.building, coverage=args.coverage, division=args.division,
        subdivision=args.subdivision, grade=args.grade, description=args.description, floor=args.floor,
        location=args.location, risk=args.risk, clause=args.clause, requirement=args.requirement,
        deadline=args.deadline, responsible=args.responsible, serious=serious, serious_reason=args.serious_reason,
        tag_reason=args.tag_reason)
    out.emit(f, _finding_line(f))
    return EXIT_OK


def _one(fn: Callable[..., FindingInfo], **kw: str) -> Callable[[AppContext, argparse.Namespace, Out], int]:
    def handler(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
        f = fn(ctx.db, args.finding, **{k: getattr(args, v) for k, v in kw.items()})
        out.emit(f, _finding_line(f))
        return EXIT_OK
    return handler


def _finding_list(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    rows = findings.list_findings(ctx.db, args.project, status=args.status, serious=True if args.serious else None,
                                  overdue=True if args.overdue else None)
    out.emit(rows, lambda: "\n".join(_finding_line(f) for f in rows) or "（没有问题）")
    return EXIT_OK


def _finding_show(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    f = findings.get_finding(ctx.db, args.finding)
    out.emit(f, lambda: "\n".join([_finding_line(f), *(f"  {e.at:%Y-%m-%d %H:%M} {e.actor or ''} {e.kind} "
                                                       f"{e.from_value or '-'} -> {e.to_value}  {e.reason or ''}"
                                                       for e in f.history)]))
    return EXIT_OK


def _gate(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    from . import messages

    g = findings.final_gate(ctx.db, args.project)

    def text() -> str:
        lines = [messages.text("gate.passed" if g.passed else "gate.failed")]
        lines += [f"{'✗' if r.blocking else '!'} {messages.text(r.key, r.params)}" for r in g.reasons]
        if g.process_reports:
            lines.append("已签发过程评估报告：" + "、".join(g.process_reports))
        return "\n".join(lines)

    plain = {"project_id": g.project_id, "passed": g.passed,
             "reasons": [{"code": r.code, "blocking": r.blocking, "items": r.items,
                          "message": messages.text(r.key, r.params)} for r in g.reasons],
             "blocking": to_plain(g.blocking), "serious_total": g.serious_total,
             "serious_verified": g.serious_verified, "pending": [f.label for f in g.pending],
             "behaviour": [f.label for f in g.behaviour], "process_reports": g.process_reports,
             "visits_without_report": g.visits_without_report}
    out.emit(plain, text)
    return EXIT_OK


def _photos_import(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    results = []
    try:
        for r in photos.import_photos(ctx.db, ctx.store, photos.expand_paths(args.files), finding_id=args.finding, visit_id=args.visit,
                                      role=args.role, caption=args.caption, workers=args.workers):
            results.append(r)
            gps = f"{r.gps[0]:.6f},{r.gps[1]:.6f}" if r.gps else "-"
            out.line(f"{r.status}\t{r.path}\t{r.reason or '-'}\t{r.sha256 or '-'}\t"
                     f"{r.taken_at.isoformat() if r.taken_at else '-'}\t{gps}\t{r.width or '-'}x{r.height or '-'}")
    except BaseException:
        if out.json and results:  # a batch stopped by an error still lists what it saved (the error: stderr)
            out.emit(results, "")
        raise
    if out.json:  # the lines above were the human output, printed as each photo committed
        out.emit(results, "")
    return EXIT_PARTIAL if any(r.status == "rejected" for r in results) else EXIT_OK


def _photo_line(p: PhotoInfo) -> str:
    taken = f"{p.taken_at:%Y-%m-%d %H:%M}" if p.taken_at else "-"
    return f"{p.id:>5}  {p.role:<7} {taken:<16} {p.width}x{p.height}  {p.sha256[:12]}  {p.original_name}"


def _photos_list(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    rows = photos.list_photos(ctx.db, finding_id=args.finding, visit_id=args.visit)
    out.emit(rows, lambda: "\n".join(_photo_line(p) for p in rows) or "（没有照片）")
    return EXIT_OK


def _photos_remove(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    gone = photos.remove_photo(ctx.db, ctx.store, args.photo)
    out.emit(gone, f"已移除：{_photo_line(gone.photo).strip()}（删除记录留在审计日志中；移除不再使用的文件 {gone.files} 个）")
    return EXIT_OK


def _verify(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    report = integrity.verify(ctx.db, ctx.store, ctx.paths.data_dir / "reports")
    damage = report.damage.to_dict() if report.damage is not None else None
    out.emit({"ok": report.ok, "damaged": report.damaged, "problems": report.problems,
              "audit_entries": report.audit_entries, "photos_checked": report.checked_photos,
              "pdfs_checked": report.checked_pdfs, "damage": damage},
             lambda: (messages.text("verify.ok", {"audit": report.audit_entries, "photos": report.checked_photos,
                                                  "pdfs": report.checked_pdfs})
                      if report.ok else "\n".join([messages.text("verify.problems"),
                                                   *(f"- {p}" for p in report.problems),
                                                   *([report.damage.message] if report.damage else [])])))
    if report.damaged:
        return EXIT_DAMAGED
    return EXIT_OK if report.ok else EXIT_FAILED


def _export(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    result = bundle.export_project(ctx.db, ctx.store, args.project, args.out)
    out.emit(result, f"已导出 {result['path']}（{result['photos']} 张照片，{result['rows']} 条记录）")
    return EXIT_OK


def _import(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    result = bundle.import_bundle(ctx.db, ctx.store, args.bundle)
    here = result.get("only_here") or {}
    extra = (f"（本机另有数据包中没有的记录：问题 {here.get('finding', 0)} 条、问题记录 {here.get('finding_event', 0)} 条、"
             f"巡查 {here.get('visit', 0)} 次、照片 {here.get('photo', 0)} 张）" if any(here.values()) else "")
    out.emit(result, f"{'已导入' if result['imported'] else '已存在，未改动'}：项目 {result['project_id']} {result['code']}"
                     f"{extra}")
    return EXIT_OK


def _report(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    from .services import issuing  # reportlab loads only when a report is asked for

    kind = args.action
    if kind == "process" and args.visit is None and (args.date_from is None or args.date_to is None):
        raise ValidationError("report.period", "report.period_required_cli")
    data = issuing.gather(ctx, kind, getattr(args, "project", None) or _visit_project(ctx, args.visit),
                          visit_id=getattr(args, "visit", None), date_from=getattr(args, "date_from", None),
                          date_to=getattr(args, "date_to", None), report_no=args.report_no)
    result = issuing.build(kind, data, args.out, pdfa=getattr(args, "pdfa", False))
    pages = f"，{result.pages} 页" if result.pages is not None else ""
    out.emit(result, f"{result.path}{pages}，{result.bytes:,} 字节，SHA-256 {result.sha256}")
    return EXIT_OK


def _visit_project(ctx: AppContext, visit_id: int) -> int:
    return visits.get_visit(ctx.db, visit_id).project_id


def _report_issue(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    from .services import issuing, review

    if args.target in ("process", "final", "notice"):
        if args.project is None:
            raise ValidationError("report.project", "report.project_required")
        if args.target == "process" and args.visit is None and (args.date_from is None or args.date_to is None):
            raise ValidationError("report.period", "report.period_required_cli")
        info = issuing.issue_report(ctx, args.target, args.project, visit_id=args.visit, date_from=args.date_from,
                                    date_to=args.date_to, replaces=args.replaces, reason=args.reason)
    else:
        info = review.issue_draft(ctx, args.target)
    path = issuing.issued_pdf(ctx, info.id)
    if args.out is not None:
        args.out.write_bytes(path.read_bytes())
    plain = {**to_plain(info), "path": str(args.out or path)}
    out.emit(plain, f"已签发 {info.number} 第{info.revision}版（{info.title}，{info.pages} 页）\n"
                    f"SHA-256 {info.pdf_sha256}\n{plain['path']}")
    return EXIT_OK


def _draft_line(d: Any) -> str:
    from .services.review import STATUS_NAMES, STEP_NAMES

    chain = "；".join(f"{STEP_NAMES[a.step]} {a.by} {a.on:%Y-%m-%d}" + (f"（{a.comment}）" if a.comment else "")
                     for a in d.approvals)
    return (f"{d.label}（草稿{d.attempt}） {STATUS_NAMES[d.status]}  编制 {d.prepared_by} {d.prepared_at:%Y-%m-%d}"
            + (f"；{chain}" if chain else ""))


def _report_submit(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    from .services import review

    if args.kind == "process" and args.visit is None and (args.date_from is None or args.date_to is None):
        raise ValidationError("report.period", "report.period_required_cli")
    info = review.submit_report(ctx, args.kind, args.project, visit_id=args.visit, date_from=args.date_from,
                                date_to=args.date_to, replaces=args.replaces, reason=args.reason)
    path = review.draft_pdf(ctx, info.id)
    if args.out is not None:
        args.out.write_bytes(path.read_bytes())
    plain = {**to_plain(info), "path": str(args.out or path)}
    out.emit(plain, f"已提交送审：{_draft_line(info)}\n{plain['path']}")
    return EXIT_OK


def _report_approve(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    from .services import review

    info = review.approve_report(ctx, args.number, by=args.actor or "", step=args.step, comment=args.comment,
                                 confirm_gate=args.confirm_gate)
    out.emit(info, _draft_line(info))
    return EXIT_OK


def _report_reject(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    from .services import review

    info = review.reject_report(ctx, args.number, by=args.actor or "", comment=args.comment)
    out.emit(info, _draft_line(info))
    return EXIT_OK


def _report_drafts(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    from .services import review

    rows = review.list_drafts(ctx, args.project)
    out.emit([to_plain(r) for r in rows], lambda: "\n".join(_draft_line(r) for r in rows) or "没有送审中的报告")
    return EXIT_OK


def _report_list(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    from .services import issuing

    rows = issuing.list_reports(ctx, args.project)
    out.emit([to_plain(r) for r in rows], lambda: "\n".join(
        f"{r.number}  第{r.revision}版  {r.title}  {r.issued_at:%Y-%m-%d %H:%M}  {r.issued_by or ''}  "
        f"{'有效' if r.status == 'issued' else '已被替代'}  {r.pdf_sha256}" for r in rows) or "尚无已签发的报告")
    return EXIT_OK


def _sync(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    import sys

    from .sync import client, token

    if args.status:
        rows = client.outbox(ctx)
        out.emit(rows, lambda: "\n".join(
            f"{r.id:4d}  {r.status:9s}  尝试 {r.attempts}  {r.label}  {r.last_error or ''}" for r in rows) or "发件箱为空")
        return EXIT_OK
    if not args.server:
        raise ValidationError("--server", "sync.server_required")
    if args.project:  # the demo is refused by name before anything else (token, network)
        from .services.outbox import check_syncable

        check_syncable(ctx.db, args.project)
    if args.save_token:
        token.save_token(args.server, sys.stdin.readline())
        out.emit({"saved": True, "server": args.server}, f"令牌已存入系统密钥库（{args.server}）")
        return EXIT_OK
    summary = client.sync(ctx, args.server, token.load_token(args.server), project=args.project,
                          progress=lambda done, total, label: out.line(f"[{done + 1}/{total}] {label}"),
                          retry_refused=bool(getattr(args, "retry_refused", False)))
    out.emit(summary, lambda: _sync_text(summary))
    return EXIT_FAILED if summary.failed else EXIT_OK


def _sync_text(summary: Any) -> str:
    lines = [f"团队同步：{'、'.join(summary.team_synced) or '无'}；发出变更 {summary.changes_sent} 条"
             f"（{summary.change_bytes_sent / 1024:.1f} KB），收到变更 {summary.changes_received} 条",
             f"报告：已送达 {len(summary.delivered)} 项，平台已有 {len(summary.already_there)} 项，"
             f"失败 {len(summary.failed)} 项",
             f"文件：上传 {summary.blobs_sent} 个（{summary.bytes_sent / 2**20:.1f} MB），平台已有 {summary.blobs_present} 个，"
             f"下载 {summary.blobs_received} 个（{summary.bytes_received / 2**20:.1f} MB）"]
    if summary.downloaded:
        lines.append(f"新分配的项目：{'、'.join(summary.downloaded)}")
    if summary.local_only:
        lines.append(f"平台未登记、未同步的项目：{'、'.join(summary.local_only)}")
    if summary.conflicts:
        lines.append(f"新发现冲突 {len(summary.conflicts)} 个：运行 conflict list 查看并处理")
    if summary.pending:
        lines.append(f"{summary.pending} 条变更在等待其引用的记录（下次同步再试）")
    if summary.new_device:
        lines.append("本机数据从备份恢复或复制：已换用新的设备标识")
    if summary.team_held:
        lines.append(f"平台拒绝过其团队变更、本次未再发送的项目：{'、'.join(summary.team_held)}"
                     "（核对后运行 sync --retry-refused 再发送；sync --status 查看原因）")
    lines += [f"  失败：{f['item']}：{f['reason']}" for f in summary.failed]
    return "\n".join(lines)


def _conflict_line(c: Any) -> str:
    def show(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v

    state = "" if c.status == "open" else f"  [已处理：{show(c.resolution)}，{c.resolved_by or ''}]"
    return f"{c.id:>4}  {c.uid[:8]}  {c.what}  {c.field}：本机 {show(c.mine)}  ≠  对方 {show(c.theirs)}{state}"


def _conflict_list(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    from .services import team

    rows = team.list_conflicts(ctx.db, args.project, include_resolved=args.all)
    out.emit([r.to_dict() for r in rows], lambda: "\n".join(_conflict_line(r) for r in rows) or "没有未处理的冲突")
    return EXIT_OK


def _conflict_resolve(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    from .services import team

    if args.keep == "value" and args.value is None:
        raise ValidationError("--value", "value.required")
    done = team.resolve_conflict(ctx.db, args.conflict, args.keep, args.value)
    out.emit(done.to_dict(), f"已处理：{_conflict_line(done).strip()}")
    return EXIT_OK


def _checklist_line(r: ChecklistRow) -> str:
    mark = f"[{r.result_name}]" if r.result else "[未检查]"
    value = f"  {r.value_label}：{r.value_text()}" if r.value else (
        f"  （需实测{r.value_label} {r.bounds()}）".replace(" ）", "）") if r.asks_value and r.result in (None, "ok")
        else "")
    photo = "  （需照片）" if r.photo_required and r.photo_id is None and r.result in (None, "ok") else ""
    finding = f"  -> {r.finding_label}" if r.finding_label else ""
    note = f"  备注：{r.note}" if r.note else ""
    return f"  {r.item_id}  {mark:<6} {r.text}{value}{photo}{note}{finding}"


def _checklist_show(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    rows = checklists.show(ctx.db, args.visit)

    def text() -> str:
        lines: list[str] = []
        node = None
        for r in rows:
            if (r.visit_number, r.node_code) != node:
                node = (r.visit_number, r.node_code)
                lines.append(f"第 {r.visit_number} 次巡查  {r.node_code} {r.node_name}")
            lines.append(_checklist_line(r))
        return "\n".join(lines) or "（本次巡查的节点没有检查要点）"

    out.emit(rows, text)
    return EXIT_OK


def _checklist_set(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    fields: dict[str, Any] = {"value": args.value, "note": args.note, "grade": args.grade,
                              "building": args.building, "floor": args.floor, "location": args.location,
                              "finding_id": args.finding}
    if args.photo is not None:
        outcome = checklists.set_item_with_photo(ctx.db, ctx.store, args.visit, args.item, args.result, args.photo,
                                                 **fields)
    else:
        outcome = checklists.set_item(ctx.db, args.visit, args.item, args.result, **fields)
    opened = outcome.opened
    out.emit({"row": outcome.row, "opened": opened},
             _checklist_line(outcome.row).strip() + (f"\n已生成问题：{_finding_line(opened)}" if opened else ""))
    return EXIT_OK


def _docs_line(r: DocumentReviewInfo) -> str:
    ref = f"（{r.reference}）" if r.reference else ""
    finding = f"  -> {r.finding_label}" if r.finding_label else ""
    note = f"  备注：{r.note}" if r.note else ""
    return f"{r.id:>5}  第 {r.visit_number} 次  {r.kind_name}  [{r.result_name}]  {r.name}{ref}{note}{finding}"


def _docs_add(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    outcome = document_reviews.record_document_review(
        ctx.db, args.visit, args.name, args.result, kind=args.kind, reference=args.reference, note=args.note,
        finding_id=args.finding, grade=args.grade, building=args.building, coverage=args.coverage,
        division=args.division, subdivision=args.subdivision, floor=args.floor, location=args.location,
        tag_reason=args.tag_reason)
    opened = outcome.opened
    out.emit({"review": outcome.review, "opened": opened},
             _docs_line(outcome.review).strip() + (f"\n已生成问题：{_finding_line(opened)}" if opened else ""))
    return EXIT_OK


def _docs_list(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    rows = document_reviews.list_document_reviews(ctx.db, args.visit)
    out.emit(rows, lambda: "\n".join(_docs_line(r) for r in rows) or "（本次巡查尚未记录资料核查）")
    return EXIT_OK


def _docs_remove(ctx: AppContext, args: argparse.Namespace, out: Out) -> int:
    gone = document_reviews.remove_document_review(ctx.db, args.review)
    out.emit({"removed": gone}, f"已删除：{_docs_line(gone).strip()}")
    return EXIT_OK


HANDLERS: dict[tuple[str, Any], Callable[[AppContext, argparse.Namespace, Out], int]] = {
    ("checklist", "show"): _checklist_show,
    ("checklist", "set"): _checklist_set,
    ("docs", "add"): _docs_add,
    ("docs", "list"): _docs_list,
    ("docs", "remove"): _docs_remove,
    ("demo", None): _demo,
    ("verify", None): _verify,
    ("sync", None): _sync,
    ("conflict", "list"): _conflict_list,
    ("conflict", "resolve"): _conflict_resolve,
    ("gate", None): _gate,
    ("export", None): _export,
    ("import", None): _import,
    ("project", "list"): _project_list,
    ("project", "create"): _project_create,
    ("project", "show"): _project_show,
    ("project", "archive"): _project_archive,
    ("project", "unarchive"): _project_archive,
    ("project", "delete"): _project_delete,
    ("plan", "waive"): _plan_node,
    ("plan", "unwaive"): _plan_node,
    ("plan", "notify"): _plan_node,
    ("plan", "confirm"): _plan_project,
    ("plan", "processes"): _plan_project,
    ("visit", "add"): _visit_add,
    ("visit", "list"): _visit_list,
    ("visit", "carry-forward"): _visit_carry,
    ("finding", "add"): _finding_add,
    ("finding", "reply"): _one(findings.reply_rectification, text="text", replied_on="date", party="party"),
    ("finding", "verify"): _one(findings.verify_rectification, result="result", verified_on="date",
                                inspector="inspector", visit_id="visit", notes="notes", grade_now="grade_now",
                                reuse_reason="reuse_reason"),
    ("finding", "close"): _one(findings.close_finding, reason="reason"),
    ("finding", "reopen"): _one(findings.reopen_finding, reason="reason"),
    ("finding", "grade"): _one(findings.change_grade, grade="grade", reason="reason"),
    ("finding", "list"): _finding_list,
    ("finding", "show"): _finding_show,
    ("photos", "import"): _photos_import,
    ("photos", "list"): _photos_list,
    ("photos", "remove"): _photos_remove,
    ("report", "process"): _report,
    ("report", "final"): _report,
    ("report", "notice"): _report,
    ("report", "register"): _report,
    ("report", "issue"): _report_issue,
    ("report", "submit"): _report_submit,
    ("report", "approve"): _report_approve,
    ("report", "reject"): _report_reject,
    ("report", "drafts"): _report_drafts,
    ("report", "list"): _report_list,
}
