"""Version vectors: ``{device_id: last_seq}``, what a device holds of each feed.

A device holds every event of a feed from 1 up to its vector's entry (events after a gap are
held aside, not counted), so a vector says exactly which events a device has.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

Vector = dict[str, int]

MAX_DEVICE_ID = 36


def parse_vector(value: Any) -> Vector:
    """A vector read from outside; raises ValueError when it is not one."""
    if not isinstance(value, dict):
        raise ValueError("not an object")
    out: Vector = {}
    for key, seq in value.items():
        if not isinstance(key, str) or not 0 < len(key) <= MAX_DEVICE_ID:
            raise ValueError("bad device id")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise ValueError("bad sequence number")
        if seq:
            out[key] = seq
    return out


def merge(a: Mapping[str, int], b: Mapping[str, int]) -> Vector:
    """The entry-wise maximum: what is known once both are known."""
    out = dict(a)
    for key, seq in b.items():
        if seq > out.get(key, 0):
            out[key] = seq
    return out


def dominates(a: Mapping[str, int], b: Mapping[str, int]) -> bool:
    """Whether ``a`` covers every event ``b`` covers."""
    return all(a.get(key, 0) >= seq for key, seq in b.items())


def dumps(vector: Mapping[str, int]) -> str:
    return json.dumps({k: v for k, v in vector.items() if v}, sort_keys=True,
                      separators=(",", ":"))


def loads(text: str | None) -> Vector:
    if not text:
        return {}
    return parse_vector(json.loads(text))
