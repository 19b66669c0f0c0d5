"""The JSON bodies of the protocol, validated (docs/sync-protocol.yaml is the contract)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

MAX_SAFE = 2**53 - 1  # JSON numbers a JavaScript reader (and RFC 8785) keeps exactly
MAX_INT32 = 2**31 - 1  # an INTEGER column (numbers, revisions)
MAX_TOKEN_DAYS = 36500  # a token's life: at most a century
MAX_DEPTH = 64  # JSON nesting: far beyond any real document, well within Python's recursion limit
MANIFEST_FORMAT = "idi-sync-manifest"


def _no_nul(value: str) -> str:
    """PostgreSQL text cannot hold U+0000: refused up front (422), on every backend alike."""
    if "\x00" in value:
        raise ValueError("a string may not contain U+0000")
    return value


def _in_utc_range(value: datetime) -> datetime:
    """An aware time whose UTC value is a datetime (year 1 at +01:00 is not): it is stored in UTC."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError("the time is out of range in UTC") from None
    return value


def nesting_depth(value: Any) -> int:
    """How deeply a parsed JSON document nests (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


def too_deep(value: Any) -> bool:
    return nesting_depth(value) > MAX_DEPTH


Text = Annotated[str, AfterValidator(_no_nul)]  # a string kept in a column of its own
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Short = Annotated[Text, StringConstraints(min_length=1, max_length=200)]
UtcTime = Annotated[AwareDatetime, AfterValidator(_in_utc_range)]  # RFC 3339 with an offset; stored in UTC


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Open(BaseModel):
    """Keeps fields it does not know: they are part of the stored state all the same."""

    model_config = ConfigDict(extra="allow", frozen=True)


class UploadRequest(Strict):
    sha256: Sha256
    size: int = Field(ge=0)


class BlobCheckRequest(Strict):
    sha256: list[Sha256] = Field(max_length=10000)


class ProjectRef(Strict):
    uid: Annotated[Text, StringConstraints(min_length=1, max_length=64)]  # looked up: no U+0000 (PostgreSQL)
    code: Annotated[Text, StringConstraints(min_length=1, max_length=40)]


class SignOffIn(Strict):
    """One line of the report's sign-off block: 编制 (prepare), 审核 (review), 批准 (approve)."""

    step: Literal["prepare", "review", "approve"]
    name: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    role: Annotated[str, StringConstraints(max_length=20)] = ""
    certificate_no: Annotated[str, StringConstraints(max_length=60)] | None = None
    on: date | None = None


class ReportIn(Strict):
    kind: Literal["process", "final", "notice"]
    number: Annotated[Text, StringConstraints(min_length=1, max_length=60)]
    revision: int = Field(ge=1, le=MAX_INT32)
    title: Short
    pdf_sha256: Sha256
    pdf_bytes: int = Field(ge=0, le=MAX_SAFE)
    pages: int = Field(ge=0, le=MAX_SAFE, default=0)
    issued_at: UtcTime
    issued_by: Annotated[Text, StringConstraints(max_length=60)] | None = None
    replaces: Annotated[Text, StringConstraints(max_length=80)] | None = None
    reason: str | None = None
    snapshot_sha256: Sha256 | None = None
    gate_passed: bool | None = None  # final reports: no serious defect left unrectified
    signoff: list[SignOffIn] = Field(default_factory=list, max_length=3)  # who prepared, reviewed, approved


class FindingEventIn(Open):
    at: AwareDatetime
    kind: Annotated[Text, StringConstraints(min_length=1, max_length=20)]
    to_value: str | None = None


class FindingIn(Open):
    number: int = Field(ge=1, le=MAX_INT32)
    building: Annotated[Text, StringConstraints(min_length=1, max_length=60)]
    description: Annotated[Text, StringConstraints(min_length=1)]
    coverage_code: Short
    division_code: Annotated[str, StringConstraints(min_length=1, max_length=4)]
    grade_found: Annotated[str, StringConstraints(min_length=1, max_length=2)]
    grade_now: Annotated[Text, StringConstraints(min_length=1, max_length=2)]
    is_serious: bool
    status: Literal["open", "replied", "verified", "closed"]
    found_on: date
    deadline: date | None = None
    history: list[FindingEventIn] = Field(default_factory=list)


class PhotoIn(Open):
    sha256: Sha256
    byte_size: int = Field(ge=0, le=MAX_SAFE)
    role: Literal["before", "after", "test", "general"]
    finding_number: int | None = Field(default=None, ge=1, le=MAX_INT32)


class AuditHeadIn(Strict):
    device_id: Annotated[Text, StringConstraints(min_length=1, max_length=64)]
    seq: int = Field(ge=0, le=MAX_SAFE)
    hash: Sha256


class ManifestIn(Strict):
    format: Literal["idi-sync-manifest"]
    version: Literal[1]
    project: ProjectRef
    created_at: AwareDatetime
    sender: Annotated[Text, StringConstraints(max_length=120)] | None = None
    report: ReportIn | None = None
    findings: list[FindingIn] = Field(default_factory=list)
    photos: list[PhotoIn] = Field(default_factory=list)
    audit_head: AuditHeadIn

    def blob_sizes(self) -> dict[str, int]:
        """Every blob the manifest cites, with the size it claims."""
        sizes = {p.sha256: p.byte_size for p in self.photos}
        if self.report is not None:
            sizes[self.report.pdf_sha256] = self.report.pdf_bytes
        return sizes


class ProjectDetailIn(Strict):
    """What the insurer registers for a project and an inspector downloads (field names as
    the app's project.toml: project, policy, agency, parties, buildings, plan)."""

    project: dict[str, Any]
    policy: dict[str, Any] | None = None
    agency: dict[str, Any] | None = None
    parties: list[dict[str, Any]] = Field(default_factory=list)
    buildings: list[dict[str, Any]] = Field(default_factory=list)
    plan: list[dict[str, Any]] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _not_too_deep(cls, data: Any) -> Any:
        if too_deep(data):
            raise ValueError(f"the detail nests deeper than {MAX_DEPTH} levels")
        return data


class AgencyIn(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
    name: Short
    credit_code: Annotated[Text, StringConstraints(min_length=18, max_length=18)] | None = None


class TokenIn(Strict):
    role: Literal["admin", "insurer", "agency", "inspector"]
    agency: Annotated[Text, StringConstraints(max_length=40)] | None = None
    subject: Annotated[Text, StringConstraints(max_length=120)] | None = None
    days: float | None = Field(default=None, gt=0, le=MAX_TOKEN_DAYS)  # at most a century (a date past 9999 is no date)


# --- protocol v2: changes -----------------------------------------------------------------------

TEAM_TABLES = ("visit", "visit_node", "visit_inspector", "visit_attendee", "visit_progress", "floor_plan",
               "finding", "finding_event", "rectification_reply", "verification", "photo", "checklist_result",
               "document_review", "issued_report", "report_draft", "report_approval", "sync_conflict", "plan_node")
Uid = Annotated[str, StringConstraints(min_length=1, max_length=36, pattern=r"^[0-9A-Za-z-]+$")]
Device = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"^[0-9A-Za-z.:_-]+$")]


class ChangeIn(Strict):
    """One row's change as the laptop recorded it (its audit entry ``seq`` and ``audit_hash``)."""

    id: Sha256
    device: Device
    seq: int = Field(ge=1, le=MAX_SAFE)
    audit_hash: Sha256
    table: Literal[TEAM_TABLES]  # type: ignore[valid-type]
    uid: Uid
    op: Literal["insert", "update", "delete"]
    at: UtcTime
    actor: Annotated[str, StringConstraints(max_length=60)] | None = None
    values: dict[str, Any] = Field(max_length=80)
    before: dict[str, Any] | None = Field(default=None, max_length=80)


class ChangesIn(Strict):
    device: Device
    changes: list[ChangeIn] = Field(max_length=500)


class NumbersIn(Strict):
    device: Device
    kind: Literal["finding", "visit", "notice", "process", "final"]
    count: int = Field(ge=1, le=1000)
    above: int = Field(default=0, ge=0, le=2**31 - 1)  # the highest number the laptop already knows
