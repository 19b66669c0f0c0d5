"""Two processes on one data folder (issue 15, items 5 and 6): a start cleans up only what dead
processes left, an import in another process runs on, two issues at once both get a number (or a
clear refusal), and neither an issue that fails nor one that is killed leaves a PDF behind."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from conftest import cli
from PIL import Image
from sqlalchemy import select

from inspector_app.app import open_app
from inspector_app.models import IssuedReport, Photo
from inspector_app.photos import PhotoStore
from inspector_app.photos.staging import LEASE_SUFFIX, remove_abandoned
from inspector_app.services import projects, visits

DEMO = "BJ-DX-2024-017"


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("DISPLAY", None)
    return env


def _app(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "inspector_app", "--data-dir", str(data), *args]


def _photos(folder: Path, count: int, size=(2400, 1800)) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        img = Image.effect_noise((size[0] // 8, size[1] // 8), 50).convert("RGB").resize(size)
        img.putpixel((i, i), (i, 3, 200))  # distinct bytes
        path = folder / f"IMG_{i:03d}.jpg"
        img.save(path, "JPEG", quality=90)
        out.append(path)
    return out


@pytest.fixture
def visit_dir(tmp_path, spec):
    data = tmp_path / "data"
    ctx = open_app(data)
    project = projects.create_project(ctx.db, spec)
    visit = visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9), node_codes=["N03"],
                               inspectors=["赵工"])
    ctx.close()
    return data, visit.id


def _holder(folder: Path) -> subprocess.Popen:
    """Another live process with a file staged in ``folder``; prints the file's path."""
    code = ("import sys, time\nfrom pathlib import Path\nfrom inspector_app.photos.staging import staged_path\n"
            f"p = staged_path(Path({str(folder)!r}), '.tmp')\np.write_bytes(b'x' * 1000)\n"
            "p.with_name(f'.{p.name}.layout.tmp').write_bytes(b'side file')\n"
            "print(p, flush=True)\ntime.sleep(120)\n")
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)


def test_a_start_keeps_a_live_processs_staged_file_and_removes_a_dead_ones(tmp_path):
    store = PhotoStore(tmp_path / "photos", tmp_path / "cache")
    incoming = store.originals_root / ".incoming"
    holder = _holder(incoming)
    try:
        staged = Path(holder.stdout.readline().strip())
        assert staged.exists()
        assert store.cleanup_temporaries() == 0
        assert staged.exists(), "a start removed the staged file of a live import"
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        assert store.cleanup_temporaries() == 3  # the file, its side file and the lease
        assert not staged.exists() and not list(incoming.glob(f"*{LEASE_SUFFIX}"))
    finally:
        holder.kill()
        holder.wait()


def test_files_of_unknown_owner_go_only_when_old(tmp_path):
    folder = tmp_path / ".incoming"
    folder.mkdir()
    young, old = folder / ".4242.abcdef.tmp", folder / ".4243.abcdef.pdf"  # names of an earlier version
    young.write_bytes(b"y")
    old.write_bytes(b"o")
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    assert remove_abandoned(folder) == 1
    assert young.exists() and not old.exists()
    thumb = tmp_path / "cache" / "thumbs" / "ab" / ".abc.jpg.4242.0011.tmp"  # a thumbnail being written
    thumb.parent.mkdir(parents=True)
    thumb.write_bytes(b"t")
    store = PhotoStore(tmp_path / "photos", tmp_path / "cache")
    assert store.cleanup_temporaries() == 0 and thumb.exists()
    os.utime(thumb, (two_days_ago, two_days_ago))
    assert store.cleanup_temporaries() == 1 and not thumb.exists()


@pytest.mark.slow
def test_an_import_runs_on_while_other_processes_start(visit_dir, tmp_path):
    """Every start used to delete the staged original of the import running in another process."""
    data, visit_id = visit_dir
    files = _photos(tmp_path / "batch", 24)
    proc = subprocess.Popen(_app(data, "--json", "photos", "import", "--visit", str(visit_id), "--workers", "1",
                                 *map(str, files)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env())
    starts = 0
    while proc.poll() is None:  # start the app again and again, in this process, as long as the import runs
        open_app(data).close()
        starts += 1
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert "磁盘空间" not in err
    assert [r["status"] for r in json.loads(out)] == ["imported"] * len(files)
    assert starts >= 5
    ctx = open_app(data)
    with ctx.db.read() as s:
        assert len(s.execute(select(Photo.id)).all()) == len(files)
    ctx.close()


def test_json_lists_the_photos_saved_before_a_storage_failure(visit_dir, tmp_path):
    data, visit_id = visit_dir
    files = _photos(tmp_path / "batch", 3, size=(320, 240))
    shas = [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]
    assert len({s[:2] for s in shas}) == 3
    blocker = data / "photos" / shas[1][:2]  # the second photo's folder cannot be made: a file is in the way
    blocker.write_bytes(b"")
    proc = cli("--json", "photos", "import", "--visit", str(visit_id), "--workers", "1", *map(str, files),
               data_dir=data)
    assert proc.returncode == 1
    assert json.loads(proc.stderr)["error"] == "storage"
    saved = json.loads(proc.stdout)
    assert [(r["status"], r["sha256"]) for r in saved] == [("imported", shas[0])]


def _pdfs(data: Path) -> set[str]:
    return {p.stem for p in (data / "reports").glob("??/*.pdf")}


def _recorded(data: Path) -> list[tuple[str, int, str]]:
    ctx = open_app(data)
    try:
        with ctx.db.read() as s:
            return [tuple(r) for r in s.execute(select(IssuedReport.number, IssuedReport.revision,
                                                       IssuedReport.pdf_sha256).order_by(IssuedReport.id))]
    finally:
        ctx.close()


def _issue(data: Path, visit: int) -> subprocess.Popen:
    return subprocess.Popen(_app(data, "--json", "--as", "李敏", "report", "issue", "notice", "--project", DEMO,
                                 "--visit", str(visit)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env(), start_new_session=True)


@pytest.mark.slow
def test_two_issues_at_once_both_get_a_number(demo_dir):
    before = _pdfs(demo_dir)
    procs = [_issue(demo_dir, 1), _issue(demo_dir, 2)]
    results = [(p.wait(300), *p.communicate()) for p in procs]
    for code, _out, err in results:
        assert code == 0, err
        assert "UNIQUE" not in err
    numbers = sorted(json.loads(out)["number"] for _code, out, _err in results)
    assert numbers == [f"{DEMO}-TZ-001", f"{DEMO}-TZ-002"]
    rows = _recorded(demo_dir)
    assert sorted(r[0] for r in rows) == numbers
    assert _pdfs(demo_dir) - before == {r[2] for r in rows}, "a PDF no report names was left"
    assert not [p for p in (demo_dir / "reports" / ".incoming").iterdir()]


@pytest.mark.slow
def test_the_same_notice_issued_twice_at_once_is_refused_once_and_leaves_no_pdf(demo_dir):
    before = _pdfs(demo_dir)
    procs = [_issue(demo_dir, 1), _issue(demo_dir, 1)]
    results = sorted((p.wait(300), *p.communicate()) for p in procs)
    assert [code for code, _o, _e in results] == [0, 1], results
    refusal = json.loads(results[1][2])
    assert refusal["key"] == "report.already_issued" and "UNIQUE" not in results[1][2]
    rows = _recorded(demo_dir)
    assert len(rows) == 1
    assert _pdfs(demo_dir) - before == {rows[0][2]}, "the refused issue left its PDF"


@pytest.mark.slow
def test_a_killed_issue_leaves_no_partial_pdf_after_the_next_start(demo_dir):
    incoming = demo_dir / "reports" / ".incoming"
    proc = _issue(demo_dir, 1)
    deadline = time.monotonic() + 120
    partial: list[Path] = []
    while not partial and proc.poll() is None and time.monotonic() < deadline:
        partial = [p for p in incoming.glob("*.pdf") if p.stat().st_size > 0] if incoming.is_dir() else []
        time.sleep(0.01)
    assert partial, "the issue ended before its PDF was seen being written"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert any(p.exists() for p in partial) or list(incoming.glob("*.pdf"))  # what the kill left
    assert cli("project", "list", data_dir=demo_dir).returncode == 0  # the next start cleans up
    assert not list(incoming.iterdir()), "a killed issue's partial PDF (or its lease) stayed"


@pytest.fixture
def racing(monkeypatch):
    """Run ``other`` (a command line in another process) while this process renders its first PDF."""
    from inspector_app.services import issuing

    real = issuing.keep_pdf
    rendered: list[str] = []

    def arm(data_dir: Path, *other: str):
        def keep(ctx, kind, data, **kw):
            rendered.append(data.report_no)
            made = real(ctx, kind, data, **kw)
            if len(rendered) == 1:
                proc = cli("--json", "--as", "李敏", *other, data_dir=data_dir)
                assert proc.returncode == 0, proc.stderr
            return made

        monkeypatch.setattr(issuing, "keep_pdf", keep)
        return rendered

    return arm


def test_a_number_taken_while_rendering_is_rendered_again_under_the_next(demo_dir, racing):
    from inspector_app.services import issuing

    rendered = racing(demo_dir, "report", "issue", "notice", "--project", DEMO, "--visit", "2")
    before = _pdfs(demo_dir)
    ctx = open_app(demo_dir, actor="李敏")
    try:
        info = issuing.issue_report(ctx, "notice", DEMO, visit_id=1)
    finally:
        ctx.close()
    assert rendered == [f"{DEMO}-TZ-001", f"{DEMO}-TZ-002"]  # the other process took 001 meanwhile
    assert info.number == f"{DEMO}-TZ-002"
    rows = _recorded(demo_dir)
    assert sorted(r[0] for r in rows) == [f"{DEMO}-TZ-001", f"{DEMO}-TZ-002"]
    assert _pdfs(demo_dir) - before == {r[2] for r in rows}, "the PDF rendered under 001 was left"


def test_a_draft_issued_meanwhile_by_another_process_is_refused_without_an_orphan(demo_dir, racing):
    from inspector_app.errors import RuleViolation
    from inspector_app.services import review

    ctx = open_app(demo_dir, actor="李敏")
    try:
        draft = review.submit_report(ctx, "notice", DEMO, visit_id=1)
        review.approve_report(ctx, draft.number, by="张磊")
        review.approve_report(ctx, draft.number, by="陈静")
        racing(demo_dir, "report", "issue", draft.number)
        before = _pdfs(demo_dir)
        with pytest.raises(RuleViolation) as refused:
            review.issue_draft(ctx, draft.number)
    finally:
        ctx.close()
    assert refused.value.key == "report.not_approved" and "已签发" in refused.value.message
    rows = _recorded(demo_dir)
    assert len(rows) == 1
    assert _pdfs(demo_dir) - before == {rows[0][2]}, "the refused issue left its PDF"
