"""The open data folder as the services see it: paths, database and photo store.

Made by ``app.open_app`` (the composition root); the window and the CLI hold one and hand it
to the services. It sits below the services and above the stores it bundles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .paths import AppPaths

if TYPE_CHECKING:  # imported by open_app: the window paints its first screen before the ORM loads
    from .models.db import Database
    from .photos import PhotoStore


@dataclass
class AppContext:
    paths: AppPaths
    db: Database
    store: PhotoStore

    def close(self) -> None:
        self.db.close()
