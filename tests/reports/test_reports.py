"""The demo project's reports, built and read back as an inspector's reader would: the text
(pdftotext), the fonts (pdffonts), the structure (qpdf, pikepdf), the spreadsheets (openpyxl)."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pikepdf
import pytest
from conftest import cli
from PIL import Image

from inspector_app.app import AppContext
from inspector_app.errors import Cancelled
from inspector_app.reports import final, fonts, notice, process, register
from inspector_app.services import findings, gate, markup, photos, visits
from inspector_app.services import report_data as rdata
from inspector_app.values.report import ReportData

TOOLS = ("pdftotext", "pdffonts", "qpdf", "pdftoppm")
pytestmark = pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS),
                                reason=f"needs poppler-utils and qpdf ({', '.join(TOOLS)}) to read the PDFs back")
CODE = "BJ-DX-2024-017"


def text_of(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def flat(text: str) -> str:
    """Text with all white space removed: pdftotext breaks lines where the layout wrapped."""
    return re.sub(r"\s+", "", text)


def fonts_of(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("out")


@pytest.fixture(scope="module")
def final_pdf(demo: AppContext, out: Path) -> tuple[Path, ReportData]:
    snapshot = rdata.gather(demo, "final", CODE)
    result = final.build_final(snapshot, out / "final.pdf", pdfa=True)
    return Path(result.path), snapshot


def test_snapshot_round_trips_through_json(demo: AppContext) -> None:
    snapshot = rdata.gather(demo, "final", CODE)
    again = ReportData.from_json(snapshot.to_json())
    assert again == snapshot
    assert len(snapshot.new_findings) == 61
    entry = next(e for e in snapshot.new_findings if e.verifications)
    assert entry.verifications[0].inspector and entry.photos[0].path.endswith(".jpg")


def test_process_report_reads_back(demo: AppContext, out: Path) -> None:
    visit = visits.list_visits(demo.db, CODE)[4]
    snapshot = rdata.gather(demo, "process", CODE, visit_id=visit.id)
    result = process.build_process(snapshot, out / "process.pdf")
    text = flat(text_of(Path(result.path)))
    for heading in ("工程质量风险过程评估报告", "目录", "一、项目概况与保险信息", "五、风险统计", "六、本期新发现问题",
                    "七、以往问题跟踪", "九、资料核查", "十、结论与下阶段关注重点", "十一、声明与签发",
                    snapshot.report_no):
        assert heading in text, heading
    for e in snapshot.new_findings:
        assert flat(fonts.shown(e.finding.description)) in text
    assert f"第1页共{result.pages}页" in text
    rows = fonts_of(Path(result.path))
    assert rows and all(r[-5] == "yes" for r in rows), rows  # the emb column
    with pikepdf.open(result.path) as pdf:
        assert len(pdf.pages) == result.pages
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
    assert "六、本期新发现问题" in titles


def test_process_report_for_a_period(demo: AppContext, out: Path) -> None:
    from datetime import date
    snapshot = rdata.gather(demo, "process", CODE, date_from=date(2025, 1, 1), date_to=date(2025, 6, 30))
    assert len(snapshot.visits) > 1
    result = process.build_process(snapshot, out / "period.pdf")
    assert "2025-01-01 至 2025-06-30" in text_of(Path(result.path))


def test_the_process_report_names_the_gate_as_of_its_day(demo: AppContext, out: Path, final_pdf: tuple) -> None:
    """One gate function for the window, the process and the final report, each read as of its day
    (issue 12): the final report (as of today) states the window's gate; an early visit's process
    report states the gate as it stood on that visit's day, so F049, found much later, is not in it."""
    early = visits.list_visits(demo.db, CODE)[2]
    snapshot = rdata.gather(demo, "process", CODE, visit_id=early.id)
    assert final_pdf[1].gate == findings.final_gate(demo.db, CODE)
    assert "F049" in [f.label for f in final_pdf[1].gate.blocking]
    with demo.db.read() as s:
        then = gate.evaluate(s, snapshot.project.id, date.today(), as_of=early.started_at.date())
    assert snapshot.as_of == early.started_at.date() and snapshot.gate == then
    text = flat(text_of(Path(process.build_process(snapshot, out / "early.pdf").path)))
    assert "F049" not in text and "本项目已认定的严重缺陷均已验证整改" in text


def test_final_report_states_the_gate_and_every_serious_defect(demo: AppContext, final_pdf: tuple) -> None:
    path, snapshot = final_pdf
    text = flat(text_of(path))
    gate = findings.final_gate(demo.db, CODE)
    assert not gate.passed and gate.blocking
    assert flat(final.gate_sentence(gate, snapshot.labels)) in text
    assert "《北京市住宅工程质量潜在缺陷保险暂行管理办法》第十条" in text  # from the project's rule set
    assert all(f.label in final.gate_sentence(gate, snapshot.labels) for f in gate.blocking)
    serious_part = text[text.rindex("七、严重质量缺陷及整改证据"):text.rindex("八、质量缺陷登记表")]
    for e in snapshot.new_findings:
        if e.finding.is_serious:
            assert e.finding.label in serious_part
    assert "整改后" in serious_part and "现场复查通过" in serious_part


def test_final_report_is_pdfa_and_passes_qpdf_check(final_pdf: tuple) -> None:
    path, _ = final_pdf
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == final.TITLE
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        assert not pdf.is_encrypted
    assert all(r[-5] == "yes" for r in fonts_of(path))


def test_photos_are_the_renditions_upright(final_pdf: tuple) -> None:
    path, snapshot = final_pdf
    listed = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True).stdout
    rows = [line.split() for line in listed.splitlines()[2:]]
    assert rows and all(r[2] == "image" and r[8] == "jpeg" for r in rows)
    sizes = {(int(r[3]), int(r[4])) for r in rows}
    refs = {(p.width, p.height) for e in snapshot.new_findings for p in e.photos}
    assert sizes <= refs and max(max(s) for s in sizes) <= rdata.REPORT_SIDE


def test_notice_addresses_developer_and_contractor(demo: AppContext, out: Path) -> None:
    visit = visits.list_visits(demo.db, CODE)[8]
    snapshot = rdata.gather(demo, "notice", visit_id=visit.id)
    result = notice.build_notice(snapshot, out / "notice.pdf")
    text = flat(text_of(Path(result.path)))
    parties = {p.role: p.name for p in snapshot.project.parties}
    assert "整改通知单" in text
    assert flat(parties["developer"]) in text and flat(parties["construction"]) in text
    for e in snapshot.new_findings:
        assert e.finding.label in text
        if e.finding.deadline:
            assert e.finding.deadline.isoformat() in text


def test_register_xlsx_and_csv_hold_every_finding(demo: AppContext, out: Path) -> None:
    snapshot = rdata.gather(demo, "register", CODE)
    xlsx = register.build_register(snapshot, out / "register.xlsx")
    ws = openpyxl.load_workbook(xlsx.path).active
    labels = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert labels == [e.finding.label for e in snapshot.new_findings] and len(labels) == 61
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref.startswith("A1:")
    assert ws.cell(1, 1).font.bold
    csv_file = register.build_register(snapshot, out / "register.csv")
    raw = Path(csv_file.path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "编号" and [r[0] for r in rows[1:]] == labels


def test_markup_is_drawn_over_the_photo(demo: AppContext, out: Path) -> None:
    visit = visits.list_visits(demo.db, CODE)[0]
    f = next(x for x in findings.list_findings(demo.db, CODE) if x.visit_id == visit.id and x.photos)
    photo = photos.list_photos(demo.db, finding_id=f.id)[0]
    shapes = [{"kind": "rect", "points": [[0.1, 0.1], [0.9, 0.9]], "color": "#00FF00", "width": 0.03},
              {"kind": "arrow", "points": [[0.2, 0.8], [0.5, 0.5]], "color": "#00FF00", "width": 0.02}]
    markup.set_markup(demo.db, photo.id, shapes)
    snapshot = rdata.gather(demo, "notice", visit_id=visit.id)
    entry = next(e for e in snapshot.new_findings if e.finding.id == f.id)
    assert [s.kind for s in entry.photos[0].markup] == ["rect", "arrow"]
    result = notice.build_notice(snapshot, out / "markup.pdf")
    subprocess.run(["pdftoppm", "-r", "40", "-png", result.path, str(out / "markup")], check=True)
    green = 0
    for png in out.glob("markup*.png"):
        with Image.open(png) as img:
            px = img.convert("RGB").tobytes()
            green += sum(1 for i in range(0, len(px), 3) if px[i + 1] > 200 and px[i] < 80 and px[i + 2] < 80)
    assert green > 200
    markup.set_markup(demo.db, photo.id, [])


def test_missing_glyphs_are_substituted() -> None:
    assert fonts.shown("③~⑤/Ⓐ~Ⓑ轴 25℃ ⌀12") == "③~⑤/Ⓐ~Ⓑ轴 25℃ ⌀12"  # drawn from the symbol fonts
    assert fonts.clean("③~⑤/Ⓐ~Ⓑ轴 25℃") == "③~⑤/A~B轴 25°C"  # a string drawn in the report font alone


def test_cancel_stops_and_leaves_no_file(demo: AppContext, out: Path) -> None:
    snapshot = rdata.gather(demo, "final", CODE)
    target = out / "cancelled.pdf"
    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        final.build_final(snapshot, target, progress=lambda d, t: seen.append((d, t)), cancel=lambda: len(seen) > 1)
    assert not target.exists() and not list(out.glob(".cancelled*"))


def test_cli_report_json(demo: AppContext, out: Path) -> None:
    target = out / "cli-final.pdf"
    proc = cli("--json", "report", "final", "--project", CODE, "--out", str(target), data_dir=demo.paths.data_dir)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["path"] == str(target.resolve()) and result["pages"] > 10
    import hashlib
    assert result["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    assert result["bytes"] == target.stat().st_size
    bad = cli("report", "process", "--project", CODE, "--out", str(out / "x.pdf"), data_dir=demo.paths.data_dir)
    assert bad.returncode == 2 and "--visit" in bad.stderr
