"""A project's life on this laptop: the demo marked, archive and unarchive, delete.

Archive keeps every row and file and only hides the project from the list (and from the
window's project list); it is undone by unarchive. Delete is for what was never anyone else's
business: the demo, and a project that was never synced and never issued a report. Its rows
are deleted through the ORM, so the audit log records each deletion and its hash chain stays
whole (the log is append-only: it keeps what the rows held and when they were deleted, which is
what ``verify`` checks); its team-sync identities, outbox and number blocks go with it; photo
originals, thumbnails and report PDFs are removed only when no other project uses the same file.
A project that reached the platform (delivered outbox item, team sync, reserved numbers) or has a
report submitted or issued can only be archived: the platform and the documents still name it (and
the database's triggers keep reports, drafts and approvals undeletable, the demo's excepted)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import (
    Base,
    Building,
    ChecklistResult,
    DocumentReview,
    Finding,
    FindingEvent,
    FloorPlan,
    IssuedReport,
    NumberBlock,
    OutboxItem,
    Photo,
    PlanNode,
    Policy,
    PolicyCoverage,
    PolicyInsurer,
    Project,
    ProjectDeletion,
    ProjectParty,
    RectificationReply,
    ReportApproval,
    ReportDraft,
    SyncConflict,
    SyncCursor,
    SyncIdentity,
    SyncPending,
    Verification,
    Visit,
    VisitAttendee,
    VisitInspector,
    VisitNode,
    VisitProgress,
)
from ..models.base import utcnow
from ..models.db import Database
from ..models.sync import SYNCED_TABLES
from ..photos import PhotoStore
from ..values import dto
from .projects import list_projects, resolve_project


@dataclass(frozen=True)
class Deleted:
    """What a delete removed: the project, its rows (each recorded as deleted in the audit log) and
    the files no other project used."""

    code: str
    name: str
    rows: int
    files: int


def mark_demo(db: Database, key: str | int) -> None:
    """Mark the project as the demo (services/demo.py does, once it made it)."""
    with db.write() as s:
        resolve_project(s, key).is_demo = True


def summary(db: Database, key: str | int) -> dto.ProjectSummary:
    """The project's line of the list, archived or not."""
    with db.read() as s:
        pid = resolve_project(s, key).id
    return next(p for p in list_projects(db, include_archived=True) if p.id == pid)


def archive_project(db: Database, key: str | int) -> dto.ProjectSummary:
    """Hide the project from the list; every row and file is kept (unarchive shows it again)."""
    with db.write() as s:
        project = resolve_project(s, key)
        if project.archived_at is not None:
            raise ValidationError("project", "project.already_archived", code=project.code,
                                  on=project.archived_at.date())
        project.archived_at = utcnow()
        pid = project.id
    return summary(db, pid)


def unarchive_project(db: Database, key: str | int) -> dto.ProjectSummary:
    with db.write() as s:
        project = resolve_project(s, key)
        if project.archived_at is None:
            raise ValidationError("project", "project.not_archived", code=project.code)
        project.archived_at = None
        pid = project.id
    return summary(db, pid)


def delete_refusal(s: Session, project: Project) -> ValidationError | None:
    """Why the project cannot be deleted (only archived), or None. The demo always can be."""
    if project.is_demo:
        return None
    delivered = s.scalar(select(func.count()).select_from(OutboxItem).where(
        OutboxItem.project_id == project.id, OutboxItem.status == "delivered")) or 0
    cursor = s.get(SyncCursor, project.id)
    blocks = s.scalar(select(func.count()).select_from(NumberBlock).where(NumberBlock.project_id == project.id)) or 0
    if delivered or blocks or (cursor is not None and cursor.synced_at is not None):
        return ValidationError("project", "project.delete_synced", code=project.code)
    reports = sum(s.scalar(select(func.count()).select_from(cls).where(cls.project_id == project.id)) or 0
                  for cls in (IssuedReport, ReportDraft))
    if reports:  # frozen in the database too (triggers): only the demo's may go
        return ValidationError("project", "project.delete_reports", code=project.code, count=reports)
    return None


def can_delete(db: Database, key: str | int) -> ValidationError | None:
    """None when the project may be deleted, else the refusal saying why not (the UI shows it in
    its language, from the refusal's key)."""
    with db.read() as s:
        return delete_refusal(s, resolve_project(s, key))


def delete_project(db: Database, store: PhotoStore, key: str | int, confirm: str) -> Deleted:
    """Delete the project when ``confirm`` is its code typed in full (see the module's note for what
    may be deleted). Rows go in one transaction; then files no other project uses."""
    with db.write() as s:
        project = resolve_project(s, key)
        if confirm.strip() != project.code:
            raise ValidationError("project.confirm_code", "project.delete_confirm_mismatch", code=project.code,
                                  typed=confirm.strip())
        refusal = delete_refusal(s, project)
        if refusal is not None:
            raise refusal
        code, name = project.code, project.name
        shas, pdfs = _files_of(s, project.id)
        rows = _delete_rows(s, project)
    files = _remove_unused_files(db, store, shas, pdfs)
    return Deleted(code, name, rows, files)


def _files_of(s: Session, pid: int) -> tuple[set[str], set[str]]:
    shas = set(s.execute(select(Photo.sha256).where(Photo.project_id == pid)).scalars())
    shas |= set(s.execute(select(FloorPlan.sha256).where(FloorPlan.project_id == pid)).scalars())
    pdfs = set(s.execute(select(IssuedReport.pdf_sha256).where(IssuedReport.project_id == pid)).scalars())
    pdfs |= set(s.execute(select(ReportDraft.pdf_sha256).where(ReportDraft.project_id == pid)).scalars())
    return shas, pdfs


def _plan(project: Project) -> list[tuple[type[Base], Any]]:
    """Every audited table of the project, each after the rows that refer to it."""
    pid = project.id
    visits = select(Visit.id).where(Visit.project_id == pid)
    findings = select(Finding.id).where(Finding.project_id == pid)
    drafts = select(ReportDraft.id).where(ReportDraft.project_id == pid)
    policy = select(Policy.id).where(Policy.project_id == pid)
    return [
        (ReportApproval, ReportApproval.draft_id.in_(drafts)), (ReportDraft, ReportDraft.project_id == pid),
        (IssuedReport, IssuedReport.project_id == pid),
        (DocumentReview, DocumentReview.visit_id.in_(visits)), (ChecklistResult, ChecklistResult.visit_id.in_(visits)),
        (Photo, Photo.project_id == pid), (Verification, Verification.finding_id.in_(findings)),
        (RectificationReply, RectificationReply.finding_id.in_(findings)),
        (FindingEvent, FindingEvent.finding_id.in_(findings)), (Finding, Finding.project_id == pid),
        (FloorPlan, FloorPlan.project_id == pid), (VisitProgress, VisitProgress.visit_id.in_(visits)),
        (VisitAttendee, VisitAttendee.visit_id.in_(visits)), (VisitInspector, VisitInspector.visit_id.in_(visits)),
        (VisitNode, VisitNode.visit_id.in_(visits)), (Visit, Visit.project_id == pid),
        (SyncConflict, SyncConflict.project_id == pid), (PlanNode, PlanNode.project_id == pid),
        (Building, Building.project_id == pid), (ProjectParty, ProjectParty.project_id == pid),
        (PolicyCoverage, PolicyCoverage.policy_id.in_(policy)), (PolicyInsurer, PolicyInsurer.policy_id.in_(policy)),
        (Policy, Policy.project_id == pid),
    ]


def _delete_rows(s: Session, project: Project) -> int:
    s.add(ProjectDeletion(project_id=project.id))  # gone again before the commit: see its model
    s.flush()
    count = 0
    gone: set[tuple[str, int]] = set()
    for cls, where in _plan(project):
        table = cls.__tablename__
        rows = list(s.execute(select(cls).where(where).order_by(cls.id.desc())).scalars())  # type: ignore[attr-defined]
        for row in rows:
            s.delete(row)
            gone.add((table, row.id))  # type: ignore[attr-defined]
            if cls is IssuedReport:  # a revision names the one it replaces: newest first, one at a time
                s.flush()
        s.flush()
        count += len(rows)
    pid = project.id
    for table in (OutboxItem, SyncCursor, NumberBlock, SyncPending):  # bookkeeping, not audited
        s.execute(delete(table).where(table.project_id == pid))
    for table_name in SYNCED_TABLES:
        ids = [row_id for t, row_id in gone if t == table_name]
        for start in range(0, len(ids), 500):
            s.execute(delete(SyncIdentity).where(SyncIdentity.table_name == table_name,
                                                 SyncIdentity.row_id.in_(ids[start:start + 500])))
    s.delete(project)
    s.execute(delete(ProjectDeletion).where(ProjectDeletion.project_id == pid))
    s.flush()
    return count + 1


def _remove_unused_files(db: Database, store: PhotoStore, shas: set[str], pdfs: set[str]) -> int:
    """Originals, their cached thumbnails and renditions, and report PDFs that no row names any more."""
    with db.read() as s:
        used = set(s.execute(select(Photo.sha256).where(Photo.sha256.in_(shas))).scalars())
        used |= set(s.execute(select(FloorPlan.sha256).where(FloorPlan.sha256.in_(shas))).scalars())
        kept_pdfs = set(s.execute(select(IssuedReport.pdf_sha256).where(or_(IssuedReport.pdf_sha256.in_(pdfs)))).scalars())
        kept_pdfs |= set(s.execute(select(ReportDraft.pdf_sha256).where(ReportDraft.pdf_sha256.in_(pdfs))).scalars())
    removed = 0
    for sha in sorted(shas - used):
        paths = [store.original_path(sha), store.cached_thumbnail(sha)]
        paths += list((store.cache_root / "renditions" / sha[:2]).glob(f"{sha}-*.jpg"))
        removed += _unlink(p for p in paths if p is not None)
    reports = store.originals_root.parent / "reports"
    for sha in sorted(pdfs - kept_pdfs):
        removed += _unlink([reports / sha[:2] / f"{sha}.pdf"])
    return removed


def _unlink(paths: Any) -> int:
    count = 0
    for path in paths:
        try:
            Path(path).unlink()
            count += 1
        except FileNotFoundError:
            continue
    return count
