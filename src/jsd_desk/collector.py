"""Python's cyclic garbage collector paused while a bulk operation builds many objects.

Each full collection walks every object alive, and an import keeps a growing number alive (the
references of the events applied, the batch's rows): collections came more often as the
bundle grew and each cost more, a fifth of a 100,000-event import (25 s with them, 20 s
without). Those objects form no cycles; reference counting frees them as usual. Pauses nest
and may overlap across threads: the collector runs again when the last one ends, as it was.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
