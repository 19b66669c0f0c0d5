"""Composition root: paths -> database -> photo store -> services. The CLI and the GUI both
start here; nothing in it imports Qt."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import AppPaths, resolve_paths

if TYPE_CHECKING:  # imported in open_app: the window paints its first screen before the ORM loads
    from .models.db import Database
    from .photos import PhotoStore


@dataclass
class AppContext:
    paths: AppPaths
    db: Database
    store: PhotoStore

    def close(self) -> None:
        self.db.close()


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
