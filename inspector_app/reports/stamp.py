"""The same data makes the same PDF bytes (issue 12: a period report is byte-for-byte the same before
and after events dated after its period): the creation date and the document ID a report states come
from its data (the day it was made, the snapshot), never from the clock or a random number."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from reportlab.pdfgen.canvas import Canvas

SITE_TZ = timezone(timedelta(hours=8), "CST")  # the reports' dates are Beijing days


def created(data: Any) -> datetime | None:
    """The creation moment a report states: the start of the day it was made (``generated_on``)."""
    day = getattr(data, "generated_on", None)
    return datetime.combine(day, time(), SITE_TZ) if isinstance(day, date) else None


def fingerprint(data: Any) -> str:
    """What the file's /ID is made from: the snapshot (two reports differ in ID when their data does)."""
    to_json = getattr(data, "to_json", None)
    text = to_json() if callable(to_json) else str(getattr(data, "report_no", ""))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fix(canv: Canvas, moment: datetime | None, seed: str) -> None:
    """Set a fresh canvas's creation date to ``moment`` and mix ``seed`` into its /ID (reportlab's
    invariant mode otherwise states 2000-01-01 and one ID for every file)."""
    doc = canv._doc
    if moment is not None:
        offset = int((moment.utcoffset() or timedelta()).total_seconds())
        ts = doc._timeStamp
        ts.t, ts.lt = moment.timestamp(), moment.timetuple()
        ts.YMDhms = tuple(moment.timetuple())[:6]
        ts.dhh, ts.dmm, ts.tzname = offset // 3600, offset % 3600 // 60, moment.tzname() or "UTC"
    if seed:
        doc.updateSignature(seed)
