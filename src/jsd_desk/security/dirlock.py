"""Who has a data folder open: every open store holds a shared lock on ``DIR/lock``; re-keying
and restoring need it alone (an exclusive lock), since they replace the database file under any
other process that might still write to it.

``flock`` locks belong to the open file: the kernel drops them when a process dies, even by
SIGKILL, so a crash never leaves a folder locked. (On Windows there is no ``flock``; the check
is skipped there and the user is asked to close other windows first.)
"""

from __future__ import annotations

import os
from pathlib import Path

from jsd_desk.domain.errors import StoreError
from jsd_desk.i18n import N_

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "lock"


class StoreBusy(StoreError):
    pass


class DirLock:
    def __init__(self, root: Path) -> None:
        self.path = Path(root) / LOCK_NAME
        self._fd: int | None = None
        self._mode = 0

    def _open(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._fd

    def shared(self) -> DirLock:
        if fcntl is not None:
            try:
                fcntl.flock(self._open(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                self.release()
                raise StoreBusy(N_("The store is being re-keyed or restored by another program; "
                                   "try again when it has finished.")) from None
            self._mode = fcntl.LOCK_SH
        return self

    def exclusive(self) -> DirLock:
        """Take the folder alone (converting a shared lock this object holds)."""
        if fcntl is not None:
            try:
                fcntl.flock(self._open(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                # Linux may drop a shared lock while failing to convert it: take it back.
                if self._mode == fcntl.LOCK_SH:
                    fcntl.flock(self._open(), fcntl.LOCK_SH)
                raise StoreBusy(N_("The store is open in another window or command; close it "
                                   "and try again.")) from None
            self._mode = fcntl.LOCK_EX
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None
            self._mode = 0

    def __enter__(self) -> DirLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
