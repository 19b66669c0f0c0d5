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
    dialog.accept()  # the last visit (2026-11-17) predates the reply: a re-check needs a visit after it
    assert "早于整改回复日期" in dialog.error.text() and dialog.isVisible()  # refused, stays open
    dialog.reject()
    visit = window.open_visit_dialog()
    visit.fields["when"].setText("2026-11-22 09:00")
    _check(visit.fields["inspectors"], "李敏")
    visit.accept()
    assert not visit.isVisible()
    dialog = window.open_action("verify")
    dialog.accept()
    assert "整改后照片" in dialog.error.text() and dialog.isVisible()
    dialog.reject()

    after = tmp_path / "after.jpg"
    Image.new("RGB", (800, 600), (150, 150, 150)).save(after, "JPEG")  # no EXIF: its import time counts
    window._import_photos([str(after)], "after")
    dialog = window.open_action("verify")
    assert dialog.fields["visit"].currentText().startswith("第 27 次巡查")
    dialog.fields["grade"].setCurrentIndex(dialog.fields["grade"].findData("B"))
    dialog.accept()
    assert window.panel.finding.status == "verified" and window.panel.finding.grade_now == "B"
    assert "F049" not in window.gate.text()  # no serious defect blocks any more
    assert "不通过" in window.gate.text()  # but N19 and N20 are neither inspected nor waived
    ctx.close()


def _check(widget, name):
    from PySide6.QtCore import Qt

    for i in range(widget.count()):
        item = widget.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.text() == name else Qt.CheckState.Unchecked)


def test_starting_a_visit_lists_what_to_follow_up(qtbot, demo_dir):
    ctx = open_app(demo_dir)
    window = MainWindow(ctx, runner=SyncTaskRunner())
    qtbot.addWidget(window)
    dialog = window.open_visit_dialog()
    dialog.fields["when"].setText("2026-13-01 09:00")
    dialog.accept()
    assert "巡查时间" in dialog.error.text()
    dialog.fields["when"].setText("2026-11-23 09:00")
    dialog.accept()
    assert "检查人员" in dialog.error.text() and dialog.isVisible()  # a visit needs an inspector of the agency
    _check(dialog.fields["inspectors"], "王建国")
    dialog.fields["temperature"].setText("6")
    dialog.fields["progress:1#楼"].setText("精装修收尾")
    dialog.accept()
    assert not dialog.isVisible()
    assert window.last_message.startswith("已开始第 27 次巡查；需跟踪以往未关闭问题")
    assert "逾期" in window.last_message
    ctx.close()
