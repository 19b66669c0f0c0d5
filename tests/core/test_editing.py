"""Edits saved at once with undo/redo, photo markup, floor plans and pins, photo-time matching,
and the inspector's settings."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import TESTDATA
from PIL import Image
from sqlalchemy import select

from inspector_app.errors import NotFound, RuleViolation, ValidationError
from inspector_app.models import AuditEntry, Finding
from inspector_app.models.auditing import verify_chain
from inspector_app.services import findings, photo_matching, photos, plans, visits
from inspector_app.services.finding_edits import edit_finding
from inspector_app.services.markup import set_markup
from inspector_app.services.undo import UndoStack, edit_finding_undoable, set_markup_undoable
from inspector_app.settings import Settings, load_settings, save_settings


@pytest.fixture
def visit(ctx, project):
    return visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9, 0), node_codes=["N03"],
                              inspectors=["赵工"])


def _finding(ctx, visit, text="框架柱蜂窝麻面"):
    return findings.record_finding(ctx.db, visit.id, building="1#楼", coverage="WPI-2",
                                   division="01", grade="B", description=text, floor="3F")


def test_edit_is_saved_at_once_and_undo_redo_walk_the_history(ctx, visit):
    f = _finding(ctx, visit)
    stack = UndoStack()
    edit_finding_undoable(stack, ctx.db, f.id, description="框架柱根部蜂窝", location="KZ-3")
    edit_finding_undoable(stack, ctx.db, f.id, deadline=date(2025, 6, 1))
    edit_finding_undoable(stack, ctx.db, f.id, deadline=date(2025, 6, 1))  # no change, no command
    assert stack.undo_label() and "整改期限" in stack.undo_label()
    assert findings.get_finding(ctx.db, f.id).deadline == date(2025, 6, 1)
    stack.undo()
    assert findings.get_finding(ctx.db, f.id).deadline == f.deadline
    stack.undo()
    back = findings.get_finding(ctx.db, f.id)
    assert (back.description, back.location) == ("框架柱蜂窝麻面", None)
    assert not stack.can_undo() and stack.can_redo()
    stack.redo()
    assert findings.get_finding(ctx.db, f.id).location == "KZ-3"
    edit_finding_undoable(stack, ctx.db, f.id, floor="4F")
    assert not stack.can_redo()  # a new edit drops the redo branch
    with ctx.db.read() as s:
        assert verify_chain(s) == []
        edits = s.execute(select(AuditEntry).where(AuditEntry.table_name == "finding",
                                                   AuditEntry.row_id == f.id)).scalars().all()
    assert len(edits) >= 6  # every step, the undos included, is in the audit log


def test_edit_refuses_bad_values_and_closed_findings(ctx, visit):
    f = _finding(ctx, visit)
    with pytest.raises(ValidationError, match="问题描述"):
        edit_finding(ctx.db, f.id, description="  ")
    with pytest.raises(ValidationError, match="早于发现日期"):
        edit_finding(ctx.db, f.id, deadline=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="不能在此修改"):
        edit_finding(ctx.db, f.id, status="closed")
    findings.close_finding(ctx.db, f.id, "建设单位确认不属保险责任")
    with pytest.raises(RuleViolation, match="已关闭"):
        edit_finding(ctx.db, f.id, location="x")


def test_markup_is_stored_beside_the_untouched_original(ctx, visit):
    f = _finding(ctx, visit)
    [res] = list(photos.import_photos(ctx.db, ctx.store, [TESTDATA / "exif-orientation" / "Landscape_1.jpg"], finding_id=f.id))
    original = ctx.store.original_path(res.sha256)
    before = original.read_bytes()
    stack = UndoStack()
    shapes = [{"kind": "arrow", "points": [[0.1, 0.1], [0.5, 0.5]]},
              {"kind": "text", "points": [[0.5, 0.52]], "text": "裂缝 0.3mm", "color": "#ffeb3b"}]
    info = set_markup_undoable(stack, ctx.db, res.photo_id, shapes)
    assert [s["kind"] for s in info.markup] == ["arrow", "text"] and info.markup[1]["color"] == "#FFEB3B"
    assert original.read_bytes() == before
    stack.undo()
    assert photos.list_photos(ctx.db, finding_id=f.id)[0].markup == []
    stack.redo()
    assert len(photos.list_photos(ctx.db, finding_id=f.id)[0].markup) == 2
    for bad, why in [({"kind": "star", "points": [[0, 0]]}, "未知"), ({"kind": "rect", "points": [[0, 0]]}, "至少"),
                     ({"kind": "line", "points": [[0, 0], [3, 3]]}, "超出"),
                     ({"kind": "text", "points": [[0, 0]], "text": ""}, "不能为空"),
                     ({"kind": "line", "points": [[0, 0], [1, 1]], "color": "red"}, "#RRGGBB")]:
        with pytest.raises(ValidationError, match=why):
            set_markup(ctx.db, res.photo_id, [bad])
    with pytest.raises(NotFound):
        set_markup(ctx.db, 99999, [])


def _plan_pdf(path: Path) -> Path:
    Image.new("RGB", (1190, 842), "white").save(path, "PDF", resolution=72)  # A3 landscape page
    return path


def test_floor_plan_from_pdf_and_image_with_pins_in_drawing_coordinates(ctx, project, visit, tmp_path):
    plan = plans.import_plan(ctx.db, ctx.store, project.id, "1#楼", "3F", _plan_pdf(tmp_path / "3F.pdf"))
    assert plan.width > 1190 and plan.source_page == 1 and plan.pins == 0
    f = _finding(ctx, visit)
    plans.pin_finding(ctx.db, f.id, plan.id, 1200.5, 800.25)
    [pin] = plans.pins(ctx.db, plan.id)
    assert (pin.label, pin.x, pin.y, pin.grade) == ("F001", 1200.5, 800.25, "B")
    assert plans.plan_for(ctx.db, project.id, "1#楼", "3F").pins == 1
    with pytest.raises(ValidationError, match="不在图纸内"):
        plans.pin_finding(ctx.db, f.id, plan.id, -5, 10)
    with pytest.raises(RuleViolation, match="已有平面图"):
        plans.import_plan(ctx.db, ctx.store, project.id, "1#楼", "3F", _plan_pdf(tmp_path / "again.pdf"))
    half = tmp_path / "half.png"
    Image.new("RGB", (plan.width // 2, plan.height // 2), "white").save(half)
    plans.import_plan(ctx.db, ctx.store, project.id, "1#楼", "3F", half, replace=True)
    [pin] = plans.pins(ctx.db, plan.id)
    assert pin.x == pytest.approx(600.25, abs=1) and pin.y == pytest.approx(400.1, abs=1)
    plans.pin_finding(ctx.db, f.id, None)
    assert plans.pins(ctx.db, plan.id) == []


def test_floor_plan_refuses_what_is_not_a_drawing(ctx, project, tmp_path):
    bad = tmp_path / "plan.dwg"
    bad.write_bytes(b"AC1032" + b"\0" * 100)
    with pytest.raises(ValidationError, match="plan.dwg"):
        plans.import_plan(ctx.db, ctx.store, project.id, "1#楼", "3F", bad)
    with pytest.raises(ValidationError, match="没有第 3 页"):
        plans.import_plan(ctx.db, ctx.store, project.id, "1#楼", "3F", _plan_pdf(tmp_path / "p.pdf"), page=3)
    with pytest.raises(ValidationError, match="楼栋"):
        plans.import_plan(ctx.db, ctx.store, project.id, "9#楼", "3F", _plan_pdf(tmp_path / "q.pdf"))


def test_a_finding_recorded_on_a_floor_plan_is_pinned_in_the_same_write(ctx, project, visit, tmp_path):
    plan = plans.import_plan(ctx.db, ctx.store, project.id, "1#楼", "3F", _plan_pdf(tmp_path / "3F.pdf"))
    fields = dict(coverage="WPI-2", division="01", grade="B", description="外墙窗台渗水")
    with pytest.raises(ValidationError, match="“2#楼”不是图钉所在图纸的单体：图纸为 1#楼 3F") as refused:
        plans.record_on_plan(ctx.db, visit.id, plan.id, 300, 200, building="2#楼", **fields)
    assert refused.value.field == "finding.building"
    with pytest.raises(ValidationError, match="不在图纸内"):
        plans.record_on_plan(ctx.db, visit.id, plan.id, plan.width + 1, 200, building="1#楼", **fields)
    assert findings.list_findings(ctx.db, project.id) == []  # nothing recorded by a refused write
    f = plans.record_on_plan(ctx.db, visit.id, plan.id, 300.5, 200.25, building="1#楼", **fields)
    assert (f.building, f.floor) == ("1#楼", "3F")  # an empty floor takes the drawing's
    assert plans.pin_of(ctx.db, f.id) == (plan.id, 300.5, 200.25)
    [pin] = plans.pins(ctx.db, plan.id)
    assert pin.label == f.label


def _shot(tmp_path: Path, name: str, at: datetime) -> Path:
    img = Image.new("RGB", (64, 48), (hash(name) % 255, 90, 120))
    exif = Image.Exif()
    exif[0x8769] = {0x9003: at.strftime("%Y:%m:%d %H:%M:%S")}
    path = tmp_path / name
    img.save(path, "JPEG", exif=exif)
    return path


def test_photos_are_matched_to_findings_by_time_taken(ctx, visit, tmp_path):
    first, second = _finding(ctx, visit, "一"), _finding(ctx, visit, "二")
    t0 = datetime(2025, 5, 20, 9, 30)
    shots = [_shot(tmp_path, f"a{i}.jpg", t0 + timedelta(seconds=20 * i)) for i in range(3)]
    shots += [_shot(tmp_path, f"b{i}.jpg", t0 + timedelta(minutes=8, seconds=15 * i)) for i in range(2)]
    shots.append(_shot(tmp_path, "c.jpg", t0 + timedelta(minutes=20)))
    list(photos.import_photos(ctx.db, ctx.store, shots, visit_id=visit.id))
    # written up after the walk: bursts in order
    proposal = photo_matching.propose(ctx.db, visit.id)
    assert [len(b.photos) for b in proposal.bursts] == [3, 2, 1]
    assert [b.finding_label for b in proposal.bursts] == ["F001", "F002", None]
    # entered on site during the walk: nearest in time wins
    with ctx.db.write() as s:
        s.get(Finding, second.id).created_at = t0 + timedelta(minutes=1) - photo_matching.SITE_OFFSET
        s.get(Finding, first.id).created_at = t0 + timedelta(minutes=9) - photo_matching.SITE_OFFSET
    proposal = photo_matching.propose(ctx.db, visit.id)
    assert [b.finding_label for b in proposal.bursts[:2]] == ["F002", "F001"]
    assert proposal.bursts[0].how == "时间最近"
    moved = photo_matching.assign_photos(ctx.db, [p.id for p in proposal.bursts[0].photos], second.id)
    assert moved == 3 and len(photos.list_photos(ctx.db, finding_id=second.id)) == 3
    assert [len(b.photos) for b in photo_matching.propose(ctx.db, visit.id).bursts] == [2, 1]


def test_settings_round_trip_upgrade_and_bad_file(tmp_path):
    assert load_settings(tmp_path) == Settings()
    s = Settings().with_changes(inspector_name=" 王建国 ", language="en")
    save_settings(tmp_path, s)
    assert load_settings(tmp_path).inspector_name == "王建国"
    with pytest.raises(ValidationError, match="语言"):
        s.with_changes(language="fr")
    (tmp_path / "settings.json").write_text(json.dumps({"name": "李四"}), "utf-8")  # version 0
    assert load_settings(tmp_path).inspector_name == "李四"
    (tmp_path / "settings.json").write_text("{broken", "utf-8")
    assert load_settings(tmp_path) == Settings()
    assert (tmp_path / "settings.unreadable.json").exists()
