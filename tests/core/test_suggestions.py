from inspector_app.app import open_app
from inspector_app.services.projects import list_projects
from inspector_app.services.suggestions import entry_suggestions


def test_suggestions_come_from_the_project_most_used_first(demo_dir):
    ctx = open_app(demo_dir)
    pid = list_projects(ctx.db)[0].id
    sug = entry_suggestions(ctx.db, pid)
    assert sug.floors[0] in ("B2", "屋面", "B1")  # the most used floors lead
    assert "26F" in sug.floors and "B2" in sug.floors and "屋面" in sug.floors  # 屋面: used in the demo
    assert any("闭水试验" in d for d in sug.descriptions)
    assert any(c.startswith("GB 50208") for c in sug.clauses)
    assert ("0107", "0107 地下防水") in sug.subdivisions
    assert sug.visits[0][1] == 26 and sug.visits[0][2].isoformat() == "2026-11-17"
    ctx.close()
