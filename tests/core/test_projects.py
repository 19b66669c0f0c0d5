import pytest
from sqlalchemy import func, select

from inspector_app.errors import ValidationError
from inspector_app.models import Project
from inspector_app.services import projects


def test_create_from_example_file(project):
    assert project.code == "BJ-CY-2025-003"
    assert project.ruleset == "beijing-2019" and project.ruleset_version
    assert [b.name for b in project.buildings] == ["1#楼", "2#楼"]
    assert [n.code for n in project.nodes] == [f"N{i:02d}" for i in range(1, 21)]
    assert all(n.planned_date for n in project.nodes)
    assert sum(i.share_percent for i in project.insurers) == 100
    assert {c.code for c in project.coverage} == {"STR", "WPI", "RID-DEC"}
    assert project.risk_fee_yuan == "2175000.00"


def test_coverage_windows_follow_acceptance(ctx, spec):
    spec["policy"]["actual_acceptance_date"] = "2027-06-28"
    spec["policy"]["coverage"] = [{"code": "WPI", "starts_on": "2029-07-01", "ends_on": "2034-06-30"}]
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
