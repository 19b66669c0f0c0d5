"""The start-up read path (plain sqlite3) shows exactly what the services show."""

import subprocess
import sys

from inspector_app.app import open_app
from inspector_app.services import findings, projects, visits
from inspector_app.services.first_screen import is_ready, read_first_screen


def test_first_screen_matches_the_services(demo_dir):
    ctx = open_app(demo_dir)
    try:
        assert is_ready(ctx.paths.database)
        first = read_first_screen(ctx.paths.database)
        pid = first.project_id
        assert first.projects == projects.list_projects(ctx.db)
        assert first.rows == findings.list_findings(ctx.db, pid)
        gate = findings.final_gate(ctx.db, pid)
        assert first.gate == gate  # the same rules over the same facts, read without the ORM
        assert [f.label for f in gate.blocking] == ["F049"]
        assert first.nodes == projects.get_project(ctx.db, pid).nodes
        full = visits.list_visits(ctx.db, pid)
        assert [(v.id, v.number, v.started_at, v.nodes, v.findings) for v in first.visits] == \
               [(v.id, v.number, v.started_at, v.nodes, v.findings) for v in full]
    finally:
        ctx.close()


def test_not_ready_for_a_missing_empty_or_older_file(tmp_path):
    assert not is_ready(tmp_path / "none.sqlite3")
    ctx = open_app(tmp_path)
    ctx.close()
    assert not is_ready(ctx.paths.database)  # no project yet: the demo is made first


def test_reading_the_first_screen_loads_no_sqlalchemy(demo_dir):
    code = ("import sys; from pathlib import Path; from inspector_app.services.first_screen import read_first_screen;"
            f"read_first_screen(Path({str(demo_dir / 'inspector.sqlite3')!r}));"
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'PIL') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
