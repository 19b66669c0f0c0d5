"""The platform token, kept in the operating system's keyring (Windows Credential Manager,
macOS Keychain, the Secret Service on Linux). Never written to a file by the app: where no
keyring exists the user is told so. For servers and CI the token may come from an
environment variable instead (``IDI_INSPECTOR_SYNC_TOKEN``), which the app never stores."""

from __future__ import annotations

import os
from typing import Any

from ..errors import InspectorError

SERVICE = "IDI Inspector sync"
ENV = "IDI_INSPECTOR_SYNC_TOKEN"


class NoKeyring(InspectorError):
    code = "no_keyring"


def _keyring() -> Any:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or "null" in type(backend).__module__:
        raise NoKeyring("sync.no_keyring", env=ENV)
    return keyring


def save_token(server: str, token: str) -> None:
    token = token.strip()
    if not token:
        raise InspectorError("sync.token_empty")
    try:
        _keyring().set_password(SERVICE, server, token)
    except NoKeyring:
        raise
    except Exception as exc:  # keyring backends raise their own types
        raise NoKeyring("sync.keyring_save_failed", detail=str(exc)) from None


def load_token(server: str) -> str:
    if os.environ.get(ENV):
        return os.environ[ENV]
    try:
        token = _keyring().get_password(SERVICE, server)
    except NoKeyring:
        raise
    except Exception as exc:
        raise NoKeyring("sync.keyring_read_failed", detail=str(exc)) from None
    if not token:
        raise InspectorError("sync.no_token", server=server)
    return str(token)
