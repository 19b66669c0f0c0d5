"""The window on a site laptop: it fits 1280x720 (1366x768, or 1920x1080 at 150 %) in Chinese
and in English, every button of the window and of each dialog can be reached, dialogs keep
OK/Cancel on screen, and messages show in the banner above the view."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QPoint, QRect, QSize, Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QScrollArea,
    QToolButton,
    QWidget,
)

from inspector_app.services import photos, visits  # noqa: E402
from inspector_app.ui.workspace import REPORT_TAB, SYNC_TAB  # noqa: E402

LAPTOP = QSize(1280, 720)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window_actor():
    return "李敏"  # an inspector of the demo's agency: reports can be prepared and sent for review


def fits(size: QSize, bound: QSize = LAPTOP) -> bool:
    return size.width() <= bound.width() and size.height() <= bound.height()


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def scroll_area_of(widget: QWidget, top: QWidget) -> QScrollArea | None:
    """The nearest scroll area (below ``top``) whose content holds ``widget``."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QScrollArea) and parent.widget() is not None and parent.widget().isAncestorOf(widget):
            return parent
        parent = parent.parentWidget()
    return None


def shown_buttons(top: QWidget) -> list[QAbstractButton]:
    buttons = [*top.findChildren(QPushButton), *top.findChildren(QToolButton)]
    return [b for b in buttons if b.isVisible()]


def assert_reachable(top: QWidget, button: QAbstractButton) -> None:
    """Inside ``top``: where it is, or in a scroll area's viewport (itself inside ``top``) once scrolled to."""
    name = f"{type(button).__name__} {button.text()!r} of {type(top).__name__}"
    area = scroll_area_of(button, top)
    while area is not None:
        area.ensureWidgetVisible(button, 0, 0)
        settle()
        assert area.viewport().rect().contains(rect_in(button, area.viewport())), f"{name}: not reached by scrolling"
        button_host = area
        area = scroll_area_of(button_host, top)
        if area is None:
            assert top.rect().contains(rect_in(button_host.viewport(), top)), f"{name}: its scroll area is cut"
            return
        button = button_host  # type: ignore[assignment]  # an area inside another: reach the inner one
    assert top.rect().contains(rect_in(button, top)), f"{name} at {rect_in(button, top)} outside {top.rect()}"


def assert_all_reachable(top: QWidget, at_least: int) -> list[QAbstractButton]:
    buttons = shown_buttons(top)
    assert len(buttons) >= at_least, [b.text() for b in buttons]
    for b in buttons:
        assert_reachable(top, b)
    return buttons


def _select(window, label: str) -> None:
    window.tabs.setCurrentIndex(1)
    window.filters.select("", None)
    rows = [window.model.finding(r).label for r in range(window.model.rowCount())]
    window.table.selectRow(rows.index(label))
    settle()


def _build_every_tab(window) -> None:
    for index in range(window.tabs.count()):
        window.ensure_tab(index)
    window.tabs.setCurrentIndex(0)
    settle()


# -- the main window ----------------------------------------------------------------------------------
def test_the_window_fits_1280x720_in_chinese_and_in_english(window, qapp):
    from inspector_app.ui.i18n import install_language
    from inspector_app.ui.main_window import MainWindow
    from inspector_app.ui.tasks import SyncTaskRunner

    _build_every_tab(window)  # the heavier tabs count once built
    assert fits(window.minimumSizeHint()), window.minimumSizeHint()
    assert install_language(qapp, "en")
    try:
        english = MainWindow(window.ctx, runner=SyncTaskRunner())
        english.show()
        _build_every_tab(english)
        _select(english, "F049")
        assert english.tabs.tabText(1) == "Findings"
        assert fits(english.minimumSizeHint()), english.minimumSizeHint()
        english.resize(1280, 720)
        settle()
        assert fits(english.size()), english.size()
        assert english.panel.buttons["close"] in assert_all_reachable(english, 10)
        english.close()
    finally:
        install_language(qapp, "zh_CN")


def test_at_1366x768_every_button_of_each_tab_is_inside_the_window_or_scrolled_to(window):
    window.resize(1366, 768)
    settle()
    assert fits(window.geometry().size(), QSize(1366, 768)), window.geometry()
    dashboard = assert_all_reachable(window, 8)
    assert any(scroll_area_of(b, window) is not None for b in dashboard)  # the dashboard's own buttons scroll
    _select(window, next(f.label for f in window.rows if f.status == "open"))
    shown = assert_all_reachable(window, 12)
    panel = window.panel
    assert {panel.buttons["close"], panel.buttons["reopen"], panel.markup, panel.locate} <= set(shown)
    assert scroll_area_of(panel.strip, window) is panel.body  # in the panel's scrolled middle
    assert panel.body.widget().height() > panel.body.viewport().height()  # not vacuous: the middle does scroll
    sync = window.ensure_tab(SYNC_TAB)
    settle()
    assert {sync.now, sync.token} <= set(assert_all_reachable(window, 6))
    window.ensure_tab(REPORT_TAB)
    settle()
    assert_all_reachable(window, 12)


def _panel_buttons_in_view(window) -> None:
    """At 1366x768, a finding shown: its title and its buttons on screen, none of them to be scrolled to;
    the panel's middle scrolls, and scrolled to, a whole row of photos shows."""
    window.resize(1366, 768)
    _select(window, next(f.label for f in window.rows if f.status == "open" and f.photos))
    panel = window.panel
    assert window.tabs.currentIndex() == 1 and panel.finding is not None
    buttons = [b for b in (*panel.buttons.values(), panel.pick, panel.markup, panel.compare, panel.locate)
               if b.isVisible()]
    assert {panel.buttons["close"], panel.buttons["reply"], panel.pick, panel.markup, panel.locate} <= set(buttons)
    for widget in (panel.title, *buttons):
        name = widget.text() if isinstance(widget, QAbstractButton) else "title"
        assert widget.isVisible() and not widget.visibleRegion().isEmpty(), name
        assert scroll_area_of(widget, window) is None, name  # never behind a scroll
        assert window.rect().contains(rect_in(widget, window)), (name, rect_in(widget, window), window.rect())
    body = panel.body
    assert scroll_area_of(panel.strip, window) is body and scroll_area_of(panel.fields_box, window) is body
    assert body.widget().height() > body.viewport().height()  # the middle does scroll: the test is not vacuous
    assert window.rect().contains(rect_in(body.viewport(), window))
    body.ensureWidgetVisible(panel.strip, 0, 0)
    settle()
    row = panel.strip.gridSize().height()
    assert panel.strip.height() >= row  # at least one whole row of photos...
    assert body.viewport().rect().contains(rect_in(panel.strip, body.viewport()))  # ...all of it in view


def test_at_1366x768_the_panels_title_and_buttons_stay_in_view_in_chinese_and_in_english(window, qapp):
    from inspector_app.ui.i18n import install_language
    from inspector_app.ui.main_window import MainWindow
    from inspector_app.ui.tasks import SyncTaskRunner

    _panel_buttons_in_view(window)
    assert window.panel.buttons["close"].text() == "关闭…"
    assert install_language(qapp, "en")
    try:
        english = MainWindow(window.ctx, runner=SyncTaskRunner())
        english.show()
        _panel_buttons_in_view(english)
        assert english.panel.buttons["close"].text() == "Close…"
        english.close()
    finally:
        install_language(qapp, "zh_CN")


def test_the_project_list_folds_away_and_the_filter_bar_wraps(window):
    window.resize(1280, 720)
    window.tabs.setCurrentIndex(1)
    settle()
    bar = window.filters
    assert bar.building.y() > bar.text.y() or bar.coverage.y() > bar.text.y()  # wrapped onto more rows
    assert bar.geometry().width() < bar.sizeHint().width()
    assert all(bar.rect().contains(rect_in(w, bar)) for w in (bar.text, bar.serious, bar.count, bar.coverage))
    window.split.setSizes([0, 1280])
    settle()
    assert window.split.sizes()[0] == 0 and window.projects.visibleRegion().isEmpty()


# -- dialogs -------------------------------------------------------------------------------------------
def _camera_card(window, folder: Path) -> list[str]:
    visit = max(visits.list_visits(window.ctx.db, window.project_id), key=lambda v: v.started_at)
    folder.mkdir()
    for i, offset in enumerate((0, 30)):
        exif = Image.Exif()
        exif[0x8769] = {0x9003: (visit.started_at + timedelta(minutes=5, seconds=offset)).strftime("%Y:%m:%d %H:%M:%S")}
        Image.new("RGB", (320, 240), (60 * i, 90, 120)).save(folder / f"IMG_{i:04d}.JPG", "JPEG", exif=exif)
    return [str(folder)]


def _dialogs(window, tmp_path: Path):
    """Each dialog class the window opens, opened the way the window opens it."""
    from inspector_app.ui import plan_actions
    from inspector_app.ui.conflict_dialog import ConflictDialog

    yield window.open_visit_dialog()
    yield window.open_editor()
    yield window.open_checklist()
    yield window.open_document_reviews()
    yield window.open_settings()
    node = next(n for n in window.detail.nodes if n.status == "planned")
    yield plan_actions.open_node_action(window, "waive", node)
    _select(window, next(f.label for f in window.rows if f.status == "open"))
    yield window.open_action("close")
    yield ConflictDialog(window.ctx, [], window)
    marked = next(f for f in window.rows if any(p.markup for p in photos.list_photos(window.ctx.db, finding_id=f.id)))
    _select(window, marked.label)
    yield window.open_markup(next(p for p in window.panel.strip_model.photos if p.markup).id)
    fixed = next(f for f in window.rows if f.status == "verified" and f.photos >= 2)
    _select(window, fixed.label)
    yield window.open_compare()
    window.import_visit_photos(_camera_card(window, tmp_path / "DCIM"))
    yield window.dialog
    centre = window.ensure_tab(REPORT_TAB)
    centre.visit.setCurrentIndex(centre.visit.count() - 1)
    centre.submit("process")
    chain = centre.chain
    chain.table.selectRow(0)
    yield chain.open_step(chain.drafts[0], "review")
    yield window.new_project_dialog()  # ui/project_dialogs.py
    yield window.delete_project_dialog()


def test_every_dialog_fits_1280x720_and_keeps_its_buttons_in_view(window, tmp_path):
    from inspector_app.ui.fit import available

    seen = set()
    for dialog in _dialogs(window, tmp_path):
        assert isinstance(dialog, QDialog), dialog
        dialog.show()
        settle()
        name = type(dialog).__name__
        seen.add(name)
        assert fits(dialog.minimumSizeHint()) and fits(dialog.minimumSize()), (name, dialog.minimumSizeHint())
        cap = LAPTOP.boundedTo(available(dialog).size())
        dialog.resize(dialog.size().boundedTo(cap))
        settle()
        assert fits(dialog.size(), cap), (name, dialog.size(), cap)
        box = dialog.findChild(QDialogButtonBox)
        if box is not None:  # OK/Cancel: on view without scrolling, below the scrolled content
            assert box.isVisible() and scroll_area_of(box, dialog) is None, name
            assert dialog.rect().contains(rect_in(box, dialog)), (name, rect_in(box, dialog), dialog.rect())
        error = getattr(dialog, "error", None)
        if error is not None:  # where a refusal is said: in view, not at the end of the scrolled form
            assert scroll_area_of(error, dialog) is None, name
        assert_all_reachable(dialog, 0 if name == "CompareDialog" else 1)  # compare: closed by the window's ×
        dialog.done(0)
    assert seen >= {"ActionDialog", "FindingEditor", "ChecklistDialog", "DocumentReviewDialog", "SettingsDialog",
                    "ConflictDialog", "MarkupDialog", "CompareDialog", "PhotoMatchDialog", "StepDialog"}


def test_a_dialog_larger_than_the_screen_scrolls_its_content_and_keeps_ok_cancel():
    from PySide6.QtWidgets import QLabel, QVBoxLayout

    from inspector_app.ui.action_dialog import ok_cancel
    from inspector_app.ui.fit import fit_dialog, room

    dialog = QDialog()
    col = QVBoxLayout(dialog)
    for i in range(80):
        col.addWidget(QLabel(f"第 {i} 行"))
    buttons = ok_cancel(dialog, "确定")
    col.addWidget(buttons)
    assert dialog.minimumSizeHint().height() > room(dialog).height()  # as it was: OK below the screen
    scroll = fit_dialog(dialog)
    dialog.show()
    settle()
    assert fits(dialog.size(), room(dialog)) and dialog.minimumSizeHint().height() < room(dialog).height()
    assert scroll.widget().height() > scroll.viewport().height()  # the rows scroll
    assert buttons.parentWidget() is dialog and dialog.rect().contains(rect_in(buttons, dialog))
    dialog.close()


# -- messages ------------------------------------------------------------------------------------------
def test_ctrl_n_without_a_visit_says_so_in_the_banner(qtbot, ctx, project):
    from inspector_app.ui.main_window import MainWindow
    from inspector_app.ui.tasks import SyncTaskRunner

    window = MainWindow(ctx, runner=SyncTaskRunner())
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    assert window.project_id == project.id and not window.visits
    assert not window.banner.isVisible()
    qtbot.keyClick(window.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    if window.editor is None and not window.banner.isVisible():  # no active window on this platform
        window.new_finding.trigger()
    assert window.editor is None
    assert window.banner.isVisible() and window.banner.level == "warning"
    assert window.banner.text.text() == "请先开始一次巡查，再记录问题" == window.last_message
    assert window.statusBar().currentMessage() == window.last_message
    assert window.rect().contains(rect_in(window.banner, window))
    assert window.banner.mapTo(window, QPoint(0, 0)).y() < window.tabs.mapTo(window, QPoint(0, 0)).y()  # above the view
    window.banner.close_button.click()
    assert not window.banner.isVisible()


def test_a_refusal_shows_in_the_banner_as_an_error(window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "open", lambda self: None)  # the window also opens a box: not here
    monkeypatch.delenv("IDI_INSPECTOR_SYNC_TOKEN", raising=False)
    view = window.ensure_tab(SYNC_TAB)
    view.server.setText("https://platform.example.com")
    view.server.editingFinished.emit()
    window.banner.hide()
    view.sync_now()  # no token saved (and no keyring here): refused, nothing sent
    assert window.last_message and window.banner.isVisible() and window.banner.level == "error"
    assert window.banner.text.text() == window.last_message == window.statusBar().currentMessage()
    assert not window.banner.timer.isActive()  # an error stays until it is closed or replaced


# -- 1920x1080 at 150 % ----------------------------------------------------------------------------------
SCALED = r"""
import json, sys
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from inspector_app.app import open_app
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.tasks import SyncTaskRunner

app = QApplication([])
ctx = open_app(sys.argv[1])
window = MainWindow(ctx, runner=SyncTaskRunner())
window.show()
for index in range(window.tabs.count()):
    window.ensure_tab(index)
window.tabs.setCurrentIndex(1)
app.processEvents()
screen = app.primaryScreen()

def box(rect):
    return [rect.x(), rect.y(), rect.width(), rect.height()]

out = {"dpr": screen.devicePixelRatio(), "physical": [screen.geometry().width() * screen.devicePixelRatio(),
       screen.geometry().height() * screen.devicePixelRatio()],
       "screen": box(screen.availableGeometry()), "minimum": [window.minimumSizeHint().width(),
       window.minimumSizeHint().height()], "window": box(window.frameGeometry()), "dialogs": {}}
dialog = window.open_visit_dialog()
marked = next(f for f in window.rows if f.photos)
window.show_finding_tab(marked.id)
markup = window.open_markup(window.panel.strip_model.photos[0].id)
for name, d in (("visit", dialog), ("markup", markup)):
    app.processEvents()
    buttons = [b for b in d.findChildren(QDialogButtonBox)]
    ok = buttons[0].buttons()[0] if buttons else None
    out["dialogs"][name] = {"frame": box(d.frameGeometry()),
                            "ok": box(QRect(ok.mapToGlobal(QPoint(0, 0)), ok.size())) if ok else None}
print(json.dumps(out))
ctx.close()
"""


def test_at_150_percent_on_1920x1080_the_window_and_its_dialogs_fit_the_screen(demo_dir, tmp_path):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1920, "height": 1080,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": "1.5",
           "PYTHONPATH": str(ROOT)}
    env.pop("DISPLAY", None)
    run = subprocess.run([sys.executable, "-c", SCALED, str(demo_dir)], capture_output=True, text=True, env=env,
                         timeout=240, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["dpr"] == 1.5 and out["physical"] == [1920, 1080]
    screen = QRect(*out["screen"])
    assert screen.size() == LAPTOP  # 1920x1080 at 150 % is 1280x720 logical pixels
    assert fits(QSize(*out["minimum"]), screen.size()), out
    assert screen.contains(QRect(*out["window"])), out
    for name, d in out["dialogs"].items():
        assert screen.contains(QRect(*d["frame"])), (name, out)
        if d["ok"] is not None:
            assert screen.contains(QRect(*d["ok"])), (name, out)
    assert out["dialogs"]["visit"]["ok"] is not None
