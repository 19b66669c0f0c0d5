"""Issue 12's layout at the limits, as the insurer's reviewer reads it: a project with a finding
whose texts are the longest the app accepts, 30 photos on it, and places with Ⓐ~Ⓑ and ⌀ produces
every document (process, final, notice, register); the long texts continue across pages, whole;
the photos a block does not show are counted (另有 N 张，见附件) and every photo is listed by id with
its SHA-256. And the table that carries a long cell: its pieces hold the text, nothing lost."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from long_finding import PHOTOS, flat, longest, record_long_project, text_of
from reportlab.platypus import Paragraph

from inspector_app.app import AppContext
from inspector_app.reports import fonts, layout
from inspector_app.reports.finding_blocks import facts_table
from inspector_app.reports.photo_grid import BLOCK_LIMIT
from inspector_app.services import issuing, photos

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
SECTION = {"process": "六、本期新发现问题", "final": "七、严重质量缺陷及整改证据", "notice": "三、问题照片"}  # where the facts are


@pytest.fixture
def long_project(ctx: AppContext, project, tmp_path: Path):
    return record_long_project(ctx, project.id, tmp_path)


def test_the_longest_texts_and_30_photos_make_every_document(ctx: AppContext, project, long_project,
                                                             tmp_path: Path) -> None:
    visit, big, small = long_project
    stored = photos.list_photos(ctx.db, finding_id=big.id) + photos.list_photos(ctx.db, finding_id=small.id)
    assert len(stored) == PHOTOS + 1
    description = flat(fonts.shown(big.description))
    sentences = re.findall(r"第(\d{3})句：问题描述", description)
    assert len(sentences) > 20
    for kind in ("process", "final", "notice"):
        # the after-photos carry no EXIF, so they are dated by their import (today): made as of today
        data = issuing.gather(ctx, kind, None if kind == "notice" else project.id,
                              visit_id=visit.id if kind != "final" else None, as_of=date.today())
        made = issuing.build(kind, data, tmp_path / f"{kind}.pdf", pdfa=True)
        text = flat(text_of(Path(made.path)))
        assert f"另有{PHOTOS - BLOCK_LIMIT}张，见附件" in text, kind
        assert "附件：照片清单" in text, kind
        for p in stored:  # every photo by its id, with its SHA-256
            assert f"照片{p.id}" in text and p.sha256 in text, (kind, p.id)
        assert "（续）" in text, kind  # a piece that starts a page names what it continues
        # the description whole in the finding's facts table: every sentence, in order, to the end
        body = re.sub(r"F\d{3}\w{0,8}（续）", "", flat(text_of(Path(made.path), body=True)))
        facts = body[body.index(SECTION[kind]):]
        assert re.findall(r"第(\d{3})句：问题描述", facts)[:len(sentences)] == sentences, kind
        assert description[-40:] in facts, kind
    for name in ("register.xlsx", "register.csv"):
        data = issuing.gather(ctx, "register", project.id)
        issuing.build("register", data, tmp_path / name)
    ws = openpyxl.load_workbook(tmp_path / "register.xlsx")["质量缺陷登记表"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == big.label)
    assert row[head.index("问题描述")] == big.description
    assert row[head.index("照片编号")].split() == [str(p.id) for p in stored[:PHOTOS]]
    listed = {r[0]: r[4] for r in openpyxl.load_workbook(tmp_path / "register.xlsx")["照片清单"]
              .iter_rows(min_row=2, values_only=True)}
    assert listed == {p.id: p.sha256 for p in stored}
    with open(tmp_path / "register.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert any(r[0] == big.label and big.description in r for r in rows)


def test_a_long_cell_is_cut_into_pieces_that_hold_all_its_text() -> None:
    styles = layout.make_styles()
    text = longest("description", "问题描述") + "\n" + "末行" * 30
    whole = layout.data_table(["编号", "问题描述"], [["F001", text], ["F002", "短"]], [20, 60], styles)
    table = whole.cut(layout.BODY_W, layout.FRAME_H)  # as it does when it must split
    pieces = [row[1] for row in table._cellvalues[1:-1]]
    assert len(pieces) > 5 and all(isinstance(p, Paragraph) for p in pieces)
    assert flat("".join(p.getPlainText() for p in pieces)) == flat(fonts.shown(text))
    assert isinstance(table._cellvalues[2][0], layout.Continued)  # F001（续） where a piece starts a page
    assert table._cellvalues[-1][0].getPlainText() == "F002"
    for piece in pieces:
        assert piece.wrap(layout.BODY_W * 60 / 80, 1e9)[1] <= layout.SPLIT_ROW_ABOVE
    assert len(whole._cellvalues) == 3  # drawn whole, it is the plain table: one row a finding
    short = layout.data_table(["编号", "问题描述"], [["F001", "短" * 100]], [20, 60], styles)
    assert short.cut(layout.BODY_W, layout.FRAME_H) is short  # no row to cut


def test_the_facts_table_of_a_long_finding_spans_pages(ctx: AppContext, long_project, tmp_path: Path) -> None:
    _, big, _ = long_project
    styles = layout.make_styles()
    table = facts_table(big, issuing.gather(ctx, "final", big.project_id).labels, styles)
    assert table.wrap(layout.BODY_W, layout.FRAME_H)[1] > layout.FRAME_H  # longer than a page, and yet
    doc = layout.ReportDoc(str(tmp_path / "facts.pdf"), title="facts", report_no="T-1")
    assert doc.render([*layout.cover_break(), table], []) >= 3
