"""EXIF facts that matter for evidence: orientation, time taken, GPS, camera. Malformed
values give None, never an exception."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PIL import Image

ORIENTATION, MAKE, MODEL, DATETIME = 0x0112, 0x010F, 0x0110, 0x0132
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x9003, 0x9011


@dataclass(frozen=True, slots=True)
class ExifFacts:
    orientation: int = 1
    taken_at: datetime | None = None
    taken_at_offset: str | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    camera_make: str | None = None
    camera_model: str | None = None


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    value = value.strip("\x00 \t\r\n")
    return value or None


def _when(value: Any) -> datetime | None:
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def _degrees(value: Any, ref: Any) -> float | None:
    try:
        d, m, s = (float(x) for x in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    deg = d + m / 60 + s / 3600
    if not 0 <= deg <= 180:
        return None
    return -deg if _text(ref) in ("S", "W") else deg


def read_exif(img: Image.Image) -> ExifFacts:
    try:
        exif = img.getexif()
    except Exception:  # noqa: BLE001  (a broken EXIF block must not reject the photo)
        return ExifFacts()
    try:
        sub = exif.get_ifd(EXIF_IFD)
        gps = exif.get_ifd(GPS_IFD)
    except Exception:  # noqa: BLE001
        sub, gps = {}, {}
    orientation = exif.get(ORIENTATION, 1)
    orientation = orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else 1
    lat = _degrees(gps.get(2), gps.get(1)) if gps else None
    lon = _degrees(gps.get(4), gps.get(3)) if gps else None
    if lat is not None and abs(lat) > 90:
        lat = None
    alt = None
    try:
        if gps and gps.get(6) is not None:
            alt = float(gps[6]) * (-1 if gps.get(5) in (1, b"\x01") else 1)
    except (TypeError, ValueError, ZeroDivisionError):
        alt = None
    return ExifFacts(
        orientation=orientation,
        taken_at=_when(sub.get(DATETIME_ORIGINAL)) or _when(exif.get(DATETIME)),
        taken_at_offset=_text(sub.get(OFFSET_TIME_ORIGINAL)),
        gps_lat=lat if lon is not None else None,
        gps_lon=lon if lat is not None else None,
        gps_alt=alt,
        camera_make=_text(exif.get(MAKE)),
        camera_model=_text(exif.get(MODEL)),
    )
