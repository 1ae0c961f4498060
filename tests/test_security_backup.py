"""Backups, the start-up check, restore and re-key (issue 7): encrypted rotating backups, a
damaged or missing database named with the way forward, a restore that starts a new feed (no
sequence number reused), a re-key after which only the new keys open anything."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from jsd_desk.domain.clock import now_ms
from jsd_desk.domain.errors import StoreError, WrongPassphrase
from jsd_desk.paths import DataDir
from jsd_desk.security.keyslots import KeySlots, subkey
from jsd_desk.services import backup, complaints, places, security, unlock
from jsd_desk.services.workspace import Workspace, init_workspace, open_workspace
from jsd_desk.store import models
from jsd_desk.store.dump import dump_data
from jsd_desk.store.engine import sqlcipher_engine
from jsd_desk.store.verify import verify_store
from tests.replicas import events_of

PASS = "backup passphrase 9"
SECRET = "Hadiza Maïga-Tondi"


def _store(tmp_path: Path) -> tuple[Path, str]:
    ws, recovery = init_workspace(tmp_path / "s", "Zinder fac", "facilitator", PASS)
    complaints.receive_complaint(ws.store, received_on="2026-02-02", channel="radio",
                                 category="sgbv", description="Appel à l'émission",
                                 complainant={"name": SECRET, "gender": "f"})
    ws.close()
    return tmp_path / "s", recovery


def _open(root: Path, passphrase: str = PASS) -> Workspace:
    return open_workspace(root, passphrase)


def _master(root: Path, passphrase: str = PASS) -> bytes:
    return KeySlots.load(root / "keyslots.json").open_with_passphrase(passphrase)


def _verify(ws: Workspace) -> None:
    with ws.store.engine.begin() as conn:
        report = verify_store(conn)
    assert report.ok, [(p.msgid, p.params) for p in report.problems]


def test_one_backup_a_day_keeping_seven_each_encrypted(tmp_path: Path) -> None:
    root, _recovery = _store(tmp_path)
    ws = _open(root)
    try:
        day = dt.datetime(2026, 3, 1, 8, 0)
        made = [backup.startup(ws.data_dir, ws.store.engine, day).backup]
        assert backup.startup(ws.data_dir, ws.store.engine,
                              day + dt.timedelta(hours=20)).backup is None
        for n in range(1, 10):
            made.append(backup.startup(ws.data_dir, ws.store.engine,
                                       day + dt.timedelta(days=n)).backup)
        listed = backup.list_backups(ws.data_dir)
        assert [b.name for b in listed] == [b.name for b in reversed(made[-backup.KEEP:]) if b]
        key = subkey(_master(root), "database")
        for b in listed:
            data = b.path.read_bytes()
            assert not data.startswith(b"SQLite format 3") and SECRET.encode() not in data
            assert backup.opens_with(b.path, key, full=True)
            assert not backup.opens_with(b.path, b"\x00" * 32)
    finally:
        ws.close()
    assert sorted(p.name for p in (root / "backups").iterdir()) == sorted(b.name for b in listed)


def _open_and_check(root: Path) -> None:
    """What every start does: open, then the start-up check."""
    ws = _open(root)
    try:
        backup.startup(ws.data_dir, ws.store.engine)
    finally:
        ws.close()


def _damage(db: Path) -> None:
    data = bytearray(db.read_bytes())
    for offset in range(8192, len(data), 4096):  # every page but the first two
        data[offset + 100:offset + 200] = bytes(100)
    db.write_bytes(bytes(data))


def test_a_damaged_database_names_the_way_forward_and_a_restore_starts_a_new_feed(
        tmp_path: Path) -> None:
    root, _recovery = _store(tmp_path)
    ws = _open(root)
    old_device = ws.keys.info.device_id
    backup.startup(ws.data_dir, ws.store.engine)
    places.add_platform(ws.store, name="Après la sauvegarde", place_id=None)
    old_seq = max(e.seq for e in events_of(ws))
    ws.close()
    _damage(root / "jsd.db")
    damaged_bytes = (root / "jsd.db").read_bytes()

    with pytest.raises(StoreError) as info:
        _open_and_check(root)
    assert "jsd-desk backup restore" in info.value.message()

    result = backup.restore_backup(root, PASS)
    assert result.old_device_id == old_device != result.new_device_id
    assert result.replaced is not None and result.replaced.read_bytes() == damaged_bytes
    ws = _open(root)
    try:
        assert ws.keys.info.device_id == result.new_device_id
        with ws.store.engine.connect() as conn:
            records = dump_data(conn)["records"]
        assert records["complainant"][0]["name"] == SECRET  # old seals still open
        assert "Après la sauvegarde" not in [p["name"] for p in records["platform"]]
        with ws.store.engine.connect() as conn:
            rows = {r.device_id: r for r in conn.execute(select(models.tbl(models.Device)))}
        assert rows[old_device].trusted and not rows[old_device].is_self
        assert rows[result.new_device_id].is_self
        # The new feed starts at 1 under a new id: the old feed's numbers are never reused.
        places.add_platform(ws.store, name="Après la restauration", place_id=None)
        complaints.receive_complaint(ws.store, received_on="2026-02-03", channel="phone",
                                     category="theft", description="Vol",
                                     complainant={"name": "Nouvelle", "gender": "f"})
        mine = [e for e in events_of(ws) if e.device_id == result.new_device_id]
        assert [e.seq for e in mine] == list(range(1, len(mine) + 1))
        assert max(e.seq for e in events_of(ws) if e.device_id == old_device) < old_seq
        _verify(ws)
    finally:
        ws.close()


def test_a_restored_store_continues_the_clock_of_the_old_feed(tmp_path: Path) -> None:
    """The old feed's clock ran a day ahead (the laptop's date was wrong), and local edits keep
    the clock only in their events' stamps: the new feed a restore starts still stamps after
    every event it restored, or its edits would lose to older ones."""
    ahead = now_ms() + 86_400_000
    ws, _recovery = init_workspace(tmp_path / "s", "Zinder fac", "facilitator", PASS,
                                   clock=lambda: ahead)
    for n in range(3):
        places.add_platform(ws.store, name=f"Plateforme {n}", place_id=None)
    backup.startup(ws.data_dir, ws.store.engine)
    last = max(e.hlc for e in events_of(ws))
    ws.close()
    backup.restore_backup(tmp_path / "s", PASS)
    ws = _open(tmp_path / "s")
    try:
        places.add_platform(ws.store, name="Après la restauration", place_id=None)
        mine = [e for e in events_of(ws) if e.device_id == ws.keys.info.device_id]
        assert mine and min(e.hlc for e in mine) > last
    finally:
        ws.close()


def test_a_missing_database_is_not_silently_recreated(tmp_path: Path) -> None:
    root, _recovery = _store(tmp_path)
    (root / "jsd.db").unlink()
    with pytest.raises(StoreError) as info:
        _open(root)
    assert "no backup" in info.value.message()
    assert not (root / "jsd.db").exists()


def test_rekey_changes_every_key_and_keeps_every_record(tmp_path: Path) -> None:
    root, old_recovery = _store(tmp_path)
    ws = _open(root)
    backup.startup(ws.data_dir, ws.store.engine)
    with ws.store.engine.connect() as conn:
        before = dump_data(conn)
    ws.close()
    old_master = _master(root)
    old_db = (root / "jsd.db").read_bytes()
    with pytest.raises(WrongPassphrase):
        security.rekey(root, "wrong passphrase")
    assert (root / "jsd.db").read_bytes() == old_db
    card = tmp_path / "card.pdf"
    steps: list[str] = []
    result = security.rekey(root, PASS, new_passphrase="new passphrase 10", card=card,
                            on_step=steps.append)
    assert steps == list(security.REKEY_STEPS)
    assert card.exists()
    new_master = _master(root, "new passphrase 10")
    assert new_master != old_master
    with pytest.raises(WrongPassphrase):
        sqlcipher_engine(root / "jsd.db", subkey(old_master, "database"))
    with pytest.raises(WrongPassphrase):
        unlock.unlock_with_recovery_key(root, old_recovery)
    unlock.unlock_with_recovery_key(root, result.recovery_key)
    (fresh,) = backup.list_backups(DataDir(root))  # old-key backups went, a new one came
    assert backup.opens_with(fresh.path, subkey(new_master, "database"), full=True)
    ws = _open(root, "new passphrase 10")
    try:
        with ws.store.engine.connect() as conn:
            assert dump_data(conn) == before
        _verify(ws)
    finally:
        ws.close()


def test_rekey_and_restore_need_the_store_closed_everywhere(tmp_path: Path) -> None:
    root, _recovery = _store(tmp_path)
    ws = _open(root)
    try:
        with pytest.raises(StoreError) as info:
            security.rekey(root, PASS)
        assert "open in another window" in info.value.message()
        with pytest.raises(StoreError):
            backup.restore_backup(root, PASS)
    finally:
        ws.close()
    assert not list(root.glob("*.staged"))


def test_the_swap_journal_finishes_a_half_done_swap_and_drops_an_uncommitted_one(
        tmp_path: Path) -> None:
    from jsd_desk.files import atomic_write
    from jsd_desk.security import journal

    root = tmp_path
    for name, text in (("jsd.db", "old db"), ("jsd.db-wal", "old log"), ("keys", "old keys")):
        (root / name).write_text(text)
    # Not committed: the staged files are leftovers, dropped; the old files stay.
    atomic_write(journal.staged(root / "jsd.db"), b"new db")
    atomic_write(journal.staged(root / "keys"), b"new keys")
    assert journal.replay(root) is False
    assert sorted(p.name for p in root.iterdir()) == ["jsd.db", "jsd.db-wal", "keys"]
    # Committed, then "crashed" after the first two steps: the replay finishes the rest.
    atomic_write(journal.staged(root / "jsd.db"), b"new db")
    atomic_write(journal.staged(root / "keys"), b"new keys")
    ops = [journal.move_op(root, root / "jsd.db", root / "replaced" / "jsd.db"),
           journal.move_op(root, root / "jsd.db-wal", root / "replaced" / "jsd.db-wal"),
           journal.delete_op(root, root / "jsd.db-shm", journal.staged(root / "jsd.db")),
           journal.replace_op(root, root / "jsd.db"), journal.replace_op(root, root / "keys")]
    atomic_write(journal.journal_path(root), json.dumps(
        {"format": journal.FORMAT, "ops": [op.to_json() for op in ops]}).encode())
    (root / "replaced").mkdir()
    (root / "jsd.db").rename(root / "replaced" / "jsd.db")
    (root / "jsd.db-wal").rename(root / "replaced" / "jsd.db-wal")
    assert journal.replay(root) is True
    assert journal.replay(root) is False  # and again: nothing left to do
    assert (root / "jsd.db").read_text() == "new db" and (root / "keys").read_text() == "new keys"
    assert (root / "replaced" / "jsd.db").read_text() == "old db"
    assert (root / "replaced" / "jsd.db-wal").read_text() == "old log"
    assert not journal.pending(root) and not list(root.glob("*.staged"))
