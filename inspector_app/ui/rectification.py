"""The rectification steps as dialogs: the contractor's reply, the inspector's re-check (an
accepted one needs an after-photo, which the core enforces), closing with a reason, re-opening.

Each dialog checks its form, then hands the write (an operation returning ``Changes``) to the
window's writer lane; a refusal from the core comes back and is shown in the dialog."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from ..context import AppContext
from ..errors import ValidationError
from ..rulesets import RuleSet
from ..services import findings, operations, projects
from ..services.rules import parse_date
from ..values.dto import FindingInfo, VisitInfo
from .action_dialog import ActionDialog, Field, Run, choice, line, text_box
from .i18n import tr
from .rule_names import RuleNames


def _day(values: dict[str, Any], key: str, label: str) -> date:
    return parse_date(values[key] or date.today().isoformat(), label)


def _inspectors(ctx: AppContext, f: FindingInfo, actor: str) -> QComboBox:
    names = projects.project_inspectors(ctx.db, f.project_id)
    combo = choice([(n, n) for n in names])
    combo.setCurrentIndex(max(0, combo.findData(actor)))
    return combo


def _visits(f: FindingInfo, held: Sequence[VisitInfo]) -> QComboBox:
    """The project's visits since the finding was found, newest first: a re-check is made in one."""
    rows = [v for v in held if v.started_at.date() >= f.found_on]
    return choice([(tr("第 {0} 次巡查（{1}）").format(v.number, f"{v.started_at:%Y-%m-%d}"), v.id)
                   for v in reversed(rows)])


def rectification_dialog(action: str, f: FindingInfo, ctx: AppContext, ruleset: RuleSet, actor: str,
                         run: Run | None = None, parent: QWidget | None = None, *,
                         project_visits: Sequence[VisitInfo] = ()) -> ActionDialog:
    """``ruleset`` is the finding's project's; ``run`` carries the write to the writer lane;
    ``project_visits`` are the visits the window holds (a re-check names one of them)."""
    today = date.today().isoformat()
    fields: list[Field]
    submit: Callable[[dict[str, Any]], Callable[[], Any]]
    note: str | None = None
    if action == "reply":
        fields = [("date", tr("回复日期"), line(today)), ("text", tr("整改回复"), text_box(tr("施工单位的整改说明、做法与证据")))]

        def submit(v: dict[str, Any]) -> Callable[[], Any]:
            day = _day(v, "date", "回复日期")
            return lambda: operations.reply(ctx, f.id, v["text"], replied_on=day)
        title = tr("{0} 整改回复").format(f.label)
    elif action == "verify":
        names = RuleNames(ruleset)
        grades = [(tr("（不变）"), None)] + [(names.grade(code), code) for code in ruleset.grades]
        fields = [("result", tr("复查结论"), choice([(tr("通过：已实质性整改"), "accepted"),
                                                     (tr("不通过：退回整改"), "rejected")])),
                  ("visit", tr("复查所在巡查"), _visits(f, project_visits)), ("inspector", tr("复查人员"), _inspectors(ctx, f, actor)),
                  ("grade", tr("复查后等级（剩余风险）"), choice(grades)),
                  ("notes", tr("复查说明"), text_box(tr("现场复查情况"))),
                  ("reuse", tr("照片复用理由"), line("", tr("仅当整改后照片已用于其他问题时填写")))]

        def submit(v: dict[str, Any]) -> Callable[[], Any]:
            return lambda: operations.verify(ctx, f.id, v["result"], visit_id=v["visit"], inspector=v["inspector"] or None,
                                             notes=v["notes"] or None, grade_now=v["grade"],
                                             reuse_reason=v["reuse"] or None)
        title = tr("{0} 复查").format(f.label)
        note = tr("通过需要：在一次巡查中、由机构检查人员复查，并有发现（及整改回复）之后拍摄的整改后照片。")
    elif action == "reopen":  # the old deadline has passed: re-opening asks for a new one
        due = findings.reopen_deadline(ruleset, f.grade_now)
        fields = [("reason", tr("原因"), text_box(tr("必须说明原因，例如：雨后复现渗漏"))),
                  ("deadline", tr("新的整改期限"), line(due.isoformat() if due else "", "YYYY-MM-DD"))]

        def submit(v: dict[str, Any]) -> Callable[[], Any]:
            if not v["deadline"] and due is not None:  # a grade with a deadline gets a new one
                raise ValidationError("finding.deadline", "finding.reopen_deadline_required")
            day = parse_date(v["deadline"], "finding.deadline") if v["deadline"] else None
            return lambda: operations.reopen(ctx, f.id, v["reason"], deadline=day)
        title = f"{f.label} {tr('重新打开')}"
    elif action == "close":
        fields = [("reason", tr("原因"), text_box(tr("必须说明原因，例如：经设计单位书面确认不构成缺陷")))]
        operation = operations.close
        if f.is_serious:
            note = tr("{0} 是严重缺陷：未经复查验证而关闭，它仍将阻止最终评估通过。"
                      "如已整改，请改用「复查」并附整改后照片。").format(f.label)

        def submit(v: dict[str, Any]) -> Callable[[], Any]:
            return lambda: operation(ctx, f.id, v["reason"])
        title = f"{f.label} {tr('关闭')}"
    else:
        raise ValueError(action)
    return ActionDialog(title, fields, submit, parent, run=run, note=note)
