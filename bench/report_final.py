"""Final report benchmark: a synthetic project of 2,000 findings and 4,000 photos.

Prints, from one run on this machine: the time to gather the snapshot and to build the final
report, pages per second, file size and peak memory (each build in its own process, peak RSS
from getrusage); and in the same run a tuned bare reportlab document with the same tables and
the same JPEG files (SimpleDocTemplate, one pass, no contents, header or bookmarks), its pages
per second and memory, and the ratios (targets: ours/bare >= 0.8, peak memory < 1 GB).

Inputs are made once and cached under .bench/report-final/ (1000 px JPEG report renditions at quality 72, about the
size a camera photo's rendition has; the database with the findings).

    .venv/bin/python bench/report_final.py [--findings 2000]
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import random
import resource
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CACHE = ROOT / ".bench" / "report-final-1000q72"
SIZE = (1000, 750)  # the report rendition (inspector_app.services.report_data.REPORT_SIDE, REPORT_QUALITY)
QUALITY = 72


def _make_jpeg(args: tuple[int, Path]) -> None:
    i, path = args
    if path.exists():
        return
    rng = random.Random(i)
    size = SIZE if i % 8 else SIZE[::-1]  # some portrait photos
    coarse = Image.effect_noise((size[0] // 12, size[1] // 12), 70).convert("RGB").resize(size, Image.BICUBIC)
    tint = Image.new("RGB", size, (rng.randint(90, 180), rng.randint(90, 170), rng.randint(80, 160)))
    img = Image.blend(coarse, tint, 0.5)
    img = Image.blend(img, Image.effect_noise(size, 30).convert("RGB"), 0.18).filter(ImageFilter.SMOOTH)
    d = ImageDraw.Draw(img)
    for _ in range(30):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        d.line([(x, y), (x + rng.randint(-500, 500), y + rng.randint(-500, 500))],
               fill=(rng.randint(0, 80),) * 3, width=rng.randint(2, 10))
    d.text((40, 40), f"BENCH {i:05d}", fill=(255, 255, 255))
    img.save(path, "JPEG", quality=QUALITY)


def make_jpegs(count: int) -> list[Path]:
    folder = CACHE / "jpeg"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{i:05d}.jpg" for i in range(count)]
    missing = [(i, p) for i, p in enumerate(paths) if not p.exists()]
    if missing:
        print(f"generating {len(missing)} JPEGs of {SIZE[0]} px (once) ...", flush=True)
        with ProcessPoolExecutor() as pool:
            list(pool.map(_make_jpeg, missing, chunksize=20))
    return paths


def make_project(n_findings: int, jpegs: list[Path]) -> Path:
    """The database, made once through the services; photo rows are inserted directly, their
    renditions put in the store's cache (the import pipeline has its own benchmark)."""
    from inspector_app.app import open_app
    from inspector_app.models import Photo
    from inspector_app.services import findings, projects, visits

    data_dir = CACHE / f"data-{n_findings}"
    if (data_dir / "ready").exists():
        return data_dir
    shutil.rmtree(data_dir, ignore_errors=True)
    print(f"creating the synthetic project ({n_findings} findings, {2 * n_findings} photos, once) ...", flush=True)
    ctx = open_app(data_dir, actor="bench")
    spec = projects.load_spec(ROOT / "resources" / "examples" / "project.toml")
    spec["project"]["code"] = "BENCH-2000"
    detail = projects.create_project(ctx.db, spec)
    rng = random.Random(7)
    buildings = [b.name for b in detail.buildings]
    nodes = [n.code for n in detail.nodes]
    visit_ids = []
    day0 = date(2025, 4, 1)
    for v in range(40):
        info = visits.start_visit(ctx.db, detail.id, datetime.combine(day0 + timedelta(days=7 * v), dtime(9)),
                                  node_codes=[nodes[v % len(nodes)]], inspectors=["赵工"], weather="晴",
                                  progress={b: f"主体结构施工至 {v + 3} 层" for b in buildings})
        visit_ids.append((info.id, info.started_at.date()))
    texts = ["剪力墙竖向钢筋保护层厚度不足，局部露筋", "卫生间防水层上翻高度不足 250 mm", "外墙保温板粘结面积不足 40%",
             "悬挑阳台板负弯矩筋被踩踏下沉", "屋面防水卷材搭接宽度不足", "窗框与洞口间发泡胶填充不密实"]
    for i in range(n_findings):
        vid, day = visit_ids[i * len(visit_ids) // n_findings]
        f = findings.record_finding(
            ctx.db, vid, building=rng.choice(buildings), coverage=rng.choice(["STR-3", "STR-4", "WPI-1", "WPI-2", "WPI-3"]),
            division=rng.choice(["01", "02", "03", "04", "09"]), grade=rng.choice("ABBCCCDDER O".replace(" ", "")),
            description=f"{rng.choice(texts)}（第 {i + 1} 处）。", floor=f"{rng.randint(1, 30)}F",
            location=f"{rng.randint(1, 12)}~{rng.randint(13, 20)}/A~D轴", risk="渗漏或结构安全风险。",
            clause="GB 50204-2015 5.5.3", requirement="按设计要求返工整改并报验。", responsible="construction")
        fixed = i % 2 == 0
        roles = ["before", "after"] if fixed else ["before", "before"]
        with ctx.db.write() as s:
            for k, role in enumerate(roles):
                src = jpegs[2 * i + k]
                sha = hashlib.sha256(src.read_bytes()).hexdigest()
                target = ctx.store.cache_root / "renditions" / sha[:2] / f"{sha}-{SIZE[0]}q{QUALITY}.jpg"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, target)
                with Image.open(src) as img:
                    w, h = img.size
                s.add(Photo(project_id=detail.id, finding_id=f.id, role=role, sha256=sha, original_name=src.name,
                            extension="jpg", format="JPEG", byte_size=src.stat().st_size, width=w, height=h,
                            orientation=1, taken_at=datetime.combine(day, dtime(10)) + timedelta(days=3 * k)))
        if fixed:
            findings.reply_rectification(ctx.db, f.id, "已按要求整改。", replied_on=day + timedelta(days=2))
            findings.verify_rectification(ctx.db, f.id, "accepted", verified_on=day + timedelta(days=3), inspector="赵工")
    ctx.close()
    (data_dir / "ready").write_text("ok")
    return data_dir


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def run_ours(data_dir: str, out: str, snapshot_file: str, queue: mp.Queue) -> None:
    from inspector_app.app import open_app
    from inspector_app.reports import final
    from inspector_app.services import report_data as data

    ctx = open_app(data_dir, actor="bench")
    t0 = time.perf_counter()
    snapshot = data.gather(ctx, "final", "BENCH-2000")
    t1 = time.perf_counter()
    Path(snapshot_file).write_text(snapshot.to_json(), encoding="utf-8")
    t2 = time.perf_counter()
    result = final.build_final(snapshot, out)
    t3 = time.perf_counter()
    queue.put({"gather": t1 - t0, "build": t3 - t2, "pages": result.pages, "bytes": result.bytes, "peak_mb": _peak_mb()})


def run_bare(snapshot_file: str, out: str, queue: mp.Queue) -> None:
    """The same facts tables, register tables and JPEG files in a plain SimpleDocTemplate."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Image as RLImage
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from inspector_app.reports.finding_blocks import facts_table, register_tables
    from inspector_app.reports.layout import BODY_W, grid_style, make_styles
    from inspector_app.values.report import ReportData

    snapshot = ReportData.from_json(Path(snapshot_file).read_text(encoding="utf-8"))
    styles = make_styles()
    t0 = time.perf_counter()
    story = register_tables(snapshot, snapshot.new_findings, styles)
    cell_w = (BODY_W - 4 * mm) / 2
    serious = [e for e in snapshot.new_findings if e.finding.is_serious]
    for e in [*serious, *snapshot.new_findings]:  # as ours: serious evidence, then the photo annex
        story += [Paragraph(e.finding.label, styles["h2"]), facts_table(e.finding, snapshot.labels, styles)]
        cells = []
        for p in e.photos[:4]:
            scale = min(cell_w / p.width, cell_w * 0.75 / p.height)
            cells.append(RLImage(p.path, p.width * scale, p.height * scale))
        for k in range(0, len(cells), 2):
            row = cells[k:k + 2] + [""] * (2 - len(cells[k:k + 2]))
            story.append(Table([row], colWidths=[cell_w + 2 * mm] * 2, style=grid_style(0, [("GRID", (0, 0), (-1, -1), 0, "#FFFFFF")])))
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=22 * mm, bottomMargin=18 * mm)
    doc.build(story)
    t1 = time.perf_counter()
    queue.put({"build": t1 - t0, "pages": doc.page - 1 if hasattr(doc, "page") else None,
               "bytes": Path(out).stat().st_size, "peak_mb": _peak_mb()})


def _in_child(target: object, *args: object) -> dict[str, float]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return dict(result)


def _pages(path: str) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=2000)
    args = parser.parse_args()
    jpegs = make_jpegs(2 * args.findings)
    data_dir = make_project(args.findings, jpegs)
    work = CACHE / "out"
    work.mkdir(parents=True, exist_ok=True)
    ours_pdf, bare_pdf, snap = str(work / "final.pdf"), str(work / "bare.pdf"), str(work / "snapshot.json")
    ours = _in_child(run_ours, str(data_dir), ours_pdf, snap)
    bare = _in_child(run_bare, snap, bare_pdf)
    bare["pages"] = _pages(bare_pdf)
    mb = 1024 * 1024
    avg_jpeg = sum(p.stat().st_size for p in jpegs) / len(jpegs) / 1024
    print(f"synthetic project: {args.findings} findings, {len(jpegs)} photos ({SIZE[0]} px JPEG, mean {avg_jpeg:.0f} kB)")
    print(f"gather snapshot:      {ours['gather']:7.1f} s")
    print(f"final report (ours):  {ours['build']:7.1f} s  {ours['pages']:5d} pages  {ours['pages'] / ours['build']:6.1f} pages/s"
          f"  {ours['bytes'] / mb:7.1f} MB  peak {ours['peak_mb']:6.0f} MB")
    print(f"bare reportlab:       {bare['build']:7.1f} s  {bare['pages']:5d} pages  {bare['pages'] / bare['build']:6.1f} pages/s"
          f"  {bare['bytes'] / mb:7.1f} MB  peak {bare['peak_mb']:6.0f} MB")
    ratio = (ours["pages"] / ours["build"]) / (bare["pages"] / bare["build"])
    print(f"ratio pages/s ours/bare: {ratio:.2f} (target >= 0.80)   peak memory ours: {ours['peak_mb']:.0f} MB"
          f" (target < 1024 MB)")


if __name__ == "__main__":
    main()
