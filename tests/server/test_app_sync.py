"""The app's sync (inspector_app.sync) against the reference platform over real HTTP: a
recorded project with an issued report reaches the platform complete, once, whatever fails."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update
from starlette.types import ASGIApp, Receive, Scope, Send

from inspector_app.app import AppContext, open_app
from inspector_app.models import OutboxItem
from inspector_app.services import issuing, visits
from inspector_app.services.finding_edits import edit_finding
from inspector_app.services.projects import resolve_project
from inspector_app.sync import client
from inspector_app.sync.client import SyncBusy, SyncRefused, run_lock

from .conftest import World, expired_token, project_detail

CODE = "BJ-DX-2024-017"


@pytest.fixture
def app(demo_dir: Path, world: World) -> Iterator[AppContext]:
    """The demo project on the laptop, assigned to agency A on the platform, a notice issued."""
    ctx = open_app(demo_dir, actor="李敏")  # an inspector of the demo's agency: the notice's 编制
    as_ordinary_project(ctx)  # the demo itself is never synced
    with ctx.db.read() as s:
        uid = s.execute(select(OutboxItem.id)).first()  # none yet: issuing fills the outbox
        assert uid is None
    from inspector_app.services.projects import get_project

    project = get_project(ctx.db, CODE)
    with world.http(world.admin) as http:
        assert http.put(f"/v1/admin/projects/{project.uid}", json=project_detail(CODE, project.name)).status_code == 201
        assert http.put(f"/v1/admin/projects/{project.uid}/agencies/tis-a").status_code == 204
        # the world's sketch of a project is not a full project.toml: withdraw it from agency A
        assert http.delete(f"/v1/admin/projects/{world.project_a['uid']}/agencies/tis-a").status_code == 204
    latest = max(visits.list_visits(ctx.db, CODE), key=lambda v: v.started_at)
    issuing.issue_report(ctx, "notice", CODE, visit_id=latest.id)
    yield ctx
    ctx.close()


def as_ordinary_project(ctx: AppContext) -> None:
    """The demo's content as an ordinary project: the demo itself is never synced. The mark is
    cleared through the ORM, so the audit log records it like any edit."""
    with ctx.db.write() as s:
        resolve_project(s, CODE).is_demo = False


def statuses(ctx: AppContext) -> list[str]:
    return [r.status for r in reversed(client.outbox(ctx))]


def test_everything_arrives_once_and_a_second_sync_sends_nothing(app: AppContext, world: World) -> None:
    first = client.sync(app, world.server.url, world.agency_a)
    # the issued notice carries the state too: nothing changed since, so no second manifest
    assert first.failed == [] and len(first.delivered) == 1
    assert statuses(app) == ["delivered"]
    assert first.blobs_sent > 100 and first.bytes_sent > 1_000_000
    signoff = json.loads(_manifest(app, 0))["report"]["signoff"]  # the sign-off travels with the report
    assert [(x["step"], x["name"], x["role"]) for x in signoff] == [("prepare", "李敏", "检查员")]
    again = client.sync(app, world.server.url, world.agency_a)
    assert (again.delivered, again.bytes_sent, again.blobs_sent) == ([], 0, 0)
    finding = next(f for f in json.loads(_manifest(app, 0))["findings"]
                   if f["status"] == "open")
    edit_finding(app.db, _finding_id(app, finding["number"]), location="⑦轴东侧")
    third = client.sync(app, world.server.url, world.agency_a)  # the edit travels as one change, not a snapshot
    assert third.delivered == [] and third.changes_sent == 1 and third.bytes_sent == 0
    assert third.change_bytes_sent < 4000
    receipt = json.loads(_row(app, -1).receipt or "{}")
    assert receipt["manifest_sha256"] == _row(app, -1).manifest_sha256


def _row(app: AppContext, index: int) -> SimpleNamespace:
    with app.db.read() as s:
        row = list(s.execute(select(OutboxItem).order_by(OutboxItem.id)).scalars())[index]
        return SimpleNamespace(**{c.name: getattr(row, c.name) for c in OutboxItem.__table__.columns})


def _manifest(app: AppContext, index: int) -> str:
    return _row(app, index).manifest


def _finding_id(app: AppContext, number: int) -> int:
    from inspector_app.services.findings import list_findings

    return next(f.id for f in list_findings(app.db, CODE) if f.number == number)


@pytest.mark.parametrize("fault", ["FailsBeforeStoring", "LosesTheAnswer"])
def test_a_failed_or_lost_answer_is_retried_into_exactly_one_delivery(app: AppContext, world: World,
                                                                     fault: str) -> None:
    from . import faults

    world.server.restart(getattr(faults, fault))
    summary = client.sync(app, world.server.url, world.agency_a)
    assert summary.failed == [] and statuses(app) == ["delivered"]
    with world.http(world.agency_a) as http:
        for row in (_row(app, 0),):
            assert http.get(f"/v1/receipts/{row.idempotency_key}").json()["manifest_sha256"] == row.manifest_sha256


def test_an_expired_token_stops_the_run_and_keeps_the_outbox(app: AppContext, world: World) -> None:
    with pytest.raises(SyncRefused, match="令牌"):
        client.sync(app, world.server.url, expired_token(world.server, "tis-a"))
    assert statuses(app) == ["pending"] and _row(app, 0).delivered_at is None  # nothing lost, sent next time


def test_a_receipt_that_does_not_match_the_local_hashes_is_not_taken(app: AppContext, world: World) -> None:
    client.sync(app, world.server.url, world.agency_a)
    with app.db.write() as s:  # the outbox claims another size for a file the platform has
        row = list(s.execute(select(OutboxItem).order_by(OutboxItem.id)).scalars())[-1]
        blobs = json.loads(row.blobs)
        blobs[0]["size"] += 1
        row.blobs, row.status = json.dumps(blobs), "pending"
    summary = client.sync(app, world.server.url, world.agency_a)
    assert summary.failed and "回执" in summary.failed[0]["reason"] and statuses(app)[-1] == "pending"


def test_two_runs_at_once_are_refused_by_the_lock(app: AppContext, world: World) -> None:
    with run_lock(app.paths.data_dir), pytest.raises(SyncBusy):
        client.sync(app, world.server.url, world.agency_a)


class SlowUploads:
    """Holds each upload PATCH for 250 ms, so a kill lands in the middle of the photos."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "PATCH":
            await asyncio.sleep(0.25)
        await self.app(scope, receive, send)


def test_killed_mid_sync_and_restarted_delivers_everything_once(app: AppContext, world: World) -> None:
    world.server.restart(SlowUploads)
    env = {**os.environ, "IDI_INSPECTOR_SYNC_TOKEN": world.agency_a, "PYTHONIOENCODING": "utf-8"}
    cmd = [sys.executable, "-m", "inspector_app", "--data-dir", str(app.paths.data_dir), "--json", "sync",
           "--server", world.server.url]
    app.close()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(3)  # mid-upload of the 121 photos
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with world.http(world.agency_a) as http:  # some photos arrived, not all, and no manifest yet
        assert http.get(f"/v1/receipts/{_row(app, 0).idempotency_key}").status_code == 404
    world.server.restart()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["failed"] == []
    ctx = open_app(app.paths.data_dir)
    try:
        assert statuses(ctx) == ["delivered"]
    finally:
        ctx.close()
    with world.http(world.agency_a) as http:
        projects = http.get("/v1/projects").json()
        assert any(p["code"] == CODE for p in (projects["projects"] if isinstance(projects, dict) else projects))


def test_projects_assigned_by_the_insurer_are_set_up_on_the_laptop(app: AppContext, world: World) -> None:
    from inspector_app.services.projects import list_projects, load_spec

    spec = load_spec(Path(__file__).resolve().parents[2] / "resources" / "examples" / "project.toml")
    detail = {k: spec[k] for k in ("project", "policy", "agency", "parties", "buildings")}
    with world.http(world.admin) as http:
        assert http.put("/v1/admin/projects/example-uid-1", json=detail).status_code == 201
        assert http.put("/v1/admin/projects/example-uid-1/agencies/tis-a").status_code == 204
    summary = client.sync(app, world.server.url, world.agency_a)
    assert summary.failed == [] and summary.downloaded == [f"{spec['project']['code']} {spec['project']['name']}"]
    mine = {p.code: p for p in list_projects(app.db)}
    assert spec["project"]["code"] in mine
    assert client.sync(app, world.server.url, world.agency_a).downloaded == []  # once


class Refuses:
    """Answers every manifest POST with one status and the protocol's error body."""

    status = 422

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/v1/manifests":
            body = json.dumps({"error": "invalid_manifest", "detail": "findings.0.number: too large"}).encode()
            await send({"type": "http.response.start", "status": self.status,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


class Busy(Refuses):
    status = 429


def test_a_refusal_for_good_is_shown_as_one_and_not_retried(app: AppContext, world: World) -> None:
    """Issue 15, item 12: a 4xx (not the token's) takes the item out of the queue as refused, with
    the platform's reason; the next runs leave it; the sync button sends it again."""
    world.server.restart(wrap=Refuses)
    summary = client.sync(app, world.server.url, world.agency_a)
    assert statuses(app) == ["failed"] and len(summary.failed) == 1
    reason = _row(app, 0).last_error
    assert "422 invalid_manifest" in reason and "findings.0.number" in reason and "不再自动重试" in reason
    assert client.outbox(app)[0].status == "failed"
    with app.db.write() as s:  # whatever its back-off said, a refused item is not due
        s.execute(update(OutboxItem).values(next_attempt_at=None))
    again = client.sync(app, world.server.url, world.agency_a)
    assert again.failed == [] and again.delivered == [] and statuses(app) == ["failed"]
    world.server.restart()  # the platform takes it now: a person sends it again
    retried = client.sync(app, world.server.url, world.agency_a, retry_refused=True)
    assert len(retried.delivered) == 1 and statuses(app) == ["delivered"]


def test_a_busy_platform_is_temporary_and_the_item_waits_its_back_off(app: AppContext, world: World) -> None:
    world.server.restart(wrap=Busy)
    summary = client.sync(app, world.server.url, world.agency_a, retries=1)
    assert statuses(app) == ["pending"] and "暂时不可用" in summary.failed[0]["reason"]
    assert _row(app, 0).next_attempt_at is not None
