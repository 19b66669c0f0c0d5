"""Names the window shows for a project's codes (finding status, grade, photo role, party
role), taken from that project's rule set, in English where the rule set has ``name_en``
and the English UI is on. The rule set is the one source: the window keeps no name tables."""

from __future__ import annotations

from ..rulesets import RuleSet
from .i18n import english


class RuleNames:
    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        raw = ruleset.raw
        self.statuses = {item["code"]: self.pick(item) for item in raw.get("finding_statuses", [])}
        self.photo_roles = {item["code"]: self.pick(item) for item in raw.get("photo_roles", [])}
        self.party_roles = {item["code"]: self.pick(item) for item in raw.get("party_roles", [])}
        en = english()
        self.grades = {g.code: g.name_en if en and g.name_en else g.name for g in ruleset.grades.values()}
        self.colors = {g.code: g.color for g in ruleset.grades.values()}
        self.coverages = {c["code"]: c["text_en"] if en and c.get("text_en") else c["text"]
                          for c in raw.get("coverage_categories", [])}
        self.coverages |= {r["code"]: self.pick(r) for r in raw.get("riders", [])}
        self.divisions = {d["code"]: self.pick(d) for d in raw.get("divisions", [])}
        self.subdivisions = {s["code"]: self.pick(s) for d in raw.get("divisions", []) for s in d.get("subdivisions", [])}
        self._nodes = {n["code"]: (n.get("name", ""), self.pick(n))
                       for n in raw.get("node_template", {}).get("nodes", [])}

    @staticmethod
    def pick(item: dict[str, str]) -> str:
        """A rule-set entry's name: ``name_en`` in the English UI where present, else ``name``."""
        return item["name_en"] if english() and item.get("name_en") else item.get("name", "")

    def status(self, code: str | None) -> str:
        return self.statuses.get(code or "", code or "—")

    def photo_role(self, code: str) -> str:
        return self.photo_roles.get(code, code)

    def party_role(self, code: str) -> str:
        return self.party_roles.get(code, code)

    def coverage(self, code: str) -> str:
        """``WPI-2 地下、屋面、厕浴间防水渗漏``: a coverage category or rider, code and name."""
        return f"{code} {self.coverages[code]}" if code in self.coverages else code

    def division(self, code: str | None) -> str:
        """``01 地基与基础``: a GB 50300 division, code and name (the code alone if unknown)."""
        return f"{code} {self.divisions[code]}" if code in self.divisions else (code or "")

    def subdivision(self, code: str | None) -> str:
        """``0107 地下防水``: a sub-division, code and name."""
        return f"{code} {self.subdivisions[code]}" if code in self.subdivisions else (code or "")

    def node(self, code: str, stored: str) -> str:
        """A plan node's name: the rule set's (English in the English UI) while the project keeps the
        template's name; a name the project gave its node itself is project data, shown as it is."""
        template, shown = self._nodes.get(code, ("", ""))
        return shown if stored == template and shown else stored

    def grade(self, code: str) -> str:
        """``C 一般缺陷``: the code and its name."""
        return f"{code} {self.grades[code]}" if code in self.grades else code
