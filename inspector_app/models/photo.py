"""Photo evidence rows. The bytes live in the content-addressed store under ``sha256``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Audited, Base, utcnow

ROLES = ("before", "after", "test", "general")


class Photo(Audited, Base):
    __tablename__ = "photo"
    __table_args__ = (
        CheckConstraint("finding_id IS NOT NULL OR visit_id IS NOT NULL", name="has_target"),
        CheckConstraint("role IN ('before','after','test','general')", name="role_known"),
        Index("ix_photo_finding_sha", "finding_id", "sha256"),
        Index("ix_photo_visit_sha", "visit_id", "sha256"),
    )

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("rectification_reply.id"))
    verification_id: Mapped[int | None] = mapped_column(ForeignKey("verification.id"))
    role: Mapped[str] = mapped_column(String(10))
    caption: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(260))
    extension: Mapped[str] = mapped_column(String(8))
    format: Mapped[str] = mapped_column(String(8))
    byte_size: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    orientation: Mapped[int] = mapped_column(default=1)
    taken_at: Mapped[datetime | None]
    taken_at_offset: Mapped[str | None] = mapped_column(String(8))
    gps_lat: Mapped[float | None]
    gps_lon: Mapped[float | None]
    gps_alt: Mapped[float | None]
    camera_make: Mapped[str | None] = mapped_column(String(80))
    camera_model: Mapped[str | None] = mapped_column(String(80))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str | None] = mapped_column(String(60))
    # Non-destructive markup: JSON list of vector shapes over the upright image (see services.markup)
    markup: Mapped[str | None] = mapped_column(Text)
