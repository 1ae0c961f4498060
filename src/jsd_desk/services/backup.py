"""Backups and the start-up check (DESIGN §6): rotating copies of the database made with
``VACUUM INTO`` (encrypted with the same key as the store), a list, and a restore.

- At most one automatic backup a day, made when the store is opened and passes SQLite's quick
  check; the newest ``KEEP`` are kept. ``backups/jsd-YYYYMMDDTHHMMSSZ.db``, each written to a
  temporary name, fsynced, then renamed: a backup that exists is whole.
- A restored backup starts a **new device feed** (DESIGN §4): new device id and keys, the old
  device kept as a trusted known device so its events still verify, its age identity kept so
  what was sealed to it still opens. No sequence number is ever reused.
- The database that a restore replaces is moved aside into ``replaced/``, never deleted.
- The start-up check names the way forward when the file is damaged: restore the latest good
  backup (``jsd-desk backup restore``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, insert, update

from jsd_desk.domain.errors import JsdError, NotFound, StoreError, UsageError
from jsd_desk.files import atomic_copy, fsync_dir
from jsd_desk.i18n import N_
from jsd_desk.paths import DataDir
from jsd_desk.security import journal
from jsd_desk.security.device import DeviceKeys, load_device, new_device, save_device
from jsd_desk.security.dirlock import DirLock
from jsd_desk.security.keyslots import subkey
from jsd_desk.security.lockout import Throttle
from jsd_desk.security.rekey import sqlcipher
from jsd_desk.services.settings import hub_database_url
from jsd_desk.services.unlock import load_slots
from jsd_desk.store import models
from jsd_desk.store.engine import sqlcipher_engine
from jsd_desk.store.schema import ensure_schema
from jsd_desk.store.writer import carry_clock

KEEP = 7
INTERVAL = dt.timedelta(days=1)
_NAME = re.compile(r"^jsd-(\d{8}T\d{6})Z(?:-(\d+))?\.db$")
REPLACED_DIR = "replaced"
DEVICE = models.tbl(models.Device)

Step = Callable[[str], None]


def _no_step(_name: str) -> None:
    return None


@dataclass(frozen=True)
class BackupInfo:
    name: str
    path: Path
    created: dt.datetime  # UTC, naive
    size: int


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def list_backups(data_dir: DataDir) -> list[BackupInfo]:
    """The backups, newest first."""
    out = []
    if data_dir.backups.is_dir():
        for path in data_dir.backups.iterdir():
            m = _NAME.match(path.name)
            if not m or not path.is_file():
                continue
            created = dt.datetime.strptime(m.group(1), "%Y%m%dT%H%M%S")
            out.append(BackupInfo(path.name, path, created, path.stat().st_size))
    return sorted(out, key=lambda b: (b.created, b.name), reverse=True)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _vacuum_into(engine: Engine, target: Path) -> None:
    # VACUUM INTO runs outside any transaction: on the raw (autocommit) driver connection. Its
    # output is encrypted with the store's own key and is a consistent snapshot.
    # Owner-only like the store itself: VACUUM INTO would create the file with the umask's mode.
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    raw = engine.raw_connection()
    try:
        raw.cursor().execute("VACUUM INTO ?", (str(target),))
    finally:
        raw.close()


def _new_name(data_dir: DataDir, now: dt.datetime) -> Path:
    base = f"jsd-{now:%Y%m%dT%H%M%S}Z"
    path = data_dir.backups / f"{base}.db"
    n = 1
    while path.exists():
        n += 1
        path = data_dir.backups / f"{base}-{n}.db"
    return path


def create_backup(data_dir: DataDir, engine: Engine, now: dt.datetime | None = None,
                  keep: int = KEEP) -> BackupInfo:
    """A backup now; then only the newest ``keep`` are kept."""
    data_dir.backups.mkdir(mode=0o700, exist_ok=True)
    for leftover in data_dir.backups.glob(".*.tmp"):  # an interrupted backup
        leftover.unlink(missing_ok=True)
    now = now or _utcnow()
    final = _new_name(data_dir, now)
    tmp = data_dir.backups / f".{final.name}.tmp"
    try:
        _vacuum_into(engine, tmp)
        _fsync_file(tmp)
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(data_dir.backups)
    prune(data_dir, keep)
    return BackupInfo(final.name, final, now, final.stat().st_size)


def backup_database(data_dir: DataDir, key: bytes) -> BackupInfo:
    """A backup of the store's file with its key, the store being closed (after a re-key)."""
    engine = sqlcipher_engine(data_dir.database, key)
    try:
        return create_backup(data_dir, engine)
    finally:
        engine.dispose()


def prune(data_dir: DataDir, keep: int = KEEP) -> None:
    for old in list_backups(data_dir)[keep:]:
        old.path.unlink(missing_ok=True)
    fsync_dir(data_dir.backups)


def opens_with(path: Path, key: bytes, *, full: bool = False) -> bool:
    """Whether a backup file opens with ``key`` (and, with ``full``, passes integrity_check).
    Read-only: the file is opened immutable, nothing beside it is created."""
    if sqlcipher is None:
        return False
    try:
        conn = sqlcipher.connect(f"file:{path.as_posix()}?immutable=1", uri=True,
                                 isolation_level=None, check_same_thread=False)
    except sqlcipher.Error:
        return False
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if full:
            return [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()] == ["ok"]
        return True
    except sqlcipher.Error:
        return False
    finally:
        conn.close()


def drop_unreadable_backups(data_dir: DataDir, key: bytes) -> int:
    """After a re-key: backups the new key cannot open are under the old, possibly compromised,
    key; they go (a fresh backup under the new key was made first)."""
    dropped = 0
    for b in list_backups(data_dir):
        if not opens_with(b.path, key):
            b.path.unlink(missing_ok=True)
            dropped += 1
    if dropped:
        fsync_dir(data_dir.backups)
    return dropped


# -- the start-up check ---------------------------------------------------------------------------


class DamagedStore(StoreError):
    """The database is damaged or missing: the way forward is a restore (the GUI offers it)."""


def damaged_store_error(data_dir: DataDir, detail: str | None = None) -> JsdError:
    """One sentence that says what is wrong and what to do about it."""
    latest = next(iter(list_backups(data_dir)), None)
    if latest is None:
        return DamagedStore(N_("The database of this store is damaged or missing and there is no "
                             "backup; keep this folder as it is and ask a peer for a full bundle "
                             "to import into a new store."))
    return DamagedStore(N_("The database of this store is damaged or missing ({detail}); restore "
                         "the latest good backup, from {date}, with “jsd-desk backup restore” "
                         "(the damaged file is kept)."),
                      detail=detail or "—", date=f"{latest.created:%Y-%m-%d %H:%M} UTC")


def quick_check(engine: Engine) -> list[str]:
    """SQLite's quick check; [] when fine, else its first complaints."""
    raw = engine.raw_connection()
    try:
        rows = [str(r[0]) for r in raw.cursor().execute("PRAGMA quick_check").fetchall()]
    except Exception as exc:  # the driver's own "file is not a database" and the like
        return [type(exc).__name__]
    finally:
        raw.close()
    return [] if rows == ["ok"] else rows[:3]


@dataclass(frozen=True)
class StartupReport:
    backup: BackupInfo | None = None  # the day's backup, when one was made now
    backup_failed: JsdError | None = None  # why the day's backup could not be made

    def warning(self) -> str | None:
        return None if self.backup_failed is None else self.backup_failed.message()


def startup(data_dir: DataDir, engine: Engine, now: dt.datetime | None = None) -> StartupReport:
    """What to do right after opening a SQLCipher store: the quick check (raising the way
    forward when it fails), then the day's backup if none was made in the last day. A backup
    that cannot be made (a full disk) does not stop the work: the report says why."""
    if engine.dialect.name != "sqlite":
        return StartupReport()
    problems = quick_check(engine)
    if problems:
        raise damaged_store_error(data_dir, "; ".join(problems))
    now = now or _utcnow()
    latest = next(iter(list_backups(data_dir)), None)
    if latest is not None and now - latest.created < INTERVAL and latest.created <= now:
        return StartupReport()
    try:
        return StartupReport(backup=create_backup(data_dir, engine, now))
    except (OSError, sqlcipher.Error) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        return StartupReport(backup_failed=StoreError(
            N_("The automatic backup could not be made ({reason}); the store is fine, but make "
               "room or check the folder {path}."), reason=reason, path=str(data_dir.backups)))


def set_aside(data_dir: DataDir, paths: tuple[Path, ...]) -> Path | None:
    """Move files (and a database's -wal and -shm) into ``replaced/STAMP/``; None if none."""
    present = [p for p in paths if p.exists()]
    if not present:
        return None
    stamp = f"{_utcnow():%Y%m%dT%H%M%S}Z"
    folder = data_dir.root / REPLACED_DIR / stamp
    n = 1
    while folder.exists():
        n += 1
        folder = data_dir.root / REPLACED_DIR / f"{stamp}-{n}"
    folder.mkdir(parents=True, mode=0o700)
    for path in present:
        for suffix in ("", "-wal", "-shm"):
            src = path.with_name(path.name + suffix)
            if src.exists():
                os.rename(src, folder / src.name)
    fsync_dir(folder)
    fsync_dir(data_dir.root)
    return folder


# -- restore --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    backup: BackupInfo
    old_device_id: str
    new_device_id: str
    replaced: Path | None  # where the database it replaced was moved


RESTORE_STEPS = ("unlock", "choose", "prepare", "stage", "commit", "done")


def _prepare(staged_db: Path, key: bytes, old: DeviceKeys, new: DeviceKeys) -> None:
    """In the staged copy: schema at head, the new device as itself, the old one a trusted peer."""
    engine = sqlcipher_engine(staged_db, key)
    try:
        ensure_schema(engine)
        with engine.begin() as conn:
            conn.execute(update(DEVICE).where(DEVICE.c.is_self.is_(True))
                         .values(is_self=False, trusted=True))
            info = new.info
            conn.execute(insert(DEVICE).values(
                device_id=info.device_id, name=info.name, role=info.role,
                short_code=info.short_code, sign_public=info.sign_public,
                age_recipient=info.age_recipient, trusted=True, is_self=True,
                introduced_by=old.info.device_id, added_at=_utcnow()))
            carry_clock(conn, old.info.device_id)
        raw = engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
    finally:
        engine.dispose()
    wal = staged_db.with_name(staged_db.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        raise StoreError(N_("Preparing the restored database failed; nothing was changed."))
    for suffix in ("-wal", "-shm"):
        staged_db.with_name(staged_db.name + suffix).unlink(missing_ok=True)
    _fsync_file(staged_db)


def restore_backup(root: Path, passphrase: str, name: str | None = None, *,
                   on_step: Step = _no_step,
                   clock: Callable[[], float] = time.time) -> RestoreResult:
    """Put a backup (by name, or the newest that passes a full integrity check) in place of the
    database, as a new device feed. The store must be closed everywhere."""
    data_dir = DataDir(Path(root))
    root = data_dir.root
    if not data_dir.device.exists():
        raise StoreError(N_("There is no JSD Desk store in {path}; run “jsd-desk init” first."),
                         path=str(root))
    if hub_database_url(data_dir) is not None:
        raise UsageError(N_("A hub's database is backed up and restored with PostgreSQL's own "
                            "tools."))
    with DirLock(root).exclusive():
        journal.replay(root)
        on_step("unlock")
        slots = load_slots(data_dir)
        master = Throttle.for_data_dir(root, clock).attempt(
            lambda: slots.open_with_passphrase(passphrase))
        old = load_device(data_dir.device, data_dir.device_keys, master)
        key = subkey(master, "database")
        on_step("choose")
        backups = list_backups(data_dir)
        if name is not None:
            backups = [b for b in backups if b.name == name]
            if not backups:
                raise NotFound(N_("There is no backup named “{name}”."), name=name)
        chosen = next((b for b in backups if opens_with(b.path, key, full=True)), None)
        if chosen is None:
            if name is not None:
                raise StoreError(N_("The backup “{name}” is damaged or was made under another "
                                    "key; nothing was changed."), name=name)
            raise StoreError(N_("There is no good backup to restore; nothing was changed."))
        on_step("prepare")
        staged_db = journal.staged(data_dir.database)
        atomic_copy(chosen.path, staged_db)
        fresh = new_device(old.info.name, old.info.role)
        new = dataclasses.replace(fresh, previous_identities=old.identities)
        _prepare(staged_db, key, old, new)
        on_step("stage")
        save_device(new, journal.staged(data_dir.device), journal.staged(data_dir.device_keys),
                    master)
        ops: list[journal.Op] = []
        replaced = None
        if data_dir.database.exists():
            stamp = f"{_utcnow():%Y%m%dT%H%M%S}Z"
            replaced = root / REPLACED_DIR / f"jsd-{stamp}.db"
            ops.append(journal.move_op(root, data_dir.database, replaced))
            for suffix in ("-wal", "-shm"):
                src = data_dir.database.with_name(data_dir.database.name + suffix)
                ops.append(journal.move_op(root, src, replaced.with_name(replaced.name + suffix)))
        ops += [journal.replace_op(root, p) for p in (
            data_dir.database, data_dir.device_keys, data_dir.device)]
        on_step("commit")
        journal.commit(root, ops)
        on_step("done")
    return RestoreResult(chosen, old.info.device_id, new.info.device_id, replaced)


def backup_now(data_dir: DataDir, engine: Engine) -> BackupInfo:
    """A backup on request (``jsd-desk backup create``), after the quick check."""
    problems = quick_check(engine)
    if problems:
        raise damaged_store_error(data_dir, "; ".join(problems))
    return create_backup(data_dir, engine)

