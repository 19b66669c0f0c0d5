"""The plan's actions in the window (Art. 17, Art. 10): waive a node no visit inspected (a reason
and an inspector of the agency), undo a waiver, record the developer's notice of a node, record
the developer's confirmation of the plan. Each is a dialog whose write goes to the window's
writer lane as an operation returning ``Changes``; a refusal comes back into the dialog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from ..context import AppContext
from ..services import operations, projects
from ..services.rules import parse_date
from ..values.dto import NodeInfo
from .action_dialog import ActionDialog, Field, Run, choice, line, text_box
from .i18n import tr

if TYPE_CHECKING:
    from .main_window import MainWindow


def node_dialog(action: str, node: NodeInfo | None, ctx: AppContext, project_id: int, actor: str, run: Run,
                parent: QWidget | None = None, *, node_name: str | None = None) -> ActionDialog:
    """The dialog of one plan action (``waive``, ``unwaive``, ``notify`` on ``node``; ``confirm_plan``)."""
    today = date.today().isoformat()
    fields: list[Field] = []
    note: str | None = None
    submit: Callable[[dict[str, Any]], Callable[[], Any]]
    if action == "waive":
        assert node is not None
        names = projects.project_inspectors(ctx.db, project_id)
        people = choice([(n, n) for n in names])
        people.setCurrentIndex(max(0, people.findData(actor)))
        fields = [("reason", tr("免检原因"), text_box(tr("例如：本项目无地下室，该节点不适用"))),
                  ("by", tr("检查人员"), people)]
        note = tr("未经现场检查的节点免检须说明原因，并由本项目风险管理机构的检查人员署名；"
                  "最终评估闸门与报告将列明免检的节点。")
        title = tr("节点 {0} 免检").format(node.code)

        def submit(v: dict[str, Any]) -> Callable[[], Any]:
            return lambda: operations.waive_node(ctx, project_id, node.id, v["reason"], v["by"] or "")
    elif action == "unwaive":
        assert node is not None
        title = tr("撤销节点 {0} 的免检").format(node.code)
        note = tr("{0} {1} 的免检（{2}）将撤销，该节点重新计入须巡查的节点；审计日志保留原记录。").format(
            node.code, node_name or node.name, node.waived_reason or "")

        def submit(v: dict[str, Any]) -> Callable[[], Any]:
            return lambda: operations.unwaive_node(ctx, project_id, node.id)
    elif action == "notify":
        assert node is not None
        fields = [("date", tr("通知日期"), line(str(node.notified_on or today), "2025-06-30"))]
        title = tr("节点 {0} 建设单位通知").format(node.code)

        def submit(v: dict[str, Any]) -> Callable[[], Any]:
            day = parse_date(v["date"] or today, "node.notified_on")
            return lambda: operations.record_notification(ctx, project_id, node.id, day)
    elif action == "confirm_plan":
        fields = [("date", tr("确认日期"), line(today, "2025-06-30")),
                  ("by", tr("建设单位确认人"), line("", tr("建设单位签字确认的人")))]
        title = tr("风险评估实施方案：建设单位确认")

        def submit(v: dict[str, Any]) -> Callable[[], Any]:
            day = parse_date(v["date"] or today, "inspection_plan.confirmed_on")
            return lambda: operations.confirm_plan(ctx, project_id, day, v["by"])
    else:
        raise ValueError(action)
    return ActionDialog(title, fields, submit, parent, run=run, note=note)


def open_node_action(window: MainWindow, action: str, node: NodeInfo | None) -> ActionDialog | None:
    """Open the dialog of a plan action for the window's project (non-blocking)."""
    if window.project_id is None:
        return None
    dialog = node_dialog(action, node, window.ctx, window.project_id, window.ctx.db.actor or "",
                         window.writer_run(tr("保存巡查计划")), window,
                         node_name=window.names.node(node.code, node.name) if node is not None else None)
    dialog.saved.connect(lambda _changes: window._say(tr("已保存巡查计划")))
    window.dialog = dialog
    dialog.open()
    return dialog
