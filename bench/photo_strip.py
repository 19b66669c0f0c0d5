"""A finding's strip of 1,000 photos: scroll it end to end and count what was decoded.

The strip (ui/photo_strip.py) asks only for the rows it paints and reads the 320 px
thumbnail made at import; an original is never opened. The bench builds 1,000 stored
photos' thumbnails (no originals on disk at all, and the rendering function patched to
count calls), scrolls the strip in an offscreen window one viewport at a time with a
synchronous repaint (each picture letterboxed, every fourth with markup drawn on it), and prints frame times, thumbnails loaded, originals decoded (must be 0)
and peak memory.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from inspector_app.photos import store as store_mod  # noqa: E402
from inspector_app.photos.store import PhotoStore  # noqa: E402
from inspector_app.ui.photo_strip import PhotoStripModel, PhotoStripView  # noqa: E402
from inspector_app.values.dto import PhotoInfo  # noqa: E402

N = int(os.environ.get("BENCH_PHOTOS", "1000"))


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-strip-"))
    try:
        store = PhotoStore(tmp / "originals", tmp / "cache")
        sizes = [(320, 240), (320, 213), (240, 320), (320, 180)]  # 4:3, 3:2, portrait, 16:9: all letterboxed
        taken = [(4000, 3000), (6000, 4000), (3000, 4000), (3840, 2160)]  # the originals' sizes
        base = [Image.new("RGB", sizes[i % 4], ((37 * i) % 255, (91 * i) % 255, 140)) for i in range(16)]
        shapes = [{"kind": "ellipse", "points": [[0.3, 0.3], [0.6, 0.7]], "color": "#E53935", "width": 0.006},
                  {"kind": "arrow", "points": [[0.9, 0.1], [0.62, 0.45]], "color": "#FDD835", "width": 0.006}]
        photos = []
        t0 = datetime(2026, 5, 12, 9, 0)
        for i in range(N):
            sha = hashlib.sha256(f"photo-{i}".encode()).hexdigest()
            thumb = store._thumb(sha)
            thumb.parent.mkdir(parents=True, exist_ok=True)
            base[i % 16].save(thumb, "JPEG", quality=80)
            photos.append(PhotoInfo(i + 1, sha, "before", f"IMG_{i:04d}.JPG", *taken[i % 4], t0 + timedelta(seconds=7 * i),
                                    1, None, shapes if i % 4 == 0 else []))  # every fourth photo marked up
        decoded = []
        original_render = store_mod.render
        store_mod.render = lambda *a, **k: decoded.append(a) or original_render(*a, **k)  # type: ignore[assignment]

        model = PhotoStripModel(store.cached_thumbnail, request_thumbnail=lambda sha, rebuild=False: decoded.append(sha))
        view = PhotoStripView(model)  # the window's strip: letterboxed pictures, markup, two-line captions
        view.resize(700, 620)
        view.show()
        t = time.perf_counter()
        model.set_photos(photos)
        app.processEvents()
        first = time.perf_counter() - t
        bar = view.verticalScrollBar()
        frames = []
        value = 0
        while True:
            t = time.perf_counter()
            bar.setValue(value)
            view.viewport().repaint()
            app.processEvents()
            frames.append(time.perf_counter() - t)
            if value >= bar.maximum():
                break
            value = min(bar.maximum(), value + view.viewport().height())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"photo strip: {N} photos, {len(frames)} viewports scrolled end to end (offscreen)")
        print(f"  first paint with data      : {first * 1000:6.1f} ms")
        print(f"  frame (scroll + repaint)   : median {statistics.median(frames) * 1000:.1f} ms, "
              f"max {max(frames) * 1000:.1f} ms")
        print(f"  thumbnails loaded          : {model.loads} (LRU of {model.cache_size})")
        print(f"  originals decoded          : {len(decoded)}  (target 0)")
        print(f"  peak RSS                   : {peak:.0f} MB")
        if decoded:
            sys.exit("an original was decoded while scrolling")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
