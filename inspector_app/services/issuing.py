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
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from ..errors import NotFound, RuleViolation, ValidationError
from ..models import IssuedReport
from ..photos.store import _fsync_dir
from ..values.report import KIND_CODES, ReportData
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


def _info(r: IssuedReport, replaces: str | None = None) -> IssuedReportInfo:
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


def _next_number(s: Any, project_id: int, code: str, kind: str) -> str:
    count = s.scalar(select(func.count(func.distinct(IssuedReport.number))).where(
        IssuedReport.project_id == project_id, IssuedReport.kind == kind)) or 0
    return f"{code}-{KIND_CODES[kind]}-{count + 1:03d}"


def issue_report(ctx: AppContext, kind: str, project_key: str | int, *, visit_id: int | None = None,
                 date_from: date | None = None, date_to: date | None = None, replaces: str | None = None,
                 reason: str | None = None, progress: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None) -> IssuedReportInfo:
    """Build the report as PDF/A-2b, keep it under its hash and record the issue, frozen."""
    with ctx.db.read() as s:
        project = resolve_project(s, project_key)
        pid, code = project.id, project.code
        previous = None
        if replaces:
            previous = s.execute(select(IssuedReport).where(IssuedReport.number == replaces,
                                                            IssuedReport.project_id == pid)
                                 .order_by(IssuedReport.revision.desc())).scalars().first()
            if previous is None:
                raise NotFound("issued_report", replaces)
            if previous.kind != kind:
                raise ValidationError("report.revision", "report.revision_kind_mismatch", number=replaces,
                                      previous_kind=previous.kind, report_kind=kind)
            if not (reason and reason.strip()):
                raise ValidationError("report.revision_reason", "report.revision_reason_required")
        number = previous.number if previous else _next_number(s, pid, code, kind)
        revision = previous.revision + 1 if previous else 1
        previous_id = previous.id if previous else None
    data = gather(ctx, kind, pid, visit_id=visit_id, date_from=date_from, date_to=date_to,
                  report_no=number if revision == 1 else f"{number} 第{revision}版")
    snapshot = data.to_json()
    tmp_dir = reports_dir(ctx) / ".incoming"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / f".{os.getpid()}.{secrets.token_hex(6)}.pdf"
    try:
        made = build(kind, data, tmp, progress=progress, cancel=cancel, pdfa=True)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        target = pdf_path(ctx, made.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, 0o444)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
    scope = {"visit_id": visit_id, "from": date_from and date_from.isoformat(), "to": date_to and date_to.isoformat()}
    with ctx.db.write() as s:
        if previous_id is not None:
            old = s.get(IssuedReport, previous_id)
            assert old is not None
            if old.status != "issued":
                raise RuleViolation("report.superseded", number=number, revision=old.revision)
            old.status = "superseded"
        row = IssuedReport(project_id=pid, kind=kind, number=number, revision=revision, replaces_id=previous_id,
                           title=KIND_NAMES[kind], scope=json.dumps(scope, ensure_ascii=False), snapshot=snapshot,
                           snapshot_sha256=hashlib.sha256(snapshot.encode("utf-8")).hexdigest(),
                           pdf_sha256=made.sha256, pdf_bytes=made.bytes, pages=made.pages or 0,
                           reason=reason.strip() if reason else None, issued_by=ctx.db.actor)
        s.add(row)
        s.flush()
        from .outbox import enqueue_report  # the report and its outbox row commit together

        enqueue_report(s, row, ctx.db.actor)
        return _info(row, f"{number} 第{revision - 1}版" if previous_id is not None else None)


def list_reports(ctx: AppContext, project_key: str | int) -> list[IssuedReportInfo]:
    with ctx.db.read() as s:
        project = resolve_project(s, project_key)
        rows = list(s.execute(select(IssuedReport).where(IssuedReport.project_id == project.id)
                              .order_by(IssuedReport.issued_at.desc(), IssuedReport.id.desc())).scalars())
        numbers = {r.id: f"{r.number} 第{r.revision}版" for r in rows}
        return [_info(r, numbers.get(r.replaces_id or 0)) for r in rows]


def issued_pdf(ctx: AppContext, report_id: int) -> Path:
    """The issued PDF, checked against the recorded SHA-256 before it is handed out."""
    with ctx.db.read() as s:
        row = s.get(IssuedReport, report_id)
        if row is None:
            raise NotFound("issued_report", report_id)
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
