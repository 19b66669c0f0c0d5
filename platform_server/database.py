"""The platform database: SQLite (one file, WAL) by default, PostgreSQL for deployments.

Every request opens a short unit of work: ``read()`` or ``write()``. On SQLite a write
transaction starts with BEGIN IMMEDIATE so two writers queue instead of dead-locking; on
PostgreSQL the conditional UPDATEs in the services are the concurrency control.

The schema is Alembic's (``platform_server/migrations``): ``migrate()`` brings any database
to the head revision, adopting one made by ``create_all`` before the migrations existed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.dml import Insert

if TYPE_CHECKING:  # Alembic is imported when the schema is migrated, not with every import
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"  # the schema create_all made before the migrations existed
ADOPT_MARKER = "agency"  # a table of the baseline: present without alembic_version = made by create_all
MIGRATION_LOCK = 0x1D1_5C4E  # pg_advisory_xact_lock key: one migrating worker at a time


def _sqlite_on_connect(dbapi_conn: Any, _record: Any, foreign_keys: bool = True) -> None:
    dbapi_conn.isolation_level = None  # BEGIN is ours (below), not pysqlite's
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_engine(url: str, begin: str, *, migrating: bool = False) -> Engine:
    if migrating:  # one connection, closed after; no foreign keys while batch mode copies tables
        engine = create_engine(url, connect_args={"timeout": 30}, poolclass=NullPool)
        event.listen(engine, "connect", lambda conn, record: _sqlite_on_connect(conn, record, False))
    else:
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               pool_size=8, max_overflow=16)
        event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(f"BEGIN {begin}"))
    return engine


def alembic_config(connection: Connection | None = None) -> Config:
    """The platform's Alembic configuration (no alembic.ini): the revisions in MIGRATIONS,
    run on ``connection`` when given."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(connection: Connection) -> str | None:
    """The revision stored in the database; None when it has no alembic_version (yet)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _upgrade(connection: Connection) -> str:
    """Under the caller's lock and transaction: adopt a create_all database, then upgrade."""
    from alembic import command

    tables = set(inspect(connection).get_table_names())
    current = current_revision(connection) if "alembic_version" in tables else None
    head = head_revision()
    if current == head:
        return head
    if current is None and ADOPT_MARKER in tables:  # made by create_all: the baseline, unversioned
        command.stamp(alembic_config(connection), BASELINE)
    command.upgrade(alembic_config(connection), "head")
    return current_revision(connection) or ""


class Database:
    """Engines and sessions for one database URL."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            if self.url.database in (None, "", ":memory:"):
                raise ValueError("the platform needs a SQLite file, not an in-memory database")
            self._reader = _sqlite_engine(url, "DEFERRED")
            self._writer = _sqlite_engine(url, "IMMEDIATE")
        else:
            self._reader = self._writer = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        self._read_sessions = sessionmaker(self._reader, expire_on_commit=False)
        self._write_sessions = sessionmaker(self._writer, expire_on_commit=False)

    def migrate(self) -> str:
        """Bring the schema to the head revision (idempotent); returns it.

        Several workers may start at once: on PostgreSQL the upgrade runs in one transaction
        holding an advisory lock, on SQLite in one BEGIN IMMEDIATE transaction (the file's
        write lock; the others wait on busy_timeout). Whoever comes second finds the head.
        """
        if self.is_sqlite:
            engine = _sqlite_engine(self.url.render_as_string(hide_password=False), "IMMEDIATE",
                                    migrating=True)
        else:
            engine = create_engine(self.url, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                with connection.begin():
                    if not self.is_sqlite:
                        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                    revision = _upgrade(connection)
                    if self.is_sqlite:  # the checks foreign_keys=OFF skipped during the upgrade
                        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if broken:
                            raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
                return revision
        finally:
            engine.dispose()

    def create_schema(self) -> None:
        """The schema at the head revision (see ``migrate``)."""
        self.migrate()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read_sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction committed on success, rolled back on any exception."""
        with self._write_sessions() as session, session.begin():
            yield session

    def insert(self, table: Any) -> Insert:
        """An INSERT that can say ON CONFLICT DO NOTHING on both dialects."""
        dialect_insert = sqlite.insert if self.is_sqlite else postgresql.insert
        return dialect_insert(table)

    def dispose(self) -> None:
        self._reader.dispose()
        if self._writer is not self._reader:
            self._writer.dispose()
