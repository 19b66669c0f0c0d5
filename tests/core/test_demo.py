from collections import Counter

from inspector_app.app import open_app
from inspector_app.services import findings, integrity, projects, visits


def test_demo_project_is_realistic(demo_dir):
    ctx = open_app(demo_dir)
    [summary] = projects.list_projects(ctx.db)
    d = projects.get_project(ctx.db, summary.id)
    assert len(d.buildings) == 3 and "北京" in d.address
    assert len(visits.list_visits(ctx.db, d.id)) >= 10
    rows = findings.list_findings(ctx.db, d.id)
    assert 50 <= len(rows) <= 80
    assert set(Counter(f.grade_found for f in rows)) == set("ABCDERO")
    assert set(Counter(f.status for f in rows)) == {"open", "replied", "verified", "closed"}
    assert any(f.overdue for f in rows)
    assert all(f.photos >= 1 for f in rows)
    gate = findings.final_gate(ctx.db, d.id)
    assert not gate.passed and len(gate.blocking) == 1
    assert gate.serious_verified == gate.serious_total - 1 >= 5
    assert integrity.verify(ctx.db, ctx.store).ok
    ctx.close()
