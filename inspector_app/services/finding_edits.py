"""Edits to a finding's texts, saved at once and undoable.

``edit_finding`` changes some fields and returns what they were before, so an undo is the
same call with the old values. The undo stack itself lives in ``services.undo``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import RuleViolation, ValidationError
from ..models.db import Database
from ..values import dto
from .findings import TEXT_LIMITS, _check_texts, _load, finding_info

EDITABLE = {
    "description": "问题描述", "floor": "楼层", "location": "部位", "risk": "风险说明",
    "clause": "依据条款", "requirement": "整改要求", "deadline": "整改期限",
}


def _clean(field: str, value: Any) -> Any:
    if field == "deadline":
        if value is None or isinstance(value, date):
            return value
        raise ValidationError(f"finding.{field}", "value.not_a_date", value=value)
    if value is None:
        return None
    text = str(value).strip()
    if field == "description" and not text:
        raise ValidationError(f"finding.{field}", "value.required_not_empty")
    return text or None


def edit_finding(db: Database, finding_id: int, **changes: Any) -> tuple[dto.FindingInfo, dict[str, Any]]:
    """Apply ``changes``; returns the finding and the previous values of the fields that changed."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError("finding.fields", "finding.not_editable_here", fields=sorted(unknown))
    clean = {k: _clean(k, v) for k, v in changes.items()}
    _check_texts({k: v for k, v in clean.items() if k in TEXT_LIMITS})
    with db.write() as s:
        f, _project = _load(s, finding_id)
        if f.status == "closed":
            raise RuleViolation("finding.closed", number=f.number)
        deadline = clean.get("deadline")
        if deadline is not None and deadline < f.found_on:
            raise ValidationError("finding.deadline", "finding.deadline_before_found", deadline=deadline,
                                      found_on=f.found_on)
        old = {k: getattr(f, k) for k, v in clean.items() if getattr(f, k) != v}
        for k in old:
            setattr(f, k, clean[k])
        s.flush()
        return finding_info(s, f), old
