"""The risk-assessment plan as the regulation reads it (Art. 17, Art. 10 para. 3): the developer's
confirmation (date, who), the key processes (重点工序), the developer's notice of each node, and
nodes waived with a reason by a named inspector of the agency (the final gate passes only when
every planned node was inspected in a visit or waived so). Every write goes through the ORM, so
the audit log records it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound, ValidationError
from ..models import Inspector, PlanNode, Visit, VisitNode
from ..models.db import Database
from ..values import dto
from .projects import clean_key_processes, node_info, node_visits, project_detail, resolve_project

REASON_LIMIT = 500  # characters of a waiver's reason


def _node(s: Session, node_id: int) -> PlanNode:
    node = s.get(PlanNode, node_id)
    if node is None:
        raise NotFound("node", node_id)
    return node


def find_node(db: Database, project_key: str | int, code: str) -> int:
    """The id of the project's node with this code (N19), for the CLI."""
    with db.read() as s:
        project = resolve_project(s, project_key)
        node_id = s.scalar(select(PlanNode.id).where(PlanNode.project_id == project.id,
                                                     PlanNode.code == code.strip().upper()))
        if node_id is None:
            raise ValidationError("node", "visit.unknown_nodes", codes=[code])
        return int(node_id)


def confirm_plan(db: Database, project_key: str | int, on: date, by: str) -> dto.ProjectDetail:
    """Record that the developer confirmed the plan on ``on`` (``by``: who signed for the developer)."""
    who = (by or "").strip()
    if not who:
        raise ValidationError("inspection_plan.confirmed_by", "value.required_not_empty")
    if len(who) > 60:
        raise ValidationError("inspection_plan.confirmed_by", "value.too_long", limit=60)
    if on > date.today():
        raise ValidationError("inspection_plan.confirmed_on", "date.in_future", day=on)
    with db.write() as s:
        project = resolve_project(s, project_key)
        project.plan_confirmed_on, project.plan_confirmed_by = on, who
        s.flush()
        return project_detail(s, project)


def set_key_processes(db: Database, project_key: str | int, lines: Sequence[str]) -> dto.ProjectDetail:
    """The plan's key processes, one per entry (an empty list clears them)."""
    cleaned = clean_key_processes(lines, "inspection_plan.key_processes")
    with db.write() as s:
        project = resolve_project(s, project_key)
        project.key_processes = "\n".join(cleaned) or None
        s.flush()
        return project_detail(s, project)


def record_notification(db: Database, node_id: int, on: date | None) -> dto.NodeInfo:
    """The day the developer notified the node (Art. 17: what the developer must notify); None clears it."""
    if on is not None and on > date.today():
        raise ValidationError("node.notified_on", "date.in_future", day=on)
    with db.write() as s:
        node = _node(s, node_id)
        node.notified_on = on
        s.flush()
        return node_info(node, node_visits(s, node.id))


def _inspected_in(s: Session, node_id: int) -> list[int]:
    """The numbers of the visits that inspected the node."""
    return list(s.execute(select(Visit.number).join(VisitNode, VisitNode.visit_id == Visit.id)
                          .where(VisitNode.node_id == node_id).order_by(Visit.number)).scalars())


def waive_node(db: Database, node_id: int, reason: str, by: str) -> dto.NodeInfo:
    """Waive a node no visit inspected, with a reason, by a named active inspector of the project's
    agency; its status becomes "waived" as of today. A node inspected in a visit cannot be waived."""
    text, who = (reason or "").strip(), (by or "").strip()
    if not text:
        raise ValidationError("node.waived_reason", "node.waive_needs_reason")
    if len(text) > REASON_LIMIT:
        raise ValidationError("node.waived_reason", "value.too_long", limit=REASON_LIMIT)
    with db.write() as s:
        node = _node(s, node_id)
        visits = _inspected_in(s, node.id)
        if visits:
            raise ValidationError("node", "node.waive_inspected", node=node.code, visits=visits)
        project = resolve_project(s, node.project_id)
        known = list(s.execute(select(Inspector.name).where(Inspector.agency_id == project.agency_id,
                                                            Inspector.active).order_by(Inspector.id)).scalars())
        if who not in known:
            raise ValidationError("node.waived_by", "node.waiver_not_inspector", name=who or "—", known=known)
        node.status, node.waived_reason, node.waived_by, node.waived_on = "waived", text, who, date.today()
        s.flush()
        return node_info(node, 0)


def unwaive_node(db: Database, node_id: int) -> dto.NodeInfo:
    """Undo a waiver: the node is planned again (reached, if it was reached); the audit log keeps the waiver."""
    with db.write() as s:
        node = _node(s, node_id)
        if node.status != "waived":
            raise ValidationError("node", "node.not_waived", node=node.code)
        node.status = "reached" if node.reached_date else "planned"
        node.waived_reason = node.waived_by = None
        node.waived_on = None
        s.flush()
        return node_info(node, node_visits(s, node.id))
