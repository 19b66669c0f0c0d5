"""The schema revision this build of the app writes (the newest in models/migrations/versions).

Kept in a module of its own, importing nothing, so the start-up path can check a database
without loading SQLAlchemy or Alembic; a test keeps it equal to Alembic's head."""

SCHEMA_HEAD = "0008"
