"""The risk-management agency, its inspectors, and the firms (parties) of a project."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base


class Agency(Audited, Base):
    __tablename__ = "agency"

    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))

    inspectors: Mapped[list[Inspector]] = relationship(back_populates="agency", order_by="Inspector.id")


STAFF_ROLES = {"inspector": "检查员", "lead": "项目负责人", "technical": "技术负责人"}


class Inspector(Audited, Base):
    """A member of the agency's staff: inspects, prepares, reviews or approves reports by role."""

    __tablename__ = "inspector"
    __table_args__ = (UniqueConstraint("agency_id", "name"),
                      CheckConstraint("role IN ('inspector','lead','technical')", name="role_known"))

    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    certificate_no: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)
    # The staff role: inspector 检查员 | lead 项目负责人 | technical 技术负责人 (STAFF_ROLES)
    role: Mapped[str] = mapped_column(String(12), default="inspector", server_default="inspector")

    agency: Mapped[Agency] = relationship(back_populates="inspectors")


class Party(Audited, Base):
    """A firm: developer, survey, design, construction, supervision or supplier.

    Identified by its 18-character unified social credit code (统一社会信用代码)."""

    __tablename__ = "party"

    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    contact_person: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(40))
