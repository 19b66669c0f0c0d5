"""Writes say what changed: the window refreshes the row, the panel and the gate from the
operation's Changes (no project reload), and every write runs on the writer lane, never on
the GUI thread."""

import threading
from datetime import date, datetime, time

import pytest

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from inspector_app.app import open_app  # noqa: E402
from inspector_app.models.db import Database  # noqa: E402
from inspector_app.services import findings, projects, visits  # noqa: E402
from inspector_app.ui.main_window import MainWindow  # noqa: E402
from inspector_app.ui.tasks import SyncTaskRunner  # noqa: E402

STATUS = 8  # the table's status column


def _select(window, label):
    labels = [window.model.finding(r).label for r in range(window.model.rowCount())]
    window.table.selectRow(labels.index(label))


def _status_cell(window, finding_id):
    row = window.model.row_of(finding_id)
    return window.model.data(window.model.index(row, STATUS))


def _count_reads(monkeypatch):
    """Wrap the whole-project reads; returns the calls made through them."""
    calls = []
    for module, name in ((projects, "get_project"), (findings, "list_findings"), (visits, "list_visits"),
                         (findings, "final_gate")):
        real = getattr(module, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    return calls


def test_reply_and_recheck_refresh_row_panel_and_gate_without_reloading(qtbot, demo_dir, tmp_path, monkeypatch):
    ctx = open_app(demo_dir)
    pid = projects.list_projects(ctx.db)[0].id  # today's visit, in which F049 is re-checked
    visits.start_visit(ctx.db, pid, datetime.combine(date.today(), time(9)), node_codes=["N19"], inspectors=["王建国"])
    window = MainWindow(ctx, runner=SyncTaskRunner())
    qtbot.addWidget(window)
    window.show()
    _select(window, "F049")  # the serious finding that blocks the gate
    fid = window.panel.finding.id
    blocking_before = window.dashboard.kpi["serious"].text()
    assert "不通过" in window.gate.text() and "F049" in window.gate.text()
    calls = _count_reads(monkeypatch)

    dialog = window.open_action("reply")
    dialog.fields["text"].setPlainText("已按设计重做防水层并闭水 48 h")
    dialog.accept()
    assert not dialog.isVisible()
    assert window.panel.finding.status == "replied"
    assert _status_cell(window, fid).startswith("已回复")
    assert window.table.currentIndex().row() == window.model.row_of(fid)  # still selected
    assert "F049" in window.gate.text()  # still blocking: replied is not verified
    assert calls.count("final_gate") == 1  # a serious finding: the gate is read again, only it

    after = tmp_path / "after.jpg"
    Image.new("RGB", (800, 600), (150, 150, 150)).save(after, "JPEG")
    window._import_photos([str(after)], "after")
    assert window.panel.strip_model.rowCount() >= 1 and window.model.finding(window.model.row_of(fid)).photos >= 1

    dialog = window.open_action("verify")
    dialog.fields["grade"].setCurrentIndex(dialog.fields["grade"].findData("B"))
    dialog.accept()
    assert not dialog.isVisible()
    panel = window.panel.finding
    assert panel.status == "verified" and panel.grade_now == "B"
    assert any("已验证关闭" in window.panel.history.item(i).text() for i in range(window.panel.history.count()))
    assert _status_cell(window, fid) == "已验证关闭"
    assert "F049" not in window.gate.text()
    assert int(window.dashboard.kpi["serious"].text()) == int(blocking_before) - 1
    assert not [c for c in calls if c in ("get_project", "list_findings", "list_visits")], calls
    ctx.close()


def test_a_refusal_in_the_writer_comes_back_to_the_open_dialog(qtbot, demo_dir):
    ctx = open_app(demo_dir)
    window = MainWindow(ctx)  # threaded lanes
    qtbot.addWidget(window)
    _select(window, "F049")  # no after-photo yet
    dialog = window.open_action("verify")
    dialog.accept()  # accepted without an after-photo: the core refuses, on the writer thread
    qtbot.waitUntil(lambda: "整改后照片" in dialog.error.text(), timeout=10000)
    assert dialog.isVisible() and dialog.ok.isEnabled()
    dialog.reject()
    window.runner.wait()
    ctx.close()


def test_the_gui_thread_never_opens_a_write_transaction(qtbot, demo_dir, monkeypatch):
    on_gui_thread = []
    real_write = Database.write

    def write(self):
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return real_write(self)

    ctx = open_app(demo_dir)
    pid = projects.list_projects(ctx.db)[0].id  # today's visit: the re-check below is made in it
    visits.start_visit(ctx.db, pid, datetime.combine(date.today(), time(9)), node_codes=["N19"], inspectors=["王建国"])
    monkeypatch.setattr(Database, "write", write)
    window = MainWindow(ctx)  # the real threaded lanes
    qtbot.addWidget(window)
    window.show()
    said = lambda prefix: lambda: window.last_message.startswith(prefix)  # noqa: E731
    _select(window, next(f.label for f in window.rows if f.status == "open" and not f.is_serious))
    fid = window.panel.finding.id

    window.panel.inputs["location"].setText("⑦轴东侧外墙")  # edit text
    window.panel.inputs["location"].editingFinished.emit()
    qtbot.waitUntil(said("已保存"), timeout=10000)
    assert window.panel.finding.location == "⑦轴东侧外墙"
    window.undo()
    qtbot.waitUntil(said("已撤销"), timeout=10000)
    assert window.panel.finding.location != "⑦轴东侧外墙"

    def step(action, status, **fields):
        dialog = window.open_action(action)
        for key, value in fields.items():
            widget = dialog.fields[key]
            widget.setPlainText(value) if hasattr(widget, "setPlainText") else widget.setCurrentIndex(
                widget.findData(value))
        dialog.accept()
        qtbot.waitUntil(lambda: window.panel.finding.status == status and not dialog.isVisible(), timeout=10000)
        assert window.model.finding(window.model.row_of(fid)).status == status

    step("reply", "replied", text="已整改")
    step("verify", "open", result="rejected", notes="仍有渗漏")
    step("close", "closed", reason="经设计单位书面确认不构成缺陷")
    step("reopen", "open", reason="复核后仍需整改")

    dialog = window.open_visit_dialog()
    dialog.fields["when"].setText("2026-11-23 09:00")
    for i in range(dialog.fields["inspectors"].count()):
        item = dialog.fields["inspectors"].item(i)
        item.setCheckState(Qt.CheckState.Checked if item.text() == "李敏" else Qt.CheckState.Unchecked)
    dialog.accept()
    qtbot.waitUntil(said("已开始第 28 次巡查"), timeout=10000)
    assert max(v.number for v in window.visits) == 28

    total = window.model.total()
    editor = window.open_editor()
    editor.description.insert("卫生间地漏周边渗水")
    editor.save()
    qtbot.waitUntil(lambda: "已保存 F0" in editor.error.text(), timeout=10000)
    assert window.model.total() == total + 1
    editor.close()
    window.runner.wait()
    assert on_gui_thread and not any(on_gui_thread), on_gui_thread
    ctx.close()
