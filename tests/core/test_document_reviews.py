"""资料核查: the documents and test reports reviewed on a visit, with their results, through the
service and the CLI; a failure links a finding of the project or opens one in the same transaction;
every change is audited; reports and bundles carry the reviews."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import pytest
from conftest import EXAMPLE, cli, cli_json, cli_workspace
from sqlalchemy import func, select

from inspector_app.app import open_app
from inspector_app.errors import NotFound, ValidationError
from inspector_app.messages import describe
from inspector_app.models import DocumentReview, Finding
from inspector_app.services import (
    bundle,
    document_reviews,
    findings,
    integrity,
    operations,
    projects,
    report_data,
    visits,
)
from inspector_app.values.report import DocumentReviewRef, ReportData

record = document_reviews.record_document_review


@pytest.fixture
def visit(ctx, project):
    return visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9, 30), node_codes=["N03"],
                              inspectors=["赵工"])


def count(ctx, model) -> int:
    with ctx.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)))


# -- the service ---------------------------------------------------------------------------------------
def test_reviews_are_recorded_and_listed_by_visit_and_project(ctx, project, visit):
    steel = record(ctx.db, visit.id, "钢筋原材复试报告", "ok", kind="test", reference=" GJ-2025-0415 ")
    assert steel.opened is None
    r = steel.review
    assert (r.name, r.reference, r.kind, r.result, r.finding_id) == ("钢筋原材复试报告", "GJ-2025-0415", "test", "ok",
                                                                     None)
    assert (r.visit_number, r.day, r.recorded_by) == (1, visit.started_at.date(), "赵工")
    assert (r.kind_name, r.result_name) == ("检测报告", "符合")
    record(ctx.db, visit.id, "  混凝土试块\n强度报告 ", "OK", kind="Test")  # spaces folded, case ignored
    later = visits.start_visit(ctx.db, project.id, datetime(2025, 6, 20, 9), node_codes=["N15"], inspectors=["赵工"])
    record(ctx.db, later.id, "闭水试验记录", "ok")
    assert [x.name for x in document_reviews.list_document_reviews(ctx.db, visit.id)] == ["钢筋原材复试报告",
                                                                                          "混凝土试块 强度报告"]
    every = document_reviews.project_document_reviews(ctx.db, project.code)
    assert [(x.visit_number, x.name) for x in every] == [(1, "钢筋原材复试报告"), (1, "混凝土试块 强度报告"),
                                                         (2, "闭水试验记录")]


def test_a_missing_document_opens_an_e_finding_and_a_failed_test_a_c(ctx, visit):
    missing = record(ctx.db, visit.id, "防水卷材进场复验报告", "missing", building="1#楼", coverage="WPI-2",
                     division="01", note="施工单位称尚在送检")
    f = missing.opened
    assert f is not None and f.grade_found == "E" and f.visit_id == visit.id and f.building == "1#楼"
    assert (f.coverage_code, f.division_code) == ("WPI-2", "01")
    assert "防水卷材进场复验报告" in f.description and "未提供" in f.description and "施工单位称尚在送检" in f.description
    assert missing.review.finding_id == f.id and missing.review.finding_label == f.label == "F001"
    failed = record(ctx.db, visit.id, "混凝土试块强度报告", "fail", kind="test", reference="HNT-07", building="2#楼",
                    coverage="STR-3", division="02", floor="3F")
    assert failed.opened.grade_found == "C" and "HNT-07" in failed.opened.description and failed.opened.floor == "3F"
    graded = record(ctx.db, visit.id, "桩身完整性检测报告", "fail", kind="test", grade="D", building="1#楼",
                    coverage="STR-2", division="01")
    assert graded.opened.grade_found == "D" and graded.opened.is_serious
    assert document_reviews.default_grade("document", "fail") == "E"
    assert visits.get_visit(ctx.db, visit.id).findings == 3


def test_a_failure_links_a_finding_of_the_project_instead_of_opening_one(ctx, project, visit):
    written = findings.record_finding(ctx.db, visit.id, building="1#楼", coverage="STR-6", division="01", grade="E",
                                      description="基坑支护专项方案未经专家论证即开挖")
    out = record(ctx.db, visit.id, "基坑支护专项方案专家论证报告", "missing", finding_id=written.id)
    assert out.opened is None and out.review.finding_id == written.id and out.review.finding_status == "open"
    assert count(ctx, Finding) == 1
    with pytest.raises(ValidationError) as err:  # 符合 takes no finding
        record(ctx.db, visit.id, "施工许可证", "ok", finding_id=written.id)
    assert err.value.field == "document_review.finding" and "F001" in err.value.message
    assert err.value.key == "document_review.finding_needs_failure"
    spec = projects.load_spec(EXAMPLE)
    spec["project"]["code"], spec["policy"]["policy_no"] = "BJ-OTHER-01", "IDI-OTHER-01"
    other = projects.create_project(ctx.db, spec)
    there = visits.start_visit(ctx.db, other.id, datetime(2025, 5, 21, 9), node_codes=["N03"], inspectors=["赵工"])
    with pytest.raises(ValidationError) as err:  # a finding of another project
        record(ctx.db, there.id, "防水卷材进场复验报告", "missing", finding_id=written.id)
    assert err.value.key == "document_review.finding_other_project" and "BJ-OTHER-01" in err.value.message
    with pytest.raises(ValidationError):
        record(ctx.db, visit.id, "防水卷材进场复验报告", "missing", finding_id=99999)
    assert count(ctx, DocumentReview) == 1


def test_the_review_and_its_finding_are_written_together_or_neither(ctx, visit, monkeypatch):
    with pytest.raises(ValidationError) as err:  # the finding refuses its tags: no review either
        record(ctx.db, visit.id, "外墙保温板复验报告", "missing", building="1#楼", coverage="XYZ-9", division="09")
    assert err.value.field == "finding.coverage"
    assert (count(ctx, Finding), count(ctx, DocumentReview)) == (0, 0)

    def broken(*_args, **_kwargs):
        raise RuntimeError("the disk went away after the finding was written")

    monkeypatch.setattr(document_reviews, "_one", broken)  # fails after the finding and the review are flushed
    with pytest.raises(RuntimeError):
        record(ctx.db, visit.id, "外墙保温板复验报告", "missing", building="1#楼", coverage="WPI-1", division="09")
    assert (count(ctx, Finding), count(ctx, DocumentReview)) == (0, 0)


def test_refusals_name_the_field_the_value_and_the_rule(ctx, visit):
    def refused(**kw) -> ValidationError:
        fields = {"name": "钢筋原材复试报告", "result": "ok", **kw}
        with pytest.raises(ValidationError) as err:
            record(ctx.db, visit.id, fields.pop("name"), fields.pop("result"), **fields)
        return err.value

    e = refused(name="  ")
    assert e.field == "document_review.name" and e.message.startswith("资料名称") and "必填" in e.message
    e = refused(name="报" * 201)
    assert e.params == {"field": "document_review.name", "value": 201, "limit": 200}
    assert "201" in e.message and "200" in e.message and "at most 200" in describe(e, "en")
    e = refused(result="pass")
    assert e.key == "document_review.unknown_result" and "pass" in e.message and "missing（缺失）" in e.message
    assert describe(e, "en").startswith("Review result: must be ok")
    e = refused(kind="photo")
    assert e.field == "document_review.kind" and "photo" in e.message and "document" in e.message
    e = refused(result="missing")  # two buildings: where does the finding sit?
    assert e.key == "document_review.building_required" and "1#楼、2#楼" in e.message and "缺失" in e.message
    assert "is missing and opens a finding" in describe(e, "en")
    e = refused(result="fail", building="1#楼")
    assert e.field == "document_review.coverage" and "承保类别" in e.message
    e = refused(result="fail", building="1#楼", coverage="WPI-2")
    assert e.field == "document_review.division"
    e = refused(reference="R" * 101)
    assert e.field == "document_review.reference" and e.params["limit"] == 100
    with pytest.raises(NotFound):
        record(ctx.db, 9999, "钢筋原材复试报告", "ok")
    assert count(ctx, DocumentReview) == 0


def test_every_change_is_audited_and_removal_keeps_the_finding(ctx, visit):
    out = record(ctx.db, visit.id, "防水卷材进场复验报告", "missing", building="1#楼", coverage="WPI-2", division="01")
    gone = document_reviews.remove_document_review(ctx.db, out.review.id)
    assert gone == out.review
    assert document_reviews.list_document_reviews(ctx.db, visit.id) == []
    assert findings.get_finding(ctx.db, out.opened.id).status == "open"  # the finding keeps its own life
    con = sqlite3.connect(ctx.paths.database)
    rows = con.execute("SELECT actor, action, data FROM audit_log WHERE table_name='document_review' ORDER BY seq")
    audited = rows.fetchall()
    con.close()
    assert [(a, b) for a, b, _ in audited] == [("赵工", "insert"), ("赵工", "delete")]
    assert json.loads(audited[0][2])["finding_id"] == out.opened.id
    assert integrity.verify(ctx.db, ctx.store).ok
    with pytest.raises(NotFound):
        document_reviews.remove_document_review(ctx.db, out.review.id)


def test_the_database_refuses_an_unknown_kind_or_result(ctx, visit):
    con = sqlite3.connect(ctx.paths.database)
    for kind, result in (("photo", "ok"), ("test", "pass")):
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            con.execute("INSERT INTO document_review (visit_id, name, kind, result, recorded_at) "
                        "VALUES (?, 'x', ?, ?, '2025-05-20 10:00:00')", (visit.id, kind, result))
    con.close()


def test_the_operation_names_the_new_finding_and_the_visit(ctx, visit):
    outcome, changes = operations.record_document_review(ctx, visit.id, "防水卷材进场复验报告", "missing",
                                                         building="1#楼", coverage="WPI-2", division="01")
    assert changes.findings == (outcome.opened,) and changes.visits[0].findings == 1 and changes.gate is not None
    same, nothing = operations.record_document_review(ctx, visit.id, "闭水试验记录", "ok")
    assert same.opened is None and nothing.empty
    assert operations.remove_document_review(ctx, same.review.id) == same.review


# -- reports and bundles --------------------------------------------------------------------------------
def test_the_process_report_data_carries_the_reviews_of_its_visits(ctx, project, visit):
    record(ctx.db, visit.id, "钢筋原材复试报告", "ok", kind="test", reference="GJ-2025-0415", note="HRB400E")
    out = record(ctx.db, visit.id, "防水卷材进场复验报告", "missing", building="1#楼", coverage="WPI-2", division="01")
    later = visits.start_visit(ctx.db, project.id, datetime(2025, 6, 20, 9), node_codes=["N15"], inspectors=["赵工"])
    record(ctx.db, later.id, "闭水试验记录", "ok")
    data = report_data.gather(ctx, "process", project.id, visit_id=visit.id)
    assert data.document_reviews == [
        DocumentReviewRef(1, visit.started_at.date(), "钢筋原材复试报告", "GJ-2025-0415", "test", "ok", "HRB400E", ""),
        DocumentReviewRef(1, visit.started_at.date(), "防水卷材进场复验报告", "", "document", "missing", "",
                          out.opened.label)]
    assert ReportData.from_json(data.to_json()) == data  # frozen into the snapshot as it is
    final = report_data.gather(ctx, "final", project.id)
    assert [r.name for r in final.document_reviews] == ["钢筋原材复试报告", "防水卷材进场复验报告", "闭水试验记录"]
    assert report_data.gather(ctx, "notice", visit_id=visit.id).document_reviews == []


def test_a_bundle_carries_the_reviews(ctx, project, visit, tmp_path):
    record(ctx.db, visit.id, "钢筋原材复试报告", "ok", kind="test", reference="GJ-2025-0415")
    out = record(ctx.db, visit.id, "防水卷材进场复验报告", "missing", building="1#楼", coverage="WPI-2", division="01")
    bundle.export_project(ctx.db, ctx.store, project.id, tmp_path / "p.zip")
    other = open_app(tmp_path / "other")
    try:
        got = bundle.import_bundle(other.db, other.store, tmp_path / "p.zip")
        moved = document_reviews.project_document_reviews(other.db, got["project_id"])
        before = document_reviews.project_document_reviews(ctx.db, project.id)
        keep = ("visit_number", "day", "name", "reference", "kind", "result", "note", "finding_label", "recorded_by")
        assert [[getattr(r, k) for k in keep] for r in moved] == [[getattr(r, k) for k in keep] for r in before]
        assert moved[1].finding_label == out.opened.label and moved[1].finding_status == "open"
        assert integrity.verify(other.db, other.store).ok
    finally:
        other.close()


def test_the_demo_reviews_link_the_findings_written_up(demo):
    pid = projects.list_projects(demo.db)[0].id
    rows = document_reviews.project_document_reviews(demo.db, pid)
    assert len(rows) >= 10 and {r.kind for r in rows} == {"document", "test"}
    assert {r.result for r in rows} == {"ok", "fail", "missing"}
    failed = [r for r in rows if r.result != "ok"]
    assert failed and all(r.finding_label for r in failed) and all(r.finding_id is None for r in rows if r.result == "ok")
    by_name = {r.name: r for r in rows}
    assert by_name["外墙保温板进场复验报告"].finding_label == "F046"
    assert by_name["钢筋原材复试报告（HRB400E Φ12~Φ25）"].result == "ok"


# -- the command line ---------------------------------------------------------------------------------
j = cli_json


@pytest.fixture
def workspace(tmp_path):
    return cli_workspace(tmp_path)


def test_docs_add_and_list_through_the_cli(workspace):
    d, project, visit = workspace
    v = str(visit["id"])
    ok = j("docs", "add", "--visit", v, "--name", "钢筋原材复试报告", "--result", "ok", "--kind", "test",
           "--reference", "GJ-2025-0415", data_dir=d)
    assert ok["opened"] is None and ok["review"]["kind"] == "test" and ok["review"]["reference"] == "GJ-2025-0415"
    missing = j("docs", "add", "--visit", v, "--name", "防水卷材进场复验报告", "--result", "missing", "--building",
                "1#楼", "--coverage", "WPI-2", "--division", "01", "--note", "尚在送检", data_dir=d)
    f = missing["opened"]
    assert f["grade_found"] == "E" and missing["review"]["finding_label"] == "F001"
    linked = j("docs", "add", "--visit", v, "--name", "防水卷材出厂合格证", "--result", "fail", "--finding",
               str(f["id"]), data_dir=d)
    assert linked["opened"] is None and linked["review"]["finding_id"] == f["id"]
    assert [x["id"] for x in j("finding", "list", "--project", project["code"], data_dir=d)] == [f["id"]]
    listed = cli("docs", "list", "--visit", v, "--json", data_dir=d)  # --json after the subcommand too
    assert listed.returncode == 0, listed.stderr
    assert [r["name"] for r in json.loads(listed.stdout)] == ["钢筋原材复试报告", "防水卷材进场复验报告", "防水卷材出厂合格证"]
    text = cli("docs", "list", "--visit", v, data_dir=d).stdout
    assert "[符合]  钢筋原材复试报告（GJ-2025-0415）" in text and "[缺失]" in text and "-> F001" in text
    removed = j("docs", "remove", str(linked["review"]["id"]), data_dir=d)
    assert removed["removed"]["name"] == "防水卷材出厂合格证"
    assert len(j("docs", "list", "--visit", v, data_dir=d)) == 2


def test_cli_refusals_exit_2_naming_the_field_value_and_rule(workspace):
    d, _project, visit = workspace
    v = str(visit["id"])
    proc = cli("--json", "docs", "add", "--visit", v, "--name", "钢筋原材复试报告", "--result", "pass", data_dir=d)
    err = json.loads(proc.stderr)
    assert proc.returncode == 2 and proc.stdout == "" and err["error"] == "invalid"
    assert err["field"] == "核查结论" and err["params"]["result"] == "pass" and "ok（符合）" in err["message"]
    proc = cli("docs", "add", "--visit", v, "--name", "防水卷材进场复验报告", "--result", "missing", data_dir=d)
    assert proc.returncode == 2 and "单体" in proc.stderr and "1#楼、2#楼" in proc.stderr
    proc = cli("docs", "add", "--visit", v, "--name", "x" * 201, "--result", "ok", data_dir=d)
    assert proc.returncode == 2 and "资料名称" in proc.stderr and "201" in proc.stderr and "200" in proc.stderr
    proc = cli("docs", "add", "--visit", v, "--name", "闭水试验记录", "--result", "ok", "--kind", "video",
               data_dir=d)
    assert proc.returncode == 2 and "资料类型" in proc.stderr and "video" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert j("docs", "list", "--visit", v, data_dir=d) == []
