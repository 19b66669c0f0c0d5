"""The project dashboard: the counts an inspector or an insurer looks at first.

On top, the project's warnings (rule-set validity, a policy after the permit, cover periods
with a reason, the plan not confirmed) in an amber banner, and the final gate's reasons one
per line (red when it blocks, amber when it is to be stated). Findings by grade, status,
coverage category and building as bars (a click filters the table), overdue rectifications
and the serious findings that block the final gate one click away, the next planned nodes
(waive one with a reason, record the developer's notice: ``node_action``) and recent visits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from html import escape

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .. import messages
from ..rulesets import RuleSet
from ..values.dto import FindingInfo, GateResult, NodeInfo, Notice, VisitInfo
from .charts import BarChart
from .i18n import english, listed, tr
from .rule_names import RuleNames

STATUS_COLORS = {"open": "#C62828", "replied": "#EF6C00", "verified": "#2E7D32", "closed": "#78909C"}
NODE_STATUS = {"planned": "计划", "reached": "已到达", "inspected": "已巡查", "skipped": "跳过", "waived": "免检"}
BLOCKING_COLOR, WARNING_COLOR = "#B71C1C", "#8D4A00"
BANNER_STYLE = ("background:#FFF3E0;color:#8D4A00;border:1px solid #FFB74D;border-left:4px solid #F9A825;"
                "border-radius:4px;padding:6px")


def notice_text(notice: Notice) -> str:
    """A rule's finding in the window's language (its key, should the catalogue lack it)."""
    try:
        return messages.text(notice.key, notice.params, "en" if english() else "zh")
    except (KeyError, IndexError, ValueError):
        return f"{notice.key} {notice.params}"


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
    # "waive" | "unwaive" | "notify", the NodeInfo; "confirm_plan", None (the window opens the dialog)
    node_action = Signal(str, object)

    def __init__(self, ruleset: RuleSet) -> None:
        super().__init__()
        self.set_ruleset(ruleset)
        self.node_infos: dict[int, NodeInfo] = {}
        self.warnings: list[Notice] = []
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confirm_plan = QPushButton(tr("记录建设单位确认…"))
        self.confirm_plan.setToolTip(tr("记录建设单位对风险评估实施方案的确认（日期、确认人）"))
        self.confirm_plan.clicked.connect(lambda: self.node_action.emit("confirm_plan", None))
        self.banner_box = QWidget()
        banner_row = QHBoxLayout(self.banner_box)
        banner_row.setContentsMargins(0, 0, 0, 0)
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.confirm_plan, 0, Qt.AlignmentFlag.AlignTop)
        self.banner_box.setVisible(False)
        self.gate_reasons = QLabel()
        self.gate_reasons.setWordWrap(True)
        self.gate_reasons.setTextFormat(Qt.TextFormat.RichText)
        self.gate_reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.gate_reasons.setStyleSheet("background:white;border:1px solid #E0E0E0;border-radius:4px;padding:6px")
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
        self.nodes.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.nodes.customContextMenuRequested.connect(self._node_menu)
        self.nodes.currentItemChanged.connect(lambda *_: self._node_buttons())
        self.visits = self._list(clickable=False)
        self.waive = QPushButton(tr("免检…"))
        self.waive.setToolTip(tr("未巡查的节点免检：须说明原因，并由本项目机构的检查人员署名"))
        self.unwaive = QPushButton(tr("撤销免检"))
        self.notify = QPushButton(tr("建设单位通知日期…"))
        self.notify.setToolTip(tr("记录建设单位对该节点的书面通知日期"))
        for button, action in ((self.waive, "waive"), (self.unwaive, "unwaive"), (self.notify, "notify")):
            button.clicked.connect(lambda _c=False, a=action: self._emit_node(a))
        node_head = QHBoxLayout()
        node_head.addWidget(QLabel(f"<b>{tr('后续计划节点')}</b>"), 1)
        for button in (self.notify, self.waive, self.unwaive):
            node_head.addWidget(button)
        self._node_buttons()
        lists = QGridLayout()
        for i, (title, widget) in enumerate(((tr("阻断最终评估的严重缺陷"), self.blocking),
                                             (tr("逾期整改"), self.overdue),
                                             (tr("后续计划节点"), self.nodes), (tr("最近巡查"), self.visits))):
            if widget is self.nodes:
                lists.addLayout(node_head, (i // 2) * 2, i % 2)
            else:
                lists.addWidget(QLabel(f"<b>{title}</b>"), (i // 2) * 2, i % 2)
            lists.addWidget(widget, (i // 2) * 2 + 1, i % 2)
        body = QWidget()
        col = QVBoxLayout(body)
        col.addWidget(self.banner_box)
        col.addWidget(self.gate_reasons)
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
                  visits: list[VisitInfo], warnings: Sequence[Notice] | None = None) -> None:
        """``warnings``: the project's (None: not read yet, the banner stays as it is)."""
        if warnings is not None:
            self.show_warnings(warnings)
        self.show_gate(gate)
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
        self.show_nodes(nodes)
        recent = sorted(visits, key=lambda v: v.started_at, reverse=True)[:8]
        self._fill(self.visits, [(None, tr("第 {0} 次 · {1} · {2} · 问题 {3} 项").format(
            v.number, v.started_at.strftime("%Y-%m-%d"), listed(v.nodes), v.findings)) for v in recent],
                   tr("尚无巡查"))

    # -- warnings and the gate's reasons -----------------------------------------------------------
    def show_warnings(self, warnings: Sequence[Notice]) -> None:
        """The project's warnings, one per line, in an amber banner (hidden when there are none)."""
        self.warnings = list(warnings)
        lines = [f"⚠ {escape(notice_text(w))}" for w in self.warnings]
        self.banner.setText(f"<b>{escape(tr('项目提示'))}</b><br/>" + "<br/>".join(lines))
        self.banner_box.setVisible(bool(lines))
        self.confirm_plan.setVisible(any(w.code == "plan_not_confirmed" for w in self.warnings))

    def show_gate(self, gate: GateResult) -> None:
        """The final gate and each of its reasons on its own line: red when it blocks, amber otherwise."""
        ok = gate.passed
        head = tr("最终评估闸门：通过") if ok else tr("最终评估闸门：不通过")
        lines = [f"<b style='color:{'#1B5E20' if ok else BLOCKING_COLOR}'>{escape(head)}</b>"]
        for r in gate.reasons:
            color, mark = (BLOCKING_COLOR, "✗") if r.blocking else (WARNING_COLOR, "!")
            lines.append(f"<span style='color:{color}'>{mark} {escape(notice_text(r))}</span>")
        self.gate_reasons.setText("<br/>".join(lines))

    # -- the plan's nodes ------------------------------------------------------------------------
    def show_nodes(self, nodes: Sequence[NodeInfo]) -> None:
        """The next planned nodes, then the waived ones (with who and why), each open to an action."""
        self.node_infos = {n.id: n for n in nodes}
        upcoming = [n for n in nodes if n.status in ("planned", "reached")][:8]
        waived = [n for n in nodes if n.status == "waived"]
        items: list[tuple[int | None, str]] = []
        for n in upcoming:
            text = f"{n.code} {self.names.node(n.code, n.name)} · {tr('计划')} {n.planned_date or '—'} · {tr(NODE_STATUS.get(n.status, n.status))}"
            if n.notified_on:
                text += " · " + tr("建设单位通知 {0}").format(n.notified_on)
            items.append((n.id, text))
        items += [(n.id, tr("{0} {1} · 免检：{2}（{3}，{4}）").format(n.code, self.names.node(n.code, n.name), n.waived_reason, n.waived_by,
                                                                  n.waived_on)) for n in waived]
        self._fill(self.nodes, items, tr("全部节点已巡查"))
        self._node_buttons()

    def selected_node(self) -> NodeInfo | None:
        item = self.nodes.currentItem()
        node_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return self.node_infos.get(int(node_id)) if node_id else None

    def _node_buttons(self) -> None:
        node = self.selected_node()
        waived = node is not None and node.status == "waived"
        self.waive.setEnabled(node is not None and not waived and node.visits == 0)
        self.unwaive.setEnabled(waived)
        self.notify.setEnabled(node is not None)

    def _emit_node(self, action: str) -> None:
        node = self.selected_node()
        if node is not None:
            self.node_action.emit(action, node)

    def _node_menu(self, pos: QPoint) -> None:
        item = self.nodes.itemAt(pos)
        if item is None:
            return
        self.nodes.setCurrentItem(item)
        node = self.selected_node()
        if node is None:
            return
        menu = QMenu(self)
        for button, action in ((self.notify, "notify"), (self.waive, "waive"), (self.unwaive, "unwaive")):
            if button.isEnabled():
                menu.addAction(button.text()).triggered.connect(self._menu_slot(action, node))
        menu.popup(self.nodes.viewport().mapToGlobal(pos))

    def _menu_slot(self, action: str, node: NodeInfo) -> Callable[[], None]:
        return lambda: self.node_action.emit(action, node)

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
