"""Smoke test of the standalone build: run only the built program, from an empty data folder,
in a directory without the sources, with a clean environment.

    python packaging/smoke_test.py dist/idi-inspector

Checks: --version; `demo` creates the demo project; `report issue final` issues its final
report (PDF/A, qpdf --check inside); every font in the PDF is embedded; the Chinese text can
be extracted; the window paints its dashboard offscreen. Prints the folder's size and the
start-up times of the built program against the source run."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise SystemExit(f"FAILED: {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}")
    return proc


def timed(cmd: list[str], cwd: Path, env: dict[str, str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        run(cmd, cwd, env)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/idi-inspector").resolve()
    exe = folder / ("idi-inspector.exe" if os.name == "nt" else "idi-inspector")
    if not exe.exists():
        raise SystemExit(f"{exe} not found: run `make dist` first")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "IDI_"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    with tempfile.TemporaryDirectory(prefix="idi-smoke-") as tmp:
        work, data = Path(tmp), Path(tmp) / "data"
        version = run([str(exe), "--version"], work, env).stdout.strip()
        assert "IDI Inspector" in version and "build" in version, version
        print(f"version: {version}")
        key = json.loads(run([str(exe), "--data-dir", str(data), "--json", "demo"], work, env).stdout)["code"]
        pdf = work / "final.pdf"
        info = json.loads(run([str(exe), "--data-dir", str(data), "--json", "report", "issue", "final", "--project",
                               key, "--out", str(pdf)], work, env).stdout)
        print(f"issued {info['number']} rev {info['revision']}: {info['pages']} pages, sha256 {info['pdf_sha256']}")
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
        assert rows and all("yes" == r[-5] for r in rows), fonts
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "工程质量风险最终评估报告" in text and "竣工验收" in text, text[:400]
        print(f"pdffonts: {len(rows)} fonts, all embedded; pdftotext: Chinese headings and the gate sentence found")
        gui_env = {**env, "QT_QPA_PLATFORM": "offscreen", "IDI_INSPECTOR_EXIT_AFTER_PAINT": "1"}
        painted = run([str(exe), "--data-dir", str(data)], work, gui_env, timeout=120).stdout
        assert "painted" in painted, painted
        print("window: the dashboard painted offscreen")
        src_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        src = [sys.executable, "-m", "inspector_app"]
        built_cli = timed([str(exe), "--data-dir", str(data), "project", "list"], work, env)
        source_cli = timed([*src, "--data-dir", str(data), "project", "list"], ROOT, src_env)
        built_gui = timed([str(exe), "--data-dir", str(data)], work, gui_env)
        source_gui = timed([*src, "--data-dir", str(data)], ROOT, {**src_env, "IDI_INSPECTOR_EXIT_AFTER_PAINT": "1"})
    size = folder_size(folder)
    print(f"folder: {folder} {size / 2**20:.0f} MB ({sum(1 for _ in folder.rglob('*'))} files)")
    print(f"start, CLI `project list` : built {built_cli * 1000:.0f} ms, source {source_cli * 1000:.0f} ms "
          f"(ratio {built_cli / source_cli:.2f})")
    print(f"start, window painted     : built {built_gui * 1000:.0f} ms, source {source_gui * 1000:.0f} ms "
          f"(ratio {built_gui / source_gui:.2f})")
    print("smoke test passed")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
