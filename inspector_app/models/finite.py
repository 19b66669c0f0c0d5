"""No NaN or infinity in the database: a float column takes finite numbers only.

A NaN compares unequal to itself, so a row holding one looks changed outside the app to every
later check (``verify``), a false tamper alarm. Services refuse such input by name first; this
listener is the last line for any value that reaches a flush by another way."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import Float, event, inspect
from sqlalchemy.orm import Session

from ..errors import ValidationError


def _check(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        mapper = inspect(obj).mapper
        for prop in mapper.column_attrs:
            if isinstance(prop.columns[0].type, Float):
                value = getattr(obj, prop.key, None)
                if isinstance(value, float) and not math.isfinite(value):
                    raise ValidationError(f"{mapper.local_table.name}.{prop.key}", "value.not_finite",
                                          value=str(value))


def install(session_class: type[Session] | Any) -> None:
    event.listen(session_class, "before_flush", _check)
