"""Issue 12, as-of correctness: a report for a visit or a period shows the project as it stood at the
end of its day, so whatever is dated after it (a later visit and finding, a reply, a re-check with its
after-photo, a re-grade, a node reached or waived, a check item marked, a notice issued) leaves the
report byte-for-byte the same; and the gate as of a day names what was then still unverified."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image

from inspector_app.app import AppContext, open_app
from inspector_app.reports import final, notice, process
from inspector_app.reports.layout import make_styles
from inspector_app.services import (
    checklists,
    findings,
    gate,
    inspection_plan,
    issuing,
    photos,
    projects,
    visits,
)
from inspector_app.services import report_data as rdata
from inspector_app.services.demo_photos import make_photo
from inspector_app.values import dto
from inspector_app.values.report import ReportData

MADE_ON = date(2025, 9, 5)  # the day the period report was made, the same when it is made again
PERIOD = (date(2025, 5, 1), date(2025, 8, 31))


@dataclass
class World:
    ctx: AppContext
    project: dto.ProjectDetail
    visit1: dto.VisitInfo
    visit2: dto.VisitInfo
    a: dto.FindingInfo  # C, replied and verified within the period
    b: dto.FindingInfo  # D (serious), found in the period, verified only after it
    e: dto.FindingInfo  # B, still open at the end of the period
    out: Path
    before: dict[str, tuple[ReportData, bytes]]


def shot(ctx: AppContext, folder: Path, finding_id: int, taken: datetime | None, seed: int, role: str) -> None:
    path = make_photo(folder / f"p{seed}.jpg", scene="membrane", label=role, taken_at=taken or datetime(2025, 1, 1),
                      seed=seed, repaired=role == "after")
    if taken is None:  # a file without EXIF: dated by its import
        Image.open(path).save(path.with_suffix(".noexif.jpg"), quality=85)
        path = path.with_suffix(".noexif.jpg")
    [result] = photos.import_photos(ctx.db, ctx.store, [path], finding_id=finding_id, role=role, workers=1)
    assert result.status == "imported", result.reason


def add(ctx: AppContext, visit_id: int, grade: str, description: str, floor: str) -> dto.FindingInfo:
    return findings.record_finding(ctx.db, visit_id, building="1#楼", coverage="WPI-2", division="01",
                                   subdivision="0107", grade=grade, description=description, floor=floor)


def made(ctx: AppContext, out: Path, name: str) -> dict[str, tuple[ReportData, bytes]]:
    """The period report (PDF/A), the first visit's report and the second visit's notice, as data and bytes."""
    return {key: (data, build(data, out / f"{name}-{key}.pdf").read_bytes()) for key, data in gathered(ctx).items()}


def gathered(ctx: AppContext) -> dict[str, ReportData]:
    code = projects.list_projects(ctx.db)[0].code
    first, second = visits.list_visits(ctx.db, code)[:2]
    return {"period": rdata.gather(ctx, "process", code, date_from=PERIOD[0], date_to=PERIOD[1], today=MADE_ON),
            "visit": rdata.gather(ctx, "process", code, visit_id=first.id, today=MADE_ON),
            "notice": rdata.gather(ctx, "notice", visit_id=second.id, today=MADE_ON)}


def build(data: ReportData, path: Path) -> Path:
    if data.report_type == "notice":
        return Path(notice.build_notice(data, path).path)
    return Path(process.build_process(data, path, pdfa=data.scope.kind == "period").path)


def later_events(w: World) -> None:
    """Everything dated after the period (and after the first visit and the notice's visit)."""
    ctx, tmp = w.ctx, w.out
    third = visits.start_visit(ctx.db, w.project.id, datetime(2025, 10, 15, 9), node_codes=["N05"], inspectors=["赵工"])
    c = add(ctx, third.id, "C", "外墙防水卷材收头未密封", "B1")
    shot(ctx, tmp, c.id, datetime(2025, 10, 15, 10), 20, "before")
    findings.reply_rectification(ctx.db, w.b.id, "已凿除重做并复测", replied_on=date(2025, 9, 10))
    shot(ctx, tmp, w.b.id, datetime(2025, 10, 15, 11), 21, "after")
    findings.verify_rectification(ctx.db, w.b.id, "accepted", visit_id=third.id, inspector="赵工", grade_now="B")
    findings.reply_rectification(ctx.db, w.e.id, "已整改", replied_on=date(2025, 9, 20))
    shot(ctx, tmp, w.e.id, None, 22, "after")  # no EXIF: imported now
    findings.change_grade(ctx.db, w.e.id, "C", "复核后上调")
    findings.set_serious(ctx.db, w.a.id, True, "涉及底板防水，按严重缺陷跟踪")
    findings.reopen_finding(ctx.db, w.a.id, "复查发现渗漏复发")
    nodes = {n.code: n.id for n in w.project.nodes}
    projects.update_node(ctx.db, nodes["N06"], reached_date=date(2025, 10, 1))
    inspection_plan.record_notification(ctx.db, nodes["N05"], date(2025, 10, 10))
    inspection_plan.waive_node(ctx.db, nodes["N02"], "桩基由专项检测单位检测，资料已核查", "赵工")
    checklists.set_item(ctx.db, third.id, "N05-03", "ok")
    checklists.set_item(ctx.db, third.id, "N05-05", "fail", note="保护墙破损", building="1#楼")
    issuing.issue_report(ctx, "notice", w.project.id, visit_id=third.id)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, example_spec: dict) -> Iterator[World]:
    root = tmp_path_factory.mktemp("as-of")
    ctx = open_app(root / "data", actor="赵工")
    project = projects.create_project(ctx.db, copy.deepcopy(example_spec))
    v1 = visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9, 30), node_codes=["N03"], inspectors=["赵工"])
    v2 = visits.start_visit(ctx.db, project.id, datetime(2025, 7, 10, 9), node_codes=["N04"], inspectors=["赵工"])
    a = add(ctx, v1.id, "C", "底板防水卷材搭接宽度不足 80mm", "B3")
    e = add(ctx, v1.id, "B", "底板后浇带止水钢板未居中", "B3")
    shot(ctx, root, a.id, datetime(2025, 5, 20, 10), 1, "before")
    shot(ctx, root, e.id, datetime(2025, 5, 20, 10, 5), 2, "before")
    findings.reply_rectification(ctx.db, a.id, "已按要求返工", replied_on=date(2025, 5, 25))
    shot(ctx, root, a.id, datetime(2025, 7, 10, 10, 30), 3, "after")
    findings.verify_rectification(ctx.db, a.id, "accepted", visit_id=v2.id, inspector="赵工")
    b = add(ctx, v2.id, "D", "底板钢筋保护层厚度不足 30mm", "B3")
    shot(ctx, root, b.id, datetime(2025, 7, 10, 11), 4, "before")
    checklists.set_item(ctx.db, v2.id, "N04-03", "ok")
    w = World(ctx, project, v1, v2, a, b, e, root, {})
    w.before = made(ctx, root, "before")
    later_events(w)
    yield w
    ctx.close()


@pytest.mark.parametrize("key", ["period", "visit", "notice"])
def test_a_report_is_byte_for_byte_the_same_after_events_dated_after_it(world: World, key: str) -> None:
    """The acceptance test of issue 12: made again later with the same issue date, the same bytes."""
    data, pdf = world.before[key]
    again = gathered(world.ctx)[key]
    if again.to_json() != data.to_json():  # name the fields that differ, not two long JSON lines
        was, now = data.to_plain(), again.to_plain()
        assert {k: now[k] for k in now if now[k] != was.get(k)} == {k: was[k] for k in was if was[k] != now.get(k)}
    assert build(again, world.out / f"after-{key}.pdf").read_bytes() == pdf


def test_a_period_report_shows_the_state_at_the_end_of_the_period(world: World) -> None:
    data, _ = world.before["period"]
    assert data.as_of == PERIOD[1] and data.generated_on == MADE_ON
    assert [v.number for v in data.all_visits] == [1, 2]
    by_id = {e.finding.id: e for e in data.all_entries()}
    a, b, e = by_id[world.a.id], by_id[world.b.id], by_id[world.e.id]
    assert (a.finding.status, a.finding.is_serious, a.finding.closed_on) == ("verified", False, date(2025, 7, 10))
    assert (b.finding.status, b.finding.grade_now, b.finding.is_serious) == ("open", "D", True)
    assert not b.replies and not b.verifications and [p.role for p in b.photos] == ["before"]
    assert (e.finding.grade_now, e.finding.status, e.finding.photos) == ("B", "open", 1)
    nodes = {n.code: n for n in data.project.nodes}
    assert nodes["N05"].status == "planned" and nodes["N05"].notified_on is None
    assert nodes["N06"].reached_date is None and nodes["N02"].status == "planned"
    assert data.gate is not None and [f.label for f in data.gate.blocking] == [world.b.label]
    focus = " ".join(p.getPlainText() for p in process.conclusion(data, make_styles()))
    assert "下阶段关注重点：N06" in focus  # reached only after the period: still ahead as of its end
    assert not data.issued


def test_made_now_the_same_report_would_show_what_happened_since(world: World) -> None:
    """The as-of day is what leaves the later events out: the final report, as of today, shows them."""
    now = rdata.gather(world.ctx, "final", world.project.id)
    assert now.as_of == date.today()
    by_id = {e.finding.id: e.finding for e in now.all_entries()}
    assert by_id[world.b.id].status == "verified" and by_id[world.b.id].grade_now == "B"
    assert by_id[world.a.id].status == "open" and by_id[world.a.id].is_serious
    assert by_id[world.e.id].grade_now == "C" and by_id[world.e.id].photos == 2
    assert {n.code: n.status for n in now.project.nodes}["N02"] == "waived"
    assert [r.kind for r in now.issued] == ["notice"]


def test_the_gate_as_of_a_day_before_a_later_recheck_names_the_serious_finding(world: World) -> None:
    ctx, b = world.ctx, world.b
    assert b.id not in {f.id for f in findings.final_gate(ctx.db, world.project.id).blocking}
    data = rdata.gather(ctx, "final", world.project.id, as_of=date(2025, 9, 30))
    assert data.as_of == date(2025, 9, 30) and data.gate is not None
    assert b.label in [f.label for f in data.gate.blocking]
    assert b.label in final.gate_sentence(data.gate, data.labels)
    entry = next(e for e in data.new_findings if e.finding.id == b.id)
    assert entry.finding.status == "replied" and [r.replied_on for r in entry.replies] == [date(2025, 9, 10)]
    assert not entry.verifications and all(p.role == "before" for p in entry.photos)


def test_the_gate_as_of_today_is_the_gate(world: World) -> None:
    """One gate: reading it as of today (every step dated by then) gives what the window shows."""
    with world.ctx.db.read() as s:
        today = date.today()
        assert gate.evaluate(s, world.project.id, today, as_of=today) == gate.evaluate(s, world.project.id, today)
