"""The English UI says nothing in Chinese but the project's own data (issue 14, "English complete").

Every screen is walked with the English translation installed: each tab of the main window over
the demo, a finding selected, and each dialog the window opens. Every visible text is collected
(window titles, labels, buttons, tabs, menus and their actions, tool tips, placeholders, combo
items, table headers and cells, list items, status-bar and message-box texts) and none may hold a
Chinese character or full-width punctuation once the project's data is taken out of it. The one
exception is the language picker, which names each language in its own words (简体中文).

Project data is what people typed, and it is taken from where it is stored, column by column
(``PROJECT_DATA``): names of the project, its parties, insurers, agency and people, addresses,
buildings (2#楼), floors, locations, descriptions and the other texts of a finding, replies,
re-check notes, the reasons given when closing or reopening, visit summaries, captions, document
names. Rule-set names (divisions, nodes, grades, statuses, roles) and every sentence the program
makes are *not* project data: they must come out in English. A data value shortened for display
(a description cut to 30 characters) counts as data when at least its first 8 characters match.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import (  # noqa: E402
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    Qt,
)
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from inspector_app.services import photos, review, team, visits  # noqa: E402
from inspector_app.services.finding_edits import edit_finding  # noqa: E402
from inspector_app.settings import LANGUAGES  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "inspector_en.ts"
QM = ROOT / "resources" / "i18n" / "inspector_en.qm"

# Chinese characters (CJK Ext. A, unified, compatibility) and full-width punctuation (、。「」【】（）：；，)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")

# Where people's own words are stored: (table, column, rows) — the rows a filter keeps, or all.
PROJECT_DATA: list[tuple[str, str, str]] = [
    ("project", "name", ""), ("project", "address", ""), ("project", "district", ""),
    ("project", "description", ""), ("project", "plan_confirmed_by", ""), ("project", "key_processes", ""),
    ("policy", "construction_permit_no", ""), ("policy_insurer", "name", ""),
    ("party", "name", ""), ("party", "contact_person", ""), ("project_party", "scope", ""),
    ("agency", "name", ""), ("agency", "address", ""), ("inspector", "name", ""),
    ("building", "name", ""), ("building", "structure_type", ""),
    ("visit", "weather", ""), ("visit", "summary", ""), ("visit_attendee", "person_name", ""),
    ("visit_attendee", "title", ""), ("visit_progress", "text", ""),
    ("plan_node", "waived_reason", ""), ("plan_node", "waived_by", ""),
    ("finding", "floor", ""), ("finding", "location", ""), ("finding", "description", ""),
    ("finding", "risk", ""), ("finding", "clause", ""), ("finding", "requirement", ""),
    ("finding", "tag_reason", ""), ("finding", "serious_reason", ""),
    ("rectification_reply", "text", ""), ("verification", "notes", ""),
    # the reason typed when closing or reopening a finding (the core's own reasons are not data)
    ("finding_event", "reason", "kind = 'status' AND (to_value = 'closed' OR from_value IN ('verified', 'closed'))"),
    ("photo", "caption", ""), ("floor_plan", "source_name", ""), ("checklist_result", "note", ""),
    ("document_review", "name", ""), ("document_review", "reference", ""), ("document_review", "note", ""),
    # both values of a sync conflict (what each laptop typed), kept as JSON
    ("sync_conflict", "value_a", ""), ("sync_conflict", "value_b", ""),
]
SHORTENED = 8  # a cut-down data value is recognised by at least this many leading characters


def project_data(database: Path) -> list[str]:
    """Every value people typed, longest first (a longer value is taken out before its parts)."""
    found: set[str] = set()
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        for table, column, rows in PROJECT_DATA:
            where = f" WHERE {rows}" if rows else ""
            for (value,) in db.execute(f"SELECT {column} FROM {table}{where}"):  # noqa: S608 (names above)
                if isinstance(value, str) and table == "sync_conflict":
                    value = json.loads(value)
                if isinstance(value, str) and value.strip():
                    found |= {value.strip(), *(line.strip() for line in value.splitlines() if line.strip())}
    found |= set(LANGUAGES.values())  # the language picker names each language in its own words
    return sorted(found, key=len, reverse=True)


def without_data(text: str, data: list[str]) -> str:
    """``text`` with every character that belongs to a project-data value (the whole value, or at
    least its first ``SHORTENED`` characters where it was cut for display) blanked out."""
    covered = [False] * len(text)
    for value in data:
        if not CJK.search(value):
            continue
        head = value if len(value) < SHORTENED else value[:SHORTENED]
        start = text.find(head)
        while start >= 0:
            end = start + len(head)
            while end < len(text) and end - start < len(value) and text[end] == value[end - start]:
                end += 1
            if end - start == len(value) or end - start >= SHORTENED:
                covered[start:end] = [True] * (end - start)
            start = text.find(head, start + 1)
    return "".join(" " if hidden else c for c, hidden in zip(text, covered, strict=True))


def _model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> Iterator[str]:
    parent = QModelIndex() if parent is None else parent
    flat = isinstance(model, (QAbstractListModel, QAbstractTableModel))  # no children (hasChildren is private)
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    rows = model.rowCount(parent)
    for r in range(rows):
        for c in range(columns):
            index = model.index(r, c, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                if isinstance(value, str):
                    yield value
            if c == 0 and not flat and model.hasChildren(index):
                yield from _model_texts(model, index)


def _actions(widget: QWidget) -> Iterator[str]:
    for action in widget.actions():
        yield action.text()
        yield action.toolTip()
        menu = action.menu()
        if isinstance(menu, QMenu):
            yield menu.title()
            yield from _actions(menu)


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(what, text) for every text ``root`` and its children show."""
    for w in [root, *root.findChildren(QWidget)]:
        kind = type(w).__name__
        yield kind, w.windowTitle()
        yield kind, w.toolTip()
        yield from ((kind, t) for t in _actions(w))
        if isinstance(w, QLabel):
            yield kind, w.text()
        elif isinstance(w, QAbstractButton):
            yield kind, w.text()
        elif isinstance(w, QLineEdit):
            yield kind, w.placeholderText()
            yield kind, w.text()
        elif isinstance(w, (QTextEdit, QPlainTextEdit)):
            yield kind, w.placeholderText()
            yield kind, w.toPlainText()
        elif isinstance(w, QComboBox):
            yield from ((kind, w.itemText(i)) for i in range(w.count()))
        elif isinstance(w, QGroupBox):
            yield kind, w.title()
        elif isinstance(w, QTabWidget):
            yield from ((kind, w.tabText(i)) for i in range(w.count()))
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            if not isinstance(model, QAbstractListModel):
                for c in range(model.columnCount()):
                    header = model.headerData(c, Qt.Orientation.Horizontal)
                    yield kind, header if isinstance(header, str) else ""
            yield from ((kind, t) for t in _model_texts(model))


def _around_chinese(text: str) -> str:
    """The Chinese left in a text, with a few characters around each run."""
    return " … ".join(text[max(0, m.start() - 12):m.end() + 12].strip()
                      for m in re.finditer(f"{CJK.pattern}+", text))


class Chinese:
    """Collects the Chinese left in the visible texts of each screen, after the project data."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.known: set[str] = set()  # every value seen: a window open before an edit shows the old one
        self.found: list[str] = []
        self.screens: list[str] = []

    def data(self) -> list[str]:
        """The project data as stored now (the screens before may have added some), and as it was."""
        self.known |= set(project_data(self.database))
        return sorted(self.known, key=len, reverse=True)

    def check(self, screen: str, root: QWidget | None) -> None:
        assert root is not None, f"{screen}: nothing opened"
        self.screens.append(screen)
        data = self.data()
        for kind, text in visible_texts(root):
            left = without_data(text, data)
            if CJK.search(left):
                self.found.append(f"{screen} · {kind}: {_around_chinese(left)!r} in {text[:100]!r}")

    def check_text(self, screen: str, text: str) -> None:
        self.screens.append(screen)
        left = without_data(text, self.data())
        if CJK.search(left):
            self.found.append(f"{screen}: {_around_chinese(left)!r} in {text[:100]!r}")


@pytest.fixture
def english(qapp):
    """The English translation compiled from the .ts as ``make`` does, installed for one test."""
    from inspector_app.ui.i18n import install_language

    if not QM.exists() or QM.stat().st_mtime < TS.stat().st_mtime:
        lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
        if lrelease is None:
            pytest.skip("pyside6-lrelease is not installed")
        subprocess.run([lrelease, "-silent", str(TS), "-qm", str(QM)], check=True)
    assert install_language(qapp, "en")
    yield
    install_language(qapp, "zh_CN")


@pytest.fixture
def english_window(english, qtbot, demo_dir):
    from inspector_app.app import open_app
    from inspector_app.ui.main_window import MainWindow
    from inspector_app.ui.tasks import SyncTaskRunner

    ctx = open_app(demo_dir, actor="李敏")  # an inspector of the demo's agency
    window = MainWindow(ctx, runner=SyncTaskRunner())
    qtbot.addWidget(window)
    window.show()
    yield window
    ctx.close()


def _select(window, label: str) -> None:
    window.tabs.setCurrentIndex(1)
    window.filters.select("", None)
    row = next(r for r in range(window.model.rowCount()) if window.model.finding(r).label == label)
    window.table.selectRow(row)
    assert window.panel.finding is not None and window.panel.finding.label == label


def _conflict_on(ctx, finding_id: int) -> None:
    """Another laptop changed the location offline, while this one did too (the demo is never
    synced: it is made an ordinary project for this)."""
    from sqlalchemy import text

    with ctx.db.write() as s:
        s.execute(text("UPDATE project SET is_demo = 0"))
        team.device(s)
    edit_finding(ctx.db, finding_id, location="东侧外墙")
    project = team.projects(ctx.db)[0][2]
    change = dict(team.collect_changes(ctx.db, project, limit=100_000).changes[-1])
    edit_finding(ctx.db, finding_id, location="北侧外墙")
    change["values"] = {**change["values"], "location": "西侧外墙"}
    change["device"] = "another-laptop.1"
    change["id"] = team.change_id(change)
    assert team.apply_changes(ctx.db, project, [change]).conflicts


def _camera_card(window, folder: Path) -> list[str]:
    from datetime import timedelta

    from PIL import Image

    visit = max(visits.list_visits(window.ctx.db, window.project_id), key=lambda v: v.started_at)
    folder.mkdir()
    for i, offset in enumerate((0, 30)):
        exif = Image.Exif()
        exif[0x8769] = {0x9003: (visit.started_at + timedelta(minutes=5, seconds=offset)).strftime("%Y:%m:%d %H:%M:%S")}
        Image.new("RGB", (320, 240), (60 * i, 90, 120)).save(folder / f"IMG_{i:04d}.JPG", "JPEG", exif=exif)
    return [str(folder)]


def test_the_scan_finds_chinese_left_in_a_text_and_passes_project_data():
    data = ["大兴区瀛海镇YZ00-0803地块住宅项目（瀛和府）", "2#楼", "底板 SBS 改性沥青防水卷材长边搭接宽度实测 60~70 mm"]
    assert not CJK.search(without_data("Project 大兴区瀛海镇YZ00-0803地块住宅项目（瀛和府） · 2#楼", data))
    assert not CJK.search(without_data("F007 C 底板 SBS 改性沥青防水卷材长边", data))  # cut for display
    assert CJK.search(without_data("2#楼 · 第 3 次巡查", data))
    assert CJK.search(without_data("Divisions: 01、02", data))  # full-width punctuation
    assert CJK.search(without_data("Status 待整改", data))  # a rule-set name is not project data


def test_every_screen_of_the_english_ui_is_in_english_but_the_project_data(english_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from inspector_app.ui import plan_actions
    from inspector_app.ui.conflict_dialog import ConflictDialog
    from inspector_app.ui.workspace import REPORT_TAB

    window = english_window
    ctx = window.ctx
    seen = Chinese(ctx.paths.database)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.No)

    # each tab of the main window over the demo, with a finding selected
    for i in range(window.tabs.count()):
        seen.check(f"tab {window.tabs.tabText(i)}", window.ensure_tab(i))
    _select(window, next(f.label for f in window.rows if f.status == "verified"))
    seen.check("finding panel (verified)", window)
    clashed = next(f for f in window.rows if f.status == "verified")
    _conflict_on(ctx, clashed.id)
    window._reload()
    _select(window, clashed.label)
    seen.check("finding panel with a sync conflict", window)
    dialog = ConflictDialog(ctx, team.conflicts_of_row(ctx.db, "finding", clashed.id), window)
    seen.check("conflict dialog", dialog)
    dialog.value.setText("")
    dialog._resolve("value")  # refused: an empty value, said in English
    seen.check("conflict dialog, refused", dialog)
    dialog.done(0)

    # rule-set names and the core's own words come from their codes, in English
    divisions = [window.filters.division.itemText(i) for i in range(window.filters.division.count())]
    assert "01 Ground and foundation" in divisions, divisions
    history = [window.panel.history.item(i).text() for i in range(window.panel.history.count())]
    assert any("Finding recorded" in line for line in history), history
    assert any("N19 Closure of findings" in window.dashboard.nodes.item(i).text()
               for i in range(window.dashboard.nodes.count()))

    # each dialog the window opens, and what it says when it refuses
    dialogs = [("visit dialog", window.open_visit_dialog()), ("finding editor", window.open_editor()),
               ("checklist", window.open_checklist()), ("document review", window.open_document_reviews()),
               ("settings", window.open_settings())]
    for name, d in dialogs:
        seen.check(name, d)
        d.done(0)
    checklist = window.open_checklist()
    for i in range(checklist.visit.count()):  # every visit's check items, with their nodes' names
        checklist.visit.setCurrentIndex(i)
        seen.check(f"checklist of {checklist.visit.itemText(i)}", checklist)
    checklist.done(0)
    editor = dialogs[1][1]
    assert editor.visit.itemText(0).startswith("Visit 26 ")
    assert editor.subdivision.itemText(editor.subdivision.findData("0107")) == "0107 Underground waterproofing"
    new_project = window.new_project_dialog()
    seen.check("new project", new_project)
    new_project.accept()  # empty: refused, field by field
    seen.check("new project, refused", new_project)
    new_project.done(0)
    editor = window.open_editor()
    editor.coverage.setEditText("STR-1")
    editor.subdivision.setEditText("0107")  # a division outside the coverage category: the reason shows
    editor.save()  # no description: refused
    seen.check("finding editor, refused", editor)
    editor.done(0)
    visit_dialog = window.open_visit_dialog()
    visit_dialog.accept()
    seen.check("visit dialog, accepted", window)
    nodes = window.detail.nodes
    for action, node in (("waive", next(n for n in nodes if n.status == "planned")),
                         ("notify", next(n for n in nodes if n.status == "planned")), ("confirm_plan", None)):
        d = plan_actions.open_node_action(window, action, node)
        seen.check(f"plan: {action}", d)
        d.done(0)
    for status, actions in (("open", ("reply", "verify", "close")), ("verified", ("reopen",))):
        _select(window, next(f.label for f in window.rows if f.status == status))
        for action in actions:
            d = window.open_action(action)
            seen.check(f"{action} dialog", d)
            d.accept()  # empty: refused in the dialog, in English
            seen.check(f"{action} dialog, refused", d)
            d.done(0)
    marked = next(f for f in window.rows if any(p.markup for p in photos.list_photos(ctx.db, finding_id=f.id)))
    _select(window, marked.label)
    d = window.open_markup(next(p for p in window.panel.strip_model.photos if p.markup).id)
    seen.check("markup dialog", d)
    d.done(0)
    fixed = next(f for f in window.rows if f.status == "verified" and f.photos >= 2)
    _select(window, fixed.label)
    d = window.open_compare()
    seen.check("compare dialog", d)
    d.done(0)
    window.import_visit_photos(_camera_card(window, tmp_path / "DCIM"))
    seen.check("photo matching", window.dialog)
    window.dialog.done(0)
    centre = window.ensure_tab(REPORT_TAB)
    centre.visit.setCurrentIndex(centre.visit.count() - 1)
    draft = review.submit_report(ctx, "process", window.project_id, visit_id=centre.visit.currentData())
    centre.show_project(window.detail)
    seen.check("report centre with a draft", centre)
    step = centre.chain.open_step(centre.chain.drafts[0], "review")
    seen.check("report chain: review", step)
    step.done(0)
    assert draft.number
    window.show_about()
    seen.check("about", window.dialog)

    # an edit refused by the core, an undoable edit and its history, in English
    _select(window, next(f.label for f in window.rows if f.status == "open"))
    window.panel.inputs["description"].setPlainText("")
    window.panel._leave("description")
    seen.check_text("refusal in the status bar", window.last_message)
    assert "Description" in window.last_message
    window.panel.inputs["location"].setText("东侧外墙根部")
    window.panel._leave("location")
    seen.check("after an edit: undo tooltip, history", window)
    window.undo()
    seen.check_text("undo said in the status bar", window.last_message)
    # the sync tab with a report that could not be sent, and why (the core keeps it as text)
    from inspector_app import messages
    from inspector_app.services import issuing, outbox
    from inspector_app.sync.client import BACKOFF
    from inspector_app.ui.workspace import SYNC_TAB

    visit = sorted(visits.list_visits(ctx.db, window.project_id), key=lambda v: v.number)[-2]
    issuing.issue_report(ctx, "notice", window.project_id, visit_id=visit.id)
    [due] = outbox.due_items(ctx.db, window.project_id)
    outbox.mark_failed(ctx.db, due, messages.text("sync.receipt_mismatch", {
        "detail": messages.phrase("sync.receipt.photos_missing", count=2)}), BACKOFF)
    sync_view = window.ensure_tab(SYNC_TAB)
    seen.check("sync tab with a failed report", sync_view)
    seen.check("delete project (refused: reports issued)", window.delete_project_dialog())
    cells = [sync_view.table.item(0, c).text() for c in range(sync_view.table.columnCount())]
    assert cells[0].startswith("Rectification notice") and "2 photos" in cells[-1], cells
    seen.check("the whole window at the end", window)

    assert len(seen.screens) >= 30
    assert not seen.found, "Chinese in the English UI:\n" + "\n".join(dict.fromkeys(seen.found))
