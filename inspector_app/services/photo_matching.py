"""Match a visit's photos to its findings by the time they were taken.

On site the inspector shoots a defect from a few angles, walks on, shoots the next one.
So photos fall into bursts separated by gaps; each burst is one finding. When the
findings were entered on the laptop during the walk, a burst goes to the finding entered
nearest in time; when they were written up afterwards, bursts go to findings in order.
The proposal is only a proposal: the inspector confirms it, then ``assign_photos`` moves them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from ..errors import NotFound, ValidationError
from ..models import Finding, Photo
from ..models.db import Database
from ..values import dto
from .photos import photo_info

SITE_OFFSET = timedelta(hours=8)  # findings' created_at is UTC; cameras show Beijing time
NEAR = timedelta(minutes=15)


@dataclass(frozen=True)
class Burst:
    photos: list[dto.PhotoInfo]
    finding_id: int | None = None
    finding_label: str | None = None
    how: str = ""  # "时间最近" | "按顺序" | ""

    @property
    def start(self) -> datetime | None:
        return self.photos[0].taken_at

    @property
    def end(self) -> datetime | None:
        return self.photos[-1].taken_at


@dataclass(frozen=True)
class MatchProposal:
    bursts: list[Burst]
    undated: list[dto.PhotoInfo] = field(default_factory=list)


def bursts(photos: list[dto.PhotoInfo], gap: timedelta = timedelta(seconds=90)) -> list[list[dto.PhotoInfo]]:
    dated = sorted((p for p in photos if p.taken_at), key=lambda p: (p.taken_at, p.id))
    groups: list[list[dto.PhotoInfo]] = []
    for p in dated:
        last = groups[-1][-1].taken_at if groups else None
        if last is None or p.taken_at is None or p.taken_at - last > gap:
            groups.append([p])
        else:
            groups[-1].append(p)
    return groups


def propose(db: Database, visit_id: int, gap_seconds: int = 90,
            photo_ids: set[int] | None = None) -> MatchProposal:
    """Bursts of the visit's unassigned photos (or of ``photo_ids`` among them: a card just
    imported), each with the finding it most likely shows."""
    with db.read() as s:
        rows = s.execute(select(Photo).where(Photo.visit_id == visit_id, Photo.finding_id.is_(None))
                         .order_by(Photo.taken_at, Photo.id)).scalars()
        photos = [photo_info(p) for p in rows if photo_ids is None or p.id in photo_ids]
        found = list(s.execute(select(Finding).where(Finding.visit_id == visit_id)
                               .order_by(Finding.number)).scalars())
        entered = [(f.id, f"F{f.number:03d}", f.created_at + SITE_OFFSET) for f in found]
    groups = bursts(photos, timedelta(seconds=gap_seconds))
    undated = [p for p in photos if p.taken_at is None]
    if not groups or not entered:
        return MatchProposal([Burst(g) for g in groups], undated)
    start, end = groups[0][0].taken_at, groups[-1][-1].taken_at
    assert start is not None and end is not None
    on_site = sum(start - NEAR <= at <= end + NEAR for _i, _l, at in entered) >= len(entered) / 2
    out: list[Burst] = []
    if on_site:
        for g in groups:
            first, last = g[0].taken_at, g[-1].taken_at
            assert first is not None and last is not None
            mid: datetime = first + (last - first) / 2
            fid, label, at = min(entered, key=lambda e: abs(e[2] - mid))
            out.append(Burst(g, fid, label, "时间最近") if abs(at - mid) <= NEAR else Burst(g))
    else:
        for i, g in enumerate(groups):
            out.append(Burst(g, entered[i][0], entered[i][1], "按顺序") if i < len(entered) else Burst(g))
    return MatchProposal(out, undated)


def assign_photos(db: Database, photo_ids: list[int], finding_id: int, role: str = "before") -> int:
    """Attach visit photos to a finding (same visit, same project). Returns how many moved."""
    with db.write() as s:
        f = s.get(Finding, finding_id)
        if f is None:
            raise NotFound("finding", finding_id)
        moved = 0
        for pid in photo_ids:
            p = s.get(Photo, pid)
            if p is None:
                raise NotFound("photo", pid)
            if p.project_id != f.project_id:
                raise ValidationError("photo", "photo.other_project", name=p.original_name)
            if p.finding_id not in (None, finding_id):
                raise ValidationError("photo", "photo.other_finding", name=p.original_name)
            if p.finding_id is None:
                p.finding_id, p.role = finding_id, role
                moved += 1
        return moved
