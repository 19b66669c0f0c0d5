import pytest

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402

from inspector_app.app import open_app  # noqa: E402
from inspector_app.ui.main_window import MainWindow  # noqa: E402
from inspector_app.ui.tasks import SyncTaskRunner  # noqa: E402


def test_verifying_the_blocking_serious_finding_opens_the_gate(qtbot, demo_dir, tmp_path):
    ctx = open_app(demo_dir)
    window = MainWindow(ctx, runner=SyncTaskRunner())
    qtbot.addWidget(window)
    window.show()
    labels = [window.model.finding(r).label for r in range(window.model.rowCount())]
    window.table.selectRow(labels.index("F049"))
    assert "不通过" in window.gate.text()
    assert window.panel.buttons["reply"].isEnabled() and not window.panel.buttons["reopen"].isEnabled()

    dialog = window.open_action("reply")
    dialog.fields["date"].setText("2026-11-20")
    dialog.fields["text"].setPlainText("已铲除原防水层，按设计 1.5 mm 重做并闭水 48 h")
    dialog.accept()
    assert window.panel.finding.status == "replied"

    dialog = window.open_action("verify")
    dialog.fields["date"].setText("2026-11-22")
    dialog.accept()
    assert "整改后照片" in dialog.error.text() and dialog.isVisible()  # refused, stays open
    dialog.reject()

    after = tmp_path / "after.jpg"
    Image.new("RGB", (800, 600), (150, 150, 150)).save(after, "JPEG")
    window._import_photos([str(after)], "after")
    dialog = window.open_action("verify")
    dialog.fields["date"].setText("2026-11-22")
    dialog.fields["grade"].setCurrentIndex(dialog.fields["grade"].findData("A"))
    dialog.accept()
    assert window.panel.finding.status == "verified" and window.panel.finding.grade_now == "A"
    assert "通过" in window.gate.text() and "不通过" not in window.gate.text()
    ctx.close()


def test_starting_a_visit_lists_what_to_follow_up(qtbot, demo_dir):
    ctx = open_app(demo_dir)
    window = MainWindow(ctx, runner=SyncTaskRunner())
    qtbot.addWidget(window)
    dialog = window.open_visit_dialog()
    dialog.fields["when"].setText("2026-13-01 09:00")
    dialog.accept()
    assert "巡查时间" in dialog.error.text()
    dialog.fields["when"].setText("2026-11-23 09:00")
    dialog.fields["temperature"].setText("6")
    dialog.fields["progress:1#楼"].setText("精装修收尾")
    dialog.accept()
    assert not dialog.isVisible()
    assert window.last_message.startswith("已开始第 13 次巡查；需跟踪以往未关闭问题")
    assert "逾期" in window.last_message
    ctx.close()
