"""The one projection of a finding into a row (``FindingInfo``): one column list, one query.

The findings table, the first screen (plain sqlite3, before the ORM loads), the reports, the
register and the sync manifest all read findings through ``row_sql`` and ``to_info``; adding
a field to a finding means adding it here and to ``FindingInfo``. Plain SQL and no
SQLAlchemy import, so the first screen can use it at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from ..values import dto
from .rules import is_overdue

# (FindingInfo field, SQL expression); ``overdue`` and ``history`` are derived, not read.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "f.id"),
    ("project_id", "f.project_id"),
    ("visit_id", "f.visit_id"),
    ("visit_number", "v.number"),
    ("number", "f.number"),
    ("building", "b.name"),
    ("floor", "f.floor"),
    ("location", "f.location"),
    ("division_code", "f.division_code"),
    ("subdivision_code", "f.subdivision_code"),
    ("coverage_code", "f.coverage_code"),
    ("description", "f.description"),
    ("risk", "f.risk"),
    ("clause", "f.clause"),
    ("requirement", "f.requirement"),
    ("deadline", "f.deadline"),
    ("responsible_party", "pa.name"),
    ("grade_found", "f.grade_found"),
    ("grade_now", "f.grade_now"),
    ("is_serious", "f.is_serious"),
    ("serious_reason", "f.serious_reason"),
    ("status", "f.status"),
    ("found_on", "f.found_on"),
    ("closed_on", "f.closed_on"),
    ("photos", "(SELECT COUNT(*) FROM photo ph WHERE ph.finding_id = f.id)"),
    ("recorded_by", "f.created_by"),
)
FIELDS = tuple(name for name, _ in COLUMNS)
_DATES = {"deadline", "found_on", "closed_on"}

_FROM = ("finding f JOIN building b ON b.id = f.building_id JOIN visit v ON v.id = f.visit_id "
         "LEFT JOIN party pa ON pa.id = f.responsible_party_id")

# What the sync manifest carries of a finding (docs/sync-protocol.yaml), besides its history.
MANIFEST_FIELDS = tuple(n for n in FIELDS if n not in ("id", "project_id", "visit_id", "photos", "recorded_by"))


def row_sql(where: str, order: str = "f.number") -> str:
    """SELECT of every projected column; ``where`` uses named parameters (``:pid``), which both
    sqlite3 and SQLAlchemy's ``text()`` bind."""
    cols = ", ".join(expr for _, expr in COLUMNS)
    return f"SELECT {cols} FROM {_FROM} WHERE {where} ORDER BY {order}"


def sql_day(value: Any) -> date | None:
    """A date as SQLite or PostgreSQL hands it back (a date, a datetime or ISO text)."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def to_info(row: Sequence[Any], today: date) -> dto.FindingInfo:
    """One row of ``row_sql`` as the frozen finding (dates parsed, overdue as of ``today``)."""
    values = dict(zip(FIELDS, row, strict=True))
    for name in _DATES:
        values[name] = sql_day(values[name])
    values["is_serious"] = bool(values["is_serious"])
    values["found_on"] = values["found_on"] or today
    values["photos"] = int(values["photos"] or 0)
    return dto.FindingInfo(**values, overdue=is_overdue(values["status"], values["deadline"], today))


def manifest_entry(f: dto.FindingInfo) -> dict[str, Any]:
    """The finding as the sync manifest states it (history added by the caller)."""
    return {name: dto.to_plain(getattr(f, name)) for name in MANIFEST_FIELDS}
