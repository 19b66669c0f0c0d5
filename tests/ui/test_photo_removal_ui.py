"""Removing a photo in the window (issue 15): the strip's context menu (or the Delete key) asks,
naming the photo and saying the removal is audited and cannot be undone; the removal runs on the
writer lane, the strip, the row and the undo menu follow; a photo an issued report shows is refused
in the banner and stays; a photo viewer on a removed photo says so instead of failing."""

import json

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402
from sqlalchemy import select  # noqa: E402

from inspector_app.models import AuditEntry, IssuedReport  # noqa: E402
from inspector_app.services import integrity, issuing, photos  # noqa: E402


@pytest.fixture
def window_actor():
    return "李敏"  # an inspector of the demo's agency: she may issue a notice


def _finding_with_two_photos(window) -> int:
    """An open finding of the demo whose two photos no report shows."""
    return next(f.id for f in window.rows if f.status == "open" and f.photos >= 2)


def _menu_remove(window, row: int = 0):
    """移除照片… from the strip's context menu over photo ``row``; the question it opens."""
    strip = window.panel.strip
    strip.customContextMenuRequested.emit(strip.visualRect(strip.model().index(row)).center())
    menu = strip.menu
    assert menu is not None
    [entry] = [a for a in menu.actions() if a.text() == "移除照片…"]
    menu.close()
    entry.trigger()
    box = window.dialog
    assert isinstance(box, QMessageBox)
    return box


def _audit_deletes(window, photo_id: int) -> list[tuple[str | None, dict]]:
    """The audit log's deletions of photo ``photo_id``: (actor, the row as it was)."""
    with window.ctx.db.read() as s:
        rows = s.execute(select(AuditEntry).where(AuditEntry.table_name == "photo", AuditEntry.row_id == photo_id,
                                                  AuditEntry.action == "delete")).scalars()
        return [(e.actor, json.loads(e.data)) for e in rows]


def test_a_photo_removed_through_the_context_menu_leaves_the_strip_and_the_undo_names_it(window):
    finding_id = _finding_with_two_photos(window)
    window.show_finding_tab(finding_id)
    strip_model = window.panel.strip_model
    shots = list(strip_model.photos)
    assert len(shots) >= 2
    gone, kept = shots[0], shots[1:]
    before = window.model.finding(window.model.row_of(finding_id)).photos

    box = _menu_remove(window)
    assert gone.original_name in box.text() and "审计日志" in box.text() and "撤销" in box.text()
    assert window.names.photo_roles[gone.role] in box.text()  # its role, by name
    assert gone.taken_at is not None and f"{gone.taken_at:%Y-%m-%d %H:%M}" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()

    assert [p.id for p in strip_model.photos] == [p.id for p in kept]
    assert [p.id for p in photos.list_photos(window.ctx.db, finding_id=finding_id)] == [p.id for p in kept]
    assert window.model.finding(window.model.row_of(finding_id)).photos == before - 1  # the row's count
    assert window.panel.finding is not None and window.panel.finding.photos == before - 1
    assert window.banner.isVisible() and window.banner.level == "info"
    assert gone.original_name in window.banner.text.text() and "审计日志" in window.banner.text.text()
    [(actor, row)] = _audit_deletes(window, gone.id)
    assert actor == "李敏" and row["original_name"] == gone.original_name
    assert integrity.verify(window.ctx.db, window.ctx.store).ok

    # Ctrl+Z names the removal instead of undoing an older edit behind it
    assert window.undo_action.text() == f"撤销（不能撤销：移除照片 {gone.original_name}）"
    assert not window.undo_action.isEnabled()
    window.undo()  # what Ctrl+Z would do, were it enabled: the core refuses, nothing comes back
    assert [p.id for p in photos.list_photos(window.ctx.db, finding_id=finding_id)] == [p.id for p in kept]


def test_cancel_in_the_question_removes_nothing_and_delete_asks_the_same(window, qtbot):
    finding_id = _finding_with_two_photos(window)
    window.show_finding_tab(finding_id)
    shots = list(window.panel.strip_model.photos)
    box = _menu_remove(window, 1)
    assert shots[1].original_name in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)  # Enter does not remove
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert [p.id for p in window.panel.strip_model.photos] == [p.id for p in shots]
    assert [p.id for p in photos.list_photos(window.ctx.db, finding_id=finding_id)] == [p.id for p in shots]
    assert _audit_deletes(window, shots[1].id) == []
    assert "移除照片" not in window.undo_action.text()

    strip = window.panel.strip
    strip.setCurrentIndex(strip.model().index(0))
    strip.setFocus()
    window.dialog = None
    qtbot.keyClick(strip, Qt.Key.Key_Delete)
    box = window.dialog
    assert isinstance(box, QMessageBox) and shots[0].original_name in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert len(photos.list_photos(window.ctx.db, finding_id=finding_id)) == len(shots)


def test_a_photo_an_issued_notice_shows_is_refused_in_the_banner_and_stays(window):
    info = issuing.issue_report(window.ctx, "notice", window.project_id, visit_id=1)
    with window.ctx.db.read() as s:
        snapshot = s.get(IssuedReport, info.id).snapshot
    cited = next((f.id, p) for f in window.rows if f.visit_id == 1
                 for p in photos.list_photos(window.ctx.db, finding_id=f.id) if p.sha256 in snapshot)
    finding_id, photo = cited
    window.show_finding_tab(finding_id)
    row = [p.id for p in window.panel.strip_model.photos].index(photo.id)
    undo_text = window.undo_action.text()

    _menu_remove(window, row).button(QMessageBox.StandardButton.Yes).click()

    said = window.banner.text.text()
    assert window.banner.isVisible() and window.banner.level == "warning"
    assert photo.original_name in said and info.number in said and "不能移除" in said  # the service's reason
    assert photo.id in [p.id for p in window.panel.strip_model.photos]
    assert photo.id in [p.id for p in photos.list_photos(window.ctx.db, finding_id=finding_id)]
    assert _audit_deletes(window, photo.id) == []
    assert window.undo_action.text() == undo_text  # nothing recorded
    assert integrity.verify(window.ctx.db, window.ctx.store).ok


def test_a_visit_photo_is_removed_from_the_matching_dialog(window):
    visit = min(window.visits, key=lambda v: v.number)
    [shot] = photos.list_photos(window.ctx.db, visit_id=visit.id)
    dialog = window.open_photo_matching(visit.id)
    assert dialog is not None and dialog.table.rowCount() == 1
    rows = dialog.table.rowCount()
    dialog.table.customContextMenuRequested.emit(dialog.table.visualItemRect(dialog.table.item(0, 0)).center())
    [entry] = [a for a in dialog.menu.actions() if a.text() == "移除照片…"]
    dialog.menu.close()
    entry.trigger()
    box = dialog.confirm
    assert isinstance(box, QMessageBox) and shot.original_name in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert photos.list_photos(window.ctx.db, visit_id=visit.id) == []
    assert dialog.table.rowCount() == rows - 1 and dialog.combos == [] and dialog.proposal.bursts == []
    assert len(_audit_deletes(window, shot.id)) == 1
    assert window.undo_action.text() == f"撤销（不能撤销：移除照片 {shot.original_name}）"
    assert integrity.verify(window.ctx.db, window.ctx.store).ok


def test_a_markup_viewer_on_a_removed_photo_says_so_instead_of_failing(window, monkeypatch):
    finding_id = _finding_with_two_photos(window)
    window.show_finding_tab(finding_id)
    shot = window.panel.strip_model.photos[0]
    errors = []
    monkeypatch.setattr(window, "_error", errors.append)
    dialog = window.open_markup(shot.id)
    assert dialog is not None and not dialog.view.missing
    photos.remove_photo(window.ctx.db, window.ctx.store, shot.id)  # e.g. the command line, meanwhile
    dialog.view.shape_finished.emit({"kind": "rect", "points": [[0.1, 0.1], [0.5, 0.5]], "color": "#E53935",
                                     "width": 0.006})
    assert errors and "照片" in str(errors[0])
    assert dialog.view.missing and not dialog.tool_buttons["rect"].isEnabled() and "已被移除" in dialog.note.text()
    dialog.done(0)
    assert window.open_markup(shot.id) is None  # a stale strip entry: refused, and the entry goes
    assert shot.id not in [p.id for p in window.panel.strip_model.photos]

