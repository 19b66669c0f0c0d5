"""Projects the insurer registers and assigns to agencies, and what an agency may see of them.

One agency never sees another's projects: every lookup goes through ``visible_project_id``,
which answers 404 for a project that is not assigned to the caller's agency.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .canonical import canonical_sha256
from .database import Database
from .errors import ProtocolError, not_found
from .models import Agency, PlatformProject, ProjectAssignment, utcnow
from .schemas import AgencyIn, ProjectDetailIn


@dataclass(frozen=True, slots=True)
class ProjectSummary:
    uid: str
    code: str
    name: str
    version: str  # SHA-256 of the detail: a client re-downloads only when it changes
    updated_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {"uid": self.uid, "code": self.code, "name": self.name, "version": self.version,
                "updated_at": self.updated_at.isoformat(timespec="seconds") + "Z"}


def visible_project_id(s: Session, agency_id: int | None, sees_all: bool | None, uid: str) -> int:
    """The project's id if the caller may see it; 404 otherwise (not: 403, which would tell
    an agency that somebody else's project exists)."""
    query = select(PlatformProject.id).where(PlatformProject.uid == uid)
    if not sees_all:
        query = query.join(ProjectAssignment, ProjectAssignment.project_id == PlatformProject.id).where(
            ProjectAssignment.agency_id == agency_id)
    project_id = s.scalars(query).first()
    if project_id is None:
        raise not_found("project", uid)
    return project_id


def _summary(p: PlatformProject) -> ProjectSummary:
    return ProjectSummary(p.uid, p.code, p.name, p.detail_sha256, p.updated_at)


def list_projects(db: Database, agency_id: int | None, sees_all: bool) -> list[ProjectSummary]:
    query = select(PlatformProject).order_by(PlatformProject.code)
    if not sees_all:
        query = query.join(ProjectAssignment, ProjectAssignment.project_id == PlatformProject.id).where(
            ProjectAssignment.agency_id == agency_id)
    with db.read() as s:
        return [_summary(p) for p in s.scalars(query)]


def project_detail(db: Database, agency_id: int | None, sees_all: bool, uid: str) -> dict[str, Any]:
    """Project, policy, agency, parties, buildings and plan, as the insurer registered them."""
    with db.read() as s:
        project = s.get(PlatformProject, visible_project_id(s, agency_id, sees_all, uid))
        assert project is not None
        detail: dict[str, Any] = json.loads(project.detail)
        return {**_summary(project).as_json(), **detail}


def put_project(db: Database, uid: str, detail: ProjectDetailIn) -> tuple[ProjectSummary, bool]:
    """Register or replace a project's detail; True when it is new."""
    code, name = detail.project.get("code"), detail.project.get("name")
    if not (isinstance(code, str) and code and isinstance(name, str) and name):
        raise ProtocolError(422, "invalid_project", "project.code and project.name are required")
    if len(code) > 40 or len(name) > 200 or "\x00" in code + name:
        raise ProtocolError(422, "invalid_project", "project.code has at most 40 characters, project.name at most "
                            "200, neither U+0000")
    if not 1 <= len(uid) <= 64:
        raise ProtocolError(422, "invalid_project", "a project uid has 1 to 64 characters")
    body = detail.model_dump(mode="json")
    body["project"] = {**body["project"], "uid": uid}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    with db.write() as s:
        project = s.scalars(select(PlatformProject).where(PlatformProject.uid == uid)).first()
        created = project is None
        if project is None:
            project = PlatformProject(uid=uid)
            s.add(project)
        project.code, project.name, project.detail = code, name, text
        project.detail_sha256, project.updated_at = canonical_sha256(body), utcnow()
        s.flush()
        return _summary(project), created


def _ids(s: Session, uid: str, agency_code: str) -> tuple[int, int]:
    project_id = s.scalars(select(PlatformProject.id).where(PlatformProject.uid == uid)).first()
    agency_id = s.scalars(select(Agency.id).where(Agency.code == agency_code)).first()
    if project_id is None:
        raise not_found("project", uid)
    if agency_id is None:
        raise not_found("agency", agency_code)
    return project_id, agency_id


def assign_project(db: Database, uid: str, agency_code: str) -> None:
    with db.write() as s:
        project_id, agency_id = _ids(s, uid, agency_code)
        if s.get(ProjectAssignment, (project_id, agency_id)) is None:
            s.add(ProjectAssignment(project_id=project_id, agency_id=agency_id))


def unassign_project(db: Database, uid: str, agency_code: str) -> None:
    with db.write() as s:
        project_id, agency_id = _ids(s, uid, agency_code)
        s.execute(delete(ProjectAssignment).where(ProjectAssignment.project_id == project_id,
                                                  ProjectAssignment.agency_id == agency_id))


def create_agency(db: Database, agency: AgencyIn) -> bool:
    """Create the agency; False when one with this code exists (it is left as it is)."""
    with db.write() as s:
        if s.scalars(select(Agency.id).where(Agency.code == agency.code)).first() is not None:
            return False
        s.add(Agency(code=agency.code, name=agency.name, credit_code=agency.credit_code))
        return True
