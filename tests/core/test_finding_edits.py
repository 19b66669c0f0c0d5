"""Every field of a saved finding edited, audited and undone; steps that cannot be undone; the
new deadline of a re-opened finding; a new finding's tags from the visit's nodes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from inspector_app.errors import RuleViolation, ValidationError
from inspector_app.models import AuditEntry
from inspector_app.models.auditing import verify_chain
from inspector_app.rulesets import load_ruleset
from inspector_app.services import findings, visits
from inspector_app.services.finding_edits import edit_finding
from inspector_app.services.suggestions import EntryDefaults, entry_suggestions, node_defaults
from inspector_app.services.undo import UndoStack, edit_finding_undoable, record_step


def _finding(ctx, visit, **extra):
    fields = dict(building="1#楼", coverage="WPI-2", division="01", subdivision="0107", grade="C",
                  description="底板防水卷材搭接不足", floor="B2")
    return findings.record_finding(ctx.db, visit.id, **(fields | extra))


def test_every_field_is_edited_audited_and_undone_step_by_step(ctx, visit):
    f = _finding(ctx, visit)
    stack = UndoStack()
    steps = [dict(building="2#楼"), dict(floor="B1"), dict(location="后浇带"), dict(description="卷材搭接 60mm"),
             dict(deadline=date(2025, 7, 1)), dict(responsible="示例建工集团有限公司"),
             dict(coverage="STR-3", subdivision="0102"), dict(grade="D")]
    for step in steps:
        edit_finding_undoable(stack, ctx.db, f.id, reason="复核图纸后更正" if "grade" in step else None, **step)
    edit_finding_undoable(stack, ctx.db, f.id, serious=False, serious_reason="经设计确认不影响结构安全")
    now = findings.get_finding(ctx.db, f.id)
    assert (now.building, now.floor, now.location, now.description) == ("2#楼", "B1", "后浇带", "卷材搭接 60mm")
    assert (now.deadline, now.responsible_party) == (date(2025, 7, 1), "示例建工集团有限公司")
    assert (now.coverage_code, now.division_code, now.subdivision_code) == ("STR-3", "01", "0102")
    assert (now.grade_found, now.grade_now) == ("D", "D")  # before a re-check the grade as found is corrected
    assert not now.is_serious and now.serious_reason == "经设计确认不影响结构安全"
    assert [(e.kind, e.to_value, e.reason) for e in now.history if e.kind != "status"] == [
        ("deadline", "2025-07-01", None), ("grade", "D", "复核图纸后更正"), ("serious", "False", "经设计确认不影响结构安全")]
    while stack.can_undo():
        stack.undo()
    back = findings.get_finding(ctx.db, f.id)
    for key in ("building", "floor", "location", "description", "deadline", "responsible_party", "coverage_code",
                "division_code", "subdivision_code", "grade_found", "grade_now", "is_serious", "serious_reason"):
        assert getattr(back, key) == getattr(f, key), key
    assert [e.reason for e in back.history if e.kind == "grade"] == ["复核图纸后更正", "撤销：复核图纸后更正"]
    while stack.can_redo():
        stack.redo()
    assert findings.get_finding(ctx.db, f.id).grade_now == "D"
    with ctx.db.read() as s:
        assert verify_chain(s) == []
        assert len(s.execute(select(AuditEntry).where(AuditEntry.table_name == "finding",
                                                      AuditEntry.row_id == f.id)).all()) >= 3 * len(steps)


def test_empty_required_fields_are_refused_by_name_never_an_integrity_error(ctx, visit):
    f = _finding(ctx, visit)
    for field, value, words in (("description", None, "问题描述"), ("description", "", "问题描述"),
                                ("building", None, "单体"), ("coverage", " ", "承保类别"), ("grade", None, "等级")):
        with pytest.raises(ValidationError, match=words) as err:
            edit_finding(ctx.db, f.id, **{field: value})
        assert err.value.field == f"finding.{field}" and "必填" in str(err.value)
    assert findings.get_finding(ctx.db, f.id).description == "底板防水卷材搭接不足"


def test_the_rules_of_recording_hold_for_an_edit(ctx, visit):
    f = _finding(ctx, visit)
    with pytest.raises(ValidationError, match="项目中没有 9#楼"):
        edit_finding(ctx.db, f.id, building="9#楼")
    with pytest.raises(ValidationError, match="由 C 改为 D 必须说明原因"):
        edit_finding(ctx.db, f.id, grade="D")
    with pytest.raises(ValidationError, match="分部 02 不在承保类别 WPI-2"):
        edit_finding(ctx.db, f.id, subdivision="0201")
    edit_finding(ctx.db, f.id, subdivision="0201", tag_reason="底板与墙体交接处渗漏")  # with its reason
    with pytest.raises(ValidationError, match="不是分部 01 的子分部"):
        edit_finding(ctx.db, f.id, subdivision="0201", division="01")
    with pytest.raises(ValidationError, match="严重缺陷.*理由"):
        edit_finding(ctx.db, f.id, serious=True)
    with pytest.raises(ValidationError, match="未投保附加险 RID-PLB"):
        edit_finding(ctx.db, f.id, coverage="RID-PLB", subdivision="0501")
    assert findings.get_finding(ctx.db, f.id).subdivision_code == "0201"


def test_after_a_recheck_the_grade_as_found_stays(ctx, visit):
    f = _finding(ctx, visit)
    findings.verify_rectification(ctx.db, f.id, "rejected", visit_id=visit.id, inspector="赵工", notes="仍渗漏")
    info, old = edit_finding(ctx.db, f.id, grade="D", reason="复查后发现渗漏扩大")
    assert (info.grade_found, info.grade_now, info.is_serious) == ("C", "D", True) and old == {"grade": "C"}
    findings.close_finding(ctx.db, f.id, "经设计单位书面确认不构成缺陷")
    with pytest.raises(RuleViolation, match="已关闭"):
        edit_finding(ctx.db, f.id, grade="C", reason="x")


def test_a_step_that_cannot_be_undone_stops_undo_from_reaching_older_edits(ctx, visit):
    f = _finding(ctx, visit)
    stack = UndoStack()
    edit_finding_undoable(stack, ctx.db, f.id, location="集水坑")
    findings.reply_rectification(ctx.db, f.id, "已返工", replied_on=date(2025, 5, 22))
    record_step(stack, "reply", "F001", f.id)
    assert not stack.can_undo() and stack.blocked_by() == "整改回复 F001"
    with pytest.raises(RuleViolation, match="「整改回复 F001」不能撤销"):
        stack.undo()
    assert findings.get_finding(ctx.db, f.id).location == "集水坑"  # the older edit stays
    edit_finding_undoable(stack, ctx.db, f.id, floor="B3")
    assert stack.can_undo()
    stack.undo()  # an edit after the step is undone as usual
    assert findings.get_finding(ctx.db, f.id).floor == "B2" and not stack.can_undo()


def test_reopening_sets_a_new_deadline(ctx, visit):
    f = _finding(ctx, visit)
    findings.close_finding(ctx.db, f.id, "误报")
    with pytest.raises(ValidationError, match="早于今天"):
        findings.reopen_finding(ctx.db, f.id, "复现", deadline=date.today() - timedelta(days=1))
    day = date.today() + timedelta(days=10)
    assert findings.reopen_finding(ctx.db, f.id, "雨后复现渗漏", deadline=day).deadline == day
    findings.close_finding(ctx.db, f.id, "误报")
    again = findings.reopen_finding(ctx.db, f.id, "再次复现")  # none given: today plus the grade's days
    rs = load_ruleset("beijing-2019")
    assert again.deadline == date.today() + timedelta(days=rs.grades["C"].deadline_days)
    moves = [(e.from_value, e.to_value) for e in again.history if e.kind == "deadline"]
    assert moves == [(f.deadline.isoformat(), day.isoformat()), (day.isoformat(), again.deadline.isoformat())]


def test_a_new_finding_starts_with_the_tags_of_the_visits_nodes(ctx, project, visit):
    rs = load_ruleset(project.ruleset, project.ruleset_version)
    assert node_defaults(rs, ["N03"]) == EntryDefaults("01", "0107", "WPI-2")
    assert node_defaults(rs, ["N15", "N03"]) == EntryDefaults("03", "0301", "WPI-2")  # the visit's first node
    assert node_defaults(rs, ["X99"]) is None
    later = visits.start_visit(ctx.db, project.id, datetime(2025, 6, 20, 9), node_codes=["N06"], inspectors=["赵工"])
    sug = entry_suggestions(ctx.db, project.id)
    assert sug.visit_defaults[visit.id] == EntryDefaults("01", "0107", "WPI-2")
    assert sug.visit_defaults[later.id] == EntryDefaults("02", "0201", "STR-3")
