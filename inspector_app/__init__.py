"""IDI Inspector: risk-management inspections for residential latent defect insurance (IDI)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Kept equal to pyproject.toml's version by tests/test_architecture.py; the build records it.
__version__ = "0.2.0"


def build_info() -> dict[str, str]:
    """What the standalone build recorded (packaging/build_info.py); a source run says so."""
    base = Path(getattr(sys, "_MEIPASS", "")) if getattr(sys, "frozen", False) else None
    if base is not None:
        try:
            return dict(json.loads((base / "build_info.json").read_text("utf-8")))
        except (OSError, ValueError):
            pass
    return {"version": __version__, "commit": "source", "built_at": "", "platform": "", "python": ""}


def version_line() -> str:
    info = build_info()
    extra = f" (build {info['commit']}, {info['built_at']}, {info['platform']})" if info.get("built_at") else " (source)"
    return f"IDI Inspector {info['version']}{extra}"
