"""Defensive decoding: header limits before any pixel is decoded, then a complete decode of
the compressed data (at reduced scale for JPEG, which still parses every byte), so truncated,
corrupt or hostile files are rejected with a reason instead of crashing the import."""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageFile, ImageOps, PngImagePlugin

from ..errors import PhotoRejected
from .exif import ExifFacts, read_exif
from .sniff import ACCEPTED, jpeg_end, png_end, sniff

ImageFile.LOAD_TRUNCATED_IMAGES = False
# PNG text (tEXt/zTXt/iTXt) and ICC chunks are decompressed in full: bound each chunk and their sum
MAX_TEXT_CHUNK = 2 * 1024 * 1024
MAX_TEXT_MEMORY = 16 * 1024 * 1024
PngImagePlugin.MAX_TEXT_CHUNK = MAX_TEXT_CHUNK
PngImagePlugin.MAX_TEXT_MEMORY = MAX_TEXT_MEMORY
MAX_PIXELS = 150_000_000
MAX_BYTES = 200 * 1024 * 1024
BOMB_RATIO = 2_000  # pixels per byte of file: real photos are far below, crafted bombs far above
THUMB_SIZE = 320
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "HEIF": "heic"}
Image.MAX_IMAGE_PIXELS = MAX_PIXELS * 4  # Pillow stays the last guard; our own check speaks first



_TURNS = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
          5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
          8: Image.Transpose.ROTATE_90}


def _upright(img: Image.Image) -> Image.Image:
    """The picture as the camera was held. A damaged EXIF block (which ``exif_transpose`` may choke
    on at one scale and not another) falls back to the orientation ``read_exif`` found, the one the
    import recorded, so the import and every later rendition agree."""
    try:
        return ImageOps.exif_transpose(img)
    except Exception:  # noqa: BLE001 - a broken EXIF block is not a broken picture
        turn = _TURNS.get(read_exif(img).orientation)
        return img.transpose(turn) if turn is not None else img


@cache
def _heif_opener() -> None:
    """HEIC/HEIF from phones; registered on first decode (pillow-heif costs ~30 ms to import)."""
    import pillow_heif

    pillow_heif.register_heif_opener()


@dataclass(frozen=True, slots=True)
class Decoded:
    format: str
    width: int
    height: int
    facts: ExifFacts
    thumbnail_jpeg: bytes


def check_kind(path: object, head: bytes) -> str:
    kind = sniff(head)
    if kind not in ACCEPTED:
        if kind in ("GIF", "BMP", "TIFF", "WebP", "AVIF"):
            raise PhotoRejected(str(path), "photo.unsupported_format", kind=kind)
        raise PhotoRejected(str(path), "photo.not_an_image", content=kind)
    return kind


def _check_size(path: object, img: Image.Image, byte_size: int) -> None:
    w, h = img.size
    pixels = w * h
    if w <= 0 or h <= 0:
        raise PhotoRejected(str(path), "photo.bad_size", width=w, height=h)
    if pixels > MAX_PIXELS:
        bomb = pixels / max(byte_size, 1) > BOMB_RATIO
        raise PhotoRejected(str(path), "photo.too_many_pixels_bomb" if bomb else "photo.too_many_pixels", width=w,
                            height=h, megapixels=pixels / 1e6, limit=MAX_PIXELS // 1_000_000, kb=byte_size // 1024)
    if pixels > 20_000_000 and pixels / max(byte_size, 1) > BOMB_RATIO:
        raise PhotoRejected(str(path), "photo.bomb", width=w, height=h, kb=byte_size // 1024)


def decode(path: object, data: bytes) -> Decoded:
    """Validate and decode ``data``; raises PhotoRejected naming the cause."""
    kind = check_kind(path, data[:64])
    _heif_opener()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            _check_size(path, img, len(data))
            width, height = img.size
            if kind == "JPEG":
                img.draft("RGB", (THUMB_SIZE, THUMB_SIZE))
            # every byte decoded before EXIF is read: PNG's getexif() loads the pixels itself and
            # swallows a broken stream, which would leave a photo that no report can render
            img.load()
            facts = read_exif(img)
            upright = _upright(img) if kind != "HEIF" else img
            thumb = upright.convert("RGB")
            thumb.thumbnail((THUMB_SIZE, THUMB_SIZE))
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoRejected(str(path), "photo.bomb_detail", detail=str(exc)) from None
    except EOFError:  # pillow-heif's word for a cut file ("Unexpected end of file")
        raise PhotoRejected(str(path), "photo.truncated", kind=kind) from None
    except OSError as exc:
        msg = str(exc)
        if "truncated" in msg or "premature" in msg.lower():
            raise PhotoRejected(str(path), "photo.truncated", kind=kind) from None
        raise PhotoRejected(str(path), "photo.corrupt", kind=kind, detail=msg) from None
    except ValueError as exc:
        if "MAX_TEXT" in str(exc):
            raise PhotoRejected(str(path), "photo.text_too_large", chunk_kb=MAX_TEXT_CHUNK // 1024,
                                total_mb=MAX_TEXT_MEMORY // 2**20) from None
        raise PhotoRejected(str(path), "photo.corrupt", kind=kind, detail=str(exc)) from None
    except (SyntaxError, TypeError, IndexError, struct.error, MemoryError) as exc:
        raise PhotoRejected(str(path), "photo.corrupt", kind=kind, detail=str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - any other failure of a parser on these bytes: they are damaged
        raise PhotoRejected(str(path), "photo.corrupt", kind=kind, detail=f"{type(exc).__name__}: {exc}") from None
    if kind == "JPEG" and jpeg_end(data) is None:  # bytes after the end marker (motion photo, maker trailer) are fine
        raise PhotoRejected(str(path), "photo.jpeg_truncated")
    if kind == "PNG" and png_end(data) is None:  # the pixels may be whole, but the copy was cut short
        raise PhotoRejected(str(path), "photo.truncated", kind=kind)
    if kind == "HEIF":
        facts = _without_orientation(facts)
    if facts.orientation in (5, 6, 7, 8):
        width, height = height, width
    buf = io.BytesIO()
    thumb.save(buf, "JPEG", quality=80)
    return Decoded(kind, width, height, facts, buf.getvalue())


def _without_orientation(facts: ExifFacts) -> ExifFacts:
    """libheif already applied the HEIF transforms: the EXIF tag must not rotate it again."""
    return ExifFacts(1, facts.taken_at, facts.taken_at_offset, facts.gps_lat, facts.gps_lon, facts.gps_alt,
                     facts.camera_make, facts.camera_model)


def render(data_path: Path, long_side: int, sha256: str) -> Image.Image:
    """An upright RGB rendition of a stored original, at most ``long_side`` pixels. An original that
    cannot be decoded (imported before the import decoded every byte) raises PhotoRejected naming
    it; a disk that cannot be read raises OSError."""
    _heif_opener()
    data = data_path.read_bytes()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.format == "JPEG":
                img.draft("RGB", (long_side, long_side))
            img.load()  # every byte decoded first: a broken stream must raise here, not be turned half-made
            upright = _upright(img) if img.format not in ("HEIF", "HEIC") else img
            out = upright.convert("RGB")
    except (OSError, ValueError, SyntaxError, TypeError, IndexError, struct.error, MemoryError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoRejected(str(data_path), "photo.original_undecodable", sha=sha256[:12], detail=str(exc)) from None
    out.thumbnail((long_side, long_side))
    return out
