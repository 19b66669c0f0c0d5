"""The main window: project list, a dashboard header with the final gate, and the findings."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..app import AppContext, open_app
from ..rulesets import load_ruleset
from ..services import findings, projects
from ..services.finding_filters import FindingFilter
from .finding_filter_bar import FindingFilterBar
from .finding_table_model import FindingTableModel
from .fonts import install_cjk_font


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle("IDI Inspector · 住宅工程质量潜在缺陷保险风险管理")
        self.resize(1400, 860)
        self.projects = QListWidget()
        self.projects.setMinimumWidth(300)
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
        right = QWidget()
        col = QVBoxLayout(right)
        col.addWidget(self.header)
        col.addWidget(self.gate)
        col.addWidget(self.filters)
        col.addWidget(self.table, 1)
        split = QSplitter()
        split.addWidget(self.projects)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
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
        gate = findings.final_gate(self.ctx.db, pid)
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
        self.model.set_rows(rows)
        self.filters.offer(self.model.index_)
        self._apply_filter(self.filters.current())
        self.table.resizeColumnsToContents()

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
