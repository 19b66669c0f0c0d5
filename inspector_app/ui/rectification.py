"""The rectification steps as dialogs: the contractor's reply, the inspector's re-check (an
accepted one needs an after-photo, which the core enforces), closing with a reason, re-opening."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from ..models.db import Database
from ..rulesets import load_ruleset
from ..services import findings, projects
from ..values.dto import FindingInfo
from ..services.rules import parse_date
from .action_dialog import ActionDialog, Field, choice, line, text_box
from .i18n import tr


def _day(values: dict[str, Any], key: str, label: str) -> date:
    return parse_date(values[key] or date.today().isoformat(), label)


def _inspectors(db: Database, f: FindingInfo, actor: str) -> QComboBox:
    names = projects.project_inspectors(db, f.project_id)
    combo = choice([(n, n) for n in names])
    combo.setCurrentIndex(max(0, combo.findData(actor)))
    return combo


def rectification_dialog(action: str, f: FindingInfo, db: Database, actor: str,
                         parent: QWidget | None = None) -> ActionDialog:
    today = date.today().isoformat()
    fields: list[Field]
    if action == "reply":
        fields = [("date", tr("回复日期"), line(today)), ("text", tr("整改回复"), text_box(tr("施工单位的整改说明、做法与证据")))]

        def submit(v: dict[str, Any]) -> None:
            findings.reply_rectification(db, f.id, v["text"], replied_on=_day(v, "date", "回复日期"))
        title = tr("{0} 整改回复").format(f.label)
    elif action == "verify":
        grades = [(tr("（不变）"), None)] + [(f"{g.code} {g.name}", g.code) for g in load_ruleset().grades.values()]
        fields = [("result", tr("复查结论"), choice([(tr("通过：已实质性整改"), "accepted"),
                                                     (tr("不通过：退回整改"), "rejected")])),
                  ("date", tr("复查日期"), line(today)), ("inspector", tr("复查人员"), _inspectors(db, f, actor)),
                  ("grade", tr("复查后等级"), choice(grades)), ("notes", tr("复查说明"), text_box(tr("现场复查情况")))]

        def submit(v: dict[str, Any]) -> None:
            findings.verify_rectification(db, f.id, v["result"], verified_on=_day(v, "date", "复查日期"),
                                          inspector=v["inspector"] or None, notes=v["notes"] or None,
                                          grade_now=v["grade"])
        title = tr("{0} 复查").format(f.label)
    elif action in ("close", "reopen"):
        fields = [("reason", tr("原因"), text_box(tr("必须说明原因，例如：经设计单位书面确认不构成缺陷")))]
        service = findings.close_finding if action == "close" else findings.reopen_finding

        def submit(v: dict[str, Any]) -> None:
            service(db, f.id, v["reason"])
        title = f"{f.label} {tr('关闭') if action == 'close' else tr('重新打开')}"
    else:
        raise ValueError(action)
    return ActionDialog(title, fields, submit, parent)
