"""Opens the database: SQLite file, pragmas, one writer at a time, Alembic upgrade with a
backup first, and refusal of a database newer than this app or damaged (SQLite's quick_check on
open; ``check_file`` for ``verify``: integrity_check and every record's type and text)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import DatabaseDamaged, DatabaseTooNew
from ..messages import text as say
from ..schema import SCHEMA_HEAD
from . import auditing, finite, sync

if TYPE_CHECKING:  # Alembic is imported only when a schema change is due (it costs ~170 ms at start-up)
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
QUICK_CHECK_LIMIT = 256 * 1024 * 1024  # quick_check on open reads the whole file: ~3 ms a MB
_UNREADABLE = "could not decode to utf-8"  # pysqlite's words for text that is not UTF-8


class InspectorSession(Session):
    """Our session class: the audit listener is attached to it, not to every Session."""


auditing.install(InspectorSession)
sync.install(InspectorSession)
finite.install(InspectorSession)


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (pysqlite's own is broken)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the file (None for a new, empty database)."""
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")).first()
        if exists is None:
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return str(row[0]) if row else None


def backup(engine: Engine, source: Path, folder: Path, label: str) -> Path:
    """A consistent copy through SQLite's backup API (never a file copy of a live database)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return _copy(engine, folder / f"{source.stem}-{stamp}-before-{label}.sqlite3")


def _copy(engine: Engine, target: Path) -> Path:
    """Copy into ``target`` through a partial file renamed when complete: a copy cut short by a full
    disk or a kill is never offered as a backup to restore."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    raw = engine.raw_connection()
    try:
        dest = sqlite3.connect(partial)
        try:
            raw.driver_connection.backup(dest)  # type: ignore[union-attr]
        finally:
            dest.close()
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        raw.close()
    return target


def _known(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util.exc import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def upgrade(engine: Engine, path: Path, backups: Path) -> Path | None:
    """Bring the schema to this app's head; returns the backup made, if any."""
    current = current_revision(engine)
    if current == SCHEMA_HEAD:
        return None
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    if current is not None and not _known(script, current):
        raise DatabaseTooNew(path, current)
    made = backup(engine, path, backups, current) if current is not None else None
    command.upgrade(alembic_config(engine), "head")
    return made


def damage_of(exc: BaseException) -> str | None:
    """SQLite's words when ``exc`` says the database file is damaged (not when it is locked, full,
    or refuses a row): SQLITE_CORRUPT, SQLITE_NOTADB, or stored text that is not UTF-8."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if not isinstance(orig, sqlite3.DatabaseError) or isinstance(orig, sqlite3.IntegrityError):
        return None
    code = getattr(orig, "sqlite_errorcode", None)
    words = f"SQLite: {orig}"
    if code is not None and (code & 0xFF) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return words
    return words if _UNREADABLE in words.lower() or "malformed" in words.lower() else None


DAILY_EVERY_S = 24 * 3600
DAILY_KEPT = 7


def daily_backup(engine: Engine, path: Path, backups: Path, *, now: float | None = None) -> Path | None:
    """Once a day, at the first open that finds the file sound and holding a project, a copy through
    the backup API (``<name>-<stamp>-daily.sqlite3``); the newest ``DAILY_KEPT`` are kept (those made
    before schema upgrades are never removed). So a file damaged later loses at most a day's work."""
    moment = time.time() if now is None else now
    dailies = sorted(backups.glob(f"{path.stem}-*-daily.sqlite3"), key=lambda p: p.name)
    if dailies and moment - dailies[-1].stat().st_mtime < DAILY_EVERY_S:
        return None
    with engine.connect() as conn:
        if conn.exec_driver_sql("SELECT 1 FROM project LIMIT 1").first() is None:
            return None  # nothing recorded yet: nothing to lose
    stamp = datetime.fromtimestamp(moment).strftime("%Y%m%d-%H%M%S")
    final = _copy(engine, backups / f"{path.stem}-{stamp}-daily.sqlite3")
    for old in sorted(backups.glob(f"{path.stem}-*-daily.sqlite3"), key=lambda p: p.name)[:-DAILY_KEPT]:
        old.unlink(missing_ok=True)
    return final


def newest_backup(path: Path, backups: Path) -> Path | None:
    """The most recent automatic backup of ``path`` in ``backups`` (the daily one, or one made before
    a schema upgrade)."""
    made = sorted(backups.glob(f"{path.stem}-*.sqlite3"), key=lambda p: (p.stat().st_mtime, p.name))
    return made[-1] if made else None


_EXPECTED = (("INT", "integer"), ("BOOL", "integer"), ("CHAR", "text"), ("TEXT", "text"), ("CLOB", "text"),
             ("DATE", "text"), ("TIME", "text"), ("REAL", "real integer"), ("FLOA", "real integer"),
             ("DOUB", "real integer"), ("BLOB", "blob"))


def _expected(decltype: str) -> str | None:
    """The storage classes a column of ``decltype`` holds as this app writes it (None: any)."""
    upper = decltype.upper()
    return next((kinds for mark, kinds in _EXPECTED if mark in upper), None)


def check_file(path: Path) -> list[str]:
    """What is wrong with the database file itself, in SQLite's words: ``PRAGMA integrity_check``,
    then every record of every table: its value of the type its column holds, its text UTF-8.
    Reads through a connection of its own, read-only, with no ORM (which would stop at the first
    bad value). Empty when the file is sound."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        return [f"SQLite: {exc}"]
    problems: list[str] = []
    try:
        problems = [f"SQLite: {m}" for (m,) in conn.execute("PRAGMA integrity_check") if m != "ok"]
        if not problems:
            problems = _check_records(conn)
    except sqlite3.DatabaseError as exc:
        problems.append(f"SQLite: {exc}")
    finally:
        conn.close()
    return problems


def _check_records(conn: sqlite3.Connection) -> list[str]:
    problems: list[str] = []
    conn.text_factory = bytes
    tables = [t.decode() for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                  "AND name NOT LIKE 'sqlite_%'")]
    for table in tables:
        columns = [(c[1].decode(), _expected(c[2].decode())) for c in conn.execute(f'PRAGMA table_info("{table}")')]
        shown = ", ".join(f'typeof("{c}"), "{c}"' for c, _ in columns)
        for row in conn.execute(f'SELECT rowid, {shown} FROM "{table}"'):
            for i, (column, expected) in enumerate(columns):
                kind, value = row[1 + 2 * i].decode(), row[2 + 2 * i]
                at = {"table": table, "row": row[0], "column": column}
                if kind != "null" and expected is not None and kind not in expected.split():
                    problems.append(say("database.wrong_type", {**at, "found": kind, "expected": expected}))
                elif kind == "text":
                    try:
                        value.decode("utf-8")
                    except UnicodeDecodeError as exc:
                        problems.append(say("database.records_unreadable", {**at, "detail": str(exc)}))
                if len(problems) >= 20:
                    return problems
    return problems


def check_on_open(engine: Engine, path: Path, backups: Path) -> None:
    """A damaged file is refused before anything reads or writes it (quick_check where it is cheap)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with engine.connect() as conn:
            if path.stat().st_size <= QUICK_CHECK_LIMIT:
                found = [str(m) for (m,) in conn.exec_driver_sql("PRAGMA quick_check(5)")]
            else:  # a huge file: at least its header and schema must read (verify checks the rest)
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").all()
                found = ["ok"]
    except DBAPIError as exc:
        detail = damage_of(exc)
        if detail is None:
            raise
        raise DatabaseDamaged(path, detail, newest_backup(path, backups)) from None
    if found != ["ok"]:
        raise DatabaseDamaged(path, "SQLite: " + "; ".join(found), newest_backup(path, backups))


class Database:
    """The open database: a read session factory and a write session factory.

    ``write()`` starts with BEGIN IMMEDIATE so two writers never interleave; ``read()``
    uses a deferred transaction so readers never block on WAL."""

    def __init__(self, path: Path, backups: Path, actor: str | None = None) -> None:
        self.path = path
        self.actor = actor
        self.backups = backups
        path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(path)
        try:
            check_on_open(self.engine, path, backups)
            with self._damage_refused():
                self.backup_made = upgrade(self.engine, path, backups)
        except BaseException:
            self.engine.dispose()
            raise
        self._writer = sessionmaker(
            bind=self.engine.execution_options(sqlite_begin="IMMEDIATE"),
            class_=InspectorSession, expire_on_commit=False,
        )
        self._reader = sessionmaker(bind=self.engine, class_=InspectorSession, expire_on_commit=False)

    @contextmanager
    def _damage_refused(self) -> Iterator[None]:
        """SQLite saying the file is damaged becomes ``DatabaseDamaged`` (with how to restore it)."""
        try:
            yield
        except DBAPIError as exc:
            detail = damage_of(exc)
            if detail is None:
                raise
            raise DatabaseDamaged(self.path, detail, newest_backup(self.path, self.backups)) from exc

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls back on any error."""
        session = self._writer()
        session.info["actor"] = self.actor
        try:
            with self._damage_refused():
                yield session
                session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._reader()
        try:
            with self._damage_refused():
                yield session
        finally:
            session.rollback()
            session.close()

    def check_file(self) -> list[str]:
        """What SQLite finds wrong with the file (``check_file``); empty when it is sound."""
        return check_file(self.path)

    def damaged(self, detail: str) -> DatabaseDamaged:
        """The refusal for this file, naming its newest automatic backup."""
        return DatabaseDamaged(self.path, detail, newest_backup(self.path, self.backups))

    def close(self) -> None:
        self.engine.dispose()
