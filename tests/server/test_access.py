"""Authorisation: tokens expire, roles are kept apart, and one agency never sees or writes
another's projects, uploads or blobs."""

from __future__ import annotations

import os

from .conftest import World, expired_token
from .protocol_client import make_manifest, new_key, serious_finding, sha256


def test_an_expired_or_unknown_token_is_refused(world: World) -> None:
    for token in (expired_token(world.server, "tis-a"), "idi_not-a-token", None):
        with world.http(token) as http:
            answer = http.get("/v1/projects")
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    with world.http(expired_token(world.server, "tis-a")) as http:
        assert "expired" in http.get("/v1/projects").json()["detail"]


def test_a_revoked_token_is_refused(world: World) -> None:
    with world.http(world.admin) as admin:
        made = admin.post("/v1/admin/tokens", json={"role": "agency", "agency": "tis-a", "days": 1}).json()
        with world.http(made["token"]) as http:
            assert http.get("/v1/projects").status_code == 200
            assert admin.delete(f"/v1/admin/tokens/{made['id']}").status_code == 204
            assert http.get("/v1/projects").status_code == 401


def test_an_agency_cannot_read_or_write_another_agencys_project(world: World) -> None:
    b_uid = world.project_b["uid"]
    a = world.client(world.agency_a)
    assert a.http.get(f"/v1/projects/{b_uid}").status_code == 404
    answer = a.deliver(make_manifest(world.project_b), new_key())
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"
    b = world.client(world.agency_b)
    data = os.urandom(1000)
    upload = b.start(data)
    assert a.http.get(f"/v1/uploads/{upload['id']}").status_code == 404
    assert a.send_from(upload["id"], data, 0, 1000).status_code == 404
    assert a.http.post(f"/v1/uploads/{upload['id']}/complete").status_code == 404
    b.upload(data)
    assert b.deliver(make_manifest(world.project_b, findings=[serious_finding(1, [])]), new_key()).status_code == 201
    assert a.http.get(f"/v1/receipts/{new_key()}").status_code == 404


def test_roles_are_kept_apart(world: World) -> None:
    with world.http(world.insurer) as insurer:
        assert insurer.post("/v1/manifests", json={}, headers={"Idempotency-Key": new_key()}).status_code == 403
        assert insurer.post("/v1/admin/agencies", json={"code": "x", "name": "x"}).status_code == 403
        assert len(insurer.get("/v1/projects").json()["projects"]) == 2
    with world.http(world.agency_a) as agency:
        assert agency.post("/v1/admin/tokens", json={"role": "admin"}).status_code == 403
        assert agency.put(f"/v1/admin/projects/{world.project_b['uid']}/agencies/tis-a").status_code == 403


def test_the_insurer_sees_reports_and_serious_open_findings_and_an_agency_only_its_own(world: World) -> None:
    pdf = os.urandom(3000)
    a, b = world.client(world.agency_a), world.client(world.agency_b)
    a.upload(pdf)
    assert a.deliver(make_manifest(world.project_a, pdf=pdf), new_key()).status_code == 201
    b_finding = serious_finding(1, [])
    b_finding["description"] = "悬挑板上部钢筋下沉"
    assert b.deliver(make_manifest(world.project_b, findings=[b_finding]), new_key()).status_code == 201
    with world.http(world.insurer) as http:
        page = http.get("/").text
        assert http.get(f"/reports/{sha256(pdf)}.pdf").content == pdf
    assert "BJ-A-001" in page and "BJ-B-001" in page and "BJ-1-ZZ-001" in page
    assert "底板防水卷材搭接宽度不足" in page and "悬挑板上部钢筋下沉" in page and "逾期" in page
    with world.http(None) as browser:
        assert browser.get("/").headers["location"] == "/login"
        logged_in = browser.post("/login", content=f"token={world.agency_b}",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert logged_in.status_code == 303 and "idi_token" in logged_in.headers["set-cookie"]
        own = browser.get("/").text
        assert browser.get(f"/reports/{sha256(pdf)}.pdf").status_code == 404
    assert "BJ-B-001" in own and "BJ-A-001" not in own and "底板防水卷材搭接宽度不足" not in own
