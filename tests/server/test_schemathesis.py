"""docs/sync-protocol.yaml against the live platform: schemathesis generates requests from the
document (valid ones and invalid ones) for every documented operation and checks each answer:
no server error (5xx), a status code and a content type the document lists for the operation,
a body that follows the documented schema.

One test per operation, each on a fresh platform (the ``world`` fixture: a live server over
real HTTP, an admin token, an agency token and a project per agency). Bounded and deterministic:
a fixed seed, derandomised, MAX_EXAMPLES fuzzed requests per operation plus schemathesis's
coverage cases (the boundaries the document draws: lengths, ranges, types, missing fields), no
shrinking and no example database, so CI sends the same requests every run.

Not driven: ``PATCH /v1/uploads/{upload_id}`` (a binary body appended at an offset of an upload
that must exist first; test_protocol.py and test_resume.py drive it), and the HTML pages of
platform_server/api/web.py, which the document does not describe. Unexpected methods (405
probes) are left out: not part of the document.

PostgreSQL (column widths, U+0000, 32-bit columns) runs with SCHEMATHESIS_POSTGRES=1.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
import rfc8785
import schemathesis
from hostile.mutants import record
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from platform_server.auth import issue_token
from platform_server.database import Database

from .conftest import World
from .postgres_cluster import PostgresCluster

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "sync-protocol.yaml"
# fuzzed requests per operation (the coverage phase adds its boundary cases); bench/hostile.py: x10
MAX_EXAMPLES = 20 * max(1, int(os.environ.get("IDI_HOSTILE_SCALE", "1") or 1))
SEED = 20260520
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
BACKENDS = ["sqlite", "postgresql"] if os.environ.get("SCHEMATHESIS_POSTGRES") else ["sqlite"]
# An agency's project: valid requests name its real project, so that they reach the feed, the
# merge, the number counter and the manifest's items instead of answering 404.
ON_THE_PROJECT = {"getProject", "postChanges", "getChanges", "reserveNumbers"}

CONFIG = SchemathesisConfig.from_dict({
    "seed": SEED,
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "no-shrink": True, "database": "none",
                   "with-security-parameters": False},  # the bearer token is the test's (below), not generated
    "phases": {"stateful": {"enabled": False}, "coverage": {"unexpected-methods": []}},
})
# Loaded eagerly, the live server's URL given per call: schemathesis.pytest.from_fixture (4.32) sets
# Node._nodeid, which pytest 9 no longer has.
schema = schemathesis.openapi.from_path(DOCUMENT, config=CONFIG).exclude(method="PATCH", path="/v1/uploads/{upload_id}")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite by default (this overrides conftest's two backends); PostgreSQL on request."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'platform.sqlite3'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.create_database(f"t_{os.urandom(8).hex()}")


def _admin_token(world: World) -> str:
    """A new admin token: revokeToken may revoke any token, the test's own included."""
    db = Database(world.server.settings.database_url)
    try:
        return issue_token(db, "admin", subject="schemathesis").secret
    finally:
        db.dispose()


def _change_id(change: dict[str, Any]) -> str | None:
    try:
        return hashlib.sha256(rfc8785.dumps({k: v for k, v in change.items() if k != "id"})).hexdigest()
    except (rfc8785.CanonicalizationError, TypeError, ValueError, RecursionError):
        return None  # not canonicalisable: the platform refuses it (422), as it should


def _aim(case: Case, world: World) -> None:
    """Valid requests at the agency's real project, a manifest under a key of its own, changes from
    the page's device with right ids."""
    operation_id = case.operation.definition.raw.get("operationId")
    if operation_id in ON_THE_PROJECT:
        case.path_parameters = {**(case.path_parameters or {}), "uid": world.project_a["uid"]}
    if operation_id == "postManifest" and isinstance(case.body, dict) and isinstance(case.body.get("project"), dict):
        case.body["project"]["uid"] = world.project_a["uid"]
        # one key per content, so each manifest is stored (or replayed), not refused as a reused key
        key = hashlib.sha256(json.dumps(case.body, sort_keys=True, default=str).encode()).hexdigest()
        case.headers = {**(case.headers or {}), "Idempotency-Key": f"schemathesis:{key}"}
    if operation_id == "postChanges" and isinstance(case.body, dict) and isinstance(case.body.get("changes"), list):
        for change in case.body["changes"]:
            if isinstance(change, dict):
                change["device"] = case.body.get("device")
                change["id"] = _change_id(change) or change.get("id")


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # one live platform per operation
def test_the_platform_answers_as_its_document_says(case: Case, world: World) -> None:
    if case.meta is None or not case.meta.generation.mode.is_negative:
        _aim(case, world)
    if case.operation.definition.raw.get("operationId") == "revokeToken":
        token = _admin_token(world)
    else:
        token = world.admin if case.operation.path.startswith("/v1/admin/") else world.agency_a
    case.call_and_validate(base_url=world.server.url, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
    record("platform requests (schemathesis)", case.operation.label)


def _manifest(uid: str, number: int) -> dict[str, Any]:
    return {"format": "idi-sync-manifest", "version": 1, "project": {"uid": uid, "code": "BJ-A-001"},
            "created_at": "2026-05-20T09:00:00+08:00", "audit_head": {"device_id": "d", "seq": 1, "hash": "0" * 64},
            "findings": [{"number": number, "building": "1#楼", "description": "渗水", "coverage_code": "WPI-2",
                          "division_code": "01", "grade_found": "B", "grade_now": "B", "is_serious": False,
                          "status": "open", "found_on": "2026-05-20"}]}


def _change(at: str) -> dict[str, Any]:
    change: dict[str, Any] = {"device": "d1.1", "seq": 1, "audit_hash": "0" * 64, "table": "visit", "uid": "u1",
                              "op": "insert", "at": at, "actor": None, "values": {}}
    change["id"] = _change_id(change)
    return change


def test_what_broke_the_platform_is_refused_not_a_server_error(world: World) -> None:
    """Inputs that answered 500 before (each on SQLite, PostgreSQL or both): a U+0000 in a kept
    string or a parameter, integers past their column, a time past year 1 in UTC, JSON nested
    thousands deep, changes sent with an insurer's token; now a 4xx the document lists."""
    uid = world.project_a["uid"]
    deep = b'{"a":' * 5000  # past Python's recursion limit while parsing
    nested = b'{"a":' * 100 + b"1" + b"}" * 100  # parses, but nests past MAX_DEPTH (64)
    with world.http(world.admin) as admin:
        assert admin.post("/v1/admin/agencies", json={"code": "x1", "name": "a\x00b"}).status_code == 422
        assert admin.post("/v1/admin/tokens", json={"role": "insurer", "days": 1e300}).status_code == 422
        assert admin.post("/v1/admin/tokens", json={"role": "inspector", "agency": "tis-a",
                                                    "subject": "赵" * 121}).status_code == 422
        assert admin.delete(f"/v1/admin/tokens/{2**31}").status_code == 422
        assert admin.put("/v1/admin/projects/p-long", json={"project": {"code": "C" * 41, "name": "n"}}).status_code == 422
        for body in (deep, nested):
            assert admin.put("/v1/admin/projects/p-deep", content=b'{"project": {"code": "c", "name": "n"}, "policy": '
                             + body + b"}", headers={"Content-Type": "application/json"}).status_code == 422
        refused = admin.put("/v1/admin/projects/p-bytes", content=b'{"project": "\xff"}',
                            headers={"Content-Type": "application/json"})
        assert (refused.status_code, refused.json()["error"]) == (422, "invalid_request")
        assert admin.get("/v1/projects/a%00b").status_code == 422
    with world.http(world.agency_a) as agency:
        for number, key in ((2**31, "schemathesis-a"), (2**63, "schemathesis-b")):
            assert agency.post("/v1/manifests", json=_manifest(uid, number),
                               headers={"Idempotency-Key": key}).status_code == 422
        assert agency.post("/v1/manifests", json=_manifest(uid, 1), headers={"Idempotency-Key": "schemathesis-c"}
                           ).status_code == 201
        for body in (deep, nested):
            assert agency.post("/v1/manifests", content=body, headers={"Idempotency-Key": "schemathesis-d",
                                                                       "Content-Type": "application/json"}).status_code == 400
            assert agency.post(f"/v2/projects/{uid}/changes", content=body,
                               headers={"Content-Type": "application/json"}).status_code == 422
        early = _change("0001-01-01T00:30:00+01:00")
        assert agency.post(f"/v2/projects/{uid}/changes", json={"device": "d1.1", "changes": [early]}).status_code == 422
        assert agency.get(f"/v2/projects/{uid}/changes", params={"exclude_device": "a\x00"}).status_code == 422
    with world.http(world.insurer) as insurer:
        sent = insurer.post(f"/v2/projects/{uid}/changes",
                            json={"device": "d1.1", "changes": [_change("2026-05-20T09:00:00+08:00")]})
        assert (sent.status_code, sent.json()["error"]) == (403, "forbidden")
