"""The inspection plan: the project's nodes with planned and reached dates, editable in place.

A date is typed as 2025-06-30; a wrong one is refused with the reason and the cell goes
back to what is stored. Status is picked from a list. Every change is saved at once, through
``update(node, change, failed)`` (the window's writer lane); the window shows the saved plan.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import InspectorError
from ..values.dto import NodeInfo
from .dashboard import NODE_STATUS
from .i18n import tr

Update = Callable[[NodeInfo, dict[str, object], Callable[[Exception], None]], None]
COLORS = {"planned": "#ECEFF1", "reached": "#FFF8E1", "inspected": "#E8F5E9", "skipped": "#F5F5F5",
          "waived": "#F3E5F5"}


class PlanView(QWidget):
    message = Signal(str)

    def __init__(self, update: Update, on_error: Callable[[Exception], None]) -> None:
        super().__init__()
        self.update_node = update
        self.on_error = on_error
        self.nodes: list[NodeInfo] = []
        # a node's shown name from its code and stored name (the window's rule-set names, English in English)
        self.node_name: Callable[[str, str], str] = lambda _code, name: name
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([tr("节点"), tr("名称"), tr("计划日期"), tr("到达日期"), tr("状态"),
                                              tr("巡查次数")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._edited)
        hint = QLabel(tr("双击日期即可修改（格式 2025-06-30），修改立即保存。到达日期不能晚于明天。"))
        hint.setStyleSheet("color:#607D8B")
        col = QVBoxLayout(self)
        col.addWidget(hint)
        col.addWidget(self.table)

    def show_nodes(self, nodes: list[NodeInfo]) -> None:
        self.nodes = nodes
        self.table.blockSignals(True)
        self.table.setRowCount(len(nodes))
        for r, n in enumerate(nodes):
            cells = [n.code, self.node_name(n.code, n.name), str(n.planned_date or ""), str(n.reached_date or ""), "", str(n.visits)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c not in (2, 3):
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setBackground(QColor(COLORS.get(n.status, "#FFFFFF")))
                self.table.setItem(r, c, item)
            combo = QComboBox()
            for code, name in NODE_STATUS.items():
                if code != "waived" or n.status == "waived":  # waived only with a reason (the dashboard's 免检…)
                    combo.addItem(tr(name), code)
            combo.setCurrentIndex(max(0, combo.findData(n.status)))
            if n.status == "waived":
                combo.setEnabled(False)
                combo.setToolTip(tr("免检：{0}（{1}，{2}）").format(n.waived_reason, n.waived_by, n.waived_on))
            combo.currentIndexChanged.connect(lambda _i, row=r, cb=combo: self._status(row, cb.currentData()))
            self.table.setCellWidget(r, 4, combo)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.blockSignals(False)

    def _save(self, row: int, revert: Callable[[], None] | None = None, **change: object) -> None:
        def failed(exc: Exception) -> None:
            self.on_error(exc)
            if revert is not None:
                revert()

        self.update_node(self.nodes[row], change, failed)

    def _edited(self, item: QTableWidgetItem) -> None:
        row, col = item.row(), item.column()
        field = {2: "planned_date", 3: "reached_date"}.get(col)
        if field is None:
            return
        text = item.text().strip()
        try:
            value = date.fromisoformat(text)
        except ValueError:
            self.on_error(InspectorError(tr("“{0}”不是日期，请按 2025-06-30 的格式填写").format(text)))
            value = None

        def revert() -> None:  # the cell goes back to what is stored (the table may have been redrawn)
            node, cell = self.nodes[row], self.table.item(row, col)
            if cell is not None:
                self.table.blockSignals(True)
                cell.setText(str((node.planned_date if col == 2 else node.reached_date) or ""))
                self.table.blockSignals(False)

        if value is None:
            revert()
        else:
            self._save(row, revert, **{field: value})

    def _status(self, row: int, status: str) -> None:
        self._save(row, status=status)
