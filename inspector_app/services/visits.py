"""Site visits: start one (date, nodes, inspectors, weather, attendees, progress), list them,
and the open findings it carries forward from earlier visits."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..errors import NotFound, ValidationError
from ..models import (
    Building,
    Finding,
    Inspector,
    Party,
    PlanNode,
    Project,
    ProjectParty,
    Visit,
    VisitAttendee,
    VisitInspector,
    VisitNode,
    VisitProgress,
)
from ..models.db import Database
from ..values import dto
from .projects import resolve_project
from .team import next_number

MAX_FUTURE = timedelta(days=1)  # a site laptop's clock or time zone may be a day off; more is a typo


def check_visit_date(project: Project, day: date) -> None:
    if day < project.policy.issued_on:
        raise ValidationError("visit.date", "visit.before_policy", day=day, issued_on=project.policy.issued_on)
    if day > date.today() + MAX_FUTURE:
        raise ValidationError("visit.date", "date.in_future", day=day)


def _inspectors(s: Session, project: Project, names: list[str], actor: str | None) -> list[Inspector]:
    """The visit's inspectors, of the project's agency; at least one (the acting person when they are
    a registered inspector and nobody is named)."""
    query = select(Inspector)
    if project.agency_id:
        query = query.where(Inspector.agency_id == project.agency_id)
    known = {i.name: i for i in s.execute(query).scalars()}
    missing = [n for n in names if n not in known]
    if missing:
        raise ValidationError("visit.inspectors", "visit.unknown_inspectors", names=missing, known=list(known))
    if not names and actor is not None and actor in known:
        names = [actor]
    if not names:
        raise ValidationError("visit.inspectors", "visit.inspector_required", known=list(known))
    return [known[n] for n in names]


def _attendee(s: Session, project: Project, spec: dict[str, Any]) -> VisitAttendee:
    party_id = None
    ref = spec.get("party") or spec.get("role")
    if ref:
        pp = s.execute(select(ProjectParty).join(Party).where(
            ProjectParty.project_id == project.id,
            (ProjectParty.role == ref) | (Party.name == ref))).scalars().first()
        if pp is None:
            raise ValidationError("visit.attendees", "project.no_such_party", party=ref)
        party_id = pp.party_id
    name = spec.get("name") or spec.get("person_name")
    if not name:
        raise ValidationError("visit.attendees", "visit.attendee_name_required")
    return VisitAttendee(party_id=party_id, person_name=name, title=spec.get("title"))


def start_visit(db: Database, project_key: str | int, started_at: datetime, *, node_codes: list[str],
                inspectors: list[str] | None = None, weather: str | None = None,
                temperature_c: float | None = None, attendees: list[dict[str, Any]] | None = None,
                progress: dict[str, str] | None = None, summary: str | None = None) -> dto.VisitInfo:
    """Record a visit; the nodes it covers are marked inspected (and reached, if not yet)."""
    if temperature_c is not None and not -45 <= temperature_c <= 50:
        raise ValidationError("visit.temperature", "visit.implausible_temperature", value=temperature_c)
    with db.write() as s:
        project = resolve_project(s, project_key)
        check_visit_date(project, started_at.date())
        nodes = {n.code: n for n in project.nodes}
        unknown = [c for c in node_codes if c not in nodes]
        if unknown:
            raise ValidationError("visit.nodes", "visit.unknown_nodes", codes=unknown)
        people = _inspectors(s, project, inspectors or [], db.actor)
        number = next_number(s, project.id, "visit")
        visit = Visit(project_id=project.id, number=number, started_at=started_at, weather=weather,
                      temperature_c=temperature_c, summary=summary, created_by=db.actor)
        s.add(visit)
        s.flush()
        for code in node_codes:
            node = nodes[code]
            s.add(VisitNode(visit_id=visit.id, node_id=node.id))
            node.reached_date = node.reached_date or started_at.date()
            node.status = "inspected"
        for i, person in enumerate(people):
            s.add(VisitInspector(visit_id=visit.id, inspector_id=person.id, is_lead=i == 0))
        for spec in attendees or []:
            a = _attendee(s, project, spec)
            a.visit_id = visit.id
            s.add(a)
        buildings = {b.name: b for b in project.buildings}
        for name, text in (progress or {}).items():
            if name not in buildings:
                raise ValidationError("visit.progress", "visit.unknown_building", name=name, buildings=list(buildings))
            s.add(VisitProgress(visit_id=visit.id, building_id=buildings[name].id, text=text))
        s.flush()
        return visit_info(s, visit)


def visit_info(s: Session, v: Visit) -> dto.VisitInfo:
    node_names = [s.get(PlanNode, vn.node_id) for vn in v.nodes]
    people = [s.get(Inspector, vi.inspector_id) for vi in v.inspectors]
    findings = s.scalar(select(func.count()).where(Finding.visit_id == v.id)) or 0
    return dto.VisitInfo(
        id=v.id, project_id=v.project_id, number=v.number, started_at=v.started_at, weather=v.weather,
        nodes=[n.code for n in node_names if n], inspectors=[p.name for p in people if p],
        attendees=[a.person_name for a in v.attendees],
        progress={s.get(Building, p.building_id).name: p.text for p in v.progress},  # type: ignore[union-attr]
        summary=v.summary, findings=findings)


def resolve_visit(s: Session, visit_id: int) -> Visit:
    visit = s.get(Visit, visit_id)
    if visit is None:
        raise NotFound("visit", visit_id)
    return visit


def list_visits(db: Database, project_key: str | int) -> list[dto.VisitInfo]:
    """Every visit of a project, in a fixed handful of queries (the dashboard shows them at start-up)."""
    with db.read() as s:
        return project_visits(s, resolve_project(s, project_key))


def project_visits(s: Session, project: Project) -> list[dto.VisitInfo]:
    """Every visit of a project in number order, read in the caller's transaction."""
    visits = list(s.execute(select(Visit).where(Visit.project_id == project.id).order_by(Visit.number)
                            .options(selectinload(Visit.nodes), selectinload(Visit.inspectors),
                                     selectinload(Visit.attendees), selectinload(Visit.progress))).scalars())
    nodes = {n.id: n.code for n in s.execute(select(PlanNode).where(PlanNode.project_id == project.id)).scalars()}
    people = {p.id: p.name for p in s.execute(select(Inspector)).scalars()}
    buildings = {b.id: b.name for b in s.execute(select(Building).where(Building.project_id == project.id)).scalars()}
    counts = dict(s.execute(select(Finding.visit_id, func.count()).where(Finding.project_id == project.id)
                            .group_by(Finding.visit_id)).all())
    return [dto.VisitInfo(
        id=v.id, project_id=v.project_id, number=v.number, started_at=v.started_at, weather=v.weather,
        nodes=[nodes[vn.node_id] for vn in v.nodes if vn.node_id in nodes],
        inspectors=[people[vi.inspector_id] for vi in v.inspectors if vi.inspector_id in people],
        attendees=[a.person_name for a in v.attendees],
        progress={buildings.get(p.building_id, ""): p.text for p in v.progress},
        summary=v.summary, findings=int(counts.get(v.id, 0))) for v in visits]


def get_visit(db: Database, visit_id: int) -> dto.VisitInfo:
    with db.read() as s:
        return visit_info(s, resolve_visit(s, visit_id))
