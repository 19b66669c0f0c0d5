"""The demo project: a Beijing residential project with three buildings, about monthly visits from
start-up to unit-by-unit acceptance (N01..N18; completion not yet reached) and about sixty findings
in every grade and status, made through the same services as real work (so the audit log, the
photo store and every rule apply). Content: resources/demo/.

A finding's ``outcome`` lists its ``steps`` in order: ``reply`` (days after it was found) and
``verify`` (the re-check in a later visit, by an inspector on that visit; an accepted one comes with
an after-photo of its own taken that day, and ``grade_now``, the residual risk)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..errors import Cancelled
from ..models import Project
from ..models.db import Database
from ..paths import resource_path
from ..photos import PhotoStore
from ..values import dto
from . import (
    checklists,
    document_reviews,
    findings,
    inspection_plan,
    photos,
    project_lifecycle,
    projects,
    visits,
)
from .demo_photos import make_photo
from .demo_plan import add_plan_and_markup

SITE_GPS = (39.7265, 116.3412)
AFTER_SEED = 100_000  # seeds of after-photos: apart from before-photos (finding * 10 + k) and visits (1000 + n)


def load_demo() -> dict[str, Any]:
    return dict(json.loads(resource_path("demo", "demo_project.json").read_text(encoding="utf-8")))


Progress = Callable[[int, int, str], None]


def demo_steps(data: dict[str, Any]) -> int:
    """How many ``progress`` steps ``create_demo`` reports: each visit, each finding, then the
    checklists, the document reviews and the floor plan."""
    return len(data["visits"]) + len(data["findings"]) + 3


def create_demo(db: Database, store: PhotoStore, progress: Progress | None = None,
                cancel: Callable[[], bool] | None = None) -> dto.ProjectDetail:
    """Create the demo project unless it is already there; returns it either way.

    ``progress(done, total, stage)`` after each step (stage: "visit", "finding", "checklist",
    "document", "plan"); ``cancel()`` true stops it with ``Cancelled`` between two steps, leaving
    the part made so far (services/demo_install.py builds it apart, so a part is never seen)."""
    data = load_demo()
    code = data["spec"]["project"]["code"]
    with db.read() as s:
        existing = s.execute(select(Project.id).where(Project.code == code)).scalar()
    if existing is not None:
        return projects.get_project(db, existing)
    previous, db.actor = db.actor, data["spec"]["agency"]["inspectors"][0]["name"]  # the demo's inspector
    try:
        detail = projects.create_project(db, data["spec"])
        project_lifecycle.mark_demo(db, detail.id)  # before anything is recorded: never queued for sync
        _plan(db, detail, data)
        with tempfile.TemporaryDirectory(prefix="idi-demo-") as tmp:
            _populate(db, store, detail, data, Path(tmp), _Steps(demo_steps(data), progress, cancel))
    finally:
        db.actor = previous
    return projects.get_project(db, detail.id)


def _plan(db: Database, detail: dto.ProjectDetail, data: dict[str, Any]) -> None:
    """The developer's confirmation of the plan (unless the spec states it) and key processes."""
    plan = data.get("plan")
    if plan and not data["spec"].get("plan"):
        inspection_plan.confirm_plan(db, detail.id, date.fromisoformat(plan["confirmed_on"]), plan["confirmed_by"])
        inspection_plan.set_key_processes(db, detail.id, plan["key_processes"])


class _Steps:
    """Counts the demo's steps for ``progress`` and stops at the next one once ``cancel`` says so."""

    def __init__(self, total: int, progress: Progress | None, cancel: Callable[[], bool] | None) -> None:
        self.done, self.total, self.progress, self.cancel = 0, total, progress, cancel

    def __call__(self, stage: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, stage)
        if self.cancel is not None and self.cancel():
            raise Cancelled()


def _populate(db: Database, store: PhotoStore, detail: dto.ProjectDetail, data: dict[str, Any], tmp: Path,
              step: _Steps) -> None:
    visit_ids: list[int] = []
    visit_days: list[date] = []
    nodes = {n.code: n.id for n in detail.nodes}
    notified: set[str] = set()
    for n, v in enumerate(data["visits"], start=1):
        started = datetime.combine(date.fromisoformat(v["date"]), time.fromisoformat(v.get("time", "09:00")))
        for code in v["nodes"]:  # the developer's notice of a node (Art. 17), a few days before its first visit
            if code not in notified:
                notified.add(code)
                inspection_plan.record_notification(db, nodes[code], started.date() - timedelta(days=v.get("notice_days", 5)))
        info = visits.start_visit(db, detail.id, started, node_codes=v["nodes"], inspectors=v["inspectors"],
                                  weather=v.get("weather"), temperature_c=v.get("temperature_c"),
                                  attendees=v.get("attendees"), progress=v.get("progress"), summary=v.get("summary"))
        visit_ids.append(info.id)
        visit_days.append(started.date())
        shot = make_photo(tmp / f"visit{n}.jpg", scene="generic", label=f"第{n}次巡查 现场概况",
                          taken_at=started + timedelta(minutes=5), seed=1000 + n, gps=SITE_GPS)
        list(photos.import_photos(db, store, [shot], visit_id=info.id, role="general", caption="现场概况", workers=1))
        step("visit")
    people = [list(v["inspectors"]) for v in data["visits"]]
    for i, f in enumerate(data["findings"], start=1):
        _finding(db, store, f, i, visit_ids, visit_days, people, tmp)
        step("finding")
    _checklists(db, store, detail, data, visit_ids, visit_days, tmp)
    step("checklist")
    _documents(db, detail, data, visit_ids)
    step("document")
    add_plan_and_markup(db, store, detail, tmp)
    step("plan")


def _checklists(db: Database, store: PhotoStore, detail: dto.ProjectDetail, data: dict[str, Any],
                visit_ids: list[int], visit_days: list[date], tmp: Path) -> None:
    """The check items marked in the visits that list them; a 不符合 is linked to the finding the
    inspector had already written up for it (by its number)."""
    ids = {f.number: f.id for f in findings.list_findings(db, detail.id)}
    for n, v in enumerate(data["visits"], start=1):
        for k, (item, mark) in enumerate(v.get("checklist", {}).items()):
            fields: dict[str, Any] = {"value": mark.get("value"), "note": mark.get("note"),
                                      "finding_id": ids[mark["finding"]] if "finding" in mark else None}
            if mark.get("photo"):
                shot = make_photo(tmp / f"check-{n}-{k}.jpg", scene=mark["photo"], label=f"{item} 检查要点",
                                  taken_at=datetime.combine(visit_days[n - 1], time(11, 0)) + timedelta(minutes=k),
                                  seed=5000 + n * 10 + k, gps=SITE_GPS)
                checklists.set_item_with_photo(db, store, visit_ids[n - 1], item, mark["result"], shot, **fields)
            else:
                checklists.set_item(db, visit_ids[n - 1], item, mark["result"], **fields)


def _documents(db: Database, detail: dto.ProjectDetail, data: dict[str, Any], visit_ids: list[int]) -> None:
    """The documents and test reports reviewed (资料核查); a missing or failed one is linked to the
    finding the inspector wrote up for it (by its number), so the demo's findings stay as they are."""
    ids = {f.number: f.id for f in findings.list_findings(db, detail.id)}
    for n, v in enumerate(data["visits"], start=1):
        for doc in v.get("documents", []):
            document_reviews.record_document_review(
                db, visit_ids[n - 1], doc["name"], doc["result"], kind=doc.get("kind", "document"),
                reference=doc.get("reference"), note=doc.get("note"),
                finding_id=ids[doc["finding"]] if "finding" in doc else None)


def _finding(db: Database, store: PhotoStore, f: dict[str, Any], i: int, visit_ids: list[int],
             visit_days: list[date], people: list[list[str]], tmp: Path) -> None:
    vi = f["visit"] - 1
    found = visit_days[vi]
    deadline = found + timedelta(days=f["deadline_days"]) if f.get("deadline_days") else None
    info = findings.record_finding(
        db, visit_ids[vi], building=f["building"], coverage=f["coverage"], division=f["division"],
        subdivision=f.get("subdivision"), grade=f["grade"], description=f["description"], floor=f.get("floor"),
        location=f.get("location"), risk=f.get("risk"), clause=f.get("clause"), requirement=f.get("requirement"),
        deadline=deadline, responsible=f.get("responsible"))
    shots = f.get("photos", [])
    taken = datetime.combine(found, time(10, 0)) + timedelta(minutes=3 * i)
    files = [make_photo(tmp / f"f{i}-{k}.jpg", scene=p.get("scene", "generic"), label=f"{info.label} {p.get('caption', '')}",
                        taken_at=taken + timedelta(seconds=20 * k), seed=i * 10 + k, gps=SITE_GPS)
             for k, p in enumerate(shots)]
    if files:
        list(photos.import_photos(db, store, files, finding_id=info.id, role="before",
                                  caption=shots[0].get("caption"), workers=1))
    outcome = f.get("outcome", {"status": "open"})
    for n, step in enumerate(outcome.get("steps", [])):
        if "reply" in step:
            reply = step["reply"]
            findings.reply_rectification(db, info.id, reply["text"], replied_on=found + timedelta(days=reply["after_days"]))
            continue
        check = step["verify"]
        k = check["visit"] - 1
        inspector = check.get("inspector") or people[k][0]
        if check["result"] == "accepted":
            scene = (shots or [{"scene": "generic"}])[0].get("scene", "generic")
            caption = check.get("photo_caption", "整改后复查")
            after = make_photo(tmp / f"f{i}-after{n}.jpg", scene=scene, label=f"{info.label} {caption}", repaired=True,
                               taken_at=datetime.combine(visit_days[k], time(14, 0)) + timedelta(minutes=i),
                               seed=AFTER_SEED + i * 10 + n, gps=SITE_GPS)
            list(photos.import_photos(db, store, [after], finding_id=info.id, role="after", caption=caption,
                                      workers=1))
        findings.verify_rectification(db, info.id, check["result"], verified_on=visit_days[k], inspector=inspector,
                                      visit_id=visit_ids[k], notes=check.get("notes"),
                                      grade_now=check.get("grade_now"))
    if outcome.get("status") == "closed":
        findings.close_finding(db, info.id, outcome.get("reason", "经复核关闭"))
