"""Where the app keeps its data: the user data dir (platformdirs), or a folder given by
``--data-dir`` / ``IDI_INSPECTOR_DATA_DIR`` (tests, a second profile, a USB stick)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "IDI Inspector"
ENV_DATA_DIR = "IDI_INSPECTOR_DATA_DIR"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True, slots=True)
class AppPaths:
    data_dir: Path
    database: Path
    originals: Path
    cache: Path
    backups: Path

    def ensure(self) -> AppPaths:
        for folder in (self.data_dir, self.originals, self.cache, self.backups):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """The app's folders: explicit ``data_dir``, else the environment, else the user data dir."""
    chosen = data_dir or os.environ.get(ENV_DATA_DIR)
    if chosen:
        root = Path(chosen).expanduser().resolve()
        cache = root / "cache"
    else:
        root = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        cache = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    return AppPaths(
        data_dir=root,
        database=root / "inspector.sqlite3",
        originals=root / "photos",
        cache=cache,
        backups=root / "backups",
    )


def resource_path(*parts: str) -> Path:
    """A file shipped in ``resources/`` (rule sets, fonts, examples)."""
    override = os.environ.get("IDI_INSPECTOR_RESOURCES")
    base = Path(override) if override else RESOURCES
    return base.joinpath(*parts)
