"""Floor plans (楼层平面图): one drawing per building and floor, on which findings are pinned.

The drawing is stored as an image in the content-addressed store (a PDF page is rendered
once at import); pins are kept in the drawing's own pixel coordinates, so they stay put
whatever the zoom of the viewer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Audited, Base, utcnow


class FloorPlan(Audited, Base):
    __tablename__ = "floor_plan"
    __table_args__ = (UniqueConstraint("building_id", "floor"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"))
    floor: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int]
    height: Mapped[int]
    source_name: Mapped[str] = mapped_column(String(260))
    source_page: Mapped[int | None]
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str | None] = mapped_column(String(60))
