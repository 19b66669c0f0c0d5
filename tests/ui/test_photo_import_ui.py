from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from inspector_app.app import open_app  # noqa: E402
from inspector_app.ui.main_window import MainWindow  # noqa: E402
from inspector_app.ui.tasks import SyncTaskRunner, TaskRunner  # noqa: E402

ORIENTATION = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "exif-orientation"
needs_testdata = pytest.mark.skipif(not ORIENTATION.is_dir(), reason="../shared/testdata not present")


@pytest.fixture
def window(qtbot, demo_dir, request):
    ctx = open_app(demo_dir)
    runner = request.param() if hasattr(request, "param") else SyncTaskRunner()
    w = MainWindow(ctx, runner=runner)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.runner.wait()
    ctx.close()


def test_selecting_a_row_shows_the_finding_its_photos_and_history(window):
    window.table.selectRow(0)
    panel = window.panel
    assert panel.finding is not None and panel.finding.label == "F001"
    assert panel.strip_model.rowCount() >= 2  # before and after photos
    assert not panel.strip_model.data(panel.strip_model.index(0), Qt.ItemDataRole.DecorationRole).isNull()
    lines = [panel.history.item(i).text() for i in range(panel.history.count())]
    assert len(lines) >= 3 and any("已验证关闭" in line for line in lines)


@needs_testdata
def test_dropping_a_folder_imports_its_photos_and_reports_rejections(window, tmp_path):
    window.table.selectRow(0)
    before = window.panel.strip_model.rowCount()
    bad = tmp_path / "scan.jpg"
    bad.write_text("不是照片")
    window._import_photos([str(ORIENTATION), str(bad)], "after")
    assert window.last_message == "已导入 18 张，重复 0 张，拒绝 1 张"
    assert window.panel.strip_model.rowCount() == before + 18
    assert window.progress.isHidden()


@needs_testdata
@pytest.mark.parametrize("window", [TaskRunner], indirect=True)
def test_import_runs_off_the_gui_thread(window, qtbot):
    window.table.selectRow(1)
    before = window.panel.strip_model.rowCount()
    window._import_photos([str(ORIENTATION)], "test")
    assert window.progress.isVisible()  # returned at once; the work goes on in the background
    qtbot.waitUntil(lambda: window.last_message.startswith("已导入"), timeout=60000)
    assert window.panel.strip_model.rowCount() == before + 18
