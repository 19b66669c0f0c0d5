"""Damaged and unusual photo files (issue 15): a PNG whose pixels do not decode or whose text
chunks are a bomb is refused at import, not accepted and left to break the report; a JPEG with
bytes after its end marker (motion photos, maker trailers, padding) is accepted whole, a cut
one still refused; a file name that is not UTF-8 is stored as a person can read it."""

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from inspector_app.errors import PhotoRejected
from inspector_app.photos import PhotoStore, ingest_many, readable_name, readable_path
from inspector_app.photos.sniff import jpeg_end

ORIENTATION = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "exif-orientation"
needs_testdata = pytest.mark.skipif(not ORIENTATION.is_dir(), reason="../shared/testdata not present")


@pytest.fixture
def store(tmp_path):
    return PhotoStore(tmp_path / "originals", tmp_path / "cache")


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bytes(size=(400, 300)) -> bytes:
    buf = io.BytesIO()
    Image.effect_noise(size, 50).convert("RGB").save(buf, "PNG")
    return buf.getvalue()


def broken_idat(data: bytes) -> bytes:
    """The same PNG with 50 bytes of its compressed pixels zeroed (and the chunk's CRC made right)."""
    at = data.index(b"IDAT")
    length = struct.unpack(">I", data[at - 4:at])[0]
    body = bytearray(data[at + 4:at + 4 + length])
    body[length // 2:length // 2 + 50] = bytes(50)
    return data[:at - 4] + chunk(b"IDAT", bytes(body)) + data[at + 8 + length:]


def with_chunk(data: bytes, extra: bytes, *, after_pixels: bool) -> bytes:
    at = data.index(b"IEND") - 4 if after_pixels else data.index(b"IDAT") - 4
    return data[:at] + extra + data[at:]


def ztxt_bomb() -> bytes:
    """100 MB of text compressed into a zTXt chunk, after the pixels (read only by a full decode)."""
    return chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * (100 * 1024 * 1024), 9))


DAMAGED_PNG = {
    "broken-idat.png": (lambda: broken_idat(png_bytes()), "photo.corrupt"),
    "ztxt-after-pixels.png": (lambda: with_chunk(png_bytes(), ztxt_bomb(), after_pixels=True), "photo.text_too_large"),
    "ztxt-before-pixels.png": (lambda: with_chunk(png_bytes(), ztxt_bomb(), after_pixels=False),
                               "photo.text_too_large"),
    "big-text.png": (lambda: with_chunk(png_bytes(), b"".join(
        chunk(b"tEXt", b"Comment%d\x00" % i + b"x" * (3 * 1024 * 1024)) for i in range(6)), after_pixels=True),
        "photo.text_too_large"),
}


@pytest.mark.parametrize("name", DAMAGED_PNG)
def test_a_png_that_does_not_decode_whole_is_refused_at_import(store, tmp_path, name):
    make, key = DAMAGED_PNG[name]
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(PhotoRejected) as err:
        store.ingest(path)
    assert err.value.key == key and err.value.path.name == name
    assert ("损坏" if key == "photo.corrupt" else "过大") in err.value.reason
    assert list(store.iter_stored()) == [] and not list(store.originals_root.rglob("*.tmp"))


def test_a_broken_png_in_a_batch_is_reported_and_the_batch_goes_on(store, tmp_path):
    files = [tmp_path / "a.png", tmp_path / "broken.png", tmp_path / "b.png"]
    files[0].write_bytes(png_bytes((300, 200)))
    files[1].write_bytes(broken_idat(png_bytes()))
    files[2].write_bytes(png_bytes((200, 300)))
    outcomes = [r for _p, r in ingest_many(store, files, workers=1)]
    assert [isinstance(r, PhotoRejected) for r in outcomes] == [False, True, False]


def test_an_original_stored_before_the_check_names_itself_when_a_report_needs_it(store, tmp_path):
    """Photos imported by an earlier version may hold a broken stream: making the report's rendition
    says which original and what to do, not a bare "broken data stream"."""
    data = broken_idat(png_bytes())
    sha = __import__("hashlib").sha256(data).hexdigest()
    target = store.originals_root / sha[:2] / f"{sha}.png"
    target.parent.mkdir(parents=True)
    target.write_bytes(data)
    with pytest.raises(PhotoRejected) as err:
        store.rendition_path(sha)
    assert err.value.key == "photo.original_undecodable" and err.value.params["sha"] == sha[:12]
    assert "photos remove" in err.value.reason
    assert store.discard(sha) == 1 and store.original_path(sha) is None


def jpeg_bytes(size=(800, 600), **kw) -> bytes:
    buf = io.BytesIO()
    Image.effect_noise(size, 50).convert("RGB").save(buf, "JPEG", quality=90, **kw)
    return buf.getvalue()


def motion_trailer() -> bytes:
    """What a phone appends after the picture of a motion photo: an MP4 (which may hold 0xFFD9 too)."""
    return (struct.pack(">I", 24) + b"ftypmp42" + bytes(12) + b"\x00\x00\x10\x08mdat" + os.urandom(2048) + b"\xff\xd9"
            + os.urandom(2046) + b"\x00\x01")


TRAILERS = {"one padding byte": b"\x00", "two fill bytes": b"\xff\xff", "motion photo": motion_trailer(),
            "maker trailer": b"SONY-MAKERNOTE" + bytes(512), "a second picture (MPF)": jpeg_bytes((160, 120))}


@pytest.mark.parametrize("trailer", TRAILERS)
def test_a_jpeg_with_bytes_after_its_end_marker_is_accepted_whole(store, tmp_path, trailer):
    picture = jpeg_bytes(progressive=trailer == "motion photo")
    path = tmp_path / "MVIMG_0001.jpg"
    path.write_bytes(picture + TRAILERS[trailer])
    p = store.ingest(path)
    assert (p.format, p.width, p.height, p.byte_size) == ("JPEG", 800, 600, path.stat().st_size)
    assert Path(p.stored_path).read_bytes() == path.read_bytes()  # the evidence is the file as the camera wrote it
    assert jpeg_end(path.read_bytes()) == len(picture)


@needs_testdata
def test_real_photos_with_trailers_pass_and_cut_ones_do_not(store, tmp_path):
    for n in (0, 3, 6):
        data = (ORIENTATION / f"Landscape_{n}.jpg").read_bytes()
        assert jpeg_end(data) == len(data)
        ok = tmp_path / f"trailer{n}.jpg"
        ok.write_bytes(data + motion_trailer())
        assert store.ingest(ok).width == 1800
        for cut in (2, 700, len(data) // 3):
            bad = tmp_path / f"cut{n}-{cut}.jpg"
            bad.write_bytes(data[:-cut] + (b"\x00" if cut == 2 else b""))
            with pytest.raises(PhotoRejected, match="截断"):
                store.ingest(bad)
            assert jpeg_end(bad.read_bytes()) is None


def test_the_end_marker_of_an_exif_thumbnail_is_not_taken_for_the_picture_s():
    thumb, picture = jpeg_bytes((160, 120)), jpeg_bytes()
    assert thumb.endswith(b"\xff\xd9")
    spliced = picture[:2] + b"\xff\xe1" + struct.pack(">H", len(thumb) + 2) + thumb + picture[2:]
    assert jpeg_end(spliced) == len(spliced)
    cut = spliced[:len(spliced) // 2]
    assert jpeg_end(cut) is None and b"\xff\xd9" in cut  # a marker inside a segment does not end the file


GBK_NAME = "东立面 3#楼.jpg".encode("gbk")


@pytest.mark.skipif(os.name == "nt", reason="Windows file names are UTF-16: they cannot be invalid bytes")
def test_a_file_name_that_is_not_utf8_is_stored_as_it_reads(store, tmp_path):
    folder = os.fsencode(tmp_path / "卡")
    os.mkdir(folder)
    raw = os.path.join(folder, GBK_NAME)
    with open(raw, "wb") as fh:
        fh.write(jpeg_bytes((320, 240)))
    name = os.fsdecode(raw)
    with pytest.raises(UnicodeEncodeError):
        name.encode("utf-8")  # what SQLite, print and JSON refuse
    p = store.ingest(name)
    assert p.original_name == "东立面 3#楼.jpg" and p.source_path.endswith("/卡/东立面 3#楼.jpg")
    odd = os.path.join(folder, b"caf\xe9.jpg")
    with open(odd, "wb") as fh:
        fh.write(b"not a photo")
    [(_path, refused)] = list(ingest_many(store, [os.fsdecode(odd)], workers=1))
    assert isinstance(refused, PhotoRejected) and str(refused.path).endswith("caf\\xe9.jpg")
    refused.message.encode("utf-8")


def test_readable_names():
    assert readable_name("IMG_0001.JPG") == "IMG_0001.JPG"
    assert readable_name(GBK_NAME.decode("utf-8", "surrogateescape")) == "东立面 3#楼.jpg"
    assert readable_name(b"\xff\xfe.jpg".decode("utf-8", "surrogateescape")) == "\\xff\\xfe.jpg"
    assert readable_name("\ud800.jpg") == "\\ud800.jpg"
    mixed = "/数据/".encode() + GBK_NAME
    assert readable_path(mixed.decode("utf-8", "surrogateescape")) == "/数据/东立面 3#楼.jpg"
