"""The project's warnings and the plan in the window: the amber banner, the gate's reasons one per
line, waiving a node (reason and inspector) and recording the developer's notice from the dashboard."""

from datetime import date
from html import escape

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QMenu, QScrollArea  # noqa: E402

from inspector_app.services import projects  # noqa: E402
from inspector_app.ui.action_dialog import ActionDialog  # noqa: E402
from inspector_app.ui.dashboard import BLOCKING_COLOR, WARNING_COLOR, notice_text  # noqa: E402
from inspector_app.ui.main_window import MainWindow  # noqa: E402
from inspector_app.ui.tasks import SyncTaskRunner  # noqa: E402
from inspector_app.values.dto import GateResult, Notice  # noqa: E402

VALIDITY = "依据《北京市住宅工程质量潜在缺陷保险暂行管理办法》（有效期至2024-04-30）：保单签发日 2025-03-15 在有效期外"


def _window(qtbot, ctx) -> MainWindow:
    w = MainWindow(ctx, runner=SyncTaskRunner())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def _select_node(window: MainWindow, code: str) -> None:
    nodes = window.dashboard.nodes
    row = next(i for i in range(nodes.count()) if nodes.item(i).text().startswith(code + " "))
    nodes.setCurrentRow(row)


def test_the_warnings_show_in_an_amber_banner(qtbot, ctx, spec):
    spec["policy"]["permit_date"] = "2025-03-01"
    projects.create_project(ctx.db, spec)
    window = _window(qtbot, ctx)
    d = window.dashboard
    assert d.banner_box.isVisible() and "#FFF3E0" in d.banner.styleSheet()
    assert VALIDITY in d.banner.text() and "晚于施工许可证核发日 2025-03-01" in d.banner.text()
    assert not d.confirm_plan.isVisible()  # the example's plan is confirmed
    body = d.findChild(QScrollArea).widget()  # the dashboard scrolls; at 1366x768 it takes no more width
    assert body.minimumSizeHint().width() <= 1366 - 240 and d.banner.minimumSizeHint().height() < 200


def test_the_developer_confirmation_is_recorded_from_the_banner(qtbot, ctx, spec):
    del spec["plan"]
    projects.create_project(ctx.db, spec)
    window = _window(qtbot, ctx)
    d = window.dashboard
    assert d.confirm_plan.isVisible() and "建设单位确认" in d.banner.text()
    d.confirm_plan.click()
    dialog = window.dialog
    assert isinstance(dialog, ActionDialog)
    dialog.fields["date"].setText("2025-03-20")
    dialog.accept()  # no one named: refused in place
    assert dialog.isVisible() and "不能为空" in dialog.error.text()
    dialog.fields["by"].setText("孙经理")
    dialog.accept()
    assert not dialog.isVisible()
    assert window.detail.plan_confirmed_by == "孙经理"
    assert "建设单位确认" not in d.banner.text() and not d.confirm_plan.isVisible()


def test_each_reason_of_the_gate_is_a_line_red_when_it_blocks(qtbot, ctx, project):
    window = _window(qtbot, ctx)
    d = window.dashboard
    for reason in window.gate_result.reasons:  # the gate service's own reasons, one line each
        assert escape(notice_text(reason)) in d.gate_reasons.text()
    d.show_gate(GateResult(project.id, False, [], 0, 0, reasons=[
        Notice("plan_not_confirmed", "plan.not_confirmed", blocking=True),
        Notice("policy_after_permit", "policy.issued_after_permit",
               {"issued_on": "2025-03-15", "permit_date": "2025-03-01"})]))
    lines = d.gate_reasons.text().split("<br/>")
    assert "不通过" in lines[0] and len(lines) == 3
    assert BLOCKING_COLOR in lines[1] and "风险评估实施方案尚未记录建设单位确认" in lines[1]
    assert WARNING_COLOR in lines[2] and "晚于施工许可证核发日 2025-03-01" in lines[2]


def test_a_node_is_waived_and_unwaived_from_the_dashboard(qtbot, ctx, project):
    window = _window(qtbot, ctx)
    d = window.dashboard
    assert not d.waive.isEnabled()  # nothing selected
    _select_node(window, "N02")
    assert d.waive.isEnabled() and not d.unwaive.isEnabled()
    d.waive.click()
    dialog = window.dialog
    assert isinstance(dialog, ActionDialog) and "检查人员署名" in dialog.note.text()
    people = dialog.fields["by"]
    assert [people.itemData(i) for i in range(people.count())] == ["赵工", "钱工", "孙工"]
    dialog.accept()  # no reason: refused, the dialog stays
    assert dialog.isVisible() and "免检必须说明原因" in dialog.error.text()
    dialog.fields["reason"].setPlainText("本项目为天然地基，无桩基")
    people.setCurrentIndex(1)
    dialog.accept()
    assert not dialog.isVisible()
    node = next(n for n in window.detail.nodes if n.code == "N02")
    assert (node.status, node.waived_by, node.waived_on) == ("waived", "钱工", date.today())
    listed = [d.nodes.item(i).text() for i in range(d.nodes.count())]
    assert any(t.startswith("N02") and "免检：本项目为天然地基，无桩基（钱工" in t for t in listed)
    _select_node(window, "N02")
    assert d.unwaive.isEnabled() and not d.waive.isEnabled()
    d.unwaive.click()
    window.dialog.accept()
    assert next(n for n in window.detail.nodes if n.code == "N02").status == "planned"


def test_the_developer_notice_of_a_node_is_recorded(qtbot, ctx, project):
    window = _window(qtbot, ctx)
    _select_node(window, "N03")
    window.dashboard.notify.click()
    dialog = window.dialog
    dialog.fields["date"].setText("2999-01-01")
    dialog.accept()
    assert dialog.isVisible() and "在未来" in dialog.error.text()
    dialog.fields["date"].setText("2025-06-10")
    dialog.accept()
    assert next(n for n in window.detail.nodes if n.code == "N03").notified_on == date(2025, 6, 10)
    texts = [window.dashboard.nodes.item(i).text() for i in range(window.dashboard.nodes.count())]
    assert any(t.startswith("N03") and "建设单位通知 2025-06-10" in t for t in texts)


def test_the_node_menu_offers_the_actions(qtbot, ctx, project):
    window = _window(qtbot, ctx)
    d = window.dashboard
    seen = []
    d.node_action.connect(lambda action, node: seen.append((action, node.code)))
    _select_node(window, "N04")
    rect = d.nodes.visualItemRect(d.nodes.currentItem())
    d.nodes.customContextMenuRequested.emit(rect.center())
    menu = d.findChildren(QMenu)[-1]
    assert [a.text() for a in menu.actions()] == [d.notify.text(), d.waive.text()]  # not waived: no undo
    menu.actions()[1].trigger()
    assert seen == [("waive", "N04")]
    assert isinstance(window.dialog, ActionDialog)
    window.dialog.reject()


def test_a_finding_is_recorded_from_a_click_on_the_floor_plan(window, qtbot):
    """Plan-first entry: in 记录问题 mode a click on the drawing opens the editor with the pin there and
    the drawing's building and floor; saving records the finding and places its pin."""
    from PySide6.QtCore import QPoint, QPointF, Qt

    from inspector_app.services import findings, plans
    from inspector_app.ui.floor_plan_view import PinItem
    from inspector_app.ui.workspace import FLOOR_TAB

    db = window.ctx.db
    view = window.ensure_tab(FLOOR_TAB)
    plan = view.current_plan()
    assert plan is not None and view.record_button.isEnabled() and not view.canvas.recording
    view.record_button.click()
    assert view.canvas.recording and "记录问题模式" in view.status.text()
    canvas, port = view.canvas, view.canvas.viewport()
    target = QPointF(plan.width * 0.4, plan.height * 0.55)  # between the demo's pins
    at = canvas.mapFromScene(target)
    qtbot.mousePress(port, Qt.MouseButton.LeftButton, pos=at)  # a drag pans: nothing is recorded
    qtbot.mouseMove(port, at + QPoint(60, 40))
    qtbot.mouseRelease(port, Qt.MouseButton.LeftButton, pos=at + QPoint(60, 40))
    assert window.editor is None
    at = canvas.mapFromScene(target)
    qtbot.mouseClick(port, Qt.MouseButton.LeftButton, pos=at)
    editor = window.editor
    assert editor is not None and editor.isVisible()
    assert (editor._picked(editor.building), editor.floor.currentText()) == (plan.building, plan.floor)
    pinned_plan, x, y = editor.pin
    clicked = canvas.mapToScene(at)
    assert pinned_plan.id == plan.id and (x, y) == (pytest.approx(clicked.x()), pytest.approx(clicked.y()))
    assert editor.form.isRowVisible(editor.pin_label) and f"{plan.building} {plan.floor}" in editor.pin_label.text()
    assert canvas.marker is not None  # where the pin will go
    # a finding of another building is refused in place, naming the building and the rule
    other = next(b.name for b in window.detail.buildings if b.name != plan.building)
    editor.building.setCurrentIndex(editor.building.findData(other))
    editor.description.setText("车位顶板渗水，板底白色析出物")
    before = len(findings.list_findings(db, window.project_id))
    editor.save()
    assert f"“{other}”不是图钉所在图纸的单体" in editor.error.text()
    assert len(findings.list_findings(db, window.project_id)) == before
    canvas.context_menu(canvas.mapFromScene(target)).actions()[0].trigger()  # 在此记录问题…: the open editor
    assert window.editor is editor and editor._picked(editor.building) == plan.building  # takes the point again
    _plan, x, y = editor.pin
    assert (x, y) == (pytest.approx(target.x(), abs=plan.width / 200), pytest.approx(target.y(), abs=plan.width / 200))
    editor.save()
    [new] = [f for f in findings.list_findings(db, window.project_id) if f.description == "车位顶板渗水，板底白色析出物"]
    assert (new.building, new.floor) == (plan.building, plan.floor)
    assert plans.pin_of(db, new.id) == (plan.id, pytest.approx(x, abs=0.01), pytest.approx(y, abs=0.01))
    assert any(isinstance(i, PinItem) and i.pin.finding_id == new.id for i in canvas.scene().items())
    assert canvas.marker is None and new.label in window.last_message
    assert editor.pin is None and not editor.form.isRowVisible(editor.pin_label)  # the next one: click again
    window.show_finding_tab(new.id)
    window.ensure_tab(FLOOR_TAB)
    labels = [a.text() for a in canvas.context_menu(canvas.mapFromScene(target)).actions()]
    assert labels == ["在此记录问题…", f"将 {new.label} 放置在此"]
    editor.done(0)
