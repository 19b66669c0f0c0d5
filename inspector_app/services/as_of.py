"""A project as it stood on a day (issue 12): a report for a visit or a period shows the state as
of its end date, so nothing dated after it (a later finding, reply, re-check, photo, grade change,
node reached, waiver, acceptance) changes what it says.

Days are the domain's own: a visit's day, a reply's ``replied_on``, a re-check's ``verified_on``, a
photo's EXIF time, a node's reached date. A step of a finding's history with no day of its own (a
re-grade, a serious call, a closing, a re-opening) takes the day of the reply or re-check it was
recorded with, else the day it was recorded (Beijing time); the steps of a history never go back in
time, so the steps after a day are a tail of it, undone from the finding's current state.

Plain SQL through a ``Run`` (as in services/gate.py) and no SQLAlchemy import, so the first screen
may use it before the ORM loads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from ..values import dto
from .finding_rows import sql_day
from .rules import is_overdue

Run = Callable[[str, dict[str, Any]], Sequence[Sequence[Any]]]

SITE_OFFSET = timedelta(hours=8)  # system timestamps are naive UTC; the site's day is Beijing's
SAME_WRITE = timedelta(seconds=2)  # a step recorded with a reply or re-check (timestamps are whole seconds)


def _moment(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def recorded_day(at: datetime, today: date | None = None) -> date:
    """The site day (Beijing) of a system timestamp (naive UTC), never after ``today``: what was
    recorded by now is never left out of a report made as of today."""
    day = (at + SITE_OFFSET).date()
    return min(day, today) if today is not None else day


def photo_day(role: str, taken_at: datetime | None, imported_at: datetime | None, found_on: date,
              today: date | None = None) -> date:
    """The day a photo of a finding belongs to: its EXIF time; without one, an after-photo is dated by
    its import (as the gate reads it) and any other by the day the finding was found."""
    if taken_at is not None:
        return taken_at.date()
    if role == "after" and imported_at is not None:
        return max(recorded_day(imported_at, today), found_on)
    return found_on


@dataclass(frozen=True, slots=True)
class Step:
    """One finding_event row with the day it belongs to."""

    event_id: int
    day: date
    kind: str  # status | grade | serious
    from_value: str | None
    to_value: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class _Act:
    """A reply or a re-check: its day, when it was recorded, and (a re-check) its result."""

    day: date
    recorded_at: datetime | None
    result: str = ""  # accepted | rejected for a re-check, "" for a reply


@dataclass(slots=True)
class History:
    """What happened to the findings of one project, each step dated (``load``)."""

    serious_grades: frozenset[str]
    today: date | None = None
    events: dict[int, list[tuple[int, datetime, date | None, str, str | None, str, str | None]]] = field(default_factory=dict)
    replies: dict[int, list[_Act]] = field(default_factory=dict)
    checks: dict[int, list[_Act]] = field(default_factory=dict)
    photos: dict[int, list[tuple[int, str, datetime | None, datetime | None]]] = field(default_factory=dict)
    overrides: dict[int, bool | None] = field(default_factory=dict)
    _steps: dict[int, list[Step]] = field(default_factory=dict)

    @classmethod
    def load(cls, run: Run, project_id: int, serious_grades: Iterable[str], today: date | None = None) -> History:
        """Every step, reply, re-check and photo of the project's findings, in five reads."""
        h = cls(frozenset(serious_grades), today)
        p = {"pid": project_id}
        events: dict[int, list[Any]] = defaultdict(list)
        for eid, fid, at, on_day, kind, old, new, reason in run(
                "SELECT e.id, e.finding_id, e.at, e.on_day, e.kind, e.from_value, e.to_value, e.reason "
                "FROM finding_event e JOIN finding f ON f.id = e.finding_id WHERE f.project_id = :pid ORDER BY e.id", p):
            events[int(fid)].append((int(eid), _moment(at), sql_day(on_day), kind, old, new, reason))
        replies: dict[int, list[_Act]] = defaultdict(list)
        for fid, day, at in run(
                "SELECT r.finding_id, r.replied_on, r.recorded_at FROM rectification_reply r "
                "JOIN finding f ON f.id = r.finding_id WHERE f.project_id = :pid ORDER BY r.id", p):
            replies[int(fid)].append(_Act(sql_day(day) or date.min, _moment(at)))
        checks: dict[int, list[_Act]] = defaultdict(list)
        for fid, day, result, at in run(
                "SELECT v.finding_id, v.verified_on, v.result, v.recorded_at FROM verification v "
                "JOIN finding f ON f.id = v.finding_id WHERE f.project_id = :pid ORDER BY v.id", p):
            checks[int(fid)].append(_Act(sql_day(day) or date.min, _moment(at), result))
        photos: dict[int, list[Any]] = defaultdict(list)
        for pid, fid, role, taken, imported in run(
                "SELECT id, finding_id, role, taken_at, imported_at FROM photo "
                "WHERE project_id = :pid AND finding_id IS NOT NULL ORDER BY id", p):
            photos[int(fid)].append((int(pid), role, _moment(taken), _moment(imported)))
        h.events, h.replies, h.checks, h.photos = dict(events), dict(replies), dict(checks), dict(photos)
        h.overrides = {int(fid): None if o is None else bool(o) for fid, o in run(
            "SELECT id, serious_override FROM finding WHERE project_id = :pid", p)}
        return h

    def steps(self, finding_id: int, found_on: date) -> list[Step]:
        """The finding's history, each step with its day (never before the step before it)."""
        if finding_id in self._steps:
            return self._steps[finding_id]
        replies, checks = self.replies.get(finding_id, []), self.checks.get(finding_id, [])
        replied = iter(r.day for r in replies)
        accepted = iter(c.day for c in checks if c.result == "accepted")
        out, floor = [], found_on
        for eid, at, on_day, kind, old, new, reason in self.events.get(finding_id, []):
            day: date | None = None
            if on_day is not None:  # recorded with the day it takes effect (schema 0006 on)
                day = min(on_day, self.today) if self.today is not None else on_day
            elif kind == "status" and old is None:
                day = found_on
            elif kind == "status" and new == "replied":  # every reply moves open -> replied, once
                day = next(replied, None)
            elif kind == "status" and new == "verified":  # every accepted re-check moves to verified, once
                day = next(accepted, None)
            if day is None:
                day = self._written_with(at, [*replies, *checks])
            floor = max(floor, day)
            out.append(Step(eid, floor, kind, old, new, reason))
        self._steps[finding_id] = out
        return out

    def _written_with(self, at: datetime | None, acts: list[_Act]) -> date:
        """The day of the reply or re-check recorded in the same write as a step, else the day the step
        was recorded (a re-grade on the re-check, a closing, a re-opening)."""
        if at is None:
            return self.today or date.max
        near = [(abs(a.recorded_at - at), a.day) for a in acts if a.recorded_at is not None
                and abs(a.recorded_at - at) <= SAME_WRITE]
        return min(near)[1] if near else recorded_day(at, self.today)

    def step_days(self, finding_id: int, found_on: date) -> dict[int, date]:
        """Event id -> day, for filtering a finding's history."""
        return {s.event_id: s.day for s in self.steps(finding_id, found_on)}

    def photo_count(self, f: dto.FindingInfo, day: date) -> int:
        return sum(photo_day(role, taken, imported, f.found_on, self.today) <= day
                   for _, role, taken, imported in self.photos.get(f.id, []))

    def finding(self, f: dto.FindingInfo, day: date) -> dto.FindingInfo:
        """The finding as it stood at the end of ``day`` (found on or before it): status, grade now,
        serious, closing day, overdue, photos and history as they were; identical when nothing of it
        is dated after ``day``."""
        steps = self.steps(f.id, f.found_on)
        later = [s for s in steps if s.day > day]
        photos = self.photo_count(f, day) if f.id in self.photos else f.photos
        if not later:
            return replace(f, overdue=is_overdue(f.status, f.deadline, day), photos=photos)
        status, grade, serious, reason, deadline = f.status, f.grade_now, f.is_serious, f.serious_reason, f.deadline
        override_known = True
        for s in reversed(later):  # undo the tail, latest first
            if s.kind == "status" and s.from_value is not None:
                status = s.from_value
            elif s.kind == "grade" and s.from_value is not None:
                serious = self._serious_before(f, s, serious, override_known)
                grade = s.from_value
            elif s.kind == "serious" and s.from_value is not None:
                serious, override_known = s.from_value == "True", False
            elif s.kind == "deadline":  # a new deadline (re-opened, or edited) after the day
                deadline = date.fromisoformat(s.from_value) if s.from_value else None
        if not override_known:  # the reason of the serious call in force then, if one was made by then
            reason = next((s.reason for s in reversed(steps) if s.kind == "serious" and s.day <= day), None)
        closed_on = f.closed_on
        if status not in dto.DONE_STATUSES:
            closed_on = None
        elif any(s.kind == "status" for s in later):
            closed_on = next((s.day for s in reversed(steps) if s.kind == "status" and s.day <= day), f.closed_on)
        return replace(f, status=status, grade_now=grade, is_serious=serious, serious_reason=reason,
                       closed_on=closed_on, deadline=deadline, overdue=is_overdue(status, deadline, day),
                       photos=photos)

    def _serious_before(self, f: dto.FindingInfo, step: Step, serious: bool, override_known: bool) -> bool:
        """Serious before a re-grade: unchanged under the inspector's own call, else by the grade rule."""
        def rule(grade: str | None) -> bool:
            return f.grade_found in self.serious_grades or grade in self.serious_grades

        if override_known:
            return serious if self.overrides.get(f.id) is not None else rule(step.from_value)
        # the call in force then is not recorded: the grade rule, when the state after it agrees with it
        return rule(step.from_value) if serious == rule(step.to_value) else serious


def node_as_of(n: dto.NodeInfo, visit_days: Sequence[date], day: date) -> dto.NodeInfo:
    """A node of the plan as it stood at the end of ``day``: inspected by a visit by then, waived by
    then, reached by then, else planned (``visit_days``: the days of every visit that inspected it)."""
    seen = sum(d <= day for d in visit_days)
    reached = n.reached_date if n.reached_date is not None and n.reached_date <= day else None
    if reached is None and seen:
        reached = min(d for d in visit_days if d <= day)
    waived = n.status == "waived" and (n.waived_on is None or n.waived_on <= day)
    if seen:
        status = "inspected"
    elif visit_days or n.status == "waived":  # inspected or waived only later
        status = "waived" if waived else "reached" if reached else "planned"
    elif n.reached_date is not None and reached is None:
        status = "planned"
    else:
        status = n.status
    return replace(n, reached_date=reached, status=status, visits=seen,
                   notified_on=n.notified_on if n.notified_on is not None and n.notified_on <= day else None,
                   waived_reason=n.waived_reason if waived else None, waived_by=n.waived_by if waived else None,
                   waived_on=n.waived_on if waived else None)


def node_visit_days(run: Run, project_id: int) -> dict[int, list[date]]:
    """Node id -> the days of the visits that inspected it."""
    out: dict[int, list[date]] = defaultdict(list)
    for node_id, started in run("SELECT vn.node_id, v.started_at FROM visit_node vn JOIN visit v ON v.id = vn.visit_id "
                                "WHERE v.project_id = :pid ORDER BY v.started_at", {"pid": project_id}):
        out[int(node_id)].append(sql_day(started) or date.min)
    return dict(out)


def reports_in_force(rows: Iterable[Sequence[Any]], day: date | None, today: date | None = None) -> list[int]:
    """The ids of the issued reports in force at the end of ``day`` (all those issued and not superseded
    when ``day`` is None), from rows (id, status, issued_at, replaces_id) in issue order: issued by then
    and not replaced by a revision issued by then."""
    rows = list(rows)
    if day is None:
        return [int(r[0]) for r in rows if r[1] == "issued"]
    issued = {int(rid): (replaces, _moment(at)) for rid, _, at, replaces in rows}
    by_then = {rid for rid, (_, at) in issued.items() if at is not None and recorded_day(at, today) <= day}
    replaced = {int(issued[rid][0]) for rid in by_then if issued[rid][0] is not None}
    return [int(r[0]) for r in rows if int(r[0]) in by_then and int(r[0]) not in replaced]


def project_as_of(p: dto.ProjectDetail, visit_days: dict[int, list[date]], day: date) -> dto.ProjectDetail:
    """The project's plan and dates as they stood at the end of ``day``: nodes as of then, the
    acceptance (and the cover periods it starts) and the plan's confirmation only if dated by then."""
    accepted = p.actual_acceptance_date if p.actual_acceptance_date and p.actual_acceptance_date <= day else None
    coverage = p.coverage if accepted == p.actual_acceptance_date else [
        c if c.stated else replace(c, starts_on=None, ends_on=None) for c in p.coverage]
    confirmed = p.plan_confirmed_on is not None and p.plan_confirmed_on <= day
    return replace(p, nodes=[node_as_of(n, visit_days.get(n.id, []), day) for n in p.nodes],
                   actual_acceptance_date=accepted, coverage=coverage,
                   plan_confirmed_on=p.plan_confirmed_on if confirmed else None,
                   plan_confirmed_by=p.plan_confirmed_by if confirmed else None)
