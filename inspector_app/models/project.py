"""The project aggregate: project, its policy (one per project), insurers, coverage,
parties in their roles, buildings and the inspection plan."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, utcnow


class Project(Audited, Base):
    __tablename__ = "project"

    uid: Mapped[str] = mapped_column(String(36), unique=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    district: Mapped[str | None] = mapped_column(String(40))
    ruleset_id: Mapped[str] = mapped_column(String(60))
    ruleset_version: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The risk-assessment plan (Art. 17): confirmed by the developer (Art. 10), its key processes
    plan_confirmed_on: Mapped[date | None] = mapped_column(Date)
    plan_confirmed_by: Mapped[str | None] = mapped_column(String(60))
    key_processes: Mapped[str | None] = mapped_column(Text)  # one per line
    # The demo (services/demo.py): never sent to the platform, deletable. An archived project is
    # kept whole and hidden from the project list (services/project_lifecycle.py).
    is_demo: Mapped[bool] = mapped_column(default=False, server_default="0")
    archived_at: Mapped[datetime | None]

    policy: Mapped[Policy] = relationship(back_populates="project", uselist=False)
    buildings: Mapped[list[Building]] = relationship(order_by="Building.sort_order")
    parties: Mapped[list[ProjectParty]] = relationship(order_by="ProjectParty.id")
    nodes: Mapped[list[PlanNode]] = relationship(order_by="PlanNode.sort_order")


class ProjectDeletion(Base):
    """Names the project being deleted, for the length of the deleting transaction only: the database's
    triggers then let the demo's reports, drafts and approvals go with it (never anyone else's)."""

    __tablename__ = "project_deletion"

    project_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class Policy(Audited, Base):
    __tablename__ = "policy"
    __table_args__ = (
        CheckConstraint("premium_fen > 0", name="premium_positive"),
        CheckConstraint("risk_fee_fen >= 0 AND risk_fee_fen * 10 <= premium_fen * 3", name="risk_fee_limit"),
    )

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), unique=True)
    policy_no: Mapped[str] = mapped_column(String(60), unique=True)
    issued_on: Mapped[date] = mapped_column(Date)
    sum_insured_fen: Mapped[int]
    budget_cost_fen: Mapped[int]
    premium_fen: Mapped[int]
    risk_fee_fen: Mapped[int]
    construction_permit_no: Mapped[str | None] = mapped_column(String(60))
    permit_date: Mapped[date | None] = mapped_column(Date)  # Art. 10: insure before the permit
    planned_acceptance_date: Mapped[date | None] = mapped_column(Date)
    actual_acceptance_date: Mapped[date | None] = mapped_column(Date)

    project: Mapped[Project] = relationship(back_populates="policy")
    insurers: Mapped[list[PolicyInsurer]] = relationship(order_by="PolicyInsurer.id")
    coverages: Mapped[list[PolicyCoverage]] = relationship(order_by="PolicyCoverage.id")


class PolicyInsurer(Audited, Base):
    """A member of the co-insurance pool (共保体): one lead, at least two members."""

    __tablename__ = "policy_insurer"
    __table_args__ = (CheckConstraint("share_bp > 0 AND share_bp <= 10000", name="share_range"),)

    policy_id: Mapped[int] = mapped_column(ForeignKey("policy.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    is_lead: Mapped[bool] = mapped_column(default=False)
    share_bp: Mapped[int]


class PolicyCoverage(Audited, Base):
    """A basic cover (STR, WPI) or a rider (RID-*) the policy includes, with the dates
    the policy states; when they are absent the windows derive from acceptance."""

    __tablename__ = "policy_coverage"
    __table_args__ = (UniqueConstraint("policy_id", "code"),)

    policy_id: Mapped[int] = mapped_column(ForeignKey("policy.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    period_years: Mapped[int | None]
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    deductible_fen: Mapped[int] = mapped_column(default=0)
    period_reason: Mapped[str | None] = mapped_column(Text)  # why stated dates differ from Art. 5


class ProjectParty(Audited, Base):
    __tablename__ = "project_party"
    __table_args__ = (UniqueConstraint("project_id", "party_id", "role"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str | None] = mapped_column(String(200))

    party: Mapped["Party"] = relationship()  # noqa: UP037


class Building(Audited, Base):
    __tablename__ = "building"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    floors_above: Mapped[int] = mapped_column(default=0)
    floors_below: Mapped[int] = mapped_column(default=0)
    structure_type: Mapped[str | None] = mapped_column(String(60))
    floor_area_m2: Mapped[float | None]
    dwellings: Mapped[int | None]
    sort_order: Mapped[int] = mapped_column(default=0)


class PlanNode(Audited, Base):
    """A key node of the inspection plan (关键节点), from the template, editable per project."""

    __tablename__ = "plan_node"
    __table_args__ = (UniqueConstraint("project_id", "code"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    planned_date: Mapped[date | None] = mapped_column(Date)
    reached_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    sort_order: Mapped[int] = mapped_column(default=0)
    notified_on: Mapped[date | None] = mapped_column(Date)  # the developer's notice of the node (Art. 17)
    # A node not inspected in a visit is waived with a reason by a named inspector of the agency
    waived_reason: Mapped[str | None] = mapped_column(Text)
    waived_by: Mapped[str | None] = mapped_column(String(60))
    waived_on: Mapped[date | None] = mapped_column(Date)


from .org import Party  # noqa: E402,F401  (relationship target)
