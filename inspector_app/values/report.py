"""Everything a report shows, as frozen values: the snapshot a report is rendered from.

The snapshot is JSON round-trippable (``to_plain`` / ``from_plain``) because issuing a report
freezes it: the PDF can be rebuilt from the snapshot without the database. It is made by
``services.report_data`` in one read transaction and rendered by ``reports/``, which reads
nothing else."""

from __future__ import annotations

import json
import sys
import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from typing import Any

from . import dto
from .checklist import ChecklistRow
from .dto import to_plain

SCHEMA = 1
KIND_CODES = {"process": "GC", "final": "ZZ", "notice": "TZ", "register": "DJ"}

# Names of snapshots written before the labels carried them (the Beijing 2019 rule set's wording then).
_LEGACY_STATUSES = {"open": "待整改", "replied": "已回复待复查", "verified": "已验证整改", "closed": "已关闭"}
_LEGACY_PHOTO_ROLES = {"before": "整改前", "after": "整改后", "test": "检测", "general": "现场"}
_LEGACY_REGULATION = "《北京市住宅工程质量潜在缺陷保险暂行管理办法》"
_LEGACY_STANDARDS = [
    _LEGACY_REGULATION,
    "GB 50300-2013《建筑工程施工质量验收统一标准》",
    "GB 50202-2018《建筑地基基础工程施工质量验收标准》",
    "GB 50204-2015《混凝土结构工程施工质量验收规范》",
    "GB 50203-2011《砌体结构工程施工质量验收规范》",
    "GB 50207-2012《屋面工程质量验收规范》",
    "GB 50208-2011《地下防水工程质量验收规范》",
    "GB 50411-2019《建筑节能工程施工质量验收标准》",
    "JGJ/T 235-2011《建筑外墙防水工程技术规程》",
    "经审查合格的施工图设计文件、保险合同及风险评估实施方案",
]
# The independence statement (Art. 18) as the Beijing 2019 rule set words it ({agency}, {regulation} filled in)
_LEGACY_INDEPENDENCE = ("{agency}声明：本机构与本工程参建单位不存在关联关系，未直接或间接参与本工程的勘察、设计、施工、"
                        "监理和材料供应等工作（{regulation}第十八条）。")
_LEGACY_PARTY_ROLES = {"developer": "建设单位", "survey": "勘察单位", "design": "设计单位", "construction": "施工单位",
                       "supervision": "监理单位", "supplier": "供应单位"}


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
    statuses: dict[str, str] = field(default_factory=lambda: dict(_LEGACY_STATUSES))
    photo_roles: dict[str, str] = field(default_factory=lambda: dict(_LEGACY_PHOTO_ROLES))
    party_roles: dict[str, str] = field(default_factory=lambda: dict(_LEGACY_PARTY_ROLES))
    regulation: str = _LEGACY_REGULATION  # the measures the reports cite
    gate_article: str = "第十条"  # the article of the final gate
    standards: list[str] = field(default_factory=lambda: list(_LEGACY_STANDARDS))  # 评估依据
    behaviour_grades: list[str] = field(default_factory=list)  # quality-behaviour grades (E), counted apart
    independence: str = _LEGACY_INDEPENDENCE  # the agency's independence statement (Art. 18)

    def status(self, code: str) -> str:
        return self.statuses.get(code, code)

    def photo_role(self, code: str) -> str:
        return self.photo_roles.get(code, code)

    def party_role(self, code: str) -> str:
        return self.party_roles.get(code, code)


@dataclass(frozen=True, slots=True)
class Counts:
    by_grade: dict[str, int]
    by_division: dict[str, int]
    by_coverage: dict[str, int]
    by_status: dict[str, int]
    total: int
    serious: int  # serious defects (Art. 10): the rule set's blocking grades, or marked serious
    overdue: int
    behaviour: int = 0  # quality-behaviour risks (E) not marked serious: reported apart, never blocking


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
class SignOff:
    """One line of the sign-off block (编制 / 审核 / 批准): who, with which certificate, on which day."""

    step: str  # prepare | review | approve
    name: str
    role: str = ""  # the staff role: 检查员 | 项目负责人 | 技术负责人
    certificate_no: str | None = None
    on: date | None = None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class DocumentReviewRef:
    """A document or test report the inspector reviewed on a visit (资料核查), with its result."""

    visit_number: int
    day: date
    name: str  # e.g. 钢筋原材复试报告
    reference: str = ""  # its number or date
    kind: str = "document"  # document | test
    result: str = "ok"  # ok 符合 | fail 不符合 | missing 缺失
    note: str = ""
    finding_no: str = ""  # the finding a failure opened or was linked to


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
    # The rule-set basis line (依据《…》（有效期至…）), the validity warning when the policy lies outside
    # it (Art. 28), and the project's warnings, as sentences (empty in snapshots made before them)
    basis: str = ""
    basis_warning: str = ""
    warnings: list[str] = field(default_factory=list)
    # The check items (检查要点) of the nodes visited in scope, as marked (process reports; empty before them)
    checklists: list[ChecklistRow] = field(default_factory=list)
    # The day the report speaks for: nothing dated after it is shown (None: snapshots made before it)
    as_of: date | None = None
    # The review chain (issue 12): the sign-off block (编制 / 审核 / 批准, filled from the approvals on
    # issue), a draft's watermark (草稿), and on a revision the number it replaces and why
    signoff: list[SignOff] = field(default_factory=list)
    draft: bool = False
    replaces: str = ""
    revision_reason: str = ""
    # Who receives the report (保险公司, 建设单位 ...), by name
    distribution: list[str] = field(default_factory=list)
    # Documents and tests reviewed in scope (资料核查)
    document_reviews: list[DocumentReviewRef] = field(default_factory=list)

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
