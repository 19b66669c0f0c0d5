"""Node checklists (检查要点): in a visit the inspector marks each check item of the nodes visited
符合 (ok), 不符合 (fail) or 不适用 (na), with a measured value where the item asks for one and a
photo where it needs one. The items are data of the project's rule set (``node_template``);
a rule set without them (before 1.1.0) simply has none.

A 不符合 opens a new finding through ``findings.record_finding``, pre-filled with the item's
division, subdivision, coverage and clause, and the row keeps the link. Marking the item 符合
or 不适用 later never deletes that finding: it keeps its own life (reply, re-check, close) and
the row keeps pointing at it. Marking it 不符合 again while the linked finding is still open
opens no second one.

Re-marking an item updates its row (one per visit and item); the ORM writes every change to
the audit log. Qt-free."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import ChecklistResult, Finding, Photo, PlanNode, Project, Visit, VisitNode
from ..models.base import utcnow
from ..models.db import Database
from ..photos import PhotoStore
from ..rulesets import ChecklistItem, RuleSet, load_ruleset
from ..values import dto
from ..values.checklist import RESULTS, ChecklistOutcome, ChecklistRow, number
from . import findings, photos
from .visits import resolve_visit

DEFAULT_GRADE = "C"  # a 不符合 opens a moderate finding unless the item or the inspector says otherwise
NOTE_LIMIT = 2000


def _ruleset(project: Project) -> RuleSet:
    return load_ruleset(project.ruleset_id, project.ruleset_version)


# -- reading ---------------------------------------------------------------------------------------
def show(db: Database, visit_id: int) -> list[ChecklistRow]:
    """The check items of every node visited in the visit, each with what was marked so far."""
    with db.read() as s:
        resolve_visit(s, visit_id)
        return visit_rows(s, [visit_id])


def visit_rows(s: Session, visit_ids: Iterable[int]) -> list[ChecklistRow]:
    """The checklist rows of some visits of one project, in the caller's transaction (reports read
    them with the rest of their snapshot): by visit number, then the plan's node order."""
    ids = list(visit_ids)
    if not ids:
        return []
    visits = {v.id: v for v in s.execute(select(Visit).where(Visit.id.in_(ids))).scalars()}
    if not visits:
        return []
    project = s.get(Project, next(iter(visits.values())).project_id)
    assert project is not None
    rs = _ruleset(project)
    visited = s.execute(select(VisitNode.visit_id, PlanNode).join(PlanNode, PlanNode.id == VisitNode.node_id)
                        .where(VisitNode.visit_id.in_(ids))).all()
    results: dict[tuple[int, str], ChecklistResult] = {
        (r.visit_id, r.item_code): r
        for r in s.execute(select(ChecklistResult).where(ChecklistResult.visit_id.in_(ids))
                           .order_by(ChecklistResult.id)).scalars()}
    linked = {r.finding_id for r in results.values() if r.finding_id is not None}
    found = {f.id: (f.number, f.status) for f in s.execute(select(Finding).where(Finding.id.in_(linked))).scalars()}
    nodes: dict[int, PlanNode] = {}
    pairs: list[tuple[int, int]] = []  # (visit id, node id) of every node visited or marked
    for visit_id, node in visited:
        nodes[node.id] = node
        pairs.append((visit_id, node.id))
    for r in results.values():  # a result whose node was since taken off the visit still shows
        if (r.visit_id, r.node_id) not in pairs:
            gone = s.get(PlanNode, r.node_id)
            if gone is not None:
                nodes[gone.id] = gone
                pairs.append((r.visit_id, gone.id))
    pairs.sort(key=lambda p: (visits[p[0]].number, nodes[p[1]].sort_order, nodes[p[1]].code))
    rows: list[ChecklistRow] = []
    for visit_id, node_id in pairs:
        visit, node = visits[visit_id], nodes[node_id]
        items = rs.checklist(node.code)
        node_en = next((n.name_en for n in rs.nodes if n.code == node.code and n.name == node.name), "")
        for item in items:
            rows.append(_row(visit, node, item, results.get((visit_id, item.id)), found, node_en=node_en))
        known = {i.id for i in items}
        for (vid, code), r in results.items():  # marked under an item the rule set no longer has
            if vid == visit_id and r.node_id == node_id and code not in known:
                rows.append(_row(visit, node, None, r, found, code, node_en=node_en))
    return rows


def _row(visit: Visit, node: PlanNode, item: ChecklistItem | None, r: ChecklistResult | None,
         found: dict[int, tuple[int, str]], code: str = "", *, node_en: str = "") -> ChecklistRow:
    finding = found.get(r.finding_id) if r is not None and r.finding_id is not None else None
    v = item.value if item is not None else None
    return ChecklistRow(
        visit_id=visit.id, visit_number=visit.number, node_code=node.code, node_name=node.name,
        node_name_en=node_en,
        item_id=item.id if item is not None else code, text=item.text if item is not None else code,
        text_en=item.text_en if item is not None else code,
        division=item.division if item is not None else "", subdivision=item.subdivision if item is not None else None,
        coverage=item.coverage if item is not None else "", clause=item.clause if item is not None else None,
        clause_en=item.clause_en if item is not None else None,
        photo_required=bool(item and item.photo), value_label=v.label if v else None,
        value_label_en=v.label_en if v else None, unit=v.unit if v else "", min=v.min if v else None,
        max=v.max if v else None, result=r.result if r else None, value=r.value if r else None,
        note=r.note if r else None, finding_id=r.finding_id if r else None,
        finding_label=dto.finding_label(finding[0]) if finding else None,
        finding_status=finding[1] if finding else None, photo_id=r.photo_id if r else None,
        recorded_at=r.recorded_at if r else None, recorded_by=r.recorded_by if r else None)


# -- marking an item -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Checked:
    """A marking that passed every check: what will be written."""

    item: ChecklistItem
    node_id: int
    result: str
    value: str | None
    note: str | None
    photo_id: int | None
    reuse_finding: int | None  # the open finding a 不符合 keeps, when there is one
    building: str | None  # where a new finding sits (a 不符合 with no open finding linked)


def set_item(db: Database, visit_id: int, item_id: str, result: str, *, value: str | float | None = None,
             note: str | None = None, photo_id: int | None = None, grade: str | None = None,
             building: str | None = None, floor: str | None = None, location: str | None = None,
             finding_id: int | None = None) -> ChecklistOutcome:
    """Mark one check item of a node visited in the visit.

    ``value``, ``note`` and ``photo_id`` left as None keep what the item already holds ("" clears a
    value or note). 符合 needs the measured value (a number within the item's bounds) and, for an
    item that needs one, a photo of the project. 不符合 opens a finding (``grade``, else the item's,
    else C) in ``building`` (needed when the project has more than one), unless an open finding is
    already linked, or ``finding_id`` names a finding of the project already recorded for it (the
    inspector wrote the defect up first); the finding is never deleted by a later 符合 or 不适用."""
    opened = None
    with db.write() as s:  # the item and the finding it opens are written together, or neither
        again = _check(s, visit_id, item_id, result, value, note, photo_id, building, link=finding_id)
        if again.result == "fail" and again.reuse_finding is None:
            assert again.building is not None
            item = again.item
            opened = findings.record_in(
                s, db.actor, visit_id, building=again.building, coverage=item.coverage, division=item.division,
                subdivision=item.subdivision, grade=grade or item.grade or DEFAULT_GRADE,
                description=_description(item, again), clause=item.clause, floor=floor, location=location)
        row = s.execute(select(ChecklistResult).where(ChecklistResult.visit_id == visit_id,
                                                      ChecklistResult.item_code == again.item.id)).scalars().first()
        if row is None:
            row = ChecklistResult(visit_id=visit_id, node_id=again.node_id, item_code=again.item.id, result=again.result)
            s.add(row)
        row.result, row.value, row.note, row.photo_id = again.result, again.value, again.note, again.photo_id
        row.node_id = again.node_id
        if opened is not None:
            row.finding_id = opened.id
        elif again.reuse_finding is not None:
            row.finding_id = again.reuse_finding
        row.recorded_at, row.recorded_by = utcnow(), db.actor
        s.flush()
    with db.read() as s:
        current = next(r for r in visit_rows(s, [visit_id]) if r.item_id == again.item.id)
    return ChecklistOutcome(current, opened)


def set_item_with_photo(db: Database, store: PhotoStore, visit_id: int, item_id: str, result: str,
                        photo_file: Path | str, *, value: str | float | None = None, note: str | None = None,
                        grade: str | None = None, building: str | None = None, floor: str | None = None,
                        location: str | None = None, finding_id: int | None = None) -> ChecklistOutcome:
    """``set_item`` with a photo file: checked first (a refusal imports nothing), then the file is
    imported as a test photo of the visit, captioned with the item, and marked with it."""
    with db.read() as s:
        _check(s, visit_id, item_id, result, value, note, None, building, photo_coming=True, link=finding_id)
    photo_id = attach_photo(db, store, visit_id, item_id, photo_file)
    return set_item(db, visit_id, item_id, result, value=value, note=note, photo_id=photo_id, grade=grade,
                    building=building, floor=floor, location=location, finding_id=finding_id)


def attach_photo(db: Database, store: PhotoStore, visit_id: int, item_id: str, path: Path | str) -> int:
    """Import ``path`` as a test photo (检测/试验) of the visit captioned with the item; its id."""
    with db.read() as s:
        project = s.get(Project, resolve_visit(s, visit_id).project_id)
        assert project is not None
        item = _item(_ruleset(project), item_id)
    [result] = list(photos.import_photos(db, store, [path], visit_id=visit_id, role="test",
                                         caption=f"{item.id} {item.text}"))
    if result.photo_id is None:
        raise ValidationError("checklist.photo", "checklist.photo_rejected", name=Path(path).name,
                              reason=result.reason or "")
    return result.photo_id


def _item(rs: RuleSet, item_id: str) -> ChecklistItem:
    item = rs.checklist_item(item_id.strip().upper())
    if item is None:
        raise ValidationError("checklist.item", "checklist.unknown_item", item=item_id,
                              ruleset=f"{rs.id} {rs.version}")
    return item


def _check(s: Session, visit_id: int, item_id: str, result: str, value: str | float | None, note: str | None,
           photo_id: int | None, building: str | None, *, photo_coming: bool = False,
           link: int | None = None) -> _Checked:
    result = (result or "").strip().lower()
    if result not in RESULTS:
        raise ValidationError("checklist.result", "checklist.unknown_result", result=result, choices=list(RESULTS))
    visit = resolve_visit(s, visit_id)
    project = s.get(Project, visit.project_id)
    assert project is not None
    item = _item(_ruleset(project), item_id)
    visited = {n.code: n for n in s.execute(select(PlanNode).join(VisitNode, VisitNode.node_id == PlanNode.id)
                                            .where(VisitNode.visit_id == visit.id)
                                            .order_by(PlanNode.sort_order)).scalars()}
    node = visited.get(item.node)
    if node is None:
        raise ValidationError("checklist.item", "checklist.node_not_visited", item=item.id, node=item.node,
                              visit=visit.number, nodes=list(visited))
    existing = s.execute(select(ChecklistResult).where(ChecklistResult.visit_id == visit.id,
                                                       ChecklistResult.item_code == item.id)).scalars().first()
    kept_value = existing.value if existing is not None else None
    text_value = kept_value if value is None else str(value).strip() or None
    text_value = _check_value(item, result, text_value)
    if note is not None and len(note) > NOTE_LIMIT:
        raise ValidationError("checklist.note", "finding.text_too_long", value=len(note), limit=NOTE_LIMIT)
    kept_note = existing.note if existing is not None else None
    text_note = kept_note if note is None else note.strip() or None
    photo = photo_id if photo_id is not None else (existing.photo_id if existing is not None else None)
    if photo_id is not None:
        row = s.get(Photo, photo_id)
        if row is None or row.project_id != project.id:
            raise ValidationError("checklist.photo", "checklist.photo_not_of_project", photo=photo_id,
                                  project=project.code)
    if result == "ok" and item.photo and photo is None and not photo_coming:
        raise ValidationError("checklist.photo", "checklist.photo_required", item=item.id)
    reuse = None
    where = None
    if link is not None:
        named = s.get(Finding, link)
        if named is None or named.project_id != project.id or result != "fail":
            raise ValidationError("checklist.finding", "checklist.finding_not_linkable", finding=link, item=item.id)
        return _Checked(item, node.id, result, text_value, text_note, photo, named.id, None)
    if result == "fail":
        linked = s.get(Finding, existing.finding_id) if existing is not None and existing.finding_id else None
        if linked is not None and linked.status in dto.OPEN_STATUSES:
            reuse = linked.id
        else:
            names = [b.name for b in project.buildings]
            where = building or (names[0] if len(names) == 1 else None)
            if where is None:
                raise ValidationError("checklist.building", "checklist.building_required", item=item.id,
                                      buildings=names)
    return _Checked(item, node.id, result, text_value, text_note, photo, reuse, where)


def _check_value(item: ChecklistItem, result: str, value: str | None) -> str | None:
    """The value as stored ("20.5"); 符合 needs it, within the bounds, when the item asks for one."""
    spec = item.value
    if value is None:
        if result == "ok" and spec is not None:
            raise ValidationError("checklist.value", "checklist.value_required", item=item.id, label=spec.label)
        return None
    try:
        measured = float(unicodedata.normalize("NFKC", value))  # full-width digits from a Chinese IME
    except ValueError:
        measured = math.nan
    if not math.isfinite(measured):
        raise ValidationError("checklist.value", "checklist.value_not_number", item=item.id, value=value)
    if result == "ok" and spec is not None:
        unit = f" {spec.unit}" if spec.unit else ""
        if spec.min is not None and measured < spec.min:
            raise ValidationError("checklist.value", "checklist.value_below_min", item=item.id, label=spec.label,
                                  value=number(measured), min=number(spec.min), unit=unit)
        if spec.max is not None and measured > spec.max:
            raise ValidationError("checklist.value", "checklist.value_above_max", item=item.id, label=spec.label,
                                  value=number(measured), max=number(spec.max), unit=unit)
    return number(measured)


def _description(item: ChecklistItem, checked: _Checked) -> str:
    """What a 不符合 finding says: the item, the value measured, the inspector's note."""
    parts = [f"{item.text}（检查要点 {item.id} 不符合）"]
    if checked.value is not None and item.value is not None:
        parts.append(f"{item.value.label}：{checked.value} {item.value.unit}".rstrip())
    if checked.note:
        parts.append(checked.note)
    return "；".join(parts)
