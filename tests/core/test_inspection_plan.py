"""The plan as Art. 17 and Art. 10 read it: the developer's confirmation, key processes, node notices,
and nodes waived with a reason by an inspector of the agency. Each write is audited."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from inspector_app.errors import ValidationError
from inspector_app.messages import text
from inspector_app.models import AuditEntry
from inspector_app.services import inspection_plan, projects, visits

TOMORROW = date.today() + timedelta(days=1)


def _node(project, code: str):
    return next(n for n in project.nodes if n.code == code)


def _audited(ctx, table: str, row_id: int) -> list[str]:
    with ctx.db.read() as s:
        return list(s.execute(select(AuditEntry.action).where(AuditEntry.table_name == table,
                                                              AuditEntry.row_id == row_id)).scalars())


def test_the_developer_confirms_the_plan(ctx, spec):
    del spec["plan"]
    p = projects.create_project(ctx.db, spec)
    assert "plan_not_confirmed" in [w.code for w in p.warnings]
    d = inspection_plan.confirm_plan(ctx.db, p.code, date(2025, 3, 20), " 孙经理 ")
    assert (d.plan_confirmed_on, d.plan_confirmed_by) == (date(2025, 3, 20), "孙经理")
    assert "plan_not_confirmed" not in [w.code for w in d.warnings]
    assert _audited(ctx, "project", p.id)[-1] == "update"


@pytest.mark.parametrize("on, by, field", [(date(2025, 3, 20), "  ", "inspection_plan.confirmed_by"),
                                           (TOMORROW, "孙经理", "inspection_plan.confirmed_on")])
def test_a_wrong_confirmation_is_refused(ctx, project, on, by, field):
    with pytest.raises(ValidationError) as err:
        inspection_plan.confirm_plan(ctx.db, project.id, on, by)
    assert err.value.field == field
    assert projects.get_project(ctx.db, project.id).plan_confirmed_by == "孙经理"


def test_key_processes_are_set_and_cleared(ctx, project):
    d = inspection_plan.set_key_processes(ctx.db, project.id, [" 地下室防水 ", "", "屋面防水\n外墙保温"])
    assert d.key_processes == ["地下室防水", "屋面防水", "外墙保温"]
    assert inspection_plan.set_key_processes(ctx.db, project.id, []).key_processes == []
    with pytest.raises(ValidationError, match="重点工序"):
        inspection_plan.set_key_processes(ctx.db, project.id, ["防" * 201])


def test_the_developer_notice_of_a_node_is_recorded_not_in_the_future(ctx, project):
    node = _node(project, "N03")
    info = inspection_plan.record_notification(ctx.db, node.id, date(2025, 6, 10))
    assert info.notified_on == date(2025, 6, 10)
    assert _node(projects.get_project(ctx.db, project.id), "N03").notified_on == date(2025, 6, 10)
    with pytest.raises(ValidationError) as err:
        inspection_plan.record_notification(ctx.db, node.id, TOMORROW)
    assert err.value.field == "node.notified_on" and "建设单位通知日期" in err.value.message
    assert _audited(ctx, "plan_node", node.id).count("update") == 1


def test_a_node_is_waived_with_a_reason_by_an_inspector_and_unwaived(ctx, project):
    node = _node(project, "N17")
    info = inspection_plan.waive_node(ctx.db, node.id, "本项目未投保设备安装相关附加险", "钱工")
    assert (info.status, info.waived_by, info.waived_on) == ("waived", "钱工", date.today())
    shown = _node(projects.get_project(ctx.db, project.id), "N17")
    assert shown.status == "waived" and shown.waived_reason == "本项目未投保设备安装相关附加险"
    back = inspection_plan.unwaive_node(ctx.db, node.id)
    assert back.status == "planned" and back.waived_reason is None and back.waived_by is None
    assert _audited(ctx, "plan_node", node.id).count("update") == 2  # the waiver stays in the audit log
    with pytest.raises(ValidationError, match="没有免检"):
        inspection_plan.unwaive_node(ctx.db, node.id)


@pytest.mark.parametrize("reason, by, field, words", [
    ("  ", "赵工", "node.waived_reason", "免检必须说明原因"),
    ("不适用", "王五", "node.waived_by", "王五 不是本项目风险管理机构的在册检查人员"),
    ("不适用", "", "node.waived_by", "在册：赵工、钱工"),
])
def test_a_waiver_without_reason_or_by_someone_not_an_inspector_is_refused(ctx, project, reason, by, field, words):
    node = _node(project, "N18")
    with pytest.raises(ValidationError) as err:
        inspection_plan.waive_node(ctx.db, node.id, reason, by)
    assert err.value.field == field and words in err.value.message
    assert _node(projects.get_project(ctx.db, project.id), "N18").status == "planned"


def test_an_inspector_of_another_agency_cannot_waive(ctx, spec, project):
    other = dict(spec, project={**spec["project"], "code": "OTHER"}, policy={**spec["policy"], "policy_no": "P-OTHER"},
                 agency={"name": "另一风险管理机构", "inspectors": [{"name": "周工"}]})
    projects.create_project(ctx.db, other)
    with pytest.raises(ValidationError, match="周工 不是"):
        inspection_plan.waive_node(ctx.db, _node(project, "N18").id, "不适用", "周工")


def test_a_node_inspected_in_a_visit_cannot_be_waived(ctx, project):
    visits.start_visit(ctx.db, project.id, datetime(2025, 4, 2, 9), node_codes=["N01"], inspectors=["赵工"])
    with pytest.raises(ValidationError) as err:
        inspection_plan.waive_node(ctx.db, _node(project, "N01").id, "已开工", "赵工")
    assert err.value.key == "node.waive_inspected" and "第 1 次巡查" in err.value.message
    assert "visit 1" in text(err.value.key, err.value.params, "en")


def test_the_status_list_cannot_waive_without_a_reason(ctx, project):
    node = _node(project, "N18")
    assert "waived" in projects.NODE_STATUSES
    with pytest.raises(ValidationError, match="免检须说明原因"):
        projects.update_node(ctx.db, node.id, status="waived")
    inspection_plan.waive_node(ctx.db, node.id, "不适用", "赵工")
    with pytest.raises(ValidationError, match="请先撤销免检"):
        projects.update_node(ctx.db, node.id, status="planned")


def test_a_node_is_found_by_its_code(ctx, project):
    assert inspection_plan.find_node(ctx.db, project.code, "n19") == _node(project, "N19").id
    with pytest.raises(ValidationError, match="N99"):
        inspection_plan.find_node(ctx.db, project.code, "N99")
