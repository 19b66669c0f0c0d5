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


def test_a_daily_backup_is_made_at_the_first_open_of_a_day_and_seven_are_kept(tmp_path, spec):
    """A file damaged later (a dying disk, a kill in the wrong place) loses at most a day's work: the
    first open of a day that finds the file sound and holding a project copies it; a copy cut short
    is never left to be offered for a restore; the newest seven stay, upgrade backups always."""
    import os
    import time

    from inspector_app.services import projects

    data = tmp_path / "data"
    ctx = open_app(data, actor="赵工")
    backups = ctx.paths.backups
    assert not list(backups.glob("*-daily.sqlite3"))  # nothing recorded yet: nothing to copy
    projects.create_project(ctx.db, spec)
    ctx.close()
    ctx = open_app(data, actor="赵工")
    first = list(backups.glob("*-daily.sqlite3"))
    assert len(first) == 1
    copy = sqlite3.connect(first[0])
    assert copy.execute("SELECT code FROM project").fetchall() == [(spec["project"]["code"],)]
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()
    ctx.close()
    ctx = open_app(data, actor="赵工")  # the same day: no second copy
    ctx.close()
    assert len(list(backups.glob("*-daily.sqlite3"))) == 1
    upgrade = backups / "inspector-20240101-000000-before-0001.sqlite3"
    upgrade.write_bytes(first[0].read_bytes())
    engine = dbmod.make_engine(ctx.paths.database)
    for day in range(1, 10):  # nine more days: each first open adds one, the oldest go
        later = time.time() + day * 86400 + 60
        made = dbmod.daily_backup(engine, ctx.paths.database, backups, now=later)
        assert made is not None
        os.utime(made, (later, later))  # the copy's own time is now: say it was made that day
        assert dbmod.daily_backup(engine, ctx.paths.database, backups, now=later + 3600) is None
    engine.dispose()
    assert len(list(backups.glob("*-daily.sqlite3"))) == dbmod.DAILY_KEPT
    assert upgrade.exists() and not list(backups.glob("*.part"))
    assert dbmod.newest_backup(ctx.paths.database, backups).name.endswith("-daily.sqlite3")
