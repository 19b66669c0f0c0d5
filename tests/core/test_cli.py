"""The command line, run for real in child processes, with --json."""

import json
from pathlib import Path

import pytest
from conftest import EXAMPLE, TESTDATA, cli

ORIENTATION = TESTDATA / "exif-orientation"
needs_testdata = pytest.mark.skipif(not ORIENTATION.is_dir(), reason="../shared/testdata not present")


def j(*args, data_dir, code=0):
    proc = cli("--json", *args, data_dir=data_dir)
    assert proc.returncode == code, proc.stderr
    return json.loads(proc.stdout) if proc.stdout.strip() else None


@pytest.fixture
def workspace(tmp_path):
    d = tmp_path / "cli"
    project = j("project", "create", "--from", str(EXAMPLE), data_dir=d)
    visit = j("visit", "add", "--project", project["code"], "--node", "N03", "--date", "2025-05-20",
              "--inspector", "赵工", data_dir=d)
    return d, project, visit


def test_project_list_and_show(workspace):
    d, project, _ = workspace
    rows = j("project", "list", data_dir=d)
    assert [r["code"] for r in rows] == ["BJ-CY-2025-003"]
    shown = j("project", "show", str(project["id"]), data_dir=d)
    assert shown["policy_no"] == "IDI-2025-BJ-000321" and len(shown["nodes"]) == 20


@needs_testdata
def test_a_whole_finding_through_the_cli(workspace, tmp_path):
    d, project, visit = workspace
    f = j("finding", "add", "--visit", str(visit["id"]), "--building", "1#楼", "--coverage", "STR-4",
          "--division", "02", "--grade", "D", "--description", "空调板上铁下沉 30mm", "--floor", "12F",
          "--location", "1201 北侧空调板", "--clause", "GB 50204-2015 5.5.2", "--deadline", "2025-05-23", data_dir=d)
    assert f["number"] == 1 and f["is_serious"] and f["status"] == "open"
    gate = j("gate", "--project", project["code"], data_dir=d)
    assert gate["passed"] is False and [b["id"] for b in gate["blocking"]] == [f["id"]]
    j("finding", "reply", str(f["id"]), "--text", "已返工", "--date", "2025-05-22", data_dir=d)
    proc = cli("--json", "finding", "verify", str(f["id"]), "--result", "accepted", "--date", "2025-05-24", data_dir=d)
    assert proc.returncode == 1 and "整改后照片" in json.loads(proc.stderr)["message"]
    res = j("photos", "import", "--finding", str(f["id"]), "--role", "after", str(ORIENTATION / "Landscape_6.jpg"),
            data_dir=d)
    assert res[0]["status"] == "imported"
    done = j("finding", "verify", str(f["id"]), "--result", "accepted", "--date", "2025-05-24", data_dir=d)
    assert done["status"] == "verified"
    assert j("gate", "--project", project["code"], data_dir=d)["passed"] is True
    listed = j("finding", "list", "--project", project["code"], data_dir=d)
    assert [x["status"] for x in listed] == ["verified"]


@needs_testdata
def test_photos_import_reports_each_file(workspace, tmp_path):
    d, _, visit = workspace
    bad = tmp_path / "notes.jpg"
    bad.write_text("这不是照片")
    files = [str(ORIENTATION / "Portrait_8.jpg"), str(bad), str(ORIENTATION / "Portrait_8.jpg")]
    res = j("photos", "import", "--visit", str(visit["id"]), *files, data_dir=d, code=3)
    assert [r["status"] for r in res] == ["imported", "rejected", "duplicate"]
    ok = res[0]
    assert (ok["width"], ok["height"]) == (1200, 1800) and len(ok["sha256"]) == 64
    assert set(ok) >= {"path", "status", "reason", "sha256", "taken_at", "gps", "width", "height"}
    assert res[1]["reason"]


def test_errors_go_to_stderr_with_nonzero_exit(workspace):
    d, _, visit = workspace
    proc = cli("--json", "finding", "add", "--visit", str(visit["id"]), "--building", "1#楼", "--coverage", "WPI-2",
               "--division", "01", "--grade", "C", "--description", "x", "--deadline", "2025-01-01", data_dir=d)
    assert proc.returncode == 2 and proc.stdout == ""
    err = json.loads(proc.stderr)
    assert err["error"] == "invalid" and "整改期限" in err["message"]
    proc = cli("visit", "add", "--project", "NOPE", "--node", "N01", "--date", "2025-05-20", data_dir=d)
    assert proc.returncode == 1 and "找不到项目" in proc.stderr and "Traceback" not in proc.stderr
    proc = cli("visit", "add", "--project", "x", "--node", "N01", "--date", "2025-02-30", data_dir=d)
    assert proc.returncode == 2 and "不是有效日期" in proc.stderr


@needs_testdata
def test_verify_catches_a_changed_original(workspace):
    d, _, visit = workspace
    res = j("photos", "import", "--visit", str(visit["id"]), str(ORIENTATION / "Landscape_3.jpg"), data_dir=d)
    assert j("verify", data_dir=d)["ok"] is True
    sha = res[0]["sha256"]
    original = next(Path(d, "photos").rglob(f"{sha}.*"))
    original.chmod(0o644)
    data = bytearray(original.read_bytes())
    data[5000] ^= 0xFF
    original.write_bytes(bytes(data))
    proc = cli("--json", "verify", data_dir=d)
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    assert out["ok"] is False and any(sha[:12] in p and "哈希" in p for p in out["problems"])


def test_demo_command_prints_the_project_id(tmp_path):
    out = j("demo", data_dir=tmp_path / "demo")
    assert isinstance(out["project_id"], int)
    assert j("demo", data_dir=tmp_path / "demo")["project_id"] == out["project_id"]  # idempotent
