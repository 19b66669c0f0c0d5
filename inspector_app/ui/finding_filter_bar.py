"""The filter bar over the findings table: free text and pickers; emits a FindingFilter."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from ..rulesets import RuleSet
from ..services.finding_filters import FindingFilter, FindingIndex
from ..services.rules import STATUS_NAMES

ANY = "全部"


class FindingFilterBar(QWidget):
    changed = Signal(object)  # FindingFilter

    def __init__(self, ruleset: RuleSet) -> None:
        super().__init__()
        self.text = QLineEdit()
        self.text.setPlaceholderText("搜索编号、部位、描述、规范条款、责任单位……（Ctrl+F）")
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(240)
        self.building = self._combo("单体")
        self.grade = self._combo("现评等级", [(f"{g.code} {g.name}", g.code) for g in ruleset.grades.values()])
        self.status = self._combo("状态", [(name, code) for code, name in STATUS_NAMES.items()])
        self.coverage = self._combo("承保类别", [("STR 地基基础和主体结构", "STR"), ("WPI 保温和防水", "WPI")] +
                                    [(f"{c} {r['name']}", c) for c, r in ruleset.riders.items()])
        self.overdue = QCheckBox("仅逾期")
        self.serious = QCheckBox("仅严重缺陷")
        self.count = QLabel()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 3)
        for w in (self.building, self.grade, self.status, self.coverage, self.overdue, self.serious, self.count):
            row.addWidget(w)
        self.text.textChanged.connect(self._emit)
        for combo in (self.building, self.grade, self.status, self.coverage):
            combo.currentIndexChanged.connect(self._emit)
        self.overdue.toggled.connect(self._emit)
        self.serious.toggled.connect(self._emit)

    def _combo(self, label: str, items: list[tuple[str, str]] | None = None) -> QComboBox:
        combo = QComboBox()
        combo.setToolTip(label)
        combo.addItem(f"{label}：{ANY}", None)
        for text, value in items or []:
            combo.addItem(text, value)
        return combo

    def offer(self, index: FindingIndex) -> None:
        """Fill the pickers whose values come from the data (buildings)."""
        self.building.blockSignals(True)
        current = self.building.currentData()
        self.building.clear()
        self.building.addItem(f"单体：{ANY}", None)
        for name in index.facets()["buildings"]:
            self.building.addItem(name, name)
        self.building.setCurrentIndex(max(0, self.building.findData(current)))
        self.building.blockSignals(False)

    def current(self) -> FindingFilter:
        def picked(combo: QComboBox) -> frozenset[str]:
            value = combo.currentData()
            return frozenset({value}) if value else frozenset()

        return FindingFilter(text=self.text.text(), buildings=picked(self.building), grades=picked(self.grade),
                             statuses=picked(self.status), coverages=picked(self.coverage),
                             overdue_only=self.overdue.isChecked(), serious_only=self.serious.isChecked())

    def show_count(self, shown: int, total: int) -> None:
        self.count.setText(f"显示 {shown} / {total} 项")

    def _emit(self) -> None:
        self.changed.emit(self.current())
