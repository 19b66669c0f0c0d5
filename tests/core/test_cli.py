"""The command line, run for real in child processes, with --json."""

import json
from datetime import datetime
from pathlib import Path

import pytest
from conftest import EXAMPLE, TESTDATA, cli, cli_json, cli_workspace

from inspector_app.services.demo_photos import make_photo

ORIENTATION = TESTDATA / "exif-orientation"
needs_testdata = pytest.mark.skipif(not ORIENTATION.is_dir(), reason="../shared/testdata not present")


j = cli_json


@pytest.fixture
def workspace(tmp_path):
    return cli_workspace(tmp_path)


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
    assert proc.returncode == 2 and "没有巡查记录" in json.loads(proc.stderr)["message"]  # a re-check is made on site
    recheck = j("visit", "add", "--project", project["code"], "--node", "N06", "--date", "2025-05-24",
                "--inspector", "钱工", data_dir=d)
    proc = cli("--json", "finding", "verify", str(f["id"]), "--result", "accepted", "--date", "2025-05-24", data_dir=d)
    assert proc.returncode == 2 and "整改后照片" in json.loads(proc.stderr)["message"]
    res = j("photos", "import", "--finding", str(f["id"]), "--role", "after", str(ORIENTATION / "Landscape_6.jpg"),
            data_dir=d)
    assert res[0]["status"] == "imported"
    if res[0]["taken_at"] and res[0]["taken_at"][:10] < "2025-05-22":  # an old camera file proves nothing
        proc = cli("--json", "finding", "verify", str(f["id"]), "--result", "accepted", "--visit", str(recheck["id"]),
                   data_dir=d)
        assert proc.returncode == 2 and "早于" in json.loads(proc.stderr)["message"]
        fresh = make_photo(tmp_path / "after.jpg", scene="rebar", label="复查", taken_at=datetime(2025, 5, 24, 10),
                           seed=7)
        j("photos", "import", "--finding", str(f["id"]), "--role", "after", str(fresh), data_dir=d)
    done = j("finding", "verify", str(f["id"]), "--result", "accepted", "--visit", str(recheck["id"]),
             "--inspector", "钱工", "--grade-now", "B", data_dir=d)
    assert done["status"] == "verified" and done["grade_now"] == "B"
    gate = j("gate", "--project", project["code"], data_dir=d)
    assert gate["blocking"] == [] and gate["serious_verified"] == 1
    assert gate["passed"] is False and [r["code"] for r in gate["reasons"] if r["blocking"]] == ["nodes_not_inspected"]
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


# -- the project file, the policy and the plan (issue 11): refusals exit 2 naming the field ----------
def _spec_file(tmp_path: Path, change) -> Path:
    import tomllib

    spec = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    change(spec)
    path = tmp_path / "project.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return path


def _refusal(tmp_path: Path, change) -> dict:
    proc = cli("--json", "project", "create", "--from", str(_spec_file(tmp_path, change)), data_dir=tmp_path / "d")
    assert proc.returncode == 2 and proc.stdout == "", proc.stderr
    return json.loads(proc.stderr)


def test_cli_refuses_unknown_keys_naming_them(tmp_path):
    err = _refusal(tmp_path, lambda s: (s["policy"].update(deductible_yuan="1"), s["project"].update(permit_date="x")))
    assert err["key"] == "spec.unknown_keys" and set(err["params"]["keys"]) == {"policy.deductible_yuan",
                                                                                "project.permit_date"}
    assert "policy.deductible_yuan" in err["message"]


def test_cli_refuses_a_project_without_an_agency(tmp_path):
    err = _refusal(tmp_path, lambda s: s.pop("agency"))
    assert err["params"]["field"] == "agency" and "第十八条" in err["message"]


def test_cli_refuses_an_agency_that_is_a_party(tmp_path):
    def change(s):
        s["agency"]["credit_code"] = s["parties"][1]["credit_code"]
    err = _refusal(tmp_path, change)
    assert err["params"]["field"] == "agency.credit_code" and "示例建工集团有限公司" in err["message"]


def test_cli_refuses_cover_dates_against_art_5_without_a_reason(tmp_path):
    def change(s):
        s["policy"]["actual_acceptance_date"] = "2027-06-28"
        s["policy"]["coverage"] = [{"code": "WPI", "starts_on": "2029-07-01", "ends_on": "2034-06-30"}]
    err = _refusal(tmp_path, change)
    assert err["params"]["field"] == "policy.coverage.WPI"
    assert "2029-07-01" in err["message"] and "第五条" in err["message"]


def test_cli_shows_the_warnings_and_the_plan(tmp_path):
    def change(s):
        s["policy"]["permit_date"] = "2025-03-01"
        s["policy"]["actual_acceptance_date"] = "2027-06-28"
        s["policy"]["coverage"] = [{"code": "WPI", "starts_on": "2029-07-01", "ends_on": "2034-06-30",
                                    "reason": "保单特别约定"}]
        del s["plan"]
    d = tmp_path / "d"
    made = cli("project", "create", "--from", str(_spec_file(tmp_path, change)), data_dir=d)
    assert made.returncode == 0 and "警告：依据《北京市住宅工程质量潜在缺陷保险暂行管理办法》（有效期至2024-04-30）" in made.stdout
    shown = j("project", "show", "BJ-CY-2025-003", data_dir=d)
    assert [w["code"] for w in shown["warnings"]] == ["ruleset_validity", "policy_after_permit",
                                                      "period_contradiction", "plan_not_confirmed"]
    assert "保单特别约定" in shown["warnings"][2]["message"] and shown["permit_date"] == "2025-03-01"
    text = cli("project", "show", "BJ-CY-2025-003", data_dir=d).stdout
    for part in ("警告：保单签发日 2025-03-15 晚于施工许可证核发日 2025-03-01", "风险评估实施方案：建设单位尚未确认",
                 "施工许可证核发日：2025-03-01", "原因：保单特别约定"):
        assert part in text, part


def test_cli_plan_commands(workspace):
    d, project, _ = workspace
    code = project["code"]
    waived = j("plan", "waive", "N19", "--project", code, "--reason", "本项目无此工序", "--by", "钱工", data_dir=d)
    assert waived["status"] == "waived" and waived["waived_by"] == "钱工"
    assert "免检：本项目无此工序" in cli("project", "show", code, data_dir=d).stdout
    assert j("plan", "unwaive", "N19", "--project", code, data_dir=d)["status"] == "planned"
    assert j("plan", "notify", "N04", "--project", code, "--date", "2025-06-30", data_dir=d)["notified_on"] == "2025-06-30"
    confirmed = j("plan", "confirm", "--project", code, "--date", "2025-03-22", "--by", "孙经理", data_dir=d)
    assert confirmed["plan_confirmed_on"] == "2025-03-22"
    assert j("plan", "processes", "--project", code, "防水", "保温", data_dir=d)["key_processes"] == ["防水", "保温"]
    assert "重点工序：防水；保温" in cli("project", "show", code, data_dir=d).stdout


@pytest.mark.parametrize("args, field, words", [
    (["plan", "waive", "N05", "--reason", "x", "--by", "王五"], "node.waived_by", "王五 不是"),
    (["plan", "waive", "N05", "--reason", " ", "--by", "赵工"], "node.waived_reason", "免检必须说明原因"),
    (["plan", "waive", "N03", "--reason", "x", "--by", "赵工"], "node", "已在第 1 次巡查中检查"),
    (["plan", "unwaive", "N05"], "node", "没有免检"),
    (["plan", "notify", "N05", "--date", "2999-01-01"], "node.notified_on", "在未来"),
    (["plan", "notify", "N99", "--date", "2025-01-01"], "node", "N99"),
    (["plan", "confirm", "--date", "2025-03-22", "--by", " "], "inspection_plan.confirmed_by", "不能为空"),
])
def test_cli_plan_refusals_exit_2_naming_the_field(workspace, args, field, words):
    d, project, _ = workspace
    proc = cli("--json", *args, "--project", project["code"], data_dir=d)
    assert proc.returncode == 2, proc.stderr
    err = json.loads(proc.stderr)
    assert err["params"]["field"] == field and words in err["message"]
