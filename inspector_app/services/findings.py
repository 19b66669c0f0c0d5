"""Findings: record, reply, verify, close, re-open, re-grade; lists, overdue, the final gate,
and carry-forward of open findings into a later visit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from .. import messages
from ..errors import NotFound, ValidationError
from ..models import (
    Building,
    Finding,
    FindingEvent,
    Inspector,
    Party,
    Project,
    ProjectParty,
    RectificationReply,
    Verification,
    Visit,
)
from ..models.db import Database
from ..rulesets import RuleSet, load_ruleset
from ..values import dto
from . import finding_rows, gate, rules
from .projects import resolve_project
from .team import next_number
from .visits import MAX_FUTURE, resolve_visit

TEXT_LIMITS = {"description": 2000, "risk": 2000, "requirement": 2000, "clause": 200, "location": 120, "floor": 20}


def _ruleset(project: Project) -> RuleSet:
    return load_ruleset(project.ruleset_id, project.ruleset_version)


def derive_serious(ruleset: RuleSet, grade_found: str, grade_now: str, override: bool | None) -> bool:
    """Serious: the inspector's explicit call when made, else a serious grade as found or now."""
    if override is not None:
        return override
    grades = ruleset.grades
    return grades[grade_found].serious or grades[grade_now].serious


def _check_texts(fields: dict[str, Any]) -> None:
    for key, limit in TEXT_LIMITS.items():
        value = fields.get(key)
        if value is not None and len(value) > limit:
            raise ValidationError(f"finding.{key}", "finding.text_too_long", value=len(value), limit=limit)


def _check_grade(ruleset: RuleSet, grade: str) -> str:
    grade = grade.strip().upper()
    if grade not in ruleset.grades:
        raise ValidationError("finding.grade", "finding.unknown_grade", grade=grade, choices=list(ruleset.grades))
    return grade


def _responsible(s: Session, project: Project, ref: str | None) -> int | None:
    if not ref:
        return None
    pp = s.execute(select(ProjectParty).join(Party).where(
        ProjectParty.project_id == project.id, (ProjectParty.role == ref) | (Party.name == ref))).scalars().first()
    if pp is None:
        raise ValidationError("finding.responsible", "project.no_such_party", party=ref)
    return pp.party_id


def _event(s: Session, f: Finding, actor: str | None, kind: str, old: str | None, new: str, reason: str | None,
           on: date | None = None) -> None:
    """A step of the finding's history, effective on ``on`` (the day found, replied or re-checked;
    by default the day it is recorded)."""
    s.add(FindingEvent(finding_id=f.id, actor=actor, kind=kind, from_value=old, to_value=new, reason=reason,
                       on_day=on or date.today()))


def record_finding(db: Database, visit_id: int, *, building: str, coverage: str, division: str, grade: str,
                   description: str, floor: str | None = None, location: str | None = None,
                   subdivision: str | None = None, risk: str | None = None, clause: str | None = None,
                   requirement: str | None = None, deadline: date | None = None, responsible: str | None = None,
                   serious: bool | None = None, serious_reason: str | None = None,
                   tag_reason: str | None = None) -> dto.FindingInfo:
    """A new finding on a visit, numbered within the project, status open. A division outside the
    rule set's map for the coverage category needs ``tag_reason``; a rider must be in the policy."""
    fields = {k: v for k, v in locals().items() if k not in ("db", "visit_id")}
    with db.write() as s:
        return record_in(s, db.actor, visit_id, **fields)


def record_in(s: Session, actor: str | None, visit_id: int, *, building: str, coverage: str, division: str,
              grade: str, description: str, floor: str | None = None, location: str | None = None,
              subdivision: str | None = None, risk: str | None = None, clause: str | None = None,
              requirement: str | None = None, deadline: date | None = None, responsible: str | None = None,
              serious: bool | None = None, serious_reason: str | None = None,
              tag_reason: str | None = None) -> dto.FindingInfo:
    """``record_finding`` inside the caller's write transaction (a checklist item and the finding it
    opens are written together)."""
    description = (description or "").strip()
    if not description:
        raise ValidationError("finding.description", "value.required")
    _check_texts(locals())
    visit = resolve_visit(s, visit_id)
    project = s.get(Project, visit.project_id)
    assert project is not None
    rs = _ruleset(project)
    grade = _check_grade(rs, grade)
    b = s.execute(select(Building).where(Building.project_id == project.id, Building.name == building)).scalars().first()
    if b is None:
        names = [x.name for x in project.buildings]
        raise ValidationError("finding.building", "finding.unknown_building", building=building, buildings=names)
    if coverage not in rs.finding_coverage_codes:
        raise ValidationError("finding.coverage", "finding.unknown_coverage", coverage=coverage,
                              choices=sorted(rs.finding_coverage_codes))
    if division not in rs.divisions:
        raise ValidationError("finding.division", "finding.unknown_division", division=division)
    if subdivision and rs.subdivision_name(subdivision) is None or (subdivision and subdivision[:2] != division):
        raise ValidationError("finding.subdivision", "finding.not_a_subdivision", subdivision=subdivision,
                              division=division)
    check_tags(rs, project, coverage, division, tag_reason)
    found_on = visit.started_at.date()
    if deadline is not None and deadline < found_on:
        raise ValidationError("finding.deadline", "finding.deadline_before_found", deadline=deadline,
                              found_on=found_on)
    if serious is not None and not (serious_reason and serious_reason.strip()):
        raise ValidationError("finding.serious", "finding.serious_override_needs_reason")
    default_days = rs.grades[grade].deadline_days
    if deadline is None and default_days is not None:
        deadline = found_on + timedelta(days=default_days)
    number = next_number(s, project.id, "finding")
    f = Finding(project_id=project.id, visit_id=visit.id, number=number, building_id=b.id, floor=floor,
                location=location, division_code=division, subdivision_code=subdivision, coverage_code=coverage,
                description=description, risk=risk, clause=clause, requirement=requirement, deadline=deadline,
                responsible_party_id=_responsible(s, project, responsible), grade_found=grade, grade_now=grade,
                serious_override=serious, serious_reason=serious_reason, tag_reason=_clean(tag_reason),
                is_serious=derive_serious(rs, grade, grade, serious), status="open", found_on=found_on,
                created_by=actor)
    s.add(f)
    s.flush()
    _event(s, f, actor, "status", None, "open", messages.text("history.found"), on=f.found_on)
    s.flush()
    return finding_info(s, f)


def _clean(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def check_tags(rs: RuleSet, project: Project, coverage: str, division: str, reason: str | None) -> None:
    """A rider the policy did not buy is refused; a division outside the coverage category's map
    (rule set: coverage_categories[].divisions, a rider's division) needs a reason."""
    if coverage in rs.riders:
        bought = {c.code for c in project.policy.coverages}
        if coverage not in bought:
            raise ValidationError("finding.coverage", "finding.rider_not_in_policy", coverage=coverage,
                                  riders=sorted(c for c in bought if c in rs.riders))
    allowed = rs.allowed_divisions(coverage)
    if allowed and division not in allowed and not _clean(reason):
        raise ValidationError("finding.division", "finding.division_outside_coverage", division=division,
                              coverage=coverage, allowed=list(allowed))


def _load(s: Session, finding_id: int) -> tuple[Finding, Project]:
    f = s.get(Finding, finding_id)
    if f is None:
        raise NotFound("finding", finding_id)
    project = s.get(Project, f.project_id)
    assert project is not None
    return f, project


def _check_day(day: date, f: Finding, what: str) -> None:
    if day < f.found_on:
        raise ValidationError(what, "finding.date_before_found", day=day, found_on=f.found_on)
    if day > date.today() + MAX_FUTURE:
        raise ValidationError(what, "date.in_future", day=day)


def _set_status(s: Session, f: Finding, target: str, actor: str | None, reason: str | None,
                on: date | None = None) -> None:
    rules.check_transition(f.status, target, reason=reason)
    old = f.status
    f.status = target
    if old != target:
        _event(s, f, actor, "status", old, target, reason, on)


def reply_rectification(db: Database, finding_id: int, text: str, *, replied_on: date | None = None,
                        party: str | None = None) -> dto.FindingInfo:
    """The contractor says it is rectified: open -> replied."""
    if not (text and text.strip()):
        raise ValidationError("reply", "reply.text_required")
    with db.write() as s:
        f, project = _load(s, finding_id)
        day = replied_on or date.today()
        _check_day(day, f, "reply.date")
        party_id = _responsible(s, project, party) if party else f.responsible_party_id
        reply = RectificationReply(finding_id=f.id, replied_on=day, party_id=party_id, text=text.strip(),
                                   recorded_by=db.actor)
        s.add(reply)
        _set_status(s, f, "replied", db.actor, messages.text("history.replied", {"text": text.strip()[:60]}), on=day)
        s.flush()
        return finding_info(s, f)


def verify_rectification(db: Database, finding_id: int, result: str, *, verified_on: date | None = None,
                         inspector: str | None = None, visit_id: int | None = None, notes: str | None = None,
                         grade_now: str | None = None, reuse_reason: str | None = None) -> dto.FindingInfo:
    """The inspector's re-check on site: accepted -> verified, rejected -> open.

    A re-check is made in a visit (``visit_id``, else the project's visit on ``verified_on``) by
    an inspector of the agency (``inspector``, else the acting person when they are one, else the
    visit's only inspector). Accepted
    needs proof: an after-photo taken on or after the day found and the latest reply, not a file
    already used on another finding unless ``reuse_reason`` confirms it."""
    if result not in ("accepted", "rejected"):
        raise ValidationError("verification.result", "verification.unknown_result", result=result)
    with db.write() as s:
        f, project = _load(s, finding_id)
        visit = _recheck_visit(s, f, visit_id, verified_on)
        day = visit.started_at.date()
        if verified_on is not None and verified_on != day:
            raise ValidationError("verification.date", "verification.not_visit_day", day=verified_on,
                                  visit=visit.number, visit_day=day)
        _check_day(day, f, "verification.date")
        last_reply = max((r.replied_on for r in f.replies), default=None)
        if last_reply and day < last_reply:
            raise ValidationError("verification.date", "verification.before_reply", day=day, reply_day=last_reply)
        person = _recheck_inspector(s, project, visit, inspector or db.actor, explicit=inspector is not None)
        if result == "accepted":
            _check_proof(s, f, project, last_reply, reuse_reason)
        s.add(Verification(finding_id=f.id, visit_id=visit.id, inspector_id=person.id, verified_on=day,
                           result=result, notes=notes, reuse_reason=_clean(reuse_reason)))
        target = "verified" if result == "accepted" else "open"
        passed = "history.recheck_passed" if result == "accepted" else "history.recheck_failed"
        _set_status(s, f, target, db.actor, notes or messages.text(passed), on=day)
        f.closed_on = day if target == "verified" else None
        if grade_now:
            _regrade(s, f, project, grade_now, db.actor, messages.text("history.regraded_after_recheck"), on=day)
        s.flush()
        return finding_info(s, f)


def _recheck_visit(s: Session, f: Finding, visit_id: int | None, day: date | None) -> Visit:
    """The visit a re-check was made in: the one named, else the project's (last) visit that day."""
    if visit_id is not None:
        visit = resolve_visit(s, visit_id)
        if visit.project_id != f.project_id:
            raise ValidationError("verification.visit", "visit.not_in_project", visit=visit_id)
        return visit
    if day is not None:
        same_day = [v for v in s.execute(select(Visit).where(Visit.project_id == f.project_id)
                                         .order_by(Visit.number.desc())).scalars() if v.started_at.date() == day]
        if same_day:
            return same_day[0]
    raise ValidationError("verification.visit", "verification.visit_required", day=day or "-")


def _recheck_inspector(s: Session, project: Project, visit: Visit, name: str | None, *,
                       explicit: bool) -> Inspector:
    """The inspector of the project's agency who made the re-check: the one named, else the acting
    person when registered, else the visit's only inspector."""
    query = select(Inspector).where(Inspector.active)
    if project.agency_id:
        query = query.where(Inspector.agency_id == project.agency_id)
    known = {i.name: i for i in s.execute(query).scalars()}
    if name and name in known:
        return known[name]
    if explicit:
        raise ValidationError("verification.inspector", "verification.not_agency_inspector", name=name,
                              known=list(known))
    on_visit = [i for i in known.values() if i.id in {vi.inspector_id for vi in visit.inspectors}]
    if len(on_visit) == 1:
        return on_visit[0]
    raise ValidationError("verification.inspector", "verification.inspector_required", known=list(known))


def _check_proof(s: Session, f: Finding, project: Project, last_reply: date | None, reuse_reason: str | None) -> None:
    """Refuse an accepted re-check the evidence does not support, naming what is missing."""
    photos = gate.after_photos(gate.session_runner(s), "f.id = :fid", {"fid": f.id}).get(f.id, [])
    problems = rules.proof_problems(f.found_on, last_reply, visit=True, inspector=True, photos=photos,
                                    reuse_reason=reuse_reason)
    if "no_after_photo" in problems:
        raise ValidationError("verification.after_photo", "verification.needs_after_photo", number=f.number,
                              finding_id=f.id)
    if "after_photo_too_early" in problems:
        latest = max(p.taken for p in photos)
        raise ValidationError("verification.after_photo", "verification.after_photo_too_early", number=f.number,
                              taken=f"{latest:%Y-%m-%d %H:%M}", since=max(f.found_on, last_reply or f.found_on))
    if "photo_reused" in problems:
        others = sorted({p.elsewhere for p in photos if p.elsewhere})
        raise ValidationError("verification.after_photo", "verification.photo_reused", number=f.number, others=others)


def close_finding(db: Database, finding_id: int, reason: str) -> dto.FindingInfo:
    """Close without verification, with the reason recorded (e.g. 经复核非缺陷)."""
    return _move_with_reason(db, finding_id, "closed", reason)


def reopen_finding(db: Database, finding_id: int, reason: str, *, deadline: date | None = None) -> dto.FindingInfo:
    """Back to open (a verified or closed finding that proved not rectified), with the reason and a
    new rectification deadline: ``deadline`` (today or later), else today plus the grade's
    default days (the old deadline has passed)."""
    return _move_with_reason(db, finding_id, "open", reason, deadline=deadline)


def reopen_deadline(ruleset: RuleSet, grade: str, today: date | None = None) -> date | None:
    """The deadline a re-opened finding gets unless one is given: today plus its grade's days."""
    days = ruleset.grades[grade].deadline_days if grade in ruleset.grades else None
    return (today or date.today()) + timedelta(days=days) if days is not None else None


def _move_with_reason(db: Database, finding_id: int, target: str, reason: str, *,
                      deadline: date | None = None) -> dto.FindingInfo:
    today = date.today()
    if deadline is not None and deadline < today:
        raise ValidationError("finding.deadline", "finding.reopen_deadline_past", deadline=deadline, today=today)
    with db.write() as s:
        f, project = _load(s, finding_id)
        _set_status(s, f, target, db.actor, reason)
        f.closed_on = date.today() if target == "closed" else None
        if target == "open":
            due = deadline or reopen_deadline(_ruleset(project), f.grade_now, today) or f.deadline
            deadline_event(s, f, due, db.actor, reason)
        s.flush()
        return finding_info(s, f)


def deadline_event(s: Session, f: Finding, deadline: date | None, actor: str | None, reason: str | None) -> None:
    """Set a new rectification deadline, kept in the history (a report as of an earlier day shows the old)."""
    if deadline != f.deadline:
        _event(s, f, actor, "deadline", f.deadline.isoformat() if f.deadline else None,
               deadline.isoformat() if deadline else "", reason)
        f.deadline = deadline


def _regrade(s: Session, f: Finding, project: Project, grade: str, actor: str | None, reason: str,
             on: date | None = None) -> None:
    rs = _ruleset(project)
    grade = _check_grade(rs, grade)
    if grade != f.grade_now:
        _event(s, f, actor, "grade", f.grade_now, grade, reason, on)
        f.grade_now = grade
        f.is_serious = derive_serious(rs, f.grade_found, f.grade_now, f.serious_override)


def change_grade(db: Database, finding_id: int, grade: str, reason: str) -> dto.FindingInfo:
    if not reason.strip():
        raise ValidationError("reason", "finding.regrade_needs_reason")
    with db.write() as s:
        f, project = _load(s, finding_id)
        _regrade(s, f, project, grade, db.actor, reason)
        s.flush()
        return finding_info(s, f)


def set_serious(db: Database, finding_id: int, serious: bool | None, reason: str) -> dto.FindingInfo:
    """The inspector's own call on 'serious' (None: back to the rule set's grade rule)."""
    if not reason.strip():
        raise ValidationError("reason", "finding.serious_change_needs_reason")
    with db.write() as s:
        f, project = _load(s, finding_id)
        old = f.is_serious
        f.serious_override, f.serious_reason = serious, reason
        f.is_serious = derive_serious(_ruleset(project), f.grade_found, f.grade_now, serious)
        _event(s, f, db.actor, "serious", str(old), str(f.is_serious), reason)
        s.flush()
        return finding_info(s, f)


def finding_row(s: Session, finding_id: int, *, today: date | None = None) -> dto.FindingInfo:
    """One finding through the shared projection (no history)."""
    row = s.execute(text(finding_rows.row_sql("f.id = :fid")), {"fid": finding_id}).one_or_none()
    if row is None:
        raise NotFound("finding", finding_id)
    return finding_rows.to_info(row, today or date.today())


def finding_info(s: Session, f: Finding, *, today: date | None = None, history: bool = True) -> dto.FindingInfo:
    s.flush()
    info = finding_row(s, f.id, today=today)
    if not history:
        return info
    events = [dto.FindingEventInfo(e.at, e.actor, e.kind, e.from_value, e.to_value, e.reason) for e in f.events]
    return replace(info, history=events)


def is_overdue(f: Finding, today: date) -> bool:
    return rules.is_overdue(f.status, f.deadline, today)


def get_finding(db: Database, finding_id: int) -> dto.FindingInfo:
    with db.read() as s:
        f, _ = _load(s, finding_id)
        return finding_info(s, f)


def project_rows(s: Session, project_id: int, today: date, *, where: str = "",
                 **params: object) -> list[dto.FindingInfo]:
    """Every finding of a project (without history), in one query: the table of 10,000 rows.
    ``where`` narrows it (SQL over the projection's aliases, named parameters in ``params``)."""
    sql = finding_rows.row_sql(f"f.project_id = :pid{' AND ' + where if where else ''}")
    return [finding_rows.to_info(r, today) for r in s.execute(text(sql), {"pid": project_id, **params})]


def list_findings(db: Database, project_key: str | int, *, status: str | None = None, serious: bool | None = None,
                  overdue: bool | None = None, today: date | None = None) -> list[dto.FindingInfo]:
    today = today or date.today()
    terms = {"f.status = :status": status, "f.is_serious = :serious": serious}
    wanted = {sql: value for sql, value in terms.items() if value is not None}
    with db.read() as s:
        project = resolve_project(s, project_key)
        rows = project_rows(s, project.id, today, where=" AND ".join(wanted), status=status, serious=serious)
    return [f for f in rows if overdue is None or f.overdue == overdue]  # overdue is as of ``today``


def overdue_findings(db: Database, project_key: str | int, today: date | None = None) -> list[dto.FindingInfo]:
    return list_findings(db, project_key, overdue=True, today=today)


def carried_forward(db: Database, visit_id: int) -> list[dto.FindingInfo]:
    """Findings of earlier visits still open or awaiting re-check when this visit starts."""
    with db.read() as s:
        visit = resolve_visit(s, visit_id)
        q = (select(Finding).join(Visit, Visit.id == Finding.visit_id)
             .where(Finding.project_id == visit.project_id, Visit.number < visit.number,
                    Finding.status.in_(dto.OPEN_STATUSES)).order_by(Finding.deadline.is_(None), Finding.deadline, Finding.number))
        return [finding_info(s, f, today=visit.started_at.date(), history=False) for f in s.execute(q).scalars()]


def final_gate(db: Database, project_key: str | int, *, today: date | None = None) -> dto.GateResult:
    """The final gate and its preconditions (services/gate.py): closed while any reason blocks it."""
    with db.read() as s:
        project = resolve_project(s, project_key)
        return gate.evaluate(s, project.id, today or date.today())
