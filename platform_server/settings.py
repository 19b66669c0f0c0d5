"""Server settings: where the database and the blob store are, and the limits."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///./platform.sqlite3"
DEFAULT_BLOB_DIR = Path("./platform-blobs")


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    blob_dir: Path = DEFAULT_BLOB_DIR
    max_blob_bytes: int = 8 << 30  # one photo or PDF; a larger upload is refused up front
    max_manifest_bytes: int = 32 << 20  # a manifest, a page of changes, a project's detail
    max_request_bytes: int = 2 << 20  # any other JSON body (10,000 hashes to check take 0.7 MB)
    default_token_days: int = 90
    create_schema: bool = True  # migrate the schema to the head revision at start-up (idempotent)
    abandoned_upload_hours: float = 72.0  # open or failed uploads idle this long are removed (0: never)

    def __post_init__(self) -> None:
        object.__setattr__(self, "blob_dir", Path(self.blob_dir))

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from PLATFORM_DATABASE_URL (or DATABASE_URL), PLATFORM_BLOB_DIR and
        PLATFORM_ABANDONED_UPLOAD_HOURS, with explicit overrides (None values are ignored)
        taking precedence."""
        url = os.environ.get("PLATFORM_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
        blobs = Path(os.environ.get("PLATFORM_BLOB_DIR") or DEFAULT_BLOB_DIR)
        values: dict[str, object] = {"database_url": url, "blob_dir": blobs}
        if hours := os.environ.get("PLATFORM_ABANDONED_UPLOAD_HOURS", "").strip():
            try:
                values["abandoned_upload_hours"] = float(hours)
            except ValueError:
                raise ValueError(f"PLATFORM_ABANDONED_UPLOAD_HOURS is not a number of hours: {hours!r}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
