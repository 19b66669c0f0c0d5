"""A saved finding edited in every field in the window, each step undone; refusals said in the
field's place; steps that cannot be undone stop Ctrl+Z; re-opening asks a new deadline; a new
finding starts with the tags of the visit's nodes; a typed code shows its name."""

from datetime import date, timedelta

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QFocusEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from inspector_app.services import findings  # noqa: E402
from inspector_app.services.suggestions import node_defaults  # noqa: E402

STORED = ("building", "floor", "location", "description", "deadline", "responsible_party", "coverage_code",
          "division_code", "subdivision_code", "grade_found", "grade_now", "is_serious", "serious_reason")


def _select(window, label):
    labels = [window.model.finding(r).label for r in range(window.model.rowCount())]
    window.table.selectRow(labels.index(label))
    assert window.panel.finding is not None and window.panel.finding.label == label


def _plain_open(window):
    """An open finding, not serious, with a deadline by its grade, never replied to nor re-checked,
    with a sub-division."""
    grades = window.ruleset.grades
    return next(f for f in window.rows if f.status == "open" and not f.is_serious and f.grade_found == f.grade_now
                and grades[f.grade_now].deadline_days
                and f.subdivision_code
                and len(findings.get_finding(window.ctx.db, f.id).history) == 1)


def _leave(widget):
    """The user leaves a text box (Tab or a click elsewhere)."""
    if hasattr(widget, "editingFinished"):
        widget.editingFinished.emit()
    else:
        QApplication.sendEvent(widget, QFocusEvent(QEvent.Type.FocusOut))


def _type(widget, text):
    widget.setPlainText(text) if hasattr(widget, "setPlainText") else widget.setText(text)
    _leave(widget)


def _no_message_box():
    return not any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_every_field_of_a_saved_finding_is_edited_in_the_window_and_undo_restores_each(window):
    before = _plain_open(window)
    _select(window, before.label)
    panel, box = window.panel, window.panel.fields_box
    other = next(b.name for b in window.detail.buildings if b.name != before.building)
    party = next(p.name for p in window.detail.parties if p.name != before.responsible_party)
    grade = "B" if before.grade_now != "B" else "C"
    rs = window.ruleset  # a category whose map leaves out the finding's division, and a sub-division it fits
    coverage = next(c for c in rs.coverages if rs.allowed_divisions(c) and before.division_code
                    not in rs.allowed_divisions(c))
    sub = rs.divisions[rs.allowed_divisions(coverage)[0]]["subdivisions"][0]["code"]

    _type(panel.inputs["description"], "卫生间墙根渗水，返潮高度 300mm")
    _type(panel.inputs["location"], "1201户卫生间")
    _type(panel.inputs["floor"], "12F")
    _type(panel.inputs["deadline"], "2026-12-31")
    box.building.setCurrentIndex(box.building.findData(other))
    box.responsible.setCurrentIndex(box.responsible.findData(party))
    box.coverage.setCurrentIndex(box.coverage.findData(coverage))  # the division is outside its map
    assert coverage in box.notes["tags"].text() and not box.notes["tags"].isHidden()
    assert panel.finding.coverage_code == before.coverage_code  # refused in place, nothing stored
    box.subdivision.lineEdit().setText(sub)  # a sub-division that fits, typed: both saved together
    box.subdivision.lineEdit().editingFinished.emit()
    assert (panel.finding.coverage_code, panel.finding.subdivision_code) == (coverage, sub)
    assert box.subdivision.currentText() == window.names.subdivision(sub) and box.notes["tags"].isHidden()
    box.grade.setCurrentIndex(box.grade.findData(grade))  # without a reason: refused, the reason asked for
    assert "必须说明原因" in box.notes["grade"].text() and panel.finding.grade_now == before.grade_now
    _type(box.reason, "复核图纸后更正等级")
    box.serious.setCurrentIndex(box.serious.findData("yes"))
    assert "理由" in box.notes["serious"].text() and not panel.finding.is_serious
    _type(box.serious_reason, "渗漏涉及下层住户，按严重缺陷跟踪")
    assert _no_message_box()

    now = findings.get_finding(window.ctx.db, before.id)
    assert (now.description, now.location, now.floor, now.deadline) == (
        "卫生间墙根渗水，返潮高度 300mm", "1201户卫生间", "12F", date(2026, 12, 31))
    assert (now.building, now.responsible_party, now.coverage_code, now.division_code) == (
        other, party, coverage, sub[:2])
    assert (now.grade_found, now.grade_now, now.is_serious) == (grade, grade, True)
    assert now.serious_reason == "渗漏涉及下层住户，按严重缺陷跟踪"
    assert window.model.finding(window.model.row_of(before.id)).building == other  # the table row follows
    assert "严重缺陷" in window.undo_action.text()  # the menu says what Ctrl+Z undoes

    steps = 0
    while window.undo_stack.can_undo():
        window.undo()
        steps += 1
    assert steps == 9  # one per saved change
    back = findings.get_finding(window.ctx.db, before.id)
    assert {k: getattr(back, k) for k in STORED} == {k: getattr(before, k) for k in STORED}
    assert panel.inputs["description"].toPlainText() == before.description
    assert box.value("building") == before.building and box.value("coverage") == before.coverage_code


def test_a_cleared_description_is_refused_in_its_place_and_the_old_text_kept(window):
    f = _plain_open(window)
    _select(window, f.label)
    panel = window.panel
    _type(panel.inputs["description"], "   ")
    note = panel.notes["description"]
    assert not note.isHidden() and "问题描述" in note.text() and "必填" in note.text()
    assert panel.inputs["description"].toPlainText() == f.description  # the old value is back
    assert findings.get_finding(window.ctx.db, f.id).description == f.description
    assert _no_message_box() and not window.undo_stack.can_undo()
    _type(panel.inputs["location"], "2#楼北侧")  # the next save clears the message
    assert note.isHidden()


def test_ctrl_z_after_a_reply_does_not_undo_the_edit_before_it(window, qtbot):
    f = _plain_open(window)
    _select(window, f.label)
    _type(window.panel.inputs["location"], "⑦轴东侧外墙")
    assert window.undo_action.isEnabled()
    dialog = window.open_action("reply")
    dialog.fields["text"].setPlainText("已凿除重做")
    dialog.accept()
    assert window.panel.finding.status == "replied"
    assert not window.undo_action.isEnabled()
    assert "不能撤销" in window.undo_action.text() and f"整改回复 {f.label}" in window.undo_action.text()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert findings.get_finding(window.ctx.db, f.id).location == "⑦轴东侧外墙"  # the older edit stays
    _type(window.panel.inputs["floor"], "3F")  # an edit after the reply is undone as usual
    window.undo()
    assert findings.get_finding(window.ctx.db, f.id).floor == f.floor
    assert "不能撤销" in window.undo_action.text()


def test_reopening_asks_for_a_new_deadline(window):
    f = _plain_open(window)
    _select(window, f.label)
    dialog = window.open_action("close")
    dialog.fields["reason"].setPlainText("经设计单位书面确认不构成缺陷")
    dialog.accept()
    assert window.panel.finding.status == "closed"
    dialog = window.open_action("reopen")
    due = dialog.fields["deadline"]
    days = window.ruleset.grades[f.grade_now].deadline_days
    assert due.text() == (date.today() + timedelta(days=days)).isoformat()  # offered: today plus the grade's days
    dialog.fields["reason"].setPlainText("雨后复现渗漏")
    due.setText("")
    dialog.accept()
    assert "新的整改期限" in dialog.error.text() and dialog.isVisible()
    due.setText((date.today() - timedelta(days=2)).isoformat())
    dialog.accept()
    assert "早于今天" in dialog.error.text() and window.panel.finding.status == "closed"
    new = date.today() + timedelta(days=5)
    due.setText(new.isoformat())
    dialog.accept()
    assert not dialog.isVisible()
    assert (window.panel.finding.status, window.panel.finding.deadline) == ("open", new)


def test_a_new_finding_on_a_waterproofing_visit_starts_with_its_tags(window):
    dialog = window.open_visit_dialog()
    nodes = dialog.fields["nodes"]
    for i in range(nodes.count()):
        item = nodes.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) == "N03"
                           else Qt.CheckState.Unchecked)
    people = dialog.fields["inspectors"]
    people.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    assert not dialog.isVisible(), dialog.error.text()
    editor = window.open_editor()
    expected = node_defaults(window.ruleset, ["N03"])  # from the rule set's node template
    assert (expected.division, expected.subdivision, expected.coverage) == ("01", "0107", "WPI-2")
    assert editor.subdivision.currentData() == "0107" and editor.coverage.currentData() == "WPI-2"
    assert editor._fields()["division"] == "01"
    editor.visit.setCurrentIndex(1)  # an earlier visit: its own nodes' tags
    earlier = editor.visit_defaults.get(editor.visit.currentData())
    if earlier is not None:
        assert editor.coverage.currentData() == earlier.coverage
    editor.description.insert("x")
    editor.description.clear()
    editor.close()


def test_a_typed_code_shows_its_name_as_typed(window, qtbot):
    editor = window.open_editor()
    line = editor.subdivision.lineEdit()
    line.clear()
    qtbot.keyClicks(line, "0107")
    hint = editor.hints[editor.subdivision]
    assert hint.text() == window.names.subdivision("0107") and "地下防水" in hint.text()
    line.editingFinished.emit()  # Tab: the picker itself shows the name
    assert editor.subdivision.currentText() == "0107 地下防水" and editor._picked(editor.subdivision) == "0107"
    cover = editor.coverage.lineEdit()
    cover.clear()
    qtbot.keyClicks(cover, "wpi-2")
    assert editor.hints[editor.coverage].text().startswith("WPI-2 ")
    cover.clear()
    qtbot.keyClicks(cover, "9999")
    assert editor.hints[editor.coverage].text() == "无此代码"
    editor.close()
