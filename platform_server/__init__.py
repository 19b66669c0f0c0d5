"""The reference server of the insurer's information platform (信息平台) for IDI sync.

It receives issued reports, findings and photos from the agencies' inspectors exactly once
and hands them the projects the insurer assigned. The protocol is docs/sync-protocol.yaml.
This package imports nothing from ``inspector_app``.
"""

from __future__ import annotations

__version__ = "0.1.0"
PROTOCOL_VERSION = 1
