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


def settle(app: QApplication) -> None:
    for _ in range(30):
        app.processEvents()


def shoot(window: MainWindow, name: str) -> None:
    path = OUT / name
    window.grab().save(str(path))
    print(path)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    install_cjk_font(app)
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_app(tmp)
        demo.create_demo(ctx.db, ctx.store)
        window = MainWindow(ctx)
        window.resize(1600, 960)
        window.show()
        rows = [window.model.finding(r).label for r in range(window.model.rowCount())]
        window.table.selectRow(rows.index("F049"))  # the serious finding that holds the gate
        settle(app)
        shoot(window, "main_window.png")
        window.filters.text.insert("卫生间")
        window.filters.overdue.setChecked(True)
        window.table.selectRow(0)
        settle(app)
        shoot(window, "findings_filtered.png")
        editor = window.open_editor()
        if editor is not None:
            editor.building.setCurrentText("3#楼")
            editor.floor.setCurrentText("10F")
            editor.location.setText("1003户卫生间")
            editor.subdivision.setCurrentIndex(editor.subdivision.findData("0301"))
            editor.coverage.setCurrentIndex(editor.coverage.findData("WPI-2"))
            editor.description.setText("二次闭水试验 24 h 后楼下顶板管根部位渗水")
            editor.clause.setText("GB 50209-2010 第4.10.11条")
            settle(app)
            path = OUT / "finding_editor.png"
            editor.grab().save(str(path))
            print(path)
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
