"""Issuing: number, revision, frozen snapshot, PDF/A kept under its SHA-256; corrections are
new revisions; nothing issued can be changed through the app or behind its back."""

import hashlib
import json
import shutil
import sqlite3
import subprocess

import pytest
from conftest import cli
from sqlalchemy.exc import DBAPIError

from inspector_app.app import open_app
from inspector_app.errors import NotFound, RuleViolation, ValidationError
from inspector_app.models import IssuedReport
from inspector_app.services import bundle, issuing, review, visits


@pytest.fixture
def ctx(demo_dir):
    c = open_app(demo_dir, actor="李敏")  # an inspector of the demo's agency prepares
    yield c
    c.close()


def approved_issue(ctx, kind, **kw):
    """Submitted by the current person, reviewed by 张磊, approved by 陈静 (技术负责人), issued."""
    draft = review.submit_report(ctx, kind, "BJ-DX-2024-017", **kw)
    review.approve_report(ctx, draft.number, by="张磊")
    review.approve_report(ctx, draft.number, by="陈静", confirm_gate=True)
    return review.issue_draft(ctx, draft.number)


def test_issue_final_report_then_a_revision(ctx):
    info = approved_issue(ctx, "final")
    assert (info.number, info.revision, info.status) == ("BJ-DX-2024-017-ZZ-001", 1, "issued")
    pdf = issuing.issued_pdf(ctx, info.id)
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == info.pdf_sha256 and info.pages > 5
    if shutil.which("qpdf"):
        assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode == 0
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "工程质量风险最终评估报告" in text and "BJ-DX-2024-017-ZZ-001" in text
    data = issuing.snapshot(ctx, info.id)
    assert data.report_no == info.number and data.gate is not None and not data.gate.passed

    with pytest.raises(ValidationError, match="修订原因"):
        review.submit_report(ctx, "final", "BJ-DX-2024-017", replaces=info.number)
    rev = approved_issue(ctx, "final", replaces=info.number, reason="更正 F049 部位描述")
    assert (rev.number, rev.revision, rev.replaces) == (info.number, 2, f"{info.number} 第1版")
    listed = {(r.revision, r.status) for r in issuing.list_reports(ctx, "BJ-DX-2024-017")}
    assert listed == {(1, "superseded"), (2, "issued")}
    with pytest.raises(NotFound):
        review.submit_report(ctx, "final", "BJ-DX-2024-017", replaces="NO-SUCH-NUMBER", reason="x")


def test_an_issued_report_cannot_be_changed(ctx):
    v = max(visits.list_visits(ctx.db, "BJ-DX-2024-017"), key=lambda v: v.started_at)
    info = issuing.issue_report(ctx, "notice", "BJ-DX-2024-017", visit_id=v.id)
    assert info.number.endswith("-TZ-001")
    with pytest.raises(DBAPIError, match="frozen"), ctx.db.write() as s:
        s.get(IssuedReport, info.id).snapshot = "{}"
    with pytest.raises(DBAPIError, match="frozen"), ctx.db.write() as s:
        s.delete(s.get(IssuedReport, info.id))
    raw = sqlite3.connect(ctx.paths.database)
    with pytest.raises(sqlite3.DatabaseError, match="frozen"):
        raw.execute("UPDATE issued_report SET pdf_sha256 = 'x' WHERE id = ?", (info.id,))
    raw.close()
    pdf = issuing.issued_pdf(ctx, info.id)
    pdf.chmod(0o644)
    pdf.write_bytes(pdf.read_bytes() + b"%tampered")
    with pytest.raises(RuleViolation, match="已被改动"):
        issuing.issued_pdf(ctx, info.id)


def test_issued_reports_travel_in_the_bundle(ctx, tmp_path):
    info = approved_issue(ctx, "final")
    out = bundle.export_project(ctx.db, ctx.store, "BJ-DX-2024-017", tmp_path / "p.zip")
    other = open_app(tmp_path / "other")
    try:
        assert bundle.import_bundle(other.db, other.store, tmp_path / "p.zip")["imported"]
        [copy] = issuing.list_reports(other, "BJ-DX-2024-017")
        assert (copy.number, copy.pdf_sha256) == (info.number, info.pdf_sha256)
        assert issuing.issued_pdf(other, copy.id).exists()
    finally:
        other.close()
    assert out["photos"] > 50


def test_issue_from_the_command_line(demo_dir, tmp_path):
    out = tmp_path / "issued.pdf"
    proc = cli("--json", "--as", "李敏", "report", "issue", "notice", "--project", "BJ-DX-2024-017", "--visit", "1",
               "--out", str(out), data_dir=demo_dir)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["number"] == "BJ-DX-2024-017-TZ-001" and info["revision"] == 1
    assert hashlib.sha256(out.read_bytes()).hexdigest() == info["pdf_sha256"]
    listed = json.loads(cli("--json", "report", "list", "--project", "BJ-DX-2024-017", data_dir=demo_dir).stdout)
    assert [r["number"] for r in listed] == [info["number"]]
    again = cli("--json", "--as", "李敏", "report", "issue", "notice", "--project", "BJ-DX-2024-017", "--visit", "1",
                "--replaces", info["number"], data_dir=demo_dir)
    assert again.returncode == 2 and "修订原因" in again.stderr


def test_the_final_report_cites_the_issued_process_reports(ctx):
    first = min(visits.list_visits(ctx.db, "BJ-DX-2024-017"), key=lambda v: v.number)
    process = approved_issue(ctx, "process", visit_id=first.id)
    assert process.number == "BJ-DX-2024-017-GC-001"
    data = issuing.gather(ctx, "final", "BJ-DX-2024-017")
    assert [(r.number, r.visit_id) for r in data.issued] == [(process.number, first.id)]
    assert data.report_no.startswith("草稿-")  # a draft never looks issued
