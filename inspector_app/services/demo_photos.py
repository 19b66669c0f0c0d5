"""Illustrative site photos for the demo project, drawn with Pillow: concrete, cracks, rebar,
membranes, stains, insulation, windows. Each is marked 演示 so nobody mistakes it for evidence."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ..paths import resource_path

SIZE = (1600, 1200)
BASE_COLORS = {"crack": (150, 150, 146), "concrete": (160, 158, 150), "rebar": (120, 118, 112),
               "membrane": (60, 60, 64), "leak": (175, 172, 165), "insulation": (228, 226, 215),
               "window": (196, 190, 180), "generic": (150, 145, 135)}


def _texture(rng: random.Random, color: tuple[int, int, int]) -> Image.Image:
    """Blotchy shaded concrete: composed at a quarter of the size and scaled up (smooth anyway, and
    the demo is built on first start, so each photo should cost milliseconds, not a tenth of a second)."""
    small = (SIZE[0] // 4, SIZE[1] // 4)
    noise = Image.effect_noise(small, 40).filter(ImageFilter.GaussianBlur(0.5))
    shade = Image.linear_gradient("L").resize(small).rotate(rng.choice([0, 90, 180, 270]))
    base = Image.composite(Image.new("RGB", small, color), Image.new("RGB", small, tuple(int(c * 0.8) for c in color)),
                           shade)
    return Image.blend(base, Image.merge("RGB", (noise, noise, noise)), 0.18).resize(SIZE, Image.Resampling.BILINEAR)


def _draw_scene(img: Image.Image, scene: str, rng: random.Random, repaired: bool) -> None:
    d = ImageDraw.Draw(img)
    w, h = SIZE
    if scene == "crack" and not repaired:
        x, y = rng.randint(300, 600), 80
        pts = [(x, y)]
        while y < h - 150:
            x += rng.randint(-40, 40)
            y += rng.randint(30, 70)
            pts.append((x, y))
        d.line(pts, fill=(45, 42, 40), width=5)
    elif scene == "rebar":
        for i in range(120, w, 110):
            d.line([(i, 0), (i + 30, h)], fill=(126, 70, 40), width=16)
        for j in range(100, h, 120):
            d.line([(0, j), (w, j + 20)], fill=(140, 78, 44), width=14)
        if not repaired:
            d.rectangle([w // 2 - 90, h // 2 - 60, w // 2 + 90, h // 2 + 60], outline=(230, 30, 30), width=8)
    elif scene == "membrane":
        d.polygon([(0, h * 0.55), (w, h * 0.45), (w, h), (0, h)], fill=(30, 30, 34))
        if not repaired:
            d.polygon([(w * 0.4, h * 0.52), (w * 0.55, h * 0.5), (w * 0.5, h * 0.7)], fill=(150, 140, 120))
    elif scene == "leak" and not repaired:
        for _ in range(6):
            cx, cy, r = rng.randint(400, 1200), rng.randint(200, 800), rng.randint(90, 220)
            d.ellipse([cx - r, cy - r * 0.7, cx + r, cy + r * 0.7], fill=(120, 112, 95))
    elif scene == "insulation":
        for i in range(0, w, 400):
            for j in range(0, h, 300):
                d.rectangle([i + 4, j + 4, i + 396, j + 296], outline=(190, 185, 170), width=4)
                if repaired or rng.random() > 0.3:
                    d.ellipse([i + 190, j + 140, i + 210, j + 160], fill=(90, 90, 90))
    elif scene == "window":
        d.rectangle([350, 200, 1250, 1000], outline=(240, 240, 240), width=40)
        d.line([(800, 200), (800, 1000)], fill=(240, 240, 240), width=30)
        if not repaired:
            d.line([(330, 1010), (1270, 1010)], fill=(110, 90, 70), width=24)
    elif scene == "concrete" and not repaired:
        for _ in range(220):
            cx, cy = rng.randint(500, 1100), rng.randint(350, 850)
            r = rng.randint(4, 16)
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(70, 68, 64))


def demo_font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """The shipped CJK font first, so the demo looks the same on every machine."""
    for path in (str(resource_path("fonts", "wqy-microhei.ttc")), "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                 "C:/Windows/Fonts/msyh.ttc"):
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def make_photo(path: Path, *, scene: str, label: str, taken_at: datetime, seed: int, repaired: bool = False,
               gps: tuple[float, float] | None = None) -> Path:
    """Write one demo JPEG with EXIF time, camera and GPS."""
    rng = random.Random(seed)
    img = _texture(rng, BASE_COLORS.get(scene, BASE_COLORS["generic"]))
    _draw_scene(img, scene, rng, repaired)
    d = ImageDraw.Draw(img)
    d.rectangle([0, SIZE[1] - 90, SIZE[0], SIZE[1]], fill=(20, 20, 20))
    d.text((30, SIZE[1] - 78), f"演示照片 DEMO  {label}", font=demo_font(48), fill=(255, 255, 255))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "IDI Demo", "Site Camera"
    exif[0x0132] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8769)[0x9003] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: _dms(gps[0]), 3: "E", 4: _dms(gps[1])})
    img.save(path, "JPEG", quality=85, exif=exif)
    return path


def _dms(value: float) -> tuple[float, float, float]:
    deg = int(value)
    minutes = int((value - deg) * 60)
    seconds = round(((value - deg) * 60 - minutes) * 60, 2)
    return (float(deg), float(minutes), seconds)
