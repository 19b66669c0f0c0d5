"""Chinese must render on a machine without system CJK fonts: register the first CJK font found."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ..paths import resource_path

CANDIDATES = [
    resource_path("fonts", "NotoSansSC-Regular.otf"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("C:/Windows/Fonts/msyh.ttc"),
]


def install_cjk_font(app: QApplication) -> str | None:
    for path in CANDIDATES:
        if path.exists():
            font_id = QFontDatabase.addApplicationFont(str(path))
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if families:
                family = next((f for f in families if "SC" in f), families[0])
                app.setFont(QFont(family, 10))
                return family
    return None
