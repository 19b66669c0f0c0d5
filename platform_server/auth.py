"""Bearer tokens: per agency or per inspector (or for the insurer, or an admin), with expiry.

The secret is ``idi_`` + 43 URL-safe characters; the database keeps only its SHA-256, so
a leaked database grants nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from .database import Database
from .errors import ProtocolError, forbidden, unauthorized
from .models import ROLES, Agency, ApiToken, utcnow

SECRET_PREFIX = "idi_"


@dataclass(frozen=True, slots=True)
class Caller:
    token_id: int
    role: str
    agency_id: int | None
    subject: str | None

    @property
    def sees_every_project(self) -> bool:
        return self.role in ("admin", "insurer")

    def agency(self) -> int:
        """The agency this caller acts for; insurer and admin tokens deliver nothing."""
        if self.agency_id is None or self.role not in ("agency", "inspector"):
            raise forbidden("this endpoint needs an agency or inspector token")
        return self.agency_id


@dataclass(frozen=True, slots=True)
class IssuedToken:
    id: int
    secret: str
    role: str
    agency_code: str | None
    subject: str | None
    expires_at: datetime | None


def secret_sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def authenticate(db: Database, secret: str, now: datetime | None = None) -> Caller:
    """The caller behind a secret; 401 when unknown, revoked or expired."""
    with db.read() as s:
        token = s.scalars(select(ApiToken).where(ApiToken.secret_sha256 == secret_sha256(secret))).first()
        if token is None:
            raise unauthorized("unknown token")
        if token.revoked_at is not None:
            raise unauthorized("token revoked")
        if token.expires_at is not None and token.expires_at <= (now or utcnow()):
            raise unauthorized("token expired")
        return Caller(token.id, token.role, token.agency_id, token.subject)


def issue_token(db: Database, role: str, *, agency_code: str | None = None, subject: str | None = None,
                valid_for: timedelta | None = None) -> IssuedToken:
    """Create a token; ``valid_for`` None means it never expires (admin bootstrap only)."""
    if role not in ROLES:
        raise ProtocolError(422, "invalid_role", f"role must be one of {', '.join(ROLES)}")
    needs_agency = role in ("agency", "inspector")
    if needs_agency != (agency_code is not None):
        raise ProtocolError(422, "invalid_agency", f"a {role} token {'needs' if needs_agency else 'takes no'} agency")
    if role == "inspector" and not subject:
        raise ProtocolError(422, "invalid_subject", "an inspector token names the inspector (subject)")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    expires = utcnow() + valid_for if valid_for is not None else None
    with db.write() as s:
        agency_id = None
        if agency_code is not None:
            agency_id = s.scalars(select(Agency.id).where(Agency.code == agency_code)).first()
            if agency_id is None:
                raise ProtocolError(404, "not_found", f"agency {agency_code} not found")
        token = ApiToken(secret_sha256=secret_sha256(secret), role=role, agency_id=agency_id, subject=subject,
                         expires_at=expires)
        s.add(token)
        s.flush()
        return IssuedToken(token.id, secret, role, agency_code, subject, expires)


def revoke_token(db: Database, token_id: int) -> None:
    with db.write() as s:
        token = s.get(ApiToken, token_id)
        if token is None:
            raise ProtocolError(404, "not_found", f"token {token_id} not found")
        token.revoked_at = token.revoked_at or utcnow()
