"""What every route needs: the platform (settings, database, blob store) and the caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from ..auth import Caller, authenticate
from ..blob_store import BlobStore
from ..database import Database
from ..errors import unauthorized
from ..settings import Settings
from .guards import CALLER_KEY

TOKEN_COOKIE = "idi_token"


@dataclass(frozen=True, slots=True)
class Platform:
    settings: Settings
    db: Database
    store: BlobStore


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


def bearer_secret(request: Request) -> str | None:
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def api_caller(request: Request, platform: PlatformDep) -> Caller:
    """The bearer token's caller. API calls never take the cookie (no cross-site writes). A request
    with a body was authenticated by the RequestGuard already, before its body was read."""
    checked: Caller | None = getattr(request.state, CALLER_KEY, None)
    if checked is not None:
        return checked
    secret = bearer_secret(request)
    if secret is None:
        raise unauthorized("missing bearer token")
    return authenticate(platform.db, secret)


def web_caller(request: Request, platform: PlatformDep) -> Caller | None:
    """The browser's caller (bearer header or the login cookie), None when not logged in."""
    secret = bearer_secret(request) or request.cookies.get(TOKEN_COOKIE)
    return authenticate(platform.db, secret) if secret else None


CallerDep = Annotated[Caller, Depends(api_caller)]
