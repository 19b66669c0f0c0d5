"""Evidence that should not be there (issue 15): a photo is removed from its finding or visit with
an audited record, refused while a report or a checklist result stands on it; and the command
line imports a card whose file names are not UTF-8, on a console that cannot show Chinese,
without a traceback and without stopping the batch."""

from __future__ import annotations

import io
import json
import os
import struct
import zlib
from pathlib import Path

import pytest
from conftest import cli, cli_workspace
from PIL import Image
from sqlalchemy import select

from inspector_app.app import open_app
from inspector_app.errors import NotFound, ValidationError
from inspector_app.models import AuditEntry, IssuedReport, Photo
from inspector_app.services import checklists, integrity, issuing, photos


def jpeg(path: Path, size=(320, 240), seed=0) -> Path:
    img = Image.effect_noise(size, 40 + seed).convert("RGB")
    img.save(path, "JPEG", quality=85)
    return path


def broken_png(path: Path) -> Path:
    """A PNG whose compressed pixels are damaged (the chunk's CRC still right)."""
    buf = io.BytesIO()
    Image.effect_noise((400, 300), 50).convert("RGB").save(buf, "PNG")
    data = buf.getvalue()
    at = data.index(b"IDAT")
    n = struct.unpack(">I", data[at - 4:at])[0]
    body = bytearray(data[at + 4:at + 4 + n])
    body[n // 2:n // 2 + 50] = bytes(50)
    idat = struct.pack(">I", n) + b"IDAT" + bytes(body) + struct.pack(">I", zlib.crc32(b"IDAT" + bytes(body)))
    path.write_bytes(data[:at - 4] + idat + data[at + 8 + n:])
    return path


def test_a_photo_is_removed_with_an_audit_record_and_its_unused_original_goes(ctx, visit, tmp_path):
    a, b = jpeg(tmp_path / "a.jpg"), jpeg(tmp_path / "b.jpg", seed=5)
    imported = list(photos.import_photos(ctx.db, ctx.store, [a, b], visit_id=visit.id, workers=1))
    first, second = (r.photo_id for r in imported)
    gone = photos.remove_photo(ctx.db, ctx.store, first)
    assert gone.photo.original_name == "a.jpg" and gone.files == 2  # the original and its thumbnail
    assert [p.id for p in photos.list_photos(ctx.db, visit_id=visit.id)] == [second]
    assert ctx.store.original_path(imported[0].sha256) is None
    with ctx.db.read() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.table_name == "photo", AuditEntry.row_id == first,
                                                   AuditEntry.action == "delete")).scalar_one()
        assert entry.actor == ctx.db.actor and json.loads(entry.data)["original_name"] == "a.jpg"
    assert integrity.verify(ctx.db, ctx.store).ok
    with pytest.raises(NotFound):
        photos.remove_photo(ctx.db, ctx.store, first)


def test_the_original_stays_while_another_row_names_the_same_bytes(ctx, visit, project, tmp_path):
    from datetime import datetime

    from inspector_app.services import visits

    other = visits.start_visit(ctx.db, project.id, datetime(2025, 6, 2, 9, 0), node_codes=["N03"], inspectors=["赵工"])
    a = jpeg(tmp_path / "a.jpg")
    [here] = photos.import_photos(ctx.db, ctx.store, [a], visit_id=visit.id, workers=1)
    [there] = photos.import_photos(ctx.db, ctx.store, [a], visit_id=other.id, workers=1)
    assert photos.remove_photo(ctx.db, ctx.store, here.photo_id).files == 0
    assert ctx.store.original_path(there.sha256) is not None and integrity.verify(ctx.db, ctx.store).ok


def test_a_checklist_photo_is_not_removed_from_under_its_item(ctx, visit, tmp_path):
    outcome = checklists.set_item_with_photo(ctx.db, ctx.store, visit.id, "N03-03", "ok", jpeg(tmp_path / "t.jpg"),
                                             value="100")
    with pytest.raises(ValidationError) as err:
        photos.remove_photo(ctx.db, ctx.store, outcome.row.photo_id)
    assert err.value.key == "photo.in_checklist" and "N03-03" in err.value.message


def test_evidence_of_an_issued_report_cannot_be_removed(demo_dir):
    ctx = open_app(demo_dir, actor="李敏")
    try:
        info = issuing.issue_report(ctx, "notice", "BJ-DX-2024-017", visit_id=1)
        with ctx.db.read() as s:
            snapshot = s.get(IssuedReport, info.id).snapshot
            cited = [p for p in s.execute(select(Photo).order_by(Photo.id)).scalars() if p.sha256 in snapshot]
            free = [p for p in s.execute(select(Photo).where(Photo.finding_id.is_not(None)).order_by(Photo.id))
                    .scalars() if p.sha256 not in snapshot and not s.execute(
                        select(IssuedReport.id).where(IssuedReport.snapshot.contains(p.sha256))).first()]
            cited_id, free_id = cited[0].id, free[0].id
        with pytest.raises(ValidationError) as err:
            photos.remove_photo(ctx.db, ctx.store, cited_id)
        assert err.value.key == "photo.in_report" and info.number in err.value.message
        assert photos.remove_photo(ctx.db, ctx.store, free_id).photo.id == free_id
    finally:
        ctx.close()


def test_a_removal_is_a_step_the_undo_stack_names_and_a_refused_one_is_not_recorded(ctx, visit, tmp_path):
    from inspector_app.errors import RuleViolation
    from inspector_app.messages import history_reason
    from inspector_app.services.undo import UndoStack, remove_photo_recorded

    stack = UndoStack()
    [shot] = photos.import_photos(ctx.db, ctx.store, [jpeg(tmp_path / "东立面.jpg")], visit_id=visit.id, workers=1)
    outcome = checklists.set_item_with_photo(ctx.db, ctx.store, visit.id, "N03-03", "ok", jpeg(tmp_path / "t.jpg", seed=3),
                                             value="100")
    with pytest.raises(ValidationError):
        remove_photo_recorded(stack, ctx.db, ctx.store, outcome.row.photo_id)
    assert stack.undo_label() is None  # refused: nothing recorded
    gone = remove_photo_recorded(stack, ctx.db, ctx.store, shot.photo_id)
    left = [p.id for p in photos.list_photos(ctx.db, visit_id=visit.id)]
    assert gone.photo.id == shot.photo_id and shot.photo_id not in left and outcome.row.photo_id in left
    assert stack.blocked_by() == "移除照片 东立面.jpg" and not stack.can_undo()
    assert history_reason(stack.blocked_by(), "en") == "Removal of the photo 东立面.jpg"
    with pytest.raises(RuleViolation):
        stack.undo()


# -- the command line ---------------------------------------------------------------------------------

NARROW = {"PYTHONIOENCODING": "cp1252"}  # a Windows console or a redirect to a file


@pytest.mark.skipif(os.name == "nt", reason="Windows file names are UTF-16: they cannot be invalid bytes")
def test_a_card_with_gbk_names_imports_whole_on_a_cp1252_console(tmp_path):
    d, _project, visit = cli_workspace(tmp_path)
    card = os.fsencode(tmp_path / "DCIM")
    os.mkdir(card)
    names = [b"IMG_0001.JPG", "东立面 3#楼.JPG".encode("gbk"), b"IMG_0003.JPG"]
    for i, name in enumerate(names):
        jpeg(Path(os.fsdecode(os.path.join(card, name))), seed=i * 7)
    files = [os.fsdecode(os.path.join(card, n)) for n in names]
    proc = cli("--json", "photos", "import", "--visit", str(visit["id"]), *files, data_dir=d, env=NARROW)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    results = json.loads(proc.stdout)
    assert [r["status"] for r in results] == ["imported"] * 3
    assert results[1]["path"].endswith("DCIM/东立面 3#楼.JPG")
    listed = cli("photos", "list", "--visit", str(visit["id"]), data_dir=d, env=NARROW)
    assert listed.returncode == 0 and "\\u4e1c\\u7acb\\u9762 3#\\u697c.JPG" in listed.stdout, listed.stderr
    again = cli("photos", "import", "--visit", str(visit["id"]), files[1], os.fsdecode(card + b"/\xe9t\xe9.txt"),
                data_dir=d, env=NARROW)
    assert again.returncode == 3 and "Traceback" not in again.stderr, again.stderr  # the missing file: refused
    assert "duplicate" in again.stdout and "\\u6587\\u4ef6\\u4e0d\\u5b58\\u5728" in again.stdout  # 文件不存在
    assert cli("verify", data_dir=d, env=NARROW).returncode == 0


def test_a_broken_png_is_refused_by_the_cli_and_a_photo_removed_through_it(tmp_path):
    d, _project, visit = cli_workspace(tmp_path)
    good, bad = jpeg(tmp_path / "good.jpg"), broken_png(tmp_path / "broken.png")
    proc = cli("--json", "photos", "import", "--visit", str(visit["id"]), str(bad), str(good), data_dir=d)
    assert proc.returncode == 3, proc.stderr
    refused, imported = json.loads(proc.stdout)
    assert refused["status"] == "rejected" and refused["reason_key"] == "photo.corrupt" and "损坏" in refused["reason"]
    assert imported["status"] == "imported"
    listed = json.loads(cli("--json", "photos", "list", "--visit", str(visit["id"]), data_dir=d).stdout)
    assert [p["original_name"] for p in listed] == ["good.jpg"]
    gone = cli("--json", "photos", "remove", str(listed[0]["id"]), data_dir=d)
    assert gone.returncode == 0 and json.loads(gone.stdout)["photo"]["id"] == listed[0]["id"], gone.stderr
    missing = cli("photos", "remove", str(listed[0]["id"]), data_dir=d)
    assert missing.returncode == 1 and "找不到照片" in missing.stderr
    assert cli("verify", data_dir=d).returncode == 0
