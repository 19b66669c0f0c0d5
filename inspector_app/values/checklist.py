"""Node checklists (检查要点) as values: one row per check item of a node visited, with what the
inspector marked (符合 / 不符合 / 不适用), the measured value and the finding a 不符合 opened.

Frozen and JSON round-trippable (a process report's snapshot carries them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .dto import FindingInfo

RESULTS = ("ok", "fail", "na")
RESULT_NAMES = {"ok": "符合", "fail": "不符合", "na": "不适用"}
RESULT_NAMES_EN = {"ok": "Conforms", "fail": "Does not conform", "na": "Not applicable"}


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    visit_id: int
    visit_number: int
    node_code: str
    node_name: str
    item_id: str
    text: str
    text_en: str = ""
    division: str = ""
    node_name_en: str = ""  # the rule set's English name while the project keeps the template's node name
    clause_en: str | None = None
    subdivision: str | None = None
    coverage: str = ""
    clause: str | None = None
    photo_required: bool = False
    value_label: str | None = None  # the item asks for a measured value when set
    value_label_en: str | None = None
    unit: str = ""
    min: float | None = None
    max: float | None = None
    result: str | None = None  # ok | fail | na; None while not yet marked
    value: str | None = None
    note: str | None = None
    finding_id: int | None = None  # the finding a 不符合 opened (kept when the item is later re-marked)
    finding_label: str | None = None
    finding_status: str | None = None
    photo_id: int | None = None
    recorded_at: datetime | None = None
    recorded_by: str | None = None

    @property
    def asks_value(self) -> bool:
        return self.value_label is not None

    @property
    def result_name(self) -> str:
        return RESULT_NAMES.get(self.result or "", "")

    def bounds(self) -> str:
        """The bounds as a reader sees them: "≥ 20 mm", "≤ 600 mm", "0.6–1 MPa", or ""."""
        unit = f" {self.unit}" if self.unit else ""
        if self.min is not None and self.max is not None:
            return f"{number(self.min)}–{number(self.max)}{unit}"
        if self.min is not None:
            return f"≥ {number(self.min)}{unit}"
        if self.max is not None:
            return f"≤ {number(self.max)}{unit}"
        return ""

    def value_text(self) -> str:
        """The measured value with its unit, or ""."""
        if not self.value:
            return ""
        return f"{self.value} {self.unit}".strip()


@dataclass(frozen=True, slots=True)
class ChecklistOutcome:
    """What marking an item did: the row as it now is, and the finding it opened (a 不符合 with no
    open finding linked yet), else None."""

    row: ChecklistRow
    opened: FindingInfo | None = None


def number(value: float) -> str:
    """24.0 -> "24", 0.6 -> "0.6", 1800.0 -> "1800"."""
    return f"{value:.10g}"
