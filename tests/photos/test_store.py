"""The evidence store: upright photos, every kind of bad input rejected with a reason, one copy
of the same bytes, hashes verified, derived files rebuildable, cancel leaves nothing half-done."""

import io
import struct
import zlib
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from inspector_app.errors import Cancelled, PhotoRejected
from inspector_app.photos import PhotoStore, ingest_many

ORIENTATION = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "exif-orientation"
needs_testdata = pytest.mark.skipif(not ORIENTATION.is_dir(), reason="../shared/testdata not present")


@pytest.fixture
def store(tmp_path):
    return PhotoStore(tmp_path / "originals", tmp_path / "cache")


def difference(a: Path, b: Path) -> float:
    ia, ib = (Image.open(p).convert("L").resize((48, 32)) for p in (a, b))
    return sum(ImageStat.Stat(ImageChops.difference(ia, ib)).mean)


@needs_testdata
@pytest.mark.parametrize("kind, size", [("Landscape", (1800, 1200)), ("Portrait", (1200, 1800))])
def test_every_orientation_comes_out_upright(store, kind, size):
    reference = store.thumbnail_path(store.ingest(ORIENTATION / f"{kind}_1.jpg").sha256)
    for n in range(9):
        p = store.ingest(ORIENTATION / f"{kind}_{n}.jpg")
        assert (p.width, p.height) == size, n
        thumb = store.thumbnail_path(p.sha256)
        assert Image.open(thumb).size[0] > Image.open(thumb).size[1] if kind == "Landscape" else True
        assert difference(thumb, reference) < 12, f"{kind}_{n} thumbnail not upright"
        rendition = Image.open(store.rendition_path(p.sha256))
        assert max(rendition.size) == 1600 and (rendition.width > rendition.height) == (size[0] > size[1])
        assert difference(store.rendition_path(p.sha256), reference) < 12
    mirrored = Image.open(reference).transpose(Image.Transpose.ROTATE_180)
    buf = store.cache_root / "rotated.jpg"
    mirrored.save(buf)
    assert difference(buf, reference) > 12  # the check above can tell a wrong orientation


def jpeg_bytes(size=(800, 600), **exif_tags) -> bytes:
    img = Image.effect_noise(size, 50).convert("RGB")
    buf = io.BytesIO()
    exif = Image.Exif()
    for tag, value in exif_tags.get("base", {}).items():
        exif[tag] = value
    for tag, value in exif_tags.get("sub", {}).items():
        exif.get_ifd(0x8769)[tag] = value
    if exif_tags.get("gps"):
        exif.get_ifd(0x8825).update(exif_tags["gps"])
    img.save(buf, "JPEG", quality=90, exif=exif)
    return buf.getvalue()


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def bomb_png(width, height) -> bytes:
    """A tiny PNG that declares an enormous 1-bit image."""
    raw = zlib.compress(b"\x00" * (1 + (width + 7) // 8) * 64)
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def corrupt_scan(data: bytes) -> bytes:
    start = data.index(b"\xff\xda") + 200
    return data[:start] + bytes(len(data) - start - 2) + b"\xff\xd9"


CASES = {
    "empty.jpg": (lambda: b"", "0 字节"),
    "half.jpg": (lambda: jpeg_bytes()[: len(jpeg_bytes()) // 2], "截断"),
    "cut.jpg": (lambda: (lambda d: d[: int(len(d) * 0.7)])(jpeg_bytes()), "截断"),
    "notes.jpg": (lambda: "现场记录：3#楼".encode(), "文本"),
    "report.jpg": (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    "anim.jpg": (lambda: (lambda b: (Image.new("P", (10, 10)).save(b, "GIF"), b.getvalue())[1])(io.BytesIO()), "GIF"),
    "bomb.png": (lambda: bomb_png(30000, 30000), "解压炸弹"),
    "huge.png": (lambda: bomb_png(14000, 12000), "像素过大"),
    "header.jpg": (lambda: b"\xff\xd8\xff\xe0" + bytes(2000), "损坏"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_rejected_with_the_reason(store, tmp_path, name):
    make, reason = CASES[name]
    with pytest.raises(PhotoRejected) as err:
        store.ingest(write(tmp_path, name, make()))
    assert reason in err.value.reason and err.value.path.name == name
    assert list(store.iter_stored()) == []


def test_directory_and_missing_file(store, tmp_path):
    with pytest.raises(PhotoRejected, match="文件夹"):
        store.ingest(tmp_path)
    with pytest.raises(PhotoRejected, match="不存在"):
        store.ingest(tmp_path / "nope.jpg")


def test_png_named_jpg_and_heic_are_accepted(store, tmp_path):
    buf = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 120, 200)).save(buf, "PNG")
    p = store.ingest(write(tmp_path, "screen.jpg", buf.getvalue()))
    assert (p.format, p.extension, p.width, p.height) == ("PNG", "png", 300, 200)
    pillow_heif = pytest.importorskip("pillow_heif")
    heif = pillow_heif.from_pillow(Image.new("RGB", (640, 480), (200, 80, 40)))
    heif.save(tmp_path / "IMG_0001.HEIC", quality=80)
    h = store.ingest(tmp_path / "IMG_0001.HEIC")
    assert (h.format, h.extension, h.width, h.height) == ("HEIF", "heic", 640, 480)
    assert Image.open(store.thumbnail_path(h.sha256)).size == (320, 240)


def test_same_bytes_are_stored_once(store, tmp_path):
    data = jpeg_bytes()
    a = store.ingest(write(tmp_path, "a.jpg", data))
    b = store.ingest(write(tmp_path, "b.jpg", data))
    assert a.sha256 == b.sha256 and not a.already_stored and b.already_stored
    assert len(list(store.iter_stored())) == 1


def test_exif_time_gps_camera(store, tmp_path):
    data = jpeg_bytes(base={0x010F: "Canon", 0x0110: "EOS R6"},
                      sub={0x9003: "2025:05:20 10:31:07", 0x9011: "+08:00"},
                      gps={1: "N", 2: (39.0, 43.0, 35.4), 3: "E", 4: (116.0, 20.0, 28.3), 5: b"\x00", 6: 38.5})
    p = store.ingest(write(tmp_path, "exif.jpg", data))
    assert p.taken_at == datetime(2025, 5, 20, 10, 31, 7) and p.taken_at_offset == "+08:00"
    assert p.gps_lat == pytest.approx(39.72650, abs=1e-5) and p.gps_lon == pytest.approx(116.34119, abs=1e-5)
    assert p.gps_alt == pytest.approx(38.5) and (p.camera_make, p.camera_model) == ("Canon", "EOS R6")
    odd = store.ingest(write(tmp_path, "odd.jpg", jpeg_bytes(sub={0x9003: "0000:00:00 00:00:00"})))
    assert odd.taken_at is None and odd.gps_lat is None


def test_verify_catches_changed_and_missing_originals(store, tmp_path):
    p = store.ingest(write(tmp_path, "x.jpg", jpeg_bytes()))
    assert store.verify_original(p.sha256) is None
    path = Path(p.stored_path)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes()[:-1] + b"\x00")
    assert "哈希不符" in store.verify_original(p.sha256)
    path.unlink()
    assert store.verify_original(p.sha256) == "文件缺失"


def test_derived_files_are_rebuilt(store, tmp_path):
    import shutil

    p = store.ingest(write(tmp_path, "x.jpg", jpeg_bytes((2400, 1800))))
    store.rendition_path(p.sha256)
    shutil.rmtree(store.cache_root)
    assert Image.open(store.thumbnail_path(p.sha256)).size == (320, 240)
    assert Image.open(store.rendition_path(p.sha256)).size == (1600, 1200)


def test_batch_keeps_order_reports_bad_files_and_cancels_cleanly(store, tmp_path):
    files = []
    for i in range(8):
        files.append(write(tmp_path, f"ok{i}.jpg", jpeg_bytes((640 + i, 480))))
        if i % 3 == 0:
            files.append(write(tmp_path, f"bad{i}.jpg", b"junk"))
    results = list(ingest_many(store, files, workers=2))
    assert [p for p, _ in results] == files
    assert [isinstance(r, PhotoRejected) for _, r in results] == [f.name.startswith("bad") for f in files]
    seen = []
    with pytest.raises(Cancelled):
        for path, _ in ingest_many(PhotoStore(tmp_path / "o2", tmp_path / "c2"), files, workers=2,
                                   cancel=lambda: len(seen) >= 3):
            seen.append(path)
    assert len(seen) == 3
    assert not list((tmp_path / "o2").rglob("*.tmp"))
