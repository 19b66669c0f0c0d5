"""Declarative base shared by every aggregate.

Conventions: every table has an integer ``id``; money is integer fen (分) so sums are exact;
shares are basis points (10000 = 100 %); system timestamps are naive UTC; site times
(a visit's start) are naive Beijing local time as the inspector's watch shows it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Audited:
    """Marker: changes to these rows are written to the hash-chained audit log."""

    id: Mapped[int] = mapped_column(primary_key=True)
