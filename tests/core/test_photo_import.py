"""Photo import through the service: rows per photo, duplicates, progress, cancel."""

import json
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from inspector_app.errors import Cancelled, ValidationError
from inspector_app.models import Photo
from inspector_app.paths import ENV_DATA_DIR, resolve_paths
from inspector_app.services import integrity, photos, projects, visits

ORIENTATION = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "exif-orientation"


@pytest.fixture
def visit(ctx, project):
    return visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9), node_codes=["N03"])


def batch(tmp_path, n):
    out = []
    for i in range(n):
        p = tmp_path / f"IMG_{i:03d}.jpg"
        Image.new("RGB", (400 + i, 300), (i * 20 % 256, 90, 160)).save(p, "JPEG")
        out.append(p)
    return out


def count(ctx):
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(Photo))


@pytest.mark.skipif(not ORIENTATION.is_dir(), reason="../shared/testdata not present")
def test_exif_orientation_photos_are_recorded_upright(ctx, visit):
    files = sorted(ORIENTATION.glob("*.jpg"))
    results = list(photos.import_photos(ctx.db, ctx.store, files, visit_id=visit.id, workers=2))
    assert [r.status for r in results] == ["imported"] * 18
    for r in results:
        expected = (1800, 1200) if "Landscape" in r.path else (1200, 1800)
        assert (r.width, r.height) == expected
    listed = photos.list_photos(ctx.db, visit_id=visit.id)
    assert len(listed) == 18 and all(p.role == "general" for p in listed)
    assert integrity.verify(ctx.db, ctx.store).ok


def test_progress_and_duplicates(ctx, visit, tmp_path):
    files = batch(tmp_path, 4)
    seen = []
    list(photos.import_photos(ctx.db, ctx.store, files, visit_id=visit.id, workers=1,
                              progress=lambda done, total, r: seen.append((done, total, r.status))))
    assert seen == [(i, 4, "imported") for i in range(1, 5)]
    again = list(photos.import_photos(ctx.db, ctx.store, files[:2], visit_id=visit.id, workers=1))
    assert [r.status for r in again] == ["duplicate", "duplicate"] and count(ctx) == 4


def test_cancel_keeps_what_was_reported_and_nothing_half_done(ctx, visit, tmp_path):
    files = batch(tmp_path, 10)
    reported = []
    with pytest.raises(Cancelled):
        for r in photos.import_photos(ctx.db, ctx.store, files, visit_id=visit.id, workers=2,
                                      cancel=lambda: len(reported) >= 3):
            reported.append(r)
    assert count(ctx) == 3
    assert integrity.verify(ctx.db, ctx.store).ok
    assert not list(ctx.paths.originals.rglob("*.tmp"))


def test_photos_need_one_target_and_a_known_role(ctx, visit, tmp_path):
    files = batch(tmp_path, 1)
    with pytest.raises(ValidationError, match="照片归属"):
        list(photos.import_photos(ctx.db, ctx.store, files))
    with pytest.raises(ValidationError, match="未知类型"):
        list(photos.import_photos(ctx.db, ctx.store, files, visit_id=visit.id, role="selfie"))


def test_project_spec_as_json_and_data_dir_from_environment(ctx, spec, tmp_path, monkeypatch):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    assert projects.create_project(ctx.db, projects.load_spec(path)).code == spec["project"]["code"]
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "elsewhere"))
    assert resolve_paths().database == tmp_path / "elsewhere" / "inspector.sqlite3"
    bad = tmp_path / "bad.toml"
    bad.write_text("[project\nname=", encoding="utf-8")
    with pytest.raises(ValidationError, match="格式错误"):
        projects.load_spec(bad)


def test_a_full_disk_stops_the_batch_with_a_clear_message_and_keeps_what_was_saved(ctx, visit, tmp_path,
                                                                                     monkeypatch):
    import errno

    from inspector_app.errors import StorageError
    from inspector_app.photos.store import PhotoStore

    files = batch(tmp_path, 5)
    real = PhotoStore._stage
    calls = []

    def stage(self, data):
        calls.append(1)
        if len(calls) > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(PhotoStore, "_stage", stage)
    done = []
    with pytest.raises(StorageError, match="No space left"):
        for r in photos.import_photos(ctx.db, ctx.store, files, visit_id=visit.id, workers=1):
            done.append(r)
    assert len(done) == 2 and count(ctx) == 2
    assert integrity.verify(ctx.db, ctx.store).ok


def test_a_camera_card_folder_is_opened_into_its_photos(tmp_path):
    card = tmp_path / "DCIM" / "100CANON"
    card.mkdir(parents=True)
    for name in ("IMG_0002.JPG", "IMG_0001.jpg", "IMG_0003.HEIC", "MVI_0004.MP4", ".hidden.jpg", "IMG_0001.THM"):
        (card / name).write_bytes(b"x")
    loose = tmp_path / "notes.txt"
    loose.write_text("x")
    got = photos.expand_paths([tmp_path / "DCIM", loose])
    assert [p.name for p in got] == ["IMG_0001.jpg", "IMG_0002.JPG", "IMG_0003.HEIC", "notes.txt"]
