"""`make run` on a machine without a screen: it says so, then does the main job headlessly."""

import os
import subprocess
import sys

from openpyxl import load_workbook


def test_no_display_writes_the_demo_reports_to_out(demo_dir, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, "-m", "inspector_app", "--data-dir", str(demo_dir)], cwd=tmp_path,
                          capture_output=True, text=True, env={**env, "PYTHONIOENCODING": "utf-8"}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "没有可用的图形显示" in proc.stdout and "No graphical display" in proc.stdout
    out = tmp_path / "out"
    names = sorted(p.name for p in out.iterdir())
    assert [n for n in names if n.endswith(".pdf")] and len(names) == 4, names
    for name in names:
        assert str(out / name) in proc.stdout  # every path is printed
        assert (out / name).stat().st_size > 10_000
    assert any("最终评估报告" in n for n in names) and any("整改通知单" in n for n in names)
    register = next(out.glob("*.xlsx"))
    sheet = load_workbook(register, read_only=True).active
    assert sheet.max_row >= 61
