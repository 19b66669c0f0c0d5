"""Projects and their policy: create from a spec (TOML or JSON), list, show, edit the plan."""

from __future__ import annotations

import json
import tomllib
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, ValidationError
from ..models import (
    Agency,
    Building,
    Finding,
    Inspector,
    Party,
    PlanNode,
    Policy,
    PolicyCoverage,
    PolicyInsurer,
    Project,
    ProjectParty,
    Visit,
    VisitNode,
)
from ..models.db import Database
from ..rulesets import DEFAULT_RULESET, RuleSet, load_ruleset
from ..values import dto
from . import rules

PARTY_ROLES = ("developer", "survey", "design", "construction", "supervision", "supplier")
NODE_STATUSES = ("planned", "reached", "inspected", "skipped")


def load_spec(path: Path) -> dict[str, Any]:
    """A project spec file: ``.toml`` or ``.json`` (see resources/examples/project.toml)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(str(path), "spec.unreadable", detail=exc.strerror) from None
    try:
        if path.suffix.lower() == ".toml":
            return tomllib.loads(raw.decode("utf-8"))
        return dict(json.loads(raw.decode("utf-8")))
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(str(path), "spec.malformed", detail=str(exc)) from None


def _req(spec: dict[str, Any], key: str, where: str) -> Any:
    value = spec.get(key)
    if value is None or value == "":
        raise ValidationError(f"{where}.{key}", "value.required")
    return value


def _opt_date(spec: dict[str, Any], key: str, where: str) -> date | None:
    value = spec.get(key)
    return rules.parse_date(value, f"{where}.{key}") if value not in (None, "") else None


def ensure_party(session: Session, name: str, credit_code: str | None, **extra: Any) -> Party:
    """The firm with this credit code (or, lacking one, this name), created when new."""
    code = rules.check_credit_code(credit_code, "party.credit_code", owner=name)
    query = select(Party).where(Party.credit_code == code) if code else select(Party).where(Party.name == name)
    party = session.execute(query).scalars().first()
    if party is None:
        party = Party(name=name, credit_code=code, **extra)
        session.add(party)
        session.flush()
    return party


def ensure_agency(session: Session, spec: dict[str, Any]) -> Agency:
    name = _req(spec, "name", "agency")
    code = rules.check_credit_code(spec.get("credit_code"), "agency.credit_code")
    query = select(Agency).where(Agency.credit_code == code) if code else select(Agency).where(Agency.name == name)
    agency = session.execute(query).scalars().first()
    if agency is None:
        agency = Agency(name=name, credit_code=code, address=spec.get("address"), phone=spec.get("phone"))
        session.add(agency)
        session.flush()
    for person in spec.get("inspectors", []):
        pname = _req(person, "name", "agency.inspectors")
        if not session.execute(select(Inspector).where(Inspector.agency_id == agency.id,
                                                       Inspector.name == pname)).first():
            session.add(Inspector(agency_id=agency.id, name=pname, certificate_no=person.get("certificate_no"),
                                  phone=person.get("phone")))
    return agency


def _policy(spec: dict[str, Any], ruleset: RuleSet) -> tuple[Policy, list[PolicyInsurer], list[PolicyCoverage]]:
    p = _req(spec, "policy", "")
    premium = rules.yuan_to_fen(_req(p, "premium_yuan", "policy"), "policy.premium_yuan")
    fee = rules.yuan_to_fen(p.get("risk_fee_yuan", 0), "policy.risk_fee_yuan", positive=False)
    rules.check_risk_fee(premium, fee, ruleset)
    insurers = [
        PolicyInsurer(name=_req(i, "name", "policy.insurers"), is_lead=bool(i.get("lead", False)),
                      credit_code=rules.check_credit_code(i.get("credit_code"), "party.credit_code", owner=i.get("name")),
                      share_bp=rules.percent_to_bp(_req(i, "share_percent", "policy.insurers"), "policy.insurers.share_percent"))
        for i in p.get("insurers", [])
    ]
    rules.check_coinsurance([rules.InsurerShare(i.name, i.is_lead, i.share_bp) for i in insurers], ruleset)
    planned = _opt_date(p, "planned_acceptance_date", "policy")
    actual = _opt_date(p, "actual_acceptance_date", "policy")
    issued = rules.parse_date(_req(p, "issued_on", "policy"), "policy.issued_on")
    for label, day in (("planned_acceptance_date", planned), ("actual_acceptance_date", actual)):
        if day is not None and day < issued:
            raise ValidationError(f"policy.{label}", "policy.date_before_issue", day=day, issued_on=issued)
    policy = Policy(
        policy_no=_req(p, "policy_no", "policy"), issued_on=issued,
        sum_insured_fen=rules.yuan_to_fen(_req(p, "sum_insured_yuan", "policy"), "policy.sum_insured_yuan"),
        budget_cost_fen=rules.yuan_to_fen(_req(p, "budget_cost_yuan", "policy"), "policy.budget_cost_yuan"),
        premium_fen=premium, risk_fee_fen=fee, construction_permit_no=p.get("construction_permit_no"),
        planned_acceptance_date=planned, actual_acceptance_date=actual,
    )
    coverages = [PolicyCoverage(code=g, period_years=ruleset.group_period_years(g)) for g in ruleset.groups]
    stated = {c["code"]: c for c in p.get("coverage", [])}
    for rider in p.get("riders", []):
        code = rider if isinstance(rider, str) else _req(rider, "code", "policy.riders")
        if code not in ruleset.riders:
            raise ValidationError("policy.riders", "policy.unknown_rider", ruleset=ruleset.id, rider=code)
        years = None if isinstance(rider, str) else rider.get("period_years")
        coverages.append(PolicyCoverage(code=code, period_years=years))
    for cov in coverages:
        if cov.code in stated:
            s = stated.pop(cov.code)
            cov.starts_on = _opt_date(s, "starts_on", f"policy.coverage.{cov.code}")
            cov.ends_on = _opt_date(s, "ends_on", f"policy.coverage.{cov.code}")
            if cov.starts_on and cov.ends_on and cov.ends_on <= cov.starts_on:
                raise ValidationError(f"policy.coverage.{cov.code}", "policy.cover_ends_before_start")
    if stated:
        raise ValidationError("policy.coverage", "policy.coverage_not_insured", codes=list(stated))
    return policy, insurers, coverages


def create_project(db: Database, spec: dict[str, Any]) -> dto.ProjectDetail:
    """Create project, policy, parties, buildings and the plan from the template, atomically."""
    proj = _req(spec, "project", "")
    ruleset = load_ruleset(proj.get("ruleset", DEFAULT_RULESET))
    policy, insurers, coverages = _policy(spec, ruleset)
    with db.write() as s:
        code = _req(proj, "code", "project")
        if s.execute(select(Project.id).where(Project.code == code)).first():
            raise ValidationError("project.code", "project.code_taken", code=code)
        if s.execute(select(Policy.id).where(Policy.policy_no == policy.policy_no)).first():
            raise ValidationError("policy.policy_no", "policy.number_taken", number=policy.policy_no)
        agency = ensure_agency(s, spec["agency"]) if spec.get("agency") else None
        project = Project(uid=proj.get("uid") or str(uuid.uuid4()), code=code, name=_req(proj, "name", "project"),
                          address=_req(proj, "address", "project"), district=proj.get("district"),
                          description=proj.get("description"), ruleset_id=ruleset.id,
                          ruleset_version=ruleset.version, agency_id=agency.id if agency else None)
        s.add(project)
        s.flush()
        policy.project_id = project.id
        s.add(policy)
        s.flush()
        for insurer in insurers:
            insurer.policy_id = policy.id
            s.add(insurer)
        for coverage in coverages:
            coverage.policy_id = policy.id
            s.add(coverage)
        _add_parties(s, project, spec.get("parties", []))
        _add_buildings(s, project, spec.get("buildings", []))
        _add_nodes(s, project, ruleset, spec.get("nodes"), rules.parse_date(proj.get("start_date", policy.issued_on), "project.start_date"))
        pid = project.id
    return get_project(db, pid)


def _add_parties(s: Session, project: Project, parties: list[dict[str, Any]]) -> None:
    if not any(p.get("role") == "developer" for p in parties):
        raise ValidationError("parties", "parties.developer_missing")
    for p in parties:
        role = _req(p, "role", "parties")
        if role not in PARTY_ROLES:
            raise ValidationError("parties.role", "parties.unknown_role", role=role, choices=list(PARTY_ROLES))
        party = ensure_party(s, _req(p, "name", "parties"), p.get("credit_code"),
                             contact_person=p.get("contact_person"), phone=p.get("phone"))
        s.add(ProjectParty(project_id=project.id, party_id=party.id, role=role, scope=p.get("scope")))


def _add_buildings(s: Session, project: Project, buildings: list[dict[str, Any]]) -> None:
    if not buildings:
        raise ValidationError("buildings", "buildings.none")
    for order, b in enumerate(buildings):
        above, below = int(b.get("floors_above", 0)), int(b.get("floors_below", 0))
        if not 0 <= above <= 200 or not 0 <= below <= 20:
            raise ValidationError(f"buildings.{b.get('name')}", "buildings.implausible_storeys", above=above, below=below)
        s.add(Building(project_id=project.id, name=_req(b, "name", "buildings"), floors_above=above,
                       floors_below=below, structure_type=b.get("structure_type"),
                       floor_area_m2=b.get("floor_area_m2"), dwellings=b.get("dwellings"), sort_order=order))


def _add_nodes(s: Session, project: Project, ruleset: RuleSet, custom: list[dict[str, Any]] | None, start: date) -> None:
    nodes = custom if custom is not None else [
        {"code": n.code, "name": n.name, "description": n.description,
         "planned_date": (start + timedelta(days=n.offset_days)).isoformat()} for n in ruleset.nodes]
    for order, n in enumerate(nodes):
        s.add(PlanNode(project_id=project.id, code=_req(n, "code", "nodes"), name=_req(n, "name", "nodes"),
                       description=n.get("description"), planned_date=_opt_date(n, "planned_date", "nodes"),
                       status="planned", sort_order=order))


def resolve_project(s: Session, key: str | int) -> Project:
    """A project by id or by code."""
    project = None
    if isinstance(key, int) or str(key).isdigit():
        project = s.get(Project, int(key))
    if project is None:
        project = s.execute(select(Project).where(Project.code == str(key))).scalars().first()
    if project is None:
        raise NotFound("project", key)
    return project


def list_projects(db: Database) -> list[dto.ProjectSummary]:
    with db.read() as s:
        out = []
        for p in s.execute(select(Project).order_by(Project.id)).scalars():
            counts = dict(s.execute(select(Finding.status, func.count()).where(Finding.project_id == p.id)
                                    .group_by(Finding.status)).all())
            serious_open = s.scalar(select(func.count()).where(Finding.project_id == p.id, Finding.is_serious,
                                                               Finding.status.in_(dto.OPEN_STATUSES))) or 0
            out.append(dto.ProjectSummary(
                p.id, p.code, p.name, p.address, p.policy.policy_no if p.policy else "", len(p.buildings),
                s.scalar(select(func.count()).where(Visit.project_id == p.id)) or 0,
                sum(counts.values()), sum(counts.get(c, 0) for c in dto.OPEN_STATUSES), serious_open))
        return out


def get_project(db: Database, key: str | int) -> dto.ProjectDetail:
    with db.read() as s:
        return project_detail(s, resolve_project(s, key))


def project_detail(s: Session, p: Project) -> dto.ProjectDetail:
    """The project as the window and the reports show it, read in the caller's transaction."""
    ruleset = load_ruleset(p.ruleset_id, p.ruleset_version)
    pol = p.policy
    agency = s.get(Agency, p.agency_id) if p.agency_id else None
    visit_counts = dict(s.execute(select(VisitNode.node_id, func.count()).join(Visit, Visit.id == VisitNode.visit_id)
                                  .where(Visit.project_id == p.id).group_by(VisitNode.node_id)).all())
    return dto.ProjectDetail(
        id=p.id, uid=p.uid, code=p.code, name=p.name, address=p.address, district=p.district,
        ruleset=p.ruleset_id, ruleset_version=p.ruleset_version, agency=agency.name if agency else None,
        policy_no=pol.policy_no, issued_on=pol.issued_on, sum_insured_yuan=rules.fen_to_yuan(pol.sum_insured_fen),
        budget_cost_yuan=rules.fen_to_yuan(pol.budget_cost_fen), premium_yuan=rules.fen_to_yuan(pol.premium_fen),
        risk_fee_yuan=rules.fen_to_yuan(pol.risk_fee_fen), construction_permit_no=pol.construction_permit_no,
        planned_acceptance_date=pol.planned_acceptance_date, actual_acceptance_date=pol.actual_acceptance_date,
        insurers=[dto.InsurerInfo(i.name, i.is_lead, i.share_bp / 100) for i in pol.insurers],
        coverage=[dto.CoverageInfo(**_window_fields(c, pol, ruleset)) for c in pol.coverages],
        parties=[dto.PartyInfo(pp.party.id, pp.role, pp.party.name, pp.party.credit_code) for pp in p.parties],
        buildings=[dto.BuildingInfo(b.id, b.name, b.floors_above, b.floors_below, b.structure_type,
                                    b.floor_area_m2, b.dwellings) for b in p.buildings],
        nodes=[dto.NodeInfo(n.id, n.code, n.name, n.planned_date, n.reached_date, n.status,
                            visit_counts.get(n.id, 0)) for n in p.nodes],
    )


def _window_fields(c: PolicyCoverage, pol: Policy, ruleset: RuleSet) -> dict[str, Any]:
    label = ruleset.riders[c.code]["name"] if c.code in ruleset.riders else ruleset.groups[c.code]["name"]
    w = rules.coverage_window(c.code, label, c.period_years, pol.actual_acceptance_date, c.starts_on, c.ends_on, ruleset)
    return {"code": w.code, "label": w.label, "starts_on": w.starts_on, "ends_on": w.ends_on,
            "period_years": w.period_years, "stated": w.stated}


def update_node(db: Database, node_id: int, *, planned_date: date | None = None, reached_date: date | None = None,
                status: str | None = None) -> dto.NodeInfo:
    """Edit one node of the inspection plan."""
    if status is not None and status not in NODE_STATUSES:
        raise ValidationError("status", "node.unknown_status", status=status, choices=list(NODE_STATUSES))
    with db.write() as s:
        node = s.get(PlanNode, node_id)
        if node is None:
            raise NotFound("node", node_id)
        if planned_date is not None:
            node.planned_date = planned_date
        if reached_date is not None:
            if reached_date > date.today() + timedelta(days=1):
                raise ValidationError("reached_date", "date.in_future", day=reached_date)
            node.reached_date = reached_date
            node.status = "reached" if node.status == "planned" else node.status
        if status is not None:
            node.status = status
        return dto.NodeInfo(node.id, node.code, node.name, node.planned_date, node.reached_date, node.status, 0)


def project_inspectors(db: Database, key: str | int) -> list[str]:
    """The agency's active inspectors for this project, by name."""
    with db.read() as s:
        project = resolve_project(s, key)
        q = select(Inspector.name).where(Inspector.active).order_by(Inspector.id)
        if project.agency_id:
            q = q.where(Inspector.agency_id == project.agency_id)
        return list(s.execute(q).scalars())
