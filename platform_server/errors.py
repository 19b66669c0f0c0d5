"""Protocol errors: an HTTP status, a machine-readable code and the data a client needs."""

from __future__ import annotations

from typing import Any


class ProtocolError(Exception):
    """Answered as ``{"error": code, "detail": detail, **extra}`` with ``status``."""

    def __init__(self, status: int, code: str, detail: str, /, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.extra = extra
        self.headers: dict[str, str] = {}

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "detail": self.detail, **self.extra}


def not_found(what: str, key: str) -> ProtocolError:
    """Unknown, or not yours: the answer is the same, so nothing leaks between agencies."""
    return ProtocolError(404, "not_found", f"{what} {key} not found")


def forbidden(detail: str) -> ProtocolError:
    return ProtocolError(403, "forbidden", detail)


def unauthorized(detail: str) -> ProtocolError:
    error = ProtocolError(401, "unauthorized", detail)
    error.headers["WWW-Authenticate"] = f'Bearer error="invalid_token", error_description="{detail}"'
    return error
