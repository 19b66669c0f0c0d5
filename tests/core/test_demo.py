from collections import Counter
from datetime import date

from sqlalchemy import text

from inspector_app.app import open_app
from inspector_app.rulesets import load_ruleset
from inspector_app.services import demo, findings, integrity, projects, visits


def test_demo_project_is_realistic(demo_dir):
    ctx = open_app(demo_dir)
    [summary] = projects.list_projects(ctx.db)
    d = projects.get_project(ctx.db, summary.id)
    assert len(d.buildings) == 3 and "北京" in d.address
    rows = findings.list_findings(ctx.db, d.id)
    assert 50 <= len(rows) <= 80
    assert set(Counter(f.grade_found for f in rows)) == set("ABCDERO")
    assert set(Counter(f.status for f in rows)) == {"open", "replied", "verified", "closed"}
    assert any(f.overdue for f in rows)
    assert all(f.photos >= 1 for f in rows)
    gate = findings.final_gate(ctx.db, d.id)
    assert not gate.passed and [f.label for f in gate.blocking] == ["F049"]
    assert gate.serious_verified == gate.serious_total - 1 >= 2
    assert integrity.verify(ctx.db, ctx.store).ok
    ctx.close()


def test_demo_grades_are_as_an_inspector_would_give_them(demo_dir):
    """Mostly minor and moderate risks as found, serious ones a few per cent; a verified finding keeps
    its residual risk as its grade now (verification is a status, not grade A)."""
    ctx = open_app(demo_dir)
    rows = findings.list_findings(ctx.db, projects.list_projects(ctx.db)[0].id)
    found = Counter(f.grade_found for f in rows)
    assert found["D"] / len(rows) <= 0.05 and 2 <= found["D"] <= 4
    assert (found["B"] + found["C"]) / len(rows) >= 0.6
    assert 2 <= found["E"] <= 3 and 2 <= found["R"] <= 4 and 2 <= found["O"] <= 3
    f049 = next(f for f in rows if f.label == "F049")
    assert (f049.building, f049.location, f049.grade_found, f049.status) == ("3#楼", "1002户卫生间", "D", "open")
    verified = [f for f in rows if f.status == "verified"]
    assert verified and sum(f.grade_now == "A" for f in verified) <= len(verified) / 3
    rank = {g: r for g, r in zip("ABCDE", range(5), strict=True)}
    for f in verified:
        detail = findings.get_finding(ctx.db, f.id)
        assert any(e.kind == "grade" and e.reason == "复查后评级" for e in detail.history) or f.grade_now == f.grade_found
        if f.grade_found in rank:
            assert rank[f.grade_now] <= rank[f.grade_found], f.label  # residual risk, never above as found
    ctx.close()


def test_demo_visits_are_monthly_in_node_order(demo_dir):
    ctx = open_app(demo_dir)
    pid = projects.list_projects(ctx.db)[0].id
    listed = visits.list_visits(ctx.db, pid)
    assert 20 <= len(listed) <= 26
    days = [v.started_at.date() for v in listed]
    assert max((b - a).days for a, b in zip(days, days[1:], strict=False)) <= 45
    assert days[-1] <= date(2026, 11, 30) and all(v.inspectors for v in listed)
    first: dict[str, int] = {}
    for v in listed:
        for code in v.nodes:
            first.setdefault(code, v.number)
    nodes = [f"N{k:02d}" for k in range(1, 19)]
    nodes[7:9] = ["N09", "N08"]  # infill masonry before the main-structure acceptance
    assert sorted(first, key=lambda c: (first[c], nodes.index(c))) == nodes  # N19, N20: completion not reached
    ctx.close()


def test_demo_tags_and_rechecks_follow_the_rules(demo_dir):
    """Each finding's division is in the rule set's map for its coverage (a rider only when the
    policy bought it); each accepted re-check is in a visit, by an inspector on that visit, with an
    after-photo of its own taken on or after the finding and the last reply."""
    ctx = open_app(demo_dir)
    d = projects.get_project(ctx.db, projects.list_projects(ctx.db)[0].id)
    rs = load_ruleset(d.ruleset, d.ruleset_version)
    bought = {r["code"] if isinstance(r, dict) else r for r in demo.load_demo()["spec"]["policy"]["riders"]}
    rows = findings.list_findings(ctx.db, d.id)
    for f in rows:
        assert f.division_code in rs.allowed_divisions(f.coverage_code), (f.label, f.coverage_code, f.division_code)
        if f.coverage_code in rs.riders:
            assert f.coverage_code in bought, f.label
    with ctx.db.read() as s:
        checks = s.execute(_RECHECKS).all()
        shas = s.execute(_AFTER_SHAS).all()
    assert checks and all(visit_id and on_visit for _, visit_id, on_visit, _, _, _ in checks)
    for label, _, _, verified_on, after_taken, since in checks:
        assert after_taken is not None and str(after_taken)[:10] >= str(since), label
        assert str(after_taken)[:10] == str(verified_on), label
    assert len({sha for sha, in shas}) == len(shas)  # no after-photo file on two findings
    ctx.close()


_RECHECKS = text("""
    SELECT printf('F%03d', f.number), v.visit_id,
           EXISTS (SELECT 1 FROM visit_inspector vi WHERE vi.visit_id = v.visit_id AND vi.inspector_id = v.inspector_id),
           v.verified_on,
           (SELECT max(p.taken_at) FROM photo p WHERE p.finding_id = f.id AND p.role = 'after'),
           max(f.found_on, coalesce((SELECT max(r.replied_on) FROM rectification_reply r
                                     WHERE r.finding_id = f.id AND r.replied_on <= v.verified_on), f.found_on))
    FROM verification v JOIN finding f ON f.id = v.finding_id WHERE v.result = 'accepted'""")
_AFTER_SHAS = text("SELECT sha256 FROM photo WHERE role = 'after'")


def test_the_first_start_makes_the_demo_and_chooses_its_first_inspector(tmp_path, capsys):
    from inspector_app.launch import ensure_first_start
    from inspector_app.settings import load_settings, save_settings

    ensure_first_start(tmp_path / "data")
    profile = load_settings(tmp_path / "data")
    assert (profile.inspector_name, profile.certificate_no) == ("王建国", "TIS-BJ-2019-0217")
    assert "当前人员：王建国（项目负责人" in capsys.readouterr().out
    save_settings(tmp_path / "data", profile.with_changes(inspector_name="李敏"))
    ensure_first_start(tmp_path / "data")  # a second start changes nothing
    assert load_settings(tmp_path / "data").inspector_name == "李敏"
