"""Everything a report shows, gathered once from the database into frozen dataclasses.

The snapshot is JSON round-trippable (``to_plain`` / ``from_plain``) because issuing a report
freezes it: the PDF can be rebuilt from the snapshot without the database. Layout code reads
only these objects, never a session."""

from __future__ import annotations

import json
import sys
import types
import typing
from collections import Counter
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from typing import Any

from PIL import Image
from sqlalchemy import select

from ..context import AppContext
from ..errors import ValidationError
from ..models import (
    Agency,
    Finding,
    FindingEvent,
    Inspector,
    Party,
    Photo,
    RectificationReply,
    Verification,
    Visit,
)
from ..rulesets import load_ruleset
from ..services import dto, findings, projects, visits
from ..values.dto import to_plain

SCHEMA = 1
STATUS_NAMES = {"open": "待整改", "replied": "已回复待复查", "verified": "已验证整改", "closed": "已关闭"}
ROLE_NAMES = {"before": "整改前", "after": "整改后", "test": "检测", "general": "现场"}
PARTY_ROLE_NAMES = {"developer": "建设单位", "survey": "勘察单位", "design": "设计单位", "construction": "施工单位",
                    "supervision": "监理单位", "supplier": "供应单位"}
KIND_CODES = {"process": "GC", "final": "ZZ", "notice": "TZ", "register": "DJ"}


# Photos in a report are sized for the page, not the camera: at most a column wide (85 mm) in the
# 2- and 4-up layouts, the full text width (170 mm) alone; 1000 px is ~300 dpi in a column and
# ~150 dpi across the page, at JPEG quality 72: about a third of the 1600 px viewer rendition.
REPORT_SIDE = 1000
REPORT_QUALITY = 72

@dataclass(frozen=True, slots=True)
class MarkupShape:
    """A shape drawn over a photo: points normalised 0..1 over the upright image, y down."""

    kind: str  # arrow | ellipse | rect | line | freehand | text
    points: list[tuple[float, float]]
    color: str = "#E53935"
    width: float = 0.006  # stroke width as a fraction of the image width
    text: str = ""


@dataclass(frozen=True, slots=True)
class PhotoRef:
    id: int
    sha256: str
    role: str
    caption: str | None
    taken_at: datetime | None
    path: str  # the cached upright JPEG rendition, embedded as is
    width: int  # of the rendition
    height: int
    markup: list[MarkupShape] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReplyRef:
    replied_on: date
    party: str | None
    text: str


@dataclass(frozen=True, slots=True)
class VerificationRef:
    verified_on: date
    result: str  # accepted | rejected
    inspector: str | None
    visit_number: int | None
    notes: str | None


@dataclass(frozen=True, slots=True)
class FindingEntry:
    finding: dto.FindingInfo
    photos: list[PhotoRef] = field(default_factory=list)
    replies: list[ReplyRef] = field(default_factory=list)
    verifications: list[VerificationRef] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class InspectorRef:
    name: str
    certificate_no: str | None


@dataclass(frozen=True, slots=True)
class AgencyRef:
    name: str
    address: str | None
    phone: str | None
    inspectors: list[InspectorRef]


@dataclass(frozen=True, slots=True)
class Labels:
    """Names of codes, taken from the project's rule set when the snapshot was made."""

    grades: dict[str, str]
    grade_colors: dict[str, str]
    grade_responses: dict[str, str]
    serious_grades: list[str]
    divisions: dict[str, str]
    subdivisions: dict[str, str]
    coverage: dict[str, str]


@dataclass(frozen=True, slots=True)
class Counts:
    by_grade: dict[str, int]
    by_division: dict[str, int]
    by_coverage: dict[str, int]
    by_status: dict[str, int]
    total: int
    serious: int
    overdue: int


@dataclass(frozen=True, slots=True)
class VisitCount:
    number: int
    day: date
    new: int
    serious: int
    closed_since: int  # findings of this visit verified or closed by now


@dataclass(frozen=True, slots=True)
class Statistics:
    new: Counts  # found in scope
    open: Counts  # still open or awaiting re-check, project-wide, as of the snapshot
    by_visit: list[VisitCount]


@dataclass(frozen=True, slots=True)
class IssuedRef:
    """A report issued earlier (from the issued-report register), cited by the final report."""

    kind: str
    number: str
    revision: int
    visit_id: int | None
    issued_on: date


@dataclass(frozen=True, slots=True)
class Scope:
    kind: str  # visit | period | project
    label: str
    visit_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class ReportData:
    report_type: str  # process | final | notice | register
    report_no: str
    generated_on: date
    scope: Scope
    project: dto.ProjectDetail
    agency: AgencyRef | None
    visits: list[dto.VisitInfo]  # in scope
    all_visits: list[dto.VisitInfo]
    new_findings: list[FindingEntry]  # found in scope
    tracked_findings: list[FindingEntry]  # earlier findings followed up in scope
    stats: Statistics
    labels: Labels
    gate: dto.GateResult | None = None
    issued: list[IssuedRef] = field(default_factory=list)  # reports in force when this one was made
    schema: int = SCHEMA

    def to_plain(self) -> dict[str, Any]:
        return dict(to_plain(self))

    def to_json(self) -> str:
        return json.dumps(self.to_plain(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_plain(cls, plain: dict[str, Any]) -> ReportData:
        value = _decode(cls, plain)
        assert isinstance(value, ReportData)
        return value

    @classmethod
    def from_json(cls, text: str) -> ReportData:
        return cls.from_plain(json.loads(text))

    def all_entries(self) -> list[FindingEntry]:
        return [*self.new_findings, *self.tracked_findings]


def _decode(tp: Any, value: Any) -> Any:
    """The inverse of ``to_plain`` for the annotated type ``tp``."""
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(options[0], value)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_decode(item, v) for v in value]
    if origin is tuple:
        return tuple(_decode(a, v) for a, v in zip(typing.get_args(tp), value, strict=True))
    if origin is dict:
        _, item = typing.get_args(tp)
        return {k: _decode(item, v) for k, v in value.items()}
    if isinstance(tp, type) and is_dataclass(tp):
        hints = typing.get_type_hints(tp, vars(sys.modules[tp.__module__]))
        return tp(**{f.name: _decode(hints[f.name], value[f.name]) for f in fields(tp) if f.name in value})
    if tp is datetime:
        return datetime.fromisoformat(value)
    if tp is date:
        return date.fromisoformat(value)
    if tp is float:
        return float(value)
    return value


def _labels(project: dto.ProjectDetail) -> Labels:
    rs = load_ruleset(project.ruleset, project.ruleset_version)
    grades = rs.grades
    subdivisions = {s["code"]: s["name"] for d in rs.divisions.values() for s in d.get("subdivisions", [])}
    coverage = {code: c.text for code, c in rs.coverages.items()}
    coverage |= {code: r["name"] for code, r in rs.riders.items()}
    return Labels(grades={g.code: g.name for g in grades.values()},
                  grade_colors={g.code: g.color for g in grades.values()},
                  grade_responses={g.code: g.response for g in grades.values()},
                  serious_grades=[g.code for g in grades.values() if g.serious],
                  divisions={code: d["name"] for code, d in rs.divisions.items()},
                  subdivisions=subdivisions, coverage=coverage)


def parse_markup(raw: Any) -> list[MarkupShape]:
    """Markup as stored on a photo (a JSON string or a list of dicts); bad shapes are skipped."""
    if not raw:
        return []
    items = json.loads(raw) if isinstance(raw, str) else raw
    shapes = []
    for item in items if isinstance(items, list) else []:
        try:
            points = [(min(max(float(x), 0.0), 1.0), min(max(float(y), 0.0), 1.0)) for x, y in item["points"]]
            shapes.append(MarkupShape(str(item["kind"]), points, str(item.get("color") or "#E53935"),
                                      float(item.get("width") or 0.006), str(item.get("text") or "")))
        except (KeyError, TypeError, ValueError):
            continue
    return shapes


def _rendition_size(path: str) -> tuple[int, int]:
    with Image.open(path) as img:  # reads the header only
        return img.size


@dataclass(frozen=True, slots=True)
class _Evidence:
    photos: list[PhotoRef]
    replies: list[ReplyRef]
    verifications: list[VerificationRef]
    history: list[dto.FindingEventInfo]


def _evidence(ctx: AppContext, project_id: int, wanted: set[int]) -> dict[int, _Evidence]:
    """Photos, replies, verifications and history of the wanted findings, in a few bulk reads
    (the services hand these out one finding at a time; a 2,000-finding report needs them at once)."""
    photos: dict[int, list[PhotoRef]] = {i: [] for i in wanted}
    replies: dict[int, list[ReplyRef]] = {i: [] for i in wanted}
    checks: dict[int, list[VerificationRef]] = {i: [] for i in wanted}
    history: dict[int, list[dto.FindingEventInfo]] = {i: [] for i in wanted}
    with ctx.db.read() as s:
        ids = select(Finding.id).where(Finding.project_id == project_id)
        for p in s.execute(select(Photo).where(Photo.finding_id.in_(ids))
                           .order_by(Photo.taken_at.is_(None), Photo.taken_at, Photo.id)).scalars():
            if p.finding_id in wanted:
                path = str(ctx.store.rendition_path(p.sha256, REPORT_SIDE, REPORT_QUALITY))
                w, h = _rendition_size(path)
                photos[p.finding_id].append(PhotoRef(p.id, p.sha256, p.role, p.caption, p.taken_at, path, w, h,
                                                     parse_markup(getattr(p, "markup", None))))
        for r, party in s.execute(select(RectificationReply, Party.name).outerjoin(
                Party, Party.id == RectificationReply.party_id).where(RectificationReply.finding_id.in_(ids))
                .order_by(RectificationReply.id)):
            if r.finding_id in wanted:
                replies[r.finding_id].append(ReplyRef(r.replied_on, party, r.text))
        for v, who, number in s.execute(select(Verification, Inspector.name, Visit.number)
                                        .outerjoin(Inspector, Inspector.id == Verification.inspector_id)
                                        .outerjoin(Visit, Visit.id == Verification.visit_id)
                                        .where(Verification.finding_id.in_(ids)).order_by(Verification.id)):
            if v.finding_id in wanted:
                checks[v.finding_id].append(VerificationRef(v.verified_on, v.result, who, number, v.notes))
        for e in s.execute(select(FindingEvent).where(FindingEvent.finding_id.in_(ids))
                           .order_by(FindingEvent.id)).scalars():
            if e.finding_id in wanted:
                history[e.finding_id].append(dto.FindingEventInfo(e.at, e.actor, e.kind, e.from_value, e.to_value,
                                                                  e.reason))
    return {i: _Evidence(photos[i], replies[i], checks[i], history[i]) for i in wanted}


def _agency(ctx: AppContext, name: str | None) -> AgencyRef | None:
    if not name:
        return None
    with ctx.db.read() as s:
        a = s.execute(select(Agency).where(Agency.name == name)).scalars().first()
        if a is None:
            return AgencyRef(name, None, None, [])
        return AgencyRef(a.name, a.address, a.phone,
                         [InspectorRef(i.name, i.certificate_no) for i in a.inspectors if i.active])


def _counts(rows: list[dto.FindingInfo]) -> Counts:
    return Counts(by_grade=dict(Counter(f.grade_found for f in rows)),
                  by_division=dict(Counter(f.division_code for f in rows)),
                  by_coverage=dict(Counter(f.coverage_code for f in rows)),
                  by_status=dict(Counter(f.status for f in rows)),
                  total=len(rows), serious=sum(f.is_serious for f in rows), overdue=sum(f.overdue for f in rows))


def _statistics(new: list[dto.FindingInfo], every: list[dto.FindingInfo], all_visits: list[dto.VisitInfo],
                until: date | None) -> Statistics:
    open_rows = [f for f in every if f.status in findings.OPEN_STATUSES]
    by_visit = []
    for v in all_visits:
        if until is not None and v.started_at.date() > until:
            continue
        mine = [f for f in every if f.visit_id == v.id]
        by_visit.append(VisitCount(v.number, v.started_at.date(), len(mine), sum(f.is_serious for f in mine),
                                   sum(f.status in ("verified", "closed") for f in mine)))
    return Statistics(_counts(new), _counts(open_rows), by_visit)


def _report_no(kind: str, project: dto.ProjectDetail, suffix: str) -> str:
    """A draft's number says it is a draft; an issued report is given its number by services.issuing."""
    return f"草稿-{project.code}-{KIND_CODES[kind]}-{suffix}"


def _issued(ctx: AppContext, project_id: int) -> list[IssuedRef]:
    from ..services.issuing import list_reports

    return [IssuedRef(r.kind, r.number, r.revision, r.scope.get("visit_id"), r.issued_at.date())
            for r in reversed(list_reports(ctx, project_id)) if r.status == "issued"]


def _build(ctx: AppContext, kind: str, project_key: str | int, scope: Scope, in_scope: list[dto.VisitInfo],
           report_no: str | None, today: date | None, suffix: str,
           tracked_filter: typing.Callable[[dto.FindingInfo], bool]) -> ReportData:
    today = today or date.today()
    project = projects.get_project(ctx.db, project_key)
    all_visits = visits.list_visits(ctx.db, project.id)
    every = findings.list_findings(ctx.db, project.id, today=today)
    scope_ids = {v.id for v in in_scope}
    new = [f for f in every if f.visit_id in scope_ids]
    tracked = [f for f in every if f.visit_id not in scope_ids and tracked_filter(f)]
    wanted = {f.id for f in new} | {f.id for f in tracked}
    evidence = _evidence(ctx, project.id, wanted)

    def entry(f: dto.FindingInfo) -> FindingEntry:
        ev = evidence[f.id]
        info = dto.FindingInfo(**{**{k.name: getattr(f, k.name) for k in fields(f)}, "history": ev.history})
        return FindingEntry(info, ev.photos, ev.replies, ev.verifications)

    until = max((v.started_at.date() for v in in_scope), default=None) if scope.kind != "project" else None
    gate = findings.final_gate(ctx.db, project.id) if kind == "final" else None
    return ReportData(kind, report_no or _report_no(kind, project, suffix), today, scope, project,
                      _agency(ctx, project.agency), in_scope, all_visits, [entry(f) for f in new],
                      [entry(f) for f in tracked], _statistics(new, every, all_visits, until), _labels(project), gate,
                      _issued(ctx, project.id))


def gather_process(ctx: AppContext, project_key: str | int, *, visit_id: int | None = None,
                   date_from: date | None = None, date_to: date | None = None, report_no: str | None = None,
                   today: date | None = None) -> ReportData:
    """A process report's content: one visit, or every visit between two dates (inclusive).

    Tracked findings are earlier ones still open at the end of the scope, or verified or closed
    within it (a reply or re-check in scope)."""
    project = projects.get_project(ctx.db, project_key)
    every_visit = visits.list_visits(ctx.db, project.id)
    if visit_id is not None:
        chosen = [v for v in every_visit if v.id == visit_id]
        if not chosen:
            raise ValidationError("巡查", f"巡查 {visit_id} 不属于项目 {project.code}")
        v = chosen[0]
        scope = Scope("visit", f"第 {v.number} 次巡查（{v.started_at:%Y-%m-%d}）", visit_id=v.id)
        suffix = f"{v.number:02d}"
    else:
        if date_from is None or date_to is None or date_to < date_from:
            raise ValidationError("评估期间", "需要 --visit，或 --from 与 --to（结束不早于开始）")
        chosen = [v for v in every_visit if date_from <= v.started_at.date() <= date_to]
        scope = Scope("period", f"{date_from:%Y-%m-%d} 至 {date_to:%Y-%m-%d}", date_from=date_from, date_to=date_to)
        suffix = f"{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    if not chosen:
        raise ValidationError("评估期间", "所选期间内没有巡查记录")
    first = min(v.number for v in chosen)
    start, end = min(v.started_at.date() for v in chosen), max(v.started_at.date() for v in chosen)
    end = max(end, date_to or end)

    def tracked(f: dto.FindingInfo) -> bool:
        earlier = f.visit_number < first
        acted = f.closed_on is not None and start <= f.closed_on <= end
        return earlier and (f.status in findings.OPEN_STATUSES or acted)

    return _build(ctx, "process", project.id, scope, chosen, report_no, today, suffix, tracked)


def gather_final(ctx: AppContext, project_key: str | int, *, report_no: str | None = None,
                 today: date | None = None, kind: str = "final") -> ReportData:
    """The whole project: every visit and every finding, with the final gate."""
    project = projects.get_project(ctx.db, project_key)
    every_visit = visits.list_visits(ctx.db, project.id)
    scope = Scope("project", "项目全过程")
    return _build(ctx, kind, project.id, scope, every_visit, report_no, today, "01", lambda f: False)


def gather_notice(ctx: AppContext, visit_id: int, *, report_no: str | None = None,
                  today: date | None = None) -> ReportData:
    """A rectification notice: the visit's findings, and earlier ones it found still open."""
    v = visits.get_visit(ctx.db, visit_id)
    scope = Scope("visit", f"第 {v.number} 次巡查（{v.started_at:%Y-%m-%d}）", visit_id=v.id)

    def still_open(f: dto.FindingInfo) -> bool:
        return f.visit_number < v.number and f.status == "open"

    return _build(ctx, "notice", v.project_id, scope, [v], report_no, today, f"{v.number:02d}", still_open)
