"""Layout that cannot crash: random findings (every text from empty to the longest the app accepts,
0..60 photos, CJK, symbols and Latin mixed) rendered through every report builder never raise.

The snapshot is built from values (an issued snapshot's JSON with its findings replaced), with no
database, and the photos are tiny JPEGs written once per session, so each example takes well under
two seconds."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from inspector_app.reports import final, notice, process, register
from inspector_app.services.findings import TEXT_LIMITS
from inspector_app.values.dto import FindingInfo, GateResult, Notice
from inspector_app.values.report import (
    FindingEntry,
    MarkupShape,
    PhotoRef,
    ReplyRef,
    ReportData,
    VerificationRef,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SNAPSHOT = FIXTURES / "snapshot_process_f86f801.json"  # an issued process report's snapshot, as values
REPLY_LIMIT = 2000  # replies and re-check notes have no limit in the app: as long as a description
NAME_LIMIT = 60
MAX_PHOTOS = 60
BLANK_LINES = 150

pytestmark = pytest.mark.slow

# What inspectors type: CJK text and punctuation, the axis and measurement symbols of site notes,
# Latin (with accents), digits and white space, including the odd tab and form feed pasted from a PDF.
SYMBOLS = "ⒶⒷⒸⓐⓑ①②③⑤⑩⌀℃±≥≤㎡㎜㎝×÷°‰~～·—…√∠△□○●ΦφΩμ²³¼←→↑↓"
ALPHABET = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK unified ideographs
    st.characters(min_codepoint=0x3000, max_codepoint=0x303F),  # CJK punctuation
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),  # full-width forms
    st.sampled_from(SYMBOLS),
    st.characters(min_codepoint=0x2460, max_codepoint=0x24FF),  # enclosed alphanumerics
    st.characters(min_codepoint=0x2100, max_codepoint=0x23FF),  # letterlike, arrows, maths, technical
    st.characters(min_codepoint=0x3380, max_codepoint=0x33FF),  # CJK compatibility (units)
    st.characters(min_codepoint=0x20, max_codepoint=0x24F),  # Latin, Latin-1, Latin extended
    st.sampled_from([" ", " ", "\n", "\t", "\u3000", "\x0c", "<", "&", ">"]),
)


def texts(limit: int) -> st.SearchStrategy[str]:
    """Any length from 0 to ``limit`` (the limit itself often): a random head, then a random unit
    repeated to the length (a few hundred random characters cost Hypothesis little; 2,000 would).
    The unit is now and then only line breaks: a text of blank lines is as tall as it gets (up to
    BLANK_LINES of them, pages of nothing that would only slow the test)."""
    length = st.one_of(st.just(limit), st.integers(0, limit))
    unit = st.one_of(st.text(ALPHABET, min_size=1, max_size=60), st.sampled_from(["\n", " \n", "\n\t\x0c"]))

    def text(head: str, unit: str, n: int) -> str:
        n = min(n, len(head) + BLANK_LINES) if unit.isspace() else n
        return (head + unit * (n // len(unit) + 1))[:n]

    return st.builds(text, st.text(ALPHABET, max_size=min(limit, 200)), unit, length)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@pytest.fixture(scope="session")
def tiny_jpegs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, int, int]]:
    """Landscape, portrait and square renditions, a few hundred bytes each."""
    folder = tmp_path_factory.mktemp("tiny-jpegs")
    out = []
    for i, (w, h) in enumerate([(24, 18), (18, 24), (16, 16)]):
        path = folder / f"p{i}.jpg"
        Image.new("RGB", (w, h), (90 + 40 * i, 140, 170)).save(path, quality=60)
        out.append((str(path), w, h))
    return out


@pytest.fixture(scope="session")
def base() -> ReportData:
    return ReportData.from_json(SNAPSHOT.read_text(encoding="utf-8"))


# Built once (Hypothesis validates a strategy when first drawn from: per example, it would cost seconds).
GRADES = list(json.loads(SNAPSHOT.read_text(encoding="utf-8"))["labels"]["grades"])  # the rule set's
NAME, REPLY = texts(NAME_LIMIT), texts(REPLY_LIMIT)
FIELD = {name: texts(limit) for name, limit in TEXT_LIMITS.items()}
PHOTO = st.fixed_dictionaries({
    "role": st.sampled_from(["before", "after", "general", "test", "其他"]),
    "caption": maybe(texts(80)),
    "taken_at": maybe(st.datetimes(datetime(2024, 1, 1), datetime(2027, 12, 31))),
    "image": st.integers(0, 2),
    "shared": st.integers(0, 9).map(lambda x: x == 0),  # the same file on another finding (a reused photo)
    "markup": st.one_of(st.just([]), st.lists(texts(200), max_size=2)),
})
PHOTO_COUNT = st.one_of(st.integers(0, MAX_PHOTOS), st.sampled_from([0, 1, 4, 5, 30, MAX_PHOTOS]))


@st.composite
def photo_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    return [draw(PHOTO) for _ in range(draw(PHOTO_COUNT))]


FINDING = st.fixed_dictionaries({
    "building": st.one_of(st.sampled_from(["1#楼", "2#楼"]), NAME),
    "floor": maybe(FIELD["floor"]), "location": maybe(FIELD["location"]),
    "description": FIELD["description"], "risk": maybe(FIELD["risk"]), "clause": maybe(FIELD["clause"]),
    "requirement": maybe(FIELD["requirement"]), "responsible": maybe(NAME),
    "grade_found": st.sampled_from(GRADES), "grade_now": st.sampled_from(GRADES), "serious": st.booleans(),
    "status": st.sampled_from(["open", "replied", "verified", "closed"]),
    "overdue": st.booleans(), "tracked": st.booleans(),
    "photos": photo_lists(),
    "replies": st.lists(st.tuples(maybe(NAME), REPLY), max_size=2),
    "checks": st.lists(st.tuples(st.booleans(), maybe(NAME), maybe(REPLY)), max_size=2),
})
FINDINGS = st.lists(FINDING, min_size=1, max_size=2).map(
    lambda specs: [{**spec, "number": n} for n, spec in enumerate(specs, 1)])


def entry(spec: dict[str, Any], template: FindingInfo, jpegs: list[tuple[str, int, int]]) -> FindingEntry:
    f = replace(template, id=1000 + spec["number"], number=spec["number"], building=spec["building"],
                floor=spec["floor"], location=spec["location"], description=spec["description"],
                risk=spec["risk"], clause=spec["clause"], requirement=spec["requirement"],
                responsible_party=spec["responsible"], grade_found=spec["grade_found"], grade_now=spec["grade_now"],
                is_serious=spec["serious"], status=spec["status"], overdue=spec["overdue"],
                closed_on=template.found_on + timedelta(days=20) if spec["status"] in ("verified", "closed") else None,
                photos=len(spec["photos"]), visit_number=1 if spec["tracked"] else template.visit_number,
                visit_id=1 if spec["tracked"] else template.visit_id)
    photos = []
    for i, p in enumerate(spec["photos"]):
        path, w, h = jpegs[p["image"]]
        photo_id = spec["number"] * 100 + i
        sha = hashlib.sha256(f"{'shared' if p['shared'] else photo_id}-{p['image']}".encode()).hexdigest()
        shapes = [MarkupShape("text", [(0.1, 0.2)], text=t) for t in p["markup"]]
        shapes += [MarkupShape("arrow", [(0.1, 0.1), (0.8, 0.9)])] if p["markup"] else []
        photos.append(PhotoRef(photo_id, sha, p["role"], p["caption"], p["taken_at"], path, w, h, shapes))
    replies = [ReplyRef(date(2025, 1, 2), party, text) for party, text in spec["replies"]]
    checks = [VerificationRef(date(2025, 1, 9), "accepted" if ok else "rejected", who, 4, notes)
              for ok, who, notes in spec["checks"]]
    return FindingEntry(f, photos, replies, checks)


def snapshot(base: ReportData, specs: list[dict[str, Any]], jpegs: list[tuple[str, int, int]],
             kind: str) -> ReportData:
    template = base.new_findings[0].finding
    entries = [entry(s, template, jpegs) for s in specs]
    new = [e for e, s in zip(entries, specs, strict=True) if not s["tracked"]]
    tracked = [e for e, s in zip(entries, specs, strict=True) if s["tracked"]]
    serious = [e.finding for e in entries if e.finding.is_serious]
    blocking = [f for f in serious if f.status != "verified"]
    gate = GateResult(base.project.id, not blocking, blocking, len(serious), len(serious) - len(blocking),
                      [Notice("serious_unverified", "gate.serious_unverified",
                              {"count": len(blocking), "items": [f.label for f in blocking]},
                              [f.label for f in blocking], True)] if blocking else [])
    return replace(base, report_type=kind, gate=gate if kind in ("final", "process") else None,
                   new_findings=new, tracked_findings=tracked)


@settings(max_examples=25, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(specs=FINDINGS)
def test_random_findings_render_in_every_document(specs: list[dict[str, Any]], base: ReportData,
                                                  tiny_jpegs: list[tuple[str, int, int]],
                                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    out = tmp_path_factory.mktemp("layout")
    for kind, build in (("process", process.build_process), ("final", final.build_final),
                        ("notice", notice.build_notice)):
        made = build(snapshot(base, specs, tiny_jpegs, kind), out / f"{kind}.pdf")
        assert made.pages and made.pages >= 1 and Path(made.path).stat().st_size > 0, kind
    reg = snapshot(base, specs, tiny_jpegs, "register")
    register.build_register(reg, out / "register.xlsx")
    register.build_register(reg, out / "register.csv")
    ws = openpyxl.load_workbook(out / "register.xlsx")["照片清单"]
    assert ws.max_row - 1 == sum(len(s["photos"]) for s in specs)
    with open(out / "register.csv", encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.reader(fh))) == 1 + len(specs)
