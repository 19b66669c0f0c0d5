"""``verify`` decodes every stored original (issue 15, item 1): a photo imported before the import
decoded every byte (a PNG with a broken IDAT stream) hashes fine but no report can render it.
verify names it (photo id, finding, file name, hash prefix) with the command that removes it and
exits 1; after ``photos remove`` it passes. The decode is the import's own, on several cores."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from conftest import cli
from PIL import Image

from inspector_app.app import open_app
from inspector_app.photos import PhotoStore, batch
from inspector_app.photos import store as store_module
from inspector_app.photos.decode import decode
from inspector_app.services import findings
from inspector_app.services.integrity import verify
from inspector_app.services.photos import import_photos

CODE = "BJ-DX-2024-017"


def png_bytes(size: tuple[int, int] = (400, 300)) -> bytes:
    buf = io.BytesIO()
    Image.effect_noise(size, 50).convert("RGB").save(buf, "PNG")
    return buf.getvalue()


def broken_idat(data: bytes) -> bytes:
    """The same PNG with 50 bytes of its compressed pixels zeroed, the chunk's CRC made right (as in
    tests/photos/test_damaged_photos.py): it hashes like any file, it does not decode."""
    at = data.index(b"IDAT")
    length = struct.unpack(">I", data[at - 4:at])[0]
    body = bytearray(data[at + 4:at + 4 + length])
    body[length // 2:length // 2 + 50] = bytes(50)
    fixed = b"IDAT" + bytes(body)
    return data[:at - 4] + struct.pack(">I", length) + fixed + struct.pack(">I", zlib.crc32(fixed)) \
        + data[at + 8 + length:]


def plant_undecodable(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int, str]:
    """Import a PNG with a broken pixel stream onto the demo's first finding, as an earlier version
    did (its decode stopped before the pixels: here, the check is shown a sound PNG of the same
    size); returns the photo id, the finding number and the original's SHA-256."""
    sound = png_bytes()
    broken = tmp_path / "IMG_0042.png"
    broken.write_bytes(broken_idat(sound))
    monkeypatch.setattr(store_module, "decode", lambda path, _data: decode(path, sound))
    ctx = open_app(data_dir, actor="李敏")
    try:
        first = min(findings.list_findings(ctx.db, CODE), key=lambda f: f.number)
        [result] = list(import_photos(ctx.db, ctx.store, [broken], finding_id=first.id, role="before", workers=1))
        assert result.status == "imported", result
        assert result.photo_id is not None and result.sha256 is not None
        return result.photo_id, first.number, result.sha256
    finally:
        monkeypatch.undo()
        ctx.close()


def test_verify_names_an_undecodable_original_and_passes_after_it_is_removed(demo_dir, tmp_path, monkeypatch):
    before = cli("--json", "verify", data_dir=demo_dir)
    assert before.returncode == 0, before.stdout + before.stderr
    photo_id, number, sha = plant_undecodable(demo_dir, tmp_path, monkeypatch)

    proc = cli("--json", "verify", data_dir=demo_dir)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    report = json.loads(proc.stdout)
    [problem] = report["problems"]
    for part in (sha[:12], "无法解码", f"照片 {photo_id}", CODE, f"F{number:03d}", "IMG_0042.png",
                 f"photos remove {photo_id}"):
        assert part in problem, (part, problem)
    text = cli("verify", data_dir=demo_dir)  # the same, as a person reads it
    assert text.returncode == 1 and f"photos remove {photo_id}" in text.stdout

    removed = cli("photos", "remove", str(photo_id), data_dir=demo_dir)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    after = cli("--json", "verify", data_dir=demo_dir)
    assert after.returncode == 0 and json.loads(after.stdout)["ok"], after.stdout


def test_an_undecodable_original_no_photo_uses_is_named_with_its_file(tmp_path):
    store = PhotoStore(tmp_path / "originals", tmp_path / "cache")
    data = broken_idat(png_bytes())
    sha = hashlib.sha256(data).hexdigest()
    target = store.originals_root / sha[:2] / f"{sha}.png"
    target.parent.mkdir(parents=True)
    target.write_bytes(data)
    ctx = open_app(tmp_path / "data", actor="李敏")
    try:
        report = verify(ctx.db, store, workers=1)
    finally:
        ctx.close()
    [problem] = report.problems
    assert sha[:12] in problem and "没有照片使用它" in problem and str(target) in problem


def test_the_decode_runs_in_worker_processes_and_finds_the_same(tmp_path):
    """The pool and the in-process path agree, and sound originals raise nothing."""
    store = PhotoStore(tmp_path / "originals", tmp_path / "cache")
    good = [tmp_path / f"good{i}.png" for i in range(3)]
    for i, path in enumerate(good):
        path.write_bytes(png_bytes((200 + i, 150)))
    stored = [store.ingest(p) for p in good]
    bad = broken_idat(png_bytes())
    sha = hashlib.sha256(bad).hexdigest()
    (store.originals_root / sha[:2]).mkdir(parents=True, exist_ok=True)
    (store.originals_root / sha[:2] / f"{sha}.png").write_bytes(bad)
    originals = [(s.sha256, store.original_path(s.sha256)) for s in stored]
    originals.insert(1, (sha, store.original_path(sha)))
    for workers in (1, 2):
        found = batch.undecodable(originals, workers=workers)
        assert [(s, e.key) for s, e in found] == [(sha, "photo.corrupt")]
