"""Schema at start-up: alembic to head, with a backup first and a restore if it fails.

A database that holds tables but no JSD Desk revision — or a revision this version does not know
— is refused, never "upgraded": it is someone else's data, or a newer app's.

``script_location`` is the migrations folder; it defaults to the one shipped inside the package
(``jsd_desk.migrations``). Tests pass a copy holding an extra, deliberately broken revision.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, select

from jsd_desk.domain.errors import StoreError
from jsd_desk.faults import StorageFault, storage_fault
from jsd_desk.files import atomic_copy
from jsd_desk.i18n import N_
from jsd_desk.store import models

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

Location = str | Path | None

# The head revision this version ships (a test checks it against the scripts). Knowing it
# without alembic lets an up-to-date store open without importing alembic at all — about a
# second of start-up on the old laptops this runs on. Alembic is imported only to upgrade.
SCHEMA_HEAD = "0007"


def alembic_config(connection: Connection | None = None,
                   script_location: Location = None) -> Config:
    from alembic.config import Config

    # stdout now, not alembic's default (sys.stdout as it was when alembic was first imported,
    # which may be a stream long closed since, e.g. a test's captured output).
    cfg = Config(stdout=sys.stdout)
    location = (script_location if script_location is not None
                else resources.files("jsd_desk.migrations"))
    cfg.set_main_option("script_location", str(location))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory(script_location: Location = None) -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(script_location=script_location))


def head_revision(script_location: Location = None) -> str:
    head = script_directory(script_location).get_current_head()
    assert head is not None
    return head


def known_revisions(script_location: Location = None) -> set[str]:
    return {s.revision for s in script_directory(script_location).walk_revisions()}


def current_revision(engine: Engine) -> tuple[str | None, bool]:
    """The store's revision, and whether it holds any table at all."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        rev = None
        if "alembic_version" in tables:
            revs = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
            # Several rows would mean branches this app never makes: not one of our stores.
            rev = revs[0] if len(revs) == 1 else ("?" if revs else None)
    return rev, bool(tables - {"alembic_version"})


def upgrade(engine: Engine, target: str = "head", script_location: Location = None) -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn, script_location), target)


def remove_schema(engine: Engine, device_id: str) -> None:
    """Take away a schema that the init of device ``device_id`` made in a database that was
    empty (a hub's, when the init failed after it: the next try must find the database as it
    was). Every migration is undone and the revision table dropped, in one transaction; a
    database where another device registered as itself meanwhile is left alone."""
    from alembic import command

    device = models.tbl(models.Device)
    with engine.begin() as conn:
        if "device" in inspect(conn).get_table_names():
            others = conn.execute(select(device.c.device_id).where(
                device.c.is_self.is_(True), device.c.device_id != device_id)).first()
            if others is not None:
                return
        command.downgrade(alembic_config(conn), "base")
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def ensure_schema(engine: Engine, sqlite_file: Path | None = None, *,
                  script_location: Location = None) -> None:
    """Bring the database to the head revision, or refuse it untouched.

    ``sqlite_file`` is the database file of a SQLCipher store: it is copied aside before an
    upgrade and put back if the upgrade fails. (PostgreSQL rolls a failed upgrade back by
    itself: its DDL is transactional.)
    """
    rev, has_tables = current_revision(engine)
    if rev == SCHEMA_HEAD and script_location is None:
        return
    if rev is None and has_tables:
        raise StoreError(N_("This database is not a JSD Desk store; it was left untouched."))
    if rev is not None and rev not in known_revisions(script_location):
        raise StoreError(N_("This database is at revision “{rev}”, which this version of JSD Desk "
                            "does not know: a newer version made it, or it is not a JSD Desk "
                            "store. It was left untouched."), rev=rev)
    if rev == head_revision(script_location):
        return
    backup = None
    if rev is not None and sqlite_file is not None:
        backup = _backup_before_upgrade(engine, sqlite_file, rev)
    try:
        upgrade(engine, script_location=script_location)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        # A full disk or a read-only folder is said as such, not as a failed migration.
        fault = storage_fault(exc, sqlite_file.parent if sqlite_file is not None else Path("."))
        if backup is not None and sqlite_file is not None:
            engine.dispose()
            _restore(backup, sqlite_file)
            if isinstance(fault, StorageFault):
                raise fault from exc
            raise StoreError(N_("Upgrading the store failed ({reason}); it was restored as it "
                                "was, from {backup}."), reason=reason, backup=str(backup)) from exc
        if isinstance(fault, StorageFault):
            raise fault from exc
        if rev is not None:
            raise StoreError(N_("Upgrading the database failed ({reason}); it was rolled back."),
                             reason=reason) from exc
        raise StoreError(N_("Creating the store failed ({reason})."), reason=reason) from exc


def _backup_before_upgrade(engine: Engine, db: Path, rev: str) -> Path:
    # Checkpoint so the main file holds every commit, then copy it: the copy is encrypted with the
    # same key, like the original. The checkpoint runs outside any transaction (the driver is in
    # autocommit mode), where SQLite can truncate the WAL.
    raw = engine.raw_connection()
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    engine.dispose()
    backup = db.with_name(f"{db.name}.before-{rev}")
    atomic_copy(db, backup)
    return backup


def _restore(backup: Path, db: Path) -> None:
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    atomic_copy(backup, db)
