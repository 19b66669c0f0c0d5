"""Edits to a saved finding, every field, saved at once and undoable.

``edit_finding`` changes some fields and returns what they were before, so an undo is the
same call with the old values. The undo stack itself lives in ``services.undo``. The rules
of recording hold for an edit too: required fields stay filled, the building, coverage
category and sub-division come from the project and its rule set, a division outside the
coverage category's map needs a reason, a grade change needs a reason (before a re-check it
corrects the grade as found as well; after one, only the grade now), and marking or
clearing a serious defect by hand needs a reason. A closed finding is not edited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import messages
from ..errors import RuleViolation, ValidationError
from ..models import Building, Finding, Party, Project
from ..models.db import Database
from ..values import dto
from .findings import (
    TEXT_LIMITS,
    _check_grade,
    _check_texts,
    _event,
    _load,
    _responsible,
    _ruleset,
    check_tags,
    deadline_event,
    derive_serious,
    finding_info,
)

EDITABLE = {
    "description": "问题描述", "floor": "楼层", "location": "部位", "risk": "风险说明",
    "clause": "依据条款", "requirement": "整改要求", "deadline": "整改期限",
    "building": "单体", "division": "分部", "subdivision": "子分部", "coverage": "承保类别",
    "tag_reason": "标记理由", "responsible": "责任单位", "grade": "等级", "serious": "严重缺陷认定",
    "serious_reason": "严重缺陷认定理由",
}
REQUIRED = ("description", "building", "coverage", "division", "grade")
_TEXTS = ("description", "floor", "location", "risk", "clause", "requirement", "tag_reason", "serious_reason")


def _clean(field: str, value: Any) -> Any:
    if field == "deadline":
        if value is None or isinstance(value, date):
            return value
        raise ValidationError(f"finding.{field}", "value.not_a_date", value=value)
    if field == "serious":
        if value is None or isinstance(value, bool):
            return value
        raise ValidationError(f"finding.{field}", "finding.serious_not_a_choice", value=value)
    text = "" if value is None else str(value).strip()
    if field in ("subdivision", "coverage", "grade", "division"):
        text = text.split(" ")[0].upper()  # "0107 地下防水" is 0107; "wpi-2" is WPI-2
    if field in REQUIRED and not text:
        raise ValidationError(f"finding.{field}", "value.required_not_empty")
    return text or None


def _current(s: Session, f: Finding, field: str) -> Any:
    """A field as the edit call takes it (the building and party by name, codes as codes)."""
    if field == "building":
        b = s.get(Building, f.building_id)
        return b.name if b else None
    if field == "responsible":
        p = s.get(Party, f.responsible_party_id) if f.responsible_party_id else None
        return p.name if p else None
    column = {"division": "division_code", "subdivision": "subdivision_code", "coverage": "coverage_code",
              "grade": "grade_now", "serious": "serious_override"}.get(field, field)
    return getattr(f, column)


def edit_finding(db: Database, finding_id: int, *, reason: str | None = None,
                 **changes: Any) -> tuple[dto.FindingInfo, dict[str, Any]]:
    """Apply ``changes``; returns the finding and the previous values of every field that changed
    (a sub-division may move the division, clearing the override its reason). ``reason`` is why
    the grade or the serious call changed (kept in the finding's history)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError("finding.fields", "finding.not_editable_here", fields=sorted(unknown))
    clean = {k: _clean(k, v) for k, v in changes.items()}
    _check_texts({k: v for k, v in clean.items() if k in TEXT_LIMITS})
    with db.write() as s:
        f, project = _load(s, finding_id)
        if f.status == "closed":
            raise RuleViolation("finding.closed", number=f.number)
        before = {k: _current(s, f, k) for k in EDITABLE}
        _apply(s, f, project, clean, (reason or "").strip() or None, db.actor)
        s.flush()
        after = {k: _current(s, f, k) for k in EDITABLE}
        old = {k: v for k, v in before.items() if after[k] != v}
        return finding_info(s, f), old


def changed_values(db: Database, finding_id: int, fields: list[str]) -> dict[str, Any]:
    """The named fields of a finding as ``edit_finding`` takes them (what a redo sets again)."""
    with db.read() as s:
        f, _ = _load(s, finding_id)
        return {k: _current(s, f, k) for k in fields}


def _apply(s: Session, f: Finding, project: Project, clean: dict[str, Any], reason: str | None,
           actor: str | None) -> None:
    for key in _TEXTS:
        if key in clean and key not in ("tag_reason", "serious_reason"):
            setattr(f, key, clean[key])
    if "deadline" in clean:
        deadline = clean["deadline"]
        if deadline is not None and deadline < f.found_on:
            raise ValidationError("finding.deadline", "finding.deadline_before_found", deadline=deadline,
                                  found_on=f.found_on)
        deadline_event(s, f, deadline, actor, reason)
    if "building" in clean:
        f.building_id = _building(s, project, clean["building"])
    if "responsible" in clean:
        f.responsible_party_id = _responsible(s, project, clean["responsible"])
    if {"coverage", "subdivision", "division", "tag_reason"} & set(clean):
        _tags(f, project, clean)
    if "grade" in clean:
        _grade(s, f, project, clean["grade"], reason, actor)
    if {"serious", "serious_reason"} & set(clean):
        _serious(s, f, project, clean, reason, actor)


def _building(s: Session, project: Project, name: str) -> int:
    b = s.execute(select(Building).where(Building.project_id == project.id, Building.name == name)).scalars().first()
    if b is None:
        raise ValidationError("finding.building", "finding.unknown_building", building=name,
                              buildings=[x.name for x in project.buildings])
    return b.id


def _tags(f: Finding, project: Project, clean: dict[str, Any]) -> None:
    """Coverage category, division and sub-division, checked together against the rule set."""
    rs = _ruleset(project)
    coverage = clean.get("coverage", f.coverage_code)
    sub = clean["subdivision"] if "subdivision" in clean else f.subdivision_code
    division = clean.get("division") or (sub[:2] if sub else f.division_code)
    tag_reason = clean["tag_reason"] if "tag_reason" in clean else f.tag_reason
    if coverage not in rs.finding_coverage_codes:
        raise ValidationError("finding.coverage", "finding.unknown_coverage", coverage=coverage,
                              choices=sorted(rs.finding_coverage_codes))
    if division not in rs.divisions:
        raise ValidationError("finding.division", "finding.unknown_division", division=division)
    if sub and (rs.subdivision_name(sub) is None or sub[:2] != division):
        raise ValidationError("finding.subdivision", "finding.not_a_subdivision", subdivision=sub, division=division)
    if coverage != f.coverage_code or division != f.division_code or "tag_reason" in clean:
        check_tags(rs, project, coverage, division, tag_reason)
    inside = division in rs.allowed_divisions(coverage) or not rs.allowed_divisions(coverage)
    f.coverage_code, f.division_code, f.subdivision_code = coverage, division, sub
    f.tag_reason = None if inside and "tag_reason" not in clean else tag_reason


def _grade(s: Session, f: Finding, project: Project, grade: str, reason: str | None, actor: str | None) -> None:
    rs = _ruleset(project)
    grade = _check_grade(rs, grade)
    if grade == f.grade_now:
        return
    if not reason:
        raise ValidationError("finding.grade", "finding.grade_change_needs_reason", old=f.grade_now, new=grade)
    if not f.verifications and f.grade_found == f.grade_now:
        f.grade_found = grade  # before a re-check, a grade change corrects the grade as found
    _event(s, f, actor, "grade", f.grade_now, grade, reason)
    f.grade_now = grade
    f.is_serious = derive_serious(rs, f.grade_found, f.grade_now, f.serious_override)


def _serious(s: Session, f: Finding, project: Project, clean: dict[str, Any], reason: str | None,
             actor: str | None) -> None:
    """The inspector's own call: True or False needs its reason; None goes back to the grade rule."""
    override = clean["serious"] if "serious" in clean else f.serious_override
    stated = clean["serious_reason"] if "serious_reason" in clean else f.serious_reason
    if override is None and "serious" in clean and "serious_reason" not in clean:
        stated = None  # back to the grade rule: the override's reason goes with it
    if override is not None and not stated:
        raise ValidationError("finding.serious", "finding.serious_override_needs_reason")
    old = f.is_serious
    changed = override != f.serious_override
    f.serious_override, f.serious_reason = override, stated
    f.is_serious = derive_serious(_ruleset(project), f.grade_found, f.grade_now, override)
    if changed:
        _event(s, f, actor, "serious", str(old), str(f.is_serious), stated or reason or messages.text("history.serious_by_grade"))
