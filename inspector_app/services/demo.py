"""The demo project: a Beijing residential project with three buildings, a dozen visits and
about sixty findings in every grade and status, made through the same services as real work
(so the audit log, the photo store and every rule apply). Content: resources/demo/."""

from __future__ import annotations

import json
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..models import Project
from ..models.db import Database
from ..paths import resource_path
from ..photos import PhotoStore
from ..values import dto
from . import findings, photos, projects, visits
from .demo_photos import make_photo
from .demo_plan import add_plan_and_markup

SITE_GPS = (39.7265, 116.3412)


def load_demo() -> dict[str, Any]:
    return dict(json.loads(resource_path("demo", "demo_project.json").read_text(encoding="utf-8")))


def create_demo(db: Database, store: PhotoStore) -> dto.ProjectDetail:
    """Create the demo project unless it is already there; returns it either way."""
    data = load_demo()
    code = data["spec"]["project"]["code"]
    with db.read() as s:
        existing = s.execute(select(Project.id).where(Project.code == code)).scalar()
    if existing is not None:
        return projects.get_project(db, existing)
    previous, db.actor = db.actor, data["spec"]["agency"]["inspectors"][0]["name"]  # the demo's inspector
    try:
        detail = projects.create_project(db, data["spec"])
        with tempfile.TemporaryDirectory(prefix="idi-demo-") as tmp:
            _populate(db, store, detail, data, Path(tmp))
    finally:
        db.actor = previous
    return projects.get_project(db, detail.id)


def _populate(db: Database, store: PhotoStore, detail: dto.ProjectDetail, data: dict[str, Any], tmp: Path) -> None:
    visit_ids: list[int] = []
    visit_days: list[date] = []
    for n, v in enumerate(data["visits"], start=1):
        started = datetime.combine(date.fromisoformat(v["date"]), time.fromisoformat(v.get("time", "09:00")))
        info = visits.start_visit(db, detail.id, started, node_codes=v["nodes"], inspectors=v.get("inspectors"),
                                  weather=v.get("weather"), temperature_c=v.get("temperature_c"),
                                  attendees=v.get("attendees"), progress=v.get("progress"), summary=v.get("summary"))
        visit_ids.append(info.id)
        visit_days.append(started.date())
        shot = make_photo(tmp / f"visit{n}.jpg", scene="generic", label=f"第{n}次巡查 现场概况",
                          taken_at=started + timedelta(minutes=5), seed=1000 + n, gps=SITE_GPS)
        list(photos.import_photos(db, store, [shot], visit_id=info.id, role="general", caption="现场概况", workers=1))
    for i, f in enumerate(data["findings"], start=1):
        _finding(db, store, f, i, visit_ids, visit_days, tmp)
    add_plan_and_markup(db, store, detail, tmp)


def _finding(db: Database, store: PhotoStore, f: dict[str, Any], i: int, visit_ids: list[int],
             visit_days: list[date], tmp: Path) -> None:
    vi = f["visit"] - 1
    found = visit_days[vi]
    deadline = found + timedelta(days=f["deadline_days"]) if f.get("deadline_days") else None
    info = findings.record_finding(
        db, visit_ids[vi], building=f["building"], coverage=f["coverage"], division=f["division"],
        subdivision=f.get("subdivision"), grade=f["grade"], description=f["description"], floor=f.get("floor"),
        location=f.get("location"), risk=f.get("risk"), clause=f.get("clause"), requirement=f.get("requirement"),
        deadline=deadline, responsible=f.get("responsible"))
    taken = datetime.combine(found, time(10, 0)) + timedelta(minutes=3 * i)
    files = [make_photo(tmp / f"f{i}-{k}.jpg", scene=p.get("scene", "generic"), label=f"{info.label} {p.get('caption', '')}",
                        taken_at=taken + timedelta(seconds=20 * k), seed=i * 10 + k, gps=SITE_GPS)
             for k, p in enumerate(f.get("photos", []))]
    if files:
        list(photos.import_photos(db, store, files, finding_id=info.id, role="before",
                                  caption=f.get("photos", [{}])[0].get("caption"), workers=1))
    outcome = f.get("outcome", {"status": "open"})
    reply = outcome.get("reply")
    if reply:
        findings.reply_rectification(db, info.id, reply["text"], replied_on=found + timedelta(days=reply["after_days"]))
    check = outcome.get("verify")
    if check:
        day = visit_days[check["visit"] - 1]
        if check["result"] == "accepted":
            scene = (f.get("photos") or [{"scene": "generic"}])[0].get("scene", "generic")
            after = make_photo(tmp / f"f{i}-after.jpg", scene=scene, label=f"{info.label} 整改后", repaired=True,
                               taken_at=datetime.combine(day, time(14, 0)) + timedelta(minutes=i), seed=i * 10 + 9,
                               gps=SITE_GPS)
            list(photos.import_photos(db, store, [after], finding_id=info.id, role="after", caption="整改后复查",
                                      workers=1))
        inspectors = visits.get_visit(db, visit_ids[check["visit"] - 1]).inspectors
        findings.verify_rectification(db, info.id, check["result"], verified_on=day,
                                      inspector=inspectors[0] if inspectors else None,
                                      visit_id=visit_ids[check["visit"] - 1], notes=check.get("notes"),
                                      grade_now=check.get("grade_now"))
    if outcome.get("status") == "closed":
        findings.close_finding(db, info.id, outcome.get("reason", "经复核关闭"))
