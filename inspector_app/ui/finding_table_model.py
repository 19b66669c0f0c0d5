"""Findings as a table model. All rows are held as frozen DTOs; filtering and sorting happen in
Python over the whole list (FindingIndex) and the model is reset, never per-cell callbacks."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ..values.dto import FindingInfo
from ..services.finding_filters import FindingFilter, FindingIndex, sort_findings
from ..services.rules import STATUS_NAMES
from .i18n import tr

COLUMNS = [("编号", "number"), ("单体", "building"), ("楼层", "floor"), ("部位", "location"),
           ("分部", "division"), ("承保类别", "coverage"), ("初评", "grade_found"), ("现评", "grade_now"),
           ("状态", "status"), ("整改期限", "deadline"), ("问题描述", "description")]
DESCRIPTION = len(COLUMNS) - 1
Index = QModelIndex | QPersistentModelIndex
RED = QColor("#B71C1C")


class FindingTableModel(QAbstractTableModel):
    def __init__(self, grade_colors: dict[str, str]) -> None:
        super().__init__()
        self._index = FindingIndex([])
        self._filter = FindingFilter()
        self._sort: tuple[str, bool] = ("number", False)
        self._rows: list[FindingInfo] = []
        self._brushes = {k: QBrush(QColor(v)) for k, v in grade_colors.items()}
        self._status_names = {k: tr(v) for k, v in STATUS_NAMES.items()}
        self._overdue = tr("（逾期）")

    # what the window calls
    def set_rows(self, rows: list[FindingInfo]) -> None:
        self._index = FindingIndex(rows)
        self._refresh()

    def replace_row(self, row: FindingInfo) -> bool:
        """One finding changed: update its row (re-filtered, re-sorted) without reloading the project."""
        if not self._index.replace(row):
            return False
        self._refresh()
        return True

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


def _cell(f: FindingInfo, col: int) -> str:
    return [f.label, f.building, f.floor or "", f.location or "", f.division_code, f.coverage_code,
            f.grade_found, f.grade_now, "", f.deadline.isoformat() if f.deadline else "", f.description][col]
