"""What building a report hands back: where the file is, its pages, size and SHA-256."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ReportFile:
    path: str
    pages: int | None  # None for a spreadsheet
    bytes: int
    sha256: str


def describe(path: str | os.PathLike[str], pages: int | None) -> ReportFile:
    p = Path(path)
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return ReportFile(str(p.resolve()), pages, p.stat().st_size, h.hexdigest())
