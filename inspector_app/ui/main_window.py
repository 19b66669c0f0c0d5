"""The main window: project list; per project a dashboard, the findings (table and panel),
the inspection plan, the floor plans and the report centre, as tabs. Heavier tabs are built
the first time they are shown, so the dashboard paints first. Writes run on the writer lane
and refresh what their Changes name (finding_actions.py); the window holds an AppContext."""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..errors import Cancelled, DatabaseDamaged
from ..paths import AppPaths, resolve_paths
from ..rulesets import RuleSet, load_ruleset
from ..services.finding_filters import FindingFilter
from ..settings import Settings, load_settings, save_settings
from ..values.dto import FindingInfo, GateResult, Notice, ProjectDetail, VisitInfo
from .action_dialog import refusal
from .dashboard import DashboardView, notice_text
from .finding_actions import FindingActions
from .finding_filter_bar import FindingFilterBar
from .finding_panel import FindingPanel
from .finding_table_model import FindingTableModel
from .first_start import FirstStartMixin
from .fit import place
from .fonts import install_cjk_font
from .i18n import clauses, english, error_text, install_language, listed, tr
from .lane_status import LaneStatus
from .lazy import lazy_import
from .message_banner import MessageBanner
from .photo_strip import PhotoStripModel
from .project_dialogs import ProjectActions, mark_archived
from .rule_names import RuleNames
from .tasks import Lanes, TaskHandle, TaskRunner
from .workspace import WorkspaceMixin

if TYPE_CHECKING:
    from ..app import AppContext
    from ..services.first_screen import FirstScreen
    from ..services.undo import UndoStack
    from .finding_editor import FindingEditor

# The ORM-backed services load on first use: the dashboard paints from a plain-sqlite3 read first.
findings = lazy_import("inspector_app.services.findings")
photos = lazy_import("inspector_app.services.photos")
projects = lazy_import("inspector_app.services.projects")
visits = lazy_import("inspector_app.services.visits")
team = lazy_import("inspector_app.services.team")
plan_actions = lazy_import("inspector_app.ui.plan_actions")


def menu_title(title: str, key: str) -> str:
    """A menu's title with its Alt-letter: 巡查(&V) in Chinese, &Visit in English."""
    if english() and title[:1].upper() == key:
        return f"&{title}"
    return f"{title}(&{key})"


class MainWindow(FindingActions, WorkspaceMixin, FirstStartMixin, ProjectActions, QMainWindow):
    """``ctx`` is the open data folder; or, at start-up, ``open_ctx`` opens it after the first
    paint, which shows ``first`` (the dashboard read without the ORM). ``runner``: the lanes, or
    a SyncTaskRunner (tests: every lane runs at once on the calling thread)."""

    def __init__(self, ctx: AppContext | None = None, runner: TaskRunner | Lanes | None = None, *,
                 open_ctx: Callable[[], AppContext] | None = None, paths: AppPaths | None = None,
                 first: FirstScreen | None = None, first_start: bool = False) -> None:
        super().__init__()
        self._ctx = ctx
        self._open_ctx = open_ctx
        self._ctx_lock = threading.Lock()  # a first start opens it on the writer lane; the window may ask meanwhile
        self.paths = ctx.paths if ctx is not None else (paths or resolve_paths())
        self.lanes = Lanes.of(runner, self)
        self.runner = self.lanes  # wait() for every lane
        self.settings: Settings = load_settings(self.paths.data_dir)
        self._undo: UndoStack | None = None
        self.last_message = ""
        self.setWindowTitle(tr("IDI Inspector · 住宅工程质量潜在缺陷保险风险管理"))
        place(self, QSize(1440, 900))  # capped to the screen (a 1366x768 laptop), centred in it
        self.project_id: int | None = None
        self.detail: ProjectDetail | None = None
        self.rows: list[FindingInfo] = []
        self.visits: list[VisitInfo] = []
        self.gate_result: GateResult | None = None
        self.demo_ids: set[int] = set()  # the demo's line and header are marked 演示
        self.projects = QListWidget()
        self.projects.setMinimumWidth(150)  # narrow on a laptop; the splitter also folds it away
        self.projects.setWordWrap(True)
        self.projects.setSpacing(4)
        self.projects.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.gate = QLabel()
        self.gate.setWordWrap(True)
        self.gate.setCursor(Qt.CursorShape.PointingHandCursor)
        self.gate.mousePressEvent = lambda _e: self._show_blocking()  # type: ignore[method-assign]
        self.ruleset: RuleSet = load_ruleset()  # until a project is shown: then that project's
        self.names = RuleNames(self.ruleset)
        self.grade_colors = dict(self.names.colors)
        self.model = FindingTableModel(self.names)
        self.filters = FindingFilterBar(self.ruleset)
        self.filters.changed.connect(self._apply_filter)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(10, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.selectionModel().currentRowChanged.connect(self._select_row)
        self.strip_model = PhotoStripModel(lambda sha: self.ctx.store.cached_thumbnail(sha), self._make_thumbnail)
        self.panel = FindingPanel(self.strip_model, self.names)
        self.panel.import_requested.connect(self._import_photos)
        self.panel.action_requested.connect(self.open_action)
        self.panel.edit_requested.connect(self.edit_finding)
        self.panel.markup_requested.connect(self.open_markup)
        self.panel.remove_photo_requested.connect(self.ask_remove_photo)
        self.panel.compare_requested.connect(self.open_compare)
        self.panel.locate_requested.connect(self.locate_on_plan)
        self.panel.conflicts_requested.connect(self.open_conflicts)
        self.dialog: QWidget | None = None
        self.editor: FindingEditor | None = None
        self.dashboard = DashboardView(self.ruleset)
        self.dashboard.finding_clicked.connect(self.show_finding_tab)
        self.dashboard.filter_requested.connect(self._filter_from_dashboard)
        self.dashboard.node_action.connect(lambda action, node: plan_actions.open_node_action(self, action, node))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.dashboard, tr("概览"))
        self.tabs.addTab(self._findings_tab(), tr("问题清单"))
        self.lazy_tabs: dict[int, Callable[[], QWidget]] = {}
        for title, factory in ((tr("巡查计划"), self._build_plan_view), (tr("平面图"), self._build_floor_plans),
                               (tr("报告中心"), self._build_report_centre), (tr("同步"), self._build_sync_view)):
            self.lazy_tabs[self.tabs.addTab(QWidget(), title)] = factory
        self.tabs.currentChanged.connect(self._tab_shown)
        self.banner = MessageBanner()  # what _say() says, where the work is
        right = QWidget()
        col = QVBoxLayout(right)
        col.addWidget(self.banner)
        col.addWidget(self.header)
        col.addWidget(self.gate)
        col.addWidget(self.tabs, 1)
        self._add_welcome(col)
        split = QSplitter()
        split.addWidget(self.projects)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setCollapsible(0, True)  # the project list folds away (drag its edge to the left)
        split.setCollapsible(1, False)
        split.setSizes([240, 1400])
        self.split = split
        self._status_bar()
        self._actions()
        self.sync_timer = QTimer(self)  # background sync when a platform is set (failed items keep their back-off)
        self.sync_timer.timeout.connect(self._auto_sync)
        self.sync_timer.start(5 * 60 * 1000)
        central = QWidget()
        QHBoxLayout(central).addWidget(split)
        self.setCentralWidget(central)
        if first is not None:
            self._show_first(first)
        elif first_start:  # an empty data folder: the welcome view paints, then the demo is made
            self.projects.currentItemChanged.connect(self._show_project)
            self.begin_first_start()
            self._after_paint = _AfterFirstPaint(self.build_demo, self.welcome)
        else:
            self.projects.currentItemChanged.connect(self._show_project)
            self._load_projects()

    @property
    def ctx(self) -> AppContext:
        if self._ctx is None:
            with self._ctx_lock:
                if self._ctx is None:
                    assert self._open_ctx is not None
                    self._ctx = self._open_ctx()
        return self._ctx

    @property
    def undo_stack(self) -> UndoStack:
        if self._undo is None:
            from ..services.undo import UndoStack

            self._undo = UndoStack()
        return self._undo

    def _show_first(self, first: FirstScreen) -> None:
        """Paint the first project's dashboard from the quick read; load the rest after the paint."""
        self._add_projects(first.projects)
        self.projects.setCurrentRow(0)
        self.project_id = first.project_id
        self._show_header(first.name, first.address, first.policy_no, first.lead_insurer, first.rows, first.gate)
        self.dashboard.show_data(first.rows, first.gate, first.nodes, first.visits)
        self._after_paint = _AfterFirstPaint(self._finish_start, self.dashboard)

    def _finish_start(self) -> None:
        self.projects.currentItemChanged.connect(self._show_project)
        self._reload(keep_selection=False)
        self.table.resizeColumnsToContents()
        if not self.ctx.db.actor:  # edits would name nobody, and no report can be prepared or signed
            self._say(tr("尚未选择本人：请在“设置”中选择本机构的在册人员（修改记录与报告签字栏写入其姓名）"), "warning")

    # -- layout -------------------------------------------------------------------------------
    def _findings_tab(self) -> QWidget:
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        area = QWidget()
        col = QVBoxLayout(area)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.filters)
        col.addWidget(self.table, 1)
        inner = QSplitter()
        inner.addWidget(area)
        inner.addWidget(self.panel)  # its middle scrolls; its title and buttons stay in view
        inner.setCollapsible(0, False)
        inner.setStretchFactor(0, 3)
        inner.setStretchFactor(1, 2)
        return inner

    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.filters.text.setFocus()

    def _status_bar(self) -> None:
        """Each lane its own progress and cancel; the writer's are ``progress`` and ``cancel``."""
        self.lane_status = {lane.name: LaneStatus(lane, self.statusBar(), title) for lane, title in (
            (self.lanes.writer, tr("保存")), (self.lanes.quick, tr("缩略图")), (self.lanes.network, tr("同步")))}
        self.progress = self.lane_status["writer"].progress
        self.cancel = self.lane_status["writer"].cancel
        for lane in (self.lanes.writer, self.lanes.network):
            lane.started.connect(self._task_started)
            lane.finished.connect(self._task_finished)

    def _action(self, text: str, slot: Callable[[], Any], shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _actions(self) -> None:
        self.new_visit = self._action(tr("开始巡查"), self.open_visit_dialog, QKeySequence("Ctrl+Shift+N"))
        self.new_visit.setToolTip(tr("开始巡查（Ctrl+Shift+N）"))
        self.new_finding = self._action(tr("记录问题（Ctrl+N）"), self.open_editor, QKeySequence.StandardKey.New)
        self.match_photos = self._action(tr("导入巡查照片并按时间匹配…"), self.import_visit_photos)
        self.checklist_action = self._action(tr("检查要点…"), self.open_checklist)
        self.documents_action = self._action(tr("资料核查…"), self.open_document_reviews)
        self.undo_action = self._action(tr("撤销"), self.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action(tr("重做"), self.redo, QKeySequence.StandardKey.Redo)
        self.settings_action = self._action(tr("设置…"), self.open_settings, QKeySequence.StandardKey.Preferences)
        about = self._action(tr("关于"), self.show_about)
        quit_action = self._action(tr("退出"), self.close, QKeySequence.StandardKey.Quit)
        menu = self.menuBar()
        for title, key, actions in ((tr("文件"), "F", [*self._project_actions(), self.settings_action, quit_action]),
                                    (tr("编辑"), "E", [self.undo_action, self.redo_action]),
                                    (tr("巡查"), "V", [self.new_visit, self.checklist_action, self.documents_action,
                                                       self.new_finding, self.match_photos]),
                                    (tr("帮助"), "H", [about])):
            m = menu.addMenu(menu_title(title, key))
            for a in actions:
                m.addAction(a)
        toolbar = self.addToolBar(tr("操作"))
        toolbar.setMovable(False)
        for a in (self.new_visit, self.checklist_action, self.new_finding, self.match_photos, self.undo_action,
                  self.redo_action):
            toolbar.addAction(a)
        self._undo_state()

    def _tab_shown(self, index: int) -> None:
        factory = self.lazy_tabs.pop(index, None)
        if factory is not None:
            title = self.tabs.tabText(index)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, factory(), title)
            self.tabs.setCurrentIndex(index)
            self.tabs.blockSignals(False)
        self._refresh_tab(index)

    def ensure_tab(self, index: int) -> QWidget:
        self.tabs.setCurrentIndex(index)
        if index in self.lazy_tabs:
            self._tab_shown(index)
        widget = self.tabs.widget(index)
        assert widget is not None
        return widget

    # -- projects -----------------------------------------------------------------------------
    def _load_projects(self) -> None:
        self._list_stamp = projects.list_stamp(self.ctx.db)
        self._add_projects(projects.list_projects(self.ctx.db))
        if self.projects.count():
            self.projects.setCurrentRow(0)
        else:
            self.show_welcome()

    def _add_projects(self, summaries: list[Any]) -> None:
        for p in summaries:
            item = QListWidgetItem(self._project_text(p.name, p.code, p.findings, p.open_findings, p.is_demo,
                                                      p.archived))
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            mark_archived(item, p.archived)
            self.projects.addItem(item)
            if p.is_demo:
                self.demo_ids.add(p.id)

    @staticmethod
    def _project_text(name: str, code: str, findings: int, open_findings: int, demo: bool = False,
                      archived: bool = False) -> str:
        text = tr("{0}\n{1} · 问题 {2} · 未关闭 {3}").format(name + tr("［{0}］").format(tr("演示")) if demo else name, code,
                                                         findings, open_findings)
        return text + "\n" + tr("（已归档）") if archived else text

    def _count_in_list(self, rows: list[FindingInfo], open_rows: int) -> None:
        """The shown project's line in the project list counts what the header counts."""
        d = self.detail
        for i in range(self.projects.count()):
            item = self.projects.item(i)
            if d is not None and item.data(Qt.ItemDataRole.UserRole) == d.id:
                item.setText(self._project_text(d.name, d.code, len(rows), open_rows, d.is_demo,
                                                d.archived_at is not None))

    def _show_project(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.project_id = int(item.data(Qt.ItemDataRole.UserRole))
        self.show_project_pane()
        self.undo_stack.clear()
        self._undo_state()
        self._reload(keep_selection=False)
        self.table.resizeColumnsToContents()

    def _reload(self, keep_selection: bool = True) -> None:
        """Read the shown project whole: when a project is opened (a write applies its Changes)."""
        if self.project_id is None:
            return
        self.detail = projects.get_project(self.ctx.db, self.project_id)
        self._use_ruleset(load_ruleset(self.detail.ruleset, self.detail.ruleset_version))
        self.panel.set_project(self.detail, self.finding_extras)  # buildings and parties a finding may move to
        self.rows = findings.list_findings(self.ctx.db, self.project_id)
        self.gate_result = findings.final_gate(self.ctx.db, self.project_id)
        self.visits = visits.list_visits(self.ctx.db, self.project_id)
        self.model.set_rows(self.rows)
        self._show_summary()
        self.filters.offer(self.model.index_)
        self._apply_filter(self.filters.current())
        self._refresh_tab(self.tabs.currentIndex())

    def _use_ruleset(self, ruleset: RuleSet) -> None:
        """Show the project under its own rule set: dashboard, filter bar, table colours, names."""
        if ruleset is self.ruleset:
            return
        self.ruleset, self.names = ruleset, RuleNames(ruleset)
        self.grade_colors = dict(self.names.colors)
        self.model.set_names(self.names)
        self.filters.set_ruleset(ruleset)
        self.dashboard.set_ruleset(ruleset)
        self.panel.set_names(self.names)
        if self.floor_plans is not None:
            self.floor_plans.colors = self.grade_colors

    def _show_summary(self) -> None:
        """Header, gate line and dashboard from what the window holds (no read)."""
        d, gate = self.detail, self.gate_result
        if d is None or gate is None:
            return
        self._show_header(d.name, d.address, d.policy_no, next((i.name for i in d.insurers if i.is_lead), ""),
                          self.rows, gate)
        conflicts = team.open_conflict_count(self.ctx.db, d.id)
        extra = [Notice("sync_conflicts", "conflict.open_on_project", {"count": conflicts})] if conflicts else []
        self.dashboard.show_data(self.rows, gate, d.nodes, self.visits, warnings=[*d.warnings, *extra])

    def _show_header(self, name: str, address: str, policy_no: str, lead: str, rows: list[FindingInfo],
                     gate: GateResult) -> None:
        open_rows = sum(f.status in ("open", "replied") for f in rows)
        overdue = sum(f.overdue for f in rows)
        self._count_in_list(rows, open_rows)
        self.header.setText(
            f"<h2 style='margin:0'>{name}{self._demo_badge()}</h2><p style='color:#555;margin:2px'>"
            + tr("{0} · 保单 {1} · 主承保 {2}").format(address, policy_no, lead) + "</p><p style='margin:2px'>"
            + tr("问题 {0} 项 · 未关闭 {1} · 逾期 {2} · 严重缺陷 {3} 项（已验证整改 {4}）").format(
                len(rows), open_rows, overdue, gate.serious_total, gate.serious_verified) + "</p>")
        if gate.passed:
            self.gate.setText(tr("最终评估闸门：通过，所有严重缺陷均已验证整改"))
            self.gate.setStyleSheet("background:#E8F5E9;color:#1B5E20;padding:8px;border-radius:4px")
        else:
            names = listed(f.label for f in gate.blocking)
            self.gate.setText(tr("最终评估闸门：不通过，{0} 项严重缺陷未经验证整改：{1}（点击查看）").format(
                len(gate.blocking), names))
            if not gate.blocking and any(r.blocking for r in gate.reasons):  # no serious finding: say what blocks
                self.gate.setText(tr("最终评估闸门：不通过：{0}").format(
                    clauses(notice_text(r) for r in gate.reasons if r.blocking)))
            self.gate.setStyleSheet("background:#FFEBEE;color:#B71C1C;padding:8px;border-radius:4px;font-weight:bold")

    def _show_blocking(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.filters.select("serious", None)

    def _filter_from_dashboard(self, field: str, value: object) -> None:
        self.tabs.setCurrentIndex(1)
        self.filters.select(field, str(value))

    def show_finding_tab(self, finding_id: int) -> None:
        """Open a finding from anywhere (dashboard, gate, plan pin): the table selects it."""
        self.tabs.setCurrentIndex(1)
        row = self.model.row_of(finding_id)
        if row is None:
            self.filters.select("", None)
            row = self.model.row_of(finding_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self.open_finding(finding_id)

    def _select_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.open_finding(self.model.finding(current.row()).id)

    def open_finding(self, finding_id: int) -> None:
        """Show a finding as stored (a read): a selection, or after a refused edit."""
        info = findings.get_finding(self.ctx.db, finding_id)
        self.panel.show_finding(info, photos.list_photos(self.ctx.db, finding_id=finding_id))
        self.panel.show_conflicts(team.conflicts_of_row(self.ctx.db, "finding", finding_id))
        if self.floor_plans is not None:
            self.floor_plans.set_finding(info.label)

    def open_conflicts(self) -> None:
        """The open sync conflicts of the shown finding: keep mine, theirs, or another value."""
        finding = self.panel.finding
        if finding is None:
            return
        from .conflict_dialog import ConflictDialog

        dialog = ConflictDialog(self.ctx, team.conflicts_of_row(self.ctx.db, "finding", finding.id), self)
        dialog.exec()
        if dialog.resolved:
            self._reload()
            self.open_finding(finding.id)
            self._say(tr("已处理 {0} 个冲突；下次同步时告知其他电脑").format(dialog.resolved))

    # -- settings -----------------------------------------------------------------------------
    def open_settings(self) -> QWidget:
        from .settings_dialog import SettingsDialog

        def save(new: Settings) -> None:
            save_settings(self.paths.data_dir, new)
            if new.language != self.settings.language:
                self._say(tr("界面语言将在重新启动后更改"))
            self.settings = new
            self.ctx.db.actor = new.inspector_name or None

        from ..services.projects import staff

        dialog = SettingsDialog(self.settings, self.paths.data_dir, save, self, staff=staff(self.ctx.db))
        self.dialog = dialog
        dialog.open()
        return dialog

    def show_about(self) -> None:
        from .. import version_line

        box = QMessageBox(QMessageBox.Icon.Information, tr("关于 IDI Inspector"),
                          tr("{0}\n住宅工程质量潜在缺陷保险 风险管理检查工具\n数据文件夹：{1}").format(
                              version_line(), self.paths.data_dir), parent=self)
        self.dialog = box
        box.open()

    # -- background tasks and messages --------------------------------------------------------------
    def _error(self, exc: Exception) -> None:
        text = refusal(exc)
        self._say(text, "info" if isinstance(exc, Cancelled) else "error")
        if not isinstance(exc, Cancelled):
            QMessageBox(QMessageBox.Icon.Critical, tr("操作未完成"), text, parent=self).open()

    def _reselect(self, finding_id: int) -> None:
        """Keep the edited finding selected after the table was refreshed."""
        row = self.model.row_of(finding_id)
        if row is not None:
            self.table.selectionModel().blockSignals(True)
            self.table.selectRow(row)
            self.table.selectionModel().blockSignals(False)

    def _task_started(self, handle: TaskHandle) -> None:
        self._say(f"{handle.title}……", banner=False)  # progress: the status bar's, not a message

    def _task_finished(self, handle: TaskHandle) -> None:
        if self.last_message == f"{handle.title}……":  # no result message follows: do not leave "…" up
            self._say(tr("{0}：完成").format(handle.title), banner=False)

    def _task_progress(self, done: int, total: int, label: str) -> None:
        self.statusBar().showMessage(f"{done}/{total}  {label}")  # the lane's own bar shows the figures

    def _say(self, text: str, level: str = "info", *, banner: bool = True) -> None:
        """Tell the user: in the banner above the view (``level`` info, warning or error) and in the
        status bar."""
        self.last_message = text
        self.statusBar().showMessage(text, 15000)
        if banner:
            self.banner.show_message(text, level)

    def _apply_filter(self, flt: FindingFilter) -> None:
        self.model.set_filter(flt)
        self.filters.show_count(self.model.rowCount(), self.model.total())


class _AfterFirstPaint(QObject):
    """Calls ``then`` once, just after ``widget`` (or a child) has painted for the first time."""

    def __init__(self, then: Callable[[], None], widget: QWidget) -> None:
        super().__init__(widget)
        self.then: Callable[[], None] | None = then
        for child in [widget, *widget.findChildren(QWidget)]:
            child.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self.then is not None:
            then, self.then = self.then, None
            QTimer.singleShot(0, then)
        return False


def _exit_after_first_paint(widget: QWidget) -> None:
    """bench/startup.py: report the time of the first complete paint, and which heavy modules
    were loaded by then, then quit. Installed after the window's own hook, so it runs first."""

    def report() -> None:
        heavy = sorted(m for m in ("sqlalchemy", "PIL", "reportlab", "pypdfium2", "openpyxl", "pikepdf")
                       if m in sys.modules)
        print(f"painted {time.perf_counter():.6f} heavy={','.join(heavy) or '-'}", flush=True)
        QApplication.quit()

    widget.setProperty("bench_probe", _AfterFirstPaint(report, widget))


def _make_window(paths: AppPaths, open_ctx: Callable[[], AppContext], is_ready: Callable[[Path], bool],
                 read_first_screen: Callable[[Path], FirstScreen],
                 demo_pending: Callable[[Path, Path], bool]) -> MainWindow:
    """The quick first screen when the database reads; else the data folder opened at once, so a
    damaged file is said (``DatabaseDamaged``) before the window shows."""
    try:
        first = read_first_screen(paths.database) if is_ready(paths.database) else None
    except sqlite3.DatabaseError:  # the quick read failed: opening it says what is wrong
        return MainWindow(open_ctx())
    if first is not None:
        return MainWindow(None, open_ctx=open_ctx, paths=paths, first=first)
    if demo_pending(paths.data_dir, paths.database):  # first start: the window at once, the demo behind it
        return MainWindow(None, open_ctx=open_ctx, paths=paths, first_start=True)
    return MainWindow(open_ctx())


def run(data_dir: str | Path | None) -> int:
    from ..app import open_app
    from ..services.first_screen import demo_pending, is_ready, read_first_screen

    app = QApplication.instance() or QApplication(sys.argv)
    install_cjk_font(app)  # type: ignore[arg-type]
    paths = resolve_paths(data_dir)
    settings = load_settings(paths.data_dir)
    install_language(app, settings.language)

    def open_ctx() -> AppContext:
        ctx = open_app(data_dir)
        if settings.inspector_name:
            ctx.db.actor = settings.inspector_name
        return ctx

    try:
        window = _make_window(paths, open_ctx, is_ready, read_first_screen, demo_pending)
    except DatabaseDamaged as exc:  # said before any window: nothing is read from or written to it
        QMessageBox.critical(None, tr("数据文件已损坏"), error_text(exc))
        return 4  # as the command line's exit code for a damaged database
    if os.environ.get("IDI_INSPECTOR_EXIT_AFTER_PAINT"):  # bench/startup.py: time to the first view painted
        _exit_after_first_paint(window.first_view())
    window.show()
    code = app.exec()
    window.stop_demo_build()
    if window._ctx is not None:
        window._ctx.close()
    return int(code)
