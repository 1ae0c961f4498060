"""Re-keying the database file: a copy of every page under a new key, checked before use.

The swap itself (copy over original, with the device keys and key slots) is the caller's, done
through ``security.journal`` so that a crash leaves the old store or the new one.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from jsd_desk.domain.errors import StoreError
from jsd_desk.files import fsync_dir
from jsd_desk.i18n import N_

try:  # the same module as the engine factory's (sqlcipher3-binary or sqlcipher3)
    import sqlcipher3.dbapi2 as sqlcipher
except ImportError:  # pragma: no cover - reported when used
    sqlcipher = None

__all__ = ["check_copy", "export_with_key", "raw_connection", "sqlcipher"]


def raw_connection(path: Path, key: bytes) -> Any:
    if sqlcipher is None:
        raise StoreError(N_("The SQLCipher driver (sqlcipher3) is not installed."))
    conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def export_with_key(db: Path, key: bytes, target: Path, new_key: bytes) -> int:
    """Copy every page of ``db`` into ``target`` encrypted with ``new_key`` (SQLCipher's own
    ``sqlcipher_export``); returns how many events the copy holds."""
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    conn = raw_connection(db, key)
    try:
        try:
            events = int(conn.execute("SELECT count(*) FROM event").fetchone()[0])
        except sqlcipher.DatabaseError:
            raise StoreError(N_("The database cannot be read with this store's key; nothing was "
                                "changed.")) from None
        try:
            # Owner-only like the store: ATTACH would create the file with the umask's mode.
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            conn.execute(f"ATTACH DATABASE ? AS rekeyed KEY \"x'{new_key.hex()}'\"", (str(target),))
            # The copy is thrown away if anything fails before the commit: no journal for it.
            conn.execute("PRAGMA rekeyed.journal_mode = OFF")
            conn.execute("PRAGMA rekeyed.synchronous = OFF")
            conn.execute("SELECT sqlcipher_export('rekeyed')")
            conn.execute("DETACH DATABASE rekeyed")
        except sqlcipher.Error as exc:
            target.unlink(missing_ok=True)
            raise StoreError(N_("The database could not be copied under the new key ({reason}); "
                                "nothing was changed."), reason=str(exc)) from None
    finally:
        conn.close()
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_dir(target.parent)
    return events


def check_copy(path: Path, key: bytes, events: int) -> None:
    conn = raw_connection(path, key)
    try:
        ok = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()] == ["ok"]
        same = int(conn.execute("SELECT count(*) FROM event").fetchone()[0]) == events
    except sqlcipher.DatabaseError:
        ok = same = False
    finally:
        conn.close()
    if not (ok and same):
        raise StoreError(N_("The re-keyed copy of the database failed its check; nothing was "
                            "changed."))
