"""The demo project's floor plan (1#楼 地下二层) drawn with Pillow, its findings pinned on it,
and markup on a few photos, so every screen of the demo has something to show."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from ..models.db import Database
from ..photos import PhotoStore
from ..values import dto
from . import findings, markup, photos, plans
from .demo_photos import demo_font

W, H = 3000, 2000
X_AXES = [300 + i * 300 for i in range(9)]  # ① .. ⑨
Y_AXES = [350 + i * 300 for i in range(5)]  # A .. E


def draw_plan(path: Path, title: str) -> Path:
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    small, mid, big = demo_font(34), demo_font(44), demo_font(64)
    for i, x in enumerate(X_AXES):  # axis lines with numbered bubbles
        d.line([(x, 200), (x, H - 260)], fill=(170, 170, 170), width=2)
        d.ellipse([x - 36, 120, x + 36, 192], outline="black", width=3)
        d.text((x, 156), str(i + 1), font=small, fill="black", anchor="mm")
    for i, y in enumerate(Y_AXES):
        d.line([(200, y), (W - 260, y)], fill=(170, 170, 170), width=2)
        d.ellipse([120, y - 36, 192, y + 36], outline="black", width=3)
        d.text((156, y), "ABCDE"[i], font=small, fill="black", anchor="mm")
    d.rectangle([X_AXES[0], Y_AXES[0], X_AXES[-1], Y_AXES[-1]], outline="black", width=14)  # outer walls
    d.rectangle([X_AXES[3], Y_AXES[1], X_AXES[5], Y_AXES[3]], outline="black", width=10, fill=(236, 236, 236))
    d.text(((X_AXES[3] + X_AXES[5]) / 2, (Y_AXES[1] + Y_AXES[3]) / 2 - 40), "核心筒", font=mid, fill="black",
           anchor="mm")
    d.text(((X_AXES[3] + X_AXES[5]) / 2, (Y_AXES[1] + Y_AXES[3]) / 2 + 30), "楼梯间 / 电梯井", font=small,
           fill="black", anchor="mm")
    for col in (0, 1, 2, 6, 7):  # parking bays
        for row in (0, 3):
            x0, y0 = X_AXES[col] + 20, Y_AXES[row] + 30
            for k in range(3):
                d.rectangle([x0 + k * 88, y0, x0 + k * 88 + 80, y0 + 240], outline=(120, 160, 200), width=3)
    d.text((X_AXES[1], (Y_AXES[1] + Y_AXES[3]) / 2), "车道", font=mid, fill=(90, 90, 90), anchor="mm")
    d.text((X_AXES[7], (Y_AXES[1] + Y_AXES[3]) / 2), "设备用房", font=mid, fill=(90, 90, 90), anchor="mm")
    d.text((X_AXES[4] - 50, (Y_AXES[0] + Y_AXES[1]) / 2), "集水坑", font=small, fill=(30, 90, 160), anchor="mm")
    d.rectangle([X_AXES[4] - 110, Y_AXES[0] + 110, X_AXES[4] + 10, Y_AXES[0] + 200], outline=(30, 90, 160), width=4)
    d.text((W / 2, H - 170), title, font=big, fill="black", anchor="mm")
    d.text((W / 2, H - 95), "演示图纸 DEMO · 比例 1:100", font=small, fill=(110, 110, 110), anchor="mm")
    img.save(path, "PNG")
    return path


def add_plan_and_markup(db: Database, store: PhotoStore, detail: dto.ProjectDetail, tmp: Path) -> None:
    rows = findings.list_findings(db, detail.id)
    on_floor = [f for f in rows if f.building == "1#楼" and f.floor == "B2"]
    if on_floor:
        plan = plans.import_plan(db, store, detail.id, "1#楼", "B2",
                                 draw_plan(tmp / "1#楼-B2.png", "1#楼 地下二层平面图"))
        spots = [(2, 1.5), (7.4, 3.3), (4.3, 0.5), (1.2, 3.6), (6.5, 1.2), (8.3, 2.4)]
        for f, (ax, ay) in zip(on_floor, spots, strict=False):
            x = X_AXES[0] + ax * 300
            y = Y_AXES[0] + ay * 300
            plans.pin_finding(db, f.id, plan.id, x * plan.width / W, y * plan.height / H)
    marked = 0
    for f in rows:
        shots = [p for p in photos.list_photos(db, finding_id=f.id) if p.role == "before"]
        if not shots or marked >= 3:
            continue
        markup.set_markup(db, shots[0].id, [
            {"kind": "ellipse", "points": [[0.34, 0.30], [0.66, 0.62]], "color": "#E53935", "width": 0.006},
            {"kind": "arrow", "points": [[0.86, 0.12], [0.67, 0.33]], "color": "#FDD835", "width": 0.007},
            {"kind": "text", "points": [[0.62, 0.05]], "text": f"{f.label} 问题部位", "color": "#FDD835",
             "width": 0.006}])
        marked += 1
