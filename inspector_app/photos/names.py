"""File names as a person can read them and any database, console or JSON can hold them.

A name that is not valid UTF-8 (a card written on Chinese Windows holds GBK names) reaches
Python on Linux and macOS as text with lone surrogates, which SQLite, ``print`` and JSON refuse."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"([/\\])")


def readable_name(name: str) -> str:
    """``name`` unchanged when it is proper text; else its bytes read as GB18030 (the Chinese
    Windows encoding) when they are valid GB18030, else with the undecodable bytes as ``\\xNN``."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # lone surrogates that are no escaped bytes (a Windows UTF-16 name)
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def readable_path(path: object) -> str:
    """A path shown folder by folder with ``readable_name`` (UTF-8 folders, a GBK file name)."""
    return "".join(readable_name(part) for part in _SEPARATORS.split(str(path)))
