"""Hostile photo files, generated: mutants of real photos and files that only pretend to be photos.

Each ``Mutant`` says what a correct import does with it: ``IMPORT`` (a valid photo, however odd its
name or trailer), ``REFUSE`` (with one of the named reasons) or ``EITHER`` (a flipped byte may leave a
valid picture, or not; either way no crash, and what is taken must decode whole later).

The standing suite (``test_photo_mutants.py``) makes about 200 of them; ``IDI_HOSTILE_SCALE=N``
multiplies the random ones (``bench/hostile.py`` runs it at 10)."""

from __future__ import annotations

import io
import json
import os
import random
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

SCALE = max(1, int(os.environ.get("IDI_HOSTILE_SCALE", "1") or 1))

IMPORT, REFUSE, EITHER = "import", "refuse", "either"


def record(section: str, what: str, n: int = 1) -> None:
    """Count what the suite tried, for ``bench/hostile.py`` (written only when IDI_HOSTILE_REPORT names
    a file; a JSON object section -> what -> count, added to across tests)."""
    target = os.environ.get("IDI_HOSTILE_REPORT")
    if not target:
        return
    path = Path(target)
    seen = json.loads(path.read_text()) if path.exists() and path.stat().st_size else {}
    seen.setdefault(section, {})
    seen[section][what] = seen[section].get(what, 0) + n
    path.write_text(json.dumps(seen, ensure_ascii=False, indent=1, sort_keys=True))

TRUNCATED = frozenset({"photo.truncated", "photo.jpeg_truncated", "photo.corrupt", "photo.not_an_image",
                       "photo.bad_size", "photo.unsupported_format"})
BOMB = frozenset({"photo.too_many_pixels", "photo.too_many_pixels_bomb", "photo.bomb", "photo.bomb_detail",
                  "photo.text_too_large"})
WRONG_TYPE = frozenset({"photo.not_an_image", "photo.unsupported_format", "photo.empty", "photo.truncated",
                        "photo.jpeg_truncated", "photo.corrupt"})


@dataclass(frozen=True)
class Mutant:
    kind: str  # the class the README counts: truncation, header, scan, trailer, bomb, type, name, special
    name: bytes  # the file name on disk, as bytes: it need not be UTF-8
    data: bytes | None  # None for the special files ``special`` makes
    expect: str
    reasons: frozenset[str] = frozenset()  # the refusal keys that are right (REFUSE)
    special: str | None = None  # fifo, device, dangling, loop, link, unreadable
    explicit: bool = False  # named on the command line, not found in the card folder


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def jpeg_scan(data: bytes) -> tuple[int, int]:
    """Where the first scan's entropy-coded data starts and ends (before the end marker)."""
    sos = data.index(b"\xff\xda")
    start = sos + 2 + struct.unpack(">H", data[sos + 2:sos + 4])[0]
    return start, data.rindex(b"\xff\xd9")


def png_pixels(data: bytes) -> tuple[int, int]:
    at = data.index(b"IDAT") - 4
    return at, data.rindex(b"IEND") - 4


def heif_media(data: bytes) -> tuple[int, int]:
    at = data.index(b"mdat") + 4
    return at, len(data)


@dataclass(frozen=True)
class Seed:
    name: str
    ext: str
    data: bytes

    def regions(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """(header region, pixel region) as [start, end) offsets."""
        if self.ext == "jpg":
            s, e = jpeg_scan(self.data)
            return (2, s), (s, e)
        if self.ext == "png":
            s, e = png_pixels(self.data)
            return (8, s), (s + 8, e - 4)
        s, e = heif_media(self.data)
        return (0, s - 8), (s, e)

    def whole(self) -> int:
        """The length below which a cut loses part of the picture (a PNG's IEND is not needed)."""
        return png_pixels(self.data)[1] if self.ext == "png" else len(self.data)


def seeds(photos: list[Path]) -> list[Seed]:
    """Real camera JPEGs as they are, and one of them as a PNG and as an HEIC (a phone's format)."""
    out = [Seed(p.stem, "jpg", p.read_bytes()) for p in photos]
    img = Image.open(photos[0])
    img.thumbnail((640, 640))
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "PNG")
    out.append(Seed(photos[0].stem + "-png", "png", buf.getvalue()))
    import pillow_heif

    pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "HEIF", quality=60)
    out.append(Seed(photos[0].stem + "-heic", "heic", buf.getvalue()))
    return out


def flipped(rng: random.Random, data: bytes, region: tuple[int, int], count: int) -> bytes:
    out = bytearray(data)
    for _ in range(count):
        at = rng.randrange(*region)
        out[at] ^= rng.randrange(1, 256)
    return bytes(out)


def of_seed(seed: Seed, rng: random.Random) -> Iterator[Mutant]:
    data, ext = seed.data, seed.ext
    whole = seed.whole()
    header, pixels = seed.regions()
    cuts = {1, 2, 16, header[1] - 1, header[1] + 64, whole // 2, whole - 1}
    cuts |= {rng.randrange(3, whole - 1) for _ in range(3 * SCALE)}
    for at in sorted(c for c in cuts if 0 < c < whole):
        yield Mutant("truncation", f"{seed.name}-cut{at}.{ext}".encode(), data[:at], REFUSE, TRUNCATED)
    for i in range(3 * SCALE):
        yield Mutant("header", f"{seed.name}-head{i}.{ext}".encode(), flipped(rng, data, header, 1 + i % 3), EITHER)
    for i in range(3 * SCALE):
        yield Mutant("scan", f"{seed.name}-scan{i}.{ext}".encode(), flipped(rng, data, pixels, 1 + i % 4), EITHER)
    if ext == "jpg" and b"Exif\x00\x00" in data[:header[1]]:  # a damaged EXIF block, the picture whole
        tiff = data.index(b"Exif\x00\x00") + 6
        for at in (tiff + 2, tiff + 4, tiff + 9):  # the TIFF magic, the first IFD's offset, its entry count
            bad = bytearray(data)
            bad[at] ^= 0xB5
            yield Mutant("header", f"{seed.name}-exif{at - tiff}.{ext}".encode(), bytes(bad), IMPORT)
    if ext == "heic":  # an HEIF's boxes give their sizes: what follows them is not a trailer
        return
    other = io.BytesIO()
    Image.new("RGB", (160, 120), (200, 40, 40)).save(other, "JPEG")
    trailers = {"pad1": b"\x00", "fill": b"\xff\xff", "zeros": bytes(4096), "maker": b"MAKERNOTE" + rng.randbytes(900),
                "second": other.getvalue(), "motion": struct.pack(">I", 24) + b"ftypmp42" + bytes(12)
                + rng.randbytes(2000)}
    for label, tail in trailers.items():
        yield Mutant("trailer", f"{seed.name}-{label}.{ext}".encode(), data + tail, IMPORT)
    yield Mutant("type", f"{seed.name}-named-as.{'png' if ext == 'jpg' else 'jpg'}".encode(), data, IMPORT)


def png_header(width: int, height: int, body: bytes, *extra: bytes) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + b"".join(extra) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def bombs(jpeg: bytes) -> Iterator[Mutant]:
    """Few bytes that claim (or unpack to) far more than a photo holds."""
    yield Mutant("bomb", b"flood-60000.png", png_header(60000, 60000, zlib.compress(bytes(60001 * 3))), REFUSE, BOMB)
    ihdr = struct.pack(">IIBBBBB", 12000, 12000, 1, 0, 0, 0, 0)  # 144 Mpx of one bit each, in ~20 KB
    z = zlib.compressobj(9)
    rows = b"".join(z.compress(bytes((12000 // 8 + 1) * 1000)) for _ in range(12)) + z.flush()
    yield Mutant("bomb", b"one-bit-12000.png", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", rows)
                 + chunk(b"IEND", b""), REFUSE, BOMB)
    sof = jpeg.index(b"\xff\xc0") if b"\xff\xc0" in jpeg else jpeg.index(b"\xff\xc2")
    big = bytearray(jpeg)
    big[sof + 5:sof + 9] = struct.pack(">HH", 65000, 65000)
    yield Mutant("bomb", b"sof-65000.jpg", bytes(big), REFUSE, BOMB | TRUNCATED)
    text = chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * (24 * 1024 * 1024), 9))
    small = png_header(8, 8, zlib.compress(bytes(8 * 25)))
    at = small.index(b"IEND") - 4
    yield Mutant("bomb", b"ztxt-24mb.png", small[:at] + text + small[at:], REFUSE, BOMB)
    icc = chunk(b"iCCP", b"icc\x00\x00" + zlib.compress(bytes(40 * 1024 * 1024), 9))
    yield Mutant("bomb", b"iccp-40mb.png", png_header(8, 8, zlib.compress(bytes(8 * 25)), icc), REFUSE,
                 BOMB | TRUNCATED)


def wrong_types(jpeg: bytes) -> Iterator[Mutant]:
    """What lands on a card or in a download folder named like a photo."""
    img = Image.open(io.BytesIO(jpeg))
    img.thumbnail((200, 200))
    for fmt in ("GIF", "BMP", "TIFF", "WEBP"):
        buf = io.BytesIO()
        img.convert("RGB").save(buf, fmt)
        yield Mutant("type", f"really-{fmt.lower()}.jpg".encode(), buf.getvalue(), REFUSE, WRONG_TYPE)
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("photo.jpg", jpeg)
    samples = {"pdf": b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n", "zip": z.getvalue(),
               "mp4": struct.pack(">I", 24) + b"ftypisom" + bytes(12) + bytes(2000),
               "html": b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>",
               "svg": b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>",
               "text": "现场记录：照片稍后补\n".encode(), "random": random.Random(7).randbytes(5000),
               "magic-only": b"\xff\xd8\xff", "png-signature": b"\x89PNG\r\n\x1a\n", "one-byte": b"\xff",
               "exe": b"MZ\x90\x00" + bytes(500)}
    for label, body in samples.items():
        yield Mutant("type", f"{label}.jpg".encode(), body, REFUSE, WRONG_TYPE)
    yield Mutant("type", b"empty.jpg", b"", REFUSE, frozenset({"photo.empty"}))


def odd_names(seed: Seed) -> Iterator[Mutant]:
    """Valid photos whose names break naive code: GBK cards, control characters, format fields."""
    names = ["现场照片01.jpg".encode("gb18030"), b"\xff\xfe\xfd-bytes.jpg", b"line\nbreak.jpg",
             "\u202egpj.exe.jpg".encode(), ("长" * 80 + ".jpg").encode(), b"-looks-like-an-option.jpg",
             b"percent %s %d {0} {path}.jpg", b" leading space.jpg", "emoji \U0001f4f7.jpg".encode(),
             b"back\\slash.jpg", b"UPPER.JPG", b"no-extension-but-.jpeg"]
    for i, name in enumerate(names):  # each a different picture: the same bytes would be one photo
        yield Mutant("name", name, seed.data + bytes(i + 1), IMPORT)
    yield Mutant("name", "截断照片.jpg".encode("gb18030"), seed.data[:len(seed.data) // 3], REFUSE, TRUNCATED)


def specials() -> Iterator[Mutant]:
    """Files that are not regular files, or cannot be read: refused without hanging the batch."""
    yield Mutant("special", b"pipe.jpg", None, REFUSE, frozenset({"photo.not_a_file"}), "fifo")
    yield Mutant("special", b"zero.jpg", None, REFUSE, frozenset({"photo.not_a_file"}), "device")
    yield Mutant("special", b"dangling.jpg", None, REFUSE, frozenset({"photo.dangling_link", "photo.missing"}),
                 "dangling")
    yield Mutant("special", b"loop.jpg", None, REFUSE,
                 frozenset({"photo.dangling_link", "photo.unreadable", "photo.missing"}), "loop")
    yield Mutant("special", b"link-to-photo.jpg", None, IMPORT, special="link")
    yield Mutant("special", b"locked.jpg", None, REFUSE, frozenset({"photo.no_permission"}), "unreadable")
    yield Mutant("special", b"a-folder.jpg", None, REFUSE, frozenset({"photo.is_folder"}), "folder", explicit=True)


def all_mutants(photos: list[Path], seed: int = 15) -> list[Mutant]:
    rng = random.Random(seed)
    base = seeds(photos)
    out = [m for s in base for m in of_seed(s, rng)]
    out += bombs(base[0].data)
    out += wrong_types(base[0].data)
    out += odd_names(base[1])
    out += specials()
    names = [m.name for m in out]
    assert len(names) == len(set(names)), "two mutants with one name"
    return out


def write(mutants: list[Mutant], card: Path, outside: Path, valid: bytes) -> list[bytes]:
    """Write the mutants into ``card`` (or ``outside`` for the explicit ones); return the paths to
    name on the command line (the card folder first). Names are bytes all the way down."""
    card_b, outside_b = os.fsencode(card), os.fsencode(outside)
    os.makedirs(card_b, exist_ok=True)
    os.makedirs(outside_b, exist_ok=True)
    target = os.path.join(outside_b, b"target.jpg")
    with open(target, "wb") as fh:
        fh.write(valid + b"\x00link")
    argv = [card_b]
    for m in mutants:
        path = os.path.join(outside_b if m.explicit else card_b, m.name)
        if m.explicit:
            argv.append(path)
        if m.data is not None:
            with open(path, "wb") as fh:
                fh.write(m.data)
        elif m.special == "fifo":
            os.mkfifo(path)
        elif m.special == "device":
            os.symlink(b"/dev/zero", path)
        elif m.special == "dangling":
            os.symlink(b"gone-" + m.name, path)
        elif m.special == "loop":
            os.symlink(m.name, path)
        elif m.special == "link":
            os.symlink(target, path)
        elif m.special == "unreadable":
            with open(path, "wb") as fh:
                fh.write(valid + b"\x00locked")
            os.chmod(path, 0)
        elif m.special == "folder":
            os.makedirs(path)
    return argv


def crashing_work(originals: str, cache: str, path: str):  # noqa: ANN201 - batch.Result
    """A photo worker whose decoder dies (as a C library's crash would) on a file named ``*crash*``."""
    from inspector_app.photos import batch

    if "crash" in Path(path).name:
        os._exit(70)
    return batch._work(originals, cache, path)
