"""A team on one project (issue 13): several laptops, one record, nothing overwritten.

Laptops are data folders opened in this process; the platform is the real server over HTTP, on
SQLite and on PostgreSQL (the ``world`` fixture)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from inspector_app.app import AppContext, open_app
from inspector_app.models import Finding, Photo, SyncIdentity
from inspector_app.services import findings, team, visits
from inspector_app.services.finding_edits import edit_finding
from inspector_app.services.integrity import verify
from inspector_app.services.photos import import_photos
from inspector_app.services.projects import load_spec
from inspector_app.sync import client

from .conftest import World

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "project.toml"
TESTDATA = ROOT.parent / "shared" / "testdata"
UID = "team-project-0001"


class Team:
    def __init__(self, world: World, root: Path) -> None:
        self.world, self.root = world, root
        self.laptops: dict[str, AppContext] = {}
        self.code = ""

    def open(self, name: str, actor: str, folder: Path | None = None) -> AppContext:
        ctx = open_app(folder or self.root / name, actor=actor)
        self.laptops[name] = ctx
        return ctx

    def sync(self, name: str) -> client.SyncSummary:
        summary = client.sync(self.laptops[name], self.world.server.url, self.world.agency_a)
        assert summary.failed == [], summary.failed
        return summary

    def project_id(self, name: str) -> int:
        with self.laptops[name].db.read() as s:
            from inspector_app.models import Project

            return int(s.execute(select(Project.id).where(Project.uid == UID)).scalar_one())

    def findings(self, name: str) -> dict[str, tuple[int, str, str]]:
        """uid -> (number, description, status)"""
        ctx = self.laptops[name]
        with ctx.db.read() as s:
            ids = dict(s.execute(select(SyncIdentity.row_id, SyncIdentity.uid)
                                 .where(SyncIdentity.table_name == "finding")).all())
            return {ids[f.id]: (f.number, f.description, f.status)
                    for f in s.execute(select(Finding).where(Finding.project_id == self.project_id(name))).scalars()}

    def photos(self, name: str) -> set[tuple[str, str]]:
        ctx = self.laptops[name]
        with ctx.db.read() as s:
            ids = dict(s.execute(select(SyncIdentity.row_id, SyncIdentity.uid)
                                 .where(SyncIdentity.table_name == "photo")).all())
            rows = [(ids[p.id], p.sha256) for p in
                    s.execute(select(Photo).where(Photo.project_id == self.project_id(name))).scalars()]
        for _, sha in rows:
            assert ctx.store.original_path(sha) is not None, f"{name} lacks the original of {sha[:12]}"
        return set(rows)

    def visit(self, name: str, day: date, inspector: str) -> int:
        v = visits.start_visit(self.laptops[name].db, self.project_id(name), datetime(day.year, day.month, day.day, 9),
                               node_codes=["N03"], inspectors=[inspector])
        return v.id

    def finding(self, name: str, visit_id: int, text: str) -> int:
        f = findings.record_finding(self.laptops[name].db, visit_id, building="1#楼", coverage="WPI-2",
                                    division="01", subdivision="0107", grade="C", description=text)
        return f.id

    def close(self) -> None:
        for ctx in self.laptops.values():
            ctx.close()


@pytest.fixture
def crew(world: World, tmp_path: Path) -> Iterator[Team]:
    """The example project registered by the insurer for agency A, downloaded on two laptops."""
    spec = load_spec(EXAMPLE)
    detail = {k: spec[k] for k in ("project", "policy", "agency", "parties", "buildings")}
    detail["plan"] = spec.get("nodes") or []
    with world.http(world.admin) as http:
        assert http.put(f"/v1/admin/projects/{UID}", json=detail).status_code == 201
        assert http.put(f"/v1/admin/projects/{UID}/agencies/tis-a").status_code == 204
        # the world's sketch of a project is not a full project.toml: withdraw it from agency A
        assert http.delete(f"/v1/admin/projects/{world.project_a['uid']}/agencies/tis-a").status_code == 204
    crew = Team(world, tmp_path)
    crew.code = spec["project"]["code"]
    for name, actor in (("a", "赵工"), ("b", "钱工")):
        crew.open(name, actor)
        assert crew.sync(name).downloaded
    yield crew
    crew.close()


def _everyone_equal(crew: Team, *names: str) -> dict[str, tuple[int, str, str]]:
    first = crew.findings(names[0])
    for other in names[1:]:
        assert crew.findings(other) == first
        assert crew.photos(other) == crew.photos(names[0])
    for name in names:
        report = verify(crew.laptops[name].db, crew.laptops[name].store)
        assert report.ok, report.problems
    return first


def test_two_laptops_record_offline_and_both_findings_are_kept_with_distinct_numbers(crew: Team) -> None:
    va = crew.visit("a", date(2025, 5, 20), "赵工")
    fa = crew.finding("a", va, "卷材搭接宽度不足（A 记录）")
    vb = crew.visit("b", date(2025, 5, 20), "钱工")
    fb = crew.finding("b", vb, "防水保护层厚度不足（B 记录）")
    photo = next(iter(sorted((TESTDATA / "exif-orientation").glob("Landscape_*.jpg"))))
    results = list(import_photos(crew.laptops["b"].db, crew.laptops["b"].store, [photo], finding_id=fb, role="before"))
    assert results[0].status == "imported"
    first = crew.sync("a")
    assert first.changes_sent > 0
    second = crew.sync("b")
    assert second.changes_received > 0 and second.blobs_sent == 1
    third = crew.sync("a")
    assert third.changes_received > 0 and third.blobs_received == 1
    record = _everyone_equal(crew, "a", "b")
    assert len(record) == 2
    numbers = sorted(n for n, _, _ in record.values())
    assert numbers[0] != numbers[1]
    assert {d for _, d, _ in record.values()} == {"卷材搭接宽度不足（A 记录）", "防水保护层厚度不足（B 记录）"}
    assert fa and fb
    quiet = crew.sync("a")  # nothing changed: nothing sent, nothing received
    assert (quiet.changes_sent, quiet.changes_received, quiet.bytes_sent) == (0, 0, 0)


def test_a_reply_on_one_laptop_and_a_close_on_another_both_stay_and_the_status_follows(crew: Team) -> None:
    va = crew.visit("a", date(2025, 5, 20), "赵工")
    fa = crew.finding("a", va, "止水钢板焊缝不连续")
    crew.sync("a")
    crew.sync("b")
    fb = next(iter(crew.findings("b")))
    with crew.laptops["b"].db.read() as s:
        row_b = s.execute(select(SyncIdentity.row_id).where(SyncIdentity.uid == fb)).scalar_one()
    findings.reply_rectification(crew.laptops["b"].db, row_b, "已补焊", replied_on=date(2025, 5, 25))
    findings.close_finding(crew.laptops["a"].db, fa, "业主确认无需整改（复核后）")
    crew.sync("a")
    crew.sync("b")
    crew.sync("a")
    record = _everyone_equal(crew, "a", "b")
    assert len(record) == 1
    for name in ("a", "b"):
        with crew.laptops[name].db.read() as s:
            from inspector_app.models import FindingEvent, RectificationReply

            assert s.execute(select(RectificationReply.text)).scalars().all() == ["已补焊"]
            kinds = [(e.kind, e.to_value) for e in s.execute(select(FindingEvent).order_by(FindingEvent.at)).scalars()]
            assert ("status", "closed") in kinds and ("status", "replied") in kinds


def test_two_offline_edits_of_one_field_are_a_conflict_on_every_laptop_until_one_is_resolved(crew: Team) -> None:
    va = crew.visit("a", date(2025, 5, 20), "赵工")
    fa = crew.finding("a", va, "后浇带止水带偏位")
    crew.sync("a")
    crew.sync("b")
    uid = next(iter(crew.findings("b")))
    with crew.laptops["b"].db.read() as s:
        fb = s.execute(select(SyncIdentity.row_id).where(SyncIdentity.uid == uid)).scalar_one()
    edit_finding(crew.laptops["a"].db, fa, location="⑦轴东侧")
    edit_finding(crew.laptops["b"].db, fb, location="⑧轴西侧")
    edit_finding(crew.laptops["b"].db, fb, risk="渗漏")  # another field: merges cleanly
    crew.sync("a")
    crew.sync("b")
    crew.sync("a")
    for name in ("a", "b"):
        open_ = team.list_conflicts(crew.laptops[name].db, crew.code)
        assert [(c.field, sorted([c.mine, c.theirs])) for c in open_] == [("location", ["⑦轴东侧", "⑧轴西侧"])]
    mine = {name: team.list_conflicts(crew.laptops[name].db, crew.code)[0].mine for name in ("a", "b")}
    assert mine == {"a": "⑦轴东侧", "b": "⑧轴西侧"}  # each keeps its own value until someone decides
    conflict = team.list_conflicts(crew.laptops["a"].db, crew.code)[0]
    team.resolve_conflict(crew.laptops["a"].db, conflict.uid, "value", "⑦~⑧轴之间")
    crew.sync("a")
    crew.sync("b")
    for name in ("a", "b"):
        assert team.list_conflicts(crew.laptops[name].db, crew.code) == []
        with crew.laptops[name].db.read() as s:
            f = s.execute(select(Finding)).scalars().one()
            assert (f.location, f.risk) == ("⑦~⑧轴之间", "渗漏")
    _everyone_equal(crew, "a", "b")


def test_a_data_folder_restored_from_a_backup_syncs_without_a_409_and_gets_its_lost_work_back(
        crew: Team, tmp_path: Path) -> None:
    va = crew.visit("a", date(2025, 5, 20), "赵工")
    crew.finding("a", va, "基底有积水")
    crew.sync("a")
    crew.laptops["a"].close()
    backup = tmp_path / "a-backup"
    shutil.copytree(tmp_path / "a", backup)
    ctx = crew.open("a", "赵工", tmp_path / "a")
    crew.finding("a", va, "止水带接头未热熔（备份之后）")
    crew.sync("a")
    ctx.close()
    shutil.rmtree(tmp_path / "a")
    shutil.copytree(backup, tmp_path / "a")  # the README's rollback: the folder as it was
    crew.open("a", "赵工", tmp_path / "a")
    crew.finding("a", va, "集水坑防水层破损（恢复之后）")
    summary = crew.sync("a")
    assert summary.new_device is not None or team_epoch(crew.laptops["a"]) > 1
    texts = sorted(d for _, d, _ in crew.findings("a").values())
    assert texts == sorted(["基底有积水", "止水带接头未热熔（备份之后）", "集水坑防水层破损（恢复之后）"])
    numbers = [n for n, _, _ in crew.findings("a").values()]
    assert len(set(numbers)) == 3
    crew.sync("b")
    assert sorted(d for _, d, _ in crew.findings("b").values()) == texts
    _everyone_equal(crew, "a", "b")


def team_epoch(ctx: AppContext) -> int:
    from inspector_app.models import SyncDevice

    with ctx.db.read() as s:
        return int(s.get(SyncDevice, 1).epoch)


def _cli_sync(crew: Team, name: str, kill_after: float | None) -> None:
    """Sync laptop ``name`` with the real command line; SIGKILL it after ``kill_after`` seconds."""
    import json as _json
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "IDI_INSPECTOR_SYNC_TOKEN": crew.world.agency_a, "PYTHONIOENCODING": "utf-8"}
    cmd = [sys.executable, "-m", "inspector_app", "--data-dir", str(crew.laptops[name].paths.data_dir), "--json",
           "sync", "--server", crew.world.server.url]
    if kill_after is None:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert _json.loads(done.stdout.strip().splitlines()[-1])["failed"] == []
        return
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def test_three_laptops_record_offline_and_sync_in_random_order_through_kills_to_one_record(
        crew: Team, tmp_path: Path) -> None:
    import random

    from inspector_app.models import FindingEvent, RectificationReply, SyncConflict

    crew.open("c", "孙工")
    assert crew.sync("c").downloaded
    rng = random.Random(13)
    shots = sorted((TESTDATA / "exif-orientation").glob("*.jpg"))
    for k, (name, who) in enumerate((("a", "赵工"), ("b", "钱工"), ("c", "孙工"))):
        v = crew.visit(name, date(2025, 5, 20 + k), who)
        first = crew.finding(name, v, f"{name} 的第一个问题：卷材搭接不足")
        second = crew.finding(name, v, f"{name} 的第二个问题：阴阳角未做附加层")
        list(import_photos(crew.laptops[name].db, crew.laptops[name].store, shots[2 * k:2 * k + 2],
                           finding_id=first, role="before"))
        findings.reply_rectification(crew.laptops[name].db, second, f"{name} 施工单位：已整改",
                                     replied_on=date(2025, 5, 25 + k))
    order = [rng.choice("abc") for _ in range(8)]
    for step, name in enumerate(order):
        kill = rng.uniform(0.4, 2.5) if step % 2 == 0 else None
        _cli_sync(crew, name, kill)
    for name in "abcabc":  # every laptop, twice, to completion
        _cli_sync(crew, name, None)
    record = _everyone_equal(crew, "a", "b", "c")
    assert len(record) == 6 and len({n for n, _, _ in record.values()}) == 6
    history = {}
    for name in "abc":
        with crew.laptops[name].db.read() as s:
            ids = dict(s.execute(select(SyncIdentity.row_id, SyncIdentity.uid)
                                 .where(SyncIdentity.table_name == "finding")).all())
            history[name] = (sorted((ids[e.finding_id], e.kind, e.to_value) for e in s.execute(select(FindingEvent))
                                    .scalars()),
                             sorted(r.text for r in s.execute(select(RectificationReply)).scalars()))
    assert history["a"] == history["b"] == history["c"] and len(history["a"][1]) == 3
    # the platform holds the same findings, by UUID
    from platform_server.database import Database
    from platform_server.team import team_rows

    db = Database(crew.world.server.settings.database_url)
    try:
        with db.read() as s:
            from platform_server.models import PlatformProject

            pid = s.scalars(select(PlatformProject.id).where(PlatformProject.uid == UID)).one()
            assert {r["uid"] for r in team_rows(s, pid, "finding")} == set(record)
    finally:
        db.dispose()
    # two offline edits of one field: a conflict on every laptop until one is resolved
    uid = sorted(record)[0]
    for name, text in (("a", "⑦轴"), ("c", "⑨轴")):
        with crew.laptops[name].db.read() as s:
            fid = s.execute(select(SyncIdentity.row_id).where(SyncIdentity.uid == uid)).scalar_one()
        edit_finding(crew.laptops[name].db, fid, location=text)
    for name in "acbac":
        crew.sync(name)
    for name in "abc":
        with crew.laptops[name].db.read() as s:
            assert s.execute(select(SyncConflict.status)).scalars().all() == ["open"], name
    with crew.world.http(crew.world.insurer) as http:  # the insurer's web view shows it too
        page = http.get("/").text
        assert "同步冲突" in page and "location" in page and "⑦轴" in page and "⑨轴" in page
    conflict = team.list_conflicts(crew.laptops["b"].db, crew.code)[0]
    team.resolve_conflict(crew.laptops["b"].db, conflict.uid, "theirs")
    for name in "bac":
        crew.sync(name)
    for name in "abc":
        assert team.list_conflicts(crew.laptops[name].db, crew.code) == []
    with crew.world.http(crew.world.insurer) as http:
        page = http.get("/").text
        assert "没有未处理的冲突" in page and "<td>6</td><td>3</td>" in page  # 6 findings from 3 laptops
    _everyone_equal(crew, "a", "b", "c")


def test_a_draft_submitted_on_one_laptop_is_reviewed_and_approved_on_others_and_issued_back(crew: Team) -> None:
    from inspector_app.services import review

    crew.open("c", "孙工")
    crew.sync("c")
    va = crew.visit("a", date(2025, 5, 20), "赵工")
    crew.finding("a", va, "防水卷材收头未压实")
    draft = review.submit_report(crew.laptops["a"], "process", crew.code, visit_id=va)
    crew.sync("a")
    crew.sync("b")  # the lead reviews on his own laptop: the draft and its watermarked PDF came with the sync
    [seen] = review.list_drafts(crew.laptops["b"], crew.code)
    assert seen.number == draft.number and seen.status == "submitted"
    assert review.draft_pdf(crew.laptops["b"], seen.id).exists()
    review.approve_report(crew.laptops["b"], draft.number, by="钱工", step="review", on=date(2025, 5, 21))
    crew.sync("b")
    crew.sync("c")  # the technical lead approves on a third
    review.approve_report(crew.laptops["c"], draft.number, by="孙工", step="approve", on=date(2025, 5, 22))
    crew.sync("c")
    crew.sync("a")  # the approvals came back to the preparer, who issues it
    [back] = review.list_drafts(crew.laptops["a"], crew.code)
    assert back.status == "approved"
    issued = review.issue_draft(crew.laptops["a"], draft.number)
    assert issued.number == draft.number
    for name in "abc":
        crew.sync(name)
    for name in "abc":
        [final] = review.list_drafts(crew.laptops[name], crew.code)
        assert final.status == "issued", name
        assert verify(crew.laptops[name].db, crew.laptops[name].store).ok


def test_reports_issued_offline_on_two_laptops_get_distinct_numbers(crew: Team) -> None:
    from inspector_app.models import IssuedReport
    from inspector_app.services import issuing

    numbers = []
    for name, who in (("a", "赵工"), ("b", "钱工")):
        v = crew.visit(name, date(2025, 5, 20), who)
        crew.finding(name, v, f"{name}：后浇带未清理")
        numbers.append(issuing.issue_report(crew.laptops[name], "notice", crew.code, visit_id=v).number)
    assert numbers[0] != numbers[1]
    for name in "aba":
        crew.sync(name)
    for name in "ab":
        with crew.laptops[name].db.read() as s:
            assert sorted(s.execute(select(IssuedReport.number)).scalars().all()) == sorted(numbers)
    _everyone_equal(crew, "a", "b")
