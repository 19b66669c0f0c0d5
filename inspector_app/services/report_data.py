"""Gathering a report: everything it shows, read in ONE read transaction into a frozen
``ReportData`` (values/report.py), so a snapshot that is hashed and frozen on issue never mixes
two states of the data. ``reports/`` renders what this hands it and reads nothing."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import messages
from ..context import AppContext
from ..errors import ValidationError
from ..models import (
    Agency,
    Finding,
    FindingEvent,
    Inspector,
    IssuedReport,
    Party,
    Photo,
    Project,
    RectificationReply,
    Verification,
    Visit,
)
from ..rulesets import load_ruleset
from ..values import dto
from ..values.report import (
    KIND_CODES,
    AgencyRef,
    Counts,
    FindingEntry,
    InspectorRef,
    IssuedRef,
    Labels,
    PhotoRef,
    ReplyRef,
    ReportData,
    Scope,
    Statistics,
    VerificationRef,
    VisitCount,
    parse_markup,
)
from .as_of import History, node_visit_days, photo_day, project_as_of, reports_in_force
from .checklists import visit_rows as checklist_rows
from .document_reviews import report_refs as document_review_refs
from .findings import project_rows
from .gate import evaluate, session_runner
from .projects import project_detail, resolve_project, ruleset_basis
from .visits import project_visits, resolve_visit

# Photos in a report are sized for the page, not the camera: at most a column wide (85 mm) in the
# 2- and 4-up layouts, the full text width (170 mm) alone; 1000 px is ~300 dpi in a column and
# ~150 dpi across the page, at JPEG quality 72: about a third of the 1600 px viewer rendition.
REPORT_SIDE = 1000
REPORT_QUALITY = 72


def _labels(project: dto.ProjectDetail) -> Labels:
    rs = load_ruleset(project.ruleset, project.ruleset_version)
    grades = rs.grades
    subdivisions = {s["code"]: s["name"] for d in rs.divisions.values() for s in d.get("subdivisions", [])}
    coverage = {code: c.text for code, c in rs.coverages.items()}
    coverage |= {code: r["name"] for code, r in rs.riders.items()}

    def names(key: str) -> dict[str, str]:
        return {item["code"]: item["name"] for item in rs.raw.get(key, [])}

    texts = rs.raw.get("report_texts", {})
    extra = {k: texts[k] for k in ("regulation", "gate_article", "standards", "independence") if k in texts}

    return Labels(grades={g.code: g.name for g in grades.values()},
                  grade_colors={g.code: g.color for g in grades.values()},
                  grade_responses={g.code: g.response for g in grades.values()},
                  serious_grades=[g.code for g in grades.values() if g.serious],
                  behaviour_grades=[g.code for g in grades.values() if g.behaviour],
                  divisions={code: d["name"] for code, d in rs.divisions.items()},
                  subdivisions=subdivisions, coverage=coverage, statuses=names("finding_statuses"),
                  photo_roles=names("photo_roles"), party_roles=names("party_roles"), **extra)


def _rendition_size(path: str) -> tuple[int, int]:
    with Image.open(path) as img:  # reads the header only
        return img.size


@dataclass(frozen=True, slots=True)
class _Evidence:
    photos: list[PhotoRef]
    replies: list[ReplyRef]
    verifications: list[VerificationRef]
    history: list[dto.FindingEventInfo]


def _evidence(s: Session, ctx: AppContext, project_id: int, wanted: dict[int, date], day: date,
              past: History) -> dict[int, _Evidence]:
    """Photos, replies, verifications and history of the wanted findings (id -> day found), in a few
    bulk reads (a 2,000-finding report needs them at once, not one finding at a time), as recorded
    by the end of ``day``: whatever is dated after it is left out."""
    photos: dict[int, list[PhotoRef]] = {i: [] for i in wanted}
    replies: dict[int, list[ReplyRef]] = {i: [] for i in wanted}
    checks: dict[int, list[VerificationRef]] = {i: [] for i in wanted}
    history: dict[int, list[dto.FindingEventInfo]] = {i: [] for i in wanted}
    ids = select(Finding.id).where(Finding.project_id == project_id)
    for p in s.execute(select(Photo).where(Photo.finding_id.in_(ids))
                       .order_by(Photo.taken_at.is_(None), Photo.taken_at, Photo.id)).scalars():
        if p.finding_id in wanted and photo_day(p.role, p.taken_at, p.imported_at, wanted[p.finding_id],
                                                past.today) <= day:
            path = str(ctx.store.rendition_path(p.sha256, REPORT_SIDE, REPORT_QUALITY))
            w, h = _rendition_size(path)
            photos[p.finding_id].append(PhotoRef(p.id, p.sha256, p.role, p.caption, p.taken_at, path, w, h,
                                                 parse_markup(getattr(p, "markup", None))))
    for r, party in s.execute(select(RectificationReply, Party.name).outerjoin(
            Party, Party.id == RectificationReply.party_id).where(RectificationReply.finding_id.in_(ids))
            .order_by(RectificationReply.id)):
        if r.finding_id in wanted and r.replied_on <= day:
            replies[r.finding_id].append(ReplyRef(r.replied_on, party, r.text))
    for v, who, number in s.execute(select(Verification, Inspector.name, Visit.number)
                                    .outerjoin(Inspector, Inspector.id == Verification.inspector_id)
                                    .outerjoin(Visit, Visit.id == Verification.visit_id)
                                    .where(Verification.finding_id.in_(ids)).order_by(Verification.id)):
        if v.finding_id in wanted and v.verified_on <= day:
            checks[v.finding_id].append(VerificationRef(v.verified_on, v.result, who, number, v.notes))
    days = {i: past.step_days(i, found) for i, found in wanted.items()}
    for e in s.execute(select(FindingEvent).where(FindingEvent.finding_id.in_(ids))
                       .order_by(FindingEvent.id)).scalars():
        if e.finding_id in wanted and days[e.finding_id].get(e.id, day) <= day:
            history[e.finding_id].append(dto.FindingEventInfo(e.at, e.actor, e.kind, e.from_value, e.to_value,
                                                              e.reason))
    return {i: _Evidence(photos[i], replies[i], checks[i], history[i]) for i in wanted}


def _agency(s: Session, name: str | None) -> AgencyRef | None:
    if not name:
        return None
    a = s.execute(select(Agency).where(Agency.name == name)).scalars().first()
    if a is None:
        return AgencyRef(name, None, None, [])
    return AgencyRef(a.name, a.address, a.phone, [InspectorRef(i.name, i.certificate_no) for i in a.inspectors if i.active])


def _issued(s: Session, project_id: int, day: date, today: date) -> list[IssuedRef]:
    """The reports in force at the end of ``day`` (issued by then, not superseded by then), oldest first."""
    rows = list(s.execute(select(IssuedReport).where(IssuedReport.project_id == project_id)
                          .order_by(IssuedReport.issued_at, IssuedReport.id)).scalars())
    in_force = set(reports_in_force([(r.id, r.status, r.issued_at, r.replaces_id) for r in rows], day, today))
    return [IssuedRef(r.kind, r.number, r.revision, json.loads(r.scope).get("visit_id"), r.issued_at.date())
            for r in rows if r.id in in_force]


def _counts(rows: list[dto.FindingInfo], behaviour: frozenset[str]) -> Counts:
    return Counts(by_grade=dict(Counter(f.grade_found for f in rows)),
                  by_division=dict(Counter(f.division_code for f in rows)),
                  by_coverage=dict(Counter(f.coverage_code for f in rows)),
                  by_status=dict(Counter(f.status for f in rows)),
                  total=len(rows), serious=sum(f.is_serious for f in rows), overdue=sum(f.overdue for f in rows),
                  behaviour=sum(not f.is_serious and (f.grade_found in behaviour or f.grade_now in behaviour)
                                for f in rows))


def _statistics(new: list[dto.FindingInfo], every: list[dto.FindingInfo], all_visits: list[dto.VisitInfo],
                until: date | None, behaviour: frozenset[str] = frozenset()) -> Statistics:
    by_visit = []
    for v in all_visits:
        if until is not None and v.started_at.date() > until:
            continue
        mine = [f for f in every if f.visit_id == v.id]
        by_visit.append(VisitCount(v.number, v.started_at.date(), len(mine), sum(f.is_serious for f in mine),
                                   sum(f.status in dto.DONE_STATUSES for f in mine)))
    return Statistics(_counts(new, behaviour), _counts([f for f in every if f.is_open], behaviour), by_visit)


def _visit_scope(v: dto.VisitInfo) -> Scope:
    return Scope("visit", f"第 {v.number} 次巡查（{v.started_at:%Y-%m-%d}）", visit_id=v.id)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a kind of report takes from the project's state: its scope, visits and followed-up findings."""

    scope: Scope
    in_scope: list[dto.VisitInfo]
    suffix: str
    tracked: Callable[[dto.FindingInfo], bool]


def _process_plan(project: dto.ProjectDetail, every_visit: list[dto.VisitInfo], visit_id: int | None,
                  date_from: date | None, date_to: date | None) -> _Plan:
    """One visit, or every visit between two dates (inclusive). Tracked findings are earlier ones
    still open at the end of the scope, or verified or closed within it."""
    if visit_id is not None:
        chosen = [v for v in every_visit if v.id == visit_id]
        if not chosen:
            raise ValidationError("visit", "visit.not_in_named_project", visit=visit_id, project=project.code)
        scope, suffix = _visit_scope(chosen[0]), f"{chosen[0].number:02d}"
    else:
        if date_from is None or date_to is None or date_to < date_from:
            raise ValidationError("report.period", "report.period_required")
        chosen = [v for v in every_visit if date_from <= v.started_at.date() <= date_to]
        scope = Scope("period", f"{date_from:%Y-%m-%d} 至 {date_to:%Y-%m-%d}", date_from=date_from, date_to=date_to)
        suffix = f"{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    if not chosen:
        raise ValidationError("report.period", "report.no_visits_in_period")
    first = min(v.number for v in chosen)
    start, end = min(v.started_at.date() for v in chosen), max(v.started_at.date() for v in chosen)
    end = max(end, date_to or end)

    def tracked(f: dto.FindingInfo) -> bool:
        acted = f.closed_on is not None and start <= f.closed_on <= end
        return f.visit_number < first and (f.is_open or acted)

    return _Plan(scope, chosen, suffix, tracked)


def _notice_plan(visit: dto.VisitInfo) -> _Plan:
    """The visit's findings, and earlier ones it found still open."""
    return _Plan(_visit_scope(visit), [visit], f"{visit.number:02d}",
                 lambda f: f.visit_number < visit.number and f.status == "open")


def gather(ctx: AppContext, kind: str, project_key: str | int | None = None, *, visit_id: int | None = None,
           date_from: date | None = None, date_to: date | None = None, report_no: str | None = None,
           today: date | None = None, as_of: date | None = None) -> ReportData:
    """Everything a report of ``kind`` (process | final | register | notice) shows, read in one
    read transaction. A draft's number says it is a draft unless ``report_no`` is given.

    It shows the project as it stood at the end of its as-of day (``_as_of_day``): findings, replies,
    re-checks, photos, grades, statuses, nodes, visits, issued reports and the gate dated after it are
    left out, so the same report made later, with the same ``today``, is the same."""
    today = today or date.today()
    with ctx.db.read() as s:
        if kind == "notice":
            if visit_id is None:
                raise ValidationError("visit", "report.notice_needs_visit")
            row = s.get(Project, resolve_visit(s, visit_id).project_id)
        else:
            row = resolve_project(s, project_key if project_key is not None else "")
        assert row is not None
        project = project_detail(s, row)
        all_visits = project_visits(s, row)
        day = _as_of_day(kind, all_visits, visit_id, date_to, as_of, today)
        all_visits = [v for v in all_visits if v.started_at.date() <= day]
        run = session_runner(s)
        history = History.load(run, project.id, _serious(project), today)
        project = project_as_of(project, node_visit_days(run, project.id), day)
        every = [history.finding(f, day) for f in project_rows(s, project.id, day, where="f.found_on <= :day",
                                                                day=day.isoformat())]
        if kind == "process":
            plan = _process_plan(project, all_visits, visit_id, date_from, date_to)
        elif kind == "notice":
            plan = _notice_plan(next(v for v in all_visits if v.id == visit_id))
        elif kind in ("final", "register"):  # the register lists every finding of the project
            plan = _Plan(Scope("project", "项目全过程"), all_visits, "01", lambda f: False)
        else:
            raise ValidationError("report.kind", "report.unknown_kind", kind=kind,
                                  choices=["process", "final", "notice", "register"])
        scope_ids = {v.id for v in plan.in_scope}
        new = [f for f in every if f.visit_id in scope_ids]
        tracked = [f for f in every if f.visit_id not in scope_ids and plan.tracked(f)]
        evidence = _evidence(s, ctx, project.id, {f.id: f.found_on for f in [*new, *tracked]}, day, history)
        agency, issued = _agency(s, project.agency), _issued(s, project.id, day, today)
        # one gate function for the window, the process and the final report: they cannot disagree
        gate = evaluate(s, project.id, today, as_of=day) if kind in ("final", "process") else None
        checked = checklist_rows(s, [v.id for v in plan.in_scope]) if kind in ("process", "register") else []
        status = {f.id: f.status for f in every}  # a linked finding's status as it stood then
        checked = [replace(r, finding_status=status.get(r.finding_id, r.finding_status)) if r.finding_id else r
                   for r in checked]
        reviewed = document_review_refs(s, [v.id for v in plan.in_scope]) if kind != "notice" else []

    def entry(f: dto.FindingInfo) -> FindingEntry:
        ev = evidence[f.id]
        return FindingEntry(replace(f, history=ev.history), ev.photos, ev.replies, ev.verifications)

    until = max((v.started_at.date() for v in plan.in_scope), default=None) if plan.scope.kind != "project" else None
    number = report_no or f"草稿-{project.code}-{KIND_CODES[kind]}-{plan.suffix}"
    basis, basis_warning, warnings = _basis(project)
    return ReportData(kind, number, today, plan.scope, project, agency, plan.in_scope, all_visits,
                      [entry(f) for f in new], [entry(f) for f in tracked],
                      _statistics(new, every, all_visits, until, _behaviour(project)), _labels(project), gate,
                      issued,
                      basis=basis, basis_warning=basis_warning, warnings=warnings, checklists=checked, as_of=day,
                      document_reviews=reviewed,
                      # 分送: the insurers of the policy and the developer (Art. 18: reports go to both)
                      distribution=[*(f"{i.name}（{'主承保人' if i.is_lead else '共保人'}）" for i in project.insurers),
                                    *(f"{x.name}（建设单位）" for x in project.parties if x.role == "developer")])


def _as_of_day(kind: str, visits: list[dto.VisitInfo], visit_id: int | None, date_to: date | None,
               given: date | None, today: date) -> date:
    """The day a report speaks for: the day given (never after today); else a visit's day (a visit's
    process report, a notice); a period's last day, never after today; else today (final, register)."""
    if given is not None:
        return min(given, today)
    if visit_id is not None and kind in ("process", "notice"):
        day = next((v.started_at.date() for v in visits if v.id == visit_id), None)
        if day is not None:
            return day
    if kind == "process" and date_to is not None:
        return min(date_to, today)
    return today


def _serious(project: dto.ProjectDetail) -> frozenset[str]:
    """The rule set's serious grades (D): a finding re-graded to or from one changes its serious flag."""
    grades = load_ruleset(project.ruleset, project.ruleset_version).grades.values()
    return frozenset(g.code for g in grades if g.serious)


def _behaviour(project: dto.ProjectDetail) -> frozenset[str]:
    """The rule set's quality-behaviour grades (E): counted apart from serious defects."""
    grades = load_ruleset(project.ruleset, project.ruleset_version).grades.values()
    return frozenset(g.code for g in grades if g.behaviour)


def _basis(project: dto.ProjectDetail) -> tuple[str, str, list[str]]:
    """The rule-set basis line, its validity warning (Art. 28) and the project's warnings, as the report states them."""
    rs = load_ruleset(project.ruleset, project.ruleset_version)
    params = ruleset_basis(rs)
    basis = messages.text("ruleset.basis" if params["valid_until"] else "ruleset.basis_open", params)
    validity = next((w for w in project.warnings if w.code == "ruleset_validity"), None)
    return (basis, messages.text(validity.key, validity.params) if validity else "",
            [messages.text(w.key, w.params) for w in project.warnings])
