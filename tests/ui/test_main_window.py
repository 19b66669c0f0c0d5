import pytest

pytest.importorskip("PySide6")

from inspector_app.app import open_app  # noqa: E402
from inspector_app.ui.main_window import MainWindow  # noqa: E402


def test_main_window_shows_the_demo_project_and_its_gate(qtbot, demo_dir):
    ctx = open_app(demo_dir)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.projects.count() == 1
    assert window.model.rowCount() >= 50
    assert "不通过" in window.gate.text()
    assert "F0" in window.gate.text()
    ctx.close()


def test_filtering_and_sorting_the_findings(qtbot, demo_dir):
    from PySide6.QtCore import Qt

    ctx = open_app(demo_dir)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    total = window.model.rowCount()
    qtbot.keyClicks(window.filters.text, "wpi-2")  # typed: every keystroke filters
    assert 0 < window.model.rowCount() < total
    assert all(window.model.finding(r).coverage_code == "WPI-2" for r in range(window.model.rowCount()))
    window.filters.text.clear()
    window.filters.text.insert("卫生间")  # Chinese arrives as one input-method commit
    shown = window.model.rowCount()
    assert 0 < shown < total
    assert all("卫生间" in window.model.finding(r).location + window.model.finding(r).description
               for r in range(shown))
    assert f"显示 {shown} / {total} 项" == window.filters.count.text()
    window.filters.text.clear()
    window.filters.serious.setChecked(True)
    window.filters.status.setCurrentIndex(window.filters.status.findData("open"))
    assert [window.model.finding(r).label for r in range(window.model.rowCount())] == ["F049"]
    window.filters.serious.setChecked(False)
    window.filters.status.setCurrentIndex(0)
    window.table.sortByColumn(9, Qt.SortOrder.DescendingOrder)  # deadline, latest first
    deadlines = [window.model.finding(r).deadline for r in range(window.model.rowCount())]
    dated = [d for d in deadlines if d]
    assert dated == sorted(dated, reverse=True)
    ctx.close()


def test_the_project_list_counts_what_the_header_counts_after_a_new_finding(window):
    from datetime import datetime

    from inspector_app.services import findings, visits

    before = window.projects.item(0).text()
    assert "问题 61 · 未关闭 12" in before
    v = visits.start_visit(window.ctx.db, window.project_id, datetime(2026, 11, 20, 9), node_codes=["N18"],
                           inspectors=["李敏"])
    findings.record_finding(window.ctx.db, v.id, building="1#楼", coverage="WPI-2", division="01",
                            subdivision="0107", grade="C", description="外墙窗台渗水痕迹")
    window._reload()
    assert "问题 62 · 未关闭 13" in window.projects.item(0).text()
    assert "问题 62 项 · 未关闭 13" in window.header.text()


def test_menus_have_alt_letters_and_the_site_actions_have_shortcuts(window):
    titles = [a.text() for a in window.menuBar().actions() if a.menu()]
    assert titles == ["文件(&F)", "编辑(&E)", "巡查(&V)", "帮助(&H)"]
    assert window.new_visit.shortcut().toString() == "Ctrl+Shift+N"
    keys = {k: b.shortcut().toString() for k, b in window.panel.buttons.items()}
    assert keys == {"reply": "Ctrl+Shift+R", "verify": "Ctrl+Shift+Y", "close": "Ctrl+Shift+W",
                    "reopen": "Ctrl+Shift+O"}
    assert len(set(keys.values()) | {"Ctrl+Shift+N"}) == 5
