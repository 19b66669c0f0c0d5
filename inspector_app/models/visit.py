"""Site visits (现场巡查): when, which nodes, who, weather, attendees, progress per building."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, utcnow


class Visit(Audited, Base):
    __tablename__ = "visit"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    number: Mapped[int]
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    weather: Mapped[str | None] = mapped_column(String(60))
    temperature_c: Mapped[float | None]
    summary: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(60))

    nodes: Mapped[list[VisitNode]] = relationship(order_by="VisitNode.id")
    inspectors: Mapped[list[VisitInspector]] = relationship(order_by="VisitInspector.id")
    attendees: Mapped[list[VisitAttendee]] = relationship(order_by="VisitAttendee.id")
    progress: Mapped[list[VisitProgress]] = relationship(order_by="VisitProgress.id")


class VisitNode(Audited, Base):
    __tablename__ = "visit_node"
    __table_args__ = (UniqueConstraint("visit_id", "node_id"),)

    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id"), index=True)


class VisitInspector(Audited, Base):
    __tablename__ = "visit_inspector"
    __table_args__ = (UniqueConstraint("visit_id", "inspector_id"),)

    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspector.id"), index=True)
    is_lead: Mapped[bool] = mapped_column(default=False)


class VisitAttendee(Audited, Base):
    """Someone from a party present on site (监理、施工单位项目经理 ...)."""

    __tablename__ = "visit_attendee"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"))
    person_name: Mapped[str] = mapped_column(String(60))
    title: Mapped[str | None] = mapped_column(String(60))


class VisitProgress(Audited, Base):
    """形象进度: the state of one building on the day (e.g. 主体结构施工至18层)."""

    __tablename__ = "visit_progress"
    __table_args__ = (UniqueConstraint("visit_id", "building_id"),)

    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    text: Mapped[str] = mapped_column(String(300))


class ChecklistResult(Audited, Base):
    """One check item (检查要点) of a node visited, as the inspector marked it: 符合 (ok),
    不符合 (fail: a finding is opened from it) or 不适用 (na), with a value where asked."""

    __tablename__ = "checklist_result"
    __table_args__ = (
        UniqueConstraint("visit_id", "item_code"),
        CheckConstraint("result IN ('ok','fail','na')", name="result_known"),
    )

    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(4))
    value: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id"))
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photo.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(60))


class DocumentReview(Audited, Base):
    """A document or test report the inspector reviewed on a visit (资料核查): 符合 (ok),
    不符合 (fail) or 缺失 (missing); the last two stand behind a finding."""

    __tablename__ = "document_review"
    __table_args__ = (
        CheckConstraint("kind IN ('document','test')", name="kind_known"),
        CheckConstraint("result IN ('ok','fail','missing')", name="result_known"),
    )

    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(8))
    result: Mapped[str] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(Text)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(60))
