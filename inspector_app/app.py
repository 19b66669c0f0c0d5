"""Composition root: paths -> database -> photo store -> services. The CLI and the GUI both
start here; nothing in it imports Qt."""

from __future__ import annotations

import os
from pathlib import Path

from .context import AppContext
from .paths import resolve_paths

__all__ = ["AppContext", "default_actor", "open_app"]


def default_actor(data_dir: Path) -> str | None:
    """The current person: IDI_INSPECTOR_USER, else the settings profile's chosen member of staff.

    Never the operating-system login: an audit entry or a report names a person of the agency, or
    nobody (and then preparing, reviewing or issuing a report is refused, naming the staff)."""
    from .settings import load_settings

    return os.environ.get("IDI_INSPECTOR_USER") or load_settings(data_dir).inspector_name or None


def open_app(data_dir: str | Path | None = None, actor: str | None = None) -> AppContext:
    """Open (creating and upgrading when needed) the data folder and its database."""
    import sqlite3

    from .models.db import Database, daily_backup
    from .photos import PhotoStore
    from .photos.staging import remove_abandoned

    paths = resolve_paths(data_dir).ensure()
    db = Database(paths.database, paths.backups, actor=actor or default_actor(paths.data_dir))
    if (paths.data_dir / "sync-device.json").exists():  # synced before: was the folder restored since?
        from .services.team import check_restored

        check_restored(db, paths.data_dir)
    try:
        daily_backup(db.engine, paths.database, paths.backups)
    except (OSError, sqlite3.Error):  # a full or read-only disk must not stop the day's work; next open tries again
        pass
    store = PhotoStore(paths.originals, paths.cache)
    store.cleanup_temporaries()  # only what dead processes left: another one may be importing or issuing
    remove_abandoned(paths.data_dir / "reports" / ".incoming")
    return AppContext(paths, db, store)
