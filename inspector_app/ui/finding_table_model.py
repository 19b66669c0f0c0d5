"""Findings as a table model: rows are frozen DTOs; filtering happens in Python, not per cell."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ..services.dto import FindingInfo
from ..services.rules import STATUS_NAMES

COLUMNS = ["编号", "单体", "楼层", "部位", "分部", "承保类别", "初评", "现评", "状态", "整改期限", "问题描述"]
Index = QModelIndex | QPersistentModelIndex


class FindingTableModel(QAbstractTableModel):
    def __init__(self, grade_colors: dict[str, str]) -> None:
        super().__init__()
        self._rows: list[FindingInfo] = []
        self._colors = grade_colors

    def set_rows(self, rows: list[FindingInfo]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        f = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            status = STATUS_NAMES.get(f.status, f.status) + ("（逾期）" if f.overdue else "")
            return [f.label, f.building, f.floor or "", f.location or "", f.division_code, f.coverage_code,
                    f.grade_found, f.grade_now, status, f.deadline.isoformat() if f.deadline else "",
                    f.description][col]
        if role == Qt.ItemDataRole.BackgroundRole and col in (6, 7):
            return QBrush(QColor(self._colors.get(f.grade_found if col == 6 else f.grade_now, "#ffffff")))
        if role == Qt.ItemDataRole.ForegroundRole and (f.overdue or (f.is_serious and f.status != "verified")):
            return QBrush(QColor("#B71C1C"))
        if role == Qt.ItemDataRole.ToolTipRole and col == 10:
            return f.description
        return None
