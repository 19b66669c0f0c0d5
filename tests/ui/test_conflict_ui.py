"""Sync conflicts in the window: the dashboard says how many, the finding's panel shows both
values, and the conflict dialog keeps the one chosen (an audited edit)."""

import pytest
from sqlalchemy import select

pytest.importorskip("PySide6")

from inspector_app.models import Project  # noqa: E402
from inspector_app.services import team  # noqa: E402
from inspector_app.services.finding_edits import edit_finding  # noqa: E402
from inspector_app.ui.conflict_dialog import ConflictDialog  # noqa: E402


def _conflict_on(ctx, finding_id):
    """Another laptop changed the location offline from what both had, while this one did too."""
    with ctx.db.write() as s:  # the demo never syncs: made a team's project here (audited)
        for p in s.scalars(select(Project)):
            p.is_demo = False
        team.device(s)
    edit_finding(ctx.db, finding_id, location="东侧外墙")
    project = team.projects(ctx.db)[0][2]
    change = dict(team.collect_changes(ctx.db, project, limit=100_000).changes[-1])
    assert change["table"] == "finding" and change["values"]["location"] == "东侧外墙"
    edit_finding(ctx.db, finding_id, location="北侧外墙")
    change["values"] = {**change["values"], "location": "西侧外墙"}
    change["device"] = "another-laptop.1"
    change["id"] = team.change_id(change)
    assert team.apply_changes(ctx.db, project, [change]).conflicts


def test_the_panel_and_the_dashboard_show_a_conflict_and_the_dialog_resolves_it(window):
    f = window.rows[0]
    _conflict_on(window.ctx, f.id)
    window._reload()
    window.open_finding(f.id)
    assert window.panel.conflict_bar.isVisibleTo(window.panel)
    assert "北侧外墙" in window.panel.conflict_note.text() and "西侧外墙" in window.panel.conflict_note.text()
    assert "冲突" in window.dashboard.banner.text()
    dialog = ConflictDialog(window.ctx, team.conflicts_of_row(window.ctx.db, "finding", f.id), window)
    assert (dialog.table.item(0, 2).text(), dialog.table.item(0, 3).text()) == ("北侧外墙", "西侧外墙")
    dialog._resolve("theirs")
    assert dialog.resolved == 1
    window._reload()
    window.open_finding(f.id)
    assert not window.panel.conflict_bar.isVisibleTo(window.panel)
    assert window.panel.inputs["location"].text() == "西侧外墙"
    assert "冲突" not in window.dashboard.banner.text()
