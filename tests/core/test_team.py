"""The team merge without a platform (services/team): changes from one data folder applied to
another, by identity; idempotent, order-tolerant, and numbers from reserved blocks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from inspector_app.app import AppContext, open_app
from inspector_app.models import Finding, NumberBlock, SyncDevice, SyncIdentity, SyncPending
from inspector_app.services import bundle, findings, team, visits
from inspector_app.services.finding_edits import edit_finding
from inspector_app.services.integrity import verify


def _laptop(root: Path, name: str, source: Path | None = None) -> AppContext:
    """A data folder holding the example project: imported from ``source`` (a bundle) when given."""
    ctx = open_app(root / name, actor="赵工")
    if source is not None:
        bundle.import_bundle(ctx.db, ctx.store, source)
    with ctx.db.write() as s:
        team.device(s)
    return ctx


def _uids(ctx: AppContext, table: str = "finding") -> dict[str, int]:
    with ctx.db.read() as s:
        return {u: i for i, u in s.execute(select(SyncIdentity.row_id, SyncIdentity.uid)
                                            .where(SyncIdentity.table_name == table))}


def _record(ctx: AppContext, project_id: int, text: str) -> int:
    v = visits.start_visit(ctx.db, project_id, datetime(2025, 5, 20, 9), node_codes=["N03"], inspectors=["赵工"])
    return findings.record_finding(ctx.db, v.id, building="1#楼", coverage="WPI-2", division="01",
                                   subdivision="0107", grade="C", description=text).id


def _send(src: AppContext, dst: AppContext, code: str) -> team.Applied:
    out = team.collect_changes(src.db, code, limit=10_000)
    return team.apply_changes(dst.db, code, out.changes)


def test_a_bundle_keeps_each_rows_identity_and_changes_merge_by_it_once(ctx: AppContext, project, tmp_path: Path):
    with ctx.db.write() as s:
        team.device(s)
    first = _record(ctx, project.id, "卷材空鼓")
    out = tmp_path / "p.zip"
    bundle.export_project(ctx.db, ctx.store, project.code, out)
    other = _laptop(tmp_path, "other", out)
    try:
        assert _uids(other) == {u: i for u, i in _uids(ctx).items()} or set(_uids(other)) == set(_uids(ctx))
        edit_finding(ctx.db, first, location="③轴")
        applied = _send(ctx, other, project.code)
        assert applied.applied >= 1 and applied.conflicts == []
        again = _send(ctx, other, project.code)  # the same changes twice: nothing new
        assert again.applied == 0 and again.conflicts == []
        with other.db.read() as s:
            assert s.execute(select(Finding.location)).scalars().all() == ["③轴"]
        assert verify(other.db, other.store).ok
    finally:
        other.close()


def test_a_change_naming_a_row_not_here_waits_and_is_applied_when_the_row_arrives(ctx: AppContext, project,
                                                                                   tmp_path: Path):
    with ctx.db.write() as s:
        team.device(s)
    out = tmp_path / "p.zip"
    bundle.export_project(ctx.db, ctx.store, project.code, out)
    other = _laptop(tmp_path, "other", out)
    try:
        _record(ctx, project.id, "止水钢板未居中")
        changes = team.collect_changes(ctx.db, project.code, limit=10_000).changes
        children = [c for c in changes if c["table"] != "visit"]
        parents = [c for c in changes if c["table"] == "visit"]
        first = team.apply_changes(other.db, project.code, children)  # the visit is not here yet
        assert first.pending > 0
        with other.db.read() as s:
            assert s.execute(select(SyncPending)).first() is not None
        team.apply_changes(other.db, project.code, parents)  # the waiting ones go in after it
        with other.db.read() as s:
            assert s.execute(select(SyncPending)).first() is None
            assert s.execute(select(Finding.description)).scalars().all() == ["止水钢板未居中"]
        assert verify(other.db, other.store).ok
    finally:
        other.close()


def test_numbers_come_from_the_blocks_then_the_spare_then_count_on(ctx: AppContext, project):
    with ctx.db.write() as s:
        name = team.device_name(team.device(s))
    team.add_block(ctx.db, project.id, "finding", 201, 202, name)
    team.add_block(ctx.db, project.id, "finding", 501, 600, name, spare=True)
    numbers = [_number(ctx, _record(ctx, project.id, f"问题 {i}")) for i in range(4)]
    assert numbers == [201, 202, 501, 502]
    assert team.numbers_left(ctx.db, project.id, "finding") == {False: 0, True: 98}


def test_a_folder_restored_from_a_backup_takes_a_new_device_name_and_its_old_spare(ctx: AppContext, project,
                                                                                    tmp_path: Path):
    with ctx.db.write() as s:
        name = team.device_name(team.device(s))
    team.add_block(ctx.db, project.id, "finding", 1, 100, name)
    team.add_block(ctx.db, project.id, "finding", 301, 400, name, spare=True)
    folder = ctx.paths.data_dir
    team.remember(ctx.db, folder)
    ctx.close()
    shutil.copytree(folder, tmp_path / "backup")
    later = open_app(folder, actor="赵工")
    _record(later, project.id, "备份之后记录")
    team.remember(later.db, folder)  # as a sync does
    later.close()
    shutil.rmtree(folder)
    shutil.copytree(tmp_path / "backup", folder)
    restored = open_app(folder, actor="赵工")  # the notes outside the folder still know the newer state
    try:
        with restored.db.read() as s:
            device = s.get(SyncDevice, 1)
            assert device is not None and device.epoch >= 2 and device.epoch_reason
            blocks = s.execute(select(NumberBlock.spare)).scalars().all()
        assert sorted(blocks) == [False, True]
        assert _number(restored, _record(restored, project.id, "恢复之后记录")) == 301  # not 1: used after the backup
    finally:
        restored.close()


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process (as tests/conftest.py's, which a module of tests/ui
    may shadow under the name ``conftest`` when both folders run together)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "inspector_app", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=300)


def cli_json(*args: str, data_dir: Path) -> Any:
    done = cli("--json", *args, data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else None


def _number(ctx: AppContext, finding_id: int) -> int:
    with ctx.db.read() as s:
        f = s.get(Finding, finding_id)
        assert f is not None
        return f.number


def test_conflicts_are_listed_resolved_and_refused_twice(ctx: AppContext, project, tmp_path: Path):
    with ctx.db.write() as s:
        team.device(s)
    fid = _record(ctx, project.id, "施工缝凿毛不足")
    out = tmp_path / "p.zip"
    bundle.export_project(ctx.db, ctx.store, project.code, out)
    other = _laptop(tmp_path, "other", out)
    try:
        other_id = next(iter(_uids(other).values()))
        seq = team.collect_changes(ctx.db, project.code).last_seq
        team.mark_pushed(ctx.db, project.id, seq, "x", "test")
        seq = team.collect_changes(other.db, project.code).last_seq
        team.mark_pushed(other.db, project.id, seq, "y", "test")
        edit_finding(ctx.db, fid, deadline=date(2025, 6, 1))
        edit_finding(other.db, other_id, deadline=date(2025, 6, 5))
        found = _send(other, ctx, project.code)
        assert len(found.conflicts) == 1
        [c] = team.list_conflicts(ctx.db, project.code)
        assert (c.field, c.mine, c.theirs, c.what) == ("deadline", "2025-06-01", "2025-06-05", "F001")
        assert team.conflicts_of_row(ctx.db, "finding", fid)[0].uid == c.uid
        import pytest

        from inspector_app.errors import ValidationError

        with pytest.raises(ValidationError):
            team.resolve_conflict(ctx.db, c.id, "value", "不是日期")
        team.resolve_conflict(ctx.db, c.id, "theirs")
        with pytest.raises(ValidationError, match="已由"):
            team.resolve_conflict(ctx.db, c.id, "mine")
        with ctx.db.read() as s:
            assert s.get(Finding, fid).deadline == date(2025, 6, 5)
        assert team.list_conflicts(ctx.db, project.code) == []
        assert verify(ctx.db, ctx.store).ok
    finally:
        other.close()


def test_the_command_line_lists_and_resolves_a_conflict(ctx: AppContext, project, tmp_path: Path):
    with ctx.db.write() as s:
        team.device(s)
    fid = _record(ctx, project.id, "外墙保温板粘贴面积不足")
    edit_finding(ctx.db, fid, requirement="补粘并做拉拔试验")
    change = dict(team.collect_changes(ctx.db, project.code, limit=10_000).changes[-1])
    edit_finding(ctx.db, fid, requirement="返工重贴")
    change["values"] = {**change["values"], "requirement": "局部补粘"}
    change["device"] = "other.1"
    change["id"] = team.change_id(change)
    assert team.apply_changes(ctx.db, project.code, [change]).conflicts
    folder = ctx.paths.data_dir
    ctx.close()
    listed = cli_json("conflict", "list", "--project", project.code, data_dir=folder)
    assert [(c["what"], c["field"], c["mine"], c["theirs"]) for c in listed] == [
        ("F001", "requirement", "返工重贴", "局部补粘")]
    text = cli("conflict", "list", "--project", project.code, data_dir=folder).stdout
    assert "F001" in text and "返工重贴" in text and "局部补粘" in text
    refused = cli("conflict", "resolve", str(listed[0]["id"]), "--keep", "both", data_dir=folder)
    assert refused.returncode == 2 and "mine" in refused.stderr and "Traceback" not in refused.stderr
    done = cli_json("--as", "钱工", "conflict", "resolve", listed[0]["uid"][:8], "--keep", "value", "--value",
                    "补粘后做拉拔试验", data_dir=folder)
    assert done["status"] == "resolved" and done["resolved_by"] == "钱工"
    assert cli_json("conflict", "list", "--project", project.code, data_dir=folder) == []
    again = open_app(folder, actor="赵工")
    try:
        with again.db.read() as s:
            assert s.get(Finding, fid).requirement == "补粘后做拉拔试验"
        assert verify(again.db, again.store).ok
    finally:
        again.close()
