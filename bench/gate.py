"""Final-gate benchmark: the gate of a large project, read as the window reads it after every
write to a finding (services/operations.finding_changed) and as the first screen reads it.

Builds a project with ``--findings`` findings (a quarter serious, most of those verified with a
visit, an inspector and an after-photo; some R and E), then times ``findings.final_gate`` and
the first screen's plain-sqlite3 read, median of 15, against a 100 ms target per write.

    .venv/bin/python bench/gate.py [--findings 5000]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inspector_app.app import open_app  # noqa: E402
from inspector_app.models import Finding, Photo, Verification  # noqa: E402
from inspector_app.services import findings, gate, projects, visits  # noqa: E402

TARGET_MS = 100.0


def build(data: Path, n: int) -> int:
    ctx = open_app(data, actor="赵工")
    spec = projects.load_spec(ROOT / "resources" / "examples" / "project.toml")
    project = projects.create_project(ctx.db, spec)
    first = visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9), node_codes=["N03"], inspectors=["赵工"])
    later = visits.start_visit(ctx.db, project.id, datetime(2025, 9, 20, 9), node_codes=["N06"], inspectors=["钱工"])
    rng = random.Random(11)
    building = project.buildings[0].id
    with ctx.db.write() as s:
        inspector = s.execute(__import__("sqlalchemy").text("SELECT id FROM inspector WHERE name='钱工'")).scalar()
        for i in range(1, n + 1):
            grade = rng.choices("ABCDERO", weights=[5, 30, 35, 20, 4, 3, 3])[0]
            serious = grade == "D"
            verified = serious and rng.random() < 0.9
            f = Finding(project_id=project.id, visit_id=first.id, number=i, building_id=building, floor="3F",
                        division_code="01", subdivision_code="0107", coverage_code="WPI-2",
                        description=f"底板防水卷材搭接宽度不足 {i}", grade_found=grade, grade_now=grade,
                        is_serious=serious, status="verified" if verified else "open", found_on=date(2025, 5, 20),
                        closed_on=date(2025, 9, 20) if verified else None, created_by="赵工")
            s.add(f)
            s.flush()
            if verified:
                s.add(Photo(project_id=project.id, finding_id=f.id, role="after", sha256=f"{i:064x}",
                            original_name=f"a{i}.jpg", extension="jpg", format="JPEG", byte_size=1, width=1, height=1,
                            taken_at=datetime(2025, 9, 20, 10) + timedelta(seconds=i)))
                s.add(Verification(finding_id=f.id, visit_id=later.id, inspector_id=inspector,
                                   verified_on=date(2025, 9, 20), result="accepted"))
    ctx.close()
    return project.id


def median_ms(fn, runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--findings", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="idi-gate-") as tmp:
        data = Path(tmp) / "data"
        t0 = time.perf_counter()
        pid = build(data, args.findings)
        print(f"built {args.findings} findings in {time.perf_counter() - t0:.1f} s")
        ctx = open_app(data, actor="赵工")
        result = findings.final_gate(ctx.db, pid)
        print(f"gate: passed={result.passed} serious={result.serious_total} verified={result.serious_verified} "
              f"reasons={[r.code for r in result.reasons]}")
        app_ms = median_ms(lambda: findings.final_gate(ctx.db, pid))
        con = sqlite3.connect(ctx.paths.database)
        first_ms = median_ms(lambda: gate.evaluate_with(lambda q, p: con.execute(q, p).fetchall(), pid, date.today()))
        con.close()
        ctx.close()
    for name, value in (("final_gate (ORM session)", app_ms), ("first screen (sqlite3)", first_ms)):
        print(f"{name:28s} {value:8.1f} ms  target {TARGET_MS:.0f} ms  ratio {value / TARGET_MS:.2f}")


if __name__ == "__main__":
    main()
