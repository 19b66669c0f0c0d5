"""Photo import benchmark: 200 generated 12-megapixel JPEGs.

Prints, from one run on this machine: the import through the database (what the inspector
waits for), the store alone, and the floors it competes with — plain read + SHA-256, and
Pillow's reduced-size JPEG decode (draft) to a thumbnail, on one core and on every core —
then the ratios. Also how busy the importing (GUI-side) process itself is: the work runs in
worker processes, so a window driving the import stays responsive.

    .venv/bin/python bench/photo_import.py [--count 200] [--workers 2]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CACHE = ROOT / ".bench" / "photos-12mp"
SIZE = (4000, 3000)


def _base(seed: int) -> Image.Image:
    rng = random.Random(seed)
    coarse = Image.effect_noise((SIZE[0] // 16, SIZE[1] // 16), 60).convert("RGB").resize(SIZE, Image.BICUBIC)
    grad = Image.linear_gradient("L").resize(SIZE).rotate(rng.choice([0, 90, 180, 270]))
    tint = Image.new("RGB", SIZE, (rng.randint(90, 180), rng.randint(90, 170), rng.randint(80, 160)))
    img = Image.composite(tint, coarse, grad)
    fine = Image.effect_noise(SIZE, 28).convert("RGB")
    img = Image.blend(img, fine, 0.22).filter(ImageFilter.SMOOTH)
    d = ImageDraw.Draw(img)
    for _ in range(40):  # edges and structure, as on a site photo
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        d.line([(x, y), (x + rng.randint(-900, 900), y + rng.randint(-900, 900))],
               fill=(rng.randint(0, 80),) * 3, width=rng.randint(2, 14))
    return img


def _make(args: tuple[int, str]) -> str:
    n, folder = args
    img = _base(n % 8)
    d = ImageDraw.Draw(img)
    d.rectangle([n * 13 % 3800, n * 7 % 2800, n * 13 % 3800 + 180, n * 7 % 2800 + 120], fill=(n % 256, 40, 200))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "BenchCam", "12MP"
    exif.get_ifd(0x8769)[0x9003] = (datetime(2026, 5, 19, 9) + timedelta(seconds=37 * n)).strftime("%Y:%m:%d %H:%M:%S")
    path = Path(folder) / f"DSC_{n:04d}.JPG"
    img.save(path, "JPEG", quality=90, exif=exif)
    return str(path)


def inputs(count: int, workers: int) -> list[Path]:
    CACHE.mkdir(parents=True, exist_ok=True)
    have = sorted(CACHE.glob("DSC_*.JPG"))
    if len(have) < count:
        print(f"generating {count - len(have)} 12-megapixel JPEGs in {CACHE} (once) ...", flush=True)
        todo = [(n, str(CACHE)) for n in range(len(have), count)]
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_make, todo))
    return sorted(CACHE.glob("DSC_*.JPG"))[:count]


def read_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def draft_thumb(path: Path) -> int:
    img = Image.open(path)
    img.draft("RGB", (320, 320))
    img.load()
    img.thumbnail((320, 320))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return len(buf.getvalue())


def timed(fn, paths: list[Path], workers: int = 1) -> float:
    start = time.perf_counter()
    if workers == 1:
        for p in paths:
            fn(p)
    else:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(fn, paths, chunksize=4))
    return time.perf_counter() - start


def drop_page_cache_hint(paths: list[Path]) -> None:
    for p in paths:  # warm the OS cache equally for every contender
        p.read_bytes()


def measure_store(paths: list[Path], workers: int) -> float:
    from inspector_app.photos import PhotoStore, ingest_many

    with tempfile.TemporaryDirectory(dir=ROOT / ".bench") as tmp:
        store = PhotoStore(Path(tmp) / "originals", Path(tmp) / "cache")
        start = time.perf_counter()
        for _ in ingest_many(store, paths, workers=workers):
            pass
        return time.perf_counter() - start


def measure_full_import(paths: list[Path], workers: int) -> tuple[float, float, int]:
    """Import through the services into a fresh database: (seconds, parent CPU seconds, imported)."""
    from inspector_app.app import open_app
    from inspector_app.services import photos, projects, visits

    with tempfile.TemporaryDirectory(dir=ROOT / ".bench") as tmp:
        ctx = open_app(Path(tmp) / "data", actor="bench")
        spec = projects.load_spec(ROOT / "resources" / "examples" / "project.toml")
        project = projects.create_project(ctx.db, spec)
        visit = visits.start_visit(ctx.db, project.id, datetime(2025, 6, 1, 9), node_codes=["N06"])
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        results = list(photos.import_photos(ctx.db, ctx.store, paths, visit_id=visit.id, workers=workers))
        elapsed = time.perf_counter() - start
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        ctx.close()
    parent_cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return elapsed, parent_cpu, sum(r.status == "imported" for r in results)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    paths = inputs(args.count, args.workers)
    n = len(paths)
    mb = sum(p.stat().st_size for p in paths) / 2**20
    drop_page_cache_hint(paths)
    print(f"\n{n} JPEGs, {SIZE[0]}x{SIZE[1]} px, {mb:.0f} MB in all ({mb / n:.1f} MB each); "
          f"{os.cpu_count()} cores, workers={args.workers}\n")
    rows = [
        ("floor A: read + SHA-256 (1 process)", timed(read_hash, paths)),
        ("floor B: draft-decode thumbnail (1 process)", timed(draft_thumb, paths)),
        (f"floor B: draft-decode thumbnail ({args.workers} processes)", timed(draft_thumb, paths, args.workers)),
        (f"store ingest: hash+decode+fsync+thumbnail ({args.workers} workers)", measure_store(paths, args.workers)),
    ]
    full, parent_cpu, imported = measure_full_import(paths, args.workers)
    rows.append((f"full import through the database ({args.workers} workers)", full))
    print(f"{'':62} {'photos/s':>9} {'MB/s':>8} {'seconds':>8}")
    for name, secs in rows:
        print(f"{name:62} {n / secs:9.1f} {mb / secs:8.1f} {secs:8.2f}")
    floor_parallel = n / rows[2][1]
    floor_single = n / rows[1][1]
    print()
    print(f"ratio  full import / draft floor ({args.workers} processes): {n / full / floor_parallel:.2f}   (target >= 0.80)")
    print(f"ratio  full import / draft floor (1 process):   {n / full / floor_single:.2f}")
    print(f"ratio  store ingest / draft floor ({args.workers} processes): {n / rows[3][1] / floor_parallel:.2f}")
    print(f"importing process (the GUI side) busy {parent_cpu:.2f} s of {full:.2f} s "
          f"({100 * parent_cpu / full:.0f} %): decoding and hashing run in worker processes")
    print(f"imported {imported} of {n}")
    shutil.rmtree(ROOT / ".bench" / "tmp", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
