"""A batch import killed with SIGKILL at random moments, 50 times: after each kill ``verify``
passes and every photo reported as imported before the kill is still there."""

import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime

import pytest
from PIL import Image
from sqlalchemy import select

from inspector_app.app import open_app
from inspector_app.models import Photo
from inspector_app.services import findings, integrity, visits

KILLS = int(os.environ.get("IDI_KILL_RUNS", "50"))


def make_batch(folder, seed, count=48):
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        img = Image.effect_noise((200, 150), 60).convert("RGB").resize((1600, 1200))
        img.putpixel((rng.randrange(1600), rng.randrange(1200)), (seed % 256, i, 7))  # unique bytes
        path = folder / f"IMG_{seed:03d}_{i:02d}.jpg"
        img.save(path, "JPEG", quality=85)
        paths.append(path)
    return paths


def _read(proc, lines, started):
    for line in proc.stdout:
        lines.append(line)
        started.set()
    started.set()


@pytest.mark.slow
def test_sigkill_during_batch_import_loses_nothing_acknowledged(tmp_path, spec):
    data = tmp_path / "data"
    ctx = open_app(data)
    from inspector_app.services import projects

    project = projects.create_project(ctx.db, spec)
    visit = visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9), node_codes=["N03"], inspectors=["赵工"])
    ctx.close()
    rng = random.Random(20261124)
    acknowledged: set[str] = set()
    landed_mid_batch = 0
    for run in range(KILLS):
        ctx = open_app(data)
        f = findings.record_finding(ctx.db, visit.id, building="1#楼", coverage="WPI-2", division="01", grade="C",
                                    description=f"批量导入中断测试 {run}")
        ctx.close()
        files = make_batch(tmp_path / f"batch{run}", run)
        proc = subprocess.Popen(
            [sys.executable, "-m", "inspector_app", "--data-dir", str(data), "photos", "import",
             "--finding", str(f.id), "--role", "before", "--workers", "2", *map(str, files)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        lines: list[str] = []
        started = threading.Event()
        reader = threading.Thread(target=_read, args=(proc, lines, started), daemon=True)
        reader.start()
        if run % 5 == 0:  # some kills while the process is still starting or opening the database
            time.sleep(rng.uniform(0.05, 0.8))
        else:  # most while photos are being written and committed
            started.wait(30)
            time.sleep(rng.uniform(0.0, 0.35))
        os.killpg(proc.pid, signal.SIGKILL)  # the importer and its worker processes
        proc.wait()
        reader.join(10)
        reported = {line.split("\t")[3] for line in lines if line.startswith("imported\t")}
        landed_mid_batch += 0 < len(reported) < len(files)
        acknowledged |= {(f.id, sha) for sha in reported}
        ctx = open_app(data)
        report = integrity.verify(ctx.db, ctx.store)
        assert report.ok, f"run {run}: {report.problems}"
        with ctx.db.read() as s:
            rows = set(s.execute(select(Photo.finding_id, Photo.sha256)).all())
        assert acknowledged <= rows, f"run {run}: acknowledged photos missing"
        assert not list(ctx.paths.originals.rglob("*.tmp*")), "temporary files left after restart"
        ctx.close()
    assert landed_mid_batch >= KILLS // 4, "kills should land in the middle of batches"
