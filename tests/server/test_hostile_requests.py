"""Hostile requests to the platform (issue 15, items 11, 12 and 14): a body is read only after
its token is known good and only up to the route's limit; what the columns cannot hold is a
422, never a 500; every page forbids framing, sniffing and foreign or inline script.

The body tests drive the ASGI app directly with a body that counts what the server pulled, so
they assert what was read, not how long it took or how much memory grew."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from platform_server.api.app import create_app
from platform_server.api.guards import LOGIN_BYTES
from platform_server.auth import issue_token
from platform_server.cli import main as platform_cli
from platform_server.projects import create_agency
from platform_server.schemas import AgencyIn
from platform_server.settings import Settings

from .conftest import World, project_detail

CHUNK = 1 << 20
HUGE = 256 << 20  # what the attack sent: 256 MiB


@dataclass
class Sent:
    """A request body the server pulls chunk by chunk; ``pulled`` is what it took."""

    size: int
    pulled: int = 0

    async def receive(self) -> dict[str, object]:
        if self.pulled >= self.size:
            await asyncio.sleep(3600)  # the client waits for the answer; a server that reads on hangs here
        chunk = min(CHUNK, self.size - self.pulled)
        self.pulled += chunk
        return {"type": "http.request", "body": b"\0" * chunk if chunk < CHUNK else ZEROS,
                "more_body": self.pulled < self.size}


ZEROS = b"\0" * CHUNK


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes = b""
    messages: list[dict[str, object]] = field(default_factory=list)

    def json(self) -> dict[str, object]:
        parsed: dict[str, object] = json.loads(self.body)
        return parsed


def call(app: object, method: str, path: str, sent: Sent, headers: dict[str, str], *,
         length: bool = True) -> Answer:
    """One request through the ASGI app; ``length`` False sends no Content-Length (chunked)."""
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    if length:
        raw.append((b"content-length", str(sent.size).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "path": path,
             "raw_path": path.encode(), "query_string": b"", "headers": raw, "scheme": "http",
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 5000), "root_path": ""}
    answer = Answer(0, {})

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            answer.status = int(message["status"])  # type: ignore[call-overload]
            answer.headers = {k.decode(): v.decode() for k, v in message.get("headers", [])}  # type: ignore[attr-defined]
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")  # type: ignore[operator]

    async def run() -> None:
        await asyncio.wait_for(app(scope, sent.receive, send), 30)  # type: ignore[operator]

    asyncio.run(run())
    return answer


@dataclass
class Platform:
    app: object
    agency: str
    admin: str


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'platform.sqlite3'}", blob_dir=tmp_path / "blobs")
    app = create_app(settings)
    db = app.state.platform.db
    create_agency(db, AgencyIn(code="tis-a", name="甲机构"))
    made = Platform(app, issue_token(db, "agency", agency_code="tis-a").secret, issue_token(db, "admin").secret)
    yield made
    db.dispose()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


# --- item 11: the token first, then a body no larger than the route takes ------------------------

@pytest.mark.parametrize("length", [True, False], ids=["content-length", "chunked"])
@pytest.mark.parametrize("token", [None, "idi_not-a-token"], ids=["no-token", "unknown-token"])
@pytest.mark.parametrize("route", [("POST", "/v1/blobs/check"), ("POST", "/v1/manifests"),
                                   ("PATCH", "/v1/uploads/0123456789abcdef0123456789abcdef"),
                                   ("POST", "/v2/projects/p/changes"), ("PUT", "/v1/admin/projects/p")])
def test_without_a_good_token_the_body_is_not_read(platform: Platform, route: tuple[str, str], token: str | None,
                                                   length: bool) -> None:
    sent = Sent(HUGE)
    headers = bearer(token) if token else {"Content-Type": "application/json"}
    answer = call(platform.app, *route, sent, headers, length=length)
    assert (answer.status, answer.json()["error"]) == (401, "unauthorized")
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert sent.pulled == 0


def test_a_login_body_is_read_up_to_a_few_kilobytes(platform: Platform) -> None:
    announced = Sent(HUGE)
    answer = call(platform.app, "POST", "/login", announced, {"Content-Type": "application/x-www-form-urlencoded"})
    assert (answer.status, answer.json()["error"], announced.pulled) == (413, "too_large", 0)
    streamed = Sent(HUGE)
    answer = call(platform.app, "POST", "/login", streamed, {"Content-Type": "application/x-www-form-urlencoded"},
                  length=False)
    assert (answer.status, answer.json()["error"]) == (413, "too_large")
    assert streamed.pulled <= LOGIN_BYTES + CHUNK  # the first chunk past the limit stops it


@pytest.mark.parametrize("route", [("POST", "/v1/blobs/check"), ("POST", "/v1/manifests"),
                                   ("POST", "/v2/projects/p/changes")])
def test_a_body_past_the_routes_limit_is_refused_as_it_streams(platform: Platform, route: tuple[str, str]) -> None:
    settings = platform.app.state.platform.settings  # type: ignore[attr-defined]
    limit = settings.max_manifest_bytes if route[1] != "/v1/blobs/check" else settings.max_request_bytes
    announced = Sent(HUGE)
    answer = call(platform.app, *route, announced, {**bearer(platform.agency), "Idempotency-Key": "hostile-1"})
    assert (answer.status, answer.json()["error"], answer.json()["limit"], announced.pulled) == (413, "too_large",
                                                                                                 limit, 0)
    streamed = Sent(HUGE)
    answer = call(platform.app, *route, streamed, {**bearer(platform.agency), "Idempotency-Key": "hostile-2"},
                  length=False)
    assert (answer.status, answer.json()["error"], answer.json()["limit"]) == (413, "too_large", limit)
    assert streamed.pulled <= limit + CHUNK


def test_an_upload_body_past_the_blob_limit_is_refused_unread(platform: Platform) -> None:
    sent = Sent(platform.app.state.platform.settings.max_blob_bytes + 1)  # type: ignore[attr-defined]
    answer = call(platform.app, "PATCH", "/v1/uploads/0123456789abcdef0123456789abcdef", sent,
                  {**bearer(platform.agency), "Upload-Offset": "0"})
    assert (answer.status, answer.json()["error"], sent.pulled) == (413, "too_large", 0)


def test_a_good_token_and_a_small_body_are_answered_as_before(platform: Platform) -> None:
    body = json.dumps({"sha256": ["a" * 64]}).encode()

    class One(Sent):
        async def receive(self) -> dict[str, object]:
            self.pulled = self.size
            return {"type": "http.request", "body": body, "more_body": False}

    answer = call(platform.app, "POST", "/v1/blobs/check", One(len(body)), bearer(platform.agency))
    assert (answer.status, answer.json()) == (200, {"present": [], "missing": ["a" * 64]})


# --- item 14: the web view's headers ------------------------------------------------------------

def test_every_page_forbids_framing_sniffing_and_inline_script(world: World) -> None:
    with world.http(None) as anonymous:
        login = anonymous.get("/login")
    with world.http(world.insurer) as insurer:
        overview = insurer.get("/")
        api = insurer.get("/v1/projects")
    for answer in (login, overview, api):
        assert answer.status_code == 200
        policy = answer.headers["content-security-policy"]
        directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
        assert directives["default-src"] == ["'self'"] and directives["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in policy and directives["script-src"] == ["'self'"]
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
    for page in (login, overview):
        assert "<script" not in page.text.lower()
        assert not re.search(r"<[^>]+\son[a-z]+=", page.text, flags=re.I), "an inline event handler"
        styles = re.findall(r"<style>(.*?)</style>", page.text, flags=re.S)
        assert styles, "the page's own style"
        allowed = {d.split()[0]: d.split()[1:] for d in page.headers["content-security-policy"].split("; ")}
        for style in styles:  # each inline style is allowed by its hash, and nothing else inline is
            digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in allowed["style-src"]


# --- item 12: what the columns cannot hold is refused (422), never a 500 ------------------------

def test_a_nul_in_the_manifests_project_is_refused_not_a_server_error(world: World) -> None:
    """PostgreSQL cannot compare a string holding U+0000: the project reference is refused up front."""
    manifest = {"format": "idi-sync-manifest", "version": 1, "created_at": "2026-05-20T09:00:00+08:00",
                "project": {"uid": "a\x00b", "code": "BJ\x00"}, "audit_head": {"device_id": "d", "seq": 1,
                                                                             "hash": "0" * 64}}
    with world.http(world.agency_a) as agency:
        answer = agency.post("/v1/manifests", json=manifest, headers={"Idempotency-Key": "nul-in-project"})
    assert (answer.status_code, answer.json()["error"]) == (422, "invalid_manifest")
    assert {tuple(e["loc"]) for e in answer.json()["errors"]} == {("project", "uid"), ("project", "code")}


@pytest.mark.parametrize("days", ["1e12", "nan", "inf", "-1", "0"])
def test_the_admin_command_refuses_a_token_life_it_cannot_hold(tmp_path: Path, days: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    assert platform_cli(["admin", "--db", db, "create-token", "--role", "insurer", "--days", days]) == 1
    err = capsys.readouterr().err
    assert f"--days {days}" in err and "36500" in err and "Traceback" not in err


def test_the_admin_command_refuses_a_bad_agency_or_project_file_without_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    assert platform_cli(["admin", "--db", db, "create-agency", "bad code!", "名"]) == 1
    assert "code" in capsys.readouterr().err
    broken = tmp_path / "project.json"
    broken.write_text('{"project": ', encoding="utf-8")
    assert platform_cli(["admin", "--db", db, "put-project", str(uuid.uuid4()), str(broken)]) == 1
    assert str(broken) in capsys.readouterr().err
    assert platform_cli(["admin", "--db", db, "put-project", str(uuid.uuid4()), str(tmp_path / "none.json")]) == 1
    assert "none.json" in capsys.readouterr().err
    good = tmp_path / "good.json"
    good.write_text(json.dumps(project_detail("BJ-1", "项目")), encoding="utf-8")
    assert platform_cli(["admin", "--db", db, "put-project", str(uuid.uuid4()), str(good)]) == 0
