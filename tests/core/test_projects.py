import pytest
from sqlalchemy import func, select

from inspector_app.errors import ValidationError
from inspector_app.models import Project
from inspector_app.services import projects


def test_create_from_example_file(project):
    assert project.code == "BJ-CY-2025-003"
    assert project.ruleset == "beijing-2019" and project.ruleset_version
    assert [b.name for b in project.buildings] == ["1#楼", "2#楼"]
    assert sorted(n.code for n in project.nodes) == [f"N{i:02d}" for i in range(1, 21)]  # N09 before N08
    assert all(n.planned_date for n in project.nodes)
    assert sum(i.share_percent for i in project.insurers) == 100
    assert {c.code for c in project.coverage} == {"STR", "WPI", "RID-DEC"}
    assert project.risk_fee_yuan == "2175000.00"


def test_coverage_windows_follow_acceptance(ctx, spec):
    spec["policy"]["actual_acceptance_date"] = "2027-06-28"
    spec["policy"]["coverage"] = [{"code": "WPI", "starts_on": "2029-07-01", "ends_on": "2034-06-30",
                                   "reason": "保单特别约定：自2029年7月1日起算"}]
    d = projects.create_project(ctx.db, spec)
    cov = {c.code: c for c in d.coverage}
    assert str(cov["STR"].starts_on) == "2029-06-28" and str(cov["STR"].ends_on) == "2039-06-27"
    assert str(cov["WPI"].starts_on) == "2029-07-01" and cov["WPI"].stated
    assert str(cov["RID-DEC"].ends_on) == "2031-06-27"


@pytest.mark.parametrize("mutate, field", [
    (lambda s: s["policy"].update(risk_fee_yuan="2610000.01"), "风险管理费"),
    (lambda s: s["policy"]["insurers"].pop(), "共保体"),
    (lambda s: s["policy"]["insurers"][0].update(share_percent=41), "共保份额"),
    (lambda s: s["policy"].update(premium_yuan="-1"), "policy.premium_yuan"),
    (lambda s: s["policy"].update(issued_on="2025-02-30"), "policy.issued_on"),
    (lambda s: s["parties"][0].update(credit_code="91110105MA02RTY09Q"), "统一社会信用代码"),
    (lambda s: s["policy"].update(riders=["RID-XYZ"]), "policy.riders"),
    (lambda s: s.update(buildings=[]), "buildings"),
])
def test_invalid_specs_are_refused_and_nothing_is_written(ctx, spec, mutate, field):
    mutate(spec)
    with pytest.raises(ValidationError) as err:
        projects.create_project(ctx.db, spec)
    assert field in str(err.value)
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Project)) == 0


def test_duplicate_code_refused(ctx, project, spec):
    spec["policy"]["policy_no"] = "OTHER"
    with pytest.raises(ValidationError, match="已存在"):
        projects.create_project(ctx.db, spec)


def test_plan_nodes_are_editable(ctx, project):
    from datetime import date

    node = projects.update_node(ctx.db, project.nodes[2].id, planned_date=date(2025, 6, 1), status="skipped")
    assert node.status == "skipped" and node.planned_date == date(2025, 6, 1)
    with pytest.raises(ValidationError):
        projects.update_node(ctx.db, project.nodes[2].id, status="whatever")


# -- the project file, the policy and the plan as the regulation reads (issue 11) ---------------------
import copy  # noqa: E402
import json  # noqa: E402
from datetime import date, timedelta  # noqa: E402

from inspector_app.messages import text  # noqa: E402
from inspector_app.paths import resource_path  # noqa: E402


def _refused(ctx, spec) -> ValidationError:
    with pytest.raises(ValidationError) as err:
        projects.create_project(ctx.db, spec)
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Project)) == 0
    return err.value


def test_the_example_and_the_demo_project_files_hold_only_known_keys(example_spec):
    assert projects.unknown_spec_keys(example_spec) == []
    demo = json.loads(resource_path("demo", "demo_project.json").read_text(encoding="utf-8"))
    assert projects.unknown_spec_keys(demo["spec"]) == []


@pytest.mark.parametrize("mutate, key", [
    (lambda s: s["policy"].update(deductible_yuan="50000"), "policy.deductible_yuan"),
    (lambda s: s["project"].update(permit_date="2025-03-01"), "project.permit_date"),
    (lambda s: s["parties"][1].update(fax="010-1234"), "parties[2].fax"),
    (lambda s: s["policy"]["insurers"][0].update(rate="0.8%"), "policy.insurers[1].rate"),
    (lambda s: s["policy"].update(coverage=[{"code": "STR", "deductible": 0}]), "policy.coverage[1].deductible"),
    (lambda s: s["policy"].update(riders=[{"code": "RID-DEC", "deductible_yuan": 1}]), "policy.riders[1].deductible_yuan"),
    (lambda s: s["agency"]["inspectors"][0].update(email="a@b.cn"), "agency.inspectors[1].email"),
    (lambda s: s["buildings"][0].update(height_m=90), "buildings[1].height_m"),
    (lambda s: s["plan"].update(approved=True), "plan.approved"),
    (lambda s: s.update(nodes=[{"code": "N01", "name": "开工", "inspector": "赵工"}]), "nodes[1].inspector"),
    (lambda s: s.update(deductible_yuan=0), "deductible_yuan"),
])
def test_a_project_file_with_an_unknown_key_is_refused_naming_it(ctx, spec, mutate, key):
    mutate(spec)
    err = _refused(ctx, spec)
    assert err.key == "spec.unknown_keys" and err.params["keys"] == [key]
    assert key in err.message and "项目说明文件" in err.message


def test_every_unknown_key_is_named_at_once(ctx, spec):
    spec["policy"]["deductible_yuan"] = "1"
    spec["project"]["permit_date"] = "2025-03-01"
    err = _refused(ctx, spec)
    assert set(err.params["keys"]) == {"policy.deductible_yuan", "project.permit_date"}
    assert "project.permit_date" in text(err.key, err.params, "en")


def test_a_section_of_the_wrong_shape_is_refused(ctx, spec):
    spec["agency"] = ["示例工程风险管理咨询有限公司"]
    assert _refused(ctx, spec).field == "agency"


def test_a_project_needs_an_agency_with_an_inspector(ctx, spec):
    no_agency = copy.deepcopy(spec)
    del no_agency["agency"]
    err = _refused(ctx, no_agency)
    assert err.field == "agency" and "第十八条" in err.message
    spec["agency"]["inspectors"] = []
    err = _refused(ctx, spec)
    assert err.field == "agency.inspectors" and "示例工程风险管理咨询有限公司" in err.message


@pytest.mark.parametrize("index, role_name", [(0, "建设单位"), (1, "施工单位"), (2, "监理单位")])
def test_an_agency_that_is_a_party_is_refused_naming_the_party(ctx, spec, index, role_name):
    party = spec["parties"][index]
    spec["agency"]["credit_code"] = party["credit_code"]
    err = _refused(ctx, spec)
    assert err.field == "agency.credit_code" and err.key == "agency.not_independent"
    assert party["name"] in err.message and role_name in err.message and "第十八条" in err.message


def test_an_agency_named_as_a_party_is_refused(ctx, spec):
    spec["parties"].append({"role": "supplier", "name": spec["agency"]["name"], "scope": "预拌混凝土"})
    err = _refused(ctx, spec)
    assert err.key == "agency.same_name_as_party" and "供应单位" in err.message


def test_an_existing_agency_is_checked_against_the_new_project_parties(ctx, spec, project):
    """The agency is found by its credit code (registered with a first project); a second project whose
    contractor has that code is refused though the file names the agency differently."""
    second = copy.deepcopy(spec)
    second["project"]["code"], second["policy"]["policy_no"] = "BJ-CY-2025-004", "IDI-2025-BJ-000322"
    second["agency"] = {"name": "另一名称", "credit_code": spec["agency"]["credit_code"]}
    second["parties"][1]["credit_code"] = spec["agency"]["credit_code"]
    with pytest.raises(ValidationError) as err:
        projects.create_project(ctx.db, second)
    assert err.value.key == "agency.not_independent" and second["parties"][1]["name"] in err.value.message
    assert [p.code for p in projects.list_projects(ctx.db)] == [project.code]


def _codes(detail) -> list[str]:
    return [w.code for w in detail.warnings]


def test_the_permit_date_is_stored_and_a_policy_after_it_is_flagged(ctx, spec):
    d = projects.create_project(ctx.db, spec)  # the example: issued 2025-03-15, permit 2025-03-28
    assert d.permit_date == date(2025, 3, 28) and "policy_after_permit" not in _codes(d)
    spec["project"]["code"], spec["policy"]["policy_no"] = "P2", "IDI-P2"
    spec["policy"]["permit_date"] = "2025-03-01"
    d = projects.create_project(ctx.db, spec)
    w = next(w for w in d.warnings if w.code == "policy_after_permit")
    assert not w.blocking
    assert text(w.key, w.params) == ("保单签发日 2025-03-15 晚于施工许可证核发日 2025-03-01：第十条要求建设单位在办理"
                                     "施工许可证前投保")
    assert "Art. 10" in text(w.key, w.params, "en")


def test_a_policy_outside_the_rule_set_validity_is_accepted_with_a_warning(ctx, spec):
    d = projects.create_project(ctx.db, spec)
    assert d.ruleset_valid_until == date(2024, 4, 30)
    w = next(w for w in d.warnings if w.code == "ruleset_validity")
    assert text(w.key, w.params) == ("依据《北京市住宅工程质量潜在缺陷保险暂行管理办法》（有效期至2024-04-30）："
                                     "保单签发日 2025-03-15 在有效期外")
    assert "valid until 2024-04-30" in text(w.key, w.params, "en")


@pytest.mark.parametrize("issued, flagged", [("2024-04-30", False), ("2019-04-24", False), ("2024-05-01", True),
                                             ("2019-04-23", True)])
def test_the_validity_bounds_are_inclusive(ctx, spec, issued, flagged):
    spec["policy"]["issued_on"] = issued
    spec["plan"]["confirmed_on"] = issued
    d = projects.create_project(ctx.db, spec)
    assert ("ruleset_validity" in _codes(d)) is flagged


def test_cover_dates_that_contradict_art_5_need_a_reason(ctx, spec):
    spec["policy"]["actual_acceptance_date"] = "2027-06-28"
    spec["policy"]["coverage"] = [{"code": "STR", "starts_on": "2029-06-28", "ends_on": "2037-06-27"}]
    err = _refused(ctx, spec)
    assert err.field == "policy.coverage.STR" and err.key == "policy.period_contradicts"
    for part in ("STR", "2029-06-28", "2037-06-27", "第五条", "10 年", "2039-06-27", "reason"):
        assert part in err.message, part
    spec["policy"]["coverage"][0]["reason"] = "共保体特别约定：结构保险期间 8 年"
    d = projects.create_project(ctx.db, spec)
    w = next(w for w in d.warnings if w.code == "period_contradiction")
    assert w.items == ["STR"] and "共保体特别约定" in text(w.key, w.params)
    assert next(c for c in d.coverage if c.code == "STR").period_reason == "共保体特别约定：结构保险期间 8 年"


def test_a_start_other_than_two_years_after_acceptance_needs_a_reason(ctx, spec):
    spec["policy"]["actual_acceptance_date"] = "2027-06-28"
    spec["policy"]["coverage"] = [{"code": "WPI", "starts_on": "2027-06-28"}]
    err = _refused(ctx, spec)
    assert "2029-06-28" in err.message and "WPI" in err.message


@pytest.mark.parametrize("acceptance, cover", [
    ("2027-06-28", {"code": "STR", "starts_on": "2029-06-28", "ends_on": "2039-06-27"}),  # 0:00 to 24:00
    ("2027-06-28", {"code": "STR", "starts_on": "2029-06-28", "ends_on": "2039-06-28"}),  # 0:00 to 0:00
    ("2028-02-29", {"code": "WPI", "starts_on": "2030-02-28", "ends_on": "2035-02-27"}),  # 29 Feb + 2 y -> 28 Feb
    (None, {"code": "WPI", "starts_on": "2030-01-01", "ends_on": "2034-12-31"}),  # no acceptance: length only
    ("2027-06-28", {"code": "RID-DEC", "starts_on": "2027-07-01", "ends_on": "2029-06-30"}),  # a rider's own start
])
def test_cover_dates_that_agree_need_no_reason(ctx, spec, acceptance, cover):
    if acceptance:
        spec["policy"]["actual_acceptance_date"] = acceptance
    spec["policy"]["coverage"] = [cover]
    d = projects.create_project(ctx.db, spec)
    assert "period_contradiction" not in _codes(d)


def test_a_rider_period_is_checked_against_the_policy_terms(ctx, spec):
    spec["policy"]["coverage"] = [{"code": "RID-DEC", "starts_on": "2029-06-28", "ends_on": "2032-06-27"}]
    err = _refused(ctx, spec)
    assert err.field == "policy.coverage.RID-DEC" and "2 年" in err.message and "第六条" in err.message


def test_the_plan_section_is_stored(ctx, spec):
    d = projects.create_project(ctx.db, spec)
    assert d.plan_confirmed_on == date(2025, 3, 20) and d.plan_confirmed_by == "孙经理"
    assert d.key_processes[0] == "CFG 桩复合地基施工" and len(d.key_processes) == 6
    assert "plan_not_confirmed" not in _codes(d)


def test_a_plan_without_the_developer_confirmation_is_flagged(ctx, spec):
    del spec["plan"]
    d = projects.create_project(ctx.db, spec)
    w = next(w for w in d.warnings if w.code == "plan_not_confirmed")
    assert "建设单位确认" in text(w.key, w.params) and not w.blocking


@pytest.mark.parametrize("plan, field", [
    ({"confirmed_on": "2025-03-20"}, "plan.confirmed_by"),
    ({"confirmed_by": "孙经理"}, "plan.confirmed_on"),
    ({"confirmed_on": (date.today() + timedelta(days=3)).isoformat(), "confirmed_by": "孙经理"}, "plan.confirmed_on"),
    ({"key_processes": "防水"}, "plan.key_processes"),
    ({"key_processes": ["防" * 201]}, "plan.key_processes"),
])
def test_a_wrong_plan_section_is_refused(ctx, spec, plan, field):
    spec["plan"] = plan
    assert _refused(ctx, spec).field == field


def test_nodes_may_carry_the_developer_notice(ctx, spec):
    spec["nodes"] = [{"code": "N01", "name": "开工", "planned_date": "2025-04-01", "notified_on": "2025-03-25"},
                     {"code": "N02", "name": "桩基", "planned_date": "2025-05-01"}]
    d = projects.create_project(ctx.db, spec)
    assert [n.notified_on for n in d.nodes] == [date(2025, 3, 25), None]
