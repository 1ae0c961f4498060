"""Keys (issue 7): wrong passphrases and recovery keys with typos are named and slowed down,
the passphrase changes without touching the data, the recovery key opens a forgotten store and
can be replaced, a damaged or missing key file is repaired from its copy or named clearly —
and never does any of it lose data."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from jsd_desk.domain.errors import InputRefused, StoreError, WrongPassphrase
from jsd_desk.security import lockout
from jsd_desk.security.device import load_device_info
from jsd_desk.security.keyslots import KeySlots, check_recovery_key, copy_path, new_recovery_key
from jsd_desk.security.lockout import Throttle, TooManyAttempts
from jsd_desk.services import places, security, unlock
from jsd_desk.services.workspace import init_workspace, open_workspace

PASS = "first passphrase 1"
NEW = "second passphrase 2"


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    ws, recovery = init_workspace(tmp_path / "s", "Tahoua fac", "facilitator", PASS)
    places.add_platform(ws.store, name="Plateforme de Tahoua", place_id=None)
    ws.close()
    return tmp_path / "s", recovery


def _db(root: Path) -> bytes:
    return (root / "jsd.db").read_bytes()


def _platforms(root: Path, passphrase: str) -> list[str]:
    ws = open_workspace(root, passphrase)
    try:
        return [p.name or "" for p in places.platforms(ws.store)]
    finally:
        ws.close()


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_secrets_are_named_slowed_down_and_change_no_data(store: tuple[Path, str]) -> None:
    root, recovery = store
    data = _db(root)
    clock = Clock()
    for _attempt in range(lockout.FREE_ATTEMPTS):
        with pytest.raises(WrongPassphrase) as info:
            unlock.unlock_master(root, "not the passphrase", clock=clock)
        assert info.value.message() == "The passphrase is wrong."
    # From now on each attempt waits, twice as long after each failure, even the right one.
    with pytest.raises(TooManyAttempts) as waited:
        unlock.unlock_master(root, PASS, clock=clock)
    assert waited.value.message() == "Too many wrong attempts: wait 2 seconds, then try again."
    clock.now += 2
    with pytest.raises(WrongPassphrase):
        unlock.unlock_master(root, "still not it", clock=clock)
    assert Throttle.for_data_dir(root, clock).wait_remaining() == 4
    counter = json.loads((root / lockout.FILE_NAME).read_bytes())
    assert counter["failures"] == lockout.FREE_ATTEMPTS + 1
    clock.now += 4
    # A recovery key with a typo is named as such at once, and costs no attempt.
    typo = recovery[:3] + ("Z" if recovery[3] != "Z" else "Y") + recovery[4:]
    with pytest.raises(WrongPassphrase) as info:
        unlock.unlock_with_recovery_key(root, typo, clock=clock)
    assert "typo" in info.value.message()
    with pytest.raises(WrongPassphrase) as info:
        unlock.unlock_with_recovery_key(root, recovery[:-3], clock=clock)
    assert "26 letters and digits" in info.value.message()
    assert Throttle.for_data_dir(root, clock).wait_remaining() == 0
    master = unlock.unlock_master(root, PASS, clock=clock)
    assert not (root / lockout.FILE_NAME).exists()  # a right answer resets the count
    assert unlock.unlock_with_recovery_key(root, recovery.lower(), clock=clock) == master
    assert _db(root) == data


def test_a_damaged_counter_does_not_start_from_zero(tmp_path: Path) -> None:
    clock = Clock()
    (tmp_path / lockout.FILE_NAME).write_bytes(b"\x00garbage")
    throttle = Throttle.for_data_dir(tmp_path, clock)
    with pytest.raises(TooManyAttempts):
        throttle.check()
    assert Throttle.delay_after(40) == lockout.MAX_DELAY_S


def test_recovery_keys_carry_a_check_character() -> None:
    for _i in range(200):
        key = new_recovery_key()
        assert check_recovery_key(key.replace("-", " ").lower()) == key
        chars = key.replace("-", "")
        for pos in (0, 7, 25):
            bad = chars[:pos] + ("1" if chars[pos] != "1" else "2") + chars[pos + 1:]
            with pytest.raises(WrongPassphrase):
                check_recovery_key(bad)


def test_passphrase_change_and_recovery_keep_the_data(store: tuple[Path, str]) -> None:
    root, recovery = store
    data = _db(root)
    with pytest.raises(WrongPassphrase):
        security.change_passphrase(root, "wrong one", NEW)
    security.change_passphrase(root, PASS, NEW)
    assert _db(root) == data  # the database was not re-encrypted
    with pytest.raises(WrongPassphrase):
        unlock.unlock_master(root, PASS)
    assert _platforms(root, NEW) == ["Plateforme de Tahoua"]

    # Forgotten: the recovery key opens it and sets a new passphrase; the key keeps working.
    security.recover(root, recovery, "third passphrase 3")
    assert _platforms(root, "third passphrase 3") == ["Plateforme de Tahoua"]
    security.recover(root, recovery, NEW)
    unlock.verify_passphrase(root, NEW)  # what the GUI's idle lock calls
    with pytest.raises(WrongPassphrase):
        unlock.verify_passphrase(root, "third passphrase 3")


def test_a_new_recovery_key_replaces_the_old_and_prints_a_card(store: tuple[Path, str],
                                                               tmp_path: Path) -> None:
    root, old = store
    card = tmp_path / "card.pdf"
    new = security.issue_recovery_key(root, PASS, card=card, lang="fr")
    with pytest.raises(WrongPassphrase):
        unlock.unlock_with_recovery_key(root, old)
    unlock.unlock_with_recovery_key(root, new)
    assert card.stat().st_mode & 0o777 == 0o600
    text = subprocess.run(["pdftotext", str(card), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert new.replace("-", " - ") in text
    assert load_device_info(root / "device.json").fingerprint() in text
    fonts = subprocess.run(["pdffonts", str(card)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line and "DejaVu" in line for line in fonts), fonts


def test_a_damaged_or_missing_key_file_is_repaired_from_its_copy(store: tuple[Path, str]) -> None:
    root, _recovery = store
    slots = root / "keyslots.json"
    good = slots.read_bytes()
    assert copy_path(slots).read_bytes() == good
    slots.write_bytes(good[: len(good) // 2])
    assert _platforms(root, PASS) == ["Plateforme de Tahoua"]
    assert slots.read_bytes() == good  # repaired
    slots.unlink()
    assert KeySlots.load(slots).repaired
    assert slots.read_bytes() == good


def test_when_both_copies_are_lost_the_message_says_so_and_nothing_is_deleted(
        store: tuple[Path, str]) -> None:
    root, _recovery = store
    data = _db(root)
    for path in (root / "keyslots.json", copy_path(root / "keyslots.json")):
        path.unlink()
    with pytest.raises(StoreError) as info:
        open_workspace(root, PASS)
    assert info.value.message() == f"The key file {root / 'keyslots.json'} is missing."
    # ``init`` refuses while a copy of the key file exists; without any, it starts afresh but
    # keeps the old database aside for whoever still holds a key file somewhere.
    (root / "keyslots.copy.json").write_bytes(b"{}")
    with pytest.raises(InputRefused):
        init_workspace(root, "again", "facilitator", PASS)
    assert _db(root) == data
    (root / "keyslots.copy.json").unlink()
    init_workspace(root, "again", "facilitator", PASS)[0].close()
    (kept,) = (root / "replaced").glob("*/jsd.db")
    assert kept.read_bytes() == data
