"""The first start (issue 14): on an empty data folder the window shows at once, with a welcome
view; the demo is made behind it on the writer lane, whole or not at all, and opened from there."""

import os
import subprocess
import sys

import pytest

pytest.importorskip("PySide6")

from inspector_app.app import open_app  # noqa: E402
from inspector_app.paths import ENV_DATA_DIR, resolve_paths  # noqa: E402
from inspector_app.services import projects  # noqa: E402
from inspector_app.services.first_screen import DEMO_STAGING, demo_pending, is_ready  # noqa: E402
from inspector_app.settings import load_settings  # noqa: E402
from inspector_app.ui.main_window import MainWindow  # noqa: E402
from inspector_app.ui.sync_view import SyncView  # noqa: E402
from inspector_app.ui.tasks import SyncTaskRunner  # noqa: E402

DEMO_CODE = "BJ-DX-2024-017"


def first_start_window(qtbot, data):
    """The window as ``run`` makes it on a first start, every lane run at once on this thread."""
    opened = []

    def open_ctx():
        opened.append(open_app(data))
        return opened[-1]

    window = MainWindow(None, runner=SyncTaskRunner(), open_ctx=open_ctx, paths=resolve_paths(data), first_start=True)
    qtbot.addWidget(window)
    return window, opened


def test_the_real_program_paints_its_window_before_the_demo_is_made(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", ENV_DATA_DIR: str(data),
           "IDI_INSPECTOR_EXIT_AFTER_PAINT": "1", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "inspector_app"], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    painted = [line for line in proc.stdout.splitlines() if line.startswith("painted ")]
    assert len(painted) == 1, proc.stdout
    assert painted[0].split()[2] == "heavy=-"  # not even the ORM was loaded for the first paint
    assert "正在创建演示项目" not in proc.stdout  # nothing was built before the window
    # quit right after the paint, the demo's making was cut short: no project (not even a part of
    # one) is in the data folder, and the next start makes it again
    assert not is_ready(data / "inspector.sqlite3")
    assert demo_pending(data, data / "inspector.sqlite3")


def test_an_empty_folder_shows_the_welcome_view_and_makes_the_demo_behind_it(qtbot, tmp_path):
    data = tmp_path / "data"
    assert demo_pending(data, data / "inspector.sqlite3")
    window, opened = first_start_window(qtbot, data)
    welcome = window.welcome
    assert window.showing_welcome() and window.first_view() is welcome
    assert window.tabs.isHidden() and window.header.isHidden()
    assert welcome.demo_state == "building" and not welcome.demo_button.isEnabled()
    assert "正在准备演示项目" in welcome.demo_status.text()
    assert not opened and not data.exists()  # the data folder is opened after the first paint, not before
    steps: list[int] = []
    welcome.demo_progress.valueChanged.connect(steps.append)
    window.show()
    qtbot.waitUntil(lambda: welcome.demo_state == "ready", timeout=300_000)
    try:
        assert steps == sorted(steps) and steps[-1] == welcome.demo_progress.maximum() == 91
        assert len(steps) > 50  # one report per visit and per finding, on the welcome view
        assert welcome.demo_button.isEnabled() and welcome.demo_button.text() == "打开演示项目"
        assert welcome.demo_status.text() == "演示项目已就绪。"
        assert [p.code for p in projects.list_projects(window.ctx.db)] == [DEMO_CODE]
        assert not (data / DEMO_STAGING).exists()
        assert load_settings(data).inspector_name == "王建国" == window.ctx.db.actor
        assert "当前人员：王建国" in window.last_message
        # nothing else was opened meanwhile: the demo is shown
        assert not window.showing_welcome() and window.tabs.isVisible() and window.new_finding.isEnabled()
        assert window.projects.count() == 1 and window.projects.currentRow() == 0
        assert window.project_id == window.demo_id and window.detail is not None
        assert window.detail.code == DEMO_CODE and "北京" in window.header.text()
        assert len(window.rows) == 61 and window.model.rowCount() == 61
        assert "不通过" in window.gate.text()
        window.show_welcome()  # as when the last project shown is removed: its button opens the demo again
        assert not window.new_finding.isEnabled()
        welcome.demo_button.click()
        assert not window.showing_welcome() and window.project_id == window.demo_id
        assert len(opened) == 1  # one data folder context: the writer lane's and the window's
    finally:
        for ctx in opened:
            ctx.close()


def test_cancelling_the_demo_in_the_window_leaves_nothing_and_offers_it_again(qtbot, tmp_path):
    data = tmp_path / "data"
    window, opened = first_start_window(qtbot, data)
    window.lanes.writer.progress.connect(lambda handle, done, _total, _label: done >= 2 and handle.cancel())
    window.show()
    qtbot.waitUntil(lambda: window.welcome.demo_state == "absent", timeout=120_000)
    try:
        assert window.welcome.demo_button.isEnabled() and window.welcome.demo_button.text() == "创建演示项目"
        assert window.last_message == "已取消创建演示项目"
        assert projects.list_projects(window.ctx.db) == [] and window.projects.count() == 0
        assert list(window.ctx.store.iter_stored()) == []  # not a photo of the part made
        assert not demo_pending(data, data / "inspector.sqlite3")  # not made again at the next start either
    finally:
        for ctx in opened:
            ctx.close()


def test_a_data_folder_without_projects_shows_the_welcome_view_without_making_the_demo(qtbot, tmp_path):
    """The demo was removed: the window does not bring it back by itself; the button makes it."""
    ctx = open_app(tmp_path / "data")
    try:
        assert not demo_pending(ctx.paths.data_dir, ctx.paths.database)
        window = MainWindow(ctx, runner=SyncTaskRunner())
        qtbot.addWidget(window)
        window.show()
        welcome = window.welcome
        assert window.showing_welcome() and window.first_view() is welcome
        assert welcome.demo_state == "absent" and welcome.demo_button.text() == "创建演示项目"
        assert welcome.demo_button.isEnabled() and welcome.demo_progress.isHidden()
        welcome.new_button.click()  # the new-project form (ui/project_dialogs.py)
        assert type(window.dialog).__name__ == "NewProjectDialog" and window.dialog.isVisible()
        window.dialog.reject()
        welcome.connect_button.click()  # the platform's address and token, before there is any project
        dialog = window.dialog
        view = dialog.findChild(SyncView)
        assert dialog.windowTitle() == "连接保险平台" and dialog.isVisible() and view.isVisible()
        view.server.setText("http://platform.example.com")
        view.server.editingFinished.emit()
        assert "“http://platform.example.com”应以 https:// 开头" in window.last_message
        assert load_settings(ctx.paths.data_dir).sync_server == ""
        view.server.setText("https://platform.example.com")
        view.server.editingFinished.emit()
        assert load_settings(ctx.paths.data_dir).sync_server == "https://platform.example.com"
        assert window.settings.sync_server == "https://platform.example.com"
        dialog.reject()
        assert projects.list_projects(ctx.db) == []
    finally:
        ctx.close()


def test_a_data_folder_with_a_project_opens_on_it_not_on_the_welcome_view(window):
    assert not window.showing_welcome() and window.first_view() is window.dashboard
    assert window.welcome.isHidden() and window.tabs.isVisible()
