import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from inspector_app.app import open_app
from inspector_app.errors import DatabaseTooNew
from inspector_app.models import Base
from inspector_app.models import db as dbmod


def test_fresh_database_is_migrated_and_matches_the_models(ctx):
    with ctx.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        assert dbmod.current_revision(ctx.db.engine) == dbmod.head_revision()


def test_pragmas_wal_full_sync_foreign_keys(ctx):
    with ctx.db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_database_file_lives_in_the_data_dir(ctx, tmp_path):
    assert ctx.paths.database.parent == tmp_path / "data"
    assert ctx.paths.database.exists()


def test_a_database_newer_than_the_app_is_refused(tmp_path):
    ctx = open_app(tmp_path)
    ctx.close()
    con = sqlite3.connect(tmp_path / "inspector.sqlite3")
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseTooNew, match="更新版本"):
        open_app(tmp_path)


def test_schema_head_constant_is_alembics_head():
    assert dbmod.SCHEMA_HEAD == dbmod.head_revision()


def test_upgrade_from_the_previous_schema_backs_up_first_and_keeps_the_data(tmp_path, project, ctx):
    """A database of the previous release is copied (backup API) before Alembic upgrades it."""
    from alembic import command

    command.downgrade(dbmod.alembic_config(ctx.db.engine), "0001")
    assert dbmod.current_revision(ctx.db.engine) == "0001"
    ctx.close()
    again = open_app(tmp_path / "data")
    try:
        made = again.db.backup_made
        assert made is not None and made.exists() and "before-0001" in made.name
        copy = sqlite3.connect(made)
        assert copy.execute("SELECT code FROM project").fetchone()[0] == project.code
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        copy.close()
        assert dbmod.current_revision(again.db.engine) == dbmod.SCHEMA_HEAD
        with again.db.read() as s:
            assert s.execute(text("SELECT code FROM project")).scalar() == project.code
    finally:
        again.close()


def test_write_transactions_take_the_lock_immediately(ctx, project):
    other = sqlite3.connect(ctx.paths.database, timeout=0.1)
    with ctx.db.write() as s:
        s.execute(text("SELECT 1"))
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.close()
