"""Rule sets are data (``resources/rulesets/*.json``): coverage categories, riders,
exclusions, the grading scale, the GB 50300 divisions and the node template.

A project records the id and version it was created under; the loader serves that one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from typing import Any

from .errors import NotFound
from .paths import resource_path

DEFAULT_RULESET = "beijing-2019"


@dataclass(frozen=True, slots=True)
class Grade:
    code: str
    name: str
    name_en: str
    response: str
    rank: int
    color: str
    serious: bool  # blocks the final gate by its grade alone (Art. 10: defects in the finished works)
    deadline_days: int | None
    behaviour: bool = False  # a quality-behaviour risk: reported apart, blocks only when marked serious
    pending: bool = False  # evidence pending (R): listed before the final report


@dataclass(frozen=True, slots=True)
class Coverage:
    code: str
    group: str
    text: str
    text_en: str
    divisions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Node:
    code: str
    name: str
    name_en: str
    description: str
    offset_days: int
    description_en: str = ""


@dataclass(frozen=True, slots=True)
class MeasuredValue:
    """What a check item asks to be measured: a label, a unit and the bounds it must meet."""

    label: str
    label_en: str
    unit: str
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One check item (检查要点) of a node: tagged like a finding, so a 不符合 opens one pre-filled."""

    id: str  # N15-07
    node: str  # N15
    text: str
    text_en: str
    division: str  # GB 50300 division
    subdivision: str | None
    coverage: str  # a coverage category (or rider) whose divisions include ``division``
    clause: str | None = None  # only where the clause number is certain
    photo: bool = False  # 符合 needs a photo
    value: MeasuredValue | None = None  # 符合 needs a measured value within its bounds
    grade: str | None = None  # the grade a 不符合 opens its finding with (else the caller's, "C")
    clause_en: str | None = None  # the clause as the English window cites it


@dataclass(frozen=True)
class RuleSet:
    id: str
    version: str
    name: str
    raw: dict[str, Any]

    @property
    def cover_start_offset_years(self) -> int:
        return int(self.raw["cover_start_offset_years"])

    @property
    def max_risk_fee_share(self) -> float:
        return float(self.raw["max_risk_fee_share_of_premium"])

    @property
    def min_coinsurance_members(self) -> int:
        return int(self.raw["min_coinsurance_members"])

    def group_period_years(self, group: str) -> int | None:
        for g in self.raw["coverage_groups"]:
            if g["code"] == group:
                return int(g["period_years"])
        return None

    @property
    def groups(self) -> dict[str, dict[str, Any]]:
        return {g["code"]: g for g in self.raw["coverage_groups"]}

    @property
    def riders(self) -> dict[str, dict[str, Any]]:
        return {r["code"]: r for r in self.raw["riders"]}

    @property
    def coverages(self) -> dict[str, Coverage]:
        return {
            c["code"]: Coverage(c["code"], c["group"], c["text"], c.get("text_en", ""), tuple(c.get("divisions", ())))
            for c in self.raw["coverage_categories"]
        }

    def coverage_label(self, code: str) -> str:
        if code in self.coverages:
            return f"{code} {self.coverages[code].text}"
        if code in self.riders:
            return f"{code} {self.riders[code]['name']}"
        return code

    @property
    def finding_coverage_codes(self) -> set[str]:
        """Codes a finding may link to: the basic categories and the riders."""
        return set(self.coverages) | set(self.riders)

    @property
    def grades(self) -> dict[str, Grade]:
        scale = self.raw["grading"]
        serious = set(scale["serious_grades"])
        behaviour = set(scale.get("behaviour_grades", ()))
        pending = set(scale.get("pending_grades", ()))
        return {
            g["code"]: Grade(g["code"], g["name"], g.get("name_en", ""), g.get("response", ""), int(g.get("rank", 0)),
                             g.get("color", "#888888"), g["code"] in serious, g.get("deadline_days"),
                             g["code"] in behaviour, g["code"] in pending)
            for g in scale["grades"]
        }

    @property
    def valid_from(self) -> date | None:
        value = self.raw.get("valid_from")
        return date.fromisoformat(value) if value else None

    @property
    def valid_until(self) -> date | None:
        value = self.raw.get("valid_until")
        return date.fromisoformat(value) if value else None

    def allowed_divisions(self, coverage: str) -> tuple[str, ...]:
        """The GB 50300 divisions a finding of this coverage category or rider may sit in."""
        if coverage in self.coverages:
            return self.coverages[coverage].divisions
        rider = self.riders.get(coverage)
        return (str(rider["division"]),) if rider and rider.get("division") else ()

    @property
    def divisions(self) -> dict[str, dict[str, Any]]:
        return {d["code"]: d for d in self.raw["divisions"]}

    def subdivision_name(self, code: str) -> str | None:
        division = self.divisions.get(code[:2])
        for sub in (division or {}).get("subdivisions", []):
            if sub["code"] == code:
                return str(sub["name"])
        return None

    @property
    def nodes(self) -> list[Node]:
        return [Node(n["code"], n["name"], n.get("name_en", ""), n.get("description", ""), int(n.get("offset_days", 0)),
                     n.get("description_en", "")) for n in self.raw["node_template"]["nodes"]]

    def checklist(self, node_code: str) -> list[ChecklistItem]:
        """The check items of a node, in order; none for a node without them (rule sets before 1.1.0)."""
        return list(self._checklists.get(node_code, ()))

    def checklist_item(self, item_id: str) -> ChecklistItem | None:
        return next((i for items in self._checklists.values() for i in items if i.id == item_id), None)

    @cached_property
    def _checklists(self) -> dict[str, tuple[ChecklistItem, ...]]:
        return {n["code"]: tuple(_item(n["code"], i) for i in n.get("checklist", ()))
                for n in self.raw["node_template"]["nodes"]}


def _item(node: str, i: dict[str, Any]) -> ChecklistItem:
    v = i.get("value")
    measured = None if not v else MeasuredValue(
        v.get("label", ""), v.get("label_en", ""), v.get("unit", ""),
        float(v["min"]) if v.get("min") is not None else None, float(v["max"]) if v.get("max") is not None else None)
    return ChecklistItem(i["id"], node, i["text"], i.get("text_en", ""), str(i["division"]), i.get("subdivision"),
                         i["coverage"], i.get("clause"), bool(i.get("photo", False)), measured, i.get("grade"),
                         i.get("clause_en"))


@cache
def load_ruleset(ruleset_id: str = DEFAULT_RULESET, version: str | None = None) -> RuleSet:
    """The rule set ``ruleset_id`` (at ``version`` when given: a project keeps its own)."""
    candidates = [resource_path("rulesets", f"{ruleset_id}.json")]
    if version:
        candidates.insert(0, resource_path("rulesets", f"{ruleset_id}@{version}.json"))
    for path in candidates:
        if path.is_file():
            raw = json.loads(path.read_text(encoding="utf-8"))
            if version and raw["version"] != version:
                continue
            return RuleSet(raw["id"], raw["version"], raw["name"], raw)
    raise NotFound("ruleset", f"{ruleset_id}@{version}" if version else ruleset_id)
