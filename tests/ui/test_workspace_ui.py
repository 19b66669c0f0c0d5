"""The window's workflows beyond the table: dashboard, plan, in-place edits with undo,
markup, floor-plan pins, photo-time matching, settings, report centre."""

from datetime import date, datetime, timedelta

import pytest

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402

from inspector_app.services import findings, photos, plans, projects, visits  # noqa: E402
from inspector_app.settings import load_settings  # noqa: E402
from inspector_app.ui.workspace import FLOOR_TAB, PLAN_TAB  # noqa: E402


def _select(window, label):
    labels = [window.model.finding(r).label for r in range(window.model.rowCount())]
    window.table.selectRow(labels.index(label))


def test_dashboard_counts_and_a_bar_click_filters_the_table(window):
    d = window.dashboard
    total = window.model.total()
    assert d.kpi["total"].text() == str(total)
    grade_bars = d.charts["grade"].bars
    assert sum(b[2] for b in grade_bars) == total
    assert sum(b[2] for b in d.charts["building"].bars) == total
    key, _label, count, _color = next(b for b in grade_bars if b[2])
    d.charts["grade"].bar_clicked.emit(key)
    assert window.tabs.currentIndex() == 1 and window.model.rowCount() == count
    assert d.blocking.count() >= 1
    d.blocking.itemClicked.emit(d.blocking.item(0))
    assert window.panel.finding is not None and window.panel.finding.is_serious


def test_plan_dates_are_edited_in_place_and_a_wrong_date_is_refused(window, monkeypatch):
    errors = []
    monkeypatch.setattr(window, "_error", errors.append)
    view = window.ensure_tab(PLAN_TAB)
    view.on_error = errors.append
    assert view.table.rowCount() == len(window.detail.nodes)
    row = next(i for i, n in enumerate(window.detail.nodes) if n.status == "planned")
    view.table.item(row, 2).setText("2027-03-15")
    assert window.detail.nodes[row].planned_date == date(2027, 3, 15)
    view.table.item(row, 2).setText("2027-02-30")
    assert errors and "不是日期" in errors[-1].message
    assert view.table.item(row, 2).text() == "2027-03-15"


def test_edits_save_at_once_and_undo_redo(window):
    _select(window, next(f.label for f in window.rows if f.status == "open"))
    panel = window.panel
    fid = panel.finding.id
    before = panel.finding.location
    panel.inputs["location"].setText("⑦轴东侧外墙")
    panel.inputs["location"].editingFinished.emit()
    assert findings.get_finding(window.ctx.db, fid).location == "⑦轴东侧外墙"
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert findings.get_finding(window.ctx.db, fid).location == before
    assert panel.inputs["location"].text() == (before or "")
    window.redo_action.trigger()
    assert findings.get_finding(window.ctx.db, fid).location == "⑦轴东侧外墙"
    panel.inputs["deadline"].setText("2020-01-01")  # before it was found: refused, field restored
    panel.inputs["deadline"].editingFinished.emit()
    assert "早于" in window.last_message


def test_mark_up_a_photo_and_compare_before_after(window, qtbot):
    _select(window, "F001")
    photo = window.panel.strip_model.photos[0]
    already = list(photo.markup)  # the demo marks up a few photos
    original = window.ctx.store.original_path(photo.sha256).read_bytes()
    dialog = window.open_markup(photo.id)
    dialog.tool_buttons["rect"].click()
    view = dialog.view.viewport()
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(200, 150))
    qtbot.mouseMove(view, QPoint(320, 260))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(320, 260))
    dialog.tool_buttons["arrow"].click()
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(420, 100))
    qtbot.mouseMove(view, QPoint(330, 200))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(330, 200))
    stored = photos.list_photos(window.ctx.db, finding_id=photo.finding_id)[0].markup
    assert [s["kind"] for s in stored] == [s["kind"] for s in already] + ["rect", "arrow"]
    assert all(0 <= v <= 1 for s in stored for pt in s["points"] for v in pt)
    dialog.undo()
    assert len(photos.list_photos(window.ctx.db, finding_id=photo.finding_id)[0].markup) == len(already) + 1
    assert window.ctx.store.original_path(photo.sha256).read_bytes() == original
    dialog.accept()
    compare = window.open_compare()
    assert len(compare.sides) == 2


def test_pin_a_finding_on_an_imported_floor_plan(window, tmp_path):
    _select(window, next(f.label for f in window.rows if f.status == "open"))
    finding = window.panel.finding
    drawing = tmp_path / "plan.pdf"
    Image.new("RGB", (1190, 842), "white").save(drawing, "PDF", resolution=72)
    view = window.ensure_tab(FLOOR_TAB)
    dialog = view.ask_import(str(drawing))
    dialog.fields["building"].setCurrentIndex(dialog.fields["building"].findData(finding.building))
    dialog.fields["floor"].setText(finding.floor or "1F")
    dialog.accept()
    plan = view.current_plan()
    assert plan is not None and plan.building == finding.building
    view.start_placing()
    view.canvas.place_requested.emit(plan.width * 0.25, plan.height * 0.5)
    [pin] = plans.pins(window.ctx.db, plan.id)
    assert pin.label == finding.label and pin.x == pytest.approx(plan.width * 0.25, abs=0.01)
    window.tabs.setCurrentIndex(0)
    view.canvas.pin_clicked.emit(pin.finding_id)
    assert window.tabs.currentIndex() == 1 and window.panel.finding.id == finding.id


def test_camera_card_photos_matched_to_findings_by_time(window, tmp_path):
    visit = max(visits.list_visits(window.ctx.db, window.project_id), key=lambda v: v.started_at)
    t0 = visit.started_at + timedelta(minutes=5)
    card = tmp_path / "DCIM"
    card.mkdir()
    files = []
    for i, offset in enumerate((0, 20, 40, 600, 615)):
        exif = Image.Exif()
        exif[0x8769] = {0x9003: (t0 + timedelta(seconds=offset)).strftime("%Y:%m:%d %H:%M:%S")}
        path = card / f"IMG_{i:04d}.JPG"
        Image.new("RGB", (640, 480), (40 * i, 90, 120)).save(path, "JPEG", exif=exif)
        files.append(path)
    window.import_visit_photos([str(card)])
    dialog = window.dialog
    assert dialog.table.rowCount() == 2
    dialog.accept()
    assert dialog.assigned == sum(len(b.photos) for b, c in zip(dialog.proposal.bursts, dialog.combos, strict=True)
                                  if c.currentData() is not None)


def test_settings_profile_and_language_are_saved(window):
    dialog = window.open_settings()
    dialog.name.setCurrentIndex(dialog.name.findData("李敏"))  # chosen from the agency's staff
    assert dialog.certificate.text() == "TIS-BJ-2020-0342" and "李敏（检查员" in dialog.name.currentText()
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.accept()
    s = load_settings(window.ctx.paths.data_dir)
    assert (s.inspector_name, s.language) == ("李敏", "en")
    assert window.ctx.db.actor == "李敏"


def test_english_translation_loads(qapp):
    from inspector_app.ui.i18n import install_language, tr

    assert install_language(qapp, "en")
    try:
        assert tr("开始巡查") == "Start visit"
        assert tr("问题清单") == "Findings"
    finally:
        install_language(qapp, "zh_CN")
    assert tr("开始巡查") == "开始巡查"


def test_first_visit_to_the_window_starts_with_the_dashboard(window):
    assert window.tabs.currentIndex() == 0
    assert window.plan_view is None and window.floor_plans is None  # built when first shown
    assert datetime.now()  # the window is up without building the heavier tabs


def test_every_ui_string_has_an_english_translation():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    run = subprocess.run([sys.executable, str(root / "scripts" / "update_translations.py"), "--check"],
                         capture_output=True, text=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert run.returncode == 0, run.stdout + run.stderr


def test_sync_tab_lists_the_outbox_item_by_item_and_says_why_it_cannot_send(window, monkeypatch):
    from inspector_app.services import issuing
    from inspector_app.ui.workspace import SYNC_TAB

    monkeypatch.delenv("IDI_INSPECTOR_SYNC_TOKEN", raising=False)
    with window.ctx.db.write() as s:  # the demo is never queued: its content as an ordinary project
        projects.resolve_project(s, window.project_id).is_demo = False
    latest = max(visits.list_visits(window.ctx.db, window.project_id), key=lambda v: v.started_at)
    issuing.issue_report(window.ctx, "notice", window.project_id, visit_id=latest.id)
    errors = []
    monkeypatch.setattr(window, "_error", errors.append)
    view = window.ensure_tab(SYNC_TAB)
    view.on_error = errors.append
    assert view.table.rowCount() == 1 and "整改通知单" in view.table.item(0, 0).text()
    assert view.table.item(0, 1).text() == "待发送"
    view.server.setText("http://insecure.example.com")
    view.server.editingFinished.emit()
    assert errors and "https://" in errors[-1].message
    view.server.setText("https://platform.example.com")
    view.server.editingFinished.emit()
    assert load_settings(window.paths.data_dir).sync_server == "https://platform.example.com"
    view.sync_now()  # no token saved (and no keyring in CI): a clear message, nothing sent
    assert errors and ("令牌" in errors[-1].message or "密钥库" in errors[-1].message)
    assert view.table.item(0, 1).text() == "待发送"


def test_sync_tab_shows_team_changes_the_platform_refused_as_a_failed_item(window):
    """Issue 15: a project's team changes refused for good are an outbox row like a refused report:
    failed, the platform's reason, until the button sends them again."""
    from inspector_app import messages
    from inspector_app.services import outbox
    from inspector_app.ui.workspace import SYNC_TAB

    error = messages.text("sync.team_refused_for_good", {"status": 422, "error": "invalid_change",
                                                        "detail": "changes.0.values.description: too long"})
    outbox.mark_team_refused(window.ctx.db, window.project_id, {
        "device": "laptop-1", "first_seq": 12, "last_seq": 40, "changes": ["a" * 64, "b" * 64],
        "status": 422, "error": "invalid_change", "detail": "changes.0.values.description: too long"}, error)
    view = window.ensure_tab(SYNC_TAB)
    view.refresh()
    cells = [view.table.item(0, c).text() for c in range(view.table.columnCount())]
    assert cells[0].startswith("团队变更：项目 ") and "2 条" in cells[0] and "12–40" in cells[0], cells
    assert cells[1] == "失败" and "422 invalid_change" in cells[-1] and "不再自动发送" in cells[-1], cells
    assert outbox.team_refusal(window.ctx.db, window.project_id) == error
    assert outbox.requeue_refused(window.ctx.db, window.project_id) == 1  # the button's first step
    assert outbox.team_refusal(window.ctx.db, window.project_id) is None
    view.refresh()
    assert view.table.item(0, 1).text() == "待发送"
