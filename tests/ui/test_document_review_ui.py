"""The 资料核查 dialog of a visit: it lists the documents and test reports reviewed, adds one, links a
failure to a finding already recorded or opens a new one the window shows at once, says why a
refusal was refused keeping what was typed, and fits a 1366×768 screen."""

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, QRect  # noqa: E402

from inspector_app.services import document_reviews, findings  # noqa: E402
from inspector_app.ui.document_review_dialog import DocumentReviewDialog  # noqa: E402


def _visit_with(window, nodes):
    return next(v for v in window.visits if v.nodes == nodes)


def test_the_visit_menu_opens_the_reviews_of_a_visit(window):
    visit_menu = next(a.menu() for a in window.menuBar().actions() if a.menu() and a.text() == "巡查(&V)")
    assert window.documents_action in visit_menu.actions()
    window.documents_action.trigger()
    dialog = window.dialog
    assert isinstance(dialog, DocumentReviewDialog)
    assert dialog.visit_id == max(window.visits, key=lambda v: v.started_at).id
    dialog.visit.setCurrentIndex(dialog.visit.findData(_visit_with(window, ["N08"]).id))  # the demo reviewed three
    shown = [(dialog.table.item(r, 1).text(), dialog.table.item(r, 3).text(), dialog.table.item(r, 5).text())
             for r in range(dialog.table.rowCount())]
    assert shown[1] == ("同条件养护试块强度报告（2#楼 15 层楼板）", "不符合", "F032") and len(shown) == 3
    dialog.table.cellDoubleClicked.emit(1, 5)
    assert window.panel.finding is not None and window.panel.finding.label == "F032"
    dialog.reject()


def test_adding_an_ok_a_linked_and_a_new_finding(window):
    visit = _visit_with(window, ["N18"])
    dialog = window.open_document_reviews(visit.id)
    assert dialog.table.rowCount() == 0 and not dialog.building.isEnabled()  # 符合 takes no finding
    dialog.fill("分户验收记录（1#楼）", "ok", reference="2026-11-10")
    dialog.add()
    assert "已记录" in dialog.error.text() and dialog.name.text() == "" and dialog.table.rowCount() == 1
    written = next(f for f in window.rows if f.visit_id == visit.id)
    dialog.fill("户内净高实测记录", "fail", finding_id=written.id)
    assert dialog.finding.isEnabled() and not dialog.coverage.isEnabled()
    total_before = window.model.total()
    dialog.add()
    assert window.model.total() == total_before  # linked, not a second finding
    dialog.fill("外墙饰面砖粘结强度检验报告", "missing", kind="test", building="2#楼", coverage="STR-5",
                division="03", note="施工单位称已送检")
    assert dialog.grade.currentData() is None  # the default: E for a missing document
    dialog.add()
    stored = document_reviews.list_document_reviews(window.ctx.db, visit.id)
    assert [(r.result, r.finding_id is not None) for r in stored] == [("ok", False), ("fail", True), ("missing", True)]
    assert stored[1].finding_id == written.id
    opened = findings.get_finding(window.ctx.db, stored[2].finding_id)
    assert (opened.grade_found, opened.building, opened.coverage_code, opened.division_code) == ("E", "2#楼", "STR-5",
                                                                                                 "03")
    assert opened.label in dialog.error.text() and "已生成问题" in dialog.error.text()
    # the window shows the new finding from the operation's Changes (no reload), and it is linkable now
    assert window.model.total() == total_before + 1 and window.model.row_of(opened.id) is not None
    assert next(v for v in window.visits if v.id == visit.id).findings == visit.findings + 1
    assert dialog.finding.findData(opened.id) == 0
    dialog.table.selectRow(0)
    dialog.remove_selected(ask=False)
    assert [r.name for r in document_reviews.list_document_reviews(window.ctx.db, visit.id)] == [
        "户内净高实测记录", "外墙饰面砖粘结强度检验报告"]


def test_a_refusal_says_why_and_keeps_what_was_typed(window):
    dialog = window.open_document_reviews(_visit_with(window, ["N18"]).id)
    dialog.fill("   ", "ok", reference="R-1")
    dialog.add()
    assert "资料名称" in dialog.error.text() and "必填" in dialog.error.text()
    assert dialog.reference.text() == "R-1" and dialog.table.rowCount() == 0 and dialog.add_button.isEnabled()
    dialog.fill("钢筋原材复试报告", "fail", kind="test", building="1#楼", coverage="STR-3", division="02", grade="D")
    dialog.add()
    assert "已生成问题" in dialog.error.text()


def test_the_dialog_fits_a_1366_by_768_screen(window):
    dialog = window.open_document_reviews(_visit_with(window, ["N08"]).id)
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768 - 40
    dialog.resize(1366 - 20, 768 - 80)  # what a laptop leaves beside the task bar
    dialog.show()
    assert dialog.width() <= 1366 and dialog.height() <= 768
    for size in (dialog.size(), dialog.minimumSize()):  # at its smallest the form and its buttons stay
        dialog.resize(size)
        inside = QRect(QPoint(0, 0), dialog.size())
        for widget in (dialog.add_button, dialog.name, dialog.grade, dialog.remove_button):
            top_left = widget.mapTo(dialog, QPoint(0, 0))
            assert widget.isVisible() and inside.contains(QRect(top_left, widget.size())), widget
