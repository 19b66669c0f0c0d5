"""The final gate (Art. 10) and its preconditions: no pass without inspection, no verification
without proof, tags as the rule set maps them. Each refusal on the service and through the CLI."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from conftest import EXAMPLE, cli

from inspector_app.errors import ValidationError
from inspector_app.services import findings, photos, visits
from inspector_app.services.demo_photos import make_photo


def add(ctx, visit_id, **kw):
    args = dict(building="1#楼", coverage="WPI-2", division="01", subdivision="0107", grade="C",
                description="底板防水卷材搭接宽度不足 80mm", floor="B3")
    args.update(kw)
    return findings.record_finding(ctx.db, visit_id, **args)


def shot(ctx, tmp_path, finding_id, taken: datetime, seed: int, role: str = "after"):
    path = make_photo(tmp_path / f"p{seed}.jpg", scene="membrane", label="复查", taken_at=taken, seed=seed)
    [result] = photos.import_photos(ctx.db, ctx.store, [path], finding_id=finding_id, role=role, workers=1)
    assert result.status == "imported", result.reason
    return path


@pytest.fixture
def visit(ctx, project):
    return visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9, 30), node_codes=["N03"],
                              inspectors=["赵工"])


def codes(gate):
    return [r.code for r in gate.reasons]


def test_a_project_with_no_visit_never_passes(ctx, project):
    gate = findings.final_gate(ctx.db, project.id)
    assert not gate.passed and gate.serious_total == 0
    assert codes(gate) == ["no_visit", "nodes_not_inspected"]
    nodes = next(r for r in gate.reasons if r.code == "nodes_not_inspected")
    assert nodes.blocking and nodes.items == [n.code for n in project.nodes] and len(nodes.items) == 20


def test_gate_json_names_each_reason_by_itself(tmp_path):
    d = tmp_path / "cli"
    created = json.loads(cli("--json", "project", "create", "--from", str(EXAMPLE), data_dir=d, check=True).stdout)
    proc = cli("--json", "gate", "--project", created["code"], data_dir=d, check=True)
    gate = json.loads(proc.stdout)
    assert gate["passed"] is False
    assert [r["code"] for r in gate["reasons"]] == ["no_visit", "nodes_not_inspected"]
    assert "N01" in gate["reasons"][1]["items"] and "N20" in gate["reasons"][1]["message"]
    text = cli("gate", "--project", created["code"], data_dir=d, check=True).stdout
    assert "不通过" in text and "尚无任何巡查记录" in text


def test_serious_means_grade_d_and_e_is_a_reported_behaviour_risk(ctx, project, visit):
    d = add(ctx, visit.id, grade="D")
    e = add(ctx, visit.id, grade="E", description="防水卷材进场未见复验报告即已铺贴")
    r = add(ctx, visit.id, grade="R", description="底板混凝土抗渗试块报告未提供")
    gate = findings.final_gate(ctx.db, project.id)
    assert [f.id for f in gate.blocking] == [d.id] and gate.serious_total == 1
    assert [f.id for f in gate.behaviour] == [e.id] and [f.id for f in gate.pending] == [r.id]
    by_code = {x.code: x for x in gate.reasons}
    assert not by_code["behaviour_risks"].blocking and by_code["behaviour_risks"].items == [e.label]
    assert not by_code["evidence_pending"].blocking and by_code["evidence_pending"].items == [r.label]
    assert by_code["serious_unverified"].blocking and by_code["serious_unverified"].items == [d.label]
    findings.set_serious(ctx.db, e.id, True, "未经复验即隐蔽，实体质量无法确认")
    assert {f.id for f in findings.final_gate(ctx.db, project.id).blocking} == {d.id, e.id}


def test_closing_a_serious_defect_without_verification_keeps_it_blocking(ctx, project, visit):
    d = add(ctx, visit.id, grade="D")
    findings.close_finding(ctx.db, d.id, "施工单位称已处理")
    gate = findings.final_gate(ctx.db, project.id)
    assert [f.id for f in gate.blocking] == [d.id] and "serious_unverified" in codes(gate)


def test_an_after_photo_older_than_the_finding_proves_nothing(ctx, project, visit, tmp_path):
    d = add(ctx, visit.id, grade="D")
    shot(ctx, tmp_path, d.id, datetime(2025, 3, 1, 10), seed=1)  # EXIF: before the finding and the policy
    later = visits.start_visit(ctx.db, project.id, datetime(2025, 6, 3, 9), node_codes=["N04"], inspectors=["钱工"])
    with pytest.raises(ValidationError, match="早于 2025-05-20") as refused:
        findings.verify_rectification(ctx.db, d.id, "accepted", visit_id=later.id, inspector="钱工")
    assert refused.value.field == "verification.after_photo"
    shot(ctx, tmp_path, d.id, datetime(2025, 6, 3, 10), seed=2)
    f = findings.verify_rectification(ctx.db, d.id, "accepted", visit_id=later.id, inspector="钱工", grade_now="B")
    assert f.status == "verified" and f.grade_now == "B"
    assert findings.final_gate(ctx.db, project.id).blocking == []


def test_an_after_photo_must_follow_the_reply(ctx, project, visit, tmp_path):
    d = add(ctx, visit.id, grade="D")
    shot(ctx, tmp_path, d.id, datetime(2025, 5, 21, 10), seed=3)
    findings.reply_rectification(ctx.db, d.id, "已返工", replied_on=date(2025, 5, 25))
    later = visits.start_visit(ctx.db, project.id, datetime(2025, 6, 3, 9), node_codes=["N04"])
    with pytest.raises(ValidationError, match="2025-05-25"):
        findings.verify_rectification(ctx.db, d.id, "accepted", visit_id=later.id)


def test_a_recheck_needs_a_visit_and_an_inspector_of_the_agency(ctx, project, visit, tmp_path):
    d = add(ctx, visit.id, grade="D")
    shot(ctx, tmp_path, d.id, datetime(2025, 5, 20, 15), seed=4)
    with pytest.raises(ValidationError, match="没有巡查记录") as no_visit:
        findings.verify_rectification(ctx.db, d.id, "accepted", verified_on=date(2025, 5, 22))
    assert no_visit.value.field == "verification.visit"
    with pytest.raises(ValidationError, match="不是本项目风险管理机构的在册检查人员") as stranger:
        findings.verify_rectification(ctx.db, d.id, "accepted", visit_id=visit.id, inspector="路人")
    assert stranger.value.field == "verification.inspector"
    with pytest.raises(ValidationError, match="与第 1 次巡查日期"):
        findings.verify_rectification(ctx.db, d.id, "accepted", visit_id=visit.id, verified_on=date(2025, 5, 21))
    ok = findings.verify_rectification(ctx.db, d.id, "accepted", verified_on=date(2025, 5, 20))  # by the actor 赵工
    assert ok.status == "verified"


def test_a_visit_needs_an_inspector_of_the_agency(ctx, project):
    ctx.db.actor = "资料员"
    with pytest.raises(ValidationError, match="至少有一名") as refused:
        visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9), node_codes=["N01"])
    assert refused.value.field == "visit.inspectors"


def test_one_photo_as_proof_for_two_findings_needs_a_reason(ctx, project, visit, tmp_path):
    first, second = add(ctx, visit.id, grade="D"), add(ctx, visit.id, grade="D", floor="B2")
    path = shot(ctx, tmp_path, first.id, datetime(2025, 5, 20, 16), seed=5)
    [again] = photos.import_photos(ctx.db, ctx.store, [path], finding_id=second.id, role="after", workers=1)
    assert again.status == "imported"
    findings.verify_rectification(ctx.db, first.id, "accepted", visit_id=visit.id)
    with pytest.raises(ValidationError, match="已作为 F001 的证据"):
        findings.verify_rectification(ctx.db, second.id, "accepted", visit_id=visit.id)
    f = findings.verify_rectification(ctx.db, second.id, "accepted", visit_id=visit.id,
                                      reuse_reason="两处相邻，整改后一张照片同时拍到")
    assert f.status == "verified"
    assert findings.final_gate(ctx.db, project.id).blocking == []


def test_tags_follow_the_rule_set_map_and_the_policy(ctx, project, visit):
    with pytest.raises(ValidationError, match="不在承保类别 STR-4") as outside:
        add(ctx, visit.id, coverage="STR-4", division="04", subdivision=None, description="屋面挑檐根部裂缝")
    assert outside.value.field == "finding.division"
    tagged = add(ctx, visit.id, coverage="STR-4", division="04", subdivision=None, description="屋面挑檐根部裂缝",
                 tag_reason="挑檐属屋面细部构造，按屋面分部验收")
    assert tagged.coverage_code == "STR-4"
    with pytest.raises(ValidationError, match="未投保附加险 RID-ELV") as rider:
        add(ctx, visit.id, coverage="RID-ELV", division="10", subdivision=None, description="电梯导轨支架焊缝不饱满")
    assert rider.value.field == "finding.coverage"
    assert add(ctx, visit.id, coverage="RID-DEC", division="03", subdivision="0308",
               description="户内墙面砖空鼓").coverage_code == "RID-DEC"


def test_refusals_through_the_cli_exit_2_naming_the_field(tmp_path):
    d = tmp_path / "cli"
    project = json.loads(cli("--json", "project", "create", "--from", str(EXAMPLE), data_dir=d, check=True).stdout)
    visit = json.loads(cli("--json", "visit", "add", "--project", project["code"], "--node", "N03", "--date",
                           "2025-05-20", "--inspector", "赵工", data_dir=d, check=True).stdout)
    base = ["finding", "add", "--visit", str(visit["id"]), "--building", "1#楼", "--grade", "C", "--description", "x"]
    proc = cli(*base, "--coverage", "RID-ELV", "--division", "10", data_dir=d)
    assert proc.returncode == 2 and "RID-ELV" in proc.stderr
    proc = cli(*base, "--coverage", "STR-4", "--division", "04", data_dir=d)
    assert proc.returncode == 2 and "分部 04" in proc.stderr
    proc = cli("--as", "资料员", "visit", "add", "--project", project["code"], "--node", "N04", "--date", "2025-06-01",
               data_dir=d)
    assert proc.returncode == 2 and "检查人员" in proc.stderr
    f = json.loads(cli("--json", *base, "--coverage", "WPI-2", "--division", "01", "--grade", "D",
                       data_dir=d, check=True).stdout)
    early = make_photo(tmp_path / "early.jpg", scene="membrane", label="x", taken_at=datetime(2025, 1, 5, 9), seed=9)
    cli("photos", "import", "--finding", str(f["id"]), "--role", "after", str(early), data_dir=d, check=True)
    proc = cli("finding", "verify", str(f["id"]), "--result", "accepted", "--visit", str(visit["id"]),
               "--inspector", "赵工", data_dir=d)
    assert proc.returncode == 2 and "整改后照片" in proc.stderr and "2025-01-05" in proc.stderr
    proc = cli("finding", "verify", str(f["id"]), "--result", "accepted", "--visit", str(visit["id"]),
               "--inspector", "路人", data_dir=d)
    assert proc.returncode == 2 and "路人" in proc.stderr
    # one after-photo offered as proof for two findings: the second needs --reuse-reason
    fresh = make_photo(tmp_path / "fresh.jpg", scene="membrane", label="x", taken_at=datetime(2025, 5, 20, 16), seed=10)
    g = json.loads(cli("--json", *base, "--coverage", "WPI-2", "--division", "01", "--grade", "D", "--floor", "B2",
                       data_dir=d, check=True).stdout)
    for target in (f, g):
        cli("photos", "import", "--finding", str(target["id"]), "--role", "after", str(fresh), data_dir=d, check=True)
    accept = ["finding", "verify", "--result", "accepted", "--visit", str(visit["id"]), "--inspector", "赵工"]
    cli(*accept[:2], str(f["id"]), *accept[2:], data_dir=d, check=True)
    proc = cli(*accept[:2], str(g["id"]), *accept[2:], data_dir=d)
    assert proc.returncode == 2 and "已作为 F" in proc.stderr
    cli(*accept[:2], str(g["id"]), *accept[2:], "--reuse-reason", "两处相邻，一张照片同时拍到", data_dir=d, check=True)


def test_visits_without_an_issued_process_report_are_named(ctx, project, visit):
    gate = findings.final_gate(ctx.db, project.id)
    assert gate.visits_without_report == [1] and gate.process_reports == []
    reason = next(r for r in gate.reasons if r.code == "visits_without_report")
    assert not reason.blocking and reason.items == ["1"]


def test_visit_numbers_read_as_ranges():
    from inspector_app.services.rules import number_ranges

    assert number_ranges([5, 1, 2, 3]) == ["1-3", "5"] and number_ranges([2, 4, 5, 6, 9]) == ["2", "4-6", "9"]
    assert number_ranges([]) == []
