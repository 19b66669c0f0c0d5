"""Documents and test reports reviewed on a visit (资料核查) as values: what was reviewed, its
number or date, and the result (符合 / 不符合 / 缺失) with the finding that stands behind a failure.

Frozen and JSON round-trippable: safe to hand to the window, the CLI and the reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .dto import FindingInfo

KINDS = ("document", "test")
KIND_NAMES = {"document": "资料", "test": "检测报告"}
KIND_NAMES_EN = {"document": "Document", "test": "Test report"}
RESULTS = ("ok", "fail", "missing")
RESULT_NAMES = {"ok": "符合", "fail": "不符合", "missing": "缺失"}
RESULT_NAMES_EN = {"ok": "Conforms", "fail": "Does not conform", "missing": "Missing"}
FAILED = ("fail", "missing")  # results that stand behind a finding


@dataclass(frozen=True, slots=True)
class DocumentReviewInfo:
    id: int
    visit_id: int
    visit_number: int
    day: date  # the visit's day
    name: str
    reference: str | None
    kind: str  # document | test
    result: str  # ok | fail | missing
    note: str | None
    finding_id: int | None  # the finding a failure opened or was linked to
    finding_label: str | None
    finding_status: str | None
    recorded_at: datetime
    recorded_by: str | None

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)

    @property
    def result_name(self) -> str:
        return RESULT_NAMES.get(self.result, self.result)


@dataclass(frozen=True, slots=True)
class DocumentReviewOutcome:
    """What recording a review did: the review as written, and the finding it opened (a failure not
    linked to a finding already recorded), else None."""

    review: DocumentReviewInfo
    opened: FindingInfo | None = None
