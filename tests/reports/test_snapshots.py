"""Reports gathered as a service: one read transaction, and snapshots issued by earlier code still load."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import event

from inspector_app.app import AppContext
from inspector_app.reports import process, register
from inspector_app.services import finding_rows, findings, report_data
from inspector_app.values.report import ReportData

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# A process report issued by the app as of f86f801 (before the layers change): its snapshot as frozen.
OLD_SNAPSHOT = FIXTURES / "snapshot_process_f86f801.json"
OLD_SNAPSHOT_SHA256 = "d5a9397915ac94debe13804013acb9a93902f15d8f209a039edb47925e9e1d09"
CODE = "BJ-DX-2024-017"


def _contains(new: Any, old: Any, where: str = "") -> None:
    """Every value of the old snapshot is in the new one, unchanged (new fields may be added)."""
    if isinstance(old, dict):
        assert isinstance(new, dict), where
        for key, value in old.items():
            assert key in new, f"{where}.{key} lost"
            _contains(new[key], value, f"{where}.{key}")
    elif isinstance(old, list):
        assert isinstance(new, list) and len(new) == len(old), where
        for i, (a, b) in enumerate(zip(new, old, strict=True)):
            _contains(a, b, f"{where}[{i}]")
    else:
        assert new == old, f"{where}: {new!r} != {old!r}"


def test_a_snapshot_issued_by_earlier_code_still_loads_and_renders(tmp_path: Path) -> None:
    text = OLD_SNAPSHOT.read_text(encoding="utf-8").rstrip("\n")
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == OLD_SNAPSHOT_SHA256  # the frozen bytes
    data = ReportData.from_json(text)
    _contains(data.to_plain(), json.loads(text))
    assert data.report_no == "BJ-DX-2024-017-GC-001" and len(data.new_findings) == 4
    # names the labels did not carry then read as they were printed then
    assert data.labels.status("open") == "待整改" and data.labels.photo_role("after") == "整改后"
    assert data.labels.party_role("construction") == "施工单位"

    # rebuild the PDF from the snapshot alone (its renditions stood in by one JPEG)
    photo = tmp_path / "rendition.jpg"
    Image.new("RGB", (400, 300), (180, 170, 160)).save(photo, quality=70)
    plain = json.loads(text)
    for entry in [*plain["new_findings"], *plain["tracked_findings"]]:
        for p in entry["photos"]:
            p.update(path=str(photo), width=400, height=300)
    made = process.build_process(ReportData.from_plain(plain), tmp_path / "old.pdf")
    assert made.pages and made.pages > 1
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "old.pdf"), "-"], capture_output=True,
                             text=True, check=True).stdout
        assert "BJ-DX-2024-017-GC-001" in out.replace(" ", "")
    register.build_register(data, tmp_path / "old.xlsx")


def test_a_report_is_gathered_in_one_read_transaction(demo: AppContext) -> None:
    begins: list[str] = []

    def on_begin(conn: Any) -> None:
        begins.append("begin")

    event.listen(demo.db.engine, "begin", on_begin)
    try:
        for kind, visit in (("final", None), ("process", 3), ("notice", 3), ("register", None)):
            begins.clear()
            data = report_data.gather(demo, kind, CODE if kind != "notice" else None, visit_id=visit)
            assert len(begins) == 1, f"{kind}: {len(begins)} transactions"
            assert data.report_type == kind
    finally:
        event.remove(demo.db.engine, "begin", on_begin)


def test_labels_come_from_the_project_rule_set(demo: AppContext) -> None:
    data = report_data.gather(demo, "final", CODE)
    from inspector_app.rulesets import load_ruleset

    rs = load_ruleset(data.project.ruleset, data.project.ruleset_version)
    assert data.labels.statuses == {s["code"]: s["name"] for s in rs.raw["finding_statuses"]}
    assert data.labels.photo_roles == {s["code"]: s["name"] for s in rs.raw["photo_roles"]}


def test_one_projection_feeds_the_table_the_report_and_the_manifest(demo: AppContext) -> None:
    rows = findings.list_findings(demo.db, CODE)
    data = report_data.gather(demo, "final", CODE)
    by_id = {e.finding.id: e.finding for e in data.all_entries()}
    for f in rows:
        g = by_id[f.id]
        assert all(getattr(f, n) == getattr(g, n) for n in finding_rows.FIELDS), f.label
    from inspector_app.services.outbox import build_manifest
    from inspector_app.services.projects import resolve_project

    with demo.db.read() as s:
        built = build_manifest(s, resolve_project(s, CODE))
    sent = {m["number"]: m for m in built.manifest["findings"]}
    for f in rows:
        assert {k: sent[f.number][k] for k in finding_rows.MANIFEST_FIELDS} == finding_rows.manifest_entry(f)
    # the gate in the report is the gate the window shows
    assert data.gate == findings.final_gate(demo.db, CODE)
