"""Resumable uploads: a cut connection, a restarted server, a restarted app, two uploaders at
once. After each the server holds exactly one copy of the blob and its hash matches."""

from __future__ import annotations

import hashlib
import os
import threading

import pytest

from .conftest import World
from .protocol_client import ProtocolClient, cut_patch, sha256, wait_for_offset

SIZE = 6 * 1024 * 1024 + 123


def one_stored_copy(world: World, data: bytes) -> None:
    stored = list((world.server.settings.blob_dir / "sha256").glob("*/*"))
    assert [p.name for p in stored] == [sha256(data)]
    assert hashlib.sha256(stored[0].read_bytes()).hexdigest() == sha256(data)
    assert not any((world.server.settings.blob_dir / "incoming").iterdir()), "segments left behind"


@pytest.mark.parametrize("percent", [10, 50, 99])
def test_an_upload_cut_midway_resumes_from_the_bytes_received(world: World, percent: int) -> None:
    data = os.urandom(SIZE)
    client = world.client(world.inspector_a)
    upload = client.start(data)
    cut_at = SIZE * percent // 100
    cut_patch(world.server.port, world.inspector_a, upload["id"], data, 0, cut_at)
    assert wait_for_offset(client, upload["id"], cut_at) == cut_at
    assert client.upload(data)["status"] == "complete"
    assert client.bytes_sent == SIZE - cut_at  # only the rest was sent again
    one_stored_copy(world, data)


def test_an_upload_resumes_on_a_restarted_server(world: World) -> None:
    data = os.urandom(SIZE)
    client = world.client(world.agency_a)
    upload = client.start(data)
    assert client.send_from(upload["id"], data, 0, SIZE // 3).status_code == 200
    world.server.restart()  # a new app instance over the same database and blob folder
    assert client.offset(upload["id"]) == SIZE // 3
    assert client.upload(data, chunk=SIZE // 3)["status"] == "complete"
    assert client.bytes_sent == SIZE
    one_stored_copy(world, data)


def test_an_app_that_lost_its_upload_id_resumes_the_same_upload(world: World) -> None:
    data = os.urandom(SIZE)
    before_kill = world.client(world.agency_a)
    upload = before_kill.start(data)
    cut_patch(world.server.port, world.agency_a, upload["id"], data, 0, SIZE // 2)
    wait_for_offset(before_kill, upload["id"], SIZE // 2)
    after_restart = world.client(world.agency_a)  # knows only the blob, not the upload
    again = after_restart.start(data)
    assert (again["id"], again["offset"]) == (upload["id"], SIZE // 2)
    after_restart.upload(data)
    assert after_restart.bytes_sent == SIZE - SIZE // 2
    one_stored_copy(world, data)


def run_together(*jobs: tuple[ProtocolClient, bytes, int]) -> list[dict[str, object]]:
    results: list[dict[str, object]] = []
    errors: list[BaseException] = []

    def run(client: ProtocolClient, data: bytes, chunk: int) -> None:
        try:
            results.append(client.upload(data, chunk=chunk))
        except BaseException as exc:  # reported below, on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def test_two_uploads_of_one_blob_at_once_store_one_copy(world: World) -> None:
    data = os.urandom(SIZE)
    results = run_together((world.client(world.agency_a), data, 512 * 1024),
                           (world.client(world.inspector_a), data, 700 * 1024))
    assert [r["status"] for r in results] == ["complete", "complete"]
    one_stored_copy(world, data)


def test_two_agencies_uploading_one_blob_store_one_copy_and_both_may_cite_it(world: World) -> None:
    data = os.urandom(SIZE)
    a, b = world.client(world.agency_a), world.client(world.agency_b)
    run_together((a, data, 1 << 20), (b, data, 1 << 20))
    assert a.missing([sha256(data)]) == [] and b.missing([sha256(data)]) == []
    one_stored_copy(world, data)


def test_presence_is_not_proof_of_possession(world: World) -> None:
    """Agency B cannot learn that A stored a blob, nor cite it, without sending its bytes."""
    data = os.urandom(10_000)
    world.client(world.agency_a).upload(data)
    b = world.client(world.agency_b)
    assert b.missing([sha256(data)]) == [sha256(data)]
    assert b.http.head(f"/v1/blobs/{sha256(data)}").status_code == 404
    assert b.http.get(f"/v1/blobs/{sha256(data)}").status_code == 404
    assert b.start(data)["status"] == "open"
