"""The protocol end to end over real HTTP: download, presence, upload, manifest, receipt."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .conftest import World
from .protocol_client import make_manifest, new_key, sha256


def stored_files(blob_dir: Path) -> dict[str, str]:
    """Every stored blob: its name and the SHA-256 of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (blob_dir / "sha256").glob("*/*")}


def test_an_agency_downloads_only_the_projects_assigned_to_it(world: World) -> None:
    with world.http(world.inspector_a) as http:
        listed = http.get("/v1/projects").json()["projects"]
        assert [p["uid"] for p in listed] == [world.project_a["uid"]]
        detail = http.get(f"/v1/projects/{world.project_a['uid']}").json()
    assert detail["code"] == "BJ-A-001" and detail["version"] == listed[0]["version"]
    assert detail["policy"]["policy_no"] == "IDI-BJ-A-001"
    assert detail["buildings"][0]["name"] == "1#楼" and detail["plan"][0]["code"] == "N03"
    assert detail["parties"][0]["role"] == "developer"


def test_a_sync_delivers_everything_once_and_a_second_sync_sends_no_bytes(world: World) -> None:
    pdf, photos = os.urandom(300_000), (os.urandom(200_000), os.urandom(150_000))
    client = world.client(world.inspector_a)
    hashes = [sha256(b) for b in (pdf, *photos)]
    assert sorted(client.missing(hashes)) == sorted(hashes)
    for blob in (pdf, *photos):
        assert client.upload(blob, chunk=64_000)["status"] == "complete"
    assert client.missing(hashes) == []
    manifest, key = make_manifest(world.project_a, pdf=pdf, photos=photos), new_key()
    answer = client.deliver(manifest, key)
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    assert receipt["report"] == {"number": "BJ-1-ZZ-001", "revision": 1, "pdf_sha256": sha256(pdf),
                                 "status": "stored"}
    assert receipt["findings"][0]["status"] == "stored" and receipt["findings"][0]["events"][0]["status"] == "stored"
    assert [p["sha256"] for p in receipt["photos"]] == hashes[1:]
    assert receipt["audit_head"]["seq"] == 42 and receipt["audit_head"]["status"] == "stored"
    assert {b["sha256"] for b in receipt["blobs"]} == set(hashes)
    assert stored_files(world.server.settings.blob_dir) == {h: h for h in hashes}

    sent_before = client.bytes_sent
    assert client.missing(hashes) == []
    assert all(client.upload(blob)["status"] == "present" for blob in (pdf, *photos))
    again = client.deliver(manifest, key)
    assert again.status_code == 200 and again.json() == receipt
    assert again.headers["Idempotent-Replayed"] == "true"
    assert client.bytes_sent == sent_before


def test_a_manifest_citing_a_blob_not_uploaded_is_refused_naming_it(world: World) -> None:
    pdf, photo = os.urandom(1000), os.urandom(2000)
    client = world.client(world.agency_a)
    client.upload(pdf)
    answer = client.deliver(make_manifest(world.project_a, pdf=pdf, photos=(photo,)), new_key())
    assert answer.status_code == 422
    assert answer.json()["error"] == "missing_blobs" and answer.json()["missing"] == [sha256(photo)]


def test_a_manifest_stating_the_wrong_size_is_refused(world: World) -> None:
    pdf = os.urandom(1000)
    client = world.client(world.agency_a)
    client.upload(pdf)
    manifest = make_manifest(world.project_a, pdf=pdf, findings=[])
    manifest["report"]["pdf_bytes"] = 999
    answer = client.deliver(manifest, new_key())
    assert answer.status_code == 422 and answer.json()["error"] == "size_mismatch"


def test_bytes_that_are_not_the_announced_ones_are_not_stored(world: World) -> None:
    client = world.client(world.agency_a)
    announced, sent = os.urandom(50_000), os.urandom(50_000)
    upload = client.http.post("/v1/uploads", json={"sha256": sha256(announced), "size": len(sent)}).json()
    half = len(sent) // 2
    assert client.send_from(upload["id"], sent, 0, half).status_code == 200
    last = client.send_from(upload["id"], sent, half, len(sent))  # the last PATCH completes the upload
    assert last.status_code == 422 and last.json()["error"] == "hash_mismatch"
    assert last.json()["actual"] == sha256(sent)
    assert stored_files(world.server.settings.blob_dir) == {}
    assert client.missing([sha256(announced)]) == [sha256(announced)]
    assert client.http.post(f"/v1/uploads/{upload['id']}/complete").status_code == 422


def test_a_body_at_the_wrong_offset_or_past_the_size_is_refused(world: World) -> None:
    client = world.client(world.agency_a)
    data = os.urandom(10_000)
    upload = client.start(data)
    wrong = client.send_from(upload["id"], data, 500, 1000)
    assert wrong.status_code == 409 and wrong.json() == {**wrong.json(), "error": "offset_mismatch", "offset": 0}
    too_long = client.http.patch(f"/v1/uploads/{upload['id']}", content=data + b"x", headers={"Upload-Offset": "0"})
    assert too_long.status_code == 413
    early = client.http.post(f"/v1/uploads/{upload['id']}/complete")
    assert early.status_code == 409 and early.json()["error"] == "incomplete"
    assert client.offset(upload["id"]) == 0


def test_a_finding_updated_later_replaces_its_state_and_keeps_its_history(world: World) -> None:
    client = world.client(world.agency_a)
    first = make_manifest(world.project_a, seq=10)
    assert client.deliver(first, new_key()).status_code == 201
    later = make_manifest(world.project_a, seq=20)
    finding = later["findings"][0]
    finding["status"], finding["grade_now"] = "verified", "A"
    finding["history"].append({"at": "2025-05-24T10:00:00+08:00", "kind": "status", "from_value": "open",
                               "to_value": "verified", "actor": "赵工"})
    receipt = client.deliver(later, new_key()).json()
    assert receipt["findings"][0]["status"] == "updated"
    assert [e["status"] for e in receipt["findings"][0]["events"]] == ["already_stored", "stored"]
    older = make_manifest(world.project_a, seq=15)
    assert client.deliver(older, new_key()).json()["findings"][0]["status"] == "stale"
    with world.http(world.insurer) as http:
        page = http.get("/").text
    assert "底板防水卷材搭接宽度不足" not in page  # verified: no longer a serious finding still open


def test_times_carry_their_offset_and_are_kept_in_utc(world: World) -> None:
    from datetime import datetime

    from sqlalchemy import select

    from platform_server.database import Database
    from platform_server.models import Report

    pdf = os.urandom(10_000)
    client = world.client(world.agency_a)
    client.upload(pdf)
    manifest = make_manifest(world.project_a, pdf=pdf, photos=())
    assert manifest["report"]["issued_at"] == "2025-06-01T09:00:00+08:00"
    naive = {**manifest, "report": {**manifest["report"], "issued_at": "2025-06-01T09:00:00"}}
    refused = client.deliver(naive, new_key())
    assert refused.status_code == 422 and "issued_at" in refused.text  # a time without its zone is refused
    assert client.deliver(manifest, new_key()).status_code == 201
    db = Database(world.server.settings.database_url)
    try:
        with db.read() as s:
            assert s.scalars(select(Report.issued_at)).one() == datetime(2025, 6, 1, 1, 0)
    finally:
        db.dispose()
