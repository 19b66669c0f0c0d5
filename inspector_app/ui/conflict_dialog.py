"""同步冲突: two laptops changed one field of one finding offline. Both values are shown; the
person chooses 保留本机 (mine), 采用对方 (theirs) or types another value. The choice is an
audited edit and reaches every laptop with the next sync."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..context import AppContext
from ..errors import InspectorError
from ..services import team
from ..services.team import ConflictInfo
from .action_dialog import error_label
from .fit import fit_dialog
from .i18n import error_text, tr

FIELD_NAMES = {"description": "问题描述", "location": "部位", "floor": "楼层", "risk": "风险", "requirement": "整改要求",
               "deadline": "整改期限", "clause": "条款", "number": "编号", "*": "整条记录"}


def shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class ConflictDialog(QDialog):
    """The open conflicts of one finding (or of the project), one chosen at a time."""

    def __init__(self, ctx: AppContext, conflicts: list[ConflictInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.conflicts, self.resolved = ctx, conflicts, 0
        self.setWindowTitle(tr("同步冲突"))
        self.resize(640, 320)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([tr("问题"), tr("字段"), tr("本机的值"), tr("对方的值")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for index in (0, 1):
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        self.value = QLineEdit()
        self.value.setPlaceholderText(tr("或填写另一个值"))
        self.error = error_label()
        mine, theirs, other = QPushButton(tr("保留本机")), QPushButton(tr("采用对方")), QPushButton(tr("采用所填"))
        mine.clicked.connect(lambda: self._resolve("mine"))
        theirs.clicked.connect(lambda: self._resolve("theirs"))
        other.clicked.connect(lambda: self._resolve("value"))
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (mine, theirs):
            buttons.addWidget(b)
        buttons.addWidget(self.value, 1)
        buttons.addWidget(other)
        col = QVBoxLayout(self)
        hint = QLabel(tr("两台电脑离线修改了同一字段。两个值都已保留，当前显示本机的值；请选择保留哪一个。"))
        hint.setWordWrap(True)
        col.addWidget(hint)
        col.addWidget(self.table, 1)
        col.addLayout(buttons)
        col.addWidget(self.error)
        end = QHBoxLayout()
        end.addStretch(1)
        end.addWidget(close)
        col.addLayout(end)
        fit_dialog(self, buttons, self.error, end)  # the hint and the table scroll; the choices stay below
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.conflicts))
        for row, c in enumerate(self.conflicts):
            for col, text in enumerate((c.what, tr(FIELD_NAMES.get(c.field, c.field)), shown(c.mine), shown(c.theirs))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # a long description is cut in the cell
                self.table.setItem(row, col, item)
        if self.conflicts:
            self.table.selectRow(0)

    def _resolve(self, keep: str) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.conflicts):
            return
        value = self.value.text().strip() if keep == "value" else None
        try:
            team.resolve_conflict(self.ctx.db, self.conflicts[row].uid, keep, value)
        except InspectorError as exc:
            self.error.setText(error_text(exc))
            self.error.show()
            return
        self.error.hide()
        self.resolved += 1
        del self.conflicts[row]
        self.value.clear()
        self._fill()
        if not self.conflicts:
            self.accept()
