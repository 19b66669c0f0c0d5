"""The review chain before a report is issued: 编制 (submit), 审核 (review), 批准 (approve), 签发 (issue).

``submit_report`` freezes a numbered draft: the report's snapshot as of its scope and its PDF,
watermarked 草稿, prepared by the current person (a member of the agency's staff, never the
operating-system login). Two other members of staff then review and approve it (the approver a
项目负责人 or 技术负责人); either may send it back with a comment. ``issue_draft`` issues only an
approved draft, rendering the same snapshot with the sign-off block filled from the approvals.
A scope has one report in force: a second one is a revision that names what it replaces and why.
Every row is audited (models.auditing) and the issued report is queued for the insurer (outbox).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..errors import NotFound, RuleViolation, ValidationError
from ..models import Inspector, IssuedReport, Project, ReportApproval, ReportDraft
from ..models.org import STAFF_ROLES
from ..values.report import ReportData, SignOff
from . import issuing
from .projects import resolve_project

if TYPE_CHECKING:
    from ..context import AppContext

LIVE = ("submitted", "reviewed", "approved")
APPROVER_ROLES = ("lead", "technical")  # 批准: the project lead or the technical lead
STEP_NAMES = {"prepare": "编制", "review": "审核", "approve": "批准", "reject": "退回"}
STATUS_NAMES = {"submitted": "待审核", "reviewed": "待批准", "approved": "待签发", "rejected": "已退回",
                "issued": "已签发"}


@dataclass(frozen=True, slots=True)
class ApprovalInfo:
    step: str  # review | approve | reject
    by: str
    role: str
    certificate_no: str | None
    on: date
    comment: str | None
    gate_confirmed: bool


@dataclass(frozen=True, slots=True)
class DraftInfo:
    id: int
    project_id: int
    kind: str
    number: str
    revision: int
    attempt: int
    scope: dict[str, Any]
    status: str
    prepared_by: str
    prepared_at: datetime
    gate_passed: bool | None
    pdf_sha256: str
    pages: int
    replaces: str | None
    reason: str | None
    approvals: list[ApprovalInfo] = field(default_factory=list)
    issued_report_id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.number} 第{self.revision}版"

    @property
    def next_step(self) -> str | None:
        """What the chain waits for: review, approve, issue, or nothing (rejected or issued)."""
        return {"submitted": "review", "reviewed": "approve", "approved": "issue"}.get(self.status)


def _draft_info(s: Any, d: ReportDraft) -> DraftInfo:
    rows = s.execute(select(ReportApproval).where(ReportApproval.draft_id == d.id)
                     .order_by(ReportApproval.id)).scalars()
    approvals = [ApprovalInfo(a.step, a.by_name, a.role, a.certificate_no, a.on, a.comment, a.gate_confirmed)
                 for a in rows]
    replaced = s.get(IssuedReport, d.replaces_id) if d.replaces_id else None
    return DraftInfo(d.id, d.project_id, d.kind, d.number, d.revision, d.attempt, json.loads(d.scope), d.status,
                     d.prepared_by, d.prepared_at, d.gate_passed, d.pdf_sha256, d.pages,
                     f"{replaced.number} 第{replaced.revision}版" if replaced else None, d.reason, approvals,
                     d.issued_report_id)


def _staff(s: Any, project: Project, name: str | None, field_name: str) -> Inspector:
    """An active member of the project's agency, by name; refused naming who and why otherwise."""
    person = None
    if name and project.agency_id is not None:
        person = s.execute(select(Inspector).where(Inspector.agency_id == project.agency_id,
                                                   Inspector.name == name.strip(), Inspector.active)).scalars().first()
    if person is None:
        staff = s.execute(select(Inspector.name).where(Inspector.agency_id == project.agency_id,
                                                       Inspector.active).order_by(Inspector.id)).scalars()
        raise ValidationError(field_name, "report.not_staff", person=name or "（未设置）", staff="、".join(staff))
    assert isinstance(person, Inspector)
    return person


def _signoff(step: str, person: Inspector, on: date, comment: str | None = None) -> SignOff:
    return SignOff(step, person.name, STAFF_ROLES.get(person.role, person.role), person.certificate_no, on,
                   comment or "")


def scope_key(kind: str, scope: dict[str, Any]) -> str:
    if kind == "final":
        return "final"
    if scope.get("visit_id") is not None:
        return f"{kind}:visit:{scope['visit_id']}"
    return f"{kind}:period:{scope.get('from')}..{scope.get('to')}"


def submit_report(ctx: AppContext, kind: str, project_key: str | int, *, visit_id: int | None = None,
                  date_from: date | None = None, date_to: date | None = None, replaces: str | None = None,
                  reason: str | None = None, on: date | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  cancel: Callable[[], bool] | None = None) -> DraftInfo:
    """编制: freeze a numbered draft (snapshot and watermarked PDF) prepared by the current person."""
    if kind not in ("process", "final", "notice"):
        raise ValidationError("report.kind", "report.unknown_kind", kind=kind, choices="process, final, notice")
    scope = issuing.scope_of(visit_id if kind != "final" else None, date_from if kind == "process" else None,
                             date_to if kind == "process" else None)
    key = scope_key(kind, scope)
    day = on or date.today()
    number = ""
    for _attempt in range(issuing.NUMBER_ATTEMPTS):
        with ctx.db.read() as s:
            project = resolve_project(s, project_key)
            preparer = _signoff("prepare", _staff(s, project, ctx.db.actor, "report.preparer"), day)
            pending = s.execute(select(ReportDraft).where(ReportDraft.project_id == project.id,
                                                          ReportDraft.scope_key == key,
                                                          ReportDraft.status.in_(LIVE))).scalars().first()
            if pending is not None:
                raise RuleViolation("report.draft_pending", number=pending.number, status=STATUS_NAMES[pending.status])
            previous = issuing.revision_base(s, project.id, kind, replaces, reason)
            in_force = issuing.current_issue(s, project.id, kind, scope)
            if previous is None and in_force is not None:
                raise RuleViolation("report.already_issued", number=in_force.number, revision=in_force.revision)
            number, revision, attempt = _numbering(s, project, kind, key, previous)
            project_id, previous_id = project.id, previous.id if previous else None
            replaced = f"{previous.number} 第{previous.revision}版" if previous else ""
        label = number if revision == 1 else f"{number} 第{revision}版"
        data = issuing.gather(ctx, kind, project_id, visit_id=scope["visit_id"], date_from=date_from if kind == "process"
                              else None, date_to=date_to if kind == "process" else None, report_no=label)
        data = replace(data, draft=True, signoff=[preparer], replaces=replaced,
                       revision_reason=(reason or "").strip() if previous else "")
        made, created = issuing.keep_pdf(ctx, kind, data, pdfa=False, progress=progress, cancel=cancel)
        snapshot = data.to_json()
        try:
            with ctx.db.write() as s:  # checked again where the number is taken: another process may have submitted
                if s.execute(select(ReportDraft.id).where(ReportDraft.project_id == project_id,
                                                          ReportDraft.scope_key == key,
                                                          ReportDraft.status.in_(LIVE))).first():
                    raise RuleViolation("report.draft_pending", number=number, status=STATUS_NAMES["submitted"])
                if previous_id is None and attempt == 1 and issuing.number_taken(s, project_id, kind, number):
                    raise issuing.NumberTaken
                row = ReportDraft(project_id=project_id, kind=kind, number=number, revision=revision, attempt=attempt,
                                  replaces_id=previous_id, reason=(reason or "").strip() or None,
                                  scope=json.dumps(scope, ensure_ascii=False), scope_key=key, snapshot=snapshot,
                                  snapshot_sha256=hashlib.sha256(snapshot.encode("utf-8")).hexdigest(),
                                  pdf_sha256=made.sha256, pdf_bytes=made.bytes, pages=made.pages or 0,
                                  gate_passed=data.gate.passed if kind == "final" and data.gate else None,
                                  status="submitted", prepared_by=preparer.name)
                s.add(row)
                s.flush()
                return _draft_info(s, row)
        except (issuing.NumberTaken, IntegrityError):
            if created:
                issuing.discard_pdf(ctx, made.sha256)
            continue  # read again: the number is printed in the PDF, so it is rendered again
        except BaseException:
            if created:  # no orphan PDF when submitting fails
                issuing.discard_pdf(ctx, made.sha256)
            raise
    raise RuleViolation("report.number_busy", number=number, attempts=issuing.NUMBER_ATTEMPTS)


def _numbering(s: Any, project: Project, kind: str, key: str, previous: IssuedReport | None) -> tuple[str, int, int]:
    """Number, revision and attempt of a new draft: a revision keeps the number it corrects; a draft
    sent back is submitted again under its number (attempt + 1); otherwise the next free number."""
    if previous is not None:
        number, revision = previous.number, previous.revision + 1
    else:
        earlier = s.execute(select(ReportDraft).where(ReportDraft.project_id == project.id, ReportDraft.scope_key == key,
                                                      ReportDraft.status == "rejected", ReportDraft.replaces_id.is_(None))
                            .order_by(ReportDraft.id.desc())).scalars().first()
        number = earlier.number if earlier else issuing.next_number(s, project.id, project.code, kind)
        revision = 1
    attempts = s.execute(select(ReportDraft.attempt).where(ReportDraft.number == number,
                                                           ReportDraft.revision == revision)).scalars().all()
    return number, revision, max(attempts, default=0) + 1


def _live_draft(s: Any, number: str) -> ReportDraft:
    draft = s.execute(select(ReportDraft).where(ReportDraft.number == number.strip(), ReportDraft.status.in_(LIVE))
                      .order_by(ReportDraft.id.desc())).scalars().first()
    if draft is None:
        known = s.execute(select(ReportDraft).where(ReportDraft.number == number.strip())
                          .order_by(ReportDraft.id.desc())).scalars().first()
        if known is None:
            raise NotFound("report_draft", number)
        raise RuleViolation("report.draft_closed", number=number, status=STATUS_NAMES[known.status])
    assert isinstance(draft, ReportDraft)
    return draft


def approve_report(ctx: AppContext, number: str, *, by: str, step: str | None = None, comment: str | None = None,
                   confirm_gate: bool = False, on: date | None = None) -> DraftInfo:
    """审核 then 批准, each by staff other than the preparer (and the approver not the reviewer)."""
    with ctx.db.write() as s:
        draft = _live_draft(s, number)
        project = s.get(Project, draft.project_id)
        assert project is not None
        person = _staff(s, project, by, "report.approver")
        expected = {"submitted": "review", "reviewed": "approve"}.get(draft.status)
        step = step or expected
        if step not in ("review", "approve"):
            raise ValidationError("report.step", "report.unknown_step", step=step)
        if step != expected:
            raise RuleViolation("report.step_out_of_order", number=draft.number, step=STEP_NAMES[step],
                                status=STATUS_NAMES[draft.status])
        if person.name == draft.prepared_by:
            raise RuleViolation("report.self_review", person=person.name, number=draft.number)
        earlier = s.execute(select(ReportApproval.by_name).where(ReportApproval.draft_id == draft.id,
                                                                 ReportApproval.step == "review")).scalars().all()
        if step == "approve" and person.name in earlier:
            raise RuleViolation("report.same_reviewer", person=person.name, number=draft.number)
        if step == "approve" and person.role not in APPROVER_ROLES:
            raise RuleViolation("report.approver_role", person=person.name, role=STAFF_ROLES[person.role])
        if step == "approve" and draft.gate_passed is False and not confirm_gate:
            data = ReportData.from_json(draft.snapshot)
            blocking = "、".join(f"F{f.number:03d}" for f in data.gate.blocking) if data.gate else ""
            raise RuleViolation("report.gate_not_confirmed", number=draft.number, blocking=blocking)
        s.add(ReportApproval(draft_id=draft.id, step=step, by_name=person.name, role=person.role,
                             certificate_no=person.certificate_no, on=on or date.today(),
                             comment=(comment or "").strip() or None,
                             gate_confirmed=bool(confirm_gate and draft.gate_passed is False)))
        draft.status = "reviewed" if step == "review" else "approved"
        s.flush()
        return _draft_info(s, draft)


def reject_report(ctx: AppContext, number: str, *, by: str, comment: str, on: date | None = None) -> DraftInfo:
    """退回: the draft goes back to its preparer with the reason; it stays on record, closed."""
    if not (comment and comment.strip()):
        raise ValidationError("report.comment", "report.reject_comment_required")
    with ctx.db.write() as s:
        draft = _live_draft(s, number)
        project = s.get(Project, draft.project_id)
        assert project is not None
        person = _staff(s, project, by, "report.approver")
        if person.name == draft.prepared_by:
            raise RuleViolation("report.self_review", person=person.name, number=draft.number)
        s.add(ReportApproval(draft_id=draft.id, step="reject", by_name=person.name, role=person.role,
                             certificate_no=person.certificate_no, on=on or date.today(), comment=comment.strip()))
        draft.status = "rejected"
        s.flush()
        return _draft_info(s, draft)


def issue_draft(ctx: AppContext, number: str, *, progress: Callable[[int, int], None] | None = None,
                cancel: Callable[[], bool] | None = None) -> issuing.IssuedReportInfo:
    """签发: only an approved draft, as submitted, with 编制 / 审核 / 批准 filled from the chain."""
    with ctx.db.read() as s:
        draft = _live_draft(s, number)
        if draft.status != "approved":
            raise RuleViolation("report.not_approved", number=draft.number, status=STATUS_NAMES[draft.status])
        project = s.get(Project, draft.project_id)
        assert project is not None
        _staff(s, project, ctx.db.actor, "report.issuer")
        info = _draft_info(s, draft)
        snapshot = draft.snapshot
        previous_id = draft.replaces_id
        if previous_id is None and issuing.current_issue(s, draft.project_id, draft.kind, info.scope) is not None:
            raise RuleViolation("report.already_issued", number=draft.number, revision=draft.revision)
    steps = {a.step: a for a in info.approvals if a.step in ("review", "approve")}
    if set(steps) != {"review", "approve"} or info.prepared_by in {a.by for a in steps.values()}:
        raise RuleViolation("report.not_approved", number=info.number, status=STATUS_NAMES[info.status])
    frozen = ReportData.from_json(snapshot)
    prepared = next((x for x in frozen.signoff if x.step == "prepare"), SignOff("prepare", info.prepared_by,
                                                                              on=info.prepared_at.date()))
    signoff = [prepared, *(SignOff(k, a.by, STAFF_ROLES.get(a.role, a.role), a.certificate_no, a.on, a.comment or "")
                           for k, a in ((k, steps[k]) for k in ("review", "approve")))]
    data = replace(frozen, draft=False, signoff=signoff)
    made, created = issuing.keep_pdf(ctx, info.kind, data, progress=progress, cancel=cancel)
    try:
        with ctx.db.write() as s:
            again = s.get(ReportDraft, info.id)
            assert again is not None
            if again.status != "approved":  # issued by someone else meanwhile: checked before the number is taken
                raise RuleViolation("report.not_approved", number=info.number, status=STATUS_NAMES[again.status])
            row = issuing.record_issue(ctx, s, project_id=info.project_id, kind=info.kind, number=info.number,
                                       revision=info.revision, previous_id=previous_id,
                                       scope=info.scope, data=data, made=made, reason=info.reason)
            again.status, again.issued_report_id = "issued", row.id
            return issuing.issued_info(row, info.replaces)
    except BaseException:
        if created:  # no orphan PDF when issuing fails
            issuing.discard_pdf(ctx, made.sha256)
        raise


def list_drafts(ctx: AppContext, project_key: str | int) -> list[DraftInfo]:
    with ctx.db.read() as s:
        project = resolve_project(s, project_key)
        rows = s.execute(select(ReportDraft).where(ReportDraft.project_id == project.id)
                         .order_by(ReportDraft.id.desc())).scalars().all()
        return [_draft_info(s, d) for d in rows]


def draft_pdf(ctx: AppContext, draft_id: int) -> Path:
    """The draft's PDF (watermarked 草稿), checked against its recorded SHA-256."""
    return issuing.kept_pdf(ctx, ReportDraft, draft_id)
