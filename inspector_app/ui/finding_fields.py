"""The tags of a saved finding, changed in place in the finding panel: building, sub-division,
coverage category (with the reason when the division lies outside the category's map), grade
(with the reason for the change), the serious call (with its reason) and the responsible party.

A change is saved when it is picked (or its reason typed); the core decides, and a refusal is
shown under the field, naming the field, the value and the rule. A change that needs another
(a reason, a sub-division that fits the new category) stays shown and waiting, the stored
value untouched, until the other comes; choosing another finding drops it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QStringListModel, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from ..values.dto import FindingInfo, ProjectDetail
from .i18n import listed, tr
from .pickers import NameHint, combo, picked
from .rule_names import RuleNames

# Fields saved together: a change in one sends the others of its group that differ from the stored.
GROUPS: dict[str, tuple[str, ...]] = {
    "building": ("building",), "tags": ("subdivision", "coverage", "tag_reason"), "grade": ("grade", "reason"),
    "serious": ("serious", "serious_reason"), "responsible": ("responsible",),
}
GROUP_OF = {key: group for group, keys in GROUPS.items() for key in keys} | {"division": "tags"}
SERIOUS = {"auto": None, "yes": True, "no": False}


def _stored(f: FindingInfo, extras: dict[str, Any], key: str) -> Any:
    """The stored value of ``key``; the override and the tag reason come in ``extras`` (no row shows them)."""
    if key in ("serious", "tag_reason"):
        return extras.get(key)
    return {"building": f.building, "subdivision": f.subdivision_code, "coverage": f.coverage_code,
            "grade": f.grade_now, "serious_reason": f.serious_reason, "responsible": f.responsible_party,
            "reason": None}[key]


class FindingFields(QWidget):
    changed = Signal(dict)  # {field: value}, with "reason" for a grade change

    def __init__(self, names: RuleNames) -> None:
        super().__init__()
        self.finding: FindingInfo | None = None
        self.extras: dict[str, Any] = {}
        self.waiting: set[str] = set()  # groups whose refused change is still shown
        self._showing = False
        self.sent: dict[str, Any] | None = None  # the change on its way (a picker and its Tab both say it)
        self.building = combo([])
        self.subdivision = combo([], editable=True)
        self.coverage = combo([], editable=True)
        self.tag_reason = QLineEdit()
        self.tag_reason.setPlaceholderText(tr("分部不在该承保类别对应的分部之内：说明为何如此标记"))
        self.grade = combo([])
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("变更理由（调整等级时必填）"))
        self.serious = combo([(tr("按等级认定"), "auto"), (tr("认定为严重缺陷"), "yes"), (tr("排除严重缺陷"), "no")])
        self.serious_reason = QLineEdit()
        self.serious_reason.setPlaceholderText(tr("手动认定或排除的理由（必填）"))
        self.responsible = combo([])
        self.hints = {"subdivision": NameHint(self.subdivision), "coverage": NameHint(self.coverage)}
        for hint in self.hints.values():
            hint.setMaximumWidth(150)
            hint.setWordWrap(True)
        for box in (self.building, self.subdivision, self.coverage, self.grade, self.serious, self.responsible):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(8)  # long category names do not widen the panel
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        rows: dict[str, list[tuple[str, list[QWidget]]]] = {
            "building": [(tr("单体"), [self.building])],
            "tags": [(tr("子分部"), [self.subdivision, self.hints["subdivision"]]),
                     (tr("承保类别"), [self.coverage, self.hints["coverage"]]), (tr("标记理由"), [self.tag_reason])],
            "grade": [(tr("等级"), [self.grade, self.reason])],
            "serious": [(tr("严重缺陷"), [self.serious, self.serious_reason])],
            "responsible": [(tr("责任单位"), [self.responsible])],
        }
        self.notes: dict[str, QLabel] = {}
        for group, group_rows in rows.items():
            for label, widgets in group_rows:
                if len(widgets) == 1:
                    self.form.addRow(label, widgets[0])
                    continue
                row = QHBoxLayout()
                for w in widgets:
                    row.addWidget(w, 0 if isinstance(w, QLabel) else 1)
                self.form.addRow(label, row)
            note = QLabel()  # the group's refusal, under its last row
            note.setWordWrap(True)
            note.setStyleSheet("color:#B71C1C")
            self.notes[group] = note
            self.form.addRow(note)
            self.form.setRowVisible(note, False)
        self.set_names(names)
        for box, group in ((self.building, "building"), (self.subdivision, "tags"), (self.coverage, "tags"),
                           (self.grade, "grade"), (self.serious, "serious"), (self.responsible, "responsible")):
            box.currentIndexChanged.connect(lambda _i, g=group: self._changed(g))
        for edit, group in ((self.tag_reason, "tags"), (self.reason, "grade"), (self.serious_reason, "serious")):
            edit.editingFinished.connect(lambda g=group: self._changed(g))
        for box in (self.subdivision, self.coverage):
            line = box.lineEdit()
            assert line is not None
            line.editingFinished.connect(lambda: self._changed("tags"))
            box.currentTextChanged.connect(self._show_tag_reason)

    # -- what is offered --------------------------------------------------------------------------
    def set_names(self, names: RuleNames) -> None:
        """The project's rule set: sub-divisions, coverage categories, grades."""
        self.names = names
        rs = names.ruleset
        self._fill(self.subdivision, [("", "")] + [(names.subdivision(sub["code"]), sub["code"])
                                                    for d in rs.divisions.values() for sub in d["subdivisions"]])
        self._fill(self.coverage, [(names.coverage(c), c) for c in [*rs.coverages, *rs.riders]])
        self._fill(self.grade, [(names.grade(code), code) for code in rs.grades])

    def set_project(self, project: ProjectDetail | None) -> None:
        """The shown project: its buildings and parties."""
        if project is None:
            return
        self._fill(self.building, [(b.name, b.name) for b in project.buildings])
        self._fill(self.responsible, [("—", "")] + [(f"{self.names.party_role(p.role)} {p.name}", p.name)
                                                      for p in project.parties])

    def _fill(self, box: QComboBox, items: Sequence[tuple[str, object]]) -> None:
        self._showing = True
        box.blockSignals(True)
        current = box.currentData()
        box.clear()
        for text, value in items:
            box.addItem(text, value)
        completer = box.completer()
        if completer is not None:
            completer.setModel(QStringListModel([t for t, _ in items], completer))
        box.setCurrentIndex(max(0, box.findData(current)))
        box.blockSignals(False)
        self._showing = False

    # -- showing a finding ------------------------------------------------------------------------
    def show_finding(self, f: FindingInfo, extras: dict[str, Any]) -> None:
        """``extras``: the stored override (``serious``) and ``tag_reason``, as finding_edits names them."""
        if self.finding is None or self.finding.id != f.id:
            self.waiting.clear()
        self.finding, self.extras = f, extras
        self.sent = None
        self.waiting = {g for g in self.waiting if self._differs(g)}  # a saved change is no longer waiting
        self._showing = True
        for group, keys in GROUPS.items():
            if group in self.waiting:
                continue
            for key in keys:
                self._set(key, _stored(f, extras, key))
            self.notes[group].setText("")
            self.form.setRowVisible(self.notes[group], False)
        self._showing = False
        editable = f.status != "closed"
        tip = "" if editable else tr("已关闭的问题不能修改；如需修改请先重新打开")
        for w in (self.building, self.subdivision, self.coverage, self.tag_reason, self.grade, self.reason,
                  self.serious, self.serious_reason, self.responsible):
            w.setEnabled(editable)
            w.setToolTip(tip)
        self._show_tag_reason()

    def _set(self, key: str, value: Any) -> None:
        w = getattr(self, key)
        if isinstance(w, QLineEdit):
            w.setText(value or "")
            return
        if key == "serious":
            value = next(code for code, v in SERIOUS.items() if v is value)
        value = "" if value is None else value
        index = w.findData(value)
        if index < 0 and value and w.isEditable():
            w.setEditText(str(value))  # a code the rule set no longer lists: shown as stored
        else:
            w.setCurrentIndex(max(0, index))
        if w.isEditable() and w.lineEdit() is not None:
            w.lineEdit().setCursorPosition(0)  # a long name shows its code first

    def value(self, key: str) -> Any:
        w = getattr(self, key)
        if isinstance(w, QLineEdit):
            return w.text().strip() or None
        if w.isEditable():
            return picked(w) or None
        if key == "serious":
            return SERIOUS[w.currentData()]
        return w.currentData() or None

    def _differs(self, group: str) -> bool:
        f = self.finding
        return f is not None and any(self.value(k) != _stored(f, self.extras, k) for k in GROUPS[group] if k != "reason")

    def _show_tag_reason(self, *_: Any) -> None:
        """The reason row shows when the division lies outside the coverage category's map (or one is kept)."""
        coverage, sub = self.value("coverage") or "", self.value("subdivision") or ""
        allowed = self.names.ruleset.allowed_divisions(coverage)
        division = sub[:2] if sub else (self.finding.division_code if self.finding else "")
        outside = bool(allowed) and bool(division) and division not in allowed
        self.form.setRowVisible(self.tag_reason, outside or bool(self.tag_reason.text().strip()))
        self.tag_reason.setToolTip(tr("{0} 对应的分部：{1}").format(coverage, listed(allowed)))

    # -- changes ----------------------------------------------------------------------------------
    def _changed(self, group: str) -> None:
        f = self.finding
        if self._showing or f is None or f.status == "closed":
            return
        fields = {k: self.value(k) for k in GROUPS[group] if k != "reason" and self.value(k) != _stored(f, self.extras, k)}
        if not fields:
            self.waiting.discard(group)
            self.form.setRowVisible(self.notes[group], False)
            return
        if group == "grade":
            fields["reason"] = self.value("reason")
        if fields == self.sent:
            return
        self.sent = fields
        self.changed.emit(fields)

    def refused(self, key: str, text: str) -> None:
        """A refusal of a change to ``key``: said under its group, the change kept waiting there."""
        self.sent = None  # the same change may be tried again
        group = GROUP_OF.get(key, key)
        if group not in self.notes:
            return
        self.waiting.add(group)
        self.notes[group].setText(text)
        self.form.setRowVisible(self.notes[group], True)
        focus = {"grade": self.reason, "serious": self.serious_reason}.get(group)
        if focus is not None and not focus.text().strip():
            focus.setFocus()  # what the rule asks for next
