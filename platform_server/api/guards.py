"""What every request passes before a route sees it, as plain ASGI middleware:

- ``RequestGuard``: an API request that carries a body (POST, PUT, PATCH under /v1 and /v2)
  is authenticated first, from its headers alone: no bearer token, or an unknown, revoked or
  expired one, is answered 401 before a byte of the body is read. Then the body is held to the
  route's limit: a Content-Length above it is answered 413 at once, and a body sent without one
  (chunked) is counted as it streams and refused (413) as soon as it passes the limit. Nothing
  is ever buffered beyond the limit, so a hostile client cannot make the server hold its body.
- ``SecurityHeaders``: every answer carries a Content-Security-Policy (own origin only, no
  inline script, the web view's one inline style by its hash), no framing, no MIME sniffing and
  no referrer.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..auth import Caller, authenticate
from ..database import Database
from ..errors import ProtocolError, unauthorized
from ..settings import Settings

BODY_METHODS = {"POST", "PUT", "PATCH"}
LOGIN_BYTES = 4096  # a login form carries one token (about 50 characters)
CALLER_KEY = "caller"  # where the authenticated caller waits in the request's state


def _bearer(headers: Headers) -> str | None:
    scheme, _, secret = headers.get("authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def body_limit(settings: Settings, method: str, path: str) -> int:
    """The most bytes the route takes in one request body."""
    if method == "PATCH" and re.fullmatch(r"/v1/uploads/[^/]+", path):
        return settings.max_blob_bytes  # the route holds each body to the upload's announced size too
    if (method == "POST" and (path == "/v1/manifests" or re.fullmatch(r"/v2/projects/[^/]+/changes", path))) or (
            method == "PUT" and re.fullmatch(r"/v1/admin/projects/[^/]+", path)):
        return settings.max_manifest_bytes
    if path == "/login":
        return LOGIN_BYTES
    return settings.max_request_bytes


def too_large(limit: int) -> JSONResponse:
    return JSONResponse({"error": "too_large", "detail": f"the body of this request has at most {limit} bytes",
                         "limit": limit}, status_code=413)


class RequestGuard:
    def __init__(self, app: ASGIApp, settings: Settings, db: Database) -> None:
        self.app, self.settings, self.db = app, settings, db

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        path: str = scope["path"]
        if path.startswith(("/v1/", "/v2/")):
            refusal = await self._authenticate(scope, headers)
            if refusal is not None:
                await JSONResponse(refusal.body(), status_code=refusal.status, headers=refusal.headers)(
                    scope, receive, send)
                return
        limit = body_limit(self.settings, scope["method"], path)
        try:
            announced = int(headers.get("content-length", "0"))
        except ValueError:
            announced = 0  # the server refuses a malformed Content-Length before this
        if announced > limit:
            await too_large(limit)(scope, receive, send)
            return
        await self.app(scope, _counted(receive, limit), send)

    async def _authenticate(self, scope: Scope, headers: Headers) -> ProtocolError | None:
        """None when the bearer token is good (the caller kept for the route), else the 401."""
        secret = _bearer(headers)
        if secret is None:
            return unauthorized("missing bearer token")
        try:
            caller: Caller = await run_in_threadpool(authenticate, self.db, secret)
        except ProtocolError as refused:
            return refused
        scope.setdefault("state", {})[CALLER_KEY] = caller
        return None


class BodyTooLarge(HTTPException):
    """Raised by the counting ``receive`` into the route, answered 413 by the app's handler."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the body of this request has at most {limit} bytes")
        self.limit = limit


def _counted(receive: Receive, limit: int) -> Receive:
    """``receive`` that refuses (413, raised to the route) a body passing ``limit`` bytes."""
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
        return message

    return counted


def _style_hash(style: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(inline_styles: list[str]) -> str:
    styles = " ".join(_style_hash(s) for s in inline_styles)
    return ("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            f"frame-ancestors 'none'; style-src 'self' {styles}".strip())


class SecurityHeaders:
    """Adds the security headers to every answer (an answer's own value is kept)."""

    def __init__(self, app: ASGIApp, inline_styles: list[str]) -> None:
        self.app = app
        self.headers = [(b"content-security-policy", content_security_policy(inline_styles).encode("ascii")),
                        (b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
                        (b"referrer-policy", b"no-referrer")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((name, value) for name, value in self.headers if name not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)
