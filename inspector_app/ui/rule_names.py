"""Names the window shows for a project's codes (finding status, grade, photo role, party
role), taken from that project's rule set, in English where the rule set has ``name_en``
and the English UI is on; otherwise through the translation file, as before."""

from __future__ import annotations

from ..rulesets import RuleSet
from .i18n import english, tr

# The Beijing names, for what a rule set does not name (and for the translation file)
STATUS_FALLBACK = {"open": "待整改", "replied": "已回复", "verified": "已验证关闭", "closed": "已关闭"}


class RuleNames:
    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        raw = ruleset.raw
        self.statuses = self._names(raw.get("finding_statuses", []), STATUS_FALLBACK)
        self.photo_roles = self._names(raw.get("photo_roles", []), {})
        self.party_roles = self._names(raw.get("party_roles", []), {})
        en = english()
        self.grades = {g.code: (g.name_en if en and g.name_en else tr(g.name)) for g in ruleset.grades.values()}
        self.colors = {g.code: g.color for g in ruleset.grades.values()}

    @staticmethod
    def _names(items: list[dict[str, str]], fallback: dict[str, str]) -> dict[str, str]:
        en = english()
        names = {code: tr(name) for code, name in fallback.items()}
        for item in items:
            names[item["code"]] = item["name_en"] if en and item.get("name_en") else tr(item["name"])
        return names

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

    def grade(self, code: str) -> str:
        """``C 一般缺陷``: the code and its name."""
        return f"{code} {self.grades[code]}" if code in self.grades else code
