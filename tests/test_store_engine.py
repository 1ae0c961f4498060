"""The store is encrypted at rest, durable, and refuses what it cannot trust."""

from __future__ import annotations

from pathlib import Path

import pytest

from jsd_desk.domain.errors import InputRefused, StoreError, WrongPassphrase
from jsd_desk.security.keyslots import KeySlots
from jsd_desk.services import sessions
from jsd_desk.services.workspace import Workspace, init_workspace, open_workspace
from jsd_desk.store.engine import PAGE_CACHE_KIB, sqlcipher_engine


def test_pragmas_on_every_connection(workspace: Workspace) -> None:
    with workspace.store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA cipher_version").scalar()
        # A page cache large enough for a hub's indicators (SQLCipher decrypts each page read).
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -PAGE_CACHE_KIB


def test_file_is_not_plain_sqlite(workspace: Workspace) -> None:
    head = workspace.data_dir.database.read_bytes()[:16]
    assert head != b"SQLite format 3\x00"


def test_wrong_key_is_refused(tmp_path: Path) -> None:
    ws, _ = init_workspace(tmp_path / "s", "alpha", "facilitator", "a good passphrase")
    ws.close()
    with pytest.raises(WrongPassphrase):
        sqlcipher_engine(ws.data_dir.database, b"\x01" * 32)
    with pytest.raises(WrongPassphrase) as info:
        open_workspace(tmp_path / "s", "not the passphrase")
    assert info.value.message() == "The passphrase is wrong."


def test_recovery_key_opens_the_same_master(tmp_path: Path) -> None:
    ws, recovery = init_workspace(tmp_path / "s", "alpha", "facilitator", "a good passphrase")
    ws.close()
    slots = KeySlots.load(ws.data_dir.keyslots)
    assert slots.open_with_recovery_key(recovery.lower().replace("-", " ")) == \
        slots.open_with_passphrase("a good passphrase")
    with pytest.raises(WrongPassphrase):
        slots.open_with_recovery_key(recovery[:-1] + ("A" if recovery[-1] != "A" else "B"))


def test_missing_store_and_double_init(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="There is no JSD Desk store in"):
        open_workspace(tmp_path / "nothing", "whatever passphrase")
    assert not (tmp_path / "nothing").exists()  # opening made nothing
    ws, _ = init_workspace(tmp_path / "s", "alpha", "facilitator", "a good passphrase")
    device_id = ws.keys.info.device_id
    ws.close()
    files = {p.name: p.read_bytes() for p in (tmp_path / "s").iterdir() if p.is_file()}
    with pytest.raises(InputRefused, match="A JSD Desk store already exists in"):
        init_workspace(tmp_path / "s", "beta", "facilitator", "a good passphrase")
    # The second init changed nothing: same files, same device.
    assert {p.name: p.read_bytes() for p in (tmp_path / "s").iterdir() if p.is_file()} == files
    again = open_workspace(tmp_path / "s", "a good passphrase")
    try:
        assert (again.keys.info.device_id, again.keys.info.name) == (device_id, "alpha")
    finally:
        again.close()


def test_reopen_keeps_records_and_feed(tmp_path: Path) -> None:
    from jsd_desk.services import places

    ws, _ = init_workspace(tmp_path / "s", "alpha", "facilitator", "a good passphrase")
    pf = places.add_platform(ws.store, name="P", place_id=None)
    sid = sessions.create_session(ws.store, platform_id=pf, kind="workshop", title="Atelier",
                                  starts_at="2026-01-01T09:00")
    ws.close()
    device_id = ws.keys.info.device_id
    ws2 = open_workspace(tmp_path / "s", "a good passphrase")
    # The records are still there, and the feed goes on from where it was (same device, the
    # next sequence number: never a restart at 1).
    from jsd_desk.services import queries
    from tests.replicas import events_of

    kept = queries.session(ws2.store, sid)
    assert kept is not None and kept.title == "Atelier"
    before = [e.seq for e in events_of(ws2) if e.device_id == device_id]
    sessions.update_session(ws2.store, sid, title="Atelier national")
    after = [e.seq for e in events_of(ws2) if e.device_id == device_id]
    assert ws2.keys.info.device_id == device_id
    assert after == list(range(1, len(after) + 1)) and len(after) > len(before) >= 2
    kept = queries.session(ws2.store, sid)
    assert kept is not None and kept.title == "Atelier national"
    from jsd_desk.store.verify import verify_store

    with ws2.store.engine.begin() as conn:
        assert verify_store(conn).ok
    ws2.close()


def test_reads_do_not_hold_the_write_lock(workspace: Workspace) -> None:
    # A read session is open (a long count on a list page) while a write commits.
    from sqlalchemy import func, select

    from jsd_desk.services import places
    from jsd_desk.store import models

    with workspace.store.reading() as s:
        assert s.scalar(select(func.count()).select_from(models.Place)) == 9
        places.add_platform(workspace.store, name="Écrite pendant une lecture", place_id=None)
    with workspace.store.reading() as s:
        assert s.scalar(select(func.count()).select_from(models.Platform)) == 1


def test_a_driver_without_encryption_is_refused() -> None:
    # The standard library's sqlite3 has no SQLCipher: the engine factory's build check must
    # refuse it rather than store records in clear.
    import sqlite3

    from jsd_desk.store.engine import _check_build

    conn = sqlite3.connect(":memory:")
    with pytest.raises(StoreError) as info:
        _check_build(conn)
    assert "encryption" in info.value.message()
    conn.close()


def test_database_files_are_owner_only(workspace: Workspace) -> None:
    import stat

    db = workspace.data_dir.database
    for path in (db, db.with_name(db.name + "-wal")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_backups_are_owner_only(workspace: Workspace) -> None:
    import stat

    from jsd_desk.services import backup

    made = backup.create_backup(workspace.data_dir, workspace.store.engine)
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
