"""What a file really is, from its first bytes (the extension is only a hint)."""

from __future__ import annotations

import re

SIGNATURES: list[tuple[bytes, int, str]] = [
    (b"\xff\xd8\xff", 0, "JPEG"),
    (b"\x89PNG\r\n\x1a\n", 0, "PNG"),
    (b"%PDF", 0, "PDF 文档"),
    (b"PK\x03\x04", 0, "ZIP 压缩包（或 Office 文档）"),
    (b"GIF87a", 0, "GIF"),
    (b"GIF89a", 0, "GIF"),
    (b"BM", 0, "BMP"),
    (b"II*\x00", 0, "TIFF"),
    (b"MM\x00*", 0, "TIFF"),
    (b"RIFF", 0, "RIFF（WebP/AVI/WAV）"),
    (b"Rar!", 0, "RAR 压缩包"),
    (b"7z\xbc\xaf", 0, "7z 压缩包"),
    (b"\x1f\x8b", 0, "gzip 压缩文件"),
]
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"}
ACCEPTED = {"JPEG", "PNG", "HEIF"}


def sniff(head: bytes) -> str:
    """A short name of the content type: JPEG, PNG, HEIF, or what else it is."""
    for magic, offset, name in SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            if name.startswith("RIFF") and head[8:12] == b"WEBP":
                return "WebP"
            return name
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in HEIF_BRANDS:
            return "AVIF" if brand == b"avif" else "HEIF"
        return "MP4/MOV 视频"
    text = head[:512].lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html")):
        return "HTML 网页"
    if text.startswith(b"<?xml") or text.startswith(b"<svg"):
        return "XML/SVG 文本"
    try:
        head[:512].decode("utf-8")
        return "文本文件"
    except UnicodeDecodeError:
        return "未知格式"


# In entropy-coded data 0xFF is followed by 0x00 (a stuffed byte), a restart marker or more 0xFF fill
_SCAN_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0-7 carry no length


def jpeg_end(data: bytes) -> int | None:
    """The offset just past the first image's end-of-image marker, found by walking the JPEG's
    segments and scans (an EXIF thumbnail's own marker is inside a segment and skipped); None
    when the file ends first, i.e. it is truncated. Bytes after the marker are a trailer."""
    n = len(data)
    i = 2 if data[:2] == b"\xff\xd8" else n
    while i < n:
        j = data.find(b"\xff", i)
        while 0 <= j < n - 1 and data[j + 1] == 0xFF:  # fill bytes before a marker
            j += 1
        if j < 0 or j >= n - 1:
            return None
        marker, i = data[j + 1], j + 2
        if marker == 0xD9:
            return i
        if marker in _STANDALONE or marker == 0x00:
            continue
        if i + 2 > n:
            return None
        i += int.from_bytes(data[i:i + 2], "big")
        if marker == 0xDA:  # start of scan: skip the entropy-coded data up to the next real marker
            found = _SCAN_MARKER.search(data, i)
            if found is None:
                return None
            i = found.start()
    return None


def png_end(data: bytes) -> int | None:
    """The offset just past a PNG's IEND chunk, found by walking its chunks; None when the file ends
    first (a cut copy, even if the pixels happen to be complete). Bytes after IEND are a trailer."""
    n, i = len(data), 8
    while i + 12 <= n:
        length = int.from_bytes(data[i:i + 4], "big")
        end = i + 12 + length
        if end > n:
            return None
        if data[i + 4:i + 8] == b"IEND":
            return end
        i = end
    return None
