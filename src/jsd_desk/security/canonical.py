"""Canonical bytes of a JSON value: sorted keys, compact, UTF-8 (DESIGN §4).

Signatures and hashes are computed over these bytes, so any reader that re-serializes an event the
same way can check it — in any language, without this application.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

# What json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
# allow_nan=False) does, without making an encoder at each call (every event is encoded).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                              allow_nan=False).encode


def canonical_bytes(value: Any) -> bytes:
    return _CANONICAL(value).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
