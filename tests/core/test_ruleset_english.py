"""Every name a rule set gives (coverage categories, riders, exclusions, grades, divisions and
sub-divisions, nodes and their check items, statuses, roles) has its English column, so the
English window shows rule-set names from the rule set itself (issue 14)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app.paths import resource_path
from inspector_app.rulesets import load_ruleset

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
NAMED = ("name", "text", "description", "label", "response", "clause")  # shown; each has <key>_en


def rule_sets() -> list[Path]:
    return sorted(resource_path("rulesets").glob("*.json"))


def entries(value: object, where: str = "") -> Iterator[tuple[str, dict]]:
    if isinstance(value, dict):
        yield where, value
        for key, inner in value.items():
            yield from entries(inner, f"{where}/{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from entries(inner, f"{where}[{i}]")


@pytest.mark.parametrize("path", rule_sets(), ids=lambda p: p.name)
def test_every_rule_set_name_has_its_english(path: Path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    missing, chinese, checked = [], [], 0
    for where, entry in entries(raw):
        for key in NAMED:
            if isinstance(entry.get(key), str) and CJK.search(entry[key]):
                checked += 1
                english = entry.get(f"{key}_en")
                if not english:
                    missing.append(f"{where}/{key}: {entry[key][:30]}")
                elif CJK.search(english):
                    chinese.append(f"{where}/{key}_en: {english[:30]}")
    assert checked > 150  # the walk really reaches the divisions, sub-divisions and nodes
    assert missing == [] and chinese == []


def test_the_loader_carries_the_english_names():
    rs = load_ruleset()
    assert rs.divisions["01"]["name_en"] == "Ground and foundation"
    assert next(n for n in rs.nodes if n.code == "N03").description_en.startswith("Check the blinding")
    assert rs.grades["D"].name_en and all(c.text_en for c in rs.coverages.values())
