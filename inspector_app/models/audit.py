"""The append-only audit log: every insert, update and delete of an audited row, each
entry chained to the one before by SHA-256, and a head row naming the last link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class AuditEntry(Base):
    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str | None] = mapped_column(String(60))
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(8))  # insert | update | delete
    data: Mapped[str] = mapped_column(Text)  # canonical JSON of the row after the change
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """One row: the last sequence number and hash, so a removed tail is detectable too."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int]
    last_hash: Mapped[str] = mapped_column(String(64))
