"""docs/sync-protocol.yaml documents every route the server has, and no other; the command
line creates agencies, tokens and projects and starts the server with one command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from platform_server.api.app import create_app
from platform_server.settings import Settings

from .conftest import project_detail
from .postgres_cluster import free_port

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "sync-protocol.yaml"


def documented_operations() -> set[tuple[str, str]]:
    operations, path = set(), None
    for line in DOCUMENT.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^  (/\S+):\s*$", line):
            path = m.group(1)
        elif re.match(r"^\S", line):
            path = None
        elif path and (m := re.match(r"^    (get|head|post|put|patch|delete):\s*$", line)):
            operations.add((m.group(1).upper(), path))
    return operations


def test_the_protocol_document_lists_exactly_the_servers_routes(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'p.sqlite3'}", blob_dir=tmp_path / "b"))
    served = {(method.upper(), path) for path, item in app.openapi()["paths"].items() for method in item}
    app.state.platform.db.dispose()
    assert DOCUMENT.read_text(encoding="utf-8").startswith("openapi: 3.1.0")
    assert "\t" not in DOCUMENT.read_text(encoding="utf-8")
    assert documented_operations() == served


def run_cli(*args: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-m", "platform_server", *args], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


def test_one_command_starts_a_server_the_admin_commands_set_up(tmp_path: Path) -> None:
    db = str(tmp_path / "platform.sqlite3")
    (tmp_path / "project.json").write_text(json.dumps(project_detail("BJ-CLI-1", "命令行项目")), encoding="utf-8")
    run_cli("admin", "--db", db, "create-agency", "tis-cli", "命令行机构")
    token = run_cli("admin", "--db", db, "create-token", "--role", "agency", "--agency", "tis-cli")["token"]
    run_cli("admin", "--db", db, "put-project", "uid-cli-1", str(tmp_path / "project.json"))
    run_cli("admin", "--db", db, "assign", "uid-cli-1", "tis-cli")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "platform_server", "serve", "--port", str(port), "--db", db,
                               "--blobs", str(tmp_path / "blobs")], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/v1/projects", headers={"Authorization": f"Bearer {token}"})
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
                time.sleep(0.1)
        assert [p["code"] for p in answer.json()["projects"]] == ["BJ-CLI-1"]
    finally:
        server.terminate()
        server.wait(10)
