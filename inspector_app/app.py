"""Composition root: paths -> database -> photo store -> services. The CLI and the GUI both
start here; nothing in it imports Qt."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from .context import AppContext
from .paths import resolve_paths

__all__ = ["AppContext", "default_actor", "open_app"]


def default_actor() -> str:
    try:
        return os.environ.get("IDI_INSPECTOR_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "inspector"


def open_app(data_dir: str | Path | None = None, actor: str | None = None) -> AppContext:
    """Open (creating and upgrading when needed) the data folder and its database."""
    from .models.db import Database
    from .photos import PhotoStore

    paths = resolve_paths(data_dir).ensure()
    db = Database(paths.database, paths.backups, actor=actor or default_actor())
    store = PhotoStore(paths.originals, paths.cache)
    store.cleanup_temporaries()
    return AppContext(paths, db, store)
