"""Report drafts under review (报告审核) and issued reports (已签发报告): number, revision, frozen data snapshot and the PDF's hash.

Rows are written once; triggers in the migration refuse any later change except marking a
revision superseded by the one that replaces it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Audited, Base, utcnow

KINDS = ("process", "final", "notice")


class IssuedReport(Audited, Base):
    __tablename__ = "issued_report"
    __table_args__ = (
        UniqueConstraint("number", "revision"),
        CheckConstraint("kind IN ('process','final','notice')", name="kind_known"),
        CheckConstraint("status IN ('issued','superseded')", name="status_known"),
    )

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[str] = mapped_column(String(60))
    revision: Mapped[int]
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("issued_report.id"))
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text)  # JSON: visit id or date range
    snapshot: Mapped[str] = mapped_column(Text)  # JSON of the report data, frozen
    snapshot_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf_bytes: Mapped[int]
    pages: Mapped[int]
    reason: Mapped[str | None] = mapped_column(Text)  # why a revision replaces the earlier one
    status: Mapped[str] = mapped_column(String(12), default="issued")
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by: Mapped[str | None] = mapped_column(String(60))


DRAFT_STATUSES = ("submitted", "reviewed", "approved", "rejected", "issued")


class ReportDraft(Audited, Base):
    """A report submitted for review: its number, scope and snapshot frozen at submission.

    编制 (prepared_by) submits; 审核 and 批准 are ReportApproval rows by other staff; issuing
    renders the same snapshot with the sign-off filled in. A rejected draft stays, as a record."""

    __tablename__ = "report_draft"
    __table_args__ = (
        UniqueConstraint("number", "revision", "attempt"),
        CheckConstraint("kind IN ('process','final','notice')", name="kind_known"),
        CheckConstraint("status IN ('submitted','reviewed','approved','rejected','issued')", name="status_known"),
    )

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[str] = mapped_column(String(60))
    revision: Mapped[int]  # the revision it will be issued as
    attempt: Mapped[int] = mapped_column(default=1)  # 1, then 2 after a rejection, ...
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("issued_report.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)  # JSON: visit id or date range
    scope_key: Mapped[str] = mapped_column(String(60))  # kind and scope, to find the same report again
    snapshot: Mapped[str] = mapped_column(Text)
    snapshot_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))  # the draft PDF, watermarked 草稿
    pdf_bytes: Mapped[int]
    pages: Mapped[int]
    gate_passed: Mapped[bool | None]
    status: Mapped[str] = mapped_column(String(12), default="submitted")
    prepared_by: Mapped[str] = mapped_column(String(60))
    prepared_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_report_id: Mapped[int | None] = mapped_column(ForeignKey("issued_report.id"))


class ReportApproval(Audited, Base):
    """One step of the review chain: 审核 (review), 批准 (approve) or 退回 (reject). Written once."""

    __tablename__ = "report_approval"
    __table_args__ = (CheckConstraint("step IN ('review','approve','reject')", name="step_known"),)

    draft_id: Mapped[int] = mapped_column(ForeignKey("report_draft.id"), index=True)
    step: Mapped[str] = mapped_column(String(8))
    by_name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(12))
    certificate_no: Mapped[str | None] = mapped_column(String(60))
    on: Mapped[date]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    comment: Mapped[str | None] = mapped_column(Text)
    gate_confirmed: Mapped[bool] = mapped_column(default=False)  # a failing final gate, knowingly approved
