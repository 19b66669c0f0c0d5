"""Alembic revisions of the platform database (see ``Database.migrate``)."""
