"""The checklist dialog (检查要点) of a visit: items grouped by node, marked 符合 / 不符合 / 不适用
with values, notes and photos; a 不符合 opens a finding the window shows at once; a refused item
says why and stays as typed; the dialog fits a 1366×768 screen."""

import pytest

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QPoint, QRect  # noqa: E402

from inspector_app.services import checklists, findings, photos  # noqa: E402
from inspector_app.ui.checklist_dialog import ChecklistDialog  # noqa: E402


def _visit_with(window, node):
    return next(v for v in window.visits if v.nodes == [node])


def test_the_visit_menu_opens_the_checklist_of_the_latest_visit(window):
    visit_menu = next(a.menu() for a in window.menuBar().actions() if a.menu() and a.text() == "巡查(&V)")
    assert window.checklist_action in visit_menu.actions()
    window.checklist_action.trigger()
    dialog = window.dialog
    assert isinstance(dialog, ChecklistDialog)
    latest = max(window.visits, key=lambda v: v.started_at)
    assert dialog.visit_id == latest.id
    assert set(dialog.lines) == {i.id for n in latest.nodes for i in window.ruleset.checklist(n)}
    dialog.reject()


def test_marking_n15_and_a_fail_opens_a_finding_the_window_shows(window, tmp_path):
    visit = _visit_with(window, "N15")
    dialog = window.open_checklist(visit.id)
    assert dialog.table.rowCount() == 1 + 8  # the node's title row and its eight items
    gauge = tmp_path / "gauge.jpg"
    Image.new("RGB", (640, 480), (90, 120, 160)).save(gauge, quality=85)
    dialog.set_result("N15-06", "ok", value="24")
    dialog.set_result("N15-07", "ok", value="25")
    dialog.choose_photo("N15-07", str(gauge))
    dialog.set_result("N15-02", "na", note="下沉式卫生间")
    dialog.set_result("N15-05", "fail", note="地漏附加层缺失")
    dialog.building.setCurrentIndex(dialog.building.findData("2#楼"))
    dialog.floor.setText("6F")
    total_before = window.model.total()
    dialog.save()
    shown = dialog.values()
    label = shown["N15-05"][3]
    assert label and "已生成问题" in dialog.error.text() and label in dialog.error.text()
    assert not dialog.pending()
    stored = {r.item_id: r for r in checklists.show(window.ctx.db, visit.id)}
    assert stored["N15-06"].value == "24" and stored["N15-02"].result == "na"
    assert stored["N15-07"].photo_id is not None
    assert any(p.role == "test" for p in photos.list_photos(window.ctx.db, visit_id=visit.id))
    finding = findings.get_finding(window.ctx.db, stored["N15-05"].finding_id)
    assert (finding.division_code, finding.coverage_code, finding.building, finding.floor) == ("03", "WPI-2", "2#楼",
                                                                                               "6F")
    # the window shows the new finding from the operation's Changes (no reload)
    assert window.model.total() == total_before + 1 and window.model.row_of(finding.id) is not None
    assert next(v for v in window.visits if v.id == visit.id).findings == visit.findings + 1
    dialog.table.cellDoubleClicked.emit(dialog.lines["N15-05"].table_row, 6)
    assert window.panel.finding is not None and window.panel.finding.id == finding.id


def test_a_refused_item_says_why_and_the_others_are_saved(window):
    visit = next(v for v in window.visits if v.nodes == ["N14", "N15"])  # the demo marked the first ponding test
    dialog = window.open_checklist(visit.id)
    dialog.set_result("N15-04", "ok", value="1500")  # below 1800 mm
    dialog.set_result("N15-08", "ok")  # needs a photo
    dialog.set_result("N15-01", "ok", value="1.5")
    dialog.save()
    text = dialog.error.text()
    assert "N15-04" in text and "1800" in text and "N15-08" in text
    assert {x.row.item_id for x in dialog.pending()} == {"N15-04", "N15-08"}  # kept as typed, to correct
    assert dialog.lines["N15-04"].value.text() == "1500"
    stored = {r.item_id: r for r in checklists.show(window.ctx.db, visit.id)}
    assert stored["N15-01"].result == "ok" and stored["N15-04"].result is None
    dialog.set_result("N15-04", "ok", value="1850")
    dialog.lines["N15-08"].result.setCurrentIndex(dialog.lines["N15-08"].result.findData("na"))
    dialog.save()
    assert not dialog.pending() and "已保存" in dialog.error.text()


def test_switching_visits_and_a_node_without_items(window):
    dialog = window.open_checklist(_visit_with(window, "N03").id)
    assert {x[:3] for x in dialog.lines} == {"N03"}
    dialog.visit.setCurrentIndex(dialog.visit.findData(_visit_with(window, "N14").id))
    assert {x[:3] for x in dialog.lines} == {"N14"} and dialog.save_button.isEnabled()


def test_the_dialog_fits_a_1366_by_768_screen(window):
    dialog = window.open_checklist(next(v for v in window.visits if v.nodes == ["N14", "N15"]).id)
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768 - 40
    dialog.resize(1366 - 20, 768 - 80)  # what a laptop leaves beside the task bar
    dialog.show()
    assert dialog.width() <= 1366 and dialog.height() <= 768
    for size in (dialog.size(), dialog.minimumSize()):  # at its smallest the buttons stay, the table scrolls
        dialog.resize(size)
        inside = QRect(QPoint(0, 0), dialog.size())
        top_left = dialog.save_button.mapTo(dialog, QPoint(0, 0))
        assert dialog.save_button.isVisible() and inside.contains(QRect(top_left, dialog.save_button.size()))
    assert dialog.table.verticalScrollBar().maximum() > 0  # 14 items scroll inside the table, not off the screen
