"""Projects in the window: a new project through the form (refused in place, then made), a visit
started and a finding recorded there in the window, photos imported into it, the finding edited
field by field in the panel, the project exported as a bundle, deleted (its code typed) and
imported back, archived and shown again; the demo is marked; a project the command line makes while
the window is open appears when the window is activated."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QFocusEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox  # noqa: E402

from inspector_app.services import findings, integrity, issuing, photos, projects, visits  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ORIENTATION = ROOT.parent / "shared" / "testdata" / "exif-orientation"
EXAMPLE = ROOT / "resources" / "examples" / "project.toml"
needs_testdata = pytest.mark.skipif(not ORIENTATION.is_dir(), reason="../shared/testdata not present")

FORM = {
    "project.code": "BJ-HD-2026-001", "project.name": "海淀区西北旺住宅项目", "project.address": "北京市海淀区西北旺路 9 号",
    "project.start_date": "2025-04-01",
    "policy.policy_no": "IDI-2026-BJ-000900", "policy.issued_on": "2025-03-15", "policy.sum_insured_yuan": "300000000",
    "policy.budget_cost_yuan": "280000000", "policy.premium_yuan": "4000000", "policy.risk_fee_yuan": "1300000",
    "policy.insurers": "示例财产保险股份有限公司北京分公司, 40%, 91110000MA00234565\n"
                       "示例联合财产保险股份有限公司北京分公司, 30\n示例安盛财产保险有限公司北京分公司, 30",
    "agency.name": "示例工程风险管理咨询有限公司", "agency.inspectors": "赵工, TIS-2023-0102\n钱工",
    "parties.developer": "示例西北旺置业有限公司", "parties.construction": "示例建工集团有限公司",
    "buildings": "1#楼, 二十",
}


def fill(dialog, values: dict[str, str]) -> None:
    for key, text in values.items():
        widget = dialog.inputs[key]
        (widget.setPlainText if hasattr(widget, "setPlainText") else widget.setText)(text)


def picks(widget, *names: str) -> None:
    """Tick exactly the items of a check list whose text starts with one of ``names``."""
    for i in range(widget.count()):
        item = widget.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.text().startswith(names) else Qt.CheckState.Unchecked)


def leave_with(widget, text: str) -> None:
    """Type ``text`` into a panel field and leave it (what saves it)."""
    (widget.setPlainText if hasattr(widget, "setPlainText") else widget.setText)(text)
    if hasattr(widget, "editingFinished"):
        widget.editingFinished.emit()
    else:
        QApplication.sendEvent(widget, QFocusEvent(QEvent.Type.FocusOut))


def listed(window) -> list[str]:
    return [window.projects.item(i).text() for i in range(window.projects.count())]


@needs_testdata
def test_a_project_is_made_filled_exported_deleted_imported_and_archived_in_the_window(window, monkeypatch,
                                                                                      tmp_path):
    assert "［演示］" in listed(window)[0] and "演示项目" in window.header.text()  # the demo is marked
    dialog = window.new_project_dialog()
    fill(dialog, FORM)
    dialog.accept()  # the form's own refusal: a storey count that is no number, under 单体
    assert dialog.isVisible() and dialog.errors["buildings"].isVisible()
    assert "层数不是整数" in dialog.errors["buildings"].text()
    fill(dialog, {"buildings": "1#楼, 28, 3, 剪力墙结构\n2#楼, 18, 2"})
    dialog.accept()  # the service's refusal (the same as project create's): the risk fee over 30 %
    assert dialog.isVisible() and dialog.errors["policy.risk_fee_yuan"].isVisible()
    assert "风险管理费" in dialog.errors["policy.risk_fee_yuan"].text()
    assert "不得超过保费的 30%" in dialog.errors["policy.risk_fee_yuan"].text()
    assert not dialog.errors["buildings"].isVisible()
    fill(dialog, {"policy.risk_fee_yuan": "1000000"})
    dialog.accept()
    assert not dialog.isVisible()
    code = FORM["project.code"]
    assert window.detail is not None and window.detail.code == code and not window.detail.is_demo
    assert len(window.detail.buildings) == 2 and window.detail.nodes  # the plan from the rule set's template
    assert any(text.startswith(FORM["project.name"]) for text in listed(window))
    assert "演示项目" not in window.header.text()

    window.ctx.db.actor = "赵工"
    visit = window.open_visit_dialog()  # a visit at N03 (underground waterproofing), started in the window
    visit.fields["when"].setText("2025-05-20 09:30")
    picks(visit.fields["nodes"], "N03")
    picks(visit.fields["inspectors"], "赵工")
    visit.accept()
    assert not visit.isVisible(), visit.error.text()
    editor = window.open_editor()  # recorded in the window: the defaults follow the visit's node
    assert editor is not None
    assert (editor.subdivision.currentData(), editor.coverage.currentData()) == ("0107", "WPI-2")
    editor.building.setCurrentText("1#楼")
    editor.grade.setCurrentIndex(editor.grade.findData("C"))
    editor.description.insert("底板防水卷材搭接宽度不足")
    editor.save()
    assert window.model.total() == 1, editor.error.text()
    editor.done(0)
    window.table.selectRow(0)
    window._import_photos([str(ORIENTATION)], "before")
    assert window.last_message == "已导入 18 张，重复 0 张，拒绝 0 张"
    panel, box = window.panel, window.panel.fields_box  # then edited in the panel, field by field
    leave_with(panel.inputs["description"], "底板防水卷材长边搭接宽度实测 60~70 mm，设计 100 mm")
    leave_with(panel.inputs["location"], "1#楼底板后浇带东侧")
    leave_with(panel.inputs["floor"], "B3")
    box.building.setCurrentIndex(box.building.findData("2#楼"))
    box.responsible.setCurrentIndex(box.responsible.findData(FORM["parties.construction"]))
    leave_with(box.reason, "卷材搭接不足范围扩大")
    box.grade.setCurrentIndex(box.grade.findData("D"))
    leave_with(box.serious_reason, "底板渗漏难以修复，按严重缺陷跟踪")
    box.serious.setCurrentIndex(box.serious.findData("yes"))
    edited = findings.get_finding(window.ctx.db, panel.finding.id)
    assert (edited.description, edited.location, edited.floor, edited.building) == (
        "底板防水卷材长边搭接宽度实测 60~70 mm，设计 100 mm", "1#楼底板后浇带东侧", "B3", "2#楼")
    assert (edited.responsible_party, edited.grade_now, edited.is_serious) == (FORM["parties.construction"], "D", True)

    out = tmp_path / "exported.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.export_project_bundle()
    assert out.exists() and window.last_message == f"已导出 {out}（照片 18 张）"

    delete = window.delete_project_dialog()
    delete.fields["confirm"].setText(code[:-1])
    delete.accept()  # refused in place: the whole code is to be typed
    assert delete.isVisible() and "不符" in delete.error.text()
    delete.fields["confirm"].setText(code)
    delete.accept()
    assert not delete.isVisible() and window.last_message.startswith(f"已删除项目 {code}")
    assert not any(code in text for text in listed(window)) and window.detail is not None and window.detail.is_demo
    assert integrity.verify(window.ctx.db, window.ctx.store).ok

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(out), ""))
    window.import_project_file()
    assert window.last_message == f"已导入项目 {code}"
    assert window.detail is not None and window.detail.code == code
    [back] = findings.list_findings(window.ctx.db, window.project_id)
    assert len(photos.list_photos(window.ctx.db, finding_id=back.id)) == 18
    again = findings.get_finding(window.ctx.db, back.id)  # the bundle carried every edit and its history
    assert (again.description, again.building, again.grade_now, again.is_serious) == (
        edited.description, "2#楼", "D", True)
    assert len(again.history) == len(edited.history)

    window.archive_project()
    assert not any(code in text for text in listed(window))
    assert [p.code for p in projects.list_projects(window.ctx.db)] == ["BJ-DX-2024-017"]
    window.show_archived.trigger()  # 文件 > 显示已归档项目
    item = next(window.projects.item(i) for i in range(window.projects.count())
                if code in window.projects.item(i).text())
    assert "（已归档）" in item.text() and item.data(Qt.ItemDataRole.UserRole + 1)
    window.unarchive_project(int(item.data(Qt.ItemDataRole.UserRole)))
    assert window.detail is not None and window.detail.code == code and window.detail.archived_at is None
    assert integrity.verify(window.ctx.db, window.ctx.store).ok


def test_the_demo_is_deleted_with_its_code_typed(window):
    dialog = window.delete_project_dialog()  # the demo: always deletable, its code typed
    assert dialog.ok.text() == "删除" and "BJ-DX-2024-017" in dialog.note.text()
    dialog.fields["confirm"].setText("BJ-DX-2024-017")
    dialog.accept()
    assert window.projects.count() == 0 and window.project_id is None
    assert projects.list_projects(window.ctx.db, include_archived=True) == []


def test_a_project_file_is_imported_and_a_cli_project_appears_on_activation(window, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(EXAMPLE), ""))
    window.import_project_file()
    assert window.detail is not None and window.detail.code == "BJ-CY-2025-003" and window.projects.count() == 2
    spec = EXAMPLE.read_text(encoding="utf-8").replace("BJ-CY-2025-003", "BJ-CY-2025-004").replace(
        "IDI-2025-BJ-000321", "IDI-2025-BJ-000322")
    other = window.paths.data_dir.parent / "other.toml"
    other.write_text(spec, encoding="utf-8")
    made = subprocess.run([sys.executable, "-m", "inspector_app", "--data-dir", str(window.paths.data_dir),
                           "project", "create", "--from", str(other)], capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    assert window.projects.count() == 2  # not yet: the window reads the list again when activated
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    assert window.projects.count() == 3 and any("BJ-CY-2025-004" in text for text in listed(window))
    assert window.detail.code == "BJ-CY-2025-003"  # the shown project stays shown
    assert window.refresh_if_changed() is False  # nothing changed since: nothing read

    window.ctx.db.actor = "赵工"  # a notice issued: the project can only be archived now, and is told so
    started = visits.start_visit(window.ctx.db, "BJ-CY-2025-003", datetime(2025, 5, 20, 9, 30), node_codes=["N03"],
                                 inspectors=["赵工"])
    findings.record_finding(window.ctx.db, started.id, building="1#楼", coverage="WPI-2", division="01",
                            subdivision="0107", grade="C", description="底板防水卷材搭接宽度不足")
    issuing.issue_report(window.ctx, "notice", "BJ-CY-2025-003", visit_id=started.id)
    box = window.delete_project_dialog()
    assert isinstance(box, QMessageBox) and "只能归档，不能删除" in box.text()
    box.close()
    assert window.projects.count() == 3
