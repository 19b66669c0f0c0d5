"""The window's writes as operations: each takes the open data folder, calls the service
that does the work, and returns ``Changes`` naming what the write touched, so a view
refreshes only that (Anki's ``OpChanges``). Qt-free; the window runs them on its one
writer thread, the CLI or a test may call them directly."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..context import AppContext
from ..values.changes import Changes
from ..values.checklist import ChecklistOutcome
from ..values.document_review import DocumentReviewInfo, DocumentReviewOutcome
from ..values.dto import FindingInfo, FloorPlanInfo, PhotoImportResult, PhotoInfo, VisitInfo
from . import (
    checklists,
    document_reviews,
    findings,
    inspection_plan,
    markup,
    photo_matching,
    photos,
    plans,
    projects,
    undo,
    visits,
)

Progress = Callable[[int, int, str], None]


def finding_changed(ctx: AppContext, *rows: FindingInfo, serious_may_change: bool = False,
                    photos_of: Iterable[int] = ()) -> Changes:
    """The rows a write returned, with the gate read again: beside serious defects it lists pending
    evidence and behaviour risks, so any finding's write can move it (a few indexed reads).
    ``serious_may_change`` is kept for callers that say so; the gate is read either way."""
    del serious_may_change
    gate = findings.final_gate(ctx.db, rows[0].project_id) if rows else None
    return Changes(findings=rows, photos_of=tuple(photos_of), gate=gate)


def _refetch(ctx: AppContext, finding_id: int | None, *, photos_of: bool = False) -> Changes:
    if finding_id is None:
        return Changes()
    row = findings.get_finding(ctx.db, finding_id)
    return finding_changed(ctx, row, photos_of=(finding_id,) if photos_of else ())


# -- findings ------------------------------------------------------------------------------------
def record_finding(ctx: AppContext, visit_id: int, **fields: Any) -> Changes:
    """A new finding; its visit's count changes too."""
    row = findings.record_finding(ctx.db, visit_id, **fields)
    changed = finding_changed(ctx, row)
    return changed | Changes(visits=(visits.get_visit(ctx.db, visit_id),))


def record_finding_on_plan(ctx: AppContext, visit_id: int, plan_id: int, x: float, y: float,
                           **fields: Any) -> Changes:
    """A new finding recorded from a floor plan, pinned where the inspector clicked."""
    row = plans.record_on_plan(ctx.db, visit_id, plan_id, x, y, **fields)
    return finding_changed(ctx, row) | Changes(visits=(visits.get_visit(ctx.db, visit_id),))


def edit_finding(ctx: AppContext, stack: undo.UndoStack, finding_id: int, *, reason: str | None = None,
                 **fields: Any) -> Changes:
    """Any field of one finding (services.finding_edits), undoable; ``reason`` for a grade or serious change."""
    row: FindingInfo = undo.edit_finding_undoable(stack, ctx.db, finding_id, reason=reason, **fields)
    return finding_changed(ctx, row, serious_may_change=True)


def undo_step(ctx: AppContext, stack: undo.UndoStack) -> tuple[str | None, Changes]:
    """Undo the last command; returns its label (None when there was nothing) and the changes."""
    cmd = stack.undo()
    return (None, Changes()) if cmd is None else (cmd.label, _refetch(ctx, cmd.finding_id, photos_of=True))


def redo_step(ctx: AppContext, stack: undo.UndoStack) -> tuple[str | None, Changes]:
    cmd = stack.redo()
    return (None, Changes()) if cmd is None else (cmd.label, _refetch(ctx, cmd.finding_id, photos_of=True))


def reply(ctx: AppContext, finding_id: int, text: str, *, replied_on: date | None = None,
          party: str | None = None) -> Changes:
    return finding_changed(ctx, findings.reply_rectification(ctx.db, finding_id, text, replied_on=replied_on,
                                                             party=party))


def verify(ctx: AppContext, finding_id: int, result: str, *, verified_on: date | None = None,
           inspector: str | None = None, visit_id: int | None = None, notes: str | None = None,
           grade_now: str | None = None, reuse_reason: str | None = None) -> Changes:
    """The re-check; a new grade may make a finding serious or not."""
    row = findings.verify_rectification(ctx.db, finding_id, result, verified_on=verified_on, inspector=inspector,
                                        visit_id=visit_id, notes=notes, grade_now=grade_now,
                                        reuse_reason=reuse_reason)
    return finding_changed(ctx, row, serious_may_change=grade_now is not None)


def close(ctx: AppContext, finding_id: int, reason: str) -> Changes:
    return finding_changed(ctx, findings.close_finding(ctx.db, finding_id, reason))


def reopen(ctx: AppContext, finding_id: int, reason: str, *, deadline: date | None = None) -> Changes:
    """Back to open with a new rectification deadline (services.findings.reopen_finding)."""
    return finding_changed(ctx, findings.reopen_finding(ctx.db, finding_id, reason, deadline=deadline))


def change_grade(ctx: AppContext, finding_id: int, grade: str, reason: str) -> Changes:
    return finding_changed(ctx, findings.change_grade(ctx.db, finding_id, grade, reason), serious_may_change=True)


def set_serious(ctx: AppContext, finding_id: int, serious: bool | None, reason: str) -> Changes:
    return finding_changed(ctx, findings.set_serious(ctx.db, finding_id, serious, reason), serious_may_change=True)


# -- visits and the plan ---------------------------------------------------------------------------
def start_visit(ctx: AppContext, project_id: int, started_at: datetime, **fields: Any) -> Changes:
    """A new visit; the nodes it covers change status, so the plan is read again."""
    visit = visits.start_visit(ctx.db, project_id, started_at, **fields)
    return Changes(visits=(visit,), plan=True, detail=projects.get_project(ctx.db, project_id),
                   gate=findings.final_gate(ctx.db, project_id))


def update_node(ctx: AppContext, project_id: int, node_id: int, *, planned_date: date | None = None,
                reached_date: date | None = None, status: str | None = None) -> Changes:
    projects.update_node(ctx.db, node_id, planned_date=planned_date, reached_date=reached_date, status=status)
    return Changes(plan=True, detail=projects.get_project(ctx.db, project_id),
                   gate=findings.final_gate(ctx.db, project_id))


def waive_node(ctx: AppContext, project_id: int, node_id: int, reason: str, by: str) -> Changes:
    """A node no visit inspected, waived with a reason by an inspector: the plan and the gate move."""
    inspection_plan.waive_node(ctx.db, node_id, reason, by)
    return Changes(plan=True, detail=projects.get_project(ctx.db, project_id),
                   gate=findings.final_gate(ctx.db, project_id))


def unwaive_node(ctx: AppContext, project_id: int, node_id: int) -> Changes:
    inspection_plan.unwaive_node(ctx.db, node_id)
    return Changes(plan=True, detail=projects.get_project(ctx.db, project_id),
                   gate=findings.final_gate(ctx.db, project_id))


def record_notification(ctx: AppContext, project_id: int, node_id: int, on: date | None) -> Changes:
    """The developer's notice of a node (Art. 17)."""
    inspection_plan.record_notification(ctx.db, node_id, on)
    return Changes(plan=True, detail=projects.get_project(ctx.db, project_id))


def confirm_plan(ctx: AppContext, project_id: int, on: date, by: str) -> Changes:
    """The developer's confirmation of the plan: a warning of the project goes."""
    return Changes(project=True, detail=inspection_plan.confirm_plan(ctx.db, project_id, on, by))


def carried_forward(ctx: AppContext, visit: VisitInfo) -> list[FindingInfo]:
    """The open findings of earlier visits a new visit must follow up (a read)."""
    return findings.carried_forward(ctx.db, visit.id)


# -- photos, markup and floor plans ---------------------------------------------------------------
def import_photos(ctx: AppContext, files: Sequence[Path | str], *, finding_id: int | None = None,
                  visit_id: int | None = None, role: str = "general", progress: Progress | None = None,
                  cancel: Callable[[], bool] | None = None) -> tuple[list[PhotoImportResult], Changes]:
    """Import files onto a finding (or a visit); ``progress(done, total, file name)``."""
    def step(done: int, total: int, r: PhotoImportResult) -> None:
        if progress is not None:
            progress(done, total, Path(r.path).name)

    results = list(photos.import_photos(ctx.db, ctx.store, files, finding_id=finding_id, visit_id=visit_id,
                                        role=role, cancel=cancel, progress=step))
    return results, _refetch(ctx, finding_id, photos_of=True)


def remove_photo(ctx: AppContext, stack: undo.UndoStack, photo_id: int) -> tuple[photos.RemovedPhoto, Changes]:
    """Remove a photo from its finding or visit (audited; refused while an issued or in-review report or
    a check item stands on it), recorded on the undo stack as a step that cannot be undone. The
    finding's row (its photo count) and the gate are read again; a visit photo changes no row."""
    gone = undo.remove_photo_recorded(stack, ctx.db, ctx.store, photo_id)
    return gone, _refetch(ctx, gone.photo.finding_id, photos_of=True)


def set_markup(ctx: AppContext, stack: undo.UndoStack, photo_id: int,
               shapes: list[dict[str, Any]]) -> tuple[PhotoInfo, Changes]:
    info: PhotoInfo = undo.set_markup_undoable(stack, ctx.db, photo_id, shapes)
    return info, Changes(photos_of=(info.finding_id,) if info.finding_id else ())


def markup_step(ctx: AppContext, stack: undo.UndoStack, photo_id: int,
                redo: bool = False) -> tuple[str | None, PhotoInfo, Changes]:
    """Undo (or redo) from the markup dialog; returns the photo as it now is."""
    label, changed = (redo_step if redo else undo_step)(ctx, stack)
    return label, markup.get_photo(ctx.db, photo_id), changed


def assign_photos(ctx: AppContext, batches: list[tuple[list[int], int]]) -> tuple[int, Changes]:
    """Visit photos to findings, batch by batch; returns how many moved."""
    moved = sum(photo_matching.assign_photos(ctx.db, photo_ids, finding_id) for photo_ids, finding_id in batches)
    ids = tuple(dict.fromkeys(finding_id for _, finding_id in batches))
    return moved, finding_changed(ctx, *(findings.get_finding(ctx.db, i) for i in ids), photos_of=ids)


def place_pin(ctx: AppContext, finding_id: int, plan_id: int | None, x: float = 0.0, y: float = 0.0) -> Changes:
    return Changes(findings=(plans.pin_finding(ctx.db, finding_id, plan_id, x, y),))


def import_plan(ctx: AppContext, project_id: int, building: str, floor: str, path: Path | str, *,
                page: int = 1) -> FloorPlanInfo:
    info = plans.import_plan(ctx.db, ctx.store, project_id, building, floor, path, page=page)
    ctx.store.rendition_path(info.sha256, 3000)  # made here, off the GUI thread
    return info


# -- node checklists -------------------------------------------------------------------------------
def set_checklist_item(ctx: AppContext, visit_id: int, item_id: str, result: str, *,
                       photo_file: Path | str | None = None, **fields: Any) -> tuple[ChecklistOutcome, Changes]:
    """Mark one check item (符合 / 不符合 / 不适用); a 不符合 that opens a finding changes the findings,
    the gate and the visit's count too. ``photo_file`` is imported as a test photo of the visit."""
    if photo_file is not None:
        outcome = checklists.set_item_with_photo(ctx.db, ctx.store, visit_id, item_id, result, photo_file, **fields)
    else:
        outcome = checklists.set_item(ctx.db, visit_id, item_id, result, **fields)
    if outcome.opened is None:
        return outcome, Changes()
    changed = finding_changed(ctx, outcome.opened)
    return outcome, changed | Changes(visits=(visits.get_visit(ctx.db, visit_id),))


# -- documents and tests reviewed (资料核查) ---------------------------------------------------------
def record_document_review(ctx: AppContext, visit_id: int, name: str, result: str,
                           **fields: Any) -> tuple[DocumentReviewOutcome, Changes]:
    """A document or test report reviewed on the visit; a failure that opens a finding changes the
    findings, the gate and the visit's count too."""
    outcome = document_reviews.record_document_review(ctx.db, visit_id, name, result, **fields)
    if outcome.opened is None:
        return outcome, Changes()
    return outcome, finding_changed(ctx, outcome.opened) | Changes(visits=(visits.get_visit(ctx.db, visit_id),))


def remove_document_review(ctx: AppContext, review_id: int) -> DocumentReviewInfo:
    """Remove a review recorded by mistake; its finding stays, so no view but the list changes."""
    return document_reviews.remove_document_review(ctx.db, review_id)
