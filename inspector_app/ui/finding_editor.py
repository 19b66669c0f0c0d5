"""Keyboard-first entry of findings: Tab through the fields, pickers with type-ahead, earlier
texts offered as you type, Ctrl+Enter saves and starts the next one with the last building,
floor, division, coverage and grade kept. Nothing is lost to a forgotten Save button: each
saved finding is committed at once (on the window's writer lane; a refusal comes back here).
Pickers, names and defaults come from the project's rule set."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
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
from ..values.dto import FloorPlanInfo, ProjectDetail
from .action_dialog import Run, refusal, run_here
from .i18n import listed, tr
from .pickers import NameHint, combo, picked, typeahead
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


class FindingEditor(QDialog):
    saved = Signal(object)  # Changes (the new finding in ``changes.findings``)

    def __init__(self, ctx: AppContext, project: ProjectDetail, ruleset: RuleSet, sug: EntrySuggestions,
                 parent: QWidget | None = None, *, run: Run | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._run = run or run_here
        self.busy = False
        names = RuleNames(ruleset)
        self.hints: dict[QComboBox, NameHint] = {}
        self.setWindowTitle(tr("记录问题 · {0}").format(project.name))
        self.resize(720, 560)
        self.visit = combo([(tr("第 {0} 次巡查 {1}").format(number, day), vid) for vid, number, day in sug.visits])
        self.building = combo([(b.name, b.name) for b in project.buildings], editable=True)
        words = [w for w in (tr("屋面"), tr("室外")) if w not in sug.floors]  # typed as the inspector reads them
        self.floor = combo([(f, f) for f in [*sug.floors, *words]], editable=True)
        self.location = QLineEdit()
        self.location.setPlaceholderText(tr("轴线/房间，如 ③~⑤/Ⓐ~Ⓑ轴、1201户卫生间"))
        typeahead(self.location, sug.locations)
        self.subdivision = combo([(names.subdivision(code), code) for code, _label in sug.subdivisions], editable=True)
        bought = {c.code for c in project.coverage}  # a finding carries only a rider the policy bought
        self.coverage = combo([(names.coverage(c), c) for c in
                                [*ruleset.coverages, *(r for r in ruleset.riders if r in bought)]], editable=True)
        self.ruleset = ruleset
        self.tag_reason = QLineEdit()
        self.tag_reason.setPlaceholderText(tr("分部不在该承保类别对应的分部之内：说明为何如此标记"))
        self.grade = combo([(names.grade(code), code) for code in ruleset.grades])
        self.description = QLineEdit()
        self.description.setPlaceholderText(tr("问题描述：部位、现象、实测数据"))
        typeahead(self.description, sug.descriptions)
        self.risk = QLineEdit()
        self.clause = QLineEdit()
        self.clause.setPlaceholderText(tr("如 GB 50204-2015 第5.5.2条"))
        typeahead(self.clause, sug.clauses)
        self.requirement = QLineEdit()
        typeahead(self.requirement, sug.requirements)
        self.deadline = QLineEdit()
        self.deadline.setPlaceholderText(tr("YYYY-MM-DD；留空则按等级默认期限"))
        self.responsible = combo([("—", None)] + [(f"{names.party_role(p.role)} {p.name}", p.name)
                                                   for p in project.parties])
        self.error = QLabel()
        self.error.setStyleSheet("color:#B71C1C")
        self.error.setWordWrap(True)
        form = QFormLayout()
        for label, widget in ((tr("巡查"), self.visit), (tr("单体"), self.building), (tr("楼层"), self.floor),
                              (tr("部位"), self.location), (tr("子分部"), self._hinted(self.subdivision)),
                              (tr("承保类别"), self._hinted(self.coverage)), (tr("等级"), self.grade),
                              (tr("问题描述"), self.description), (tr("风险"), self.risk),
                              (tr("依据条款"), self.clause), (tr("整改要求"), self.requirement),
                              (tr("整改期限"), self.deadline),
                              (tr("责任单位"), self.responsible), (tr("标记理由"), self.tag_reason)):
            form.addRow(label, widget)
        self.form = form
        self.pin: tuple[FloorPlanInfo, float, float] | None = None  # recorded from a floor plan: where
        self.pin_label = QLabel()
        self.pin_label.setWordWrap(True)
        form.insertRow(3, tr("图纸位置"), self.pin_label)
        form.setRowVisible(self.pin_label, False)
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
        for box in (self.subdivision, self.coverage):
            box.currentTextChanged.connect(self._tags_changed)
        self.visit_defaults = sug.visit_defaults
        self.visit.currentIndexChanged.connect(self._visit_defaults)
        self._visit_defaults()
        self._tags_changed()

    def _hinted(self, combo: QComboBox) -> QWidget:
        """An editable code picker with the name of the typed code beside it, as it is typed."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        hint = NameHint(combo)
        hint.setMinimumWidth(150)  # room for the name, so the row does not jump while typing
        self.hints[combo] = hint
        row.addWidget(combo, 1)
        row.addWidget(hint)
        return box

    def _visit_defaults(self, *_: Any) -> None:
        """The chosen visit's nodes set the sub-division and coverage category a finding starts with
        (N03 raft waterproofing: 0107 地下防水, WPI-2), from the rule set's node template."""
        found = self.visit_defaults.get(self.visit.currentData())
        if found is None:
            return
        codes = [str(self.subdivision.itemData(i)) for i in range(self.subdivision.count())]
        sub = found.subdivision or next((c for c in codes if c.startswith(found.division)), None)
        if sub in codes:
            self.subdivision.setCurrentIndex(codes.index(sub))
        if self.coverage.findData(found.coverage) >= 0:
            self.coverage.setCurrentIndex(self.coverage.findData(found.coverage))

    def _tags_changed(self, *_: Any) -> None:
        """The reason field shows only when the division lies outside the coverage category's map."""
        allowed = self.ruleset.allowed_divisions(self._picked(self.coverage))
        division = self._picked(self.subdivision)[:2]
        outside = bool(allowed) and bool(division) and division not in allowed
        self.form.setRowVisible(self.tag_reason, outside)
        self.tag_reason.setToolTip(tr("{0} 对应的分部：{1}").format(self._picked(self.coverage), listed(allowed)))

    def _picked(self, combo: QComboBox) -> str:
        """The value of an editable picker: its item when typed text means one ("2#" is 2#楼, "0107"
        is 0107 地下防水), else the typed code."""
        return picked(combo)

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
        pin = self.pin

        def work() -> Any:
            if pin is None:
                return operations.record_finding(ctx, visit_id, **fields)
            return operations.record_finding_on_plan(ctx, visit_id, pin[0].id, pin[1], pin[2], **fields)

        self._run(work, self._saved, self._refused)

    def set_pin(self, plan: FloorPlanInfo, x: float, y: float) -> None:
        """The next finding is recorded on a floor plan: pinned at (x, y) in the drawing's pixels, its
        building and floor those of the drawing."""
        self.pin = (plan, x, y)
        index = self.building.findData(plan.building)
        if index >= 0:
            self.building.setCurrentIndex(index)
        else:
            self.building.setCurrentText(plan.building)
        self.floor.setCurrentText(plan.floor)
        self.pin_label.setText(tr("{0} {1} 平面图上的点 ({2:.0f}, {3:.0f})：保存时在此放置图钉").format(
            plan.building, plan.floor, x, y))
        self.form.setRowVisible(self.pin_label, True)

    def clear_pin(self) -> None:
        self.pin = None
        self.form.setRowVisible(self.pin_label, False)

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
        if self.pin is not None:  # the next finding is somewhere else: click the plan again to pin it
            self.error.setText(self.error.text() + tr("图钉已放在 {0} {1} 平面图上。").format(
                self.pin[0].building, self.pin[0].floor))
            self.clear_pin()
        for field in (self.location, self.description, self.risk, self.clause, self.requirement, self.deadline):
            field.clear()
        self.saved.emit(changes)
        self.location.setFocus()

