"""Headless commands over the same services as the GUI. ``--json`` makes every command print
one JSON value on stdout; errors go to stderr with a non-zero exit code."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from . import version_line
from .errors import BundleInvalid, DatabaseDamaged, InspectorError, ValidationError
from .values.dto import to_plain

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_PARTIAL = 0, 1, 2, 3
EXIT_DAMAGED = 4  # the database file itself is damaged: restore it (any command)


class Out:
    def __init__(self, as_json: bool) -> None:
        self.json = as_json

    def emit(self, value: Any, text: str | Callable[[], str]) -> None:
        if self.json:
            print(json.dumps(to_plain(value), ensure_ascii=ascii_only(sys.stdout), indent=None))
        else:
            print(text() if callable(text) else text)

    def line(self, text: str) -> None:
        if not self.json:
            print(text, flush=True)


def ascii_only(stream: Any) -> bool:
    """True when ``stream`` cannot hold every character (cp1252 on a Windows redirect, ASCII):
    JSON written there escapes them, so it stays valid JSON with the same text."""
    encoding = (getattr(stream, "encoding", None) or "ascii").lower().replace("-", "").replace("_", "")
    return not encoding.startswith(("utf", "gb18030"))


def safe_console() -> None:
    """What the console or pipe cannot encode is written as escapes, never a crash halfway through
    a batch (a Chinese message on cp1252, a file name that is not UTF-8)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # None under pythonw; a test's capture is no wrapper
            stream.reconfigure(errors="backslashreplace")


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是有效日期（YYYY-MM-DD）：{value}") from None


def _time(value: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是有效时间（HH:MM）：{value}") from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="inspector-app", description="IDI Inspector：住宅工程质量潜在缺陷保险风险管理检查")
    p.add_argument("--data-dir", help="数据目录（默认：用户数据目录；也可用环境变量 IDI_INSPECTOR_DATA_DIR）")
    p.add_argument("--json", action="store_true", help="每个命令在标准输出打印一个 JSON 值")
    p.add_argument("--as", dest="actor", help="当前人员（本机构在册人员，写入审计日志与报告签字栏）；默认为设置中选择的本人或环境变量 IDI_INSPECTOR_USER")
    p.add_argument("--version", action="version", version=version_line(), help="显示版本与构建信息")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("demo", help="创建演示项目并打印其编号")
    sub.add_parser("verify", help="检查数据库文件、外键、审计链、所有照片原件和报告 PDF",
                   epilog="退出码：0 完好；1 发现问题（照片原件或报告 PDF 缺失、被改动，记录在软件之外被修改）；"
                          "4 数据库文件损坏（SQLite 的检查未通过或记录无法读取：按提示用自动备份恢复）。"
                          "任何命令遇到损坏的数据库文件都以退出码 4 结束。")
    sy = sub.add_parser("sync", help="把已签发报告、问题与照片同步到保险公司平台（一次且仅一次）")
    sy.add_argument("--server", help="平台地址，如 https://idi.example.com")
    sy.add_argument("--project", help="只同步此项目")
    sy.add_argument("--save-token", action="store_true", help="从标准输入读取令牌并存入系统密钥库")
    sy.add_argument("--status", action="store_true", help="列出待同步与已送达的条目")
    sy.add_argument("--retry-refused", action="store_true", help="再次发送平台拒绝过的条目（它们不会自动重试）")
    sub.add_parser("gui", help="启动图形界面（不带子命令时的默认行为）")

    proj = sub.add_parser("project", help="项目").add_subparsers(dest="action", required=True)
    pl = proj.add_parser("list")
    pl.add_argument("--all", action="store_true", help="也列出已归档的项目")
    ar = proj.add_parser("archive", help="归档项目：全部数据保留，项目列表中不再显示（可撤销）",
                         epilog="退出码：0 完成；2 输入不被接受（已归档）；1 找不到项目或存储错误")
    ar.add_argument("project", help="项目编号或 id")
    ua = proj.add_parser("unarchive", help="撤销归档，项目重新显示在列表中",
                         epilog="退出码：0 完成；2 输入不被接受（未归档）；1 找不到项目或存储错误")
    ua.add_argument("project", help="项目编号或 id")
    de = proj.add_parser("delete", help="删除项目（演示项目，或从未同步、未签发报告的项目；其余只能归档）",
                         epilog="退出码：0 已删除；2 输入不被接受（确认编号不符、已同步或已签发报告的项目）；"
                                "1 找不到项目或存储错误。审计日志保留删除记录，verify 仍然通过。")
    de.add_argument("project", help="项目编号或 id")
    de.add_argument("--confirm", required=True, metavar="CODE", help="再次完整输入项目编号以确认删除")
    c = proj.add_parser("create", epilog="退出码：0 已创建；2 项目说明文件不被接受（指出字段、值和规则：类型、范围、"
                                         "长度、日期、NaN）；1 存储错误")
    c.add_argument("--from", dest="spec", required=True, type=Path, help="项目说明文件（.toml 或 .json）")
    s = proj.add_parser("show")
    s.add_argument("project")
    _plan_parsers(sub)

    visit = sub.add_parser("visit", help="现场巡查").add_subparsers(dest="action", required=True)
    a = visit.add_parser("add")
    a.add_argument("--project", required=True)
    a.add_argument("--node", action="append", required=True, help="节点编号，可重复")
    a.add_argument("--date", required=True, type=_date)
    a.add_argument("--time", type=_time, default=time(9, 0))
    a.add_argument("--inspector", action="append", default=[])
    a.add_argument("--weather")
    a.add_argument("--summary")
    lv = visit.add_parser("list")
    lv.add_argument("--project", required=True)
    cf = visit.add_parser("carry-forward", help="本次巡查需跟踪的以往未关闭问题")
    cf.add_argument("visit", type=int)

    _finding_parsers(sub)
    _checklist_parsers(sub)
    _docs_parsers(sub)
    _conflict_parsers(sub)

    gate = sub.add_parser("gate", help="最终评估闸门：节点巡查、严重缺陷的验证整改及其证据")
    gate.add_argument("--project", required=True)

    photos = sub.add_parser("photos", help="照片证据").add_subparsers(dest="action", required=True)
    imp = photos.add_parser("import", help="导入照片（文件或相机存储卡文件夹）：每个文件一行结果，坏文件说明原因后继续",
                            epilog="退出码：0 全部导入（或已在此处）；3 有文件被拒绝（损坏、截断、不是图片、疑似解压炸弹"
                                   "等，逐个说明原因，其余照常导入）；2 输入不被接受；1 找不到问题或巡查、存储错误")
    target = imp.add_mutually_exclusive_group(required=True)
    target.add_argument("--finding", type=int)
    target.add_argument("--visit", type=int)
    imp.add_argument("--role", default="general", choices=["before", "after", "test", "general"])
    imp.add_argument("--caption")
    imp.add_argument("--workers", type=int, default=None)
    imp.add_argument("files", nargs="+", type=Path)
    pls = photos.add_parser("list", help="列出一个问题或一次巡查的照片（id、文件名、拍摄时间、SHA-256）")
    owner = pls.add_mutually_exclusive_group(required=True)
    owner.add_argument("--finding", type=int)
    owner.add_argument("--visit", type=int)
    prm = photos.add_parser("remove", help="从问题或巡查中移除一张照片（误导入、原件无法解码；审计日志留存）",
                            epilog="退出码：0 已移除；2 输入不被接受（照片出现在已签发或送审中的报告里、"
                                   "是检查要点的照片）；1 找不到照片或存储错误")
    prm.add_argument("photo", type=int, help="照片 id（photos list 的第一列）")

    _report_parsers(sub)

    exp = sub.add_parser("export", help="导出项目数据包（zip）")
    exp.add_argument("--project", required=True)
    exp.add_argument("--out", required=True, type=Path)
    im = sub.add_parser("import", help="导入项目数据包（全部或全不）",
                        epilog="退出码：0 已导入，或本机已有该项目且数据包中没有本机没有的内容；2 数据包损坏或不被接受"
                               "（超出大小限制、文件名或记录无效、哈希不符），未改动任何内容；1 本机已有该项目而数据包"
                               "有新的或不同的记录（逐类说明，未导入），或编号已被另一项目使用")
    im.add_argument("bundle", type=Path)
    return p


def _plan_parsers(sub: Any) -> None:
    """The risk-assessment plan (Art. 17, Art. 10): confirmation, key processes, node notices, waivers."""
    plan = sub.add_parser("plan", help="风险评估实施方案：建设单位确认、重点工序、节点通知、节点免检").add_subparsers(
        dest="action", required=True)
    w = plan.add_parser("waive", help="未巡查的节点免检（须说明原因，由本项目机构的检查人员署名）")
    w.add_argument("node", help="节点编号，如 N19")
    w.add_argument("--project", required=True)
    w.add_argument("--reason", required=True)
    w.add_argument("--by", required=True, help="检查人员姓名")
    u = plan.add_parser("unwaive", help="撤销节点免检")
    u.add_argument("node")
    u.add_argument("--project", required=True)
    n = plan.add_parser("notify", help="记录建设单位对节点的通知日期")
    n.add_argument("node")
    n.add_argument("--project", required=True)
    n.add_argument("--date", required=True, type=_date)
    c = plan.add_parser("confirm", help="记录建设单位对方案的确认（日期、确认人）")
    c.add_argument("--project", required=True)
    c.add_argument("--date", required=True, type=_date)
    c.add_argument("--by", required=True, help="建设单位确认人")
    k = plan.add_parser("processes", help="设置重点工序（每个参数一项；不带参数则清空）")
    k.add_argument("--project", required=True)
    k.add_argument("lines", nargs="*")


def _finding_parsers(sub: Any) -> None:
    f = sub.add_parser("finding", help="问题（缺陷）").add_subparsers(dest="action", required=True)
    a = f.add_parser("add")
    a.add_argument("--visit", type=int, required=True)
    a.add_argument("--building", required=True)
    a.add_argument("--coverage", required=True, help="承保类别，如 STR-3、WPI-2、RID-DEC")
    a.add_argument("--division", required=True, help="GB 50300 分部编号，如 02")
    a.add_argument("--subdivision")
    a.add_argument("--grade", required=True)
    a.add_argument("--description", required=True)
    a.add_argument("--floor")
    a.add_argument("--location")
    a.add_argument("--risk")
    a.add_argument("--clause")
    a.add_argument("--requirement")
    a.add_argument("--deadline", type=_date)
    a.add_argument("--responsible", help="责任单位：角色（construction 等）或单位名称")
    a.add_argument("--serious", choices=["yes", "no"], help="手动认定/排除严重缺陷（须 --serious-reason）")
    a.add_argument("--serious-reason")
    a.add_argument("--tag-reason", help="分部不在承保类别对应分部之内时的理由")
    r = f.add_parser("reply")
    r.add_argument("finding", type=int)
    r.add_argument("--text", required=True)
    r.add_argument("--date", type=_date)
    r.add_argument("--party")
    v = f.add_parser("verify")
    v.add_argument("finding", type=int)
    v.add_argument("--result", required=True, choices=["accepted", "rejected"])
    v.add_argument("--date", type=_date)
    v.add_argument("--inspector")
    v.add_argument("--visit", type=int)
    v.add_argument("--notes")
    v.add_argument("--grade-now")
    v.add_argument("--reuse-reason", help="整改后照片已用于其他问题时，确认并说明理由")
    for name in ("close", "reopen"):
        x = f.add_parser(name)
        x.add_argument("finding", type=int)
        x.add_argument("--reason", required=True)
    g = f.add_parser("grade")
    g.add_argument("finding", type=int)
    g.add_argument("grade")
    g.add_argument("--reason", required=True)
    lst = f.add_parser("list")
    lst.add_argument("--project", required=True)
    lst.add_argument("--status", choices=["open", "replied", "verified", "closed"])
    lst.add_argument("--serious", action="store_true")
    lst.add_argument("--overdue", action="store_true")
    sh = f.add_parser("show")
    sh.add_argument("finding", type=int)


def _report_parsers(sub: Any) -> None:
    r = sub.add_parser("report", help="报告：过程评估、最终评估、整改通知单、缺陷登记表").add_subparsers(
        dest="action", required=True)
    p = r.add_parser("process", help="工程质量风险过程评估报告（一次巡查或一段期间）")
    p.add_argument("--project", required=True)
    p.add_argument("--visit", type=int, help="巡查编号（id）")
    p.add_argument("--from", dest="date_from", type=_date)
    p.add_argument("--to", dest="date_to", type=_date)
    f = r.add_parser("final", help="工程质量风险最终评估报告")
    f.add_argument("--project", required=True)
    n = r.add_parser("notice", help="整改通知单（一次巡查）")
    n.add_argument("--visit", type=int, required=True)
    g = r.add_parser("register", help="质量缺陷登记表（.xlsx 或 .csv）")
    g.add_argument("--project", required=True)
    for x in (p, f, n, g):
        x.add_argument("--out", required=True, type=Path)
        x.add_argument("--report-no", help="报告编号（默认按项目编号生成）")
    for x in (p, f, n):
        x.add_argument("--pdfa", action="store_true", help="输出 PDF/A-2b（归档）")
    _review_parsers(r)
    lst = r.add_parser("list", help="已签发的报告")
    lst.add_argument("--project", required=True)


def _review_parsers(r: Any) -> None:
    """The review chain: 编制 (submit), 审核 / 批准 (approve), 退回 (reject), 签发 (issue)."""
    sb = r.add_parser("submit", help="编制：提交报告送审（冻结编号、数据与带“草稿”水印的 PDF）")
    sb.add_argument("kind", choices=["process", "final", "notice"])
    i = r.add_parser("issue", help="签发已批准的报告（签字栏由审核链填写）；整改通知单可直接签发")
    i.add_argument("target", help="已批准的报告编号；或 notice（整改通知单，现场直接签发）")
    for x, required in ((sb, True), (i, False)):
        x.add_argument("--project", required=required, help="项目（提交送审、签发整改通知单时）")
        x.add_argument("--visit", type=int, help="巡查编号（过程评估报告、整改通知单）")
        x.add_argument("--from", dest="date_from", type=_date)
        x.add_argument("--to", dest="date_to", type=_date)
        x.add_argument("--replaces", help="被更正的报告编号：其修订版")
        x.add_argument("--reason", help="修订原因（修订版必填）")
        x.add_argument("--out", type=Path, help="另存一份 PDF 到此处")
        x.add_argument("--as", dest="actor", default=argparse.SUPPRESS, help="编制人或签发人（本机构在册人员）")
    ap = r.add_parser("approve", help="审核、批准送审的报告（须为编制人以外的本机构人员）")
    ap.add_argument("--role", dest="step", choices=["review", "approve"],
                    help="review 审核、approve 批准（默认：下一步）")
    ap.add_argument("--comment", help="审核意见")
    ap.add_argument("--confirm-gate", action="store_true", help="最终评估条件未满足时，批准人确认照此签发")
    rj = r.add_parser("reject", help="退回送审的报告（须写明意见）")
    rj.add_argument("--comment", required=True)
    for x in (ap, rj):
        x.add_argument("number", help="报告编号")
        x.add_argument("--as", dest="actor", default=argparse.SUPPRESS, help="审核人、批准人或退回人（本机构在册人员）")
    dr = r.add_parser("drafts", help="送审中的报告及其审核链")
    dr.add_argument("--project", required=True)


def _checklist_parsers(sub: Any) -> None:
    c = sub.add_parser("checklist", help="检查要点：本次巡查各节点的检查要点（符合 / 不符合 / 不适用）").add_subparsers(
        dest="action", required=True)
    sh = c.add_parser("show", help="列出巡查所涉节点的检查要点及结论")
    sh.add_argument("--visit", type=int, required=True)
    st = c.add_parser("set", help="记录一项检查要点的结论；不符合时生成问题")
    st.add_argument("--visit", type=int, required=True)
    st.add_argument("--item", required=True, help="检查要点编号，如 N15-07")
    st.add_argument("--result", required=True, choices=["ok", "fail", "na"], help="ok 符合、fail 不符合、na 不适用")
    st.add_argument("--value", help="实测值（要点要求时，判为符合必填）")
    st.add_argument("--note", help="备注（不符合时写入问题描述）")
    st.add_argument("--photo", type=Path, help="照片文件：作为本次巡查的检测/试验照片导入")
    st.add_argument("--grade", help="不符合时生成问题的风险等级（默认按要点，否则 C）")
    st.add_argument("--building", help="不符合时问题所在单体（项目有多个单体时必填）")
    st.add_argument("--floor")
    st.add_argument("--location")
    st.add_argument("--finding", type=int, help="不符合时关联已记录的问题（id），不再生成新问题")
    for x in (sh, st):
        x.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="以 JSON 输出")



def _conflict_parsers(sub: Any) -> None:
    """Team sync: two laptops changed one field offline; a person chooses."""
    c = sub.add_parser("conflict", help="同步冲突：两台电脑离线改了同一字段，由人决定保留哪个值").add_subparsers(
        dest="action", required=True)
    ls = c.add_parser("list", help="列出未处理的冲突（--all 含已处理）")
    ls.add_argument("--project", required=True)
    ls.add_argument("--all", action="store_true")
    r = c.add_parser("resolve", help="处理一个冲突：保留本机值（mine）、对方值（theirs）或另填（value）")
    r.add_argument("conflict", help="冲突编号（conflict list 的第一列）或其标识")
    r.add_argument("--keep", required=True, help="mine、theirs 或 value")
    r.add_argument("--value", help="--keep value 时的新值")


def _docs_parsers(sub: Any) -> None:
    """资料核查: the documents and test reports reviewed on a visit, with their results."""
    d = sub.add_parser("docs", help="资料核查：本次巡查核查的资料与检测报告（符合 / 不符合 / 缺失）").add_subparsers(
        dest="action", required=True)
    a = d.add_parser("add", help="记录一份核查的资料；不符合或缺失时关联或生成问题")
    a.add_argument("--visit", type=int, required=True)
    a.add_argument("--name", required=True, help="资料名称，如 钢筋原材复试报告（至多 200 字）")
    # the service checks result and kind, so a refusal names the field like every other one
    a.add_argument("--result", required=True, help="ok 符合、fail 不符合、missing 缺失")
    a.add_argument("--kind", default="document", help="document 资料（默认）、test 检测报告")
    a.add_argument("--reference", help="资料编号或日期")
    a.add_argument("--note", help="备注（不符合或缺失时写入问题描述）")
    a.add_argument("--finding", type=int, help="不符合或缺失时关联已记录的问题（id），不再生成新问题")
    a.add_argument("--grade", help="生成问题的风险等级（默认：缺失或资料不符合为 E，检测报告不符合为 C）")
    a.add_argument("--building", help="生成问题所在单体（项目有多个单体时必填）")
    a.add_argument("--coverage", help="生成问题的承保类别，如 WPI-2")
    a.add_argument("--division", help="生成问题的 GB 50300 分部编号，如 01")
    a.add_argument("--subdivision")
    a.add_argument("--floor")
    a.add_argument("--location")
    a.add_argument("--tag-reason", help="分部不在承保类别对应分部之内时的理由")
    lst = d.add_parser("list", help="列出一次巡查核查的资料")
    lst.add_argument("--visit", type=int, required=True)
    rm = d.add_parser("remove", help="删除一条误录的核查记录（问题保留，审计日志留存）")
    rm.add_argument("review", type=int, help="核查记录 id")
    for x in (a, lst, rm):
        x.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="以 JSON 输出")


def wants_gui(args: argparse.Namespace) -> bool:
    return args.command in (None, "gui")


def main(argv: list[str] | argparse.Namespace) -> int:
    """Run one headless command (the GUI is started by __main__, the only place that may)."""
    args = argv if isinstance(argv, argparse.Namespace) else build_parser().parse_args(argv)
    out = Out(args.json)
    from sqlalchemy.exc import (
        SQLAlchemyError,  # here, not at import: `python -m inspector_app` starts the GUI without it
    )

    from . import commands
    from .messages import text as say
    from .models.db import damage_of, newest_backup

    try:
        return int(commands.dispatch(args, out) or EXIT_OK)
    except DatabaseDamaged as exc:
        _fail(out, exc.to_dict(), exc.message)
        return EXIT_DAMAGED
    except InspectorError as exc:
        _fail(out, exc.to_dict(), exc.message)
        return EXIT_INPUT if isinstance(exc, (ValidationError, BundleInvalid)) else EXIT_FAILED
    except KeyboardInterrupt:
        _fail(out, {"error": "interrupted", "message": "已中断"}, "已中断")
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (OSError, SQLAlchemyError) as exc:  # the disk or the database file, not the input
        reason = getattr(exc, "strerror", None) or str(getattr(exc, "orig", exc))
        detail = damage_of(exc)
        if detail is not None:  # never "unaffected" when the file itself is damaged
            from .paths import resolve_paths

            where = resolve_paths(args.data_dir)
            damaged = DatabaseDamaged(where.database, detail, newest_backup(where.database, where.backups))
            _fail(out, damaged.to_dict(), damaged.message)
            return EXIT_DAMAGED
        _fail(out, {"error": "storage", "message": f"存储错误：{reason}", "key": "storage.failed",
                    "params": {"reason": reason}}, say("storage.failed", {"reason": reason}))
        return EXIT_FAILED


def _fail(out: Out, data: dict[str, Any], message: str) -> None:
    if out.json:
        print(json.dumps(data, ensure_ascii=ascii_only(sys.stderr)), file=sys.stderr)
    else:
        print(f"错误：{message}", file=sys.stderr)


def visit_start(day: date, at: time) -> datetime:
    return datetime.combine(day, at)
