"""Unlocking a data folder (DESIGN §6): finishing an interrupted re-key or restore first, then
the master key from the passphrase or the recovery key, under the wrong-guess throttle.

Below every other service that opens the folder (backup, workspace, security), so none of them
needs another to get the key.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from jsd_desk.domain.errors import StoreError
from jsd_desk.i18n import N_
from jsd_desk.paths import DataDir
from jsd_desk.security import journal
from jsd_desk.security.dirlock import DirLock, StoreBusy
from jsd_desk.security.keyslots import KeySlots, check_recovery_key, copy_path
from jsd_desk.security.lockout import Throttle


def finish_pending(root: Path) -> None:
    """Before anything reads the folder: finish a re-key or restore a crash interrupted after its
    commit point, or drop the leftovers of one interrupted before (``security.journal``)."""
    root = Path(root)
    if not root.is_dir() or not (journal.pending(root) or journal.has_leftovers(root)):
        return  # the usual case: nothing to do, nothing touched
    lock = DirLock(root)
    try:
        lock.exclusive()
    except StoreBusy:
        if journal.pending(root):
            raise StoreBusy(N_("The store is being re-keyed or restored by another program; try "
                               "again when it has finished.")) from None
        return  # open elsewhere: nothing of ours to tidy
    try:
        journal.replay(root)
    finally:
        lock.release()


def load_slots(data_dir: DataDir) -> KeySlots:
    if not data_dir.keyslots.exists() and not copy_path(data_dir.keyslots).exists() \
            and not data_dir.device.exists():
        raise StoreError(N_("There is no JSD Desk store in {path}; run “jsd-desk init” first."),
                         path=str(data_dir.root))
    return KeySlots.load(data_dir.keyslots)


def unlock_master(root: Path, passphrase: str, *, clock: Callable[[], float] = time.time) -> bytes:
    """The master key, from the passphrase; repeated failures wait longer and longer."""
    data_dir = DataDir(Path(root))
    finish_pending(data_dir.root)
    slots = load_slots(data_dir)
    master = Throttle.for_data_dir(data_dir.root, clock).attempt(
        lambda: slots.open_with_passphrase(passphrase))
    slots.ensure_copy()
    return master


def unlock_with_recovery_key(root: Path, recovery_key: str, *,
                             clock: Callable[[], float] = time.time) -> bytes:
    data_dir = DataDir(Path(root))
    check_recovery_key(recovery_key)  # a typo is named at once, and is no failed attempt
    finish_pending(data_dir.root)
    slots = load_slots(data_dir)
    master = Throttle.for_data_dir(data_dir.root, clock).attempt(
        lambda: slots.open_with_recovery_key(recovery_key))
    slots.ensure_copy()
    return master


def verify_passphrase(root: Path, passphrase: str, *,
                      clock: Callable[[], float] = time.time) -> None:
    """For the idle lock: raises WrongPassphrase (or TooManyAttempts) unless it is the store's
    passphrase. Touches nothing but the failure counter."""
    unlock_master(root, passphrase, clock=clock)


