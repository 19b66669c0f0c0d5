import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from inspector_app.app import open_app  # noqa: E402
from inspector_app.ui.main_window import MainWindow  # noqa: E402
from inspector_app.ui.tasks import SyncTaskRunner  # noqa: E402


def test_keyboard_entry_of_findings_keeps_last_values_and_names_bad_input(qtbot, demo_dir):
    ctx = open_app(demo_dir)
    window = MainWindow(ctx, runner=SyncTaskRunner())
    qtbot.addWidget(window)
    window.show()
    total = window.model.total()
    editor = window.open_editor()
    assert editor is not None and editor.visit.currentText().startswith("第 26 次巡查")
    editor.building.setCurrentText("2#楼")
    editor.floor.setCurrentText("16F")
    editor.subdivision.setCurrentIndex(editor.subdivision.findData("0301"))
    editor.coverage.setCurrentIndex(editor.coverage.findData("WPI-2"))
    editor.grade.setCurrentIndex(editor.grade.findData("C"))
    qtbot.keyClicks(editor.location, "1601")
    editor.description.insert("卫生间地漏周边渗水")
    qtbot.keyClick(editor.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "已保存 F062" in editor.error.text()
    assert window.model.total() == total + 1
    assert editor.description.text() == "" and editor.building.currentText() == "2#楼"  # ready for the next
    assert editor.floor.currentText() == "16F" and editor.grade.currentData() == "C"
    editor.description.insert("第二项")
    editor.deadline.setText("2020-01-01")
    editor.save()
    assert "整改期限" in editor.error.text() and "早于发现日期" in editor.error.text()
    assert editor.description.text() == "第二项"  # nothing typed is lost on an error
    assert window.model.total() == total + 1
    assert window.panel.finding is not None and window.panel.finding.label == "F062"
    ctx.close()


def test_a_short_typed_building_is_taken_and_esc_asks_before_discarding_typed_text(window, monkeypatch):
    editor = window.open_editor()
    assert editor is not None
    editor.building.setCurrentText("2#")  # typed, then Tab: the one building it begins
    assert editor._picked(editor.building) == "2#楼"
    editor.building.setCurrentText("9#")
    assert editor._picked(editor.building) == "9#"  # no building begins so: refused on save, named
    asked: list[bool] = []
    monkeypatch.setattr(editor, "confirm_discard", lambda: asked.append(True) or False)
    editor.description.insert("外墙窗台渗水")
    editor.reject()  # Esc: asked, and kept (the person chose Cancel)
    assert asked == [True] and editor.isVisible() and editor.description.text() == "外墙窗台渗水"
    editor.description.clear()
    editor.reject()  # nothing typed: closes without asking
    assert asked == [True] and not editor.isVisible()
