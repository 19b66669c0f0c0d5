"""What a file really is, from its first bytes (the extension is only a hint)."""

from __future__ import annotations

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
