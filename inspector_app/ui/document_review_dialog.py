"""资料核查 of a visit: the documents and test reports the inspector reviewed, with their results
(符合 / 不符合 / 缺失), and a form to add one. A failure links a finding already recorded or
opens a new one (building, coverage category, division, grade) in the same write; the window
shows it from the operation's Changes. A refusal says why and keeps what was typed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..context import AppContext
from ..rulesets import RuleSet
from ..services import document_reviews, operations
from ..values.changes import Changes
from ..values.document_review import DocumentReviewInfo, DocumentReviewOutcome
from ..values.dto import FindingInfo, VisitInfo
from .action_dialog import Run, error_label, refusal, run_here, visit_choice
from .fit import fit_dialog
from .i18n import tr
from .rule_names import RuleNames

KIND, NAME, REFERENCE, RESULT, NOTE, FINDING = range(6)
NAME_LIMIT = 200


def _kinds() -> list[tuple[str, str]]:
    return [(tr("资料"), "document"), (tr("检测报告"), "test")]


def _results() -> list[tuple[str, str]]:
    return [(tr("符合"), "ok"), (tr("不符合"), "fail"), (tr("缺失"), "missing")]


def _combo(items: list[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    # long names (a coverage category's text) must not widen the dialog past a 1366-pixel screen
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)
    for text, value in items:
        combo.addItem(text, value)
    return combo


class DocumentReviewDialog(QDialog):
    saved = Signal(object)  # the Changes of an added review (a finding opened), after the window applied them
    finding_requested = Signal(int)  # double-click on a finding label

    def __init__(self, ctx: AppContext, visits: list[VisitInfo], buildings: list[str], ruleset: RuleSet,
                 coverages: list[str], findings: list[FindingInfo], run: Run | None = None,
                 parent: QWidget | None = None, *, visit_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._run = run or run_here
        self.busy = False
        self.ruleset = ruleset
        self.names = RuleNames(ruleset)
        self.rows: list[DocumentReviewInfo] = []
        self.findings = sorted(findings, key=lambda f: (not f.is_open, -f.number))  # open ones first, newest first
        self.setWindowTitle(tr("资料核查"))
        self.visit = visit_choice(visits, visit_id)
        self.visit.currentIndexChanged.connect(lambda _i: self.load())
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("巡查")))
        top.addWidget(self.visit, 1)
        self.table = self._make_table()
        self.remove_button = QPushButton(tr("删除所选"))
        self.remove_button.setToolTip(tr("误录时删除（审计日志留存；关联的问题保留）"))
        self.remove_button.clicked.connect(lambda _c=False: self.remove_selected())
        self.form = self._make_form(buildings, coverages)
        self.error = error_label()
        self.add_button = QPushButton(tr("添加"))
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.reject)
        under = QHBoxLayout()
        under.addStretch(1)
        under.addWidget(self.remove_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(close)
        page = QVBoxLayout(self)
        page.addLayout(top)
        page.addWidget(self.table, 1)
        page.addLayout(under)
        page.addWidget(self.form)
        page.addLayout(buttons)
        self._fit_screen()
        fit_dialog(self, buttons)  # the list and the form scroll; add and close stay below them
        self._result_changed()
        self.load()

    # -- building ---------------------------------------------------------------------------------
    def _make_table(self) -> QTableWidget:
        headers = [tr("类型"), tr("资料名称"), tr("编号或日期"), tr("结论"), tr("备注"), tr("问题")]
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().setVisible(False)
        # rows follow the wrapped text as the dialog is resized (measured once, they kept the narrow width)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.setWordWrap(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        head = table.horizontalHeader()
        head.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((KIND, 80), (REFERENCE, 150), (RESULT, 80), (NOTE, 220), (FINDING, 64)):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            table.setColumnWidth(col, width)
        table.cellDoubleClicked.connect(self._double_clicked)
        return table

    def _make_form(self, buildings: list[str], coverages: list[str]) -> QGroupBox:
        box = QGroupBox(tr("新增核查记录"))
        self.name = QLineEdit()
        self.name.setMaxLength(NAME_LIMIT)
        self.name.setPlaceholderText(tr("如 钢筋原材复试报告"))
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(tr("报告编号或日期"))
        self.kind = _combo(_kinds())
        self.conclusion = _combo(_results())
        self.conclusion.currentIndexChanged.connect(lambda _i: self._result_changed())
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("不符合或缺失时写入问题描述"))
        self.link = QRadioButton(tr("关联已有问题"))
        self.open_new = QRadioButton(tr("生成新问题"))
        self.how = QButtonGroup(box)
        self.how.addButton(self.link)
        self.how.addButton(self.open_new)
        self.open_new.setChecked(True)
        self.link.toggled.connect(lambda _on: self._result_changed())
        self.finding = _combo([(f"{f.label} {f.grade_found} {f.description[:40]}", f.id) for f in self.findings])
        self.building = _combo([(b, b) for b in buildings])
        self.coverage = _combo([(self.names.coverage(c), c) for c in coverages])
        self.coverage.currentIndexChanged.connect(lambda _i: self._offer_divisions())
        self.division = _combo([])
        self.grade = _combo([(tr("默认（缺失 E，检测不符合 C）"), None),
                             *((self.names.grade(g), g) for g in self.ruleset.grades)])
        grid = QGridLayout(box)
        grid.addWidget(QLabel(tr("资料名称")), 0, 0)
        grid.addWidget(self.name, 0, 1, 1, 3)
        grid.addWidget(QLabel(tr("编号或日期")), 0, 4)
        grid.addWidget(self.reference, 0, 5)
        grid.addWidget(QLabel(tr("类型")), 1, 0)
        grid.addWidget(self.kind, 1, 1)
        grid.addWidget(QLabel(tr("结论")), 1, 2)
        grid.addWidget(self.conclusion, 1, 3)
        grid.addWidget(QLabel(tr("备注")), 1, 4)
        grid.addWidget(self.note, 1, 5)
        grid.addWidget(self.link, 2, 0)
        grid.addWidget(self.finding, 2, 1, 1, 5)
        grid.addWidget(self.open_new, 3, 0)
        new = QHBoxLayout()
        for label, widget in ((tr("单体"), self.building), (tr("承保类别"), self.coverage),
                              (tr("分部"), self.division), (tr("等级"), self.grade)):
            new.addWidget(QLabel(label))
            new.addWidget(widget, 1)
        grid.addLayout(new, 3, 1, 1, 5)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(5, 2)
        self._offer_divisions()
        return box

    def _offer_divisions(self) -> None:
        """The divisions a finding of the chosen coverage category may sit in (the rule set's map)."""
        allowed = self.ruleset.allowed_divisions(str(self.coverage.currentData() or "")) or tuple(self.ruleset.divisions)
        self.division.clear()
        for code in allowed:
            entry = self.ruleset.divisions.get(code)
            self.division.addItem(f"{code} {self.names.pick(entry)}" if entry else code, code)

    def _fit_screen(self) -> None:
        """As large as useful, never larger than the screen (1366×768 laptops): the list scrolls."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        avail = screen.availableGeometry() if screen is not None else None
        width = min(1100, (avail.width() - 40) if avail else 1100)
        height = min(640, (avail.height() - 60) if avail else 640)
        self.setMinimumSize(min(760, width), min(460, height))
        self.resize(width, height)

    def _result_changed(self) -> None:
        """The finding part applies to a failure only; a link or a new finding, not both."""
        failed = self.conclusion.currentData() in ("fail", "missing")
        has_findings = self.finding.count() > 0
        self.link.setEnabled(failed and has_findings)
        self.open_new.setEnabled(failed)
        if not has_findings:
            self.open_new.setChecked(True)
        linking = self.link.isChecked()
        self.finding.setEnabled(failed and linking)
        for widget in (self.building, self.coverage, self.division, self.grade):
            widget.setEnabled(failed and not linking)

    @property
    def visit_id(self) -> int | None:
        data = self.visit.currentData()
        return int(data) if data is not None else None

    # -- showing -----------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the visit's reviews as stored (a read) and list them."""
        visit_id = self.visit_id
        self.rows = document_reviews.list_document_reviews(self.ctx.db, visit_id) if visit_id is not None else []
        self.table.setRowCount(0)
        kinds, results = dict((v, t) for t, v in _kinds()), dict((v, t) for t, v in _results())
        for r in self.rows:
            at = self.table.rowCount()
            self.table.insertRow(at)
            for col, text in ((KIND, kinds.get(r.kind, r.kind)), (NAME, r.name), (REFERENCE, r.reference or ""),
                              (RESULT, results.get(r.result, r.result)), (NOTE, r.note or ""),
                              (FINDING, r.finding_label or "")):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(at, col, cell)
        self.remove_button.setEnabled(bool(self.rows))
        self.add_button.setEnabled(visit_id is not None)

    def _double_clicked(self, row: int, col: int) -> None:
        if col == FINDING and 0 <= row < len(self.rows) and self.rows[row].finding_id is not None:
            finding_id = self.rows[row].finding_id
            assert finding_id is not None
            self.finding_requested.emit(finding_id)

    def fill(self, name: str, result: str, *, kind: str = "document", reference: str = "", note: str = "",
             finding_id: int | None = None, building: str | None = None, coverage: str | None = None,
             division: str | None = None, grade: str | None = None) -> None:
        """Fill the form as the inspector would (tests, and keyboard macros)."""
        self.name.setText(name)
        self.reference.setText(reference)
        self.note.setText(note)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.conclusion.setCurrentIndex(self.conclusion.findData(result))
        (self.link if finding_id is not None else self.open_new).setChecked(True)
        if finding_id is not None:
            self.finding.setCurrentIndex(self.finding.findData(finding_id))
        for combo, value in ((self.building, building), (self.coverage, coverage), (self.division, division),
                             (self.grade, grade)):
            if value is not None:
                combo.setCurrentIndex(combo.findData(value))
        self._result_changed()

    # -- writing -----------------------------------------------------------------------------------
    def fields(self) -> dict[str, Any]:
        """What the form says, as the operation takes it."""
        failed = self.conclusion.currentData() in ("fail", "missing")
        out: dict[str, Any] = {"kind": self.kind.currentData(), "reference": self.reference.text(),
                               "note": self.note.text()}
        if failed and self.link.isChecked():
            out["finding_id"] = self.finding.currentData()
        elif failed:
            out |= {"building": self.building.currentData(), "coverage": self.coverage.currentData(),
                    "division": self.division.currentData(), "grade": self.grade.currentData()}
        return out

    def add(self) -> None:
        visit_id = self.visit_id
        if self.busy or visit_id is None:
            return
        ctx, name, result, fields = self.ctx, self.name.text(), str(self.conclusion.currentData()), self.fields()

        def work() -> tuple[DocumentReviewOutcome, Changes]:
            return operations.record_document_review(ctx, visit_id, name, result, **fields)

        self.busy = True
        self.add_button.setEnabled(False)
        self._run(work, self._added, self._failed)

    def _added(self, result: tuple[DocumentReviewOutcome, Changes]) -> None:
        self.busy = False
        self.add_button.setEnabled(True)
        outcome, changes = result
        if outcome.opened is not None:  # linkable from now on
            self.findings.insert(0, outcome.opened)
            self.finding.insertItem(0, f"{outcome.opened.label} {outcome.opened.grade_found} "
                                       f"{outcome.opened.description[:40]}", outcome.opened.id)
        for widget in (self.name, self.reference, self.note):
            widget.clear()
        self.load()
        self.error.setStyleSheet("color:#1B5E20")
        said = tr("已记录：{0}").format(outcome.review.name)
        if outcome.opened is not None:
            said += tr("；已生成问题 {0}").format(outcome.opened.label)
        self.error.setText(said)
        self.name.setFocus()
        self.saved.emit(changes)

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.add_button.setEnabled(True)
        self.error.setStyleSheet("color:#B71C1C")
        self.error.setText(tr("未保存：{0}").format(refusal(exc)))

    def remove_selected(self, *, ask: bool = True) -> None:
        """Remove the selected review (recorded by mistake); its finding stays."""
        row = self.table.currentRow()
        if self.busy or not 0 <= row < len(self.rows):
            return
        chosen = self.rows[row]
        if ask and QMessageBox.question(self, tr("删除核查记录"), tr("删除“{0}”？关联的问题保留，审计日志留存。").format(
                chosen.name)) != QMessageBox.StandardButton.Yes:
            return
        ctx = self.ctx

        def removed(_gone: Any) -> None:
            self.busy = False
            self.load()
            self.error.setStyleSheet("color:#1B5E20")
            self.error.setText(tr("已删除：{0}").format(chosen.name))

        self.busy = True
        self._run(lambda: operations.remove_document_review(ctx, chosen.id), removed, self._failed)
