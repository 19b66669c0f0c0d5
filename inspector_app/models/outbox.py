"""The sync outbox (待同步): manifests waiting to reach the insurer's platform.

A manifest is written once, with its idempotency key, and never changed afterwards: a retry
sends the same bytes under the same key, so the platform stores it exactly once. The row
records each attempt; it is marked delivered only after the receipt was checked against
the local hashes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

OUTBOX_STATUSES = ("pending", "delivered", "failed")


class OutboxItem(Base):
    """Not audited: delivery bookkeeping, not evidence (the audit head travels inside the manifest)."""

    __tablename__ = "sync_outbox"
    __table_args__ = (CheckConstraint("status IN ('pending','delivered','failed')", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # report | state
    label: Mapped[str] = mapped_column(String(200))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    manifest: Mapped[str] = mapped_column(Text)  # canonical JSON, frozen
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    blobs: Mapped[str] = mapped_column(Text)  # JSON list of {sha256, size, path kind}
    audit_seq: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    server: Mapped[str | None] = mapped_column(String(300))
    receipt: Mapped[str | None] = mapped_column(Text)
