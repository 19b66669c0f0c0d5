"""Issue 12's project at the limits, shared by the layout and symbol tests: a finding whose texts
are the longest the app accepts, 30 photos on it, and places with Ⓐ~Ⓑ and ⌀. (A module, not a
conftest.py: tests import the root conftest by the name ``conftest``.)"""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from pathlib import Path

from PIL import Image

from inspector_app.app import AppContext
from inspector_app.reports import layout
from inspector_app.services import findings, photos, visits
from inspector_app.services.findings import TEXT_LIMITS

PHOTOS = 30
PLACE = "③~⑤/Ⓐ~Ⓑ轴 ⌀600 集水坑四周"


def text_of(pdf: Path, *, body: bool = False) -> str:
    """The text; with ``body``, of the body frame only (no page header or footer between the pieces
    of a text that continues on the next page)."""
    crop = ["-x", "0", "-y", f"{layout.MARGIN_TOP:.0f}", "-W", f"{layout.PAGE_W:.0f}", "-H", f"{layout.FRAME_H:.0f}"]
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *(crop if body else []), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def longest(field: str, topic: str) -> str:
    """A text of exactly the longest length the app accepts for ``field``: numbered sentences
    (so a lost piece would show), with the symbols of site notes, ending in 【完】."""
    limit = TEXT_LIMITS[field]
    sentences = []
    i = 1
    while sum(map(len, sentences)) < limit:
        sentences.append(f"第{i:03d}句：{topic}，Ⓐ~Ⓑ轴 ⌀25 钢筋保护层实测 15~18 mm，小于设计要求 25 mm（GB 50204-2015 第5.5.3条）。")
        i += 1
    return "".join(sentences)[:limit - 3] + "【完】"


def jpeg(path: Path, i: int) -> Path:
    Image.new("RGB", (64, 48), ((i * 37) % 256, (i * 91) % 256, 150)).save(path, quality=80)
    return path


def record_long_project(ctx: AppContext, project_id: int, tmp_path: Path):
    """A visit with the long finding (30 photos: 20 before, 10 after) and a short one (1 photo)."""
    visit = visits.start_visit(ctx.db, project_id, datetime(2025, 5, 20, 9, 30), node_codes=["N03"],
                               inspectors=["赵工"], summary=longest("description", "巡查概况"))
    big = findings.record_finding(
        ctx.db, visit.id, building="1#楼", coverage="WPI-2", division="01", subdivision="0107", grade="D",
        description=longest("description", "问题描述"), risk=longest("risk", "风险分析"),
        requirement=longest("requirement", "整改要求"), clause=longest("clause", "依据条款"), floor="B3",
        location=(PLACE + " 后浇带两侧" * 20)[:TEXT_LIMITS["location"]])
    small = findings.record_finding(ctx.db, visit.id, building="2#楼", coverage="WPI-2", division="01", grade="C",
                                    description="底板防水卷材搭接宽度不足", floor="B2", location=PLACE)
    files = [jpeg(tmp_path / f"p{i:02d}.jpg", i) for i in range(PHOTOS + 1)]
    for role, batch in (("before", files[:20]), ("after", files[20:PHOTOS])):
        list(photos.import_photos(ctx.db, ctx.store, batch, finding_id=big.id, role=role, workers=1))
    list(photos.import_photos(ctx.db, ctx.store, files[PHOTOS:], finding_id=small.id, role="before", workers=1))
    return visit, big, small
