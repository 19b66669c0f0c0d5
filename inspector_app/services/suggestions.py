"""What the finding editor offers while typing: the project's earlier texts, most used first,
so thirty findings after a site walk take minutes, not an hour."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..models import Finding, PlanNode, Visit, VisitNode
from ..models.db import Database
from ..rulesets import RuleSet, load_ruleset
from .projects import resolve_project


@dataclass(frozen=True, slots=True)
class EntrySuggestions:
    floors: list[str]
    locations: list[str]
    descriptions: list[str]
    clauses: list[str]
    requirements: list[str]
    subdivisions: list[tuple[str, str]]  # (code, "0107 地下防水")
    visits: list[tuple[int, int, date]]  # (visit id, number, day), latest first: the window names them
    # what a new finding of each visit starts with, from the rule set's nodes the visit covers
    visit_defaults: dict[int, EntryDefaults] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EntryDefaults:
    """The tags a new finding of a visit starts with: N03 (raft waterproofing) gives 01 / 0107 / WPI-2."""

    division: str
    subdivision: str | None
    coverage: str


def node_defaults(rs: RuleSet, node_codes: Sequence[str]) -> EntryDefaults | None:
    """The tags of the first node (in the visit's order) the rule set's node template knows: its
    first coverage category, and the sub-division its check items of that category name most
    (else its first division). None when no node is known or names a coverage category."""
    template = {n["code"]: n for n in rs.raw.get("node_template", {}).get("nodes", [])}
    for code in node_codes:
        node = template.get(code)
        if not node or not node.get("coverage"):
            continue
        coverage = str(node["coverage"][0])
        items = [i for i in rs.checklist(code) if i.coverage == coverage]
        subs = Counter(i.subdivision for i in items if i.subdivision)
        sub = subs.most_common(1)[0][0] if subs else None
        divisions = [i.division for i in items] or [str(d) for d in node.get("divisions", [])]
        division = sub[:2] if sub else (divisions[0] if divisions else "")
        if division:
            return EntryDefaults(division, sub, coverage)
    return None


def _ranked(values: list[str | None], limit: int = 300) -> list[str]:
    return [v for v, _n in Counter(v.strip() for v in values if v and v.strip()).most_common(limit)]


def entry_suggestions(db: Database, project_key: str | int) -> EntrySuggestions:
    with db.read() as s:
        project = resolve_project(s, project_key)
        rows = s.execute(select(Finding.floor, Finding.location, Finding.description, Finding.clause,
                                Finding.requirement).where(Finding.project_id == project.id)).all()
        visits = s.execute(select(Visit.id, Visit.number, Visit.started_at).where(Visit.project_id == project.id)
                           .order_by(Visit.number.desc())).all()
        rs = load_ruleset(project.ruleset_id, project.ruleset_version)
        floors = [f"B{i}" for i in range(max((b.floors_below for b in project.buildings), default=0), 0, -1)]
        floors += [f"{i}F" for i in range(1, max((b.floors_above for b in project.buildings), default=0) + 1)]
        nodes: dict[int, list[str]] = {}
        for visit_id, code in s.execute(select(VisitNode.visit_id, PlanNode.code).join(PlanNode, PlanNode.id == VisitNode.node_id)
                                        .join(Visit, Visit.id == VisitNode.visit_id)
                                        .where(Visit.project_id == project.id).order_by(VisitNode.id)):
            nodes.setdefault(visit_id, []).append(code)
    subs = [(sub["code"], f"{sub['code']} {sub['name']}") for d in rs.divisions.values() for sub in d["subdivisions"]]
    used = _ranked([r.floor for r in rows])
    return EntrySuggestions(
        floors=used + [f for f in floors if f not in used],  # the window adds 屋面 and 室外 in its language
        locations=_ranked([r.location for r in rows]),
        descriptions=_ranked([r.description for r in rows]),
        clauses=_ranked([r.clause for r in rows]),
        requirements=_ranked([r.requirement for r in rows]),
        subdivisions=subs,
        visits=[(v.id, v.number, v.started_at.date()) for v in visits],
        visit_defaults={vid: d for vid, codes in nodes.items() if (d := node_defaults(rs, codes)) is not None},
    )
