"""Frozen data handed out by the services: safe to keep, print, or pass between threads."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

# A finding that still needs the contractor or the inspector: not yet verified or closed.
OPEN_STATUSES = ("open", "replied")
DONE_STATUSES = ("verified", "closed")


def to_plain(obj: Any) -> Any:
    """JSON-ready form of a DTO (dates as ISO strings)."""
    if hasattr(obj, "__dataclass_fields__"):
        return {k: to_plain(v) for k, v in asdict(obj).items()}
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    return obj


def finding_label(number: int) -> str:
    """How a finding is named in every view and report: F003."""
    return f"F{number:03d}"


@dataclass(frozen=True, slots=True)
class ProjectSummary:
    id: int
    code: str
    name: str
    address: str
    policy_no: str
    buildings: int
    visits: int
    findings: int
    open_findings: int
    serious_open: int
    is_demo: bool = False  # the demo project: marked 演示, never synced, deletable
    archived: bool = False  # kept whole, hidden from the list unless asked for


@dataclass(frozen=True, slots=True)
class BuildingInfo:
    id: int
    name: str
    floors_above: int
    floors_below: int
    structure_type: str | None
    floor_area_m2: float | None
    dwellings: int | None


@dataclass(frozen=True, slots=True)
class PartyInfo:
    id: int
    role: str
    name: str
    credit_code: str | None


@dataclass(frozen=True, slots=True)
class InsurerInfo:
    name: str
    is_lead: bool
    share_percent: float


@dataclass(frozen=True, slots=True)
class NodeInfo:
    id: int
    code: str
    name: str
    planned_date: date | None
    reached_date: date | None
    status: str
    visits: int
    notified_on: date | None = None  # the developer's notice of the node (Art. 17)
    waived_reason: str | None = None  # not inspected: waived with this reason by a named inspector
    waived_by: str | None = None
    waived_on: date | None = None


@dataclass(frozen=True, slots=True)
class CoverageInfo:
    code: str
    label: str
    starts_on: date | None
    ends_on: date | None
    period_years: int | None
    stated: bool
    period_reason: str | None = None  # why the stated dates differ from Art. 5 / the rider's period


@dataclass(frozen=True, slots=True)
class ProjectDetail:
    id: int
    uid: str
    code: str
    name: str
    address: str
    district: str | None
    ruleset: str
    ruleset_version: str
    agency: str | None
    policy_no: str
    issued_on: date
    sum_insured_yuan: str
    budget_cost_yuan: str
    premium_yuan: str
    risk_fee_yuan: str
    construction_permit_no: str | None
    planned_acceptance_date: date | None
    actual_acceptance_date: date | None
    insurers: list[InsurerInfo]
    coverage: list[CoverageInfo]
    parties: list[PartyInfo]
    buildings: list[BuildingInfo]
    nodes: list[NodeInfo]
    # What the rules flag but do not refuse (rule-set validity, policy after the permit, cover periods
    # with a reason, plan not confirmed): each shown in the window and stated in the reports
    warnings: list[Notice] = field(default_factory=list)
    plan_confirmed_on: date | None = None  # the developer's confirmation of the plan (Art. 10, 17)
    plan_confirmed_by: str | None = None
    key_processes: list[str] = field(default_factory=list)  # 重点工序 (Art. 17)
    permit_date: date | None = None  # construction permit issued (Art. 10: insure before it)
    ruleset_valid_from: date | None = None
    ruleset_valid_until: date | None = None  # the measures' validity (Art. 28)
    is_demo: bool = False  # the demo project (services/demo.py): never synced
    archived_at: datetime | None = None  # archived: kept, hidden from the project list


@dataclass(frozen=True, slots=True)
class VisitInfo:
    id: int
    project_id: int
    number: int
    started_at: datetime
    weather: str | None
    nodes: list[str]
    inspectors: list[str]
    attendees: list[str]
    progress: dict[str, str]
    summary: str | None
    findings: int


@dataclass(frozen=True, slots=True)
class FindingEventInfo:
    at: datetime
    actor: str | None
    kind: str
    from_value: str | None
    to_value: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class StaffInfo:
    """A member of an agency's staff: who may inspect, prepare, review or approve reports."""

    name: str
    role: str  # inspector | lead | technical
    role_name: str  # 检查员 | 项目负责人 | 技术负责人
    certificate_no: str | None
    agency: str


@dataclass(frozen=True, slots=True)
class FindingInfo:
    id: int
    project_id: int
    visit_id: int
    visit_number: int
    number: int
    building: str
    floor: str | None
    location: str | None
    division_code: str
    subdivision_code: str | None
    coverage_code: str
    description: str
    risk: str | None
    clause: str | None
    requirement: str | None
    deadline: date | None
    responsible_party: str | None
    grade_found: str
    grade_now: str
    is_serious: bool
    serious_reason: str | None
    status: str
    found_on: date
    closed_on: date | None
    overdue: bool
    photos: int
    recorded_by: str | None = None
    history: list[FindingEventInfo] = field(default_factory=list)

    @property
    def label(self) -> str:
        return finding_label(self.number)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True, slots=True)
class PhotoInfo:
    id: int
    sha256: str
    role: str
    original_name: str
    width: int
    height: int
    taken_at: datetime | None
    finding_id: int | None
    visit_id: int | None
    markup: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class FloorPlanInfo:
    id: int
    project_id: int
    building: str
    floor: str
    sha256: str
    width: int
    height: int
    source_name: str
    source_page: int | None
    pins: int


@dataclass(frozen=True, slots=True)
class PinInfo:
    finding_id: int
    label: str
    grade: str
    status: str
    is_serious: bool
    x: float
    y: float
    description: str


@dataclass(frozen=True, slots=True)
class PhotoImportResult:
    path: str
    status: str  # imported | duplicate | rejected
    reason: str | None = None
    reason_key: str | None = None  # a rejection's message key and params: the window says it in its language
    reason_params: dict[str, Any] | None = None
    photo_id: int | None = None
    sha256: str | None = None
    taken_at: datetime | None = None
    gps: tuple[float, float] | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """A finding of the rules about a project, said in either language: ``messages.text(key, params)``.
    ``code`` is stable (for ``--json`` and tests); ``items`` are what it names (node codes, F003 ...);
    ``blocking`` says whether it keeps the final gate closed (a warning does not)."""

    code: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    items: list[str] = field(default_factory=list)
    blocking: bool = False


@dataclass(frozen=True, slots=True)
class GateResult:
    """The final gate (Art. 10) and its preconditions: it passes only when no reason blocks it.

    ``blocking`` are the serious findings not verified as rectified with proof; ``reasons`` every
    condition that failed or that the report must state (each by itself, with a code)."""

    project_id: int
    passed: bool
    blocking: list[FindingInfo]
    serious_total: int
    serious_verified: int
    reasons: list[Notice] = field(default_factory=list)
    pending: list[FindingInfo] = field(default_factory=list)  # evidence pending (R), still open
    behaviour: list[FindingInfo] = field(default_factory=list)  # quality-behaviour risks (E) not marked serious
    process_reports: list[str] = field(default_factory=list)  # numbers of the issued process reports
    visits_without_report: list[int] = field(default_factory=list)  # visit numbers no process report covers
