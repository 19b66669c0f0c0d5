"""The filter bar over the findings table: free text and pickers, wrapping onto as many rows as
the width needs; emits a FindingFilter."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from ..rulesets import RuleSet
from ..services.finding_filters import FindingFilter, FindingIndex
from .flow_layout import flow_row
from .i18n import tr
from .rule_names import RuleNames

MIN_CHARS = 9


class FindingFilterBar(QWidget):
    changed = Signal(object)  # FindingFilter

    def __init__(self, ruleset: RuleSet) -> None:
        super().__init__()
        self.text = QLineEdit()
        self.text.setPlaceholderText(tr("搜索编号、部位、描述、规范条款、责任单位……（Ctrl+F）"))
        self.text.setClearButtonEnabled(True)
        self.text.setFixedWidth(340)  # in a flow layout a widget keeps its width: room for the placeholder
        self.building = self._combo(tr("单体"))
        self.floor = self._combo(tr("楼层"))
        self.division = self._combo(tr("分部"))
        self.grade = self._combo(tr("现评等级"))
        self.status = self._combo(tr("状态"))
        self.coverage = self._combo(tr("承保类别"))
        self.inspector = self._combo(tr("记录人"))
        self.overdue = QCheckBox(tr("仅逾期"))
        self.serious = QCheckBox(tr("仅严重缺陷"))
        self.count = QLabel()
        # the pickers wrap onto more rows as the table narrows (a 1280 px laptop, the panel beside it)
        flow_row([self.text, self.building, self.floor, self.division, self.inspector, self.grade, self.status,
                  self.coverage, self.overdue, self.serious, self.count], self)
        self.text.textChanged.connect(self._emit)
        for combo in self._combos():
            combo.currentIndexChanged.connect(self._emit)
        self.overdue.toggled.connect(self._emit)
        self.serious.toggled.connect(self._emit)
        self.set_ruleset(ruleset)

    def set_ruleset(self, ruleset: RuleSet) -> None:
        """Pickers from the shown project's rule set: its grades, statuses, coverage groups, riders."""
        self.ruleset = ruleset
        names = RuleNames(ruleset)
        self._refill(self.grade, [(names.grade(code), code) for code in ruleset.grades])
        self._refill(self.status, list((name, code) for code, name in names.statuses.items()))
        self._refill(self.coverage, [(f"{c} {names.pick(g)}", c) for c, g in ruleset.groups.items()]
                     + [(f"{c} {names.pick(r)}", c) for c, r in ruleset.riders.items()])

    def _combos(self) -> tuple[QComboBox, ...]:
        return (self.building, self.floor, self.division, self.grade, self.status, self.coverage, self.inspector)

    def _combo(self, label: str, items: list[tuple[str, str]] | None = None) -> QComboBox:
        combo = QComboBox()
        combo.setToolTip(label)
        combo.setProperty("label", label)
        # sized to a short text, not to the longest rule-set name: the bar must fit a 1366 px screen
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(MIN_CHARS)
        self._refill(combo, items or [])
        return combo

    def _refill(self, combo: QComboBox, items: list[tuple[str, str]]) -> None:
        combo.blockSignals(True)
        current = combo.currentData()
        combo.clear()
        combo.addItem(tr("{0}：全部").format(combo.property("label")), None)
        for text, value in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)  # the list shows names whole
        combo.blockSignals(False)

    def offer(self, index: FindingIndex) -> None:
        """Fill the pickers whose values come from the data."""
        facets = index.facets()
        self._refill(self.building, [(b, b) for b in facets["buildings"]])
        self._refill(self.floor, [(f, f) for f in facets["floors"]])
        names = RuleNames(self.ruleset)
        self._refill(self.division, [(names.division(d), d) for d in facets["divisions"]])
        self._refill(self.inspector, [(n, n) for n in facets["inspectors"]])

    def current(self) -> FindingFilter:
        def picked(combo: QComboBox) -> frozenset[str]:
            value = combo.currentData()
            return frozenset({value}) if value else frozenset()

        return FindingFilter(text=self.text.text(), buildings=picked(self.building), floors=picked(self.floor),
                             divisions=picked(self.division), grades=picked(self.grade),
                             statuses=picked(self.status), coverages=picked(self.coverage),
                             inspectors=picked(self.inspector),
                             overdue_only=self.overdue.isChecked(), serious_only=self.serious.isChecked())

    def select(self, field: str, value: str | None) -> None:
        """Show only ``value`` of one picker (from a dashboard click); clears the other pickers."""
        for combo in self._combos():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.overdue.blockSignals(True)
        self.serious.blockSignals(True)
        self.overdue.setChecked(field == "overdue")
        self.serious.setChecked(field == "serious")
        self.overdue.blockSignals(False)
        self.serious.blockSignals(False)
        target = {"building": self.building, "grade": self.grade, "status": self.status,
                 "coverage": self.coverage, "floor": self.floor, "division": self.division}.get(field)
        if target is not None and value is not None:
            target.setCurrentIndex(max(0, target.findData(value)))
        self._emit()

    def show_count(self, shown: int, total: int) -> None:
        self.count.setText(tr("显示 {0} / {1} 项").format(shown, total))

    def _emit(self) -> None:
        self.changed.emit(self.current())
