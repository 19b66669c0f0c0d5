"""Fixtures: the database backend (SQLite, and a real PostgreSQL when its binaries exist),
a live server on loopback, and a seeded world of two agencies and their projects."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from platform_server.auth import issue_token
from platform_server.database import Database
from platform_server.settings import Settings

from .live_server import LiveServer
from .postgres_cluster import PostgresCluster, find_binaries
from .protocol_client import ProtocolClient

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    bin_dir = find_binaries()
    if bin_dir is None:
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl) on this machine: install the Debian package "
                    "'postgresql' (make setup does, as root) to run the PostgreSQL half of tests/server")
    cluster = PostgresCluster.start(bin_dir)
    yield cluster
    cluster.stop()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'platform.sqlite3'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.create_database(f"t_{uuid.uuid4().hex[:16]}")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, blob_dir=tmp_path / "blobs")


@pytest.fixture
def server(settings: Settings) -> Iterator[LiveServer]:
    live = LiveServer(settings).start()
    yield live
    live.stop()


@dataclass
class World:
    server: LiveServer
    admin: str
    insurer: str
    agency_a: str
    inspector_a: str
    agency_b: str
    project_a: dict[str, str]
    project_b: dict[str, str]
    clients: list[ProtocolClient]

    def client(self, token: str) -> ProtocolClient:
        made = ProtocolClient(self.server.url, token)
        self.clients.append(made)
        return made

    def http(self, token: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.server.url, headers=headers, timeout=30)


def project_detail(code: str, name: str) -> dict[str, object]:
    return {"project": {"code": code, "name": name, "address": "北京市朝阳区望京南路88号", "district": "朝阳区"},
            "policy": {"policy_no": f"IDI-{code}", "issued_on": "2025-03-15", "premium_yuan": "8700000.00",
                       "insurers": [{"name": "示例财产保险", "lead": True, "share_percent": 40}]},
            "parties": [{"role": "developer", "name": "示例望京置业有限公司"}],
            "buildings": [{"name": "1#楼", "floors_above": 28, "floors_below": 3}],
            "plan": [{"code": "N03", "name": "筏板及底板下防水", "planned_date": "2025-05-20"}]}


@pytest.fixture
def world(server: LiveServer) -> Iterator[World]:
    db = Database(server.settings.database_url)
    admin = issue_token(db, "admin", subject="bootstrap").secret
    db.dispose()
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {admin}"}, timeout=30) as http:
        tokens: dict[str, str] = {}
        for code in ("tis-a", "tis-b"):
            assert http.post("/v1/admin/agencies", json={"code": code, "name": f"{code} 风险管理机构"}).status_code == 201
        for name, body in {"insurer": {"role": "insurer", "subject": "lead insurer"},
                           "agency_a": {"role": "agency", "agency": "tis-a"},
                           "inspector_a": {"role": "inspector", "agency": "tis-a", "subject": "赵工"},
                           "agency_b": {"role": "agency", "agency": "tis-b"}}.items():
            answer = http.post("/v1/admin/tokens", json=body)
            assert answer.status_code == 201, answer.text
            tokens[name] = answer.json()["token"]
        projects = {}
        for code, agency in (("BJ-A-001", "tis-a"), ("BJ-B-001", "tis-b")):
            uid = str(uuid.uuid4())
            assert http.put(f"/v1/admin/projects/{uid}", json=project_detail(code, f"{code} 住宅项目")).status_code == 201
            assert http.put(f"/v1/admin/projects/{uid}/agencies/{agency}").status_code == 204
            projects[agency] = {"uid": uid, "code": code}
    made = World(server, admin, tokens["insurer"], tokens["agency_a"], tokens["inspector_a"], tokens["agency_b"],
                 projects["tis-a"], projects["tis-b"], [])
    yield made
    for client in made.clients:
        client.close()


def expired_token(server: LiveServer, agency: str) -> str:
    db = Database(server.settings.database_url)
    try:
        return issue_token(db, "agency", agency_code=agency, valid_for=timedelta(seconds=-1)).secret
    finally:
        db.dispose()
