"""The project dashboard: the counts an inspector or an insurer looks at first.

Findings by grade, status, coverage category and building as bars (a click filters the
table), overdue rectifications and the serious findings that block the final gate one
click away, the next planned nodes and the recent visits.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..rulesets import RuleSet
from ..values.dto import FindingInfo, GateResult, NodeInfo, VisitInfo
from .charts import BarChart
from .i18n import tr
from .rule_names import RuleNames

STATUS_COLORS = {"open": "#C62828", "replied": "#EF6C00", "verified": "#2E7D32", "closed": "#78909C"}
NODE_STATUS = {"planned": "计划", "reached": "已到达", "inspected": "已巡查", "skipped": "跳过"}


def _tile(title: str, color: str) -> tuple[QFrame, QLabel]:
    frame = QFrame()
    frame.setStyleSheet(f"QFrame{{background:white;border:1px solid #E0E0E0;border-left:4px solid {color};"
                        "border-radius:4px}")
    col = QVBoxLayout(frame)
    value = QLabel("0")
    value.setStyleSheet(f"font-size:22pt;font-weight:bold;color:{color};border:none")
    name = QLabel(title)
    name.setStyleSheet("color:#546E7A;border:none")
    col.addWidget(value)
    col.addWidget(name)
    return frame, value


class DashboardView(QWidget):
    finding_clicked = Signal(int)
    filter_requested = Signal(str, object)  # field, value

    def __init__(self, ruleset: RuleSet) -> None:
        super().__init__()
        self.set_ruleset(ruleset)
        tiles = QHBoxLayout()
        self.kpi: dict[str, QLabel] = {}
        for key, title, color in (("total", tr("问题总数"), "#1565C0"), ("open", tr("未关闭"), "#EF6C00"),
                                  ("overdue", tr("逾期未整改"), "#C62828"), ("serious", tr("严重缺陷未验证"), "#B71C1C"),
                                  ("visits", tr("巡查次数"), "#2E7D32")):
            frame, label = _tile(title, color)
            tiles.addWidget(frame)
            self.kpi[key] = label
        self.charts = {key: BarChart(title) for key, title in (
            ("grade", tr("按现评等级")), ("status", tr("按状态")), ("coverage", tr("按承保类别")),
            ("building", tr("按单体")))}
        grid = QGridLayout()
        for i, (key, chart) in enumerate(self.charts.items()):
            chart.bar_clicked.connect(lambda value, k=key: self.filter_requested.emit(k, value))
            grid.addWidget(chart, i // 2, i % 2)
        self.blocking = self._list()
        self.overdue = self._list()
        self.nodes = self._list(clickable=False)
        self.visits = self._list(clickable=False)
        lists = QGridLayout()
        for i, (title, widget) in enumerate(((tr("阻断最终评估的严重缺陷"), self.blocking),
                                             (tr("逾期整改"), self.overdue),
                                             (tr("后续计划节点"), self.nodes), (tr("最近巡查"), self.visits))):
            head = QLabel(f"<b>{title}</b>")
            lists.addWidget(head, (i // 2) * 2, i % 2)
            lists.addWidget(widget, (i // 2) * 2 + 1, i % 2)
        body = QWidget()
        col = QVBoxLayout(body)
        col.addLayout(tiles)
        col.addLayout(grid)
        col.addLayout(lists)
        col.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def set_ruleset(self, ruleset: RuleSet) -> None:
        """The shown project's rule set: its grades, status names and coverage categories."""
        self.ruleset = ruleset
        self.names = RuleNames(ruleset)

    def _list(self, clickable: bool = True) -> QListWidget:
        w = QListWidget()
        w.setMinimumHeight(120)
        w.setMaximumHeight(170)
        if clickable:
            w.itemActivated.connect(self._open)
            w.itemClicked.connect(self._open)
        return w

    def _open(self, item: QListWidgetItem) -> None:
        fid = item.data(Qt.ItemDataRole.UserRole)
        if fid:
            self.finding_clicked.emit(int(fid))

    def show_data(self, rows: list[FindingInfo], gate: GateResult, nodes: list[NodeInfo],
                  visits: list[VisitInfo]) -> None:
        grades, names = self.ruleset.grades, self.names
        open_rows = [f for f in rows if f.status in ("open", "replied")]
        overdue = sorted((f for f in rows if f.overdue), key=lambda f: (f.deadline or date.max, f.number))
        for key, value in (("total", len(rows)), ("open", len(open_rows)), ("overdue", len(overdue)),
                           ("serious", len(gate.blocking)), ("visits", len(visits))):
            self.kpi[key].setText(str(value))
        by_grade = Counter(f.grade_now for f in rows)
        self.charts["grade"].set_bars([(g.code, names.grade(g.code), by_grade[g.code], g.color)
                                       for g in grades.values()])
        by_status = Counter(f.status for f in rows)
        self.charts["status"].set_bars([(s, name, by_status[s], STATUS_COLORS.get(s, "#78909C"))
                                        for s, name in names.statuses.items()])
        by_cov = Counter(f.coverage_code for f in rows)
        self.charts["coverage"].set_bars([(c, self.names.coverage(c), n, None)
                                          for c, n in sorted(by_cov.items())])
        by_building = Counter(f.building for f in rows)
        self.charts["building"].set_bars([(b, b, n, None) for b, n in sorted(by_building.items())])
        self._fill(self.blocking, [(f.id, f"{f.label} {f.grade_now} {f.building} {f.floor or ''} "
                                          f"{names.status(f.status)} · {f.description}") for f in gate.blocking],
                   tr("无：所有严重缺陷均已验证整改"))
        self._fill(self.overdue, [(f.id, tr("{0} 期限 {1}（已逾期 {2} 天）· {3}").format(
            f.label, f.deadline, (date.today() - f.deadline).days if f.deadline else 0, f.description))
            for f in overdue], tr("无逾期整改"))
        upcoming = [n for n in nodes if n.status in ("planned", "reached")]
        self._fill(self.nodes, [(None, f"{n.code} {n.name} · {tr('计划')} {n.planned_date or '—'} · "
                                       f"{tr(NODE_STATUS.get(n.status, n.status))}") for n in upcoming[:8]],
                   tr("全部节点已巡查"))
        recent = sorted(visits, key=lambda v: v.started_at, reverse=True)[:8]
        self._fill(self.visits, [(None, tr("第 {0} 次 · {1} · {2} · 问题 {3} 项").format(
            v.number, v.started_at.strftime("%Y-%m-%d"), "、".join(v.nodes), v.findings)) for v in recent],
                   tr("尚无巡查"))

    def _fill(self, widget: QListWidget, items: list[tuple[int | None, str]], empty: str) -> None:
        widget.clear()
        for fid, text in items:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, fid)
            item.setToolTip(text)
            widget.addItem(item)
        if not items:
            item = QListWidgetItem(empty)
            item.setForeground(Qt.GlobalColor.darkGray)
            widget.addItem(item)
