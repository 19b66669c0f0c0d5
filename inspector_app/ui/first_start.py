"""The first start in the window: on an empty data folder the window (its welcome view) shows at
once and the demo is made on the writer lane after the first paint, its progress on the welcome
view and the lane's bar (launch.make_demo: built apart, taken in whole). Closing the window stops
it at its next step; the next start makes it again. The welcome view also stands in for the
project pane whenever there is no project to show."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from ..errors import Cancelled
from ..services.first_screen import DEMO_STAGING
from ..settings import load_settings
from .action_dialog import refusal
from .i18n import tr
from .tasks import TaskHandle
from .welcome_view import WelcomeView

if TYPE_CHECKING:
    from .main_window import MainWindow


def step_name(stage: str) -> str:
    """What the demo's making is at (services/demo.py's stages), in the UI's language."""
    names = {"visit": tr("巡查记录"), "finding": tr("问题与照片"), "checklist": tr("检查要点"),
             "document": tr("资料核查"), "plan": tr("平面图与标注"), "install": tr("载入数据文件夹")}
    return names.get(stage, stage)


class FirstStartMixin:
    """A mixin of MainWindow (typed by ``self: MainWindow``)."""

    welcome: WelcomeView
    demo_task: TaskHandle | None = None
    demo_id: int | None = None  # the demo's project, once made in this window
    _closing = False

    def _add_welcome(self: MainWindow, col: QVBoxLayout) -> None:
        """The welcome view, in the project pane's column (below its message banner); hidden while a
        project shows. New project and import are ui/project_dialogs.py's."""
        self.welcome = WelcomeView()
        self.welcome.hide()
        self.welcome.open_demo_requested.connect(self.open_demo)
        self.welcome.new_project_requested.connect(self.new_project_dialog)
        self.welcome.import_requested.connect(self.import_project_file)
        self.welcome.connect_requested.connect(self.connect_platform)
        col.addWidget(self.welcome, 1)

    def _project_pane(self: MainWindow, shown: bool) -> None:
        """The project's header, gate and tabs, and the actions that work on a project."""
        for w in (self.header, self.gate, self.tabs):
            w.setVisible(shown)
        for action in (self.new_visit, self.checklist_action, self.documents_action, self.new_finding,
                       self.match_photos):
            action.setEnabled(shown)

    def show_welcome(self: MainWindow) -> None:
        """No project to show (none here, or the last one removed): the welcome view stands in."""
        self._project_pane(False)
        self.welcome.show()

    def show_project_pane(self: MainWindow) -> None:
        self.welcome.hide()
        self._project_pane(True)

    def showing_welcome(self: MainWindow) -> bool:
        return not self.welcome.isHidden()

    def first_view(self: MainWindow) -> QWidget:
        """What the window paints first: the welcome view on a first start, else the dashboard."""
        return self.welcome if self.showing_welcome() else self.dashboard

    def begin_first_start(self: MainWindow) -> None:
        """Empty data folder: the welcome view, with the demo's making announced (it starts once painted)."""
        self.welcome.show_demo_building()
        self.show_welcome()

    def connect_platform(self: MainWindow) -> QDialog:
        """连接保险平台…: the platform's address, this laptop's token and what waits to be sent (the
        同步 tab's own view), in a dialog, so it is at hand before there is any project."""
        from ..settings import save_settings
        from .fit import fit_dialog
        from .sync_view import SyncView

        def save_server(text: str) -> None:
            self.settings = self.settings.with_changes(sync_server=text)
            save_settings(self.paths.data_dir, self.settings)
            if self.sync_view is not None:
                self.sync_view.server.setText(self.settings.sync_server)

        dialog = QDialog(self)
        dialog.setWindowTitle(tr("连接保险平台"))
        view = SyncView(lambda: self.ctx, self.lanes.network, self.settings.sync_server, save_server, self._say,
                        self._error)
        view.timer.stop()  # the window's own timer drives background sync
        view.refresh()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        buttons.rejected.connect(dialog.reject)
        col = QVBoxLayout(dialog)
        col.addWidget(view, 1)
        col.addWidget(buttons)
        dialog.resize(760, 420)
        fit_dialog(dialog)
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- the demo ---------------------------------------------------------------------------------
    def build_demo(self: MainWindow) -> None:
        """Make the demo on the writer lane (the data folder is opened there too, on a first start)."""
        if self.demo_task is not None or self._closing:
            return
        from ..launch import make_demo

        self.welcome.show_demo_building()
        handle = self.lanes.writer.submit(
            tr("创建演示项目"), lambda progress, cancel: make_demo(self.ctx, progress, cancel),
            on_done=self._demo_made, on_error=self._demo_failed,
            on_progress=lambda done, total, stage: self.welcome.show_demo_building(done, total, step_name(stage)))
        self.demo_task = handle if handle in self.lanes.writer.active else None  # a synchronous lane is done

    def _demo_made(self: MainWindow, result: Any) -> None:
        detail, me = result
        self.demo_task = None
        self.demo_id = detail.id
        if me is not None:  # no profile yet: the demo is explored as its agency's first inspector
            self.settings = load_settings(self.paths.data_dir)
            self.ctx.db.actor = me.name
            self._say(tr("当前人员：{0}（可在“设置”中更改）").format(me.name))
        self.welcome.show_demo_ready()
        # still on the welcome view: the demo opens; a project opened meanwhile stays in front
        self.refresh_projects(select=detail.id if self.showing_welcome() else None)

    def _demo_failed(self: MainWindow, exc: Exception) -> None:
        self.demo_task = None
        if isinstance(exc, Cancelled):
            if not self._closing:  # cancelled in the window: not wanted now, nor at the next start
                shutil.rmtree(self.paths.data_dir / DEMO_STAGING, ignore_errors=True)
            self.welcome.show_demo_absent()
            self._say(tr("已取消创建演示项目"))
            return
        self.welcome.show_demo_failed(refusal(exc))
        self._say(tr("演示项目未能创建：{0}").format(refusal(exc)), "error")

    def open_demo(self: MainWindow) -> None:
        """打开演示项目: select it in the project list; made first when it is not on this laptop."""
        for i in range(self.projects.count()):
            item = self.projects.item(i)
            if self.demo_id is not None and item.data(Qt.ItemDataRole.UserRole) == self.demo_id:
                self.projects.setCurrentRow(i)
                self.show_project_pane()
                return
        self.build_demo()

    def stop_demo_build(self: MainWindow) -> None:
        """The window closes: the demo being made stops at its next step (made again at the next start)."""
        self._closing = True
        if self.demo_task is not None:
            self.demo_task.cancel()
        self.lanes.writer.wait()
