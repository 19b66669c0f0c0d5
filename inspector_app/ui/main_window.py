"""The main window: project list, a dashboard header with the final gate, and the findings."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
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
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..app import AppContext, open_app
from ..errors import Cancelled, InspectorError
from ..rulesets import load_ruleset
from ..services import findings, photos, projects
from ..services.dto import FindingInfo, PhotoImportResult, ProjectDetail, VisitInfo
from ..services.finding_filters import FindingFilter
from ..services.suggestions import entry_suggestions
from .action_dialog import ActionDialog
from .finding_editor import FindingEditor
from .finding_filter_bar import FindingFilterBar
from .finding_panel import FindingPanel
from .finding_table_model import FindingTableModel
from .fonts import install_cjk_font
from .rectification import rectification_dialog
from .tasks import TaskHandle, TaskRunner
from .visit_dialog import start_visit_dialog


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, runner: TaskRunner | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.runner = runner or TaskRunner(self)
        self.last_message = ""
        self.setWindowTitle("IDI Inspector · 住宅工程质量潜在缺陷保险风险管理")
        self.resize(1400, 860)
        self.projects = QListWidget()
        self.projects.setMinimumWidth(220)
        self.projects.setWordWrap(True)
        self.projects.setSpacing(4)
        self.projects.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.gate = QLabel()
        self.gate.setWordWrap(True)
        ruleset = load_ruleset()
        self.model = FindingTableModel({g.code: _tint(g.color) for g in ruleset.grades.values()})
        self.filters = FindingFilterBar(ruleset)
        self.filters.changed.connect(self._apply_filter)
        QShortcut(QKeySequence.StandardKey.Find, self, self.filters.text.setFocus)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(10, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.selectionModel().currentRowChanged.connect(self._select_row)
        self.panel = FindingPanel()
        self.panel.import_requested.connect(self._import_photos)
        self.panel.action_requested.connect(self.open_action)
        self.dialog: ActionDialog | None = None
        findings_area = QWidget()
        col = QVBoxLayout(findings_area)
        col.addWidget(self.filters)
        col.addWidget(self.table, 1)
        inner = QSplitter()
        inner.addWidget(findings_area)
        inner.addWidget(self.panel)
        inner.setStretchFactor(0, 3)
        inner.setStretchFactor(1, 1)
        right = QWidget()
        col = QVBoxLayout(right)
        col.addWidget(self.header)
        col.addWidget(self.gate)
        col.addWidget(inner, 1)
        split = QSplitter()
        split.addWidget(self.projects)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([240, 1400])
        self.progress = QProgressBar()
        self.cancel = QPushButton("取消")
        for w in (self.progress, self.cancel):
            w.hide()
            self.statusBar().addPermanentWidget(w)
        toolbar = self.addToolBar("操作")
        toolbar.setMovable(False)
        self.new_finding = QAction("记录问题（Ctrl+N）", self)
        self.new_finding.setShortcut(QKeySequence.StandardKey.New)
        self.new_finding.triggered.connect(self.open_editor)
        self.new_visit = QAction("开始巡查", self)
        self.new_visit.triggered.connect(self.open_visit_dialog)
        toolbar.addAction(self.new_visit)
        toolbar.addAction(self.new_finding)
        self.editor: FindingEditor | None = None
        self.runner.started.connect(self._task_started)
        self.runner.finished.connect(self._task_finished)
        central = QWidget()
        QHBoxLayout(central).addWidget(split)
        self.setCentralWidget(central)
        self.projects.currentItemChanged.connect(self._show_project)
        self._load_projects()

    def _load_projects(self) -> None:
        for p in projects.list_projects(self.ctx.db):
            item = QListWidgetItem(f"{p.name}\n{p.code} · 问题 {p.findings} · 未关闭 {p.open_findings}")
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            self.projects.addItem(item)
        if self.projects.count():
            self.projects.setCurrentRow(0)

    def _show_project(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        pid = int(item.data(Qt.ItemDataRole.UserRole))
        d = projects.get_project(self.ctx.db, pid)
        rows = findings.list_findings(self.ctx.db, pid)
        self._show_header(d, rows)
        self.model.set_rows(rows)
        self.filters.offer(self.model.index_)
        self._apply_filter(self.filters.current())
        self.table.resizeColumnsToContents()

    def _show_header(self, d: ProjectDetail, rows: list[FindingInfo]) -> None:
        gate = findings.final_gate(self.ctx.db, d.id)
        open_rows = [f for f in rows if f.status in ("open", "replied")]
        overdue = [f for f in rows if f.overdue]
        self.header.setText(
            f"<h2 style='margin:0'>{d.name}</h2><p style='color:#555'>{d.address} · 保单 {d.policy_no} · "
            f"主承保 {next((i.name for i in d.insurers if i.is_lead), '')}</p>"
            f"<p>问题 <b>{len(rows)}</b> 项 · 未关闭 <b>{len(open_rows)}</b> · 逾期 <b style='color:#B71C1C'>"
            f"{len(overdue)}</b> · 严重缺陷 {gate.serious_total} 项（已验证整改 {gate.serious_verified}）</p>")
        if gate.passed:
            self.gate.setText("最终评估闸门：通过，所有严重缺陷均已验证整改")
            self.gate.setStyleSheet("background:#E8F5E9;color:#1B5E20;padding:8px;border-radius:4px")
        else:
            names = "、".join(f"{f.label}（{f.building} {f.description[:18]}…）" for f in gate.blocking)
            self.gate.setText(f"最终评估闸门：不通过，{len(gate.blocking)} 项严重缺陷未经验证整改：{names}")
            self.gate.setStyleSheet("background:#FFEBEE;color:#B71C1C;padding:8px;border-radius:4px;font-weight:bold")

    def open_visit_dialog(self) -> ActionDialog | None:
        item = self.projects.currentItem()
        if item is None:
            return None
        detail = projects.get_project(self.ctx.db, int(item.data(Qt.ItemDataRole.UserRole)))
        self.dialog = start_visit_dialog(self.ctx.db, detail, self.ctx.db.actor or "", self._visit_started, self)
        self.dialog.open()
        return self.dialog

    def _visit_started(self, visit: VisitInfo) -> None:
        carried = findings.carried_forward(self.ctx.db, visit.id)
        overdue = sum(f.overdue for f in carried)
        self._say(f"已开始第 {visit.number} 次巡查；需跟踪以往未关闭问题 {len(carried)} 项（逾期 {overdue} 项）")
        if carried:
            lines = [f"{f.label} {f.building} {f.location or ''}  期限 {f.deadline or '—'}"
                     f"{'（逾期）' if f.overdue else ''}  {f.description[:30]}" for f in carried[:25]]
            QMessageBox(QMessageBox.Icon.Information, f"第 {visit.number} 次巡查：需跟踪的问题",
                        "\n".join(lines), parent=self).open()
        self.filters.status.setCurrentIndex(self.filters.status.findData("open"))

    def open_editor(self) -> FindingEditor | None:
        item = self.projects.currentItem()
        if item is None:
            return None
        pid = int(item.data(Qt.ItemDataRole.UserRole))
        detail = projects.get_project(self.ctx.db, pid)
        sug = entry_suggestions(self.ctx.db, pid)
        if not sug.visits:
            self._say("请先开始一次巡查，再记录问题")
            return None
        self.editor = FindingEditor(self.ctx.db, detail, load_ruleset(detail.ruleset, detail.ruleset_version),
                                    sug, self)
        self.editor.saved.connect(lambda info: self._refresh_after_change(info.id))
        self.editor.show()
        return self.editor

    def open_action(self, action: str) -> ActionDialog | None:
        """The dialog for one rectification step on the selected finding (non-blocking)."""
        finding = self.panel.finding
        if finding is None:
            return None
        self.dialog = rectification_dialog(action, finding, self.ctx.db, self.ctx.db.actor or "", self)
        self.dialog.accepted.connect(lambda: self._refresh_after_change(finding.id))
        self.dialog.open()
        return self.dialog

    def _select_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.open_finding(self.model.finding(current.row()).id)

    def open_finding(self, finding_id: int) -> None:
        info = findings.get_finding(self.ctx.db, finding_id)
        shots = photos.list_photos(self.ctx.db, finding_id=finding_id)
        thumbs = {}
        for p in shots:
            try:
                thumbs[p.sha256] = self.ctx.store.thumbnail_path(p.sha256)
            except FileNotFoundError:  # original missing: `verify` names it; the strip shows the rest
                continue
        self.panel.show_finding(info, shots, thumbs)

    def _import_photos(self, paths: list[str], role: str) -> None:
        finding = self.panel.finding
        if finding is None:
            return
        files = photos.expand_paths(paths)
        db, store = self.ctx.db, self.ctx.store

        def work(progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> list[PhotoImportResult]:
            return list(photos.import_photos(db, store, files, finding_id=finding.id, role=role, cancel=cancel,
                                             progress=lambda done, total, r: progress(done, total, Path(r.path).name)))

        self.runner.submit(f"导入 {len(files)} 张照片", work, on_progress=self._task_progress,
                           on_done=lambda results: self._imported(finding.id, results),
                           on_error=lambda exc: self._task_failed(exc, finding.id))

    def _imported(self, finding_id: int, results: list[PhotoImportResult]) -> None:
        counts = Counter(r.status for r in results)
        self._say(f"已导入 {counts['imported']} 张，重复 {counts['duplicate']} 张，拒绝 {counts['rejected']} 张")
        rejected = [r for r in results if r.status == "rejected"]
        if rejected:
            box = QMessageBox(QMessageBox.Icon.Warning, "部分照片未导入",
                              "\n".join(f"{Path(r.path).name}：{r.reason}" for r in rejected[:20]), parent=self)
            box.open()  # not exec(): the window keeps working
        self._refresh_after_change(finding_id)

    def _task_failed(self, exc: Exception, finding_id: int | None = None) -> None:
        text = exc.message if isinstance(exc, InspectorError) else f"内部错误：{exc}"
        self._say(text)
        if not isinstance(exc, Cancelled):
            QMessageBox(QMessageBox.Icon.Critical, "操作未完成", text, parent=self).open()
        if finding_id is not None:
            self._refresh_after_change(finding_id)

    def _refresh_after_change(self, finding_id: int) -> None:
        item = self.projects.currentItem()
        if item is not None:
            pid = int(item.data(Qt.ItemDataRole.UserRole))
            rows = findings.list_findings(self.ctx.db, pid)
            self._show_header(projects.get_project(self.ctx.db, pid), rows)
            self.model.set_rows(rows)
            self._apply_filter(self.filters.current())
        self.open_finding(finding_id)

    def _task_started(self, handle: TaskHandle) -> None:
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel.show()
        self.cancel.clicked.connect(handle.cancel)
        self._say(f"{handle.title}……")

    def _task_progress(self, done: int, total: int, label: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.statusBar().showMessage(f"{done}/{total}  {label}")

    def _task_finished(self, _handle: TaskHandle) -> None:
        self.progress.hide()
        self.cancel.hide()
        self.cancel.clicked.disconnect()

    def _say(self, text: str) -> None:
        self.last_message = text
        self.statusBar().showMessage(text, 15000)

    def _apply_filter(self, flt: FindingFilter) -> None:
        self.model.set_filter(flt)
        self.filters.show_count(self.model.rowCount(), self.model.total())


def _tint(hex_color: str) -> str:
    """A light version of a grade colour, so black text stays readable on it."""
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c + (255 - c) * 0.6) for c in (r, g, b)))


def run(data_dir: str | Path | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    install_cjk_font(app)  # type: ignore[arg-type]
    ctx = open_app(data_dir)
    window = MainWindow(ctx)
    window.show()
    code = app.exec()
    ctx.close()
    return int(code)
