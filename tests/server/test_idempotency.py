"""Exactly once: replays answer the first receipt; a key reused for other content, or a
report revision or audit head contradicting what is stored, is a conflict, never an overwrite."""

from __future__ import annotations

import json
import os
import socket
import threading
import time

import httpx
from sqlalchemy import func, select

from platform_server.database import Database
from platform_server.models import FindingEvent, Manifest, Report

from .conftest import World
from .faults import FailsBeforeStoring, LosesTheAnswer
from .protocol_client import ProtocolClient, make_manifest, new_key


def count(world: World, table: type) -> int:
    db = Database(world.server.settings.database_url)
    try:
        with db.read() as s:
            return int(s.scalar(select(func.count()).select_from(table)) or 0)
    finally:
        db.dispose()


def uploaded(client: ProtocolClient, *blobs: bytes) -> None:
    for blob in blobs:
        client.upload(blob)


def test_the_same_key_and_content_answers_the_same_receipt(world: World) -> None:
    pdf = os.urandom(5000)
    client = world.client(world.agency_a)
    uploaded(client, pdf)
    manifest, key = make_manifest(world.project_a, pdf=pdf), new_key()
    first = client.deliver(manifest, key)
    reordered = json.loads(json.dumps(manifest, sort_keys=True))  # same content, other key order
    second = client.http.post("/v1/manifests", content=json.dumps(reordered, indent=1),
                              headers={"Idempotency-Key": key, "Content-Type": "application/json"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == first.json()
    assert client.http.get(f"/v1/receipts/{key}").json() == first.json()
    assert count(world, Report) == 1 and count(world, Manifest) == 1


def test_the_same_key_with_other_content_is_a_conflict_and_changes_nothing(world: World) -> None:
    pdf = os.urandom(5000)
    client = world.client(world.agency_a)
    uploaded(client, pdf)
    manifest, key = make_manifest(world.project_a, pdf=pdf), new_key()
    receipt = client.deliver(manifest, key).json()
    changed = make_manifest(world.project_a, pdf=pdf)
    changed["findings"][0]["description"] = "已改动"
    conflict = client.deliver(changed, key)
    assert conflict.status_code == 409 and conflict.json()["error"] == "idempotency_conflict"
    assert client.http.get(f"/v1/receipts/{key}").json() == receipt
    assert count(world, Manifest) == 1


def test_a_report_revision_with_another_pdf_is_refused(world: World) -> None:
    pdf, other = os.urandom(5000), os.urandom(5000)
    client = world.client(world.agency_a)
    uploaded(client, pdf, other)
    assert client.deliver(make_manifest(world.project_a, pdf=pdf), new_key()).status_code == 201
    again = client.deliver(make_manifest(world.project_a, pdf=pdf, seq=43), new_key())
    assert again.status_code == 201 and again.json()["report"]["status"] == "already_stored"
    clash = client.deliver(make_manifest(world.project_a, pdf=other, seq=44), new_key())
    assert clash.status_code == 409 and clash.json()["error"] == "report_conflict"
    assert client.deliver(make_manifest(world.project_a, pdf=other, revision=2, seq=45), new_key()).status_code == 201
    assert count(world, Report) == 2


def test_an_audit_head_contradicting_the_stored_one_is_refused(world: World) -> None:
    client = world.client(world.agency_a)
    assert client.deliver(make_manifest(world.project_a, seq=7), new_key()).status_code == 201
    forked = make_manifest(world.project_a, seq=7)
    forked["audit_head"]["hash"] = "0" * 64
    answer = client.deliver(forked, new_key())
    assert answer.status_code == 409 and answer.json()["error"] == "audit_chain_conflict"


def test_a_server_failing_before_storing_is_retried(world: World) -> None:
    world.server.restart(FailsBeforeStoring)
    client = world.client(world.agency_a)
    manifest, key = make_manifest(world.project_a), new_key()
    assert client.deliver(manifest, key).status_code == 503
    assert count(world, Manifest) == 0
    assert client.deliver(manifest, key).status_code == 201
    assert count(world, Manifest) == 1


def test_a_lost_acknowledgement_is_answered_by_the_stored_receipt(world: World) -> None:
    pdf = os.urandom(5000)
    world.server.restart(LosesTheAnswer)
    client = world.client(world.agency_a)
    uploaded(client, pdf)
    manifest, key = make_manifest(world.project_a, pdf=pdf), new_key()
    assert client.deliver(manifest, key).status_code == 500
    retry = client.deliver(manifest, key)
    assert retry.status_code == 200 and retry.json()["report"]["status"] == "stored"
    assert count(world, Manifest) == 1 and count(world, Report) == 1 and count(world, FindingEvent) == 1


def test_a_connection_dropped_after_sending_the_manifest_is_retried(world: World) -> None:
    manifest, key = make_manifest(world.project_a), new_key()
    body = json.dumps(manifest).encode()
    head = (f"POST /v1/manifests HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {world.agency_a}\r\n"
            f"Idempotency-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    client = world.client(world.agency_a)
    with socket.create_connection(("127.0.0.1", world.server.port)) as conn:
        conn.sendall(head.encode() + body)
        deadline = time.monotonic() + 10  # stored and answered, but the answer is never read
        while client.http.get(f"/v1/receipts/{key}").status_code == 404 and time.monotonic() < deadline:
            time.sleep(0.05)
    retry = client.deliver(manifest, key)
    assert retry.status_code == 200 and retry.headers["Idempotent-Replayed"] == "true"
    assert count(world, Manifest) == 1


def test_two_sync_runs_at_once_store_one_copy_and_get_one_receipt(world: World) -> None:
    pdf, photo = os.urandom(400_000), os.urandom(300_000)
    manifest, key = make_manifest(world.project_a, pdf=pdf, photos=(photo,)), new_key()
    answers: list[httpx.Response] = []

    def run() -> None:
        client = ProtocolClient(world.server.url, world.inspector_a)
        try:
            uploaded(client, pdf, photo)
            answers.append(client.deliver(manifest, key))
        finally:
            client.close()

    runs = [threading.Thread(target=run) for _ in range(2)]
    for r in runs:
        r.start()
    for r in runs:
        r.join(60)
    assert sorted(a.status_code for a in answers) == [200, 201]
    assert answers[0].json() == answers[1].json()
    assert count(world, Manifest) == 1 and count(world, Report) == 1
    assert len(list((world.server.settings.blob_dir / "sha256").glob("*/*"))) == 2
