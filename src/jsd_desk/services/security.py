"""Keys and people (DESIGN §6, issue 7): unlocking with the passphrase or the recovery key under
a throttle, changing the passphrase, issuing a new recovery key, re-keying the database after a
suspected compromise, re-sealing identities for a newly trusted reader, and who may change what.

Everything here works on the data folder with the store closed, except ``reseal_for`` and the
role checks, which take the open store. The CLI and the GUI call these same functions.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from jsd_desk.domain.complaint_rights import ComplaintRights, complaint_rights
from jsd_desk.domain.errors import InputRefused, PermissionDenied, StoreError
from jsd_desk.files import atomic_write
from jsd_desk.i18n import N_, current_language
from jsd_desk.paths import DataDir
from jsd_desk.reports.recovery_card import write_recovery_card
from jsd_desk.security import journal
from jsd_desk.security.device import DeviceInfo, load_device, load_device_info, save_device
from jsd_desk.security.dirlock import DirLock
from jsd_desk.security.keyslots import KeySlots, copy_path, new_recovery_key, subkey
from jsd_desk.security.lockout import Throttle
from jsd_desk.security.rekey import check_copy, export_with_key
from jsd_desk.security.sealing import READER_ROLES, SEALED_MARKER_JSON, is_sealed_field
from jsd_desk.services.backup import backup_database, drop_unreadable_backups
from jsd_desk.services.disclosure import disclose_all_to
from jsd_desk.services.settings import hub_database_url
from jsd_desk.services.unlock import load_slots, unlock_master, unlock_with_recovery_key
from jsd_desk.store import models
from jsd_desk.store.writer import Record, Store, Tx

MIN_PASSPHRASE = 8
FW = models.tbl(models.FieldWrite)
EVENT = models.tbl(models.Event)
DEVICE = models.tbl(models.Device)

Step = Callable[[str], None]


def _no_step(_name: str) -> None:
    return None


# -- passphrase and recovery key ----------------------------------------------------------------


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise InputRefused(N_("The passphrase must have at least {n} characters."), n=MIN_PASSPHRASE)


def change_passphrase(root: Path, old_passphrase: str, new_passphrase: str, *,
                      clock: Callable[[], float] = time.time) -> None:
    """Rewrites the passphrase slot; the database and the recovery key stay as they are."""
    check_new_passphrase(new_passphrase)
    data_dir = DataDir(Path(root))
    master = unlock_master(root, old_passphrase, clock=clock)
    KeySlots.load(data_dir.keyslots).change_passphrase(master, new_passphrase)


def recover(root: Path, recovery_key: str, new_passphrase: str, *,
            clock: Callable[[], float] = time.time) -> None:
    """The passphrase is forgotten: the recovery key opens the store and sets a new one."""
    check_new_passphrase(new_passphrase)
    data_dir = DataDir(Path(root))
    master = unlock_with_recovery_key(root, recovery_key, clock=clock)
    KeySlots.load(data_dir.keyslots).change_passphrase(master, new_passphrase)


def issue_recovery_key(root: Path, passphrase: str, *, card: Path | None = None,
                       lang: str | None = None, clock: Callable[[], float] = time.time) -> str:
    """A new recovery key (the old card stops working). The card, when asked for, is written
    before the key slot changes, so the new key is never only in a slot."""
    data_dir = DataDir(Path(root))
    master = unlock_master(root, passphrase, clock=clock)
    recovery = new_recovery_key()
    if card is not None:
        write_recovery_card(card, recovery, load_device_info(data_dir.device),
                            lang or current_language())
    KeySlots.load(data_dir.keyslots).change_recovery_key(master, recovery)
    return recovery


def write_card(path: Path, recovery_key: str, device: DeviceInfo, lang: str | None = None) -> None:
    """The recovery key card (PDF), e.g. right after ``init``."""
    write_recovery_card(Path(path), recovery_key, device, lang or current_language())


# -- re-keying ----------------------------------------------------------------------------------

REKEY_STEPS = ("unlock", "export", "check", "stage", "commit", "backup", "done")


@dataclass(frozen=True)
class RekeyResult:
    recovery_key: str
    events: int


def rekey(root: Path, passphrase: str, *, new_passphrase: str | None = None,
          card: Path | None = None, lang: str | None = None, on_step: Step = _no_step,
          clock: Callable[[], float] = time.time) -> RekeyResult:
    """After a suspected compromise: a new master key, so a new database key, a new recovery
    key and (optionally) a new passphrase. Backups made under the old key are replaced by one
    under the new key.

    Crash-safe: the database is copied under the new key beside the old one, the device keys and
    key slots are staged beside theirs, and one atomic write of the swap journal commits them
    all; a crash before it leaves the old store, after it the next start finishes the swap. The
    store must be closed everywhere (the folder is taken alone)."""
    if new_passphrase is not None:
        check_new_passphrase(new_passphrase)
    data_dir = DataDir(Path(root))
    root = data_dir.root
    if not data_dir.exists():
        raise StoreError(N_("There is no JSD Desk store in {path}; run “jsd-desk init” first."),
                         path=str(root))
    with DirLock(root).exclusive():
        journal.replay(root)
        on_step("unlock")
        slots = load_slots(data_dir)
        master = Throttle.for_data_dir(root, clock).attempt(
            lambda: slots.open_with_passphrase(passphrase))
        keys = load_device(data_dir.device, data_dir.device_keys, master)
        local_db = hub_database_url(data_dir) is None
        new_master = secrets.token_bytes(32)
        recovery = new_recovery_key()
        ops: list[journal.Op] = []
        events = 0
        if local_db:
            if not data_dir.database.exists():
                raise StoreError(N_("The database file {path} is missing; nothing was changed."),
                                 path=str(data_dir.database))
            on_step("export")
            target = journal.staged(data_dir.database)
            events = export_with_key(data_dir.database, subkey(master, "database"), target,
                             subkey(new_master, "database"))
            on_step("check")
            check_copy(target, subkey(new_master, "database"), events)
            wal, shm = (data_dir.database.with_name(data_dir.database.name + s)
                        for s in ("-wal", "-shm"))
            # The old log's frames are all in the copy; replayed onto it they would corrupt it.
            ops += [journal.delete_op(root, wal, target), journal.delete_op(root, shm, target),
                    journal.replace_op(root, data_dir.database)]
        on_step("stage")
        save_device(keys, journal.staged(data_dir.device), journal.staged(data_dir.device_keys),
                    new_master)
        new_slots = KeySlots.build(data_dir.keyslots, new_master, new_passphrase or passphrase,
                                   recovery).to_bytes()
        atomic_write(journal.staged(data_dir.keyslots), new_slots)
        atomic_write(journal.staged(copy_path(data_dir.keyslots)), new_slots)
        if card is not None:
            write_recovery_card(card, recovery, keys.info, lang or current_language())
        ops += [journal.replace_op(root, p) for p in (
            data_dir.device_keys, data_dir.device, data_dir.keyslots, copy_path(data_dir.keyslots))]
        on_step("commit")
        journal.commit(root, ops)
        if local_db:
            on_step("backup")
            new_key = subkey(new_master, "database")
            backup_database(data_dir, new_key)
            drop_unreadable_backups(data_dir, new_key)
        on_step("done")
    return RekeyResult(recovery, events)


# -- sealed fields ------------------------------------------------------------------------------


def own_device_ids(tx: Tx) -> set[str]:
    """This device and the feeds it continues after a restore (its previous identities)."""
    keys = tx.store.keys
    mine = {str(i.to_public()) for i in keys.identities}
    rows = tx.conn.execute(select(DEVICE.c.device_id, DEVICE.c.age_recipient))
    return {keys.info.device_id} | {d for d, r in rows if r in mine}


def reseal_for(store: Store, device: DeviceInfo) -> int:
    """Call after trusting ``device`` (``peer add``): what this device wrote in sealed fields,
    and still stands, is written again sealed to every reader it now trusts, the new one
    included (DESIGN §4). Returns how many records were re-sealed (0 for a liaison officer's
    device, which reads no identity)."""
    if device.device_id == store.device_id:
        return 0
    if device.role == "liaison":
        return _disclose_referred(store, device)
    if device.role not in READER_ROLES:
        return 0
    resealed = 0
    with store.transaction() as tx:
        trusted = tx.conn.execute(select(DEVICE.c.trusted).where(
            DEVICE.c.device_id == device.device_id)).scalar_one_or_none()
        if not trusted:
            return 0  # not (yet) a reader of this device's seals
        mine = own_device_ids(tx)
        rows = tx.conn.execute(
            select(FW.c.entity, FW.c.entity_id, FW.c.field, FW.c.stamp, FW.c.value, FW.c.device_id)
            .where(FW.c.superseded.is_(False), FW.c.device_id.in_(sorted(mine)))
            .order_by(FW.c.entity, FW.c.entity_id, FW.c.field, FW.c.stamp))
        by_record: dict[tuple[str, str], tuple[dict[str, Any], dict[str, list[str]]]] = {}
        for entity, eid, field, stamp, value, _dev in rows:
            if not is_sealed_field(entity, field) or value == SEALED_MARKER_JSON:
                continue
            values, bases = by_record.setdefault((entity, eid), ({}, {}))
            values[field] = json.loads(value)  # ordered by stamp: the latest of ours wins
            bases.setdefault(field, []).append(stamp)
        for (entity, eid), (values, bases) in sorted(by_record.items()):
            current = tx.get(entity, eid)
            if current is None or current["deleted"]:
                continue  # a deleted identity is not handed to new readers
            tx.append_upsert(entity, eid, values, {f: sorted(s) for f, s in bases.items()})
            resealed += 1
    return resealed


def _disclose_referred(store: Store, device: DeviceInfo) -> int:
    """A liaison device trusted after complaints were referred to it gets their need-to-know
    fields now (issue 12); never an identity."""
    with store.transaction() as tx:
        trusted = tx.conn.execute(select(DEVICE.c.trusted).where(
            DEVICE.c.device_id == device.device_id)).scalar_one_or_none()
        return disclose_all_to(tx, device.device_id) if trusted else 0


def sealed_fields(store: Store, entity: str, record_id: str) -> frozenset[str]:
    """The fields of a record whose current value this device may not open: what the GUI shows
    as "Confidential" rather than as empty."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(FW.c.field).where(
            FW.c.entity == entity, FW.c.entity_id == record_id, FW.c.superseded.is_(False),
            FW.c.value == SEALED_MARKER_JSON))
        return frozenset(rows.scalars())


# -- roles --------------------------------------------------------------------------------------


def created_here(tx: Tx, entity: str, record_id: str) -> bool:
    """Whether the record's first event (by clock) came from this device or a feed it continues."""
    first = tx.conn.execute(
        select(EVENT.c.device_id).where(EVENT.c.entity == entity, EVENT.c.entity_id == record_id)
        .order_by(EVENT.c.hlc, EVENT.c.device_id).limit(1)).scalar_one_or_none()
    return first is None or first in own_device_ids(tx)


def check_may_change(tx: Tx, entity: str, record_id: str) -> None:
    """The ministry's device (analyst) reads every platform's records but changes only those it
    created itself: a platform's sessions, complaints and commitments are the platform's."""
    if tx.store.keys.info.role == "analyst" and not created_here(tx, entity, record_id):
        raise PermissionDenied(N_("A ministry device changes only the records it created; this "
                                  "one belongs to a platform."))


def may_change(store: Store, entity: str, record_id: str) -> bool:
    """The ministry's rule (``check_may_change``), read without writing: for the GUI to offer
    only what the services will accept."""
    if store.keys.info.role != "analyst":
        return True
    with store.engine.connect() as conn:
        return created_here(Tx(store, conn), entity, record_id)


def complaint_rights_of(tx: Tx, complaint: Record) -> ComplaintRights:
    """What this device may do with a complaint (``domain.complaint_rights``, the one rule):
    the services check it, the GUI offers only what it allows."""
    info = tx.store.keys.info
    own = info.role != "analyst" or created_here(tx, "complaint", complaint["id"])
    return complaint_rights(role=info.role, device_id=info.device_id,
                            status=complaint.get("status"),
                            liaison_device_id=complaint.get("liaison_device_id"), created_here=own)


def check_complaint_rights(tx: Tx, complaint: Record) -> ComplaintRights:
    """The rights on a complaint, refusing when this device may do nothing with it."""
    rights = complaint_rights_of(tx, complaint)
    if rights.refusal is not None:
        raise PermissionDenied(rights.refusal)
    return rights
