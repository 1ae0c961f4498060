"""What a failing disk or folder means to a person: one sentence, and the exit status of §7.

The operating system and SQLite report the same few faults in many shapes — ``ENOSPC`` or
"database or disk is full", ``EROFS``/``EACCES`` or "attempt to write a readonly database",
``EIO`` when a USB stick is pulled out. Each becomes a :class:`StorageFault` naming the folder
and what to do. Nothing here touches a file; callers clean up what they made.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from jsd_desk.domain.errors import InputRefused, JsdError, UsageError
from jsd_desk.i18n import N_


class StorageFault(InputRefused):
    """The data folder (or a file being written) cannot be used as it is: exit status 3."""


class BadDataDir(UsageError):
    """The data folder given cannot be a folder at all (a path through a file): exit status 2."""


DISK_FULL = N_("The disk that holds {path} is full: free some space, then try again. "
               "Nothing was changed.")
READ_ONLY = N_("JSD Desk cannot write in {path}: the folder is read-only or this user may not "
               "change it. Nothing was changed.")
MISSING = N_("The data folder {path} is not there: if it is on a USB stick or an external disk, "
             "plug it in and try again. Nothing was changed.")
IO_ERROR = N_("The data folder {path} cannot be read or written (input/output error): if it is "
              "on a USB stick, check that it is still plugged in. Nothing was changed.")
THROUGH_FILE = N_("{path} cannot be a data folder: {blocker} is a file, not a folder.")

# Less free space than this, and an I/O error is taken for what it most likely is: a full disk.
NEARLY_FULL = 1 << 20
_FULL = (errno.ENOSPC, errno.EDQUOT)
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)
_GONE = (errno.EIO, errno.ENXIO, errno.ENODEV, errno.ESTALE)
# SQLite's own words for the same faults (its error codes do not survive the driver).
_SQLITE_WORDS = (("disk is full", DISK_FULL), ("readonly database", READ_ONLY),
                 ("read-only", READ_ONLY), ("disk i/o error", IO_ERROR),
                 ("unable to open database file", READ_ONLY))


def blocking_file(path: Path) -> Path | None:
    """The first existing ancestor of ``path`` (or ``path`` itself) that is not a folder."""
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return None if candidate.is_dir() else candidate
    return None


def check_data_dir(root: Path) -> None:
    """Refuse at once a data folder that can never be one (exit 2)."""
    blocker = blocking_file(Path(root))
    if blocker is not None:
        raise BadDataDir(THROUGH_FILE, path=str(root), blocker=str(blocker))


def new_folder_fault(root: Path, *, named: bool) -> JsdError | None:
    """Why a data folder that does not exist yet cannot be created where it was asked, if so.

    ``named``: the user chose the folder (an option or JSD_DESK_DATA_DIR). Its parent must exist
    then: when it is missing, the folder was most likely on a USB stick or a disk that is not
    plugged in, and making it on the laptop's own disk would split the device's data in two.
    (The platform's default folder is made with its parents.)"""
    root = Path(root)
    blocker = blocking_file(root)
    if blocker is not None:
        return BadDataDir(THROUGH_FILE, path=str(root), blocker=str(blocker))
    if root.exists():
        return None if os.access(root, os.W_OK) else StorageFault(READ_ONLY, path=str(root))
    if named and not root.parent.exists():
        return StorageFault(MISSING, path=str(root))
    existing = next(p for p in root.parents if p.exists())
    if not os.access(existing, os.W_OK | os.X_OK):  # access() reports a read-only mount too
        return StorageFault(READ_ONLY, path=str(existing))
    return None


def storage_fault(exc: BaseException, where: Path) -> JsdError | None:
    """The sentence for ``exc`` if it is a storage fault under ``where``; None otherwise."""
    if isinstance(exc, JsdError):
        return exc
    msgid = _msgid(exc)
    if msgid is None:
        return None
    if msgid == THROUGH_FILE:
        blocker = blocking_file(where) or where
        return BadDataDir(THROUGH_FILE, path=str(where), blocker=str(blocker))
    if msgid == IO_ERROR:
        # SQLite says "disk I/O error" when it cannot grow its -shm file on a full disk, and
        # the folder is gone altogether when its USB stick was pulled out.
        if not Path(where).exists():
            msgid = MISSING
        elif _nearly_full(Path(where)):
            msgid = DISK_FULL
    return StorageFault(msgid, path=str(where))


def _nearly_full(where: Path) -> bool:
    try:
        return shutil.disk_usage(where).free < NEARLY_FULL
    except OSError:
        return False


def database_fault(exc: BaseException, where: Path) -> JsdError | None:
    """``storage_fault`` for a failure of the database under ``where`` itself (not of a file
    the work inside a transaction was reading: a pulled-out USB stick is not the data folder)."""
    if isinstance(exc, JsdError) or not any(_is_database_error(e) for e in _chain(exc)):
        return None
    return storage_fault(exc, where)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and what it was raised from (the driver error under SQLAlchemy's)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__


def _msgid(exc: BaseException) -> str | None:
    for current in _chain(exc):
        if isinstance(current, OSError) and current.errno is not None:
            if current.errno in _FULL:
                return DISK_FULL
            if current.errno in _READ_ONLY:
                return READ_ONLY
            if current.errno in _GONE:
                return IO_ERROR
            if current.errno == errno.ENOTDIR:
                return THROUGH_FILE
            if current.errno == errno.ENOENT:
                return MISSING
        text = str(current).lower()
        for words, msgid in _SQLITE_WORDS:
            if words in text and _is_database_error(current):
                return msgid
    return None


def _is_database_error(exc: BaseException) -> bool:
    # sqlcipher3's and SQLAlchemy's error classes, named rather than imported: this module sits
    # below the store and is imported by the CLI before any driver is loaded.
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(names & {"OperationalError", "DatabaseError", "DBAPIError"})
