"""The rectification steps as dialogs: the contractor's reply, the inspector's re-check (an
accepted one needs an after-photo, which the core enforces), closing with a reason, re-opening.

Each dialog checks its form, then hands the write (an operation returning ``Changes``) to the
window's writer lane; a refusal from the core comes back and is shown in the dialog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from ..context import AppContext
from ..rulesets import RuleSet
from ..services import operations, projects
from ..services.rules import parse_date
from ..values.dto import FindingInfo
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


def rectification_dialog(action: str, f: FindingInfo, ctx: AppContext, ruleset: RuleSet, actor: str,
                         run: Run | None = None, parent: QWidget | None = None) -> ActionDialog:
    """``ruleset`` is the finding's project's; ``run`` carries the write to the writer lane."""
    today = date.today().isoformat()
    fields: list[Field]
    submit: Callable[[dict[str, Any]], Callable[[], Any]]
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
                  ("date", tr("复查日期"), line(today)), ("inspector", tr("复查人员"), _inspectors(ctx, f, actor)),
                  ("grade", tr("复查后等级"), choice(grades)), ("notes", tr("复查说明"), text_box(tr("现场复查情况")))]

        def submit(v: dict[str, Any]) -> Callable[[], Any]:
            day = _day(v, "date", "复查日期")
            return lambda: operations.verify(ctx, f.id, v["result"], verified_on=day, inspector=v["inspector"] or None,
                                             notes=v["notes"] or None, grade_now=v["grade"])
        title = tr("{0} 复查").format(f.label)
    elif action in ("close", "reopen"):
        fields = [("reason", tr("原因"), text_box(tr("必须说明原因，例如：经设计单位书面确认不构成缺陷")))]
        operation = operations.close if action == "close" else operations.reopen

        def submit(v: dict[str, Any]) -> Callable[[], Any]:
            return lambda: operation(ctx, f.id, v["reason"])
        title = f"{f.label} {tr('关闭') if action == 'close' else tr('重新打开')}"
    else:
        raise ValueError(action)
    return ActionDialog(title, fields, submit, parent, run=run)
