"""Typed errors of the core. The UI and the CLI turn them into messages; the core never opens a dialog.

Every error carries a stable message ``key`` and plain ``params`` (``messages`` turns them into a
sentence in the reader's language), its Chinese sentence ``message`` rendered from that catalogue,
and structured data for tools (``to_dict``). Code branches on ``code``, ``key`` and ``params``,
never on the sentence.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from .messages import MESSAGES, label, phrase, sentence


class InspectorError(Exception):
    """Base of every error the core raises on purpose."""

    code = "error"
    frame: ClassVar[str | None] = None  # key of the sentence that wraps the reason ("{field}: {reason}")

    def __init__(self, key: str, /, **params: Any) -> None:
        """``key`` names the sentence in ``messages.MESSAGES``; ``params`` fill it. A text that is no
        key (the UI's own, already translated) is kept as the sentence; the core always passes a key."""
        self.key = key
        self.params: dict[str, Any] = {k: _plain(v) for k, v in params.items()}
        self.message = _render(key, self.params, self.frame)
        super().__init__(self.message)

    @property
    def data(self) -> dict[str, Any]:
        """The fields ``to_dict`` has always put beside ``error`` and ``message``."""
        return self.params

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **self.data, "key": self.key, "params": self.params}


def _render(key: str, params: dict[str, Any], frame: str | None, lang: str = "zh") -> str:
    try:
        return sentence(key, params, frame, lang)
    except (KeyError, IndexError, ValueError):  # a missing parameter must not turn a refusal into a crash
        return f"{key} {params}"


def _reason(key: str, params: dict[str, Any]) -> str:
    return _render(key, params, None) if key in MESSAGES else key


def _plain(value: Any) -> Any:
    """A JSON value: paths and dates as text, tuples and sets as lists."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (Path, Decimal)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


class ValidationError(InspectorError):
    """Input that cannot be accepted: names the field and why.

    ``field`` is a field name of ``messages.NAMES`` (``finding.description``) or a spec path shown as
    it is (``policy.riders``); ``key`` is the reason's sentence."""

    code = "invalid"
    frame = "invalid"

    def __init__(self, field: str, key: str, /, **params: Any) -> None:
        super().__init__(key, field=field, **params)
        self.field = field
        self.reason = _reason(key, self.params)

    @property
    def data(self) -> dict[str, Any]:
        return {"field": label("field", self.field, "zh", self.params), "reason": self.reason}


class NotFound(InspectorError):
    code = "not_found"

    def __init__(self, what: str, id: object) -> None:  # noqa: A002  (the id of the thing not found)
        """``what`` is a noun of ``messages.NAMES`` (``finding``, ``visit``, ...)."""
        super().__init__("not_found", what=what, id=str(id))

    @property
    def data(self) -> dict[str, Any]:
        return {"what": label("what", self.params["what"]), "id": self.params["id"]}


class RuleViolation(InspectorError):
    """A domain rule refuses the operation (a status transition, a frozen record, ...)."""

    code = "rule"


class DatabaseTooNew(InspectorError):
    code = "database_too_new"

    def __init__(self, path: Path, revision: str) -> None:
        super().__init__("database.too_new", path=path, revision=revision)


class DatabaseDamaged(InspectorError):
    """The database file itself is damaged (SQLite says so, or its records cannot be read): nothing
    more is read from or written to it; the message says how to restore it."""

    code = "database_damaged"

    def __init__(self, path: Path | str, detail: str, backup: Path | None = None) -> None:
        """``detail`` is SQLite's own words; ``backup`` the newest automatic backup, if there is one."""
        restore = (phrase("database.restore_backup", backup=str(backup)) if backup is not None
                   else phrase("database.restore_no_backup", folder=str(Path(path).parent / "backups")))
        super().__init__("database.damaged", path=str(path), detail=detail, restore=restore)
        self.path = Path(path)
        self.detail = detail
        self.backup = backup


class PhotoRejected(InspectorError):
    """A file that cannot become photo evidence. ``key`` and its params say why; ``reason`` in Chinese."""

    code = "photo_rejected"
    frame = "photo.rejected"

    def __init__(self, path: Path | str, key: str, /, **params: Any) -> None:
        super().__init__(key, path=str(path), **params)
        self.path = Path(path)
        self.reason = _reason(key, self.params)

    @property
    def data(self) -> dict[str, Any]:
        return {"path": str(self.path), "reason": self.reason}


class StorageError(InspectorError):
    """The disk refused a write (full, read-only, gone): the batch stops, what was saved stays."""

    code = "storage"

    def __init__(self, path: Path | str, reason: str) -> None:
        """``reason`` is the system's own words (``strerror``), shown as they are."""
        super().__init__("storage.write_failed", path=str(path), reason=reason)


class BundleError(InspectorError):
    code = "bundle"


class BundleInvalid(BundleError):
    """A bundle that cannot be taken in as it is (damaged, over a limit, a name or a row that is not
    one this software writes): bad input, exit code 2. Nothing was changed."""

    code = "bundle_invalid"


class Cancelled(InspectorError):
    code = "cancelled"

    def __init__(self) -> None:
        super().__init__("cancelled")
