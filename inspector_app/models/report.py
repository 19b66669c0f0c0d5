"""Issued reports (已签发报告): number, revision, frozen data snapshot and the PDF's hash.

Rows are written once; triggers in the migration refuse any later change except marking a
revision superseded by the one that replaces it.
"""

from __future__ import annotations

from datetime import datetime

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
