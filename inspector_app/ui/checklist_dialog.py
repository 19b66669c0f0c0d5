"""The node checklists (检查要点) of a visit: every check item of the nodes visited, grouped by
node, each marked 符合 / 不符合 / 不适用 with a measured value, a note and a photo where the
item asks for them. Saving writes the changed items through the writer lane; a 不符合 opens
a finding (the window's views show it from the operation's Changes). A refused item stays as
typed and says why; the others are saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
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
from ..services import checklists, operations
from ..values.changes import Changes
from ..values.checklist import ChecklistOutcome, ChecklistRow
from ..values.dto import VisitInfo
from .action_dialog import Run, error_label, refusal, run_here, visit_choice
from .fit import fit_dialog
from .i18n import english, listed, tr

ITEM, TEXT, RESULT, VALUE, NOTE, PHOTO, FINDING = range(7)
NODE_BG = QColor("#E8EEF4")
CHANGED_BG = QColor("#FFF8E1")
REFUSED_BG = QColor("#FFEBEE")


@dataclass
class _Line:
    """One item's row: what is stored, and the widgets that edit it."""

    row: ChecklistRow
    table_row: int
    result: QComboBox
    value: QLineEdit
    note: QLineEdit
    photo: QPushButton
    photo_file: str | None = None
    changed: bool = False


@dataclass
class SaveResult:
    outcomes: list[ChecklistOutcome] = field(default_factory=list)
    refused: list[tuple[str, Exception]] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)


class ChecklistDialog(QDialog):
    saved = Signal(object)  # the Changes of a save (findings opened), after the window applied them
    finding_requested = Signal(int)  # double-click on a finding label

    def __init__(self, ctx: AppContext, visits: list[VisitInfo], buildings: list[str], run: Run | None = None,
                 parent: QWidget | None = None, *, visit_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._run = run or run_here
        self.busy = False
        self.lines: dict[str, _Line] = {}
        self.setWindowTitle(tr("检查要点"))
        self.visit = visit_choice(visits, visit_id)
        self.visit.currentIndexChanged.connect(lambda _i: self.load())
        self.building = QComboBox()
        for name in buildings:
            self.building.addItem(name, name)
        self.floor = QLineEdit()
        self.floor.setPlaceholderText(tr("楼层，如 12F"))
        self.location = QLineEdit()
        self.location.setPlaceholderText(tr("部位，如 1201 卫生间"))
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("巡查")))
        top.addWidget(self.visit, 2)
        top.addSpacing(12)
        top.addWidget(QLabel(tr("不符合项生成问题于")))
        top.addWidget(self.building)
        top.addWidget(self.floor)
        top.addWidget(self.location, 1)
        headers = [tr("编号"), tr("检查要点"), tr("结论"), tr("实测值"), tr("备注"), tr("照片"), tr("问题")]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        # rows follow the wrapped text as the dialog is resized (measured once, they kept the narrow width)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        for col, width in ((ITEM, 64), (RESULT, 92), (VALUE, 110), (NOTE, 200), (PHOTO, 84), (FINDING, 64)):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, width)
        self.table.cellDoubleClicked.connect(self._double_clicked)
        self.hint = QLabel(tr("符合：要点要求的实测值须在范围内，要求照片的须附照片。不符合：保存时生成问题（预填分部、承保类别、"
                              "依据条款）；之后改为符合或不适用不会删除该问题。"))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#555")
        self.error = error_label()
        self.save_button = QPushButton(tr("保存更改"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        page = QVBoxLayout(self)
        page.addLayout(top)
        page.addWidget(self.table, 1)
        page.addWidget(self.hint)
        page.addLayout(buttons)
        self._fit_screen()
        fit_dialog(self, buttons)  # the table and hint scroll; save and close stay below them
        self.load()

    def _fit_screen(self) -> None:
        """As large as useful, never larger than the screen (1366×768 laptops): the table scrolls."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        avail = screen.availableGeometry() if screen is not None else None
        width = min(1200, (avail.width() - 40) if avail else 1200)
        height = min(700, (avail.height() - 60) if avail else 700)
        self.setMinimumSize(min(720, width), min(420, height))
        self.resize(width, height)

    @property
    def visit_id(self) -> int | None:
        data = self.visit.currentData()
        return int(data) if data is not None else None

    # -- showing -----------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the visit's items as stored (a read) and show them; unsaved edits are dropped."""
        self.lines.clear()
        self.table.setRowCount(0)
        self.error.clear()
        visit_id = self.visit_id
        rows = checklists.show(self.ctx.db, visit_id) if visit_id is not None else []
        node = None
        for r in rows:
            if r.node_code != node:
                node = r.node_code
                self._node_row(f"{r.node_code} {r.node_name_en if english() and r.node_name_en else r.node_name}")
            self._item_row(r)
        if not rows:
            self._node_row(tr("本次巡查的节点没有检查要点"))
        self.save_button.setEnabled(bool(rows))

    def _node_row(self, title: str) -> None:
        at = self.table.rowCount()
        self.table.insertRow(at)
        cell = QTableWidgetItem(title)
        font = QFont(cell.font())
        font.setBold(True)
        cell.setFont(font)
        cell.setBackground(QBrush(NODE_BG))
        self.table.setItem(at, 0, cell)
        self.table.setSpan(at, 0, 1, self.table.columnCount())

    def _item_row(self, r: ChecklistRow) -> None:
        at = self.table.rowCount()
        self.table.insertRow(at)
        self.table.setItem(at, ITEM, QTableWidgetItem(r.item_id))
        text = r.text_en if english() and r.text_en else r.text
        clause = r.clause_en if english() and r.clause_en else r.clause
        extra = [tr("依据：{0}").format(clause)] if clause else []
        cell = QTableWidgetItem("\n".join([text, *extra]))
        cell.setToolTip(text)
        self.table.setItem(at, TEXT, cell)
        result = QComboBox()
        for name, code in (("—", None), (tr("符合"), "ok"), (tr("不符合"), "fail"), (tr("不适用"), "na")):
            result.addItem(name, code)
        result.setCurrentIndex(result.findData(r.result))
        value = QLineEdit(r.value or "")
        if r.asks_value:
            label = r.value_label_en if english() and r.value_label_en else r.value_label
            value.setPlaceholderText(r.bounds() or r.unit)
            value.setToolTip(f"{label} {r.bounds() or r.unit}".strip())
        else:
            value.setEnabled(False)
        note = QLineEdit(r.note or "")
        photo = QPushButton(self._photo_text(r, None))
        if not r.photo_required and r.photo_id is None:
            photo.setToolTip(tr("可选"))
        line = _Line(r, at, result, value, note, photo)
        self.lines[r.item_id] = line
        result.currentIndexChanged.connect(lambda _i, item=r.item_id: self._changed(item))
        value.textEdited.connect(lambda _t, item=r.item_id: self._changed(item))
        note.textEdited.connect(lambda _t, item=r.item_id: self._changed(item))
        photo.clicked.connect(lambda _c=False, item=r.item_id: self.choose_photo(item))
        self.table.setCellWidget(at, RESULT, result)
        self.table.setCellWidget(at, VALUE, value)
        self.table.setCellWidget(at, NOTE, note)
        self.table.setCellWidget(at, PHOTO, photo)
        self.table.setItem(at, FINDING, QTableWidgetItem(r.finding_label or ""))

    @staticmethod
    def _photo_text(r: ChecklistRow, pending: str | None) -> str:
        if pending:
            return tr("待导入")
        if r.photo_id is not None:
            return tr("已附 ✓")
        return tr("需照片…") if r.photo_required else tr("照片…")

    def _changed(self, item_id: str, refused: bool = False) -> None:
        line = self.lines[item_id]
        line.changed = True
        for col in (ITEM, TEXT):
            cell = self.table.item(line.table_row, col)
            if cell is not None:
                cell.setBackground(QBrush(REFUSED_BG if refused else CHANGED_BG))

    def choose_photo(self, item_id: str, path: str | None = None) -> None:
        """The photo of one item (a file chosen now, imported as a test photo when saved)."""
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, tr("选择照片"), "",
                                                        tr("照片 (*.jpg *.jpeg *.png *.heic *.heif)"))
        if not path:
            return
        line = self.lines[item_id]
        line.photo_file = path
        line.photo.setText(self._photo_text(line.row, path))
        line.photo.setToolTip(Path(path).name)
        self._changed(item_id)

    def set_result(self, item_id: str, result: str | None, value: str | None = None, note: str | None = None) -> None:
        """Mark an item as the inspector would (tests, and keyboard macros)."""
        line = self.lines[item_id]
        line.result.setCurrentIndex(line.result.findData(result))
        if value is not None:
            line.value.setText(value)
        if note is not None:
            line.note.setText(note)
        self._changed(item_id)

    def _double_clicked(self, row: int, col: int) -> None:
        line = next((x for x in self.lines.values() if x.table_row == row), None)
        if col == FINDING and line is not None and line.row.finding_id is not None:
            self.finding_requested.emit(line.row.finding_id)

    # -- saving ------------------------------------------------------------------------------------
    def pending(self) -> list[_Line]:
        return [x for x in self.lines.values() if x.changed]

    def save(self) -> None:
        visit_id = self.visit_id
        todo = self.pending()
        if self.busy or visit_id is None:
            return
        unmarked = [x.row.item_id for x in todo if x.result.currentData() is None]
        todo = [x for x in todo if x.result.currentData() is not None]
        if not todo:
            self.error.setText(tr("没有要保存的结论：请先为要点选择 符合 / 不符合 / 不适用") if unmarked else "")
            return
        ctx = self.ctx
        where = {"building": self.building.currentData(), "floor": self.floor.text().strip() or None,
                 "location": self.location.text().strip() or None}
        entries = [(x.row.item_id, x.result.currentData(), x.value.text(), x.note.text(), x.photo_file) for x in todo]

        def work() -> tuple[SaveResult, Changes]:
            done = SaveResult()
            for item_id, result, value, note, photo in entries:
                try:
                    outcome, changes = operations.set_checklist_item(
                        ctx, visit_id, item_id, result, photo_file=photo, value=value, note=note, **where)
                except InspectorError as exc:
                    done.refused.append((item_id, exc))
                    continue
                done.outcomes.append(outcome)
                done.changes = done.changes | changes
            return done, done.changes

        self.busy = True
        self.save_button.setEnabled(False)
        self._run(work, self._saved, self._failed)

    def _saved(self, result: tuple[SaveResult, Changes]) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        done = result[0]
        for outcome in done.outcomes:
            self._show_saved(outcome)
        opened = [o.opened.label for o in done.outcomes if o.opened is not None]
        lines = []
        if opened:
            lines.append(tr("已生成问题：{0}").format(listed(opened)))
        for item_id, exc in done.refused:
            self._changed(item_id, refused=True)
            lines.append(tr("未保存 {0}：{1}").format(item_id, refusal(exc)))
        self.error.setStyleSheet("color:#B71C1C" if done.refused else "color:#1B5E20")
        self.error.setText("\n".join(lines) or tr("已保存 {0} 项").format(len(done.outcomes)))
        self.saved.emit(done.changes)

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        self.error.setStyleSheet("color:#B71C1C")
        self.error.setText(tr("未保存：{0}").format(refusal(exc)))

    def _show_saved(self, outcome: ChecklistOutcome) -> None:
        r = outcome.row
        line = self.lines.get(r.item_id)
        if line is None:
            return
        line.row, line.changed, line.photo_file = r, False, None
        for widget, text in ((line.value, r.value or ""), (line.note, r.note or "")):
            widget.setText(text)
        line.photo.setText(self._photo_text(r, None))
        finding = self.table.item(line.table_row, FINDING)
        if finding is not None:
            finding.setText(r.finding_label or "")
        for col in (ITEM, TEXT):
            cell = self.table.item(line.table_row, col)
            if cell is not None:
                cell.setBackground(QBrush())

    def values(self) -> dict[str, Any]:
        """What the dialog shows per item (tests)."""
        return {k: (x.result.currentData(), x.value.text(), x.note.text(), x.row.finding_label)
                for k, x in self.lines.items()}
