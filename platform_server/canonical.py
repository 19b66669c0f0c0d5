"""Canonical JSON, so sender and server hash the same content the same way: keys sorted,
no spaces, UTF-8 (no \\u escapes), as Python's ``json.dumps`` writes it."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_bytes(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def canonical_sha256(value: Any) -> str:
    return hashlib.sha256(canonical_bytes(value)).hexdigest()
