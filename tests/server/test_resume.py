"""Resumable uploads: a cut connection, a restarted server, a restarted app, two uploaders at
once. After each the server holds exactly one copy of the blob and its hash matches."""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
from pathlib import Path

import httpx
import pytest

from platform_server import uploads
from platform_server.api import blobs as blobs_api
from platform_server.blob_store import BlobStore, SegmentWriter
from platform_server.database import Database
from platform_server.uploads import UploadState

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


def test_many_uploads_of_one_blob_at_once_never_fail_and_leave_no_folder(world: World) -> None:
    """Issue 15, item 13: uploaders of one blob racing in small PATCHes (one upload row handed to
    all, so one finishes while the others are still writing segments into its folder): every
    PATCH answers 200 or 409 (never 500, no FileExistsError or vanished folder), every uploader
    ends complete, and incoming/ holds no folder afterwards."""
    statuses: list[int] = []
    lock = threading.Lock()

    class Counting(ProtocolClient):
        def send_from(self, upload_id: str, data: bytes, offset: int, chunk: int) -> httpx.Response:
            answer = super().send_from(upload_id, data, offset, chunk)
            with lock:
                statuses.append(answer.status_code)
            return answer

    for _round in range(3):
        data = os.urandom(96 * 1024 + 7)
        clients = [Counting(world.server.url, token) for token in (world.agency_a, world.inspector_a) * 2]
        try:
            results = run_together(*[(c, data, 16 * 1024 + 3 * i) for i, c in enumerate(clients)])
        finally:
            for c in clients:
                c.close()
        assert sorted({str(r["status"]) for r in results}) <= ["complete", "present"]
    assert set(statuses) <= {200, 409}, sorted(set(statuses))
    assert not any((world.server.settings.blob_dir / "incoming").iterdir()), "folders left in incoming/"


@pytest.mark.parametrize("part", ["all", "first half"])
def test_a_patch_overtaken_by_the_uploads_completion_is_refused_cleanly(world: World, monkeypatch: pytest.MonkeyPatch,
                                                                       part: str) -> None:
    """The PATCH's offset is checked, then another uploader of the same blob sends everything and
    the upload completes (its folder removed) before this PATCH writes its segment: the PATCH is
    answered 409 with the upload complete, and no folder is left behind in incoming/."""
    data = os.urandom(200 * 1024 + 11)
    late, winner = world.client(world.agency_a), world.client(world.inspector_a)
    upload = late.start(data)
    original, overtook = uploads.expect_offset, threading.Event()

    def overtaken(db: Database, agency_id: int, upload_id: str, offset: int) -> UploadState:
        state = original(db, agency_id, upload_id, offset)
        if not overtook.is_set():  # the late PATCH's check (the winner's own pass straight on)
            overtook.set()
            assert winner.upload(data)["status"] == "complete"  # while the late PATCH waits to write
        return state

    monkeypatch.setattr(blobs_api, "expect_offset", overtaken)
    answer = late.send_from(upload["id"], data, 0, len(data) if part == "all" else len(data) // 2)
    assert (answer.status_code, answer.json()["status"], answer.json()["offset"]) == (409, "complete", len(data))
    one_stored_copy(world, data)


def test_a_segment_folder_removed_while_a_writer_makes_it_is_made_again(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The two moments another upload's completion can remove the folder a PATCH is about to
    write in: between mkdir finding it and checking it (mkdir raises FileExistsError for a folder
    that is gone), and between mkdir and creating the segment file. The writer makes it again."""
    store = BlobStore(tmp_path / "blobs")
    folder = store.incoming_root / "u1"
    real_mkdir = os.mkdir
    removed: list[str] = []

    def racing_mkdir(path: object, mode: int = 0o777) -> None:
        if str(path) == str(folder) and len(removed) < 2:
            real_mkdir(path, mode)  # type: ignore[arg-type]
            os.rmdir(folder)  # the other upload's completion cleans up
            removed.append(str(path))
            if len(removed) == 1:
                raise FileExistsError(17, "File exists", str(path))  # mkdir saw it, is_dir() no more
            return
        real_mkdir(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "mkdir", racing_mkdir)
    writer = SegmentWriter(store.new_segment_path("u1", 0), 10)
    assert asyncio.run(writer.write(b"0123456789"))
    segment = writer.finish()
    assert len(removed) == 2 and segment.path.read_bytes() == b"0123456789"
    store.discard_segment(segment.path)
    assert not folder.exists(), "the empty folder is removed with its last segment"
