"""Sync use cases (DESIGN §5), shared by the CLI and the GUI's Sync page and Conflicts view.

Long calls take ``progress(done, total)`` — a callback that may raise to cancel (the GUI's
operations do) — and ``cancel``, a ``threading.Event``; a cancelled import or export rolls back
and leaves nothing behind. Every refusal is a ``JsdError`` with one sentence; nothing is
written when one is raised.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select

from jsd_desk.domain.clock import Hlc, split_stamp
from jsd_desk.domain.errors import InputRefused, JsdError, NotFound
from jsd_desk.files import atomic_write
from jsd_desk.i18n import N_
from jsd_desk.security.device import DeviceInfo
from jsd_desk.services.security import reseal_for
from jsd_desk.services.settings import read_settings, write_settings
from jsd_desk.services.workspace import Workspace
from jsd_desk.store import models
from jsd_desk.store.dump import conflicts as open_conflicts
from jsd_desk.store.eventlog import SignedEvent
from jsd_desk.store.ingest import release_held as release
from jsd_desk.store.writer import Store
from jsd_desk.sync import bundle as fmt
from jsd_desk.sync import outbox as outbox_mod
from jsd_desk.sync.cards import card_bytes, is_ministry, normalize_fingerprint, parse_card
from jsd_desk.sync.export import build, record_sent
from jsd_desk.sync.folder import FolderMemory, FolderReport, folder_pass
from jsd_desk.sync.importer import ImportReport, import_bundle
from jsd_desk.sync.outbox import OutboxItem
from jsd_desk.sync.peers import add_device, known_devices, peer_state, same_keys, trust_device
from jsd_desk.sync.vectors import Vector

Progress = Callable[[int, int], None]
HELD = models.tbl(models.HeldEvent)
SYNC_FOLDER_SETTING = "sync_folder"


class SyncCancelled(JsdError):
    """The user cancelled a long sync call; it was rolled back."""


def _guard(progress: Progress | None, cancel: threading.Event | None) -> Progress | None:
    if cancel is None:
        return progress

    def guarded(done: int, total: int) -> None:
        if cancel.is_set():
            raise SyncCancelled(N_("Cancelled; nothing was changed."))
        if progress is not None:
            progress(done, total)

    return guarded


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise SyncCancelled(N_("Cancelled; nothing was changed."))


# -- contact cards and peers ----------------------------------------------------------------


def export_card(ws: Workspace, out: Path) -> DeviceInfo:
    """Write this device's contact card (id, name, role, public keys, fingerprint)."""
    info = ws.keys.info
    _write(Path(out), card_bytes(info), 0o644)
    return info


def read_card(path: Path) -> DeviceInfo:
    """A contact card file, checked; the GUI shows its fingerprint before ``add_peer``."""
    return parse_card(_read(Path(path), 64 * 1024, N_("This file is too large to be a contact "
                                                       "card.")))


@dataclass(frozen=True)
class PeerAdded:
    info: DeviceInfo
    status: str  # "added", "now_trusted" (was introduced), "already"
    ministry: bool


def add_peer(ws: Workspace, card: DeviceInfo | Path, *,
             fingerprint: str | None = None) -> PeerAdded:
    """Trust a device from its card, after its fingerprint was checked with its owner (pass
    what they read out as ``fingerprint`` to have it compared)."""
    info = card if isinstance(card, DeviceInfo) else read_card(card)
    if fingerprint is not None and normalize_fingerprint(fingerprint) != normalize_fingerprint(
            info.fingerprint()):
        raise InputRefused(N_("The fingerprint given does not match this card's ({fp}); the card "
                              "was not added."), fp=info.fingerprint())
    with ws.store.transaction() as tx:
        if info.device_id == ws.keys.info.device_id:
            raise InputRefused(N_("This is this device's own card."))
        known = known_devices(tx.conn).get(info.device_id)
        if known is None:
            add_device(tx.conn, info, trusted=True, introduced_by=None)
            status = "added"
        elif not same_keys(known.info, info):
            raise InputRefused(N_("A device with this id is already known with other keys; the "
                                  "card was not added."))
        elif known.trusted:
            status = "already"
        else:
            trust_device(tx.conn, info)
            status = "now_trusted"
        if status != "already":
            # Identities this device wrote are sealed again for a new reader (DESIGN §4).
            reseal_for(ws.store, info)
    return PeerAdded(info, status, is_ministry(info))


@dataclass(frozen=True)
class PeerView:
    info: DeviceInfo
    fingerprint: str
    is_self: bool
    trusted: bool
    ministry: bool
    introduced_by: DeviceInfo | None
    holds: Vector  # the vector it last proved to this device
    last_received_at: dt.datetime | None
    last_sent_at: dt.datetime | None
    pending: int  # outbox bundles addressed to it, not yet acknowledged


def list_peers(ws: Workspace) -> list[PeerView]:
    with ws.store.engine.connect() as conn:
        devices = known_devices(conn)
        pending = outbox_mod.items(conn, pending_only=True)
        out = []
        for d in sorted(devices.values(), key=lambda d: (not d.is_self, d.info.name.lower())):
            state = peer_state(conn, d.device_id)
            intro = devices.get(d.introduced_by) if d.introduced_by else None
            out.append(PeerView(d.info, d.info.fingerprint(), d.is_self, d.trusted,
                                is_ministry(d.info), intro.info if intro else None, state.proven,
                                state.last_received_at, state.last_sent_at,
                                sum(1 for i in pending if d.device_id in i.to)))
    return out


# -- bundles --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    bundle_id: str
    to: list[DeviceInfo]
    recipients: list[DeviceInfo]  # the addressees and the ministry devices
    events: int
    blobs: int
    size: int


def export_bundle(ws: Workspace, out: Path, *, to: str | Sequence[str] | None = None,
                  everything: bool = False, progress: Progress | None = None,
                  cancel: threading.Event | None = None) -> ExportSummary:
    """``to`` a device (id, id prefix or short code): what it lacks by the vector it proved;
    ``everything``: every event, to every trusted device. Both are also encrypted to the
    trusted ministry devices. The file is written atomically; the bundle enters the outbox."""
    if everything == (to is not None):
        raise InputRefused(N_("Choose the device the bundle is for, or all devices."))
    refs = None if everything else ([to] if isinstance(to, str) else list(to or []))
    out = Path(out)
    with ws.store.transaction() as tx:
        built = build(tx, refs, progress=_guard(progress, cancel))
        _check_cancel(cancel)
        _write(out, built.data, 0o600)
        record_sent(tx, built, path=str(out.resolve()), folder=None)
    return ExportSummary(out, built.bundle_id, built.to, built.recipients, built.events,
                         built.blobs, len(built.data))


def import_bundles(ws: Workspace, paths: Sequence[Path], *, progress: Progress | None = None,
                   cancel: threading.Event | None = None) -> list[ImportReport]:
    """Import bundle files, all or nothing: one refused file and none is imported."""
    store = ws.store
    reports: list[ImportReport] = []
    guarded = _guard(progress, cancel)
    datas = []
    for path in paths:
        datas.append(_read(Path(path), fmt.LIMITS.bundle_bytes,
                           N_("The bundle is too large (more than {n} MiB)."),
                           n=fmt.LIMITS.bundle_bytes // fmt.MIB))
    with store.transaction():
        for path, data in zip(paths, datas, strict=True):
            try:
                reports.append(import_bundle(store, data, progress=guarded))
            except SyncCancelled:
                raise
            except JsdError as exc:
                if len(paths) == 1:
                    raise
                raise InputRefused(N_("{file}: {reason}"), file=Path(path).name,
                                   reason=exc) from exc
    store.notify([ev for r in reports for ev in r.applied])
    return reports


def outbox(ws: Workspace, *, include_acknowledged: bool = False) -> list[OutboxItem]:
    """Bundles written here and not yet acknowledged by their addressees (with
    ``include_acknowledged``, also those in a sync folder acknowledged but not yet removed)."""
    with ws.store.engine.connect() as conn:
        return outbox_mod.items(conn, pending_only=not include_acknowledged)


def last_sync(store: Store) -> dt.datetime | None:
    """When this device last received or wrote a bundle, in local time; None if never (read by the
    Home page and by the Sync page)."""
    peer: Table = models.SyncPeer.__table__  # type: ignore[assignment]
    with store.engine.connect() as conn:
        row = conn.execute(select(func.max(peer.c.last_received_at),
                                  func.max(peer.c.last_sent_at))).one()
    stamps = [v for v in row if isinstance(v, dt.datetime)]
    return max(stamps).replace(tzinfo=dt.UTC).astimezone() if stamps else None


@dataclass(frozen=True)
class HeldView:
    device_id: str
    device_name: str | None
    seq: int
    stamped_at: dt.datetime
    reason: str  # "gap", "future" (stamped too far ahead), "behind" (after a future one)


def held_aside(ws: Workspace) -> list[HeldView]:
    with ws.store.engine.connect() as conn:
        names = {d: k.info.name for d, k in known_devices(conn).items()}
        rows = conn.execute(select(HELD.c.device_id, HELD.c.seq, HELD.c.hlc, HELD.c.reason)
                            .order_by(HELD.c.device_id, HELD.c.seq)).all()
    return [HeldView(d, names.get(d), s, _when(h), r) for d, s, h, r in rows]


def held_count(ws: Workspace) -> int:
    with ws.store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(HELD)).scalar_one())


def release_held(ws: Workspace) -> int:
    """Apply held events whose gap was filled or whose stamp the clock has reached."""
    with ws.store.transaction() as tx:
        result = release(tx, now_ms=ws.store.now_ms())
    ws.store.notify(result.applied)
    return result.new


def _when(hlc: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(Hlc.decode(hlc).wall_ms / 1000, dt.UTC).replace(tzinfo=None)


# -- conflicts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Head:
    stamp: str
    value: Any
    device_id: str
    device_name: str | None
    written_at: dt.datetime
    winning: bool  # the value the records show now (the latest stamp)


@dataclass(frozen=True)
class ConflictView:
    entity: str
    entity_id: str
    field: str
    heads: list[Head]


def list_conflicts(ws: Workspace) -> list[ConflictView]:
    """Fields two devices changed concurrently to different values. The records show the
    latest write; the others are kept here until someone chooses."""
    with ws.store.engine.connect() as conn:
        names = {d: k.info.name for d, k in known_devices(conn).items()}
        found = open_conflicts(conn, ws.hidden_entities)
    out = []
    for c in found:
        latest = max((h["stamp"] for h in c["heads"]), default=None)
        heads = []
        for h in c["heads"]:
            hlc, device = split_stamp(h["stamp"])
            heads.append(Head(h["stamp"], h["value"], device, names.get(device), _when(hlc),
                              h["stamp"] == latest))
        out.append(ConflictView(c["entity"], c["entity_id"], c["field"], heads))
    return out


def resolve_conflict(ws: Workspace, entity: str, entity_id: str, field: str, *,
                     value: Any = None, stamp: str | None = None) -> SignedEvent | None:
    """Settle a conflict: keep the head written at ``stamp``, or a new ``value``. The choice
    is an event that replaces every head, so every device sees the same outcome."""
    with ws.store.transaction() as tx:
        current = next((c for c in open_conflicts(tx.conn, ws.hidden_entities)
                        if (c["entity"], c["entity_id"], c["field"]) == (entity, entity_id, field)),
                       None)
        if current is None:
            raise NotFound(N_("This field is no longer in conflict."))
        if stamp is not None:
            chosen = next((h for h in current["heads"] if h["stamp"] == stamp), None)
            if chosen is None:
                raise NotFound(N_("This value is no longer one of the conflicting ones."))
            value = chosen["value"]
        return tx.put(entity, entity_id, {field: value})


# -- the sync folder ------------------------------------------------------------------------


def sync_folder(ws: Workspace) -> Path | None:
    value = read_settings(ws.data_dir).get(SYNC_FOLDER_SETTING)
    return Path(value) if isinstance(value, str) and value else None


def set_sync_folder(ws: Workspace, folder: Path | None) -> None:
    settings = read_settings(ws.data_dir)
    if folder is None:
        settings.pop(SYNC_FOLDER_SETTING, None)
    else:
        settings[SYNC_FOLDER_SETTING] = str(Path(folder).resolve())
    write_settings(ws.data_dir, settings)


def sync_folder_available(ws: Workspace) -> bool:
    folder = sync_folder(ws)
    return folder is not None and folder.is_dir()


def run_sync_folder(ws: Workspace, folder: Path | None = None, *,
                    memory: FolderMemory | None = None, progress: Progress | None = None,
                    cancel: threading.Event | None = None) -> FolderReport:
    """One pass over the sync folder (the configured one by default). Each bundle is imported
    in its own transaction; a refused one is reported and left in place."""
    target = folder or sync_folder(ws)
    if target is None:
        raise InputRefused(N_("No sync folder is set."))
    report = folder_pass(ws.store, target, memory=memory, progress=progress, cancel=cancel)
    ws.store.notify([ev for _p, r in report.imported for ev in r.applied])
    return report


# -- the ministry's age identity --------------------------------------------------------------


def export_age_identity(ws: Workspace, out: Path) -> str:
    """Write this device's age identity (a secret key), so the standard ``age`` tool can open
    the bundles addressed to it: ``age -d -i FILE bundle.jsdb > bundle.zip``."""
    info = ws.keys.info
    text = (f"# JSD Desk age identity of device “{info.name}” ({info.device_id})\n"
            f"# public key: {info.age_recipient}\n{ws.keys.age_identity}\n")
    _write(Path(out), text.encode("utf-8"), 0o600)
    return info.age_recipient


# -- files ----------------------------------------------------------------------------------


def _read(path: Path, limit: int, too_large: str, **params: Any) -> bytes:
    try:
        if path.stat().st_size > limit:
            raise InputRefused(too_large, **params)
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError:
        raise InputRefused(N_("{path} cannot be read."), path=str(path)) from None
    if len(data) > limit:
        raise InputRefused(too_large, **params)
    return data


def _write(path: Path, data: bytes, mode: int) -> None:
    try:
        atomic_write(path, data, mode)
    except OSError as exc:
        raise InputRefused(N_("{path} cannot be written ({reason})."), path=str(path),
                           reason=exc.strerror or type(exc).__name__) from None
