"""Keyboard-first entry of findings: Tab through the fields, pickers with type-ahead, earlier
texts offered as you type, Ctrl+Enter saves and starts the next one with the last building,
floor, division, coverage and grade kept. Nothing is lost to a forgotten Save button: each
saved finding is committed at once (on the window's writer lane; a refusal comes back here).
Pickers, names and defaults come from the project's rule set."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ..context import AppContext
from ..errors import InspectorError
from ..rulesets import RuleSet
from ..services import operations
from ..services.rules import parse_date
from ..services.suggestions import EntrySuggestions
from ..values.dto import ProjectDetail
from .action_dialog import Run, refusal, run_here
from .i18n import tr
from .rule_names import RuleNames


def editor_defaults(ruleset: RuleSet) -> tuple[str, str]:
    """Grade and subdivision a new finding starts with: the rule set's ``editor_defaults`` when it
    names them, else its highest non-serious grade with a deadline and its first subdivision."""
    given = ruleset.raw.get("editor_defaults", {})
    grades = ruleset.grades
    dated = sorted((g for g in grades.values() if not (g.serious or g.behaviour) and g.deadline_days),
                   key=lambda g: g.rank)
    grade = given.get("grade") or (dated[-1].code if dated else next(iter(grades), ""))
    subs = [sub["code"] for d in ruleset.divisions.values() for sub in d.get("subdivisions", [])]
    subdivision = given.get("subdivision") or ("0201" if "0201" in subs else (subs[0] if subs else ""))
    return str(grade), str(subdivision)


def _typeahead(widget: QLineEdit | QComboBox, words: list[str]) -> None:
    completer = QCompleter(words, widget)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    widget.setCompleter(completer)


def _combo(items: list[tuple[str, object]], editable: bool = False) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(editable)
    for text, value in items:
        combo.addItem(text, value)
    if editable:
        _typeahead(combo, [t for t, _ in items])
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return combo


class FindingEditor(QDialog):
    saved = Signal(object)  # Changes (the new finding in ``changes.findings``)

    def __init__(self, ctx: AppContext, project: ProjectDetail, ruleset: RuleSet, sug: EntrySuggestions,
                 parent: QWidget | None = None, *, run: Run | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._run = run or run_here
        self.busy = False
        names = RuleNames(ruleset)
        self.setWindowTitle(tr("记录问题 · {0}").format(project.name))
        self.resize(720, 560)
        self.visit = _combo([(label, vid) for vid, label in sug.visits])
        self.building = _combo([(b.name, b.name) for b in project.buildings], editable=True)
        self.floor = _combo([(f, f) for f in sug.floors], editable=True)
        self.location = QLineEdit()
        self.location.setPlaceholderText(tr("轴线/房间，如 ③~⑤/Ⓐ~Ⓑ轴、1201户卫生间"))
        _typeahead(self.location, sug.locations)
        self.subdivision = _combo([(label, code) for code, label in sug.subdivisions], editable=True)
        bought = {c.code for c in project.coverage}  # a finding carries only a rider the policy bought
        self.coverage = _combo([(names.coverage(c), c) for c in
                                [*ruleset.coverages, *(r for r in ruleset.riders if r in bought)]], editable=True)
        self.ruleset = ruleset
        self.tag_reason = QLineEdit()
        self.tag_reason.setPlaceholderText(tr("分部不在该承保类别对应的分部之内：说明为何如此标记"))
        self.grade = _combo([(names.grade(code), code) for code in ruleset.grades])
        self.description = QLineEdit()
        self.description.setPlaceholderText("问题描述：部位、现象、实测数据")
        _typeahead(self.description, sug.descriptions)
        self.risk = QLineEdit()
        self.clause = QLineEdit()
        self.clause.setPlaceholderText(tr("如 GB 50204-2015 第5.5.2条"))
        _typeahead(self.clause, sug.clauses)
        self.requirement = QLineEdit()
        _typeahead(self.requirement, sug.requirements)
        self.deadline = QLineEdit()
        self.deadline.setPlaceholderText(tr("YYYY-MM-DD；留空则按等级默认期限"))
        self.responsible = _combo([("—", None)] + [(f"{names.party_role(p.role)} {p.name}", p.name)
                                                   for p in project.parties])
        self.error = QLabel()
        self.error.setStyleSheet("color:#B71C1C")
        self.error.setWordWrap(True)
        form = QFormLayout()
        for label, widget in ((tr("巡查"), self.visit), (tr("单体"), self.building), (tr("楼层"), self.floor),
                              (tr("部位"), self.location), (tr("子分部"), self.subdivision),
                              (tr("承保类别"), self.coverage), (tr("等级"), self.grade),
                              (tr("问题描述"), self.description), (tr("风险"), self.risk),
                              (tr("依据条款"), self.clause), (tr("整改要求"), self.requirement),
                              (tr("整改期限"), self.deadline),
                              (tr("责任单位"), self.responsible), (tr("标记理由"), self.tag_reason)):
            form.addRow(label, widget)
        self.form = form
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(tr("保存并继续（Ctrl+Enter）"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("关闭（Esc）"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addWidget(self.error)
        col.addWidget(buttons)
        grade, subdivision = editor_defaults(ruleset)
        self.subdivision.setCurrentIndex(max(0, self.subdivision.findData(subdivision)))
        self.grade.setCurrentIndex(max(0, self.grade.findData(grade)))
        self.saved_count = 0
        for combo in (self.subdivision, self.coverage):
            combo.currentTextChanged.connect(self._tags_changed)
        self._tags_changed()

    def _tags_changed(self, *_: Any) -> None:
        """The reason field shows only when the division lies outside the coverage category's map."""
        allowed = self.ruleset.allowed_divisions(self._picked(self.coverage))
        division = self._picked(self.subdivision)[:2]
        outside = bool(allowed) and bool(division) and division not in allowed
        self.form.setRowVisible(self.tag_reason, outside)
        self.tag_reason.setToolTip(tr("{0} 对应的分部：{1}").format(self._picked(self.coverage), "、".join(allowed)))

    def _picked(self, combo: QComboBox) -> str:
        """The value of an editable picker: its item when typed text matches one (or begins exactly
        one: "2#" is 2#楼), else the text."""
        typed = combo.currentText().strip()
        index = combo.findText(typed)
        if index < 0 and typed:
            starts = [i for i in range(combo.count()) if combo.itemText(i).startswith(typed)]
            index = starts[0] if len(starts) == 1 else -1
        value = combo.itemData(index) if index >= 0 else None
        return str(value) if value is not None else typed.split(" ")[0].strip()

    def typed_text(self) -> bool:
        """Whether something was typed that saving would keep (the pickers' defaults do not count)."""
        return any(w.text().strip() for w in (self.location, self.description, self.risk, self.clause,
                                              self.requirement, self.deadline, self.tag_reason))

    def reject(self) -> None:
        """Esc or 关闭: a half-typed finding is not thrown away without asking."""
        if self.typed_text() and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(self, tr("放弃未保存的问题？"),
                                      tr("这条问题已填写的内容尚未保存。关闭将放弃这些内容。"),
                                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def save(self) -> None:
        if self.busy:
            return
        try:
            fields = self._fields()
        except InspectorError as exc:
            self._refused(exc)
            return
        ctx, visit_id = self.ctx, int(self.visit.currentData())
        self.busy = True
        self.save_button.setEnabled(False)
        self._run(lambda: operations.record_finding(ctx, visit_id, **fields), self._saved, self._refused)

    def _fields(self) -> dict[str, Any]:
        deadline = parse_date(self.deadline.text(), "整改期限") if self.deadline.text().strip() else None
        sub = self._picked(self.subdivision)
        return dict(building=self._picked(self.building), coverage=self._picked(self.coverage), division=sub[:2],
                    subdivision=sub, grade=str(self.grade.currentData()), description=self.description.text(),
                    floor=self.floor.currentText().strip() or None, location=self.location.text().strip() or None,
                    risk=self.risk.text().strip() or None, clause=self.clause.text().strip() or None,
                    requirement=self.requirement.text().strip() or None, deadline=deadline,
                    responsible=self.responsible.currentData(),
                    tag_reason=self.tag_reason.text().strip() if self.form.isRowVisible(self.tag_reason) else None)

    def _refused(self, exc: Exception) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        self.error.setStyleSheet("color:#B71C1C")
        self.error.setText(tr("未保存：{0}").format(refusal(exc)))

    def _saved(self, changes: Any) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        info = changes.findings[0]
        self.saved_count += 1
        self.error.setText(tr("已保存 {0}（本次共 {1} 项）。继续记录下一项。").format(info.label, self.saved_count))
        self.error.setStyleSheet("color:#1B5E20")
        for field in (self.location, self.description, self.risk, self.clause, self.requirement, self.deadline):
            field.clear()
        self.saved.emit(changes)
        self.location.setFocus()

