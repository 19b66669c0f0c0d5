"""The report centre's review chain: submit, 审核 and 批准 by other staff, confirm, issue."""

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from inspector_app.services import issuing, review  # noqa: E402
from inspector_app.ui.workspace import REPORT_TAB  # noqa: E402


@pytest.fixture
def window_actor():
    return "李敏"  # an inspector of the demo's agency, chosen in the settings


def test_a_process_report_is_submitted_reviewed_approved_and_issued_after_a_question(window, monkeypatch, qtbot):
    errors = []
    monkeypatch.setattr(window, "_error", errors.append)
    centre = window.ensure_tab(REPORT_TAB)
    centre.on_error = centre.chain.on_error = errors.append
    centre.visit.setCurrentIndex(centre.visit.count() - 1)  # the first visit
    centre.ask_issue("process")
    chain = centre.chain
    assert "王建国（项目负责人）" in chain.people.text() and "陈静（技术负责人）" in chain.people.text()
    assert not errors and chain.table.rowCount() == 1 and chain.drafts[0].status == "submitted"
    chain.table.selectRow(0)
    assert chain.buttons["review"].isEnabled() and not chain.buttons["issue"].isEnabled()
    dialog = chain.open_step(chain.drafts[0], "review")
    people = [dialog.person.itemData(i) for i in range(dialog.person.count())]
    assert "李敏" not in people and "张磊" in people  # never the preparer
    dialog.person.setCurrentIndex(people.index("张磊"))
    dialog.comment.setPlainText("照片齐全，同意")
    dialog.accept()
    chain.table.selectRow(0)
    dialog = chain.open_step(chain.drafts[0], "approve")
    people = [dialog.person.itemData(i) for i in range(dialog.person.count())]
    assert set(people) == {"王建国", "陈静"}  # a lead, not the reviewer
    assert not dialog.gate.isVisibleTo(dialog)
    dialog.accept()
    chain.table.selectRow(0)
    assert chain.buttons["issue"].isEnabled()
    window.activateWindow()
    qtbot.keyClick(chain.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(chain.dialog, QMessageBox))
    box = chain.dialog
    assert isinstance(box, QMessageBox) and "签发后报告冻结" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert not errors, errors
    [issued] = issuing.list_reports(window.ctx, window.project_id)
    assert centre.table.rowCount() == 1 and issued.number == chain.drafts[0].number
    assert [x.name for x in issuing.snapshot(window.ctx, issued.id).signoff] == ["李敏", "张磊", "王建国"]


def test_a_failing_final_gate_is_confirmed_by_the_approver(window):
    centre = window.ensure_tab(REPORT_TAB)
    draft = review.submit_report(window.ctx, "final", window.project_id)
    review.approve_report(window.ctx, draft.number, by="张磊")
    centre.show_project(window.detail)
    dialog = centre.chain.open_step(centre.chain.drafts[0], "approve")
    assert dialog.gate.isVisibleTo(dialog)
    dialog.accept()
    assert "--confirm-gate" in dialog.error.text() or "确认" in dialog.error.text()
    dialog.gate.setChecked(True)
    dialog.accept()
    assert review.list_drafts(window.ctx, window.project_id)[0].status == "approved"
