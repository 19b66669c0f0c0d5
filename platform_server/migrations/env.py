"""Alembic environment of the platform database, run programmatically (no alembic.ini).

The caller hands over what to migrate in ``config.attributes``: a ``connection`` already in
a transaction (``Database.migrate`` does so, under its lock, and commits), or an ``engine``;
``sqlalchemy.url`` is the last resort. ``target_metadata`` may replace the models' metadata,
``process_revision_directives`` is passed on (scripts/platform_revision.py uses it).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from platform_server.models import Base

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection,
                      target_metadata=config.attributes.get("target_metadata", Base.metadata),
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True,
                      process_revision_directives=config.attributes.get("process_revision_directives"))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection: Connection | None = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as connection:
        _run(connection)


if context.is_offline_mode():
    raise SystemExit("the platform's migrations run online only (Database.migrate)")
run_migrations_online()
