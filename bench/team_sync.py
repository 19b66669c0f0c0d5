"""Team sync benchmark (issue 13): a large project, then one edit.

Runs the reference platform (``python -m platform_server serve``, SQLite) in a child process.
Laptop A downloads the project, records ``--findings`` findings (3,000) with ``--photos``
photos (10,000: small distinct JPEG stand-ins, written to the evidence store as an import
would; upload speed is bench/sync_upload.py's subject), then syncs; then one field of one
finding is edited and A syncs again. Laptop B then joins and reads the whole record. Prints:

1. A's first sync: changes sent, their bytes, files uploaded, seconds;
2. A's second sync after one edit: changes and bytes sent (target: kilobytes), against the size
   of the full state snapshot protocol v1 re-sent on every change (the ratio);
3. B's first sync: changes received, files downloaded, seconds.

    .venv/bin/python bench/team_sync.py [--findings 3000] [--photos 10000]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inspector_app.app import open_app  # noqa: E402
from inspector_app.models import Finding, Photo, Project  # noqa: E402
from inspector_app.services import outbox, projects, visits  # noqa: E402
from inspector_app.services.finding_edits import edit_finding  # noqa: E402
from inspector_app.sync import client  # noqa: E402
from platform_server.auth import issue_token  # noqa: E402
from platform_server.database import Database  # noqa: E402
from platform_server.projects import assign_project, create_agency, put_project  # noqa: E402
from platform_server.schemas import AgencyIn, ProjectDetailIn  # noqa: E402

UID = "bench-team-project"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_platform(work: Path) -> tuple[subprocess.Popen[bytes], str, str]:
    url_db = f"sqlite:///{work / 'platform.sqlite3'}"
    db = Database(url_db)
    db.migrate()
    create_agency(db, AgencyIn(code="tis-bench", name="bench agency"))
    spec = projects.load_spec(ROOT / "resources" / "examples" / "project.toml")
    detail = {k: spec[k] for k in ("project", "policy", "agency", "parties", "buildings")}
    detail["plan"] = spec.get("nodes") or []
    put_project(db, UID, ProjectDetailIn.model_validate(detail))
    assign_project(db, UID, "tis-bench")
    token = issue_token(db, "agency", agency_code="tis-bench").secret
    db.dispose()
    port = free_port()
    child = subprocess.Popen([sys.executable, "-m", "platform_server", "serve", "--port", str(port),
                              "--db", str(work / "platform.sqlite3"), "--blobs", str(work / "blobs")],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            httpx.get(f"{url}/healthz")
            return child, url, token
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit("the platform did not start")


def tiny_jpeg(i: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), ((i * 7) % 256, (i // 256) % 256, i % 251)).save(out, "JPEG", quality=90,
                                                                                  comment=f"bench {i}".encode())
    return out.getvalue()


def record(ctx, n_findings: int, n_photos: int) -> None:  # type: ignore[no-untyped-def]
    with ctx.db.read() as s:
        project = s.query(Project).filter(Project.uid == UID).one()
        project_id, building = project.id, project.buildings[0].id
    visit = visits.start_visit(ctx.db, project_id, datetime(2025, 5, 20, 9), node_codes=["N03"], inspectors=["赵工"])
    with ctx.db.write() as s:
        ids = []
        for i in range(n_findings):
            f = Finding(project_id=project_id, visit_id=visit.id, number=i + 1, building_id=building, floor=f"{i % 28 + 1}F", division_code="01",
                        subdivision_code="0107", coverage_code="WPI-2", description=f"底板防水卷材搭接宽度不足（第 {i} 处）",
                        grade_found="C", grade_now="C", is_serious=False, status="open", found_on=date(2025, 5, 20),
                        deadline=date(2025, 6, 5), created_by="赵工")
            s.add(f)
            if i % 500 == 499:
                s.flush()
            ids.append(f)
        s.flush()
        for i in range(n_photos):
            data = tiny_jpeg(i)
            sha = hashlib.sha256(data).hexdigest()
            target = ctx.store.originals_root / sha[:2] / f"{sha}.jpg"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            s.add(Photo(project_id=project_id, finding_id=ids[i % len(ids)].id, role="before", sha256=sha,
                        original_name=f"IMG_{i:05d}.jpg", extension="jpg", format="JPEG", byte_size=len(data),
                        width=16, height=12, taken_at=datetime(2025, 5, 20, 10) + timedelta(seconds=i)))
            if i % 1000 == 999:
                s.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--findings", type=int, default=3000)
    parser.add_argument("--photos", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        child, url, token = start_platform(work)
        try:
            a = open_app(work / "laptop-a", actor="赵工")
            client.sync(a, url, token)
            started = time.perf_counter()
            record(a, args.findings, args.photos)
            print(f"recorded {args.findings} findings and {args.photos} photos on laptop A in "
                  f"{time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            first = client.sync(a, url, token)
            seconds = time.perf_counter() - started
            assert first.failed == [], first.failed
            print(f"1. A's first sync: {first.changes_sent} changes, {first.change_bytes_sent / 2**20:.2f} MB of "
                  f"changes, {first.blobs_sent} files ({first.bytes_sent / 2**20:.1f} MB), {seconds:.1f} s")
            with a.db.read() as s:
                project = s.query(Project).filter(Project.uid == UID).one()
                snapshot = len(outbox.canonical(outbox.build_manifest(s, project).manifest).encode("utf-8"))
                some = s.query(Finding.id).filter(Finding.project_id == project.id).first()[0]
            edit_finding(a.db, some, location="⑦轴东侧（复核后）")
            started = time.perf_counter()
            second = client.sync(a, url, token)
            seconds = time.perf_counter() - started
            assert second.failed == [], second.failed
            print(f"2. A's second sync after one edit: {second.changes_sent} change(s), "
                  f"{second.change_bytes_sent / 1024:.1f} KB sent, {second.bytes_sent} file bytes, {seconds:.2f} s; "
                  f"the v1 state snapshot would be {snapshot / 2**20:.2f} MB "
                  f"(ratio {second.change_bytes_sent / snapshot:.5f})")
            a.close()
            b = open_app(work / "laptop-b", actor="钱工")
            started = time.perf_counter()
            joined = client.sync(b, url, token)
            seconds = time.perf_counter() - started
            assert joined.failed == [], joined.failed
            print(f"3. B joins: {joined.changes_received} changes received, {joined.blobs_received} files "
                  f"({joined.bytes_received / 2**20:.1f} MB), {seconds:.1f} s")
            b.close()
        finally:
            child.terminate()
            child.wait(10)


if __name__ == "__main__":
    main()
