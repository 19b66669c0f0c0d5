import zipfile

import pytest
from sqlalchemy import func, select

from inspector_app.app import open_app
from inspector_app.errors import BundleError
from inspector_app.models import DocumentReview, Finding, Photo, Project
from inspector_app.services import bundle, integrity, projects


def counts(ctx):
    with ctx.db.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Project, Finding, Photo, DocumentReview))


def test_export_then_import_elsewhere_is_complete_and_idempotent(demo_dir, tmp_path):
    src = open_app(demo_dir)
    pid = projects.list_projects(src.db)[0].id
    out = bundle.export_project(src.db, src.store, pid, tmp_path / "demo.zip")
    assert out["photos"] > 50
    dst = open_app(tmp_path / "other")
    first = bundle.import_bundle(dst.db, dst.store, tmp_path / "demo.zip")
    assert first["imported"] is True
    assert counts(dst) == counts(src)
    again = bundle.import_bundle(dst.db, dst.store, tmp_path / "demo.zip")
    assert again == {**first, "imported": False, "only_here": {"finding": 0, "finding_event": 0, "photo": 0, "visit": 0}}
    assert counts(dst) == counts(src)
    assert integrity.verify(dst.db, dst.store).ok
    a, b = projects.get_project(src.db, pid), projects.get_project(dst.db, first["project_id"])
    assert (a.uid, a.policy_no, len(a.parties), len(a.nodes)) == (b.uid, b.policy_no, len(b.parties), len(b.nodes))
    src.close()
    dst.close()


def tamper(path, target, name_prefix):
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(target, "w") as z:
        done = False
        for info, data in items:
            if not done and info.filename.startswith(name_prefix):
                data = data[:-10] + b"0123456789"
                done = True
            z.writestr(info, data)


@pytest.mark.parametrize("prefix", ["photos/", "data.json"])
def test_a_damaged_bundle_changes_nothing(demo_dir, tmp_path, prefix):
    src = open_app(demo_dir)
    bundle.export_project(src.db, src.store, projects.list_projects(src.db)[0].id, tmp_path / "ok.zip")
    src.close()
    tamper(tmp_path / "ok.zip", tmp_path / "bad.zip", prefix)
    dst = open_app(tmp_path / "other")
    with pytest.raises(BundleError, match="哈希不符"):
        bundle.import_bundle(dst.db, dst.store, tmp_path / "bad.zip")
    assert counts(dst) == (0, 0, 0, 0)
    assert list(dst.store.iter_stored()) == []


def test_not_a_bundle(tmp_path, ctx):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 nonsense")
    with pytest.raises(BundleError, match="不是有效的数据包"):
        bundle.import_bundle(ctx.db, ctx.store, junk)
