"""Typed errors of the core. The UI and the CLI turn them into messages; the core never opens a dialog.

Every error carries a human-readable message (Chinese first, as the inspector reads it)
and structured data for tools (``to_dict``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class InspectorError(Exception):
    """Base of every error the core raises on purpose."""

    code = "error"

    def __init__(self, message: str, **data: Any) -> None:
        super().__init__(message)
        self.message = message
        self.data = data

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **{k: _plain(v) for k, v in self.data.items()}}


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class ValidationError(InspectorError):
    """Input that cannot be accepted: names the field and why."""

    code = "invalid"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}", field=field, reason=reason)
        self.field = field
        self.reason = reason


class NotFound(InspectorError):
    code = "not_found"

    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"找不到{what}: {key}", what=what, key=str(key))


class RuleViolation(InspectorError):
    """A domain rule refuses the operation (a status transition, a frozen record, ...)."""

    code = "rule"


class DatabaseTooNew(InspectorError):
    code = "database_too_new"

    def __init__(self, path: Path, revision: str) -> None:
        super().__init__(
            f"数据库 {path} 由更新版本的 IDI Inspector 创建（结构版本 {revision}），请升级软件后再打开。",
            path=path,
            revision=revision,
        )


class PhotoRejected(InspectorError):
    """A file that cannot become photo evidence. ``reason`` says why, in words."""

    code = "photo_rejected"

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}", path=str(path), reason=reason)
        self.path = Path(path)
        self.reason = reason


class StorageError(InspectorError):
    """The disk refused a write (full, read-only, gone): the batch stops, what was saved stays."""

    code = "storage"

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"无法保存 {path}：{reason}。已保存的内容不受影响，请释放磁盘空间后重试。",
                         path=str(path), reason=reason)


class BundleError(InspectorError):
    code = "bundle"


class Cancelled(InspectorError):
    code = "cancelled"

    def __init__(self) -> None:
        super().__init__("操作已取消")
