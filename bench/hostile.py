"""The hostile-input suite, longer: the standing suite (tests/hostile, the platform's hostile requests
and its schemathesis run) at ``--scale`` times the generated inputs, with what it tried.

CI runs it at scale 1 (under two minutes, in ``make test``); this runs it at 10 by default and prints
how many inputs of each kind were tried and how they ended, the wall time and the time per input.

    .venv/bin/python bench/hostile.py [--scale 10]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUITE = ["tests/hostile", "tests/photos/test_damaged_photos.py", "tests/server/test_hostile_requests.py",
         "tests/server/test_schemathesis.py"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=int(os.environ.get("IDI_HOSTILE_SCALE", "10")))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "tried.json"
        env = {**os.environ, "IDI_HOSTILE_SCALE": str(args.scale), "IDI_HOSTILE_REPORT": str(report),
               "QT_QPA_PLATFORM": "offscreen"}
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SUITE], cwd=ROOT,
                              env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        tried = json.loads(report.read_text()) if report.exists() else {}
    print(f"hostile-input suite at scale {args.scale}: {'passed' if proc.returncode == 0 else 'FAILED'} "
          f"in {seconds:.0f} s")
    print(proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "(no pytest output)")
    total = 0
    for section, counts in tried.items():
        n = sum(counts.values())
        total += n
        print(f"\n{section}: {n}")
        for what, count in counts.items():
            print(f"  {what:<50} {count:>6}")
    if total:
        print(f"\n{total} generated inputs, {seconds / total * 1000:.0f} ms each on average "
              f"(with the fixed cases and the platform's fuzzing)")
    if proc.returncode != 0:
        print(proc.stdout[-6000:], proc.stderr[-3000:], sep="\n")
    return proc.returncode


if __name__ == "__main__":
    raise SystemExit(main())
