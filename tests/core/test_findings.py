from datetime import date, datetime, timedelta

import pytest
from PIL import Image

from inspector_app.errors import RuleViolation, ValidationError
from inspector_app.services import findings, photos, projects, visits


@pytest.fixture
def visit(ctx, project):
    return visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9, 30), node_codes=["N03"],
                              inspectors=["赵工", "钱工"], weather="晴", temperature_c=22,
                              attendees=[{"role": "supervision", "name": "孙总监", "title": "总监理工程师"}],
                              progress={"1#楼": "筏板防水施工", "2#楼": "垫层完成"}, summary="底板防水节点检查")


def add(ctx, visit, **kw):
    args = dict(building="1#楼", coverage="WPI-2", division="01", subdivision="0107", grade="C",
                description="底板防水卷材搭接宽度不足 80mm", floor="B3", location="③~⑤/Ⓐ~Ⓑ轴")
    args.update(kw)
    return findings.record_finding(ctx.db, visit.id, **args)


def after_photo(ctx, tmp_path, finding_id, name="after.jpg"):
    path = tmp_path / name
    Image.new("RGB", (640, 480), (120, 130, 140)).save(path, "JPEG")
    return list(photos.import_photos(ctx.db, ctx.store, [path], finding_id=finding_id, role="after", workers=1))


def test_visit_records_nodes_inspectors_attendees_progress(ctx, visit, project):
    assert visit.number == 1 and visit.nodes == ["N03"] and visit.inspectors == ["赵工", "钱工"]
    assert visit.progress == {"1#楼": "筏板防水施工", "2#楼": "垫层完成"}
    node = next(n for n in projects.get_project(ctx.db, project.id).nodes if n.code == "N03")
    assert node.status == "inspected" and node.reached_date == date(2025, 5, 20)


@pytest.mark.parametrize("when, msg", [(datetime(2025, 3, 1, 9), "早于保单签发日期"),
                                       (datetime.now() + timedelta(days=5), "在未来")])
def test_impossible_visit_dates(ctx, project, when, msg):
    with pytest.raises(ValidationError, match=msg):
        visits.start_visit(ctx.db, project.id, when, node_codes=["N01"])


def test_visit_refuses_unknown_node_inspector_building(ctx, project):
    day = datetime(2025, 5, 1, 9)
    with pytest.raises(ValidationError, match="N99"):
        visits.start_visit(ctx.db, project.id, day, node_codes=["N99"])
    with pytest.raises(ValidationError, match="未登记"):
        visits.start_visit(ctx.db, project.id, day, node_codes=["N01"], inspectors=["路人"])
    with pytest.raises(ValidationError, match="9#楼"):
        visits.start_visit(ctx.db, project.id, day, node_codes=["N01"], progress={"9#楼": "x"})


def test_finding_fields_numbering_and_default_deadline(ctx, visit):
    f1 = add(ctx, visit)
    f2 = add(ctx, visit, grade="B", responsible="construction", clause="GB 50208-2011 4.3.x")
    assert (f1.number, f2.number) == (1, 2) and f1.label == "F001"
    assert f1.status == "open" and f1.grade_found == f1.grade_now == "C" and not f1.is_serious
    assert f2.responsible_party == "示例建工集团有限公司"
    assert f1.deadline is not None and f1.deadline > f1.found_on
    assert [e.to_value for e in f1.history] == ["open"]


@pytest.mark.parametrize("kw, msg", [
    ({"deadline": date(2025, 5, 1)}, "早于发现日期"),
    ({"grade": "Z"}, "未知等级"),
    ({"coverage": "STR-9"}, "未知类别"),
    ({"division": "11"}, "没有分部"),
    ({"subdivision": "0201"}, "不是分部 01"),
    ({"building": "9#楼"}, "没有 9#楼"),
    ({"description": "  "}, "必填"),
    ({"description": "长" * 2001}, "过长"),
    ({"serious": True}, "理由"),
    ({"responsible": "不存在的单位"}, "参建单位"),
])
def test_bad_findings_are_refused(ctx, visit, kw, msg):
    with pytest.raises(ValidationError, match=msg):
        add(ctx, visit, **kw)


def test_serious_from_grade_or_inspector(ctx, visit):
    assert add(ctx, visit, grade="D").is_serious
    behaviour = add(ctx, visit, grade="E")  # a quality-behaviour risk: reported, not serious by its grade
    assert not behaviour.is_serious
    assert findings.set_serious(ctx.db, behaviour.id, True, "未经监理验收即隐蔽，实体质量无法确认").is_serious
    marked = add(ctx, visit, grade="C", serious=True, serious_reason="悬挑板上铁下沉，影响使用安全")
    assert marked.is_serious and marked.serious_reason
    f = add(ctx, visit, grade="B")
    f = findings.change_grade(ctx.db, f.id, "D", "复核后发现裂缝贯通")
    assert f.is_serious and f.grade_found == "B" and f.grade_now == "D"
    f = findings.set_serious(ctx.db, f.id, False, "经设计复核，非结构性裂缝")
    assert not f.is_serious and [e.kind for e in f.history] == ["status", "grade", "serious"]


def test_life_of_a_finding(ctx, project, visit, tmp_path):
    f = add(ctx, visit, grade="D")
    f = findings.reply_rectification(ctx.db, f.id, "已返工，增设附加层", replied_on=date(2025, 5, 23))
    assert f.status == "replied"
    recheck = visits.start_visit(ctx.db, project.id, datetime(2025, 5, 25, 9), node_codes=["N03"])
    with pytest.raises(ValidationError, match="整改后照片"):
        findings.verify_rectification(ctx.db, f.id, "accepted", verified_on=date(2025, 5, 25))
    f = findings.verify_rectification(ctx.db, f.id, "rejected", verified_on=date(2025, 5, 25), notes="附加层宽度不足")
    assert f.status == "open"
    findings.reply_rectification(ctx.db, f.id, "再次返工", replied_on=date(2025, 5, 27))
    after_photo(ctx, tmp_path, f.id)
    with pytest.raises(ValidationError, match="早于整改回复日期"):
        findings.verify_rectification(ctx.db, f.id, "accepted", visit_id=recheck.id)
    last = visits.start_visit(ctx.db, project.id, datetime(2025, 5, 29, 9), node_codes=["N04"])
    f = findings.verify_rectification(ctx.db, f.id, "accepted", verified_on=date(2025, 5, 29), inspector="赵工",
                                      grade_now="B", visit_id=last.id)
    assert f.status == "verified" and f.closed_on == date(2025, 5, 29) and f.grade_now == "B" and f.is_serious
    statuses = [(e.from_value, e.to_value) for e in f.history if e.kind == "status"]
    assert statuses == [(None, "open"), ("open", "replied"), ("replied", "open"), ("open", "replied"),
                        ("replied", "verified")]
    assert all(e.actor == "赵工" for e in f.history)
    with pytest.raises(RuleViolation):
        findings.reply_rectification(ctx.db, f.id, "again", replied_on=date(2025, 5, 30))
    f = findings.reopen_finding(ctx.db, f.id, "雨后复现渗漏")
    assert f.status == "open" and f.closed_on is None


def test_reply_dates_cannot_be_impossible(ctx, visit):
    f = add(ctx, visit)
    with pytest.raises(ValidationError, match="早于问题发现日期"):
        findings.reply_rectification(ctx.db, f.id, "x", replied_on=date(2025, 5, 1))
    with pytest.raises(ValidationError, match="在未来"):
        findings.reply_rectification(ctx.db, f.id, "x", replied_on=date.today() + timedelta(days=9))


def test_close_needs_a_reason(ctx, visit):
    f = add(ctx, visit)
    with pytest.raises(RuleViolation, match="原因"):
        findings.close_finding(ctx.db, f.id, "")
    assert findings.close_finding(ctx.db, f.id, "经设计书面确认不构成缺陷").status == "closed"


def test_overdue_carry_forward_and_gate(ctx, project, visit, tmp_path):
    late = add(ctx, visit, deadline=date(2025, 5, 27))
    serious = add(ctx, visit, grade="D", deadline=date(2025, 5, 23))
    done = add(ctx, visit, grade="B")
    findings.close_finding(ctx.db, done.id, "误报")
    assert {f.id for f in findings.overdue_findings(ctx.db, project.id, today=date(2025, 6, 1))} == {late.id, serious.id}
    assert findings.overdue_findings(ctx.db, project.id, today=date(2025, 5, 24)) == [] or \
        [f.id for f in findings.overdue_findings(ctx.db, project.id, today=date(2025, 5, 24))] == [serious.id]
    second = visits.start_visit(ctx.db, project.id, datetime(2025, 6, 3, 9), node_codes=["N04"])
    carried = findings.carried_forward(ctx.db, second.id)
    assert [f.id for f in carried] == [serious.id, late.id]  # earliest deadline first
    assert all(f.overdue for f in carried)
    gate = findings.final_gate(ctx.db, project.id)
    assert not gate.passed and [f.id for f in gate.blocking] == [serious.id]
    after_photo(ctx, tmp_path, serious.id)
    findings.verify_rectification(ctx.db, serious.id, "accepted", verified_on=date(2025, 6, 3))
    gate = findings.final_gate(ctx.db, project.id)
    assert gate.blocking == [] and gate.serious_verified == 1
    # still closed: most of the plan's nodes were never inspected (tests/core/test_gate.py)
    assert not gate.passed and [r.code for r in gate.reasons if r.blocking] == ["nodes_not_inspected"]
