"""Starting a site visit: when, which plan nodes, who, weather, progress per building. On
success the open findings of earlier visits that this visit must follow up are listed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QWidget

from ..context import AppContext
from ..errors import ValidationError
from ..rulesets import load_ruleset
from ..services import operations, projects
from ..values.dto import ProjectDetail
from .action_dialog import ActionDialog, Field, Run, checklist, line, text_box
from .i18n import tr
from .rule_names import RuleNames

STATUS_NAMES = {"planned": "计划", "reached": "已到达", "inspected": "已巡查", "skipped": "跳过"}


def start_visit_dialog(ctx: AppContext, project: ProjectDetail, actor: str, run: Run | None = None,
                       parent: QWidget | None = None) -> ActionDialog:
    """The dialog's ``saved`` signal carries the Changes (the new visit in ``changes.visits``)."""
    now = datetime.now().strftime("%Y-%m-%d %H:%M")
    next_node = next((n.code for n in project.nodes if n.status == "planned"), None)
    names = RuleNames(load_ruleset(project.ruleset, project.ruleset_version))
    nodes = checklist([(tr("{0} {1}（{2}，计划 {3}）").format(n.code, names.node(n.code, n.name), tr(STATUS_NAMES.get(n.status, n.status)),
                                                            n.planned_date or "—"),
                        n.code, n.code == next_node) for n in project.nodes], height=180)
    people = checklist([(name, name, name == actor) for name in projects.project_inspectors(ctx.db, project.id)], 80)
    progress = {b.name: line(placeholder=tr("形象进度，如 主体结构施工至18层")) for b in project.buildings}
    fields: list[Field] = [("when", tr("巡查时间"), line(now)), ("nodes", tr("巡查节点"), nodes),
                           ("inspectors", tr("检查人员"), people),
                           ("weather", tr("天气"), line(placeholder=tr("晴 / 多云 / 雨"))),
                           ("temperature", tr("气温 ℃"), line())]
    fields += [(f"progress:{name}", tr("{0} 形象进度").format(name), w) for name, w in progress.items()]
    fields.append(("summary", tr("巡查概况"), text_box()))

    def submit(v: dict[str, Any]) -> Callable[[], Any]:
        try:
            when = datetime.fromisoformat(v["when"])
        except ValueError:
            raise ValidationError("visit.time", tr("不是有效时间（YYYY-MM-DD HH:MM）：{0}").format(v["when"])) from None
        try:
            temperature = float(v["temperature"]) if v["temperature"] else None
        except ValueError:
            raise ValidationError("visit.temperature", tr("不是数字：{0}").format(v["temperature"])) from None
        if not v["nodes"]:
            raise ValidationError("visit.nodes", tr("至少选择一个节点"))
        return lambda: operations.start_visit(
            ctx, project.id, when, node_codes=v["nodes"], inspectors=v["inspectors"], weather=v["weather"] or None,
            temperature_c=temperature, summary=v["summary"] or None,
            progress={k.split(":", 1)[1]: t for k, t in v.items() if k.startswith("progress:") and t})

    return ActionDialog(tr("开始巡查 · {0}").format(project.name), fields, submit, parent, run=run)
