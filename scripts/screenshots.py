"""Screenshots of every main screen for docs/screenshots/ (run: make screenshots, under Xvfb), at 1366x768;
and the findings view at 150 % on a 1920x1080 screen (1280x720 logical), from a child process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from inspector_app.app import open_app
from inspector_app.services import demo, photos
from inspector_app.settings import load_settings, save_settings
from inspector_app.ui.first_start import step_name
from inspector_app.ui.fonts import install_cjk_font
from inspector_app.ui.i18n import install_language
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.tasks import SyncTaskRunner
from inspector_app.ui.workspace import FLOOR_TAB, PLAN_TAB, REPORT_TAB, SYNC_TAB

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
SIZE = (1366, 768)  # a site laptop's screen: every screen must fit it
SCALED_SCREEN = {"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96,
                              "logicalBaseDpi": 96, "dpr": 1}]}


def settle(app: QApplication) -> None:
    for _ in range(30):
        app.processEvents()


def shoot(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    path = OUT / name
    widget.grab().save(str(path))
    print(path)


def select(window: MainWindow, label: str) -> None:
    rows = [window.model.finding(r).label for r in range(window.model.rowCount())]
    window.table.selectRow(rows.index(label))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    install_cjk_font(app)
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_app(tmp, actor="李敏")  # the profile's current person: an inspector of the demo agency
        demo.create_demo(ctx.db, ctx.store)
        save_settings(Path(tmp), load_settings(Path(tmp)).with_changes(  # the profile the settings dialog shows
            inspector_name="李敏", agency="北京恒衡工程技术咨询有限公司", certificate_no="TIS-BJ-2020-0342"))
        window = MainWindow(ctx, runner=SyncTaskRunner())
        window.resize(*SIZE)
        window.show()
        settle(app)
        shoot(window, "dashboard.png")
        window.tabs.setCurrentIndex(1)
        select(window, "F049")  # the serious finding that holds the gate
        settle(app)
        shoot(window, "findings.png")
        window.filters.text.insert("卫生间")
        window.filters.overdue.setChecked(True)
        window.table.selectRow(0)
        settle(app)
        shoot(window, "findings_filtered.png")
        window.filters.text.clear()
        window.filters.overdue.setChecked(False)
        editor = window.open_editor()
        if editor is not None:
            editor.building.setCurrentText("3#楼")
            editor.floor.setCurrentText("10F")
            editor.location.setText("1003户卫生间")
            editor.subdivision.setCurrentIndex(editor.subdivision.findData("0301"))
            editor.coverage.setCurrentIndex(editor.coverage.findData("WPI-2"))
            editor.description.setText("二次闭水试验 24 h 后楼下顶板管根部位渗水")
            editor.clause.setText("GB 50209-2010 第4.10.11条")
            settle(app)
            shoot(editor, "finding_editor.png")
            editor.done(0)  # not close(): with text typed, closing asks first (a modal question)
        marked = next(f for f in window.rows if any(p.markup for p in photos.list_photos(ctx.db, finding_id=f.id)))
        select(window, marked.label)
        shot = next(p for p in photos.list_photos(ctx.db, finding_id=marked.id) if p.markup)
        dialog = window.open_markup(shot.id)
        if dialog is not None:
            dialog.resize(1200, 700)
            settle(app)
            shoot(dialog, "markup.png")
            dialog.accept()
        fixed = next(f for f in window.rows if f.status == "verified" and f.photos >= 2)
        select(window, fixed.label)
        compare = window.open_compare()
        if compare is not None:
            settle(app)
            shoot(compare, "before_after.png")
            compare.accept()
        ponding = next(v for v in window.visits if "N15" in v.nodes)  # the first ponding test, marked item by item
        checklist = window.open_checklist(ponding.id)
        if checklist is not None:
            settle(app)
            shoot(checklist, "checklist.png")
            checklist.close()
        reviewed = next(v for v in window.visits if v.number == 3)  # documents and test reports reviewed on site
        documents = window.open_document_reviews(reviewed.id)
        if documents is not None:
            settle(app)
            shoot(documents, "document_reviews.png")
            documents.close()
        window.ensure_tab(PLAN_TAB)
        settle(app)
        shoot(window, "inspection_plan.png")
        floor = window.ensure_tab(FLOOR_TAB)
        settle(app)
        shoot(window, "floor_plan.png")
        centre = window.ensure_tab(REPORT_TAB)
        window.report_centre.issue("notice")
        window.report_centre.submit("process")  # the selected (latest) visit's report, sent for review
        window.report_centre.generate("process")
        chain = window.report_centre.chain
        chain.table.selectRow(0)
        step = chain.open_step(chain.drafts[0], "review")
        step.person.setCurrentIndex(max(0, step.person.findData("张磊")))
        step.comment.setPlainText("照片与记录齐全，同意")
        settle(app)
        shoot(step, "review_step.png")
        step.accept()
        chain.table.selectRow(0)
        settle(app)
        shoot(window, "report_centre.png")
        window.ensure_tab(SYNC_TAB)
        settle(app)
        shoot(window, "sync.png")
        del floor, centre
        window.welcome.show_demo_building(37, 91, step_name("visit"))  # the first start's view, as while the demo is made
        window.show_welcome()
        window.banner.hide()
        window.statusBar().clearMessage()
        settle(app)
        shoot(window, "welcome.png")
        window.show_project_pane()
        settings = window.open_settings()
        settle(app)
        shoot(settings, "settings.png")
        settings.reject()
        install_language(app, "en")
        english = MainWindow(ctx, runner=SyncTaskRunner())
        english.resize(*SIZE)
        english.show()
        settle(app)
        shoot(english, "dashboard_en.png")
        english.tabs.setCurrentIndex(1)
        select(english, "F049")
        settle(app)
        shoot(english, "findings_en.png")
        refused = english.open_action("verify")  # accepted without an after-photo: the refusal in English
        if refused is not None:
            refused.accept()
            settle(app)
            shoot(refused, "refusal_en.png")
            refused.reject()
        english.close()
        install_language(app, "zh")
        shoot_scaled(Path(tmp))
        conflicts(app, ctx, window)
        ctx.close()
    return 0


def conflicts(app: QApplication, ctx: object, window: MainWindow) -> None:
    """Another laptop changed an open finding's location offline while this one did too: the panel
    and the dialog."""
    from inspector_app.services import team
    from inspector_app.services.finding_edits import edit_finding
    from inspector_app.services.projects import resolve_project
    from inspector_app.ui.conflict_dialog import ConflictDialog

    db = window.ctx.db
    with db.write() as s:  # the demo never syncs: shown here as a team's project (audited)
        resolve_project(s, window.project_id).is_demo = False
        team.device(s)
    finding = next(f for f in window.rows if f.status == "open" and not f.is_serious)
    edit_finding(db, finding.id, location="2#楼12层东侧走廊")
    code = team.projects(db)[0][2]
    change = dict(team.collect_changes(db, code, limit=100_000).changes[-1])
    edit_finding(db, finding.id, location="2#楼12层东侧走廊（1205户门口）")
    change["values"] = {**change["values"], "location": "2#楼12层西侧走廊"}
    change["device"], change["actor"] = "laptop-zhang-lei.1", "张磊"
    change["id"] = team.change_id(change)
    team.apply_changes(db, code, [change])
    window._reload()
    window.tabs.setCurrentIndex(1)
    select(window, finding.label)
    settle(app)
    shoot(window, "conflict.png")
    dialog = ConflictDialog(window.ctx, team.conflicts_of_row(db, "finding", finding.id), window)
    dialog.show()
    settle(app)
    shoot(dialog, "conflict_dialog.png")
    dialog.reject()


def shoot_scaled(data_dir: Path) -> None:
    """Run ``scaled`` in a child process: Qt's scale factor is fixed when the application starts."""
    config = data_dir / "screen-1920x1080.json"
    config.write_text(json.dumps(SCALED_SCREEN), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": "1.5"}
    subprocess.run([sys.executable, __file__, "--scaled", str(data_dir)], env=env, check=True)


def scaled(data_dir: str) -> int:
    """The findings view filling a 1920x1080 screen at 150 % (1280x720 logical pixels)."""
    app = QApplication(sys.argv[:1])
    install_cjk_font(app)
    ctx = open_app(data_dir, actor="李敏")
    window = MainWindow(ctx, runner=SyncTaskRunner())
    screen = window.screen().availableGeometry()
    window.setGeometry(screen)
    window.show()
    window.tabs.setCurrentIndex(1)
    select(window, "F049")
    settle(app)
    shoot(window, "findings_150.png")
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(scaled(sys.argv[2]) if sys.argv[1:2] == ["--scaled"] else main())
