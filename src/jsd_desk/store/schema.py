"""Schema at start-up: alembic to head, with a backup first and a restore if it fails.

A database that holds tables but no JSD Desk revision — or a revision this version does not know
— is refused, never "upgraded": it is someone else's data, or a newer app's.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from jsd_desk.domain.errors import StoreError
from jsd_desk.files import atomic_copy
from jsd_desk.i18n import N_


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("jsd_desk.migrations")))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> tuple[str | None, bool]:
    """The store's revision, and whether it holds any table at all."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        rev = MigrationContext.configure(conn).get_current_revision()
    return rev, bool(tables - {"alembic_version"})


def upgrade(engine: Engine, target: str = "head") -> None:
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), target)


def ensure_schema(engine: Engine, sqlite_file: Path | None = None) -> None:
    rev, has_tables = current_revision(engine)
    if rev is None and has_tables:
        raise StoreError(N_("This database is not a JSD Desk store; it was left untouched."))
    if rev is not None and rev not in known_revisions():
        raise StoreError(N_("This store was made by a newer version of JSD Desk; please update."))
    if rev == head_revision():
        return
    backup = None
    if rev is not None and sqlite_file is not None:
        backup = _backup_before_upgrade(engine, sqlite_file, rev)
    try:
        upgrade(engine)
    except Exception as exc:
        if backup is not None:
            engine.dispose()
            _restore(backup, sqlite_file)  # type: ignore[arg-type]
            raise StoreError(N_("Upgrading the store failed ({reason}); it was restored as it was."),
                             reason=type(exc).__name__) from exc
        raise StoreError(N_("Creating the store failed ({reason})."), reason=type(exc).__name__) from exc


def _backup_before_upgrade(engine: Engine, db: Path, rev: str) -> Path:
    # Checkpoint so the main file holds every commit, then copy it: the copy is encrypted with the
    # same key, like the original.
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    backup = db.with_name(f"{db.name}.before-{rev}")
    atomic_copy(db, backup)
    return backup


def _restore(backup: Path, db: Path) -> None:
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    atomic_copy(backup, db)
