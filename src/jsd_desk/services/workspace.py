"""Creating and opening a device's store: key slots, device keys, engine, schema (DESIGN §6-7)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, insert, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError

from jsd_desk.domain import vocab
from jsd_desk.domain.clock import now_ms
from jsd_desk.domain.complaint_rights import hidden_entities
from jsd_desk.domain.errors import InputRefused, StoreError, UsageError, WrongPassphrase
from jsd_desk.faults import StorageFault, check_data_dir, storage_fault
from jsd_desk.i18n import N_, Msg
from jsd_desk.paths import DataDir
from jsd_desk.security.device import DeviceKeys, load_device, new_device, save_device
from jsd_desk.security.dirlock import DirLock
from jsd_desk.security.keyslots import KeySlots, copy_path, new_recovery_key, subkey
from jsd_desk.services.backup import damaged_store_error, set_aside
from jsd_desk.services.places import load_reference_places
from jsd_desk.services.settings import DATABASE_URL, hub_database_url, read_settings, write_settings
from jsd_desk.services.unlock import finish_pending, unlock_master
from jsd_desk.store import models
from jsd_desk.store.engine import sqlcipher_engine, url_engine
from jsd_desk.store.schema import current_revision, ensure_schema, remove_schema
from jsd_desk.store.writer import Store

MIN_PASSPHRASE = 8


@dataclass
class Workspace:
    data_dir: DataDir
    keys: DeviceKeys
    store: Store
    database_url: str | None = None
    # A shared lock on the data folder while open: re-key and restore wait for it to go.
    lock: DirLock | None = None

    @property
    def role(self) -> str:
        return self.keys.info.role

    @property
    def hidden_entities(self) -> frozenset[str]:
        return hidden_entities(self.role)

    def close(self) -> None:
        self.store.dispose()
        if self.lock is not None:
            self.lock.release()


def _engine(data_dir: DataDir, master: bytes, database_url: str | None,
            made: list[Engine] | None = None) -> Engine:
    """The store's engine at the schema's head; ``made`` collects it as soon as it exists, so a
    caller can dispose of it when the schema step fails."""
    if database_url:
        engine = url_engine(database_url)
        if current_revision(engine)[1]:  # one hub database holds one device's store
            engine.dispose()
            raise StoreError(N_("The database {url} already holds tables (another store?); "
                                "initialise the hub on an empty database."),
                             url=shown_url(database_url))
    else:
        engine = sqlcipher_engine(data_dir.database, subkey(master, "database"))
    if made is not None:
        made.append(engine)
    ensure_schema(engine, None if database_url else data_dir.database)
    return engine


def init_workspace(root: Path, device_name: str, role: str, passphrase: str, *,
                   database_url: str | None = None,
                   clock: Callable[[], int] = now_ms,
                   keys: DeviceKeys | None = None) -> tuple[Workspace, str]:
    """Create the store, the device keys and the key slots. Returns the workspace and the
    recovery key, which is shown once and never stored in clear. ``keys`` (benchmarks: a hub
    whose bundles were made once, in advance) are used instead of new ones."""
    data_dir = DataDir(Path(root))
    check_data_dir(data_dir.root)
    # The copy of the key file counts too: a store whose key file was lost is not a leftover.
    if data_dir.exists() or copy_path(data_dir.keyslots).exists():
        raise InputRefused(N_("A JSD Desk store already exists in {path}."), path=str(root))
    if role not in vocab.ROLE:
        raise UsageError(N_("Unknown role “{role}”: use facilitator, liaison or analyst."), role=role)
    if not device_name.strip():
        raise UsageError(N_("The device needs a name."))
    if len(passphrase) < MIN_PASSPHRASE:
        raise InputRefused(N_("The passphrase must have at least {n} characters."), n=MIN_PASSPHRASE)
    made = _Leftovers(data_dir.root)
    engines: list[Engine] = []
    keys = keys or new_device(device_name.strip(), role)
    try:
        return _create(data_dir, device_name, role, passphrase, database_url, clock, engines, keys)
    except BaseException as exc:
        # Nothing half-made stays behind: a 4 KB jsd.db without key slots would be a store
        # nobody can open, and the folder must be as it was for the next try. A hub's database
        # was empty (``_engine`` refuses any other): the schema made in it goes too, or the
        # next try would be refused as "already holds tables".
        for engine in engines:
            if database_url:
                with contextlib.suppress(Exception):  # the server itself may be what failed
                    remove_schema(engine, keys.info.device_id)
            engine.dispose()
        made.remove()
        fault = storage_fault(exc, data_dir.root)
        if fault is None or fault is exc:
            raise
        raise fault from exc


def _create(data_dir: DataDir, device_name: str, role: str, passphrase: str,
            database_url: str | None, clock: Callable[[], int], engines: list[Engine],
            keys: DeviceKeys) -> tuple[Workspace, str]:
    data_dir.root.mkdir(parents=True, exist_ok=True, mode=0o700)
    # A store whose key slots were never written cannot be opened by anyone: a leftover of an
    # interrupted init — or of a store whose key files were lost, so it is moved aside into
    # ``replaced/``, never deleted (someone may still hold a copy of its key file).
    set_aside(data_dir, (data_dir.database, data_dir.device, data_dir.device_keys))

    master = secrets.token_bytes(32)
    recovery = new_recovery_key()
    engine = _engine(data_dir, master, database_url, engines)
    store = Store(engine, keys, clock)
    register_self(store)
    load_reference_places(store)
    save_device(keys, data_dir.device, data_dir.device_keys, master)
    settings = read_settings(data_dir)
    if database_url:
        settings[DATABASE_URL] = database_url
    write_settings(data_dir, settings)
    KeySlots.create(data_dir.keyslots, master, passphrase, recovery)  # last: marks the store whole
    return Workspace(data_dir, keys, store, database_url), recovery


class _Leftovers:
    """What an init adds to the file system, so a failed one can take it all away again: the
    folders it creates, or the entries it adds to a folder that was already there."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.new_dirs = [p for p in (root, *root.parents) if not p.exists()]
        self.before = set(os.listdir(root)) if root.is_dir() else set()

    def remove(self) -> None:
        if self.new_dirs:
            shutil.rmtree(self.root, ignore_errors=True)
            for folder in self.new_dirs[1:]:  # parents made on the way, innermost first
                with contextlib.suppress(OSError):
                    folder.rmdir()
            return
        with contextlib.suppress(OSError):
            for name in set(os.listdir(self.root)) - self.before:
                path = self.root / name
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)


def register_self(store: Store) -> None:
    info = store.keys.info
    with store.engine.begin() as conn:
        conn.execute(insert(models.tbl(models.Device)).values(
            device_id=info.device_id, name=info.name, role=info.role, short_code=info.short_code,
            sign_public=info.sign_public, age_recipient=info.age_recipient, trusted=True,
            is_self=True, introduced_by=None, added_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))


def open_workspace(root: Path, passphrase: str, *, database_url: str | None = None,
                   clock: Callable[[], int] = now_ms) -> Workspace:
    data_dir = DataDir(Path(root))
    check_data_dir(data_dir.root)
    # The security service finishes an interrupted re-key or restore, reads the key file (or its
    # copy) and slows down repeated wrong passphrases.
    try:
        master = unlock_master(data_dir.root, passphrase)
        return open_with_master(data_dir, master, database_url=database_url, clock=clock)
    except Exception as exc:
        fault = storage_fault(exc, data_dir.root)
        if fault is None or fault is exc:
            raise
        raise fault from exc


def open_with_master(data_dir: DataDir, master: bytes, *, database_url: str | None = None,
                     clock: Callable[[], int] = now_ms) -> Workspace:
    """Open a store whose master key is already unwrapped (by a passphrase or recovery key)."""
    finish_pending(data_dir.root)  # never open a database a committed swap is replacing
    keys = load_device(data_dir.device, data_dir.device_keys, master)
    database_url = bound_database(data_dir, database_url)
    lock = DirLock(data_dir.root).shared()
    try:
        engine = _open_engine(data_dir, master, database_url)
        if database_url:
            check_own_hub(engine, keys, database_url)
            remember_database(data_dir, database_url)
    except BaseException:
        lock.release()
        raise
    return Workspace(data_dir, keys, Store(engine, keys, clock), database_url, lock)


def same_database(a: str, b: str) -> bool:
    """Whether two URLs name the same database: the password and driver may change, the place
    may not."""
    try:
        ua, ub = make_url(a), make_url(b)
    except ArgumentError:
        return a == b

    def place(u: URL) -> tuple[object, ...]:
        return (u.get_backend_name(), u.username, (u.host or "").lower(), u.port or 5432,
                u.database, sorted(u.query.items()))

    return place(ua) == place(ub)


def shown_url(url: str) -> str:
    """A URL fit for a message: never its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "?"


def bound_database(data_dir: DataDir, given: str | None) -> str | None:
    """The database this data folder was initialised with; a different one is refused, so a
    typo in ``--database`` never runs a command against an empty store (or someone else's).
    Given none, a hub's folder uses the one it remembers (README, "The command line")."""
    bound = hub_database_url(data_dir)
    if given is None:
        return bound
    if bound is None:
        raise StoreError(N_("This data folder keeps its records in its own encrypted file, not "
                            "in {url}; run the command without --database."), url=shown_url(given))
    if not same_database(given, bound):
        raise StoreError(N_("This data folder was initialised with the database {bound}, not "
                            "{url}; nothing was done."), bound=shown_url(bound),
                         url=shown_url(given))
    return given


def remember_database(data_dir: DataDir, url: str) -> None:
    """Once a given URL has opened this folder's own hub, it is the one later commands use: the
    same database named with a new password (or another driver) is remembered, so a rotated
    password is given once, not to every command after it (README, "The command line")."""
    if hub_database_url(data_dir) != url:
        settings = read_settings(data_dir)
        settings[DATABASE_URL] = url
        write_settings(data_dir, settings)


def check_own_hub(engine: Engine, keys: DeviceKeys, url: str) -> None:
    """The database must hold this device's own records (its registration as itself)."""
    table = models.tbl(models.Device)
    try:
        with engine.connect() as conn:
            row = conn.execute(select(table.c.device_id).where(table.c.is_self.is_(True),
                               table.c.device_id == keys.info.device_id)).first()
    except DatabaseError:
        row = None
    if row is None:
        engine.dispose()
        raise StoreError(N_("The database {url} does not hold this device's records; nothing "
                            "was done."), url=shown_url(url))


def _hub_engine(url: str) -> Engine:
    """Open a hub's existing database: an empty one is refused before any table is made."""
    engine = url_engine(url)
    _rev, has_tables = current_revision(engine)
    if not has_tables:
        engine.dispose()
        raise StoreError(N_("The database {url} is empty: it is not the store of this data "
                            "folder; nothing was done."), url=shown_url(url))
    ensure_schema(engine)
    return engine


def _open_engine(data_dir: DataDir, master: bytes, database_url: str | None) -> Engine:
    if database_url:
        return _hub_engine(database_url)
    # A missing file would silently become a new, empty store whose feed restarts at 1.
    if not data_dir.database.exists():
        raise damaged_store_error(data_dir, Msg(N_("no database file")))
    try:
        return _engine(data_dir, master, None)
    except (WrongPassphrase, DatabaseError) as exc:
        fault = storage_fault(exc, data_dir.root)
        if isinstance(fault, StorageFault):  # a full disk or a read-only folder: not damage
            raise fault from exc
        # The key slots opened, so the key is right: the file is damaged (or not this store's).
        raise damaged_store_error(data_dir, type(exc).__name__) from exc
