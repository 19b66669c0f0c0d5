"""Screenshots of the main window for docs/screenshots/ (run: make screenshots, under Xvfb)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from inspector_app.app import open_app
from inspector_app.services import demo
from inspector_app.ui.fonts import install_cjk_font
from inspector_app.ui.main_window import MainWindow

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    install_cjk_font(app)
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_app(tmp)
        demo.create_demo(ctx.db, ctx.store)
        window = MainWindow(ctx)
        window.resize(1440, 900)
        window.show()
        for _ in range(20):
            app.processEvents()
        path = OUT / "main_window.png"
        window.grab().save(str(path))
        print(path)
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
