"""Issue 15, item 12, for team sync (v2): a project's changes the platform refuses for good are
kept as refused, not sent again on every run, shown with the v1 refusals, and sent again only
when a person asks (``retry_refused``); a busy or failing platform (429, 503) is still retried.

The platform is the real server over HTTP with a middleware in front that answers the changes
POST with a chosen status and counts the POSTs that reached it."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import ClassVar

import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from inspector_app.commands import _sync_text
from inspector_app.messages import history_reason
from inspector_app.sync import client

from .test_team_sync import Team, crew  # noqa: F401  (its fixture: the example project on two laptops)

CHANGES = re.compile(r"^/v2/projects/[^/]+/changes$")


class RefusesChanges:
    """Answers every POST of team changes with ``status`` and the protocol's error body."""

    status = 422
    posts: ClassVar[list[str]] = []  # one entry per changes POST that reached the platform

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and CHANGES.match(scope["path"]):
            type(self).posts.append(scope["path"])
            body = json.dumps({"error": "invalid_change", "detail": "changes.0.values.description: too long"}).encode()
            await send({"type": "http.response.start", "status": self.status,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


class Busy(RefusesChanges):
    status = 429


class Down(RefusesChanges):
    status = 503


class Counts(RefusesChanges):
    """Passes everything on, counting the changes POSTs."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and CHANGES.match(scope["path"]):
            type(self).posts.append(scope["path"])
        await self.app(scope, receive, send)


@pytest.fixture
def laptops(crew: Team) -> Team:  # noqa: F811
    return crew


def _team_rows(team: Team, name: str) -> list[client.OutboxInfo]:
    return [r for r in client.outbox(team.laptops[name]) if r.kind == "team"]


def test_changes_refused_for_good_are_kept_held_shown_and_sent_again_only_when_asked(laptops: Team) -> None:
    team = laptops
    server, token = team.world.server, team.world.agency_a
    vb = team.visit("b", date(2025, 5, 20), "钱工")
    team.finding("b", vb, "防水保护层厚度不足（B 记录）")
    team.sync("b")  # b's finding is on the platform
    va = team.visit("a", date(2025, 5, 20), "赵工")
    team.finding("a", va, "卷材搭接宽度不足（A 记录）")
    RefusesChanges.posts.clear()
    server.restart(wrap=RefusesChanges)

    first = client.sync(team.laptops["a"], server.url, token)
    assert len(RefusesChanges.posts) == 1  # one page, refused once, not retried in the run
    assert [f["item"] for f in first.failed] == [f"团队同步 {team.code}"]
    reason = first.failed[0]["reason"]
    assert "422 invalid_change" in reason and "too long" in reason and "不再自动发送" in reason
    assert team.code not in first.team_synced
    # still received the others' changes: b's finding is here
    assert "防水保护层厚度不足（B 记录）" in {d for _, d, _ in team.findings("a").values()}
    rows = _team_rows(team, "a")
    assert len(rows) == 1 and rows[0].status == "failed" and rows[0].last_error == reason
    assert team.code in rows[0].label and "条" in rows[0].label
    # the sync tab and ``sync --status`` say them again in the reader's language, as the v1 items
    assert history_reason(rows[0].label, "en").startswith(f"team changes: project {team.code}, ")
    assert "the platform refused the team changes (422 invalid_change)" in history_reason(reason, "en")
    with team.laptops["a"].db.read() as s:  # what was refused, the platform's answer, when
        from inspector_app.models import OutboxItem

        kept = json.loads(s.get(OutboxItem, rows[0].id).manifest)
    assert kept["status"] == 422 and kept["error"] == "invalid_change" and kept["changes"] and kept["refused_at"]

    second = client.sync(team.laptops["a"], server.url, token)
    assert len(RefusesChanges.posts) == 1  # not sent again
    assert second.failed == [] and second.team_held == [team.code] and team.code not in second.team_synced
    assert "sync --retry-refused" in _sync_text(second)
    assert [r.status for r in _team_rows(team, "a")] == ["failed"]

    Counts.posts.clear()
    server.restart(wrap=Counts)  # the platform takes them now: a person sends them again
    third = client.sync(team.laptops["a"], server.url, token)
    assert Counts.posts == [] and third.team_held == [team.code]  # the automatic run still holds them
    retried = client.sync(team.laptops["a"], server.url, token, retry_refused=True)
    assert len(Counts.posts) >= 1 and retried.failed == [] and retried.changes_sent > 0
    assert retried.team_synced == [team.code] and retried.team_held == []
    assert [r.status for r in _team_rows(team, "a")] == ["delivered"]
    team.sync("b")
    assert "卷材搭接宽度不足（A 记录）" in {d for _, d, _ in team.findings("b").values()}


def test_a_busy_or_failing_platform_is_temporary_and_the_changes_go_on_the_next_run(laptops: Team) -> None:
    team = laptops
    server, token = team.world.server, team.world.agency_a
    va = team.visit("a", date(2025, 5, 20), "赵工")
    team.finding("a", va, "卷材搭接宽度不足（A 记录）")
    for fault in (Busy, Down):
        fault.posts.clear()
        server.restart(wrap=fault)
        for run in (1, 2):
            summary = client.sync(team.laptops["a"], server.url, token)
            assert len(fault.posts) == run  # tried again on every run
            assert summary.failed and "暂时不可用" in summary.failed[0]["reason"] and summary.team_held == []
            assert _team_rows(team, "a") == []  # nothing kept as refused
    server.restart()
    assert team.sync("a").changes_sent > 0
    team.sync("b")
    assert "卷材搭接宽度不足（A 记录）" in {d for _, d, _ in team.findings("b").values()}
