"""Issue 12's closing sections, read back as the insurer's reviewer reads them: who prepared,
reviewed and approved the report (with the seal area), the agency's independence (Art. 18), to
whom it goes (分送), a draft's watermark on every page, a revision's line on the cover, the
documents and tests reviewed (资料核查), the final conclusion in the agency's voice (Art. 10),
and a chart with nothing to count."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import String
from reportlab.platypus import Paragraph

from inspector_app.app import AppContext
from inspector_app.reports import charts, document_blocks, final, layout, notice, process, signoff
from inspector_app.services import report_data as rdata
from inspector_app.services import visits
from inspector_app.values.checklist import ChecklistRow
from inspector_app.values.report import DocumentReviewRef, ReportData, SignOff

TOOLS = ("pdftotext", "pdftoppm", "qpdf")
pytestmark = pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS),
                                reason=f"needs poppler-utils and qpdf ({', '.join(TOOLS)}) to read the PDFs back")
CODE = "BJ-DX-2024-017"
SIGNOFF = [SignOff("prepare", "王建国", "检查员", "TIS-BJ-2019-0217", date(2025, 1, 15)),
           SignOff("review", "李敏", "项目负责人", "TIS-BJ-2020-0342", date(2025, 1, 16), "同意签发。"),
           SignOff("approve", "张磊", "技术负责人", "TIS-BJ-2021-0588", date(2025, 1, 17))]
REVIEWS = [DocumentReviewRef(5, date(2025, 1, 14), "防水卷材进场复验报告", "FS-2025-0107", "test", "ok"),
           DocumentReviewRef(5, date(2025, 1, 14), "外墙防水隐蔽工程验收记录", "YS-W-031", "document", "fail",
                             "附加层未见验收签字", "F017"),
           DocumentReviewRef(5, date(2025, 1, 14), "回填土压实度检测报告", "", "test", "missing", "施工单位未提供")]


def pages_of(pdf: Path) -> list[str]:
    """The text of each page, white space removed (pdftotext breaks lines where the layout wrapped)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [re.sub(r"\s+", "", page) for page in out.split("\f")[:-1]]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sections")


@pytest.fixture(scope="module")
def process_data(demo: AppContext) -> ReportData:
    visit = visits.list_visits(demo.db, CODE)[4]
    return rdata.gather(demo, "process", CODE, visit_id=visit.id)


@pytest.fixture(scope="module")
def signed(process_data: ReportData, out: Path) -> tuple[ReportData, list[str]]:
    """The process report as issued: signed, a second revision, with the documents reviewed."""
    data = replace(process_data, report_no=f"{CODE}-GC-005 第2版", signoff=SIGNOFF, draft=False,
                   replaces=f"{CODE}-GC-005 第1版", revision_reason="更正 F017 的部位", document_reviews=REVIEWS)
    made = process.build_process(data, out / "signed.pdf", pdfa=True)
    return data, pages_of(Path(made.path))


@pytest.fixture(scope="module")
def final_pages(demo: AppContext, out: Path) -> tuple[ReportData, list[str]]:
    data = replace(rdata.gather(demo, "final", CODE, report_no=f"{CODE}-ZZ-001"), signoff=SIGNOFF)
    made = final.build_final(data, out / "final.pdf")
    return data, pages_of(Path(made.path))


def test_the_signoff_block_names_who_prepared_reviewed_and_approved(signed: tuple) -> None:
    data, pages = signed
    closing = pages[-1][pages[-1].index("十一、声明与签发"):]
    for step, s in zip(("编制", "审核", "批准"), SIGNOFF, strict=True):
        row = closing[closing.index(step):]
        assert row.startswith(flat(f"{step}{s.name}{s.role}{s.certificate_no}{s.on}")), step
    assert "审核意见（李敏）：同意签发。" in closing
    assert "风险管理机构（盖章）" in closing and flat(f"{data.agency.name}{data.generated_on:%Y年%m月%d日}") in closing
    assert "（盖章）" not in pages[0].replace("风险管理机构（盖章）", "")  # the old bare text is gone
    assert "审核人李敏（项目负责人，证书TIS-BJ-2020-0342）" in pages[0]  # the cover's reviewer, from the review step


def test_a_step_not_signed_is_a_blank_line_to_sign_by_hand(process_data: ReportData, out: Path) -> None:
    data = replace(process_data, signoff=SIGNOFF[:1])
    pages = pages_of(Path(process.build_process(data, out / "unsigned.pdf").path))
    closing = pages[-1][pages[-1].index("十一、声明与签发"):]
    assert "审核项目负责人年月日" in closing and "批准技术负责人年月日" in closing
    assert "审核人" in pages[0] and "李敏" not in pages[0]
    table = signoff.signoff_table(data, layout.make_styles())
    assert [row[1] for row in table._cellvalues[2:]] == ["", ""]  # no name printed where none signed
    assert table._rowHeights[1] >= 9 * 72 / 25.4  # room for a handwritten signature


def test_the_independence_statement_names_the_agency(signed: tuple) -> None:
    data, pages = signed
    sentence = signoff.independence_text(data)
    assert sentence.startswith(data.agency.name) and "第十八条" in sentence
    for party in ("勘察", "设计", "施工", "监理", "材料供应"):
        assert party in sentence
    assert flat(sentence) in pages[-1]


def test_the_distribution_lists_the_insurers_and_the_developer(signed: tuple) -> None:
    data, pages = signed
    developer = next(p.name for p in data.project.parties if p.role == "developer")
    assert [d.split("（")[0] for d in data.distribution] == [i.name for i in data.project.insurers] + [developer]
    assert data.distribution[0].endswith("（主承保人）")
    closing = pages[-1]
    assert "分送" in closing and all(flat(d) in closing for d in data.distribution)


def test_an_old_snapshot_without_distribution_leaves_it_out(process_data: ReportData) -> None:
    blocks = signoff.signoff_block(replace(process_data, distribution=[]), layout.make_styles())
    texts = [f.getPlainText() for f in blocks[0]._content if isinstance(f, Paragraph)]
    assert not any("分送" in t for t in texts)


def test_a_draft_carries_its_watermark_on_every_page(process_data: ReportData, out: Path) -> None:
    draft = process.build_process(replace(process_data, draft=True), out / "draft.pdf", pdfa=True)
    pages = pages_of(Path(draft.path))
    assert len(pages) == draft.pages and all("草稿·未签发" in p for p in pages)
    assert "签发日期草稿，未签发" in pages[0]
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(draft.path), str(out / "draft")], check=True)
    grey = []
    for png in sorted(out.glob("draft-*.pgm")):
        with Image.open(png) as img:
            w, h = img.size
            centre = img.crop((w // 4, h // 3, 3 * w // 4, 2 * h // 3)).tobytes()
        grey.append(sum(215 <= v <= 235 for v in centre))
    assert len(grey) == draft.pages and min(grey) > 50, grey  # the light-grey 草稿 under every page
    check = subprocess.run(["qpdf", "--check", str(draft.path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with pikepdf.open(draft.path) as pdf:
        assert pdf.open_metadata()["pdfaid:part"] == "2"
        for page in pdf.pages:  # no transparency: nothing for a PDF/A-1 reader to refuse either
            assert "/Group" not in page.obj
            for gs in (page.Resources.get("/ExtGState") or {}).values():
                assert float(gs.get("/ca", 1)) == 1 and float(gs.get("/CA", 1)) == 1


def test_an_issued_report_has_no_watermark(signed: tuple) -> None:
    _, pages = signed
    assert not any("草稿" in p for p in pages)


def test_the_cover_of_a_revision_names_what_it_replaces(signed: tuple) -> None:
    _, pages = signed
    assert f"本报告为第2版，替代{CODE}-GC-005第1版，修订原因：更正F017的部位。" in pages[0]
    assert all("本报告为第" not in p for p in pages[1:])


def test_documents_reviewed_are_listed_row_by_row(signed: tuple) -> None:
    _, pages = signed
    text = "".join(pages)
    part = text[text.rindex("九、资料核查"):text.rindex("十、结论与下阶段关注重点")]
    assert "本期核查资料1份、检测报告2份：符合1份，不符合1份，缺失1份。" in part
    assert "第5次2025-01-14防水卷材进场复验报告FS-2025-0107检测符合" in part
    assert "外墙防水隐蔽工程验收记录YS-W-031资料不符合附加层未见验收签字F017" in part
    assert "回填土压实度检测报告—检测缺失施工单位未提供" in part


def _texts(flowables: list) -> str:
    return "".join(f.getPlainText() for f in flowables if isinstance(f, Paragraph))


def test_without_review_records_the_section_says_what_was_checked(process_data: ReportData) -> None:
    styles = layout.make_styles()
    empty = replace(process_data, document_reviews=[], checklists=[])
    assert _texts(document_blocks.documents_reviewed(empty, styles)) == "本期未核查资料。"
    assert not [f for f in document_blocks.documents_reviewed(empty, styles) if not isinstance(f, Paragraph)]
    row = ChecklistRow(process_data.visits[0].id, 5, "N05", "地下室外墙防水及回填", "N05-03", "防水卷材搭接宽度",
                       value_label="搭接宽度", unit="mm", min=100, result="ok", value="110")
    entry = process_data.new_findings[0]
    photo = replace(entry.photos[0], role="test", taken_at=datetime.combine(process_data.visits[0].started_at.date(),
                                                                            datetime.min.time()))
    measured = replace(empty, checklists=[row],
                       new_findings=[replace(entry, photos=[photo]), *process_data.new_findings[1:]])
    text = _texts(document_blocks.documents_reviewed(measured, styles))
    assert "本期未登记资料及检测报告核查记录" in text
    assert "现场实测 1 项" in text and "N05-03 搭接宽度 实测 110 mm（要求 ≥ 100 mm），符合" in text
    assert f"检测照片 1 张：{entry.finding.label} 照片 {photo.id}" in text


def test_the_final_conclusion_names_the_unverified_serious_defect(final_pages: tuple) -> None:
    data, pages = final_pages
    gate = data.gate
    assert gate is not None and [f.label for f in gate.blocking] == ["F049"]
    text = "".join(pages)
    part = text[text.rindex("十一、结论：严重质量缺陷评估"):text.rindex("十二、声明与签发")]
    assert "风险管理机构的结论：本项目存在未经实质性整改的严重质量缺陷F049。" in part
    assert "竣工验收由建设单位依法组织" in part and "不对竣工验收本身作出结论" in part
    assert "《北京市住宅工程质量潜在缺陷保险暂行管理办法》第十条" in part
    assert "不能通过" not in text  # (a re-check's notes may say 复查不通过: the inspector's words, not a verdict)
    assert "通过" not in part.replace("不阻止通过", "") and "通过" not in pages[0]  # gate notes word the gate's items
    for reason in gate.reasons:  # the gate's items, each listed by itself
        assert ("影响结论" if reason.blocking else "说明") in part
    assert "严重质量缺陷评估结论存在未经实质性整改的严重质量缺陷：F049" in pages[0]
    assert "十、检测与资料核查汇总" in text and "十二、声明与签发" in text
    assert text.index("十二、声明与签发") < text.rindex("附件：问题照片记录")  # before the annexes


def test_the_final_conclusion_when_nothing_remains(final_pages: tuple) -> None:
    data, _ = final_pages
    gate = replace(data.gate, passed=True, blocking=[], reasons=[], serious_verified=data.gate.serious_total)
    sentence = final.gate_sentence(gate, data.labels)
    assert "风险管理机构的结论：本项目不存在未经实质性整改的严重质量缺陷。" in sentence
    assert "通过" not in sentence and final.ACCEPTANCE in sentence
    none = final.gate_sentence(replace(gate, serious_total=0, serious_verified=0), data.labels)
    assert "未认定严重质量缺陷" in none and "0 项" not in none
    unfinished = replace(data.gate, blocking=[], reasons=[r for r in data.gate.reasons if r.code == "nodes_not_inspected"])
    text = final.gate_sentence(unfinished, data.labels)
    assert "评估工作尚未完成" in text and "不能得出“不存在未经实质性整改的严重质量缺陷”的结论" in text
    assert final.gate_headline(unfinished) == "评估工作尚未完成，暂不能得出结论"


def test_the_notice_has_compact_signoff_lines_and_the_seal(demo: AppContext, out: Path) -> None:
    visit = visits.list_visits(demo.db, CODE)[8]
    data = replace(rdata.gather(demo, "notice", visit_id=visit.id), signoff=SIGNOFF[:1])
    pages = pages_of(Path(notice.build_notice(data, out / "notice.pdf").path))
    last = pages[-1]
    assert "编制王建国（检查员，证书TIS-BJ-2019-0217）签字：__________日期：2025-01-15" in last
    assert "审核姓名：__________签字：__________日期：" in last
    assert "风险管理机构（盖章）" in last


def test_a_chart_with_no_data_says_so(out: Path) -> None:
    for drawing in (charts.pie("未关闭问题按风险等级", [("A 正常技术风险", 0)], 200),
                    charts.hbar("本期新发现问题按分部工程", [], 400)):
        strings = [x.text for x in drawing.contents if isinstance(x, String)]
        assert charts.EMPTY in strings
        assert not any(isinstance(x, (Pie, HorizontalBarChart)) for x in drawing.contents)
    assert any(isinstance(x, Pie) for x in charts.pie("t", [("C", 2)], 200).contents)
    doc = layout.ReportDoc(str(out / "chart.pdf"), title="chart", report_no="T-1")
    doc.render([*layout.cover_break(), charts.pie("未关闭问题按风险等级", [], layout.BODY_W / 2)], [])
    text = "".join(pages_of(out / "chart.pdf"))
    assert "本期无数据" in text and "无1" not in text
