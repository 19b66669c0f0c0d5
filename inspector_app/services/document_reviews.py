"""Documents and test reports reviewed on a visit (资料核查): the inspector records what was seen
(钢筋原材复试报告, 闭水试验记录 ...), its number or date, and the result: 符合 (ok), 不符合 (fail)
or 缺失 (missing).

A failure stands behind a finding: either one of the project already written up (``finding_id``),
or a new one opened through ``findings.record_in`` in the same write transaction, so the review and
its finding are written together or not at all. A missing document defaults to grade E (a
quality-behaviour risk: the procedure was not followed), a failed test to C, unless the inspector
grades it. Removing a review never deletes its finding. The ORM writes every change to the audit
log. Qt-free."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound, ValidationError
from ..models import DocumentReview, Finding, Project, Visit
from ..models.db import Database
from ..values import dto
from ..values.document_review import (
    FAILED,
    KINDS,
    RESULTS,
    DocumentReviewInfo,
    DocumentReviewOutcome,
)
from ..values.report import DocumentReviewRef
from . import findings
from .projects import resolve_project
from .visits import resolve_visit

LIMITS = {"name": 200, "reference": 100, "note": 2000}
MISSING_GRADE = "E"  # a document not produced: statutory procedure or quality management not followed
FAILED_TEST_GRADE = "C"  # a test that does not conform: a moderate technical risk until re-tested


def default_grade(kind: str, result: str) -> str:
    """The grade a failure opens its finding with when the inspector gives none."""
    return FAILED_TEST_GRADE if (kind, result) == ("test", "fail") else MISSING_GRADE


# -- reading ---------------------------------------------------------------------------------------
def list_document_reviews(db: Database, visit_id: int) -> list[DocumentReviewInfo]:
    """The documents and tests reviewed on one visit, in the order recorded."""
    with db.read() as s:
        resolve_visit(s, visit_id)
        return visit_reviews(s, [visit_id])


def project_document_reviews(db: Database, project_key: str | int) -> list[DocumentReviewInfo]:
    """Every review of a project, by visit number, then in the order recorded."""
    with db.read() as s:
        project = resolve_project(s, project_key)
        ids = s.execute(select(Visit.id).where(Visit.project_id == project.id)).scalars().all()
        return visit_reviews(s, ids)


def visit_reviews(s: Session, visit_ids: Iterable[int]) -> list[DocumentReviewInfo]:
    """The reviews of some visits, in the caller's transaction: by visit number, then as recorded."""
    ids = list(visit_ids)
    if not ids:
        return []
    rows = s.execute(select(DocumentReview, Visit).join(Visit, Visit.id == DocumentReview.visit_id)
                     .where(DocumentReview.visit_id.in_(ids))
                     .order_by(Visit.number, DocumentReview.id)).all()
    linked = {r.finding_id for r, _ in rows if r.finding_id is not None}
    found = {f.id: (f.number, f.status) for f in s.execute(select(Finding).where(Finding.id.in_(linked))).scalars()}
    return [_info(r, v, found) for r, v in rows]


def report_refs(s: Session, visit_ids: Iterable[int]) -> list[DocumentReviewRef]:
    """The reviews of the visits a report covers, as the report shows them (``ReportData.document_reviews``)."""
    return [DocumentReviewRef(r.visit_number, r.day, r.name, r.reference or "", r.kind, r.result, r.note or "",
                              r.finding_label or "") for r in visit_reviews(s, visit_ids)]


def _info(r: DocumentReview, v: Visit, found: dict[int, tuple[int, str]]) -> DocumentReviewInfo:
    finding = found.get(r.finding_id) if r.finding_id is not None else None
    return DocumentReviewInfo(
        id=r.id, visit_id=v.id, visit_number=v.number, day=v.started_at.date(), name=r.name, reference=r.reference,
        kind=r.kind, result=r.result, note=r.note, finding_id=r.finding_id,
        finding_label=dto.finding_label(finding[0]) if finding else None,
        finding_status=finding[1] if finding else None, recorded_at=r.recorded_at, recorded_by=r.recorded_by)


def _one(s: Session, review_id: int) -> DocumentReviewInfo:
    r = s.get(DocumentReview, review_id)
    if r is None:
        raise NotFound("document_review", review_id)
    return next(i for i in visit_reviews(s, [r.visit_id]) if i.id == r.id)


# -- recording -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Checked:
    """A review that passed every check: what will be written."""

    visit: Visit
    name: str
    reference: str | None
    kind: str
    result: str
    note: str | None
    link: int | None  # the finding of the project a failure is linked to
    building: str | None  # where a new finding sits (a failure not linked)


def record_document_review(db: Database, visit_id: int, name: str, result: str, *, kind: str = "document",
                           reference: str | None = None, note: str | None = None, finding_id: int | None = None,
                           grade: str | None = None, building: str | None = None, coverage: str | None = None,
                           division: str | None = None, subdivision: str | None = None, floor: str | None = None,
                           location: str | None = None, tag_reason: str | None = None) -> DocumentReviewOutcome:
    """Record a document or test report reviewed on the visit.

    ``name`` is required (at most 200 characters); ``kind`` is document or test; ``result`` ok,
    fail or missing. A failure links ``finding_id`` (a finding of the same project), else opens a
    finding in ``building`` (needed when the project has more than one) tagged ``coverage`` and
    ``division`` (both needed), graded ``grade`` or else E for a missing document or C for a
    failed test, in the same transaction as the review. 符合 takes no finding."""
    with db.write() as s:  # the review and the finding it opens are written together, or neither
        checked = _check(s, visit_id, name, result, kind, reference, note, finding_id, building, coverage, division)
        opened = None
        if checked.result in FAILED and checked.link is None:
            assert checked.building is not None and coverage and division
            opened = findings.record_in(
                s, db.actor, checked.visit.id, building=checked.building, coverage=coverage, division=division,
                subdivision=subdivision, grade=grade or default_grade(checked.kind, checked.result),
                description=_description(checked), floor=floor, location=location, tag_reason=tag_reason)
        row = DocumentReview(visit_id=checked.visit.id, name=checked.name, reference=checked.reference,
                             kind=checked.kind, result=checked.result, note=checked.note,
                             finding_id=opened.id if opened is not None else checked.link, recorded_by=db.actor)
        s.add(row)
        s.flush()
        return DocumentReviewOutcome(_one(s, row.id), opened)


def remove_document_review(db: Database, review_id: int) -> DocumentReviewInfo:
    """Remove a review recorded by mistake (the audit log keeps it); the finding it stood behind stays."""
    with db.write() as s:
        info = _one(s, review_id)
        row = s.get(DocumentReview, review_id)
        s.delete(row)
        s.flush()
        return info


def _text(field: str, value: str | None) -> str | None:
    text = " ".join(value.split()) if field != "note" and value else (value or "").strip()
    if len(text) > LIMITS[field]:
        raise ValidationError(f"document_review.{field}", "finding.text_too_long", value=len(text),
                              limit=LIMITS[field])
    return text or None


def _check(s: Session, visit_id: int, name: str, result: str, kind: str, reference: str | None,
           note: str | None, link: int | None, building: str | None, coverage: str | None,
           division: str | None) -> _Checked:
    clean_name = _text("name", name)
    if clean_name is None:
        raise ValidationError("document_review.name", "value.required_not_empty")
    result = (result or "").strip().lower()
    if result not in RESULTS:
        raise ValidationError("document_review.result", "document_review.unknown_result", result=result,
                              choices=list(RESULTS))
    kind = (kind or "").strip().lower()
    if kind not in KINDS:
        raise ValidationError("document_review.kind", "document_review.unknown_kind", kind=kind, choices=list(KINDS))
    visit = resolve_visit(s, visit_id)
    project = s.get(Project, visit.project_id)
    assert project is not None
    where = None
    if link is not None:
        named = s.get(Finding, link)
        if named is None or named.project_id != project.id:
            raise ValidationError("document_review.finding", "document_review.finding_other_project",
                                  finding=link, project=project.code)
        if result not in FAILED:
            raise ValidationError("document_review.finding", "document_review.finding_needs_failure",
                                  finding=dto.finding_label(named.number), doc_result=result)
    elif result in FAILED:
        names = [b.name for b in project.buildings]
        where = building or (names[0] if len(names) == 1 else None)
        if where is None:
            raise ValidationError("document_review.building", "document_review.building_required",
                                  name=clean_name, doc_result=result, buildings=names)
        for field, value in (("coverage", coverage), ("division", division)):
            if not (value and value.strip()):
                raise ValidationError(f"document_review.{field}", "document_review.tags_required",
                                      name=clean_name, doc_result=result)
    return _Checked(visit, clean_name, _text("reference", reference), kind, result, _text("note", note), link, where)


def _description(c: _Checked) -> str:
    """What a failure's finding says: the document, its number, the result, the inspector's note."""
    what = {"missing": "未提供", "fail": "结论不符合要求"}[c.result]
    ref = f"（{c.reference}）" if c.reference else ""
    parts = [f"资料核查：{c.name}{ref}{what}"]
    if c.note:
        parts.append(c.note)
    return "；".join(parts)
