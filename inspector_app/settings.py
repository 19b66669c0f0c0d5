"""The inspector's settings, declared once, stored as versioned JSON beside the data.

Kept in the data folder (not the registry or a dotfile) so a second profile or a USB
stick carries its own. Written atomically; an unreadable file falls back to defaults
and is kept aside, never silently overwritten.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import ValidationError

VERSION = 1
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}


@dataclass(frozen=True)
class Settings:
    inspector_name: str = ""
    agency: str = ""
    phone: str = ""
    certificate_no: str = ""
    language: str = "zh_CN"
    sync_server: str = ""  # the insurer platform's address; the token is in the system keyring

    def with_changes(self, **changes: Any) -> Settings:
        if "language" in changes and changes["language"] not in LANGUAGES:
            raise ValidationError("settings.language", "settings.unsupported_language", language=changes["language"],
                                  choices=list(LANGUAGES))
        server = str(changes.get("sync_server", self.sync_server)).strip().rstrip("/")
        if server and not server.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise ValidationError("settings.sync_server", "settings.server_not_https", server=server)
        if "sync_server" in changes:
            changes["sync_server"] = server
        for key in ("inspector_name", "agency", "phone", "certificate_no"):
            if key in changes:
                changes[key] = str(changes[key]).strip()
                if len(changes[key]) > 100:
                    raise ValidationError(f"settings.{key}", "value.too_long", limit=100)
        return replace(self, **changes)


def _upgrade(raw: dict[str, Any]) -> dict[str, Any]:
    """Versioned upgrades: each step moves the stored dict one version on."""
    version = int(raw.get("version", 0))
    if version < 1:  # version 0 had "name" for the inspector
        raw.setdefault("inspector_name", raw.pop("name", ""))
    return raw


def settings_path(data_dir: Path) -> Path:
    return Path(data_dir) / "settings.json"


def load_settings(data_dir: Path) -> Settings:
    path = settings_path(data_dir)
    try:
        raw = json.loads(path.read_text("utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not an object")
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError):
        path.replace(path.with_suffix(".unreadable.json"))  # kept for a look, not lost
        return Settings()
    raw = _upgrade(raw)
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in raw.items() if k in known}
    if values.get("language") not in LANGUAGES:
        values.pop("language", None)
    return Settings(**values)


def save_settings(data_dir: Path, settings: Settings) -> None:
    from .photos.store import write_atomic

    data = {"version": VERSION, **asdict(settings)}
    write_atomic(settings_path(data_dir), json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
