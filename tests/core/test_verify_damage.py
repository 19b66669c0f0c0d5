"""``verify`` and damaged files (issue 15, item 10): a changed byte in a kept report PDF is named;
a damaged database file is refused as damaged, naming the file, SQLite's words and how to restore
it, with exit code 4, never "what was saved is unaffected" and never a traceback."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import cli

from inspector_app import cli as entry
from inspector_app.app import open_app
from inspector_app.errors import DatabaseDamaged
from inspector_app.messages import MESSAGES
from inspector_app.services import issuing, review, visits

UNAFFECTED = ("不受影响", "unaffected")


def run_verify(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    """The CLI's own entry point in this process: exit code, its JSON on stdout, its stderr."""
    code = entry.main(["--data-dir", str(data_dir), "--json", "verify"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else {}, captured.err


def flip(path: Path, position: int) -> None:
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[position] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture
def issued(demo_dir: Path):
    """The demo with a rectification notice issued and a process report submitted (a kept draft PDF)."""
    ctx = open_app(demo_dir, actor="李敏")
    try:
        first = min(visits.list_visits(ctx.db, "BJ-DX-2024-017"), key=lambda v: v.started_at)
        notice = issuing.issue_report(ctx, "notice", "BJ-DX-2024-017", visit_id=first.id)
        draft = review.submit_report(ctx, "process", "BJ-DX-2024-017", visit_id=first.id)
        return demo_dir, notice, draft, issuing.issued_pdf(ctx, notice.id)
    finally:
        ctx.close()


def test_one_changed_byte_in_an_issued_pdf_is_named(issued, capsys):
    data_dir, notice, draft, pdf = issued
    code, report, _err = run_verify(data_dir, capsys)
    assert code == 0 and report["ok"] and report["pdfs_checked"] == 2

    flip(pdf, pdf.stat().st_size // 2)
    code, report, _err = run_verify(data_dir, capsys)
    assert code == 1 and not report["damaged"]
    [problem] = report["problems"]
    assert f"{notice.number} 第1版" in problem and "已被改动" in problem and str(pdf) in problem

    draft_pdf = pdf.parent.parent / draft.pdf_sha256[:2] / f"{draft.pdf_sha256}.pdf"
    draft_pdf.chmod(0o644)
    draft_pdf.unlink()
    code, report, _err = run_verify(data_dir, capsys)
    assert code == 1 and len(report["problems"]) == 2
    assert any(draft.number in p and "缺失" in p and str(draft_pdf) in p for p in report["problems"])


def _dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, as stored (text as bytes: nothing is decoded or converted)."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    conn.text_factory = bytes
    try:
        tables = [t.decode() for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
    finally:
        conn.close()


def test_random_byte_changes_in_the_database_are_found_or_harmless(demo_template, tmp_path, capsys):
    """25 seeded positions over the whole file (header, b-tree pages in the middle, the end): each
    ends in verify passing over data unchanged row for row, or in the refusal "database damaged"."""
    source = tmp_path / "source"
    shutil.copytree(demo_template, source, ignore=shutil.ignore_patterns("photos", "cache"))
    database = source / "inspector.sqlite3"
    conn = sqlite3.connect(database)  # one file, no WAL beside it: the copy is the whole database
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    original = _dump(database)
    size = database.stat().st_size
    rng = random.Random(15)
    # the header's page size (16) and page count (28), one byte of page 1, 22 over the rest of the file
    positions = sorted({16, 28, rng.randrange(100, 4096), *rng.sample(range(4096, size), 22)})
    assert len(positions) == 25 and sum(1 for p in positions if size // 4 < p < 3 * size // 4) >= 8
    outcomes = {}
    for position in positions:
        folder = tmp_path / f"at-{position}"
        shutil.copytree(source, folder)
        (folder / "photos").symlink_to(demo_template / "photos", target_is_directory=True)
        flip(folder / "inspector.sqlite3", position)
        code, report, err = run_verify(folder, capsys)
        shown = json.dumps(report, ensure_ascii=False) + err
        assert "Traceback" not in err and not any(u in shown for u in UNAFFECTED), (position, shown)
        if code == 0:
            assert report["ok"] and _dump(folder / "inspector.sqlite3") == original, position
        else:
            assert code == 4, (position, code, shown)
            damage = report.get("damage") or json.loads(err)
            assert damage["error"] == "database_damaged" and damage["path"] == str(folder / "inspector.sqlite3")
            assert "已损坏" in damage["message"] and "替换" in damage["message"], shown
        outcomes[position] = code
        shutil.rmtree(folder)
    assert 4 in outcomes.values(), outcomes  # the sample does reach data that matters


@pytest.fixture
def damaged_dir(demo_template: Path, tmp_path: Path) -> Path:
    """A copy of the demo whose database has one b-tree page in the middle overwritten."""
    folder = tmp_path / "damaged"
    shutil.copytree(demo_template, folder, ignore=shutil.ignore_patterns("photos", "cache"))
    database = folder / "inspector.sqlite3"
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(database.read_bytes())
    middle = (len(data) // 4096 // 2) * 4096
    data[middle:middle + 16] = b"\x0d\xff\xff" + b"\xee" * 13  # a leaf page header pointing nowhere
    database.write_bytes(bytes(data))
    return folder


def test_any_command_on_a_damaged_file_is_refused_with_how_to_restore(damaged_dir):
    backups = damaged_dir / "backups"
    backups.mkdir(exist_ok=True)
    backup = backups / "inspector-20250101-120000-before-0007.sqlite3"
    shutil.copy(damaged_dir / "inspector.sqlite3", backup)  # only its name matters to the message
    for args in (("verify",), ("project", "list")):
        proc = cli(*args, data_dir=damaged_dir)
        assert proc.returncode == 4, (args, proc.stdout, proc.stderr)
        out = proc.stdout + proc.stderr
        assert "Traceback" not in out and not any(u in out for u in UNAFFECTED), out
        assert str(damaged_dir / "inspector.sqlite3") in out and "已损坏" in out and str(backup) in out


def test_a_file_that_is_not_a_database_is_damaged_not_a_storage_error(tmp_path, capsys):
    folder = tmp_path / "data"
    open_app(folder).close()
    database = folder / "inspector.sqlite3"
    database.write_bytes(b"\x00" * 8192)
    code = entry.main(["--data-dir", str(folder), "--json", "project", "list"])
    err = capsys.readouterr().err
    assert code == 4 and json.loads(err)["error"] == "database_damaged" and "不受影响" not in err
    assert "没有自动备份" in json.loads(err)["message"]
    with pytest.raises(DatabaseDamaged) as caught:
        open_app(folder)
    assert caught.value.path == database and "file is not a database" in caught.value.detail


def test_the_damage_message_is_said_in_both_languages():
    for key in ("database.damaged", "database.restore_backup", "database.restore_no_backup", "verify.pdf_altered",
                "verify.pdf_missing", "storage.failed"):
        zh, en = MESSAGES[key]
        assert zh and en and zh != en
    assert not any(u in MESSAGES["database.damaged"][0] + MESSAGES["database.damaged"][1] for u in UNAFFECTED)
