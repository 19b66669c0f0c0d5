"""Projects and their policy: create from a spec (TOML or JSON), list, show, edit the plan.

A project file is read strictly: a key this module does not know is refused by name (a deductible
or a permit date silently dropped would be a policy term lost). What the rules flag but do not
refuse (rule-set validity, a policy after the permit, cover dates that differ from Art. 5 with a
reason, a plan not yet confirmed) is computed in ``project_warnings`` and shown wherever the
project is."""

from __future__ import annotations

import json
import math
import tomllib
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, ValidationError
from ..models import (
    Agency,
    AuditHead,
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
from ..models.org import STAFF_ROLES
from ..rulesets import DEFAULT_RULESET, RuleSet, load_ruleset
from ..values import dto
from . import rules

PARTY_ROLES = ("developer", "survey", "design", "construction", "supervision", "supplier")
NODE_STATUSES = ("planned", "reached", "inspected", "skipped", "waived")
KEY_PROCESS_LIMIT = 200  # characters of one key process (重点工序)

# The keys a project file may hold, per section; "x[]" is an entry of the list x. Anything else is
# refused by name: resources/examples/project.toml shows each of them.
SPEC_KEYS: dict[str, frozenset[str]] = {
    "": frozenset({"project", "policy", "agency", "parties", "buildings", "nodes", "plan"}),
    "project": frozenset({"code", "name", "address", "district", "ruleset", "start_date", "description", "uid"}),
    "policy": frozenset({"policy_no", "issued_on", "sum_insured_yuan", "budget_cost_yuan", "premium_yuan",
                         "risk_fee_yuan", "construction_permit_no", "permit_date", "planned_acceptance_date",
                         "actual_acceptance_date", "riders", "insurers", "coverage"}),
    "policy.insurers[]": frozenset({"name", "lead", "share_percent", "credit_code"}),
    "policy.coverage[]": frozenset({"code", "starts_on", "ends_on", "reason"}),
    "policy.riders[]": frozenset({"code", "period_years"}),  # or just the rider's code
    "agency": frozenset({"name", "credit_code", "address", "phone", "inspectors"}),
    "agency.inspectors[]": frozenset({"name", "certificate_no", "phone", "role"}),
    "parties[]": frozenset({"role", "name", "credit_code", "contact_person", "phone", "scope"}),
    "buildings[]": frozenset({"name", "floors_above", "floors_below", "structure_type", "floor_area_m2",
                              "dwellings"}),
    "nodes[]": frozenset({"code", "name", "description", "planned_date", "notified_on"}),
    "plan": frozenset({"confirmed_on", "confirmed_by", "key_processes"}),
}
_STRING_ENTRIES = {"policy.riders[]"}  # entries that may be a bare string instead of a table

# What each value of a project file must be: ("text", longest), ("date",), ("int", low, high),
# ("number", low, high: finite, low < value), ("amount",: yuan as number or text), ("percent",:
# a share as number or text, 0 < share <= 100), ("bool",),
# ("lines",: a list of text). Checked before anything else, so no value of the wrong type, no NaN,
# no date the calendar cannot carry on from and no text longer than its column reaches the rules.
_TEXT, _LONG = 300, 20000
SPEC_TYPES: dict[str, dict[str, tuple[Any, ...]]] = {
    "project": {"code": ("text", 40), "name": ("text", 200), "address": ("text", 300), "district": ("text", 40),
                "ruleset": ("text", 60), "start_date": ("date",), "description": ("text", _LONG), "uid": ("text", 36)},
    "policy": {"policy_no": ("text", 60), "issued_on": ("date",), "sum_insured_yuan": ("amount",),
               "budget_cost_yuan": ("amount",), "premium_yuan": ("amount",), "risk_fee_yuan": ("amount",),
               "construction_permit_no": ("text", 60), "permit_date": ("date",),
               "planned_acceptance_date": ("date",), "actual_acceptance_date": ("date",)},
    "policy.insurers[]": {"name": ("text", 200), "lead": ("bool",), "share_percent": ("percent",),
                          "credit_code": ("text", 18)},
    "policy.coverage[]": {"code": ("text", 20), "starts_on": ("date",), "ends_on": ("date",), "reason": ("text", 500)},
    "policy.riders[]": {"code": ("text", 20), "period_years": ("int", 1, 100)},
    "agency": {"name": ("text", 200), "credit_code": ("text", 18), "address": ("text", 300), "phone": ("text", 40)},
    "agency.inspectors[]": {"name": ("text", 60), "certificate_no": ("text", 60), "phone": ("text", 40),
                            "role": ("text", 12)},
    "parties[]": {"role": ("text", 20), "name": ("text", 200), "credit_code": ("text", 18),
                  "contact_person": ("text", 60), "phone": ("text", 40), "scope": ("text", _TEXT)},
    "buildings[]": {"name": ("text", 60), "floors_above": ("int", 0, 200), "floors_below": ("int", 0, 20),
                    "structure_type": ("text", 60), "floor_area_m2": ("number", 0, 10_000_000),
                    "dwellings": ("int", 0, 100_000)},
    "nodes[]": {"code": ("text", 20), "name": ("text", 120), "description": ("text", _LONG),
                "planned_date": ("date",), "notified_on": ("date",)},
    "plan": {"confirmed_on": ("date",), "confirmed_by": ("text", 60), "key_processes": ("lines",)},
}
EARLIEST, LATEST = date(1949, 10, 1), date(2100, 12, 31)  # a day a project of this kind can have


def unknown_spec_keys(spec: dict[str, Any]) -> list[str]:
    """The keys of a project spec that no section allows, as paths (``policy.deductible_yuan``,
    ``parties[2].fax``: list entries counted from 1). A section of the wrong shape is refused."""
    out: list[str] = []
    _walk_spec(spec, "", "", out)
    return out


def _kind(value: Any) -> str:
    return "list" if isinstance(value, list) else "table" if isinstance(value, dict) else type(value).__name__


def _walk_spec(table: dict[str, Any], where: str, shown: str, out: list[str]) -> None:
    allowed = SPEC_KEYS[where]
    for key, value in table.items():
        path = f"{shown}.{key}" if shown else str(key)
        if key not in allowed:
            out.append(path)
            continue
        child = f"{where}.{key}" if where else str(key)
        if child in SPEC_KEYS:
            if value is None:
                continue
            if not isinstance(value, dict):
                raise ValidationError(path, "spec.not_a_table", kind=_kind(value))
            _walk_spec(value, child, path, out)
        elif f"{child}[]" in SPEC_KEYS:
            if value is None:
                continue
            if not isinstance(value, list):
                raise ValidationError(path, "spec.not_a_list", kind=_kind(value))
            for i, item in enumerate(value, start=1):
                if isinstance(item, dict):
                    _walk_spec(item, f"{child}[]", f"{path}[{i}]", out)
                elif not (isinstance(item, str) and f"{child}[]" in _STRING_ENTRIES):
                    raise ValidationError(f"{path}[{i}]", "spec.not_a_table", kind=_kind(item))


def check_spec_values(spec: dict[str, Any]) -> None:
    """Refuse the first value of a spec that is not of its key's type or range (``SPEC_TYPES``),
    naming it by its path (``buildings[1].floor_area_m2``), its value and the rule. Run after
    ``check_spec_keys``: every section has its shape."""
    for where, types in SPEC_TYPES.items():
        section, listed, _ = where.partition("[]")
        parent, _, key = section.rpartition(".")
        holder = spec.get(parent) if parent else spec
        value = holder.get(key) if isinstance(holder, dict) else None
        entries = (list(enumerate(value, start=1)) if listed and isinstance(value, list)
                   else [(0, value)] if not listed and isinstance(value, dict) else [])
        for i, entry in entries:
            if not isinstance(entry, dict):
                continue
            shown = f"{section}[{i}]" if listed else section
            for name, rule in types.items():
                if entry.get(name) is not None:
                    check_spec_value(f"{shown}.{name}", entry[name], rule)


def check_spec_value(field: str, value: Any, rule: tuple[Any, ...]) -> None:
    """One value of a project file against its rule (see ``SPEC_TYPES``)."""
    kind = rule[0]
    if kind == "text":
        if not isinstance(value, str):
            raise ValidationError(field, "spec.expect_text", value=_shown(value), kind=_kind(value))
        if len(value) > rule[1]:
            raise ValidationError(field, "value.too_long_given", limit=rule[1], length=len(value),
                                  value=value[:20] + "…")
    elif kind == "date":
        if isinstance(value, datetime) or not isinstance(value, (date, str)):
            raise ValidationError(field, "spec.expect_date", value=_shown(value), kind=_kind(value))
        day = rules.parse_date(value, field)
        if not EARLIEST <= day <= LATEST:
            raise ValidationError(field, "spec.date_out_of_range", value=day, earliest=EARLIEST, latest=LATEST)
    elif kind == "bool":
        if not isinstance(value, bool):
            raise ValidationError(field, "spec.expect_bool", value=_shown(value), kind=_kind(value))
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(field, "spec.expect_integer", value=_shown(value), kind=_kind(value))
        if not rule[1] <= value <= rule[2]:
            raise ValidationError(field, "spec.out_of_range", value=value, low=rule[1], high=rule[2])
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError(field, "spec.expect_number", value=_shown(value), kind=_kind(value))
        if not math.isfinite(value):
            raise ValidationError(field, "value.not_finite", value=str(value))
        if not rule[1] < value <= rule[2]:
            raise ValidationError(field, "spec.out_of_range_open", value=value, low=rule[1], high=rule[2])
    elif kind == "percent":  # a number or its text (the window's form gives text)
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValidationError(field, "spec.expect_number", value=_shown(value), kind=_kind(value))
        try:
            share = Decimal(str(value).strip())
        except InvalidOperation:
            return  # not a number at all: rules.percent_to_bp says so
        if not share.is_finite():
            raise ValidationError(field, "value.not_finite", value=str(value))
        if not 0 < share <= 100:
            raise ValidationError(field, "spec.out_of_range_open", value=str(value), low=0, high=100)
    elif kind == "amount":
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValidationError(field, "spec.expect_amount", value=_shown(value), kind=_kind(value))
        if not _finite_amount(value):
            raise ValidationError(field, "value.not_finite", value=str(value))
    elif kind == "lines" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise ValidationError(field, "spec.expect_lines", value=_shown(value), kind=_kind(value))


def _finite_amount(value: float | int | str) -> bool:
    try:
        return Decimal(str(value).replace(",", "").strip()).is_finite()
    except (InvalidOperation, ValueError):
        return True  # not an amount at all: rules.yuan_to_fen says so


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "…"


def check_spec_keys(spec: Any) -> None:
    """Refuse a spec with a key no section allows, naming every such key at once."""
    if not isinstance(spec, dict):
        raise ValidationError("project_file", "spec.not_a_table", kind=_kind(spec))
    unknown = unknown_spec_keys(spec)
    if unknown:
        raise ValidationError("project_file", "spec.unknown_keys", keys=unknown)


def load_spec(path: Path) -> dict[str, Any]:
    """A project spec file: ``.toml`` or ``.json`` (see resources/examples/project.toml)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(str(path), "spec.unreadable", detail=exc.strerror) from None
    try:
        if path.suffix.lower() == ".toml":
            spec: Any = tomllib.loads(raw.decode("utf-8"))
        else:
            spec = json.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise ValidationError(str(path), "spec.malformed", detail=str(exc)[:300]) from None
    if not isinstance(spec, dict):
        raise ValidationError(str(path), "spec.not_an_object", kind=_kind(spec))
    return spec


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
    """The agency with this credit code (or, lacking one, this name), created when new, with the
    spec's inspectors added; it must have at least one active inspector."""
    name = _req(spec, "name", "agency")
    code = rules.check_credit_code(spec.get("credit_code"), "agency.credit_code")
    query = select(Agency).where(Agency.credit_code == code) if code else select(Agency).where(Agency.name == name)
    agency = session.execute(query).scalars().first()
    if agency is None:
        agency = Agency(name=name, credit_code=code, address=spec.get("address"), phone=spec.get("phone"))
        session.add(agency)
        session.flush()
    for i, person in enumerate(spec.get("inspectors", [])):
        pname = _req(person, "name", "agency.inspectors")
        role = staff_role(person.get("role"), f"agency.inspectors[{i}].role")
        if not session.execute(select(Inspector).where(Inspector.agency_id == agency.id,
                                                       Inspector.name == pname)).first():
            session.add(Inspector(agency_id=agency.id, name=pname, certificate_no=person.get("certificate_no"),
                                  phone=person.get("phone"), role=role))
    session.flush()
    active = session.scalar(select(func.count()).where(Inspector.agency_id == agency.id, Inspector.active)) or 0
    if not active:
        raise ValidationError("agency.inspectors", "agency.no_inspectors", agency=agency.name)
    return agency


def staff_role(value: object, field: str) -> str:
    """A staff role by code (inspector, lead, technical) or by its Chinese name; 检查员 by default."""
    if value is None or value == "":
        return "inspector"
    text = str(value).strip()
    by_name = {name: code for code, name in STAFF_ROLES.items()}
    if text in STAFF_ROLES or text in by_name:
        return by_name.get(text, text)
    raise ValidationError(field, "staff.unknown_role", role=text,
                          choices="、".join(f"{c}（{n}）" for c, n in STAFF_ROLES.items()))


def check_independence(agency: Agency, parties: Sequence[tuple[str, Party]]) -> None:
    """Art. 18: the agency is not one of the project's parties (developer, survey, design,
    construction, supervision, supplier): its credit code (or, lacking codes, its name) differs."""
    for role, party in parties:
        same_code = agency.credit_code is not None and agency.credit_code == party.credit_code
        same_name = agency.name.strip() == party.name.strip()
        if same_code or same_name:
            raise ValidationError("agency.credit_code" if same_code else "agency.name",
                                  "agency.not_independent" if same_code else "agency.same_name_as_party",
                                  agency=agency.name, code=agency.credit_code, party=party.name, party_role=role)


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
        permit_date=_opt_date(p, "permit_date", "policy"),
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
            reason = str(s.get("reason") or "").strip()
            cov.period_reason = reason or None
            contradiction = period_contradiction(cov.code, cov.period_years, cov.starts_on, cov.ends_on, actual,
                                                 ruleset)
            if contradiction is not None and not reason:
                raise ValidationError(f"policy.coverage.{cov.code}", "policy.period_contradicts", **contradiction)
    if stated:
        raise ValidationError("policy.coverage", "policy.coverage_not_insured", codes=list(stated))
    return policy, insurers, coverages


def create_project(db: Database, spec: dict[str, Any]) -> dto.ProjectDetail:
    """Create project, policy, agency, parties, buildings and the plan (from the template unless the
    spec lists nodes), atomically. Unknown keys, a missing agency or one that is a party are refused."""
    check_spec_keys(spec)
    check_spec_values(spec)
    proj = _req(spec, "project", "")
    ruleset = load_ruleset(proj.get("ruleset", DEFAULT_RULESET))
    policy, insurers, coverages = _policy(spec, ruleset)
    if not spec.get("agency"):
        raise ValidationError("agency", "agency.required")
    confirmed_on, confirmed_by, key_processes = _plan_spec(spec.get("plan") or {})
    with db.write() as s:
        code = _req(proj, "code", "project")
        if s.execute(select(Project.id).where(Project.code == code)).first():
            raise ValidationError("project.code", "project.code_taken", code=code)
        if s.execute(select(Policy.id).where(Policy.policy_no == policy.policy_no)).first():
            raise ValidationError("policy.policy_no", "policy.number_taken", number=policy.policy_no)
        agency = ensure_agency(s, spec["agency"])
        project = Project(uid=proj.get("uid") or str(uuid.uuid4()), code=code, name=_req(proj, "name", "project"),
                          address=_req(proj, "address", "project"), district=proj.get("district"),
                          description=proj.get("description"), ruleset_id=ruleset.id,
                          ruleset_version=ruleset.version, agency_id=agency.id, plan_confirmed_on=confirmed_on,
                          plan_confirmed_by=confirmed_by, key_processes="\n".join(key_processes) or None)
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
        check_independence(agency, _add_parties(s, project, spec.get("parties", [])))
        _add_buildings(s, project, spec.get("buildings", []))
        _add_nodes(s, project, ruleset, spec.get("nodes"), rules.parse_date(proj.get("start_date", policy.issued_on), "project.start_date"))
        pid = project.id
    return get_project(db, pid)


def _plan_spec(plan: dict[str, Any]) -> tuple[date | None, str | None, list[str]]:
    """The [plan] section: the developer's confirmation (date and who, together) and key processes."""
    on = _opt_date(plan, "confirmed_on", "plan")
    by = str(plan.get("confirmed_by") or "").strip() or None
    if (on is None) != (by is None):
        raise ValidationError("plan.confirmed_by" if by is None else "plan.confirmed_on",
                              "plan.confirmation_incomplete")
    if on is not None and on > date.today():
        raise ValidationError("plan.confirmed_on", "date.in_future", day=on)
    lines = plan.get("key_processes") or []
    if not isinstance(lines, list):
        raise ValidationError("plan.key_processes", "spec.not_a_list", kind=_kind(lines))
    return on, by, clean_key_processes(lines, "plan.key_processes")


def clean_key_processes(lines: Sequence[object], field: str) -> list[str]:
    """Key processes one per entry: trimmed, blank ones dropped, each within the limit."""
    out = []
    for line in lines:
        for text in str(line).splitlines():
            text = text.strip()
            if len(text) > KEY_PROCESS_LIMIT:
                raise ValidationError(field, "plan.key_process_too_long", length=len(text), limit=KEY_PROCESS_LIMIT,
                                      text=text[:20] + "…")
            if text:
                out.append(text)
    return out


def _add_parties(s: Session, project: Project, parties: list[dict[str, Any]]) -> list[tuple[str, Party]]:
    if not any(p.get("role") == "developer" for p in parties):
        raise ValidationError("parties", "parties.developer_missing")
    added: list[tuple[str, Party]] = []
    for p in parties:
        role = _req(p, "role", "parties")
        if role not in PARTY_ROLES:
            raise ValidationError("parties.role", "parties.unknown_role", role=role, choices=list(PARTY_ROLES))
        party = ensure_party(s, _req(p, "name", "parties"), p.get("credit_code"),
                             contact_person=p.get("contact_person"), phone=p.get("phone"))
        s.add(ProjectParty(project_id=project.id, party_id=party.id, role=role, scope=p.get("scope")))
        added.append((role, party))
    return added


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
        notified = _opt_date(n, "notified_on", "nodes")
        if notified is not None and notified > date.today():
            raise ValidationError("nodes.notified_on", "date.in_future", day=notified)
        s.add(PlanNode(project_id=project.id, code=_req(n, "code", "nodes"), name=_req(n, "name", "nodes"),
                       description=n.get("description"), planned_date=_opt_date(n, "planned_date", "nodes"),
                       status="planned", sort_order=order, notified_on=notified))


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


def list_projects(db: Database, *, include_archived: bool = False) -> list[dto.ProjectSummary]:
    """The projects on this laptop with their counts; archived ones only when asked for."""
    with db.read() as s:
        out = []
        query = select(Project).order_by(Project.id)
        if not include_archived:
            query = query.where(Project.archived_at.is_(None))
        for p in s.execute(query).scalars():
            counts = dict(s.execute(select(Finding.status, func.count()).where(Finding.project_id == p.id)
                                    .group_by(Finding.status)).all())
            serious_open = s.scalar(select(func.count()).where(Finding.project_id == p.id, Finding.is_serious,
                                                               Finding.status.in_(dto.OPEN_STATUSES))) or 0
            out.append(dto.ProjectSummary(
                p.id, p.code, p.name, p.address, p.policy.policy_no if p.policy else "", len(p.buildings),
                s.scalar(select(func.count()).where(Visit.project_id == p.id)) or 0,
                sum(counts.values()), sum(counts.get(c, 0) for c in dto.OPEN_STATUSES), serious_open,
                p.is_demo, p.archived_at is not None))
        return out


def list_stamp(db: Database) -> tuple[int, int]:
    """A cheap sign that the project list may have changed since it was read: the projects' count and
    the audit log's last entry (every write through the app, the command line's too, moves it)."""
    with db.read() as s:
        count = s.scalar(select(func.count()).select_from(Project)) or 0
        seq = s.scalar(select(AuditHead.last_seq).where(AuditHead.id == 1)) or 0
    return count, seq


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
        nodes=[node_info(n, visit_counts.get(n.id, 0)) for n in p.nodes],
        warnings=project_warnings(p, ruleset), plan_confirmed_on=p.plan_confirmed_on,
        plan_confirmed_by=p.plan_confirmed_by, key_processes=(p.key_processes or "").splitlines(),
        permit_date=pol.permit_date, ruleset_valid_from=ruleset.valid_from, ruleset_valid_until=ruleset.valid_until,
        is_demo=p.is_demo, archived_at=p.archived_at,
    )


def node_info(n: PlanNode, visits: int) -> dto.NodeInfo:
    return dto.NodeInfo(n.id, n.code, n.name, n.planned_date, n.reached_date, n.status, visits,
                        notified_on=n.notified_on, waived_reason=n.waived_reason, waived_by=n.waived_by,
                        waived_on=n.waived_on)


# -- what the rules flag without refusing -----------------------------------------------------------
def _regulation(ruleset: RuleSet) -> str:
    """The measures' title as the reports cite it (messages.NAMES says it in English)."""
    return str(ruleset.raw.get("report_texts", {}).get("regulation") or f"《{ruleset.name}》")


def ruleset_basis(ruleset: RuleSet) -> dict[str, Any]:
    """The params of the rule-set basis line (``ruleset.basis``): the measures and their validity."""
    return {"regulation": _regulation(ruleset), "valid_from": _iso(ruleset.valid_from),
            "valid_until": _iso(ruleset.valid_until), "article": str(ruleset.raw.get("validity_article") or "")}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def validity_notice(issued_on: date, ruleset: RuleSet) -> dto.Notice | None:
    """Art. 28: a policy issued outside the rule set's validity is flagged, never silently covered."""
    params = {**ruleset_basis(ruleset), "issued_on": issued_on.isoformat()}
    if ruleset.valid_until is not None and issued_on > ruleset.valid_until:
        return dto.Notice("ruleset_validity", "ruleset.policy_after_validity", params)
    if ruleset.valid_from is not None and issued_on < ruleset.valid_from:
        return dto.Notice("ruleset_validity", "ruleset.policy_before_validity", params)
    return None


def period_contradiction(code: str, years: int | None, starts_on: date | None, ends_on: date | None,
                         acceptance: date | None, ruleset: RuleSet) -> dict[str, Any] | None:
    """Where stated cover dates contradict the rule (Art. 5: basic cover STR 10 y, WPI 5 y, starting two
    years after completion acceptance; a rider: the period the policy gives it), the params of
    ``policy.period_contradicts``; else None. An end on the anniversary itself (0:00 to 0:00) counts as
    the same period as the day before (0:00 to 24:00). A rider's start is the policy's own term (Art. 6)."""
    if starts_on is None and ends_on is None:
        return None
    basic = code in ruleset.groups
    entry = ruleset.groups.get(code) or ruleset.riders.get(code) or {}
    years = ruleset.group_period_years(code) if basic else years
    expected_start = (rules.add_years(acceptance, ruleset.cover_start_offset_years)
                      if basic and acceptance is not None else None)
    start = starts_on or expected_start
    expected_end = rules.add_years(start, years) - timedelta(days=1) if start is not None and years else None
    wrong_start = starts_on is not None and expected_start is not None and starts_on != expected_start
    wrong_end = (ends_on is not None and expected_end is not None
                 and ends_on not in (expected_end, expected_end + timedelta(days=1)))
    if not (wrong_start or wrong_end):
        return None
    if expected_start is not None:
        rule = {"key": "policy.rule_window", "params": {
            "acceptance": _iso(acceptance), "offset": ruleset.cover_start_offset_years, "years": years,
            "expected_start": _iso(expected_start),
            "expected_end": _iso(rules.add_years(expected_start, years) - timedelta(days=1)) if years else "—"}}
    else:
        rule = {"key": "policy.rule_length", "params": {"years": years, "starts_on": _iso(start),
                                                        "expected_end": _iso(expected_end)}}
    return {"cover": code, "starts_on": _iso(starts_on) or "—", "ends_on": _iso(ends_on) or "—", "rule": rule,
            "article": str(entry.get("article") or "")}


def project_warnings(p: Project, ruleset: RuleSet) -> list[dto.Notice]:
    """What the rules flag on a project without refusing it, each a Notice said in either language."""
    pol = p.policy
    out: list[dto.Notice] = []
    validity = validity_notice(pol.issued_on, ruleset)
    if validity is not None:
        out.append(validity)
    if pol.permit_date is not None and pol.issued_on > pol.permit_date:
        out.append(dto.Notice("policy_after_permit", "policy.issued_after_permit",
                              {"issued_on": pol.issued_on.isoformat(), "permit_date": pol.permit_date.isoformat()}))
    for c in pol.coverages:
        found = period_contradiction(c.code, c.period_years, c.starts_on, c.ends_on, pol.actual_acceptance_date,
                                     ruleset)
        if found is not None:
            key = "policy.period_with_reason" if c.period_reason else "policy.period_unexplained"
            out.append(dto.Notice("period_contradiction", key, {**found, "reason": c.period_reason or ""},
                                  items=[c.code]))
    if p.plan_confirmed_on is None:
        out.append(dto.Notice("plan_not_confirmed", "plan.not_confirmed"))
    return out


def _window_fields(c: PolicyCoverage, pol: Policy, ruleset: RuleSet) -> dict[str, Any]:
    label = ruleset.riders[c.code]["name"] if c.code in ruleset.riders else ruleset.groups[c.code]["name"]
    w = rules.coverage_window(c.code, label, c.period_years, pol.actual_acceptance_date, c.starts_on, c.ends_on, ruleset)
    return {"code": w.code, "label": w.label, "starts_on": w.starts_on, "ends_on": w.ends_on,
            "period_years": w.period_years, "stated": w.stated, "period_reason": c.period_reason}


def update_node(db: Database, node_id: int, *, planned_date: date | None = None, reached_date: date | None = None,
                status: str | None = None) -> dto.NodeInfo:
    """Edit one node of the inspection plan."""
    if status is not None and status not in NODE_STATUSES:
        raise ValidationError("status", "node.unknown_status", status=status, choices=list(NODE_STATUSES))
    if status == "waived":  # only with a reason and an inspector: inspection_plan.waive_node
        raise ValidationError("status", "node.waive_with_reason")
    with db.write() as s:
        node = s.get(PlanNode, node_id)
        if node is None:
            raise NotFound("node", node_id)
        if node.status == "waived" and status not in (None, "waived"):
            raise ValidationError("status", "node.waived_unwaive_first", node=node.code)
        if planned_date is not None:
            node.planned_date = planned_date
        if reached_date is not None:
            if reached_date > date.today() + timedelta(days=1):
                raise ValidationError("reached_date", "date.in_future", day=reached_date)
            node.reached_date = reached_date
            node.status = "reached" if node.status == "planned" else node.status
        if status is not None:
            node.status = status
        return node_info(node, node_visits(s, node.id))


def node_visits(s: Session, node_id: int) -> int:
    """How many visits inspected the node."""
    return s.scalar(select(func.count()).select_from(VisitNode).where(VisitNode.node_id == node_id)) or 0


def staff(db: Database, project_key: str | int | None = None) -> list[dto.StaffInfo]:
    """Active staff with their roles: of the project's agency, or of every agency on this laptop."""
    with db.read() as s:
        q = select(Inspector, Agency.name).join(Agency, Agency.id == Inspector.agency_id).where(Inspector.active)
        if project_key is not None:
            project = resolve_project(s, project_key)
            q = q.where(Inspector.agency_id == project.agency_id)
        return [dto.StaffInfo(i.name, i.role, STAFF_ROLES.get(i.role, i.role), i.certificate_no, agency)
                for i, agency in s.execute(q.order_by(Agency.id, Inspector.id))]


def project_inspectors(db: Database, key: str | int) -> list[str]:
    """The agency's active inspectors for this project, by name."""
    with db.read() as s:
        project = resolve_project(s, key)
        q = select(Inspector.name).where(Inspector.active).order_by(Inspector.id)
        if project.agency_id:
            q = q.where(Inspector.agency_id == project.agency_id)
        return list(s.execute(q).scalars())
