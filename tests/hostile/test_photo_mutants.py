"""The standing hostile-photo suite: about 200 generated files (mutants of real camera photos, bombs,
wrong types, names that are not UTF-8, pipes, devices, links, unreadable files) imported in one
batch by the real command line, as an inspector imports a card. Each valid photo is taken, each
invalid one is refused with its reason, the batch goes on to the end (exit 3), no traceback
reaches the user, `verify` passes afterwards, and every photo taken decodes whole for a report.

``IDI_HOSTILE_SCALE=N`` makes N times as many random mutants (``bench/hostile.py``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import TESTDATA, cli_workspace

from hostile.mutants import EITHER, IMPORT, REFUSE, SCALE, Mutant, all_mutants, record, write
from inspector_app.app import open_app
from inspector_app.errors import PhotoRejected
from inspector_app.photos import readable_path

ORIENTATION = TESTDATA / "exif-orientation"
pytestmark = pytest.mark.skipif(not ORIENTATION.is_dir(), reason="../shared/testdata not present")
PHOTOS = ["Landscape_1.jpg", "Portrait_6.jpg", "Landscape_3.jpg", "Portrait_8.jpg"]


def unprivileged() -> list[str]:
    """Run the import as a user the file modes bind: root (CI) reads a mode-000 file unless its
    DAC override is dropped (util-linux setpriv); [] when that is not needed or not possible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"] if setpriv else []


def run(argv: list[bytes | str], data_dir: Path, *, prefix: list[str] | None = None,
        timeout: int = 600) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("DISPLAY", None)
    return subprocess.run([*(prefix or []), sys.executable, "-m", "inspector_app", "--data-dir", str(data_dir),
                           "--json", *argv], capture_output=True, env=env, timeout=timeout)


def no_traceback(proc: subprocess.CompletedProcess[bytes]) -> None:
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "Error:" not in err.replace("错误：", ""), err[-3000:]


def judge(m: Mutant, result: dict) -> str | None:
    """What is wrong with the import's answer for ``m``, or None."""
    status, key, reason = result["status"], result.get("reason_key"), result.get("reason") or ""
    taken = status in ("imported", "duplicate")
    if m.expect == IMPORT and not taken:
        return f"a valid photo was refused: {key} {reason}"
    if m.expect == REFUSE:
        if taken:
            return "an invalid file was taken as evidence"
        if m.reasons and key not in m.reasons:
            return f"refused for the wrong reason: {key} {reason} (expected one of {sorted(m.reasons)})"
    if status == "rejected" and (not key or not key.startswith("photo.") or not reason.strip()):
        return f"a refusal without a named reason: {result}"
    if status not in ("imported", "duplicate", "rejected"):
        return f"unknown status {status}"
    return None


def test_a_card_of_hostile_files_imports_the_valid_refuses_the_rest_and_verify_passes(tmp_path):
    mutants = all_mutants([ORIENTATION / n for n in PHOTOS])
    prefix = unprivileged()
    if os.geteuid() == 0 and not prefix:  # root without setpriv reads a mode-000 file: it is valid then
        mutants = [m for m in mutants if m.special != "unreadable"]
    valid = (ORIENTATION / "Landscape_6.jpg").read_bytes()
    argv = write(mutants, tmp_path / "card", tmp_path / "elsewhere", valid)
    data, _project, visit = cli_workspace(tmp_path)

    proc = run(["photos", "import", "--visit", str(visit["id"]), *argv], data, prefix=prefix)
    no_traceback(proc)
    assert proc.returncode == 3, proc.stderr.decode("utf-8", "replace")[-2000:]  # some refused, the rest taken
    results = {r["path"]: r for r in json.loads(proc.stdout)}

    card, outside = os.fsencode(tmp_path / "card"), os.fsencode(tmp_path / "elsewhere")
    wrong, seen = [], Counter()
    for m in mutants:
        shown = readable_path(Path(os.fsdecode(os.path.join(outside if m.explicit else card, m.name))))
        result = results.pop(shown, None)
        if result is None:
            wrong.append(f"{m.name!r}: no result line (the batch skipped it or stopped)")
            continue
        problem = judge(m, result)
        if problem:
            wrong.append(f"{m.kind} {m.name!r}: {problem}")
        seen[(m.kind, "taken" if result["status"] != "rejected" else "refused")] += 1
    assert not wrong, "\n".join(wrong)
    assert not results, f"results for files that were not made: {sorted(results)}"
    taken = sum(n for (_k, how), n in seen.items() if how == "taken")
    assert taken >= sum(m.expect == IMPORT for m in mutants)

    proc = run(["verify"], data)  # the store and the database hold only what is whole
    no_traceback(proc)
    assert proc.returncode == 0, proc.stdout.decode()[-3000:]
    assert json.loads(proc.stdout)["ok"] is True

    ctx = open_app(data, actor="赵工")  # what was taken decodes whole: a report can use each one
    try:
        shas = {sha for sha, _path in ctx.store.iter_stored()}
        assert len(shas) >= taken - sum(1 for m in mutants if m.special == "link")  # the link is its target
        for sha in shas:
            assert ctx.store.rendition_path(sha).stat().st_size > 0
    finally:
        ctx.close()

    for (kind, how), n in sorted(seen.items()):
        record("photo files", f"{kind} {how}", n)
    assert sum(seen.values()) == len(mutants) >= 150 + 20 * (SCALE - 1)  # about 170 at scale 1
    assert {m.expect for m in mutants} == {IMPORT, REFUSE, EITHER}


def test_a_worker_that_dies_on_a_file_costs_that_file_not_the_batch(tmp_path, monkeypatch):
    """A decoder crash (or the system killing a worker for memory) on one file of a card: that file
    is refused by name, every other photo of the batch is imported, in order."""
    from hostile import mutants
    from inspector_app.photos import PhotoStore, batch, ingest_many

    monkeypatch.setattr(batch, "WORKER", mutants.crashing_work)
    files = []
    for i, name in enumerate(["a.jpg", "b.jpg", "crash.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg"]):
        files.append(tmp_path / name)
        files[-1].write_bytes((ORIENTATION / PHOTOS[i % len(PHOTOS)]).read_bytes() + bytes(i + 1))
    store = PhotoStore(tmp_path / "originals", tmp_path / "cache")
    outcomes = list(ingest_many(store, files, workers=2))
    assert [p.name for p, _o in outcomes] == [f.name for f in files]
    refused = {p.name: o.key for p, o in outcomes if isinstance(o, PhotoRejected)}
    assert refused == {"crash.jpg": "photo.decoder_crashed"}
    assert len(list(store.iter_stored())) == 6
