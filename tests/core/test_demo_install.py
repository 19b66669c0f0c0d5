"""The demo taken in whole (services/demo_install.py): a build cut short leaves no project and is
started again; a finished one is taken in at once, as built, with its photos and audit trail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from inspector_app.app import open_app
from inspector_app.errors import Cancelled
from inspector_app.services import demo_install, integrity, projects
from inspector_app.services.first_screen import demo_pending, is_ready


def _audit_entries(ctx) -> int:
    with ctx.db.read() as s:
        return int(s.scalar(text("SELECT count(*) FROM audit_log")))


def _staged(demo_template: Path, data: Path) -> Path:
    """A finished demo build in ``data``'s build folder (a copy of the session's demo)."""
    staging = demo_install.staging_folder(data)
    shutil.copytree(demo_template, staging)
    return staging


def test_a_finished_build_is_taken_into_a_new_database_as_built(demo_template, tmp_path):
    built = open_app(demo_template)
    try:
        expected, entries = projects.list_projects(built.db), _audit_entries(built)
    finally:
        built.close()
    ctx = open_app(tmp_path / "data")
    try:
        staging = _staged(demo_template, ctx.paths.data_dir)
        project_id = demo_install.take_in(ctx.db, ctx.store, staging)
        shown = projects.list_projects(ctx.db)
        assert [(p.id, p.code, p.findings, p.visits, p.open_findings) for p in shown] == [
            (p.id, p.code, p.findings, p.visits, p.open_findings) for p in expected]
        assert project_id == shown[0].id
        assert _audit_entries(ctx) == entries  # the demo's own history, not one import entry per row
        report = integrity.verify(ctx.db, ctx.store)
        assert report.ok, report.problems
        assert report.checked_photos >= 100
    finally:
        ctx.close()
    assert is_ready(tmp_path / "data" / "inspector.sqlite3")


def test_a_build_finished_after_a_project_was_made_is_imported_beside_it(demo_template, ctx, project):
    staging = _staged(demo_template, ctx.paths.data_dir)
    demo_id = demo_install.take_in(ctx.db, ctx.store, staging)
    listed = {p.code: p for p in projects.list_projects(ctx.db)}
    assert set(listed) == {project.code, "BJ-DX-2024-017"}
    assert listed["BJ-DX-2024-017"].id == demo_id and listed["BJ-DX-2024-017"].findings == 61
    assert listed[project.code].id == project.id  # the work already there is untouched
    report = integrity.verify(ctx.db, ctx.store)
    assert report.ok, report.problems


def test_a_build_cut_short_leaves_no_project_and_is_started_again(tmp_path):
    ctx = open_app(tmp_path / "data")
    seen: list[tuple[int, int, str]] = []
    try:
        with pytest.raises(Cancelled):
            demo_install.install_demo(ctx.db, ctx.store, ctx.paths.data_dir,
                                      progress=lambda d, t, stage: seen.append((d, t, stage)),
                                      cancel=lambda: len(seen) >= 2)
        assert projects.list_projects(ctx.db) == []
        assert _audit_entries(ctx) == 0
        assert list(ctx.store.iter_stored()) == []
    finally:
        ctx.close()
    assert seen == [(1, 91, "visit"), (2, 91, "visit")]
    staging = demo_install.staging_folder(tmp_path / "data")
    assert staging.is_dir() and not any(staging.iterdir())  # emptied, and kept as the mark of a build to redo
    assert demo_pending(tmp_path / "data", tmp_path / "data" / "inspector.sqlite3")


def test_a_start_cut_short_after_taking_the_demo_in_only_tidies_up(demo_dir):
    staging = demo_install.staging_folder(demo_dir)
    staging.mkdir()
    (staging / "inspector.sqlite3").write_bytes(b"half")
    assert demo_pending(demo_dir, demo_dir / "inspector.sqlite3")
    ctx = open_app(demo_dir)
    try:
        detail = demo_install.install_demo(ctx.db, ctx.store, demo_dir,
                                           progress=lambda *_a: pytest.fail("nothing is built again"))
        assert detail.code == "BJ-DX-2024-017"
        assert len(projects.list_projects(ctx.db)) == 1
    finally:
        ctx.close()
    assert not staging.exists()
    assert not demo_pending(demo_dir, demo_dir / "inspector.sqlite3")


def test_a_database_without_projects_is_not_a_first_start(tmp_path):
    """The demo was removed: it is made again only when asked for (the welcome view's button)."""
    data = tmp_path / "data"
    assert demo_pending(data, data / "inspector.sqlite3")
    open_app(data).close()
    assert not demo_pending(data, data / "inspector.sqlite3")
