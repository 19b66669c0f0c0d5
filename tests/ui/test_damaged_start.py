"""A damaged database file at start: the window says so (the file, SQLite's words, how to restore)
and the program ends with the command line's exit code for it, never a traceback."""

import shutil

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QMessageBox  # noqa: E402

from inspector_app.paths import resolve_paths  # noqa: E402
from inspector_app.ui import main_window  # noqa: E402


@pytest.mark.parametrize("damage", ["not a database", "a broken page"])
def test_a_damaged_database_is_said_at_start(qtbot, demo_dir, tmp_path, monkeypatch, damage):
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    db = resolve_paths(data).database
    raw = bytearray(db.read_bytes())
    if damage == "not a database":
        raw[:16] = b"this is no db!!\0"
    else:  # the second page's header: the b-tree page type byte
        raw[4096] = 0x77
    db.write_bytes(bytes(raw))
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, title, text, *a, **k: said.append((title, text)))
    assert main_window.run(data) == 4
    [(title, text)] = said
    assert title == "数据文件已损坏" and str(db) in text and "SQLite" in text
    assert "不受影响" not in text
