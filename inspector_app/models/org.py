"""The risk-management agency, its inspectors, and the firms (parties) of a project."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base


class Agency(Audited, Base):
    __tablename__ = "agency"

    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))

    inspectors: Mapped[list[Inspector]] = relationship(back_populates="agency", order_by="Inspector.id")


class Inspector(Audited, Base):
    __tablename__ = "inspector"
    __table_args__ = (UniqueConstraint("agency_id", "name"),)

    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    certificate_no: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)

    agency: Mapped[Agency] = relationship(back_populates="inspectors")


class Party(Audited, Base):
    """A firm: developer, survey, design, construction, supervision or supplier.

    Identified by its 18-character unified social credit code (统一社会信用代码)."""

    __tablename__ = "party"

    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    contact_person: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(40))
