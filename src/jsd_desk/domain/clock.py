"""Hybrid logical clock (Kulkarni et al.): wall time in ms plus a counter.

Stamps are fixed-width strings, so text order is clock order; a stamp joined with a device id
(``stamp``) totally orders every write for last-writer-wins.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

COUNTER_LIMIT = 10**6


@dataclass(frozen=True, order=True)
class Hlc:
    wall_ms: int
    counter: int = 0

    def encode(self) -> str:
        return f"{self.wall_ms:013d}.{self.counter:06d}"

    @classmethod
    def decode(cls, text: str) -> Hlc:
        wall, _, counter = text.partition(".")
        if len(wall) != 13 or len(counter) != 6 or not wall.isdigit() or not counter.isdigit():
            raise ValueError(f"not a clock stamp: {text!r}")
        return cls(int(wall), int(counter))

    def tick(self, now_ms: int) -> Hlc:
        """The next stamp for a local event."""
        if now_ms > self.wall_ms:
            return Hlc(now_ms, 0)
        return self._bump(self.wall_ms, self.counter)

    def merge(self, other: Hlc, now_ms: int) -> Hlc:
        """The clock after receiving ``other`` (a remote event already bounded by the caller)."""
        wall = max(self.wall_ms, other.wall_ms, now_ms)
        if wall == self.wall_ms == other.wall_ms:
            return self._bump(wall, max(self.counter, other.counter))
        if wall == self.wall_ms:
            return self._bump(wall, self.counter)
        if wall == other.wall_ms:
            return self._bump(wall, other.counter)
        return Hlc(wall, 0)

    @staticmethod
    def _bump(wall: int, counter: int) -> Hlc:
        # A counter overflow borrows a millisecond rather than wrap (which would reorder).
        if counter + 1 >= COUNTER_LIMIT:
            return Hlc(wall + 1, 0)
        return Hlc(wall, counter + 1)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def make_stamp(hlc: str, device_id: str) -> str:
    return f"{hlc}/{device_id}"


def split_stamp(stamp: str) -> tuple[str, str]:
    hlc, _, device = stamp.partition("/")
    return hlc, device
