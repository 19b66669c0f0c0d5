"""Sync upload benchmark: ~1 GB of random blobs over loopback.

Runs the reference platform server in a child process (uvicorn, one worker) with one extra
route, a plain ``PUT /bench/plain/{name}`` that streams the body to a file and fsyncs it,
the floor any upload competes with. Dirty pages are flushed (os.sync) before each timed
phase, so neither pays for the other's writes. Prints, from one run on this machine:

1. plain HTTP PUT of every blob: MB/s;
2. the sync protocol (presence check, POST /v1/uploads, one PATCH per blob, complete with
   the server recomputing SHA-256, then the manifest citing every blob): MB/s and the ratio
   to the plain PUT (target at least 0.5);
3. a second sync of the same blobs: the blob bytes it sent (target 0) and its time;
4. the app's own client (inspector_app.sync.client) sending the same bytes as photo originals
   of a project on a laptop database: MB/s, ratio to the plain PUT, and its second run.

    .venv/bin/python bench/sync_upload.py          # BENCH_MB=1024 BENCH_BLOB_MB=8 by default
    BENCH_MB=256 .venv/bin/python bench/sync_upload.py
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from fastapi import Request  # the plain route's annotation is resolved from this module

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from platform_server.auth import issue_token  # noqa: E402
from platform_server.database import Database  # noqa: E402
from platform_server.projects import assign_project, create_agency, put_project  # noqa: E402
from platform_server.schemas import AgencyIn, ProjectDetailIn  # noqa: E402

MB = 1 << 20


def serve(port: int, db_url: str, blobs: str, plain_dir: str) -> None:
    """The child process: the platform app plus the plain PUT route."""
    import uvicorn

    from platform_server.api.app import create_app
    from platform_server.settings import Settings

    app = create_app(Settings(database_url=db_url, blob_dir=Path(blobs)))

    @app.put("/bench/plain/{name}")
    async def plain_put(name: str, request: Request) -> dict[str, int]:
        size = 0
        with open(Path(plain_dir) / name, "wb") as out:
            async for chunk in request.stream():
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        return {"size": size}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


APP_UID = str(uuid.uuid4())


def seed(db_url: str) -> tuple[str, dict[str, str]]:
    db = Database(db_url)
    db.create_schema()
    create_agency(db, AgencyIn(code="tis-bench", name="bench agency"))
    uid = str(uuid.uuid4())
    put_project(db, uid, ProjectDetailIn(project={"code": "BENCH-1", "name": "bench project"}))
    assign_project(db, uid, "tis-bench")
    put_project(db, APP_UID, ProjectDetailIn(project={"code": "BJ-CY-2025-003", "name": "app bench project"}))
    assign_project(db, APP_UID, "tis-bench")
    token = issue_token(db, "inspector", agency_code="tis-bench", subject="bench").secret
    db.dispose()
    return token, {"uid": uid, "code": "BENCH-1"}


def start_server(work: Path) -> tuple[subprocess.Popen[bytes], str, str, dict[str, str]]:
    db_url = f"sqlite:///{work / 'platform.sqlite3'}"
    token, project = seed(db_url)
    (work / "plain").mkdir()
    port = free_port()
    child = subprocess.Popen([sys.executable, __file__, "--serve", str(port), db_url, str(work / "blobs"),
                              str(work / "plain")])
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(f"{url}/healthz")
            return child, url, token, project
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit("the server did not start")


def plain_upload(http: httpx.Client, blobs: list[bytes]) -> float:
    started = time.perf_counter()
    for i, blob in enumerate(blobs):
        http.put(f"/bench/plain/{i}", content=blob).raise_for_status()
    return time.perf_counter() - started


def sync(http: httpx.Client, blobs: list[bytes], hashes: list[str], project: dict[str, str],
         key: str) -> tuple[float, int, int]:
    """One sync run: (seconds, blob bytes sent, manifest answer status)."""
    started, sent = time.perf_counter(), 0
    missing = set(http.post("/v1/blobs/check", json={"sha256": hashes}).json()["missing"])
    for blob, sha in zip(blobs, hashes, strict=True):
        if sha not in missing:
            continue
        upload = http.post("/v1/uploads", json={"sha256": sha, "size": len(blob)}).json()
        if upload["status"] == "present":
            continue
        body = blob[upload["offset"]:]
        http.patch(f"/v1/uploads/{upload['id']}", content=body,
                   headers={"Upload-Offset": str(upload["offset"])}).raise_for_status()
        sent += len(body)
        http.post(f"/v1/uploads/{upload['id']}/complete").raise_for_status()
    answer = http.post("/v1/manifests", json=manifest(project, blobs, hashes), headers={"Idempotency-Key": key})
    answer.raise_for_status()
    return time.perf_counter() - started, sent, answer.status_code


def manifest(project: dict[str, str], blobs: list[bytes], hashes: list[str]) -> dict[str, Any]:
    return {"format": "idi-sync-manifest", "version": 1, "project": project, "created_at": "2025-06-01T10:00:00Z",
            "photos": [{"sha256": h, "byte_size": len(b), "role": "general"} for b, h in zip(blobs, hashes, strict=True)],
            "audit_head": {"device_id": "bench", "seq": 1, "hash": "0" * 64}}


def app_sync(work: Path, url: str, token: str, blobs: list[bytes], hashes: list[str]) -> tuple[float, int, float, int]:
    """The app's client on a laptop database holding the blobs as photo originals."""
    from datetime import datetime

    from inspector_app.app import open_app
    from inspector_app.models import Photo
    from inspector_app.services import projects, visits
    from inspector_app.sync.client import sync as app_client_sync

    ctx = open_app(work / "laptop")
    try:
        spec = projects.load_spec(ROOT / "resources" / "examples" / "project.toml")
        spec["project"]["uid"] = APP_UID
        detail = projects.create_project(ctx.db, spec)
        visit = visits.start_visit(ctx.db, detail.id, datetime(2025, 5, 20, 9), node_codes=[detail.nodes[0].code])
        with ctx.db.write() as s:
            for blob, sha in zip(blobs, hashes, strict=True):
                target = ctx.store.originals_root / sha[:2] / f"{sha}.jpg"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(blob)
                s.add(Photo(project_id=detail.id, visit_id=visit.id, role="general", sha256=sha, original_name="x.jpg",
                            extension="jpg", format="JPEG", byte_size=len(blob), width=1, height=1))
        os.sync()
        started = time.perf_counter()
        first = app_client_sync(ctx, url, token, project=detail.code)
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        second = app_client_sync(ctx, url, token, project=detail.code)
        second_s = time.perf_counter() - started
        assert not first.failed and not second.failed, (first.failed, second.failed)
        return first_s, first.bytes_sent, second_s, second.bytes_sent
    finally:
        ctx.close()


def main() -> None:
    total_mb = int(os.environ.get("BENCH_MB", "1024"))
    blob_mb = max(1, int(os.environ.get("BENCH_BLOB_MB", "8")))
    count = max(1, total_mb // blob_mb)
    blobs = [os.urandom(blob_mb * MB) for _ in range(count)]
    hashes = [hashlib.sha256(b).hexdigest() for b in blobs]  # the app knows them: its store is content-addressed
    size_mb = sum(map(len, blobs)) / MB
    with tempfile.TemporaryDirectory(prefix="idi-sync-bench-") as tmp:
        child, url, token, project = start_server(Path(tmp))
        try:
            with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=300) as http:
                os.sync()  # each phase starts with no dirty pages of the one before, and pays its own
                plain = plain_upload(http, blobs)
                os.sync()
                first, sent, status = sync(http, blobs, hashes, project, "bench-key-0001")
                second, resent, replay = sync(http, blobs, hashes, project, "bench-key-0001")
            fresh = [os.urandom(len(b)) for b in blobs]  # the agency has the first set already
            app_first, app_sent, app_second, app_resent = app_sync(
                Path(tmp), url, token, fresh, [hashlib.sha256(b).hexdigest() for b in fresh])
        finally:
            child.terminate()
            child.wait(30)
    print(f"{count} blobs of {blob_mb} MB = {size_mb:.0f} MB over loopback (uvicorn, one worker, SQLite)")
    print(f"plain HTTP PUT (to file + fsync): {plain:6.2f} s  {size_mb / plain:7.1f} MB/s")
    print(f"sync protocol (first run):        {first:6.2f} s  {size_mb / first:7.1f} MB/s  "
          f"sent {sent / MB:.0f} MB, manifest {status}")
    print(f"ratio sync / plain:               {plain / first:.2f}  (target >= 0.5)")
    print(f"second sync of the same blobs:    {second:6.2f} s  blob bytes sent: {resent}  manifest {replay} (replay)")
    print(f"the app's client (first run):     {app_first:6.2f} s  {size_mb / app_first:7.1f} MB/s  "
          f"sent {app_sent / MB:.0f} MB  ratio to plain {plain / app_first:.2f}  (target >= 0.5)")
    print(f"the app's client (second run):    {app_second:6.2f} s  blob bytes sent: {app_resent}")


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        main()
