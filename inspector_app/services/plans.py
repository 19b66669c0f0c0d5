"""Floor plans per building and floor, and findings pinned on them.

A drawing arrives as an image (JPEG/PNG) or a PDF page; a PDF page is rendered once, at
import, to a PNG of at most ``PLAN_LONG_SIDE`` pixels and stored like a photo (content
addressed, never modified). Pins are kept in that image's pixel coordinates.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, PhotoRejected, RuleViolation, ValidationError
from ..messages import phrase
from ..models import Building, Finding, FloorPlan
from ..models.db import Database
from ..photos import PhotoStore
from ..values import dto
from .findings import finding_info, record_in
from .projects import resolve_project
from .visits import resolve_visit

PLAN_LONG_SIDE = 6000


def _render_pdf_page(path: Path, page: int, out: Path) -> None:
    import pypdfium2 as pdfium  # lazily: only plan import needs it

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ValidationError("plan.file", "plan.unreadable_pdf", name=path.name, detail=str(exc)) from None
    try:
        if not 1 <= page <= len(pdf):
            raise ValidationError("plan.page", "plan.no_such_page", name=path.name, pages=len(pdf), page=page)
        pg = pdf[page - 1]
        width, height = pg.get_size()  # points
        scale = min(PLAN_LONG_SIDE / max(width, height), 300 / 72)
        pg.render(scale=scale).to_pil().convert("RGB").save(out, "PNG", optimize=False)
    finally:
        pdf.close()


def _building(s: Session, project_id: int, name: str) -> Building:
    b = s.execute(select(Building).where(Building.project_id == project_id, Building.name == name)).scalars().first()
    if b is None:
        raise ValidationError("plan.building", "plan.unknown_building", name=name)
    return b


def import_plan(db: Database, store: PhotoStore, project_key: str | int, building: str, floor: str,
                path: Path | str, *, page: int = 1, replace: bool = False) -> dto.FloorPlanInfo:
    """Store a drawing for one building and floor. PDF: the given page (1-based)."""
    src = Path(path)
    floor = floor.strip()
    if not floor:
        raise ValidationError("plan.floor", "plan.floor_required")
    try:
        head = src.read_bytes()[:8]
    except OSError as exc:
        raise ValidationError("plan.file", "file.unreadable", name=src.name, detail=exc.strerror or str(exc)) from None
    with tempfile.TemporaryDirectory(prefix="plan-") as tmp:
        image = src
        if head.startswith(b"%PDF"):
            image = Path(tmp) / f"{src.stem}-p{page}.png"
            _render_pdf_page(src, page, image)
        try:
            stored = store.ingest(image)
        except PhotoRejected as exc:
            raise ValidationError("plan.file", "plan.bad_image", name=src.name,
                                  reason=phrase(exc.key, **exc.params)) from None
    with db.write() as s:
        project = resolve_project(s, project_key)
        b = _building(s, project.id, building)
        row = s.execute(select(FloorPlan).where(FloorPlan.building_id == b.id,
                                                FloorPlan.floor == floor)).scalars().first()
        if row is not None and not replace:
            raise RuleViolation("plan.exists", building=building, floor=floor)
        if row is None:
            row = FloorPlan(project_id=project.id, building_id=b.id, floor=floor)
            s.add(row)
        elif (row.width, row.height) != (stored.width, stored.height):
            _rescale_pins(s, row, stored.width, stored.height)
        row.sha256, row.width, row.height = stored.sha256, stored.width, stored.height
        row.source_name, row.source_page = src.name, page if image is not src else None
        row.imported_by = db.actor
        s.flush()
        return _info(s, row, b.name)


def _rescale_pins(s: Session, plan: FloorPlan, width: int, height: int) -> None:
    """A replaced drawing of another size keeps its pins at the same relative place."""
    pins = s.execute(select(Finding).where(Finding.plan_id == plan.id)).scalars()
    for f in pins:
        f.pin_x = (f.pin_x or 0) * width / plan.width
        f.pin_y = (f.pin_y or 0) * height / plan.height


def _info(s: Session, row: FloorPlan, building: str) -> dto.FloorPlanInfo:
    pins = s.execute(select(func.count()).where(Finding.plan_id == row.id)).scalar_one()
    return dto.FloorPlanInfo(row.id, row.project_id, building, row.floor, row.sha256, row.width, row.height,
                             row.source_name, row.source_page, int(pins))


def list_plans(db: Database, project_key: str | int) -> list[dto.FloorPlanInfo]:
    with db.read() as s:
        project = resolve_project(s, project_key)
        rows = s.execute(select(FloorPlan, Building.name).join(Building, FloorPlan.building_id == Building.id)
                         .where(FloorPlan.project_id == project.id)
                         .order_by(Building.sort_order, Building.name, FloorPlan.floor)).all()
        return [_info(s, plan, name) for plan, name in rows]


def plan_for(db: Database, project_key: str | int, building: str, floor: str | None) -> dto.FloorPlanInfo | None:
    """The drawing a finding on this building and floor would be pinned to, if there is one."""
    return next((p for p in list_plans(db, project_key) if p.building == building and p.floor == (floor or "")), None)


def pins(db: Database, plan_id: int) -> list[dto.PinInfo]:
    with db.read() as s:
        rows = s.execute(select(Finding).where(Finding.plan_id == plan_id).order_by(Finding.number)).scalars()
        return [dto.PinInfo(f.id, f"F{f.number:03d}", f.grade_now, f.status, f.is_serious, float(f.pin_x or 0),
                            float(f.pin_y or 0), f.description) for f in rows]


def pin_finding(db: Database, finding_id: int, plan_id: int | None, x: float = 0.0,
                y: float = 0.0) -> dto.FindingInfo:
    """Place (or with ``plan_id=None`` remove) a finding's pin, in drawing pixels."""
    with db.write() as s:
        f = s.get(Finding, finding_id)
        if f is None:
            raise NotFound("finding", finding_id)
        if plan_id is None:
            f.plan_id = f.pin_x = f.pin_y = None
        else:
            plan = s.get(FloorPlan, plan_id)
            if plan is None or plan.project_id != f.project_id:
                raise NotFound("plan", plan_id)
            if not (0 <= x <= plan.width and 0 <= y <= plan.height):
                raise ValidationError("plan.pin", "plan.pin_outside", x=x, y=y, width=plan.width, height=plan.height)
            f.plan_id, f.pin_x, f.pin_y = plan.id, round(x, 2), round(y, 2)
        s.flush()
        return finding_info(s, f)


def record_on_plan(db: Database, visit_id: int, plan_id: int, x: float, y: float,
                   **fields: Any) -> dto.FindingInfo:
    """A new finding (``findings.record_finding``'s fields) pinned at (x, y) of a drawing, in one
    write: the finding must be on the drawing's building, the point inside the drawing; an empty
    floor takes the drawing's."""
    with db.write() as s:
        plan = s.get(FloorPlan, plan_id)
        if plan is None or plan.project_id != resolve_visit(s, visit_id).project_id:
            raise NotFound("plan", plan_id)
        building = s.get(Building, plan.building_id)
        assert building is not None
        if fields.get("building") != building.name:
            raise ValidationError("finding.building", "plan.pin_other_building", building=fields.get("building"),
                                  plan_building=building.name, plan_floor=plan.floor)
        if not (0 <= x <= plan.width and 0 <= y <= plan.height):
            raise ValidationError("plan.pin", "plan.pin_outside", x=x, y=y, width=plan.width, height=plan.height)
        fields["floor"] = fields.get("floor") or plan.floor
        info = record_in(s, db.actor, visit_id, **fields)
        f = s.get(Finding, info.id)
        assert f is not None
        f.plan_id, f.pin_x, f.pin_y = plan.id, round(x, 2), round(y, 2)
        s.flush()
        return finding_info(s, f)


def pin_of(db: Database, finding_id: int) -> tuple[int, float, float] | None:
    with db.read() as s:
        f = s.get(Finding, finding_id)
        if f is None:
            raise NotFound("finding", finding_id)
        return None if f.plan_id is None else (f.plan_id, float(f.pin_x or 0), float(f.pin_y or 0))
