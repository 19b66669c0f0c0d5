"""The review chain before issue (issue 12): 编制 by the current person, 审核 and 批准 by other staff
(the approver a lead), 签发 only when approved, with the sign-off block filled from the chain."""

import json
import shutil
import subprocess
from datetime import date

import pytest
from conftest import cli
from sqlalchemy.exc import DBAPIError

from inspector_app.errors import RuleViolation, ValidationError
from inspector_app.models import AuditEntry, ReportApproval, ReportDraft
from inspector_app.services import findings, issuing, projects, review
from inspector_app.values.report import ReportData


def pdf_text(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def finding(ctx, visit):
    return findings.record_finding(ctx.db, visit.id, building="1#楼", coverage="WPI-2", division="01",
                                   subdivision="0107", grade="C", description="底板防水卷材搭接宽度不足 80mm",
                                   location="③~⑤/Ⓐ~Ⓑ轴")


def test_staff_roles_come_from_the_project_file(ctx, project):
    with ctx.db.read() as s:
        from inspector_app.models import Inspector

        roles = {i.name: i.role for i in s.query(Inspector)}
    assert roles == {"赵工": "inspector", "钱工": "lead", "孙工": "technical"}


def test_an_unknown_role_is_refused_naming_it(ctx, spec):
    spec["agency"]["inspectors"][0]["role"] = "监理"
    with pytest.raises(ValidationError, match="监理") as err:
        projects.create_project(ctx.db, spec)
    assert err.value.field == "agency.inspectors[0].role"


def test_a_process_report_goes_through_review_then_issues_with_the_sign_off(ctx, project, visit, finding):
    draft = review.submit_report(ctx, "process", project.id, visit_id=visit.id, on=date(2025, 5, 21))
    assert (draft.status, draft.prepared_by, draft.next_step) == ("submitted", "赵工", "review")
    assert ReportData.from_json(_snapshot(ctx, draft.id)).draft
    with pytest.raises(RuleViolation, match="经审核、批准"):
        review.issue_draft(ctx, draft.number)
    with pytest.raises(RuleViolation, match="不能由本人"):
        review.approve_report(ctx, draft.number, by="赵工")
    with pytest.raises(RuleViolation, match="先审核"):
        review.approve_report(ctx, draft.number, by="孙工", step="approve")
    reviewed = review.approve_report(ctx, draft.number, by="钱工", comment="同意", on=date(2025, 5, 22))
    assert reviewed.status == "reviewed"
    with pytest.raises(RuleViolation, match="另一人"):
        review.approve_report(ctx, draft.number, by="钱工")
    approved = review.approve_report(ctx, draft.number, by="孙工", on=date(2025, 5, 23))
    assert approved.status == "approved" and [a.step for a in approved.approvals] == ["review", "approve"]
    issued = review.issue_draft(ctx, draft.number)
    assert (issued.number, issued.revision) == (draft.number, 1)
    data = issuing.snapshot(ctx, issued.id)
    assert not data.draft
    assert [(x.step, x.name, x.role, x.on) for x in data.signoff] == [
        ("prepare", "赵工", "检查员", date(2025, 5, 21)), ("review", "钱工", "项目负责人", date(2025, 5, 22)),
        ("approve", "孙工", "技术负责人", date(2025, 5, 23))]
    text = pdf_text(issuing.issued_pdf(ctx, issued.id))
    for word in ("编制", "审核", "批准", "赵工", "钱工", "孙工", "2025-05-21", "2025-05-22", "2025-05-23"):
        assert word in text, word
    assert [d.status for d in review.list_drafts(ctx, project.id)] == ["issued"]


def _snapshot(ctx, draft_id):
    with ctx.db.read() as s:
        return s.get(ReportDraft, draft_id).snapshot


def test_the_approver_must_be_a_lead_and_staff(ctx, project, visit):
    draft = review.submit_report(ctx, "notice", project.id, visit_id=visit.id)
    review.approve_report(ctx, draft.number, by="钱工")
    with pytest.raises(ValidationError, match="不是本项目风险管理机构的在册人员"):
        review.approve_report(ctx, draft.number, by="外人")
    ctx.db.actor = None
    with pytest.raises(ValidationError, match="未设置"):
        review.submit_report(ctx, "process", project.id, visit_id=visit.id)


def test_an_inspector_cannot_approve(ctx, project, visit):
    ctx.db.actor = "钱工"
    draft = review.submit_report(ctx, "notice", project.id, visit_id=visit.id)
    review.approve_report(ctx, draft.number, by="孙工")
    with pytest.raises(RuleViolation, match="项目负责人或技术负责人"):
        review.approve_report(ctx, draft.number, by="赵工")


def test_one_report_in_force_per_scope_and_a_rejected_draft_is_submitted_again(ctx, project, visit):
    first = review.submit_report(ctx, "process", project.id, visit_id=visit.id)
    with pytest.raises(RuleViolation, match="已有报告"):
        review.submit_report(ctx, "process", project.id, visit_id=visit.id)
    with pytest.raises(ValidationError, match="写明意见"):
        review.reject_report(ctx, first.number, by="钱工", comment=" ")
    rejected = review.reject_report(ctx, first.number, by="钱工", comment="照片说明不全")
    assert rejected.status == "rejected" and rejected.approvals[0].comment == "照片说明不全"
    with pytest.raises(RuleViolation, match="已退回"):
        review.approve_report(ctx, first.number, by="孙工")
    again = review.submit_report(ctx, "process", project.id, visit_id=visit.id)
    assert (again.number, again.attempt) == (first.number, 2)
    review.approve_report(ctx, again.number, by="钱工")
    review.approve_report(ctx, again.number, by="孙工")
    issued = review.issue_draft(ctx, again.number)
    with pytest.raises(RuleViolation, match="已签发"):
        review.submit_report(ctx, "process", project.id, visit_id=visit.id)
    revision = review.submit_report(ctx, "process", project.id, visit_id=visit.id, replaces=issued.number,
                                    reason="更正部位")
    assert (revision.number, revision.revision, revision.replaces) == (issued.number, 2, f"{issued.number} 第1版")
    data = ReportData.from_json(_snapshot(ctx, revision.id))
    assert (data.replaces, data.revision_reason) == (f"{issued.number} 第1版", "更正部位")


def test_process_and_final_reports_are_not_issued_without_review(ctx, project, visit):
    with pytest.raises(RuleViolation, match="须经审核、批准后签发"):
        issuing.issue_report(ctx, "process", project.id, visit_id=visit.id)
    with pytest.raises(RuleViolation, match="须经审核、批准后签发"):
        issuing.issue_report(ctx, "final", project.id)
    issuing.issue_report(ctx, "notice", project.id, visit_id=visit.id)
    with pytest.raises(RuleViolation, match="已签发"):
        issuing.issue_report(ctx, "notice", project.id, visit_id=visit.id)


def test_a_failing_final_gate_needs_the_approvers_confirmation(ctx, project, visit, finding):
    draft = review.submit_report(ctx, "final", project.id)
    assert draft.gate_passed is False
    review.approve_report(ctx, draft.number, by="钱工")
    with pytest.raises(RuleViolation, match="--confirm-gate"):
        review.approve_report(ctx, draft.number, by="孙工")
    approved = review.approve_report(ctx, draft.number, by="孙工", confirm_gate=True)
    assert approved.approvals[-1].gate_confirmed


def test_drafts_and_approvals_are_frozen_and_audited(ctx, project, visit):
    draft = review.submit_report(ctx, "notice", project.id, visit_id=visit.id)
    review.approve_report(ctx, draft.number, by="钱工")
    with pytest.raises(DBAPIError, match="frozen"), ctx.db.write() as s:
        s.get(ReportDraft, draft.id).snapshot = "{}"
    with pytest.raises(DBAPIError, match="written once"), ctx.db.write() as s:
        s.query(ReportApproval).first().comment = "改过"
    with ctx.db.read() as s:
        entries = {(e.table_name, e.actor) for e in s.query(AuditEntry)}
    assert ("report_draft", "赵工") in entries and ("report_approval", "赵工") in entries


def test_the_chain_from_the_command_line(ctx, project, visit, tmp_path):
    data_dir = ctx.paths.data_dir
    ctx.close()
    sub = cli("--json", "--as", "赵工", "report", "submit", "process", "--project", project.code, "--visit",
              str(visit.id), "--out", str(tmp_path / "draft.pdf"), data_dir=data_dir)
    assert sub.returncode == 0, sub.stderr
    number = json.loads(sub.stdout)["number"]
    assert "草稿" in pdf_text(tmp_path / "draft.pdf")
    early = cli("report", "issue", number, "--as", "赵工", data_dir=data_dir)
    assert early.returncode == 1 and "经审核、批准" in early.stderr
    mine = cli("report", "approve", number, "--as", "赵工", data_dir=data_dir)
    assert mine.returncode == 1 and "不能由本人" in mine.stderr
    for who in ("钱工", "孙工"):
        step = cli("--json", "report", "approve", number, "--as", who, "--comment", "同意", data_dir=data_dir)
        assert step.returncode == 0, step.stderr
    issued = cli("--json", "--as", "赵工", "report", "issue", number, "--out", str(tmp_path / "issued.pdf"),
                 data_dir=data_dir)
    assert issued.returncode == 0, issued.stderr
    text = pdf_text(tmp_path / "issued.pdf")
    assert all(name in text for name in ("赵工", "钱工", "孙工"))
    listed = json.loads(cli("--json", "report", "drafts", "--project", project.code, data_dir=data_dir).stdout)
    assert [d["status"] for d in listed] == ["issued"]


def test_drafts_and_their_chain_travel_in_the_bundle(ctx, project, visit, tmp_path):
    from inspector_app.app import open_app
    from inspector_app.services import bundle

    draft = review.submit_report(ctx, "process", project.id, visit_id=visit.id)
    review.approve_report(ctx, draft.number, by="钱工", comment="同意")
    bundle.export_project(ctx.db, ctx.store, project.id, tmp_path / "p.zip")
    other = open_app(tmp_path / "other", actor="赵工")
    try:
        assert bundle.import_bundle(other.db, other.store, tmp_path / "p.zip")["imported"]
        [copy] = review.list_drafts(other, project.code)
        assert (copy.number, copy.status, [(a.step, a.by, a.comment) for a in copy.approvals]) == (
            draft.number, "reviewed", [("review", "钱工", "同意")])
        assert review.draft_pdf(other, copy.id).exists()
        review.approve_report(other, copy.number, by="孙工")  # the chain goes on on the other laptop
    finally:
        other.close()
