"""Findings as a table model. All rows are held as frozen DTOs; filtering and sorting happen in
Python over the whole list (FindingIndex). A write's changed rows are put in place: when the
visible order stays, only those rows repaint; otherwise the model is reset."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ..services.finding_filters import FindingFilter, FindingIndex, sort_findings
from ..values.dto import FindingInfo
from .i18n import tr
from .rule_names import RuleNames

COLUMNS = [("编号", "number"), ("单体", "building"), ("楼层", "floor"), ("部位", "location"),
           ("分部", "division"), ("承保类别", "coverage"), ("初评", "grade_found"), ("现评", "grade_now"),
           ("状态", "status"), ("整改期限", "deadline"), ("问题描述", "description")]
DESCRIPTION = len(COLUMNS) - 1
Index = QModelIndex | QPersistentModelIndex
RED = QColor("#B71C1C")


class FindingTableModel(QAbstractTableModel):
    def __init__(self, names: RuleNames) -> None:
        super().__init__()
        self._index = FindingIndex([])
        self._filter = FindingFilter()
        self._sort: tuple[str, bool] = ("number", False)
        self._rows: list[FindingInfo] = []
        self._overdue = tr("（逾期）")
        self.set_names(names)

    def set_names(self, names: RuleNames) -> None:
        """The shown project's rule set: grade colours and status names (translated once, not per cell)."""
        self._brushes = {k: QBrush(QColor(tint(v))) for k, v in names.colors.items()}
        self._status_names = dict(names.statuses)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    # what the window calls
    def set_rows(self, rows: list[FindingInfo]) -> None:
        self._index = FindingIndex(rows)
        self._refresh()

    def replace_row(self, row: FindingInfo) -> bool:
        """One finding changed: update its row (re-filtered, re-sorted) without reloading the project."""
        return self.update_rows([row]) == 0

    def update_rows(self, rows: list[FindingInfo]) -> int:
        """Changed or new findings put in place; returns how many were new (added)."""
        new = [r for r in rows if not self._index.replace(r)]
        if new:
            self._index = FindingIndex([*self._index.rows, *new])
        key, descending = self._sort
        shown = sort_findings(self._index.select(self._filter), key, descending)
        if new or [f.id for f in shown] != [f.id for f in self._rows]:
            self.beginResetModel()
            self._rows = shown
            self.endResetModel()
            return len(new)
        changed = {r.id for r in rows}
        self._rows = shown
        for i, f in enumerate(shown):  # same rows, same order: repaint only the changed ones
            if f.id in changed:
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
        return 0

    def rows(self) -> list[FindingInfo]:
        """Every finding of the project, as now held (filtered or not)."""
        return list(self._index.rows)

    def set_filter(self, flt: FindingFilter) -> None:
        self._filter = flt
        self._refresh()

    @property
    def index_(self) -> FindingIndex:
        return self._index

    def finding(self, row: int) -> FindingInfo:
        return self._rows[row]

    def row_of(self, finding_id: int) -> int | None:
        return next((i for i, f in enumerate(self._rows) if f.id == finding_id), None)

    def total(self) -> int:
        return len(self._index.rows)

    def _refresh(self) -> None:
        self.beginResetModel()
        key, descending = self._sort
        self._rows = sort_findings(self._index.select(self._filter), key, descending)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (COLUMNS[column][1], order == Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        self._rows = sort_findings(self._rows, *self._sort)
        self.layoutChanged.emit()

    # the Qt model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(COLUMNS[section][0])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        f = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 8:  # translated once, not per cell
                return self._status_names.get(f.status, f.status) + (self._overdue if f.overdue else "")
            return _cell(f, col)
        if role == Qt.ItemDataRole.BackgroundRole and col in (6, 7):
            return self._brushes.get(f.grade_found if col == 6 else f.grade_now)
        if role == Qt.ItemDataRole.ForegroundRole and (f.overdue or (f.is_serious and f.status != "verified")):
            return RED
        if role == Qt.ItemDataRole.ToolTipRole and col == DESCRIPTION:
            return f.description
        return None


def tint(hex_color: str) -> str:
    """A light version of a grade colour, so black text stays readable on it."""
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c + (255 - c) * 0.6) for c in (r, g, b)))


def _cell(f: FindingInfo, col: int) -> str:
    return [f.label, f.building, f.floor or "", f.location or "", f.division_code, f.coverage_code,
            f.grade_found, f.grade_now, "", f.deadline.isoformat() if f.deadline else "", f.description][col]
