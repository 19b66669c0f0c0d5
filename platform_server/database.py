"""The platform database: SQLite (one file, WAL) by default, PostgreSQL for deployments.

Every request opens a short unit of work: ``read()`` or ``write()``. On SQLite a write
transaction starts with BEGIN IMMEDIATE so two writers queue instead of dead-locking; on
PostgreSQL the conditional UPDATEs in the services are the concurrency control.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import Insert

from .models import Base


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # BEGIN is ours (below), not pysqlite's
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_engine(url: str, begin: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                           pool_size=8, max_overflow=16)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(f"BEGIN {begin}"))
    return engine


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

    def create_schema(self) -> None:
        Base.metadata.create_all(self._writer)

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
