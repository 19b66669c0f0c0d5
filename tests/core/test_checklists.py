"""Node checklists (检查要点): the items are rule-set data; in a visit each item of the nodes visited
is marked 符合 / 不符合 / 不适用 through the service and the CLI; a 不符合 opens a finding tagged
like the item; values, photos and nodes are checked."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import cli, cli_json, cli_workspace
from PIL import Image
from sqlalchemy import func, select

from inspector_app.app import open_app
from inspector_app.errors import ValidationError
from inspector_app.messages import describe
from inspector_app.models import ChecklistResult, Finding
from inspector_app.reports import process, register
from inspector_app.rulesets import load_ruleset
from inspector_app.services import (
    bundle,
    checklists,
    findings,
    operations,
    photos,
    report_data,
    visits,
)
from inspector_app.values.report import ReportData

RS = load_ruleset("beijing-2019")

# What an inspector records for N15 (first ponding test) and N03 (membrane under the raft) when all is well.
N15_OK = {"N15-01": "1.5", "N15-02": "200", "N15-03": "300", "N15-04": "1800", "N15-05": None, "N15-06": "24",
          "N15-07": "25", "N15-08": None}
N03_OK = {"N03-01": None, "N03-02": None, "N03-03": "100", "N03-04": None, "N03-05": None, "N03-06": None,
          "N03-07": "50"}


def jpeg(path: Path, shade: int = 120) -> Path:
    Image.new("RGB", (640, 480), (shade, 150, 170)).save(path, quality=85)
    return path


@pytest.fixture
def visit(ctx, project):
    return visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9, 30), node_codes=["N03", "N15"],
                              inspectors=["赵工"])


# -- the data ----------------------------------------------------------------------------------------
def test_every_node_carries_check_items_tagged_consistently():
    grades = RS.grades
    seen: set[str] = set()
    for node in RS.nodes:
        items = RS.checklist(node.code)
        assert 3 <= len(items) <= 8, node.code
        for item in items:
            assert item.id.startswith(f"{node.code}-") and item.id not in seen
            seen.add(item.id)
            assert item.text and item.text_en and item.node == node.code
            assert item.division in RS.divisions, item.id
            if item.subdivision:
                assert item.subdivision[:2] == item.division and RS.subdivision_name(item.subdivision), item.id
            assert item.division in RS.allowed_divisions(item.coverage), item.id  # the coverage map holds
            assert item.grade is None or item.grade in grades, item.id
            if item.value is not None:
                assert item.value.label and item.value.label_en, item.id
            assert RS.checklist_item(item.id) == item
    assert RS.checklist_item("N99-01") is None and RS.checklist("N99") == []


def test_the_ponding_test_lap_width_and_start_up_documents_are_there():
    depth, held = RS.checklist_item("N15-07"), RS.checklist_item("N15-06")
    assert depth.value.min == 20 and depth.value.unit == "mm" and depth.photo
    assert held.value.min == 24 and held.value.unit == "h"
    assert RS.checklist_item("N15-08").photo and "楼下顶棚" in RS.checklist_item("N15-08").text
    assert RS.checklist_item("N03-03").value.min == 100 and RS.checklist_item("N03-05").clause == "GB 50108-2008 5.6"
    n01 = " ".join(i.text for i in RS.checklist("N01"))
    for words in ("风险评估实施方案", "保险告知书", "理赔应急预案", "施工许可", "审查合格书"):
        assert words in n01, words


def test_a_rule_set_without_checklists_has_none():
    old = load_ruleset("beijing-2019", "1.0.0")
    assert all(old.checklist(n.code) == [] for n in old.nodes) and old.checklist_item("N15-07") is None


# -- the service ---------------------------------------------------------------------------------------
def test_n03_and_n15_filled_through_the_service(ctx, visit, tmp_path):
    rows = checklists.show(ctx.db, visit.id)
    assert [r.node_code for r in rows] == ["N03"] * 7 + ["N15"] * 8 and all(r.result is None for r in rows)
    for i, (item_id, value) in enumerate({**N03_OK, **N15_OK}.items()):
        photo = None
        if RS.checklist_item(item_id).photo:
            photo = checklists.attach_photo(ctx.db, ctx.store, visit.id, item_id, jpeg(tmp_path / f"{i}.jpg", i))
        out = checklists.set_item(ctx.db, visit.id, item_id, "ok", value=value, photo_id=photo)
        assert out.row.result == "ok" and out.opened is None
    rows = checklists.show(ctx.db, visit.id)
    assert all(r.result == "ok" for r in rows)
    shown = {r.item_id: r for r in rows}
    assert shown["N15-07"].value == "25" and shown["N15-07"].photo_id is not None
    assert shown["N15-07"].value_text() == "25 mm" and shown["N15-07"].bounds() == "≥ 20 mm"
    assert shown["N15-06"].recorded_by == ctx.db.actor
    test_photos = [p for p in photos.list_photos(ctx.db, visit_id=visit.id) if p.role == "test"]
    assert len(test_photos) == sum(RS.checklist_item(i).photo for i in {**N03_OK, **N15_OK})
    assert any(p.caption and p.caption.startswith("N15-07") for p in test_photos)
    # a re-set updates the one row (the ORM audits it): a later 不适用 keeps the value and note unless cleared
    checklists.set_item(ctx.db, visit.id, "N15-02", "na", note="下沉式卫生间，无翻边")
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ChecklistResult).where(
            ChecklistResult.item_code == "N15-02")) == 1
    assert {r.item_id: r for r in checklists.show(ctx.db, visit.id)}["N15-02"].note == "下沉式卫生间，无翻边"


def test_a_fail_opens_a_finding_tagged_like_the_item_and_is_never_deleted(ctx, visit):
    out = checklists.set_item(ctx.db, visit.id, "N03-05", "fail", note="3 根桩头未涂刷结晶型涂料", building="2#楼",
                              floor="B3", location="⑤轴")
    f = out.opened
    assert f is not None and out.row.finding_id == f.id and out.row.finding_label == f.label
    assert (f.division_code, f.subdivision_code, f.coverage_code, f.clause) == ("01", "0107", "WPI-2",
                                                                                "GB 50108-2008 5.6")
    assert f.grade_found == "C" and f.building == "2#楼" and f.floor == "B3" and f.location == "⑤轴"
    assert RS.checklist_item("N03-05").text in f.description and "3 根桩头未涂刷结晶型涂料" in f.description
    # 不符合 again while the finding is open: the same finding, no second one
    again = checklists.set_item(ctx.db, visit.id, "N03-05", "fail", note="补充：⑥轴亦同")
    assert again.opened is None and again.row.finding_id == f.id
    # later 符合: the finding stays, and the row keeps pointing at it
    later = checklists.set_item(ctx.db, visit.id, "N03-05", "ok", photo_id=checklists.attach_photo(
        ctx.db, ctx.store, visit.id, "N03-05", jpeg(ctx.paths.data_dir / "pile.jpg")))
    assert later.row.result == "ok" and later.row.finding_id == f.id
    assert findings.get_finding(ctx.db, f.id).status == "open"
    # a value measured under the minimum is a 不符合: it opens a finding with the value; the grade may be given
    lap = checklists.set_item(ctx.db, visit.id, "N03-03", "fail", value="80", building="1#楼", grade="D")
    assert lap.opened.grade_found == "D" and "80 mm" in lap.opened.description and lap.row.value == "80"
    assert lap.opened.clause is None  # no clause where the item names none


def test_a_fail_can_name_the_finding_already_written_up_for_it(ctx, visit):
    written = findings.record_finding(ctx.db, visit.id, building="1#楼", coverage="WPI-2", division="03",
                                      subdivision="0301", grade="C", description="卫生间管根附加层缺失")
    before = len(findings.list_findings(ctx.db, visit.project_id))
    out = checklists.set_item(ctx.db, visit.id, "N15-05", "fail", finding_id=written.id)
    assert out.opened is None and out.row.finding_id == written.id
    assert len(findings.list_findings(ctx.db, visit.project_id)) == before  # linked, not a second finding
    with pytest.raises(ValidationError, match="不能关联到 N15-06") as refused:
        checklists.set_item(ctx.db, visit.id, "N15-06", "ok", value="24", finding_id=written.id)
    assert refused.value.field == "checklist.finding"
    with pytest.raises(ValidationError, match="不能关联"):
        checklists.set_item(ctx.db, visit.id, "N15-06", "fail", finding_id=99999)


def test_the_operation_names_the_new_finding_and_the_visit(ctx, visit):
    outcome, changes = operations.set_checklist_item(ctx, visit.id, "N15-05", "fail", building="1#楼")
    assert changes.findings == (outcome.opened,) and changes.visits[0].findings == 1 and changes.gate is not None
    same, nothing = operations.set_checklist_item(ctx, visit.id, "N15-06", "ok", value="36")
    assert same.opened is None and nothing.empty


def test_start_up_items_open_behaviour_findings(ctx, project):
    v = visits.start_visit(ctx.db, project.id, datetime(2025, 4, 2, 9), node_codes=["N01"], inspectors=["赵工"])
    out = checklists.set_item(ctx.db, v.id, "N01-05", "fail", note="理赔应急预案未经建设单位确认", building="1#楼")
    assert out.opened.grade_found == "E" and "第十条" in out.opened.clause


def test_refusals_name_the_item_and_what_is_wrong(ctx, visit):
    with pytest.raises(ValidationError) as err:
        checklists.set_item(ctx.db, visit.id, "N15-06", "ok", value="12")
    e = err.value
    assert e.key == "checklist.value_below_min" and e.params["item"] == "N15-06" and e.params["min"] == "24"
    assert "N15-06" in e.message and "24 h" in e.message and "12 h" in e.message
    assert "minimum of 24 h" in describe(e, "en")
    with pytest.raises(ValidationError) as err:
        checklists.set_item(ctx.db, visit.id, "N15-06", "ok")
    assert err.value.key == "checklist.value_required"
    with pytest.raises(ValidationError) as err:
        checklists.set_item(ctx.db, visit.id, "N15-06", "ok", value="二十四")
    assert err.value.key == "checklist.value_not_number"
    assert checklists.set_item(ctx.db, visit.id, "N15-06", "ok", value="２４").row.value == "24"  # full-width digits
    with pytest.raises(ValidationError) as err:
        checklists.set_item(ctx.db, visit.id, "N15-07", "ok", value="25")
    assert err.value.key == "checklist.photo_required" and "N15-07" in err.value.message
    with pytest.raises(ValidationError) as err:
        checklists.set_item(ctx.db, visit.id, "N04-01", "ok")
    assert err.value.key == "checklist.node_not_visited" and err.value.params["node"] == "N04"
    assert "N03、N15" in err.value.message
    with pytest.raises(ValidationError) as err:
        checklists.set_item(ctx.db, visit.id, "N15-06", "pass", value="24")
    assert err.value.key == "checklist.unknown_result"
    with pytest.raises(ValidationError) as err:
        checklists.set_item(ctx.db, visit.id, "N15-99", "ok")
    assert err.value.key == "checklist.unknown_item"
    with pytest.raises(ValidationError) as err:  # two buildings: where does the finding sit?
        checklists.set_item(ctx.db, visit.id, "N15-05", "fail")
    assert err.value.key == "checklist.building_required" and "1#楼" in err.value.message
    with pytest.raises(ValidationError) as err:
        checklists.set_item(ctx.db, visit.id, "N15-05", "ok", photo_id=9999)
    assert err.value.key == "checklist.photo_not_of_project"
    with ctx.db.read() as s:  # nothing was written by a refusal
        assert s.scalar(select(func.count()).select_from(Finding)) == 0
        assert s.scalar(select(func.count()).select_from(ChecklistResult)) == 1  # the N15-06 accepted above


def test_a_refused_photo_item_imports_nothing(ctx, visit, tmp_path):
    with pytest.raises(ValidationError):
        checklists.set_item_with_photo(ctx.db, ctx.store, visit.id, "N15-07", "ok", jpeg(tmp_path / "g.jpg"),
                                       value="15")
    assert photos.list_photos(ctx.db, visit_id=visit.id) == []


# -- the command line ---------------------------------------------------------------------------------
j = cli_json


@pytest.fixture
def workspace(tmp_path):
    return cli_workspace(tmp_path, ("N03", "N15"))


def test_n03_and_n15_filled_through_the_cli(workspace, tmp_path):
    d, _project, visit = workspace
    v = str(visit["id"])
    for i, (item_id, value) in enumerate({**N03_OK, **N15_OK}.items()):
        args = ["checklist", "set", "--visit", v, "--item", item_id, "--result", "ok"]
        if value is not None:
            args += ["--value", value]
        if RS.checklist_item(item_id).photo:
            args += ["--photo", str(jpeg(tmp_path / f"{item_id}.jpg", i * 7))]
        out = j(*args, data_dir=d)
        assert out["row"]["result"] == "ok" and out["opened"] is None
    shown = cli("checklist", "show", "--visit", v, "--json", data_dir=d)  # --json after the subcommand too
    assert shown.returncode == 0, shown.stderr
    rows = json.loads(shown.stdout)
    assert len(rows) == 15 and all(r["result"] == "ok" for r in rows)
    assert next(r for r in rows if r["item_id"] == "N15-07")["photo_id"] is not None
    text = cli("checklist", "show", "--visit", v, data_dir=d).stdout
    assert "N15 厕浴间防水及首次闭水试验" in text and "[符合]" in text and "最高点水深：25 mm" in text


def test_a_fail_through_the_cli_becomes_a_finding(workspace):
    d, project, visit = workspace
    out = j("checklist", "set", "--visit", str(visit["id"]), "--item", "N03-05", "--result", "fail", "--note",
            "桩头未做防水", "--building", "1#楼", data_dir=d)
    f = out["opened"]
    assert (f["division_code"], f["coverage_code"], f["clause"]) == ("01", "WPI-2", "GB 50108-2008 5.6")
    assert out["row"]["finding_label"] == "F001" and f["number"] == 1
    listed = j("finding", "list", "--project", project["code"], data_dir=d)
    assert [x["id"] for x in listed] == [f["id"]]


def test_cli_refusals_exit_2_naming_the_item(workspace):
    d, _project, visit = workspace
    v = str(visit["id"])
    proc = cli("--json", "checklist", "set", "--visit", v, "--item", "N15-07", "--result", "ok", "--value", "15",
               data_dir=d)
    err = json.loads(proc.stderr)
    assert proc.returncode == 2 and err["error"] == "invalid" and proc.stdout == ""
    assert "N15-07" in err["message"] and "20 mm" in err["message"] and err["params"]["min"] == "20"
    proc = cli("--json", "checklist", "set", "--visit", v, "--item", "N15-08", "--result", "ok", data_dir=d)
    assert proc.returncode == 2 and json.loads(proc.stderr)["key"] == "checklist.photo_required"
    proc = cli("checklist", "set", "--visit", v, "--item", "N11-01", "--result", "ok", "--value", "3", data_dir=d)
    assert proc.returncode == 2 and "N11" in proc.stderr and "未检查该节点" in proc.stderr
    proc = cli("checklist", "set", "--visit", v, "--item", "N15-06", "--result", "maybe", data_dir=d)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


# -- reports and bundles --------------------------------------------------------------------------------
@pytest.fixture
def marked(ctx, visit, tmp_path):
    checklists.set_item(ctx.db, visit.id, "N15-06", "ok", value="24")
    checklists.set_item(ctx.db, visit.id, "N15-02", "na", note="下沉式卫生间")
    photo = checklists.attach_photo(ctx.db, ctx.store, visit.id, "N15-07", jpeg(tmp_path / "gauge.jpg"))
    checklists.set_item(ctx.db, visit.id, "N15-07", "ok", value="22", photo_id=photo)
    checklists.set_item(ctx.db, visit.id, "N03-03", "fail", value="80", building="1#楼")
    return visit


def test_the_process_report_and_the_register_carry_the_results(ctx, project, marked, tmp_path):
    data = report_data.gather(ctx, "process", project.id, visit_id=marked.id)
    assert len(data.checklists) == 15
    assert ReportData.from_json(data.to_json()) == data  # frozen into the snapshot as it is
    made = process.build_process(data, tmp_path / "process.pdf")
    assert made.pages
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "process.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout.replace(" ", "")
        assert "检查要点核查记录" in text and "N15-07" in text and "不符合" in text and "F001" in text
        assert "≥20mm" in text and "22mm" in text
    reg = report_data.gather(ctx, "register", project.id)
    register.build_register(reg, tmp_path / "register.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "register.xlsx")["检查要点核查记录"]
    rows = {r[4]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"N15-06", "N15-02", "N15-07", "N03-03"}  # the items marked, not the others
    assert rows["N03-03"][9] == "不符合" and rows["N03-03"][13] == "F001"
    assert rows["N15-07"][10] == "22 mm" and rows["N15-02"][9] == "不适用"


def test_a_bundle_carries_the_results(ctx, project, marked, tmp_path):
    bundle.export_project(ctx.db, ctx.store, project.id, tmp_path / "p.zip")
    other = open_app(tmp_path / "other")
    try:
        got = bundle.import_bundle(other.db, other.store, tmp_path / "p.zip")
        moved = visits.list_visits(other.db, got["project_id"])[0]
        rows = {r.item_id: r for r in checklists.show(other.db, moved.id)}
        assert rows["N03-03"].result == "fail" and rows["N03-03"].finding_label == "F001"
        assert rows["N15-07"].photo_id is not None and rows["N15-07"].value == "22"
    finally:
        other.close()
