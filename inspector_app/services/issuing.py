"""Issuing reports: a number, a revision, a frozen snapshot of the data, the PDF/A and its SHA-256.

After issue neither the row nor its snapshot can change (database triggers refuse it); the
PDF is kept read-only in the data folder under its hash and checked against it on every
read. A correction is a new revision naming the one it replaces and why; the old one is
marked superseded, never deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..errors import NotFound, RuleViolation, ValidationError
from ..models import IssuedReport
from ..photos.staging import staged_path
from ..photos.store import _fsync_dir
from ..values.report import KIND_CODES, ReportData, SignOff
from .projects import resolve_project
from .report_data import (
    gather as gather,  # every document is read this one way: issuing.gather, then build
)

if TYPE_CHECKING:
    from ..context import AppContext

KIND_NAMES = {"process": "工程质量风险过程评估报告", "final": "工程质量风险最终评估报告", "notice": "整改通知单"}


@dataclass(frozen=True, slots=True)
class IssuedReportInfo:
    id: int
    project_id: int
    kind: str
    number: str
    revision: int
    title: str
    scope: dict[str, Any]
    pdf_sha256: str
    pdf_bytes: int
    pages: int
    status: str
    issued_at: datetime
    issued_by: str | None
    replaces: str | None
    reason: str | None

    @property
    def label(self) -> str:
        return f"{self.number} 第{self.revision}版"


def issued_info(r: IssuedReport, replaces: str | None = None) -> IssuedReportInfo:
    return IssuedReportInfo(r.id, r.project_id, r.kind, r.number, r.revision, r.title, json.loads(r.scope),
                            r.pdf_sha256, r.pdf_bytes, r.pages, r.status, r.issued_at, r.issued_by, replaces, r.reason)


def reports_dir(ctx: AppContext) -> Path:
    return ctx.paths.data_dir / "reports"


def pdf_path(ctx: AppContext, sha256: str) -> Path:
    return reports_dir(ctx) / sha256[:2] / f"{sha256}.pdf"


def build(kind: str, data: ReportData, out: Path, *, progress: Callable[[int, int], None] | None = None,
          cancel: Callable[[], bool] | None = None, pdfa: bool = False) -> Any:
    """Write one document of ``kind``; the register is XLSX or CSV by the file name (never PDF/A)."""
    from ..reports.final import build_final
    from ..reports.notice import build_notice
    from ..reports.process import build_process
    from ..reports.register import build_register

    if kind == "register":
        return build_register(data, out, progress=progress, cancel=cancel)
    builder = {"process": build_process, "final": build_final, "notice": build_notice}[kind]
    return builder(data, out, progress=progress, cancel=cancel, pdfa=pdfa)


NUMBER_ATTEMPTS = 5  # a clash with a concurrent issue renders again under the next free number


class NumberTaken(Exception):
    """The number chosen before rendering was taken by another process meanwhile."""


def next_number(s: Any, project_id: int, code: str, kind: str) -> str:
    """The next report number of this kind: numbers issued or held by a draft under review are taken;
    on a team project, from the numbers the platform reserved for this laptop."""
    from ..models import ReportDraft
    from .team import next_report_sequence

    taken = set(s.execute(select(IssuedReport.number).where(IssuedReport.project_id == project_id,
                                                            IssuedReport.kind == kind)).scalars())
    taken |= set(s.execute(select(ReportDraft.number).where(ReportDraft.project_id == project_id,
                                                            ReportDraft.kind == kind)).scalars())
    reserved = next_report_sequence(s, project_id, kind)  # a team project: from this laptop's blocks
    if reserved is not None:
        return f"{code}-{KIND_CODES[kind]}-{reserved:03d}"
    n = len(taken) + 1
    while f"{code}-{KIND_CODES[kind]}-{n:03d}" in taken:
        n += 1
    return f"{code}-{KIND_CODES[kind]}-{n:03d}"


def incoming_dir(data_dir: Path) -> Path:
    """Where PDFs are rendered before they are kept; each process owns its files there (staging)."""
    return data_dir / "reports" / ".incoming"


def store_pdf(ctx: AppContext, kind: str, data: ReportData, *, pdfa: bool = True,
              progress: Callable[[int, int], None] | None = None, cancel: Callable[[], bool] | None = None) -> Any:
    """Render ``data`` and keep the PDF read-only under its SHA-256 in the reports folder."""
    return keep_pdf(ctx, kind, data, pdfa=pdfa, progress=progress, cancel=cancel)[0]


def keep_pdf(ctx: AppContext, kind: str, data: ReportData, *, pdfa: bool = True,
             progress: Callable[[int, int], None] | None = None,
             cancel: Callable[[], bool] | None = None) -> tuple[Any, bool]:
    """As ``store_pdf``; also says whether this call put the file there (False: the same bytes were kept)."""
    tmp_dir = incoming_dir(ctx.paths.data_dir)
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp = staged_path(tmp_dir, ".pdf")  # named for this process: a kill leaves it to the next start's cleanup
    try:
        made = build(kind, data, tmp, progress=progress, cancel=cancel, pdfa=pdfa)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        target = pdf_path(ctx, made.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        created = not target.exists()
        if not created:  # the same bytes made before (a draft rendered twice): keep the first
            tmp.unlink()
        else:
            os.chmod(tmp, 0o444)
            os.replace(tmp, target)
            _fsync_dir(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return made, created


def discard_pdf(ctx: AppContext, sha256: str) -> None:
    """Remove a PDF this process kept for an issue or draft that was then not recorded (no orphan
    stays); a PDF some row names is never removed."""
    from ..models import ReportDraft

    with ctx.db.write() as s:  # serialised with the writes that would record it
        named = s.execute(select(IssuedReport.id).where(IssuedReport.pdf_sha256 == sha256)).first() or \
            s.execute(select(ReportDraft.id).where(ReportDraft.pdf_sha256 == sha256)).first()
        if named is None:
            path = pdf_path(ctx, sha256)
            if path.exists():
                os.chmod(path, 0o644)  # kept read-only; Windows will not remove it otherwise
                path.unlink()


def number_taken(s: Any, project_id: int, kind: str, number: str) -> bool:
    """Whether ``number`` is issued or held by a draft (another process may have taken it meanwhile)."""
    from ..models import ReportDraft

    return bool(s.execute(select(IssuedReport.id).where(IssuedReport.project_id == project_id,
                                                        IssuedReport.kind == kind,
                                                        IssuedReport.number == number)).first()
                or s.execute(select(ReportDraft.id).where(ReportDraft.project_id == project_id,
                                                          ReportDraft.kind == kind,
                                                          ReportDraft.number == number)).first())


def scope_of(visit_id: int | None, date_from: date | None, date_to: date | None) -> dict[str, Any]:
    return {"visit_id": visit_id, "from": date_from and date_from.isoformat(), "to": date_to and date_to.isoformat()}


def current_issue(s: Any, project_id: int, kind: str, scope: dict[str, Any]) -> IssuedReport | None:
    """The report in force for this kind and scope, if one was issued."""
    text = json.dumps(scope, ensure_ascii=False)
    row: IssuedReport | None = s.execute(
        select(IssuedReport).where(IssuedReport.project_id == project_id, IssuedReport.kind == kind,
                                   IssuedReport.scope == text, IssuedReport.status == "issued")
        .order_by(IssuedReport.id.desc())).scalars().first()
    return row


def revision_base(s: Any, project_id: int, kind: str, replaces: str | None, reason: str | None) -> IssuedReport | None:
    """The issued report a revision replaces (its latest revision), checked; None for a first issue."""
    if not replaces:
        return None
    previous: IssuedReport | None = s.execute(
        select(IssuedReport).where(IssuedReport.number == replaces, IssuedReport.project_id == project_id)
        .order_by(IssuedReport.revision.desc())).scalars().first()
    if previous is None:
        raise NotFound("issued_report", replaces)
    if previous.kind != kind:
        raise ValidationError("report.revision", "report.revision_kind_mismatch", number=replaces,
                              previous_kind=previous.kind, report_kind=kind)
    if not (reason and reason.strip()):
        raise ValidationError("report.revision_reason", "report.revision_reason_required")
    return previous


def record_issue(ctx: AppContext, s: Any, *, project_id: int, kind: str, number: str, revision: int,
                 previous_id: int | None, scope: dict[str, Any], data: ReportData, made: Any,
                 reason: str | None) -> IssuedReport:
    """Write the issued row (and supersede the one it replaces) and its outbox entry, in ``s``."""
    if previous_id is not None:
        old = s.get(IssuedReport, previous_id)
        assert old is not None
        if old.status != "issued":
            raise RuleViolation("report.superseded", number=number, revision=old.revision)
        old.status = "superseded"
    snapshot = data.to_json()
    row = IssuedReport(project_id=project_id, kind=kind, number=number, revision=revision, replaces_id=previous_id,
                       title=KIND_NAMES[kind], scope=json.dumps(scope, ensure_ascii=False), snapshot=snapshot,
                       snapshot_sha256=hashlib.sha256(snapshot.encode("utf-8")).hexdigest(),
                       pdf_sha256=made.sha256, pdf_bytes=made.bytes, pages=made.pages or 0,
                       reason=reason.strip() if reason else None, issued_by=ctx.db.actor)
    s.add(row)
    s.flush()
    from .outbox import enqueue_report  # the report and its outbox row commit together

    enqueue_report(s, row, ctx.db.actor)
    return row


def issue_report(ctx: AppContext, kind: str, project_key: str | int, *, visit_id: int | None = None,
                 date_from: date | None = None, date_to: date | None = None, replaces: str | None = None,
                 reason: str | None = None, progress: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None) -> IssuedReportInfo:
    """Issue a rectification notice at once (it is handed out on site, signed by its inspector).

    Process and final reports are issued only through the review chain (services.review): submitted,
    reviewed and approved by staff other than the preparer, then issued with the sign-off filled."""
    if kind != "notice":
        raise RuleViolation("report.review_required", report_kind=kind)
    scope = scope_of(visit_id, date_from, date_to)
    number = ""
    for _attempt in range(NUMBER_ATTEMPTS):  # the number is printed in the PDF: a clash means rendering again
        with ctx.db.read() as s:
            project = resolve_project(s, project_key)
            pid, code = project.id, project.code
            previous = revision_base(s, pid, kind, replaces, reason)
            in_force = current_issue(s, pid, kind, scope)
            if previous is None and in_force is not None:
                raise RuleViolation("report.already_issued", number=in_force.number, revision=in_force.revision)
            number = previous.number if previous else next_number(s, pid, code, kind)
            revision = previous.revision + 1 if previous else 1
            previous_id = previous.id if previous else None
            replaced = f"{previous.number} 第{previous.revision}版" if previous else ""
            signer = staff_signoff(s, project, ctx.db.actor, "prepare")
        data = gather(ctx, kind, pid, visit_id=visit_id, date_from=date_from, date_to=date_to,
                      report_no=number if revision == 1 else f"{number} 第{revision}版")
        data = replace(data, signoff=[signer] if signer else [], replaces=replaced,
                       revision_reason=(reason or "").strip() if previous else "")
        made, created = keep_pdf(ctx, kind, data, progress=progress, cancel=cancel)
        try:
            with ctx.db.write() as s:  # checked again where the number is taken: another process may have issued
                if previous_id is None:
                    in_force = current_issue(s, pid, kind, scope)
                    if in_force is not None:
                        raise RuleViolation("report.already_issued", number=in_force.number,
                                            revision=in_force.revision)
                    if number_taken(s, pid, kind, number):
                        raise NumberTaken
                row = record_issue(ctx, s, project_id=pid, kind=kind, number=number, revision=revision,
                                   previous_id=previous_id, scope=scope, data=data, made=made, reason=reason)
                return issued_info(row, f"{number} 第{revision - 1}版" if previous_id is not None else None)
        except (NumberTaken, IntegrityError):
            if created:
                discard_pdf(ctx, made.sha256)
            continue  # read again: the scope may be issued now, or a later number free
        except BaseException:
            if created:
                discard_pdf(ctx, made.sha256)
            raise
    raise RuleViolation("report.number_busy", number=number, attempts=NUMBER_ATTEMPTS)



def staff_signoff(s: Any, project: Any, name: str | None, step: str, on: date | None = None) -> SignOff | None:
    """The sign-off line of ``name`` if they are active staff of the project's agency, else None."""
    from ..models import Inspector
    from ..models.org import STAFF_ROLES

    if not name or project.agency_id is None:
        return None
    person = s.execute(select(Inspector).where(Inspector.agency_id == project.agency_id, Inspector.name == name,
                                               Inspector.active)).scalars().first()
    if person is None:
        return None
    return SignOff(step, person.name, STAFF_ROLES.get(person.role, person.role), person.certificate_no,
                   on or date.today())


def list_reports(ctx: AppContext, project_key: str | int) -> list[IssuedReportInfo]:
    with ctx.db.read() as s:
        project = resolve_project(s, project_key)
        rows = list(s.execute(select(IssuedReport).where(IssuedReport.project_id == project.id)
                              .order_by(IssuedReport.issued_at.desc(), IssuedReport.id.desc())).scalars())
        numbers = {r.id: f"{r.number} 第{r.revision}版" for r in rows}
        return [issued_info(r, numbers.get(r.replaces_id or 0)) for r in rows]


def issued_pdf(ctx: AppContext, report_id: int) -> Path:
    """The issued PDF, checked against the recorded SHA-256 before it is handed out."""
    return kept_pdf(ctx, IssuedReport, report_id)


def kept_pdf(ctx: AppContext, model: Any, row_id: int) -> Path:
    """The PDF a row (an issued report or a draft) names, read back and checked against its SHA-256."""
    with ctx.db.read() as s:
        row = s.get(model, row_id)
        if row is None:
            raise NotFound("issued_report" if model is IssuedReport else "report_draft", row_id)
        sha = row.pdf_sha256
    path = pdf_path(ctx, sha)
    if not path.exists():
        raise RuleViolation("report.pdf_missing", path=path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha:
        raise RuleViolation("report.pdf_altered", digest=digest, recorded=sha)
    return path


def snapshot(ctx: AppContext, report_id: int) -> ReportData:
    with ctx.db.read() as s:
        row = s.get(IssuedReport, report_id)
        if row is None:
            raise NotFound("issued_report", report_id)
        return ReportData.from_json(row.snapshot)
