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
        raise NoKeyring("本机没有可用的系统密钥库（如 Windows 凭据管理器、GNOME 密钥环），无法安全保存令牌；"
                        f"令牌不会以明文保存。可在本次运行中用环境变量 {ENV} 提供令牌。")
    return keyring


def save_token(server: str, token: str) -> None:
    token = token.strip()
    if not token:
        raise InspectorError("令牌为空")
    try:
        _keyring().set_password(SERVICE, server, token)
    except NoKeyring:
        raise
    except Exception as exc:  # keyring backends raise their own types
        raise NoKeyring(f"无法保存到系统密钥库：{exc}") from None


def load_token(server: str) -> str:
    if os.environ.get(ENV):
        return os.environ[ENV]
    try:
        token = _keyring().get_password(SERVICE, server)
    except NoKeyring:
        raise
    except Exception as exc:
        raise NoKeyring(f"无法读取系统密钥库：{exc}") from None
    if not token:
        raise InspectorError(f"尚未保存 {server} 的令牌：请先运行 `sync token --server {server}` 或在设置中填写")
    return str(token)
