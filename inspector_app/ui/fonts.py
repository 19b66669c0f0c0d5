"""Chinese must render on a machine without system CJK fonts: register the first CJK font found."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ..paths import resource_path

SHIPPED = resource_path("fonts", "wqy-microhei.ttc")
# A well-drawn system font when there is one; else the one we ship, so Chinese never shows as boxes.
CANDIDATES = [
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("C:/Windows/Fonts/msyh.ttc"),
    SHIPPED,
]


def install_cjk_font(app: QApplication, candidates: list[Path] | None = None) -> str | None:
    """Register the first CJK font found and make it the application font; returns its family."""
    for path in candidates or CANDIDATES:
        if path.exists():
            font_id = QFontDatabase.addApplicationFont(str(path))
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if families:
                family = next((f for f in families if "SC" in f or "Micro Hei" in f), families[0])
                app.setFont(QFont(family, 10))
                return family
    return None
