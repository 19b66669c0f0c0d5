"""A project's life on the laptop: archive hides and keeps, delete needs the code typed and leaves
``verify`` passing, the demo is marked, never queued for sync and can be removed; a synced or
issued project can only be archived. The command line refuses by field, value and rule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from inspector_app.app import open_app
from inspector_app.errors import ValidationError
from inspector_app.models import AuditEntry, OutboxItem, SyncIdentity
from inspector_app.services import (
    bundle,
    findings,
    first_screen,
    integrity,
    issuing,
    photos,
    project_lifecycle,
    projects,
    team,
    visits,
)
from inspector_app.services.outbox import check_syncable, due_items

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "project.toml"
ORIENTATION = ROOT.parent / "shared" / "testdata" / "exif-orientation"
DEMO = "BJ-DX-2024-017"


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process (no screen: never the window)."""
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    return subprocess.run([sys.executable, "-m", "inspector_app", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env={**env, "PYTHONIOENCODING": "utf-8"}, timeout=300)


def cli_json(*args: str, data_dir: Path):
    run = cli("--json", *args, data_dir=data_dir)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _shots(n: int) -> list[Path]:
    files = sorted(ORIENTATION.glob("*.jpg"))[:n]
    if len(files) < n:
        pytest.skip("../shared/testdata not present")
    return files


def _finding_with_photos(ctx, project, shots):
    v = visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9, 30), node_codes=["N03"], inspectors=["赵工"])
    f = findings.record_finding(ctx.db, v.id, building="1#楼", coverage="WPI-2", division="01", subdivision="0107",
                                grade="C", description="筏板防水卷材搭接宽度不足")
    list(photos.import_photos(ctx.db, ctx.store, shots, finding_id=f.id, role="before", workers=1))
    return v, f


def test_archive_hides_the_project_keeps_it_and_unarchive_shows_it(ctx, project):
    archived = project_lifecycle.archive_project(ctx.db, project.code)
    assert archived.archived and projects.list_projects(ctx.db) == []
    [kept] = projects.list_projects(ctx.db, include_archived=True)
    assert (kept.code, kept.archived) == (project.code, True)
    assert projects.get_project(ctx.db, project.code).archived_at is not None  # kept whole, still readable
    with pytest.raises(ValidationError, match=f"项目 {project.code} 已于 .* 归档"):
        project_lifecycle.archive_project(ctx.db, project.code)
    shown = project_lifecycle.unarchive_project(ctx.db, project.id)
    assert not shown.archived and [p.code for p in projects.list_projects(ctx.db)] == [project.code]
    with pytest.raises(ValidationError, match="未归档"):
        project_lifecycle.unarchive_project(ctx.db, project.id)
    assert integrity.verify(ctx.db, ctx.store).ok


def test_delete_needs_the_code_typed_then_leaves_verify_passing_and_frees_the_photos(ctx, project, tmp_path):
    shots = _shots(3)
    _v, f = _finding_with_photos(ctx, project, shots)
    shas = {p.sha256 for p in photos.list_photos(ctx.db, finding_id=f.id)}
    assert len(shas) == 3 and all(ctx.store.original_path(s) for s in shas)
    out = bundle.export_project(ctx.db, ctx.store, project.code, tmp_path / "p.zip")
    with pytest.raises(ValidationError) as refused:
        project_lifecycle.delete_project(ctx.db, ctx.store, project.code, project.code[:-1])
    assert refused.value.params["field"] == "project.confirm_code"
    assert f"「{project.code[:-1]}」与项目编号 {project.code} 不符" in refused.value.message
    assert [p.code for p in projects.list_projects(ctx.db)] == [project.code]  # nothing happened

    gone = project_lifecycle.delete_project(ctx.db, ctx.store, project.code, f" {project.code} ")
    assert (gone.code, gone.rows > 20) == (project.code, True)
    assert projects.list_projects(ctx.db, include_archived=True) == []
    assert not any(ctx.store.original_path(s) for s in shas)  # no other project used them
    report = integrity.verify(ctx.db, ctx.store)
    assert report.ok, report.problems
    with ctx.db.read() as s:  # the audit log keeps the deletions; identities are gone with the rows
        assert s.scalar(select(func.count()).where(AuditEntry.action == "delete",
                                                   AuditEntry.table_name == "photo")) == 3
        assert s.scalar(select(func.count()).select_from(SyncIdentity)) == 0
    again = bundle.import_bundle(ctx.db, ctx.store, Path(out["path"]))  # the exported copy comes back whole
    [back] = findings.list_findings(ctx.db, again["project_id"])
    assert again["imported"] and len(photos.list_photos(ctx.db, finding_id=back.id)) == 3
    assert integrity.verify(ctx.db, ctx.store).ok


def test_a_photo_another_project_uses_stays_in_the_store(ctx, project, spec):
    shots = _shots(2)
    _finding_with_photos(ctx, project, shots)
    spec["project"].update(code="BJ-CY-2025-099", uid=None)
    spec["policy"]["policy_no"] = "IDI-2025-BJ-000399"
    other = projects.create_project(ctx.db, spec)
    _v, theirs = _finding_with_photos(ctx, other, shots[:1])
    shared = photos.list_photos(ctx.db, finding_id=theirs.id)[0].sha256
    project_lifecycle.delete_project(ctx.db, ctx.store, project.code, project.code)
    assert ctx.store.original_path(shared) is not None
    assert len(photos.list_photos(ctx.db, finding_id=theirs.id)) == 1
    assert integrity.verify(ctx.db, ctx.store).ok


def test_a_project_with_an_issued_report_can_only_be_archived(ctx, project):
    v, _f = _finding_with_photos(ctx, project, _shots(1))
    issuing.issue_report(ctx, "notice", project.code, visit_id=v.id)
    assert project_lifecycle.can_delete(ctx.db, project.code) is not None
    with pytest.raises(ValidationError, match="有 1 份已送审或已签发的报告：报告及其审核记录是正式文件，项目只能归档"):
        project_lifecycle.delete_project(ctx.db, ctx.store, project.code, project.code)
    with ctx.db.read() as s:  # an ordinary project's report is queued for the platform
        assert s.scalar(select(func.count()).select_from(OutboxItem)) == 1
    assert project_lifecycle.archive_project(ctx.db, project.code).archived


def test_the_demo_is_marked_never_queued_for_sync_and_can_be_removed(demo_dir):
    ctx = open_app(demo_dir, actor="李敏")
    try:
        [summary] = projects.list_projects(ctx.db)
        assert summary.is_demo and projects.get_project(ctx.db, DEMO).is_demo
        latest = max(visits.list_visits(ctx.db, DEMO), key=lambda v: v.started_at)
        issuing.issue_report(ctx, "notice", DEMO, visit_id=latest.id)  # issued on the laptop, not queued
        with ctx.db.read() as s:
            assert s.scalar(select(func.count()).select_from(OutboxItem)) == 0
        assert due_items(ctx.db) == [] and team.projects(ctx.db) == []
        with pytest.raises(ValidationError, match=f"{DEMO} 是演示项目：演示项目从不同步到平台"):
            check_syncable(ctx.db, DEMO)
        assert project_lifecycle.can_delete(ctx.db, DEMO) is None  # even with a report issued
        files = sum(1 for _ in ctx.store.iter_stored())
        gone = project_lifecycle.delete_project(ctx.db, ctx.store, DEMO, DEMO)
        assert gone.files >= files and list(ctx.store.iter_stored()) == []
        report = integrity.verify(ctx.db, ctx.store)
        assert report.ok, report.problems
        assert not first_screen.demo_pending(ctx.paths.data_dir, ctx.paths.database)  # it does not come back
    finally:
        ctx.close()


def test_an_upgrade_marks_the_old_demo_and_verify_still_passes(tmp_path, spec):
    from alembic import command

    from inspector_app.models import db as dbmod

    spec["project"]["code"] = DEMO  # a demo made before projects could be marked
    ctx = open_app(tmp_path / "data", actor="赵工")
    projects.create_project(ctx.db, spec)
    command.downgrade(dbmod.alembic_config(ctx.db.engine), "0007")
    ctx.close()
    again = open_app(tmp_path / "data")
    try:
        assert projects.get_project(again.db, DEMO).is_demo
        report = integrity.verify(again.db, again.store)
        assert report.ok, report.problems
    finally:
        again.close()


def test_the_command_line_archives_refuses_and_deletes_with_exit_codes(tmp_path):
    d = tmp_path / "cli"
    made = cli_json("project", "create", "--from", str(EXAMPLE), data_dir=d)
    code = made["code"]
    wrong = cli("project", "delete", code, "--confirm", "BJ", data_dir=d)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert f"确认删除所输入的项目编号: 输入的「BJ」与项目编号 {code} 不符" in wrong.stderr
    missing = cli("--json", "project", "archive", "NO-SUCH", data_dir=d)
    assert missing.returncode == 1 and json.loads(missing.stderr)["error"] == "not_found"
    assert cli_json("project", "archive", code, data_dir=d)["archived"] is True
    twice = cli("project", "archive", code, data_dir=d)
    assert twice.returncode == 2 and "已于" in twice.stderr and "Traceback" not in twice.stderr
    assert cli_json("project", "list", data_dir=d) == []
    assert [p["code"] for p in cli_json("project", "list", "--all", data_dir=d)] == [code]
    cli_json("project", "unarchive", code, data_dir=d)
    gone = cli_json("project", "delete", code, "--confirm", code, data_dir=d)
    assert gone["code"] == code and gone["rows"] > 10
    assert cli("verify", data_dir=d).returncode == 0


def test_the_command_line_refuses_to_sync_the_demo(demo_dir):
    run = cli("sync", "--server", "https://platform.example.com", "--project", DEMO, data_dir=demo_dir)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"{DEMO} 是演示项目" in run.stderr


def test_delete_and_the_bundle_know_the_same_project_tables(ctx, project):
    """A table added for a project's rows must be deleted with the project and carried by its bundle:
    the two lists (project_lifecycle._plan and bundle.ORDER) are kept apart, so this keeps them equal,
    and both cover every audited model that is not shared by several projects."""
    from inspector_app.models import Agency, Base, Inspector, Party, Project
    from inspector_app.models.base import Audited
    from inspector_app.services import bundle, project_lifecycle

    with ctx.db.read() as s:
        deleted = {cls for cls, _where in project_lifecycle._plan(s.get(Project, project.id))}
    shared = {Agency, Inspector, Party, Project}
    assert deleted == set(bundle.ORDER) - shared
    audited = {m.class_ for m in Base.registry.mappers if issubclass(m.class_, Audited)}
    assert audited - shared <= deleted, sorted(c.__name__ for c in audited - shared - deleted)
