"""The platform schema is Alembic's: a new database is upgraded to the head and then matches
the models; a database made by create_all before the migrations existed is adopted with its
rows; several workers may migrate at once. And abandoned uploads are cleaned up."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select, text

from platform_server.api.app import create_app
from platform_server.blob_store import BlobStore
from platform_server.cli import main as cli_main
from platform_server.database import BASELINE, Database, alembic_config, head_revision
from platform_server.models import Agency, Base, Blob, BlobGrant, Upload, UploadSegment, utcnow
from platform_server.settings import Settings
from platform_server.uploads import cleanup_abandoned_uploads


def schema_diff(url: str) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def stored_revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def test_upgrade_of_an_empty_database_matches_the_models(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert db.migrate() == head_revision()
        assert db.migrate() == head_revision()  # idempotent
    finally:
        db.dispose()
    assert stored_revision(database_url) == head_revision()
    assert schema_diff(database_url) == []


def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    db.dispose()
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    finally:
        engine.dispose()
    db = Database(database_url)
    try:
        assert db.migrate() == head_revision()
    finally:
        db.dispose()
    assert schema_diff(database_url) == []


def make_create_all_database(url: str) -> None:
    """A database as create_all made it before the migrations: the baseline's tables and
    indexes, no alembic_version."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), BASELINE)
            conn.execute(text("DROP TABLE alembic_version"))
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO agency (code, name, created_at) VALUES ('tis-old', '旧机构', :at)"),
                         {"at": utcnow()})
            conn.execute(text("INSERT INTO blob (sha256, size, stored_at) VALUES (:sha, 3, :at)"),
                         {"sha": "a" * 64, "at": utcnow()})
    finally:
        engine.dispose()


def test_a_create_all_database_is_adopted_with_its_rows(database_url: str, tmp_path: Path) -> None:
    make_create_all_database(database_url)
    assert stored_revision(database_url) is None
    app = create_app(Settings(database_url=database_url, blob_dir=tmp_path / "blobs"))  # migrates
    app.state.platform.db.dispose()
    assert stored_revision(database_url) == head_revision()
    assert schema_diff(database_url) == []
    db = Database(database_url)
    try:
        with db.read() as s:
            assert s.scalars(select(Agency.name).where(Agency.code == "tis-old")).one() == "旧机构"
            assert s.scalar(select(func.count()).select_from(Blob)) == 1
    finally:
        db.dispose()


def test_workers_starting_together_migrate_once(database_url: str) -> None:
    revisions: list[str] = []
    failures: list[BaseException] = []
    start = threading.Barrier(4)

    def worker() -> None:
        db = Database(database_url)
        try:
            start.wait()
            revisions.append(db.migrate())
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    assert revisions == [head_revision()] * 4
    assert schema_diff(database_url) == []


# --- abandoned uploads ---------------------------------------------------------------------


def _upload(db: Database, store: BlobStore, agency_id: int, status: str, idle: timedelta,
            segments: int) -> str:
    upload_id = hashlib.sha256(f"{status}{idle}{time.monotonic_ns()}".encode()).hexdigest()[:32]
    at = utcnow() - idle
    with db.write() as s:
        s.add(Upload(id=upload_id, agency_id=agency_id, sha256="b" * 64, size=10 * segments + 5,
                     offset=10 * segments, status=status, created_at=at, updated_at=at))
        s.flush()
        for i in range(segments):
            path = store.new_segment_path(upload_id, 10 * i)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"x" * 10)
            s.add(UploadSegment(upload_id=upload_id, start=10 * i, length=10,
                                sha256=hashlib.sha256(b"x" * 10).hexdigest(), file_name=path.name))
    return upload_id


def _old(folder: Path, hours: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.time() - hours * 3600
    os.utime(folder, (stamp, stamp))
    return folder


def _world(db: Database, store: BlobStore) -> dict[str, Any]:
    with db.write() as s:
        agency = Agency(code="tis-a", name="A")
        s.add(agency)
        s.flush()
        agency_id = agency.id
    stored = b"stored blob"
    sha = hashlib.sha256(stored).hexdigest()
    store.blob_path(sha).parent.mkdir(parents=True, exist_ok=True)
    store.blob_path(sha).write_bytes(stored)
    with db.write() as s:
        s.add(Blob(sha256=sha, size=len(stored)))
        s.flush()
        s.add(BlobGrant(agency_id=agency_id, sha256=sha))
    world: dict[str, Any] = {
        "old_open": _upload(db, store, agency_id, "open", timedelta(hours=100), 2),
        "old_failed": _upload(db, store, agency_id, "failed", timedelta(hours=80), 0),
        "fresh_open": _upload(db, store, agency_id, "open", timedelta(hours=1), 1),
        "old_complete": _upload(db, store, agency_id, "complete", timedelta(hours=500), 0),
        "blob": sha,
    }
    _old(store.incoming_root / world["old_open"], 100)
    world["orphan_old"] = _old(store.incoming_root / ("0" * 32), 100)
    (world["orphan_old"] / "x.part").write_bytes(b"x")
    _old(world["orphan_old"], 100)
    world["orphan_new"] = _old(store.incoming_root / ("1" * 32), 0)
    return world


def _check_cleaned(db: Database, store: BlobStore, world: dict[str, Any]) -> None:
    with db.read() as s:
        left = set(s.scalars(select(Upload.id)))
        segments = set(s.scalars(select(UploadSegment.upload_id)))
        assert s.scalar(select(func.count()).select_from(Blob)) == 1
        assert s.scalar(select(func.count()).select_from(BlobGrant)) == 1
    assert left == {world["fresh_open"], world["old_complete"]}
    assert segments == {world["fresh_open"]}
    assert not (store.incoming_root / world["old_open"]).exists()
    assert not world["orphan_old"].exists()
    assert world["orphan_new"].is_dir()  # perhaps an upload being announced right now
    fresh = store.incoming_root / world["fresh_open"]
    assert len(list(fresh.iterdir())) == 1
    assert store.has_file(world["blob"]) and store.blob_path(world["blob"]).read_bytes() == b"stored blob"


def test_cleanup_removes_abandoned_uploads_only(database_url: str, tmp_path: Path) -> None:
    db = Database(database_url)
    store = BlobStore(tmp_path / "blobs")
    try:
        db.migrate()
        world = _world(db, store)
        assert cleanup_abandoned_uploads(db, store, timedelta(hours=72)) == 2
        _check_cleaned(db, store, world)
        assert cleanup_abandoned_uploads(db, store, timedelta(hours=72)) == 0
    finally:
        db.dispose()


def test_cleanup_at_start_up_and_from_the_command_line(database_url: str, tmp_path: Path,
                                                       capsys: Any) -> None:
    db = Database(database_url)
    store = BlobStore(tmp_path / "blobs")
    try:
        db.migrate()
        world = _world(db, store)
        create_app(Settings(database_url=database_url, blob_dir=store.root,
                            abandoned_upload_hours=200)).state.platform.db.dispose()
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(Upload)) == 4  # none idle for 200 h
        create_app(Settings(database_url=database_url, blob_dir=store.root)).state.platform.db.dispose()
        _check_cleaned(db, store, world)
        again = _upload(db, store, world_agency(db), "open", timedelta(hours=5), 1)
        capsys.readouterr()
        assert cli_main(["admin", "--db", database_url, "cleanup-uploads", "--hours", "4",
                         "--blobs", str(store.root)]) == 0
        assert '"removed": 1' in capsys.readouterr().out
        with db.read() as s:
            assert s.get(Upload, again) is None
    finally:
        db.dispose()


def world_agency(db: Database) -> int:
    with db.read() as s:
        return s.scalars(select(Agency.id)).one()


def test_migrate_from_the_command_line(database_url: str, capsys: Any) -> None:
    assert cli_main(["admin", "--db", database_url, "migrate"]) == 0
    assert f'"revision": "{head_revision()}"' in capsys.readouterr().out
    assert cli_main(["admin", "--db", database_url, "init-db"]) == 0
    assert stored_revision(database_url) == head_revision()
