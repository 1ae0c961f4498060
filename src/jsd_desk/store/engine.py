"""The one engine factory (DESIGN §3): every database connection of the app is made here.

By default a SQLCipher-encrypted SQLite file, keyed with a raw 256-bit key (no passphrase KDF
inside SQLCipher: the key slots already did that work). A PostgreSQL URL gives the ministry hub.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from jsd_desk.domain.errors import StoreError, WrongPassphrase
from jsd_desk.faults import storage_fault
from jsd_desk.i18n import N_

try:  # the Linux wheel (sqlcipher3-binary) and the Windows/macOS wheel share the module name
    import sqlcipher3.dbapi2 as sqlcipher
except ImportError:  # pragma: no cover - reported clearly at open time
    sqlcipher = None

# Prepared statements each connection keeps. The write path's statements are few, but a store's
# connection has prepared more than the driver's default holds by the time the first edit runs
# (schema checks, the services' reads): with the default, the edit's compound read was
# compiled anew in every transaction (~0.1 ms, an eighth of a committed edit).
STATEMENT_CACHE = 512
# Decrypted pages each connection keeps, in KiB. SQLCipher decrypts (and checks) a page every
# time it is read into the cache; with SQLite's default 2 MiB, the indicators' joins over a
# hub's tables read the same pages again and again: the whole dashboard of a million-event hub
# took 12 s, 5.5 s with 64 MiB (benchmarks/README.md). Only the pages used fill it, so a
# laptop's store (smaller than this) costs no more than before; an import's peak memory is
# elsewhere (unchanged at 100,000 events).
PAGE_CACHE_KIB = 65536


def _check_build(conn: Any) -> None:
    """Refuse a driver without encryption or FTS5 rather than silently store plaintext."""
    cipher = conn.execute("PRAGMA cipher_version").fetchone()
    if not cipher or not cipher[0]:
        raise StoreError(N_("This SQLite build has no encryption (SQLCipher); "
                            "refusing to store data."))
    options = {row[0] for row in conn.execute("PRAGMA compile_options").fetchall()}
    if "ENABLE_FTS5" not in options:
        raise StoreError(N_("This SQLite build lacks full-text search (FTS5)."))


def sqlcipher_engine(path: Path, key: bytes) -> Engine:
    """An engine over the encrypted file at ``path`` (created if absent)."""
    if sqlcipher is None:
        raise StoreError(N_("The SQLCipher driver (sqlcipher3) is not installed."))
    hex_key = key.hex()
    if not path.exists():
        # Owner-only from the first byte: SQLite gives its -wal and -shm files the same mode.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))

    def connect() -> Any:
        conn = sqlcipher.connect(str(path), timeout=30, check_same_thread=False,
                                 isolation_level=None, cached_statements=STATEMENT_CACHE)
        try:
            # SQLCipher logs decryption failures to stderr itself; the user gets our one
            # sentence instead (DESIGN §7), and no log ever holds anything about the data.
            conn.execute("PRAGMA cipher_log_level = NONE")
            # Raw key: x'…' skips SQLCipher's own PBKDF2 (the slots already stretched it).
            conn.execute(f"PRAGMA key = \"x'{hex_key}'\"")
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlcipher.DatabaseError as exc:
                if storage_fault(exc, path.parent) is not None:
                    # A full disk or a read-only folder (SQLite could not make its -shm file):
                    # said as such by the caller, never taken for a wrong key or a damaged file.
                    raise
                if plain_sqlite_check(path):
                    raise StoreError(N_("{path} is an unencrypted SQLite database, not a JSD Desk "
                                        "store; it was left untouched."), path=str(path)) from None
                raise WrongPassphrase(N_("The store cannot be opened with this key.")) from None
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit that returned is on disk even if the power fails the next instant.
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA temp_store = MEMORY")  # no plaintext temp files on disk
            conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        except BaseException:
            conn.close()
            raise
        return conn

    engine = create_engine(f"sqlite:///{path}", creator=connect, module=sqlcipher)
    _install_sqlite_transactions(engine)
    with engine.connect() as c:
        _check_build(c.connection.dbapi_connection)
    return engine


def _install_sqlite_transactions(engine: Engine) -> None:
    # pysqlite's own transaction handling is off (isolation_level=None); SQLAlchemy's BEGIN is
    # IMMEDIATE so two processes never deadlock upgrading a read lock to a write lock.
    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Reads (Store.reading) begin deferred: a long count or search must not hold the write
        # lock and stall an autosave.
        deferred = conn.get_execution_options().get("read_only", False)
        # On the driver's own connection: SQLAlchemy's statement machinery cost more than the
        # BEGIN itself on every committed edit.
        conn.connection.dbapi_connection.execute("BEGIN" if deferred else "BEGIN IMMEDIATE")


def url_engine(url: str) -> Engine:
    """The ministry hub: PostgreSQL (``postgresql+psycopg://…``)."""
    if not url.startswith(("postgresql", "postgres")):
        raise StoreError(N_("Unsupported database URL; use postgresql+psycopg://…"))
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # any driver or URL error becomes one sentence
        raise StoreError(N_("The database URL cannot be used: {reason}"), reason=str(exc)) from None
    try:  # connect now, so an unreachable hub is one sentence rather than a later traceback
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        reason = str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0][:300]
        raise StoreError(N_("The database cannot be reached: {reason}"), reason=reason) from None
    return engine


def plain_sqlite_check(path: Path) -> bool:
    """True when ``path`` is an unencrypted SQLite file (so not a JSD Desk store)."""
    try:
        with path.open("rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


