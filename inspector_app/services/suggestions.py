"""What the finding editor offers while typing: the project's earlier texts, most used first,
so thirty findings after a site walk take minutes, not an hour."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from ..models import Finding, Visit
from ..models.db import Database
from ..rulesets import load_ruleset
from .projects import resolve_project


@dataclass(frozen=True, slots=True)
class EntrySuggestions:
    floors: list[str]
    locations: list[str]
    descriptions: list[str]
    clauses: list[str]
    requirements: list[str]
    subdivisions: list[tuple[str, str]]  # (code, "0107 地下防水")
    visits: list[tuple[int, str]]  # (visit id, "第 12 次 2026-11-10"), latest first


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
    subs = [(sub["code"], f"{sub['code']} {sub['name']}") for d in rs.divisions.values() for sub in d["subdivisions"]]
    used = _ranked([r.floor for r in rows])
    return EntrySuggestions(
        floors=used + [f for f in [*floors, "屋面", "室外"] if f not in used],
        locations=_ranked([r.location for r in rows]),
        descriptions=_ranked([r.description for r in rows]),
        clauses=_ranked([r.clause for r in rows]),
        requirements=_ranked([r.requirement for r in rows]),
        subdivisions=subs,
        visits=[(v.id, f"第 {v.number} 次巡查 {v.started_at:%Y-%m-%d}") for v in visits],
    )
