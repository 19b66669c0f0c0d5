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
