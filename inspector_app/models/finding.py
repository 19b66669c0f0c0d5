"""Findings (质量缺陷/风险项), their history, rectification replies and verifications."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, utcnow

STATUSES = ("open", "replied", "verified", "closed")


class Finding(Audited, Base):
    __tablename__ = "finding"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        CheckConstraint("status IN ('open','replied','verified','closed')", name="status_known"),
        Index("ix_finding_project_status", "project_id", "status"),
    )

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    number: Mapped[int]
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    floor: Mapped[str | None] = mapped_column(String(20))
    location: Mapped[str | None] = mapped_column(String(120))
    division_code: Mapped[str] = mapped_column(String(4))
    subdivision_code: Mapped[str | None] = mapped_column(String(6))
    coverage_code: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    risk: Mapped[str | None] = mapped_column(Text)
    clause: Mapped[str | None] = mapped_column(String(200))
    requirement: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column(Date)
    responsible_party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"))
    grade_found: Mapped[str] = mapped_column(String(2))
    grade_now: Mapped[str] = mapped_column(String(2))
    serious_override: Mapped[bool | None]
    serious_reason: Mapped[str | None] = mapped_column(Text)
    # Why the division lies outside the rule set's map for the coverage category
    tag_reason: Mapped[str | None] = mapped_column(Text)
    is_serious: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default="open")
    found_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(60))
    # A pin on a floor plan, in the drawing's pixel coordinates
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("floor_plan.id"))
    pin_x: Mapped[float | None]
    pin_y: Mapped[float | None]

    events: Mapped[list[FindingEvent]] = relationship(order_by="FindingEvent.id")
    replies: Mapped[list[RectificationReply]] = relationship(order_by="RectificationReply.id")
    verifications: Mapped[list[Verification]] = relationship(order_by="Verification.id")


class FindingEvent(Audited, Base):
    """One step of a finding's history: a status or grade change, with who, when and why."""

    __tablename__ = "finding_event"

    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # The site day the step takes effect: the day found, replied or re-checked, else the day it was
    # recorded; a report as of a day leaves out the steps after it (None: recorded before 0006)
    on_day: Mapped[date | None]
    actor: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(12))  # "status" | "grade" | "serious"
    from_value: Mapped[str | None] = mapped_column(String(20))
    to_value: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)


class RectificationReply(Audited, Base):
    """The contractor's reply (整改回复): says what was done, with evidence."""

    __tablename__ = "rectification_reply"

    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id"), index=True)
    replied_on: Mapped[date] = mapped_column(Date)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"))
    text: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(60))


class Verification(Audited, Base):
    """The inspector's re-check on site (复查): accepted closes, rejected re-opens."""

    __tablename__ = "verification"
    __table_args__ = (CheckConstraint("result IN ('accepted','rejected')", name="result_known"),)

    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"))
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("inspector.id"))
    verified_on: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # An after-photo already used as evidence on another finding needs a confirmed reason
    reuse_reason: Mapped[str | None] = mapped_column(Text)
