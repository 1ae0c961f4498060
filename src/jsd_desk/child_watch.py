"""Worker processes that end with the process they work for.

A ``ProcessPoolExecutor`` worker waits for work on a queue it holds both ends of, so when the
process that started the pool is killed (SIGKILL in the middle of an import or a verify: the
user's kill, an out-of-memory kill) the worker waits for ever, with whatever it inherited (the
client's stdout, and for a forkserver's workers the server's lifeline, so the server stays too).
Pass ``end_with`` as the pool's initializer, with the client's pid.
"""

from __future__ import annotations

import os
import select
import threading
import time


def end_with(client: int) -> None:
    """In a worker: exit once process ``client`` is gone. Watched through a pidfd where there
    is one (no mistaking a new process that reuses the number), by polling the number
    elsewhere."""
    try:
        handle: int | None = os.pidfd_open(client)
    except (AttributeError, OSError):  # not Linux, or the client has already gone
        handle = None

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])  # readable once the process has exited
            os._exit(0)
        while True:
            time.sleep(1.0)
            try:
                os.kill(client, 0)
            except (ProcessLookupError, PermissionError):  # gone, or the number reused
                os._exit(0)

    threading.Thread(target=watch, name="jsd-client-watch", daemon=True).start()
