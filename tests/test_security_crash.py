"""SIGKILL at random points during writes, re-keying, restores and bundle imports (issue 7).

Each trial is a real child process killed by the kernel (see ``crash_harness``). Afterwards the
store passes SQLite's integrity check and ``verify``'s chain checks, holds every commit the child
acknowledged, and opens with the old keys or the new ones. ``scripts/crash-soak`` runs many more.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import crash_harness as ch

WRITE_TRIALS = 32  # with the kills below: more than 50 processes killed by SIGKILL
REKEY_TRIALS = 10
RESTORE_TRIALS = 4
IMPORT_TRIALS = 8


@pytest.fixture(scope="module")
def zygote() -> Iterator[ch.Zygote]:
    z = ch.Zygote.start()
    yield z
    z.close()


def test_kills_during_writes_and_rekeys_lose_no_acknowledged_commit(
        zygote: ch.Zygote, tmp_path: Path) -> None:
    from jsd_desk.services.security import REKEY_STEPS

    rng = random.Random(7)
    store = ch.make_store(tmp_path / "store")
    masters = {store.master}
    changed = 0
    # Every step of a re-key once, one re-key left to finish, then kills at random moments.
    modes = [*REKEY_STEPS[:-1], "none"]
    modes += ["random"] * (REKEY_TRIALS - len(modes))
    for trial in range(WRITE_TRIALS):
        result = ch.write_trial(zygote, store, rng, seed=trial)
        assert result.killed or result.finished
        ch.check_store(store, full=trial % 10 == 9)
        if trial % 3 == 2 and trial // 3 < REKEY_TRIALS:
            before = ch.check_store(store)["events"]
            _result, took = ch.rekey_trial(zygote, store, rng, modes[trial // 3])
            changed += took
            masters.add(store.master)
            after = ch.check_store(store)
            assert after["events"] == before  # a re-key changes keys, never records
    # The kills landed among real work: about one acknowledged write a trial. The kill times are
    # wall-clock, so on a loaded machine fewer writes finish before them; a few more trials (each
    # killed too, each checked) make up the count rather than failing on the machine's load.
    extra = 0
    while len(store.acked) < WRITE_TRIALS and extra < WRITE_TRIALS:
        result = ch.write_trial(zygote, store, rng, seed=WRITE_TRIALS + extra)
        assert result.killed or result.finished
        ch.check_store(store)
        extra += 1
    assert len(store.acked) >= WRITE_TRIALS
    assert changed >= 1 and len(masters) == changed + 1


def test_kills_during_restores_keep_one_whole_store(zygote: ch.Zygote, tmp_path: Path) -> None:
    from jsd_desk.paths import DataDir
    from jsd_desk.services.backup import create_backup, list_backups
    from jsd_desk.services.workspace import open_with_master

    rng = random.Random(11)
    store = ch.make_store(tmp_path / "store")
    ch.write_trial(zygote, store, rng, seed=100, max_delay=0.3)
    ws = open_with_master(DataDir(store.root), store.master)
    try:
        create_backup(ws.data_dir, ws.store.engine)
    finally:
        ws.close()
    backed_up = ch.check_store(store)["events"]
    ch.write_trial(zygote, store, rng, seed=101, max_delay=0.3)
    devices = {ch.check_store(store)["device"]}
    steps = ["prepare", "stage", "commit"][:RESTORE_TRIALS - 1]
    for trial in range(RESTORE_TRIALS):
        cmd = {"op": "restore", "root": str(store.root), "passphrase": ch.PASSPHRASE}
        if trial < len(steps):
            result = zygote.trial(cmd, kill_at_step=steps[trial],
                                  jitter=rng.choice((0.0, 0.001, 0.01)))
        else:  # the last one finishes
            result = zygote.trial(cmd)
            assert result.finished
        assert not result.errors(), result.errors()
        store.acked.clear()  # a committed restore rolls back to the backup, by design
        facts = ch.check_store(store, full=True)
        if facts["device"] not in devices:  # the restore took place: a new feed, the backup's events
            assert facts["events"] == backed_up
            devices.add(facts["device"])
        assert len(list_backups(DataDir(store.root))) == 1
    assert len(devices) >= 2  # a new feed after each restore that took place


def test_kills_during_bundle_imports_apply_all_or_nothing(zygote: ch.Zygote,
                                                          tmp_path: Path) -> None:
    from jsd_desk.paths import DataDir
    from jsd_desk.services import sync
    from jsd_desk.services.workspace import open_with_master

    rng = random.Random(13)
    receiver = ch.make_store(tmp_path / "receiver")
    sender = ch.make_store(tmp_path / "sender")
    ch.write_trial(zygote, sender, rng, seed=200, max_delay=0.5)
    ws_s = open_with_master(DataDir(sender.root), sender.master)
    ws_r = open_with_master(DataDir(receiver.root), receiver.master)
    try:
        sync.export_card(ws_s, tmp_path / "s.card")
        sync.export_card(ws_r, tmp_path / "r.card")
        sync.add_peer(ws_s, tmp_path / "r.card")
        sync.add_peer(ws_r, tmp_path / "s.card")
        bundle = tmp_path / "b.jsdb"
        sync.export_bundle(ws_s, bundle, to=ws_r.keys.info.device_id)
    finally:
        ws_s.close()
        ws_r.close()
    base = ch.check_store(receiver)["events"]
    total = ch.check_store(sender)["events"]
    outcomes = set()
    # The kills must land while the import runs, however fast it is on this machine: time one
    # whole import first and draw the delays within it. The first kill comes the instant the
    # bundle is opened (certainly before the commit); the last trial is left to finish.
    probe = ch.copy_store(receiver, tmp_path / "probe")
    began = time.monotonic()
    timed = zygote.trial({"op": "import", "root": str(probe.root), "master": probe.master.hex(),
                          "bundle": str(bundle)})
    took = time.monotonic() - began
    assert timed.finished and not timed.errors(), timed.lines
    for trial in range(IMPORT_TRIALS):
        work = ch.copy_store(receiver, tmp_path / f"r{trial}")
        cmd = {"op": "import", "root": str(work.root), "master": work.master.hex(),
               "bundle": str(bundle)}
        if trial < IMPORT_TRIALS - 1:
            jitter = 0.0 if trial == 0 else rng.uniform(0.0, took)
            result = zygote.trial(cmd, kill_at_step="open", jitter=jitter)
        else:  # the last one finishes
            result = zygote.trial(cmd)
        assert not result.errors(), result.errors()
        events = ch.check_store(work, full=True)["events"]
        assert events in (base, base + total)  # all of the bundle, or none of it
        if result.finished:
            assert events == base + total
        outcomes.add(events)
    assert outcomes == {base, base + total}  # kills landed before the commit, one import did
