"""Importing a bundle (DESIGN §5), all or nothing, in the order the design fixes:

1. decrypt into memory (no plaintext file, ever);
2. check the archive, the manifest and its signature, every member's hash, every event's
   signature (by the keys this device knows, or cards a trusted sender introduces) and each
   feed's chain; refuse forks with their evidence;
3. hold aside what comes after a gap or is stamped implausibly far in the future;
4. apply every new event in one transaction, with the peer's vectors, the acknowledgements,
   the blobs and the import ledger.

Any refusal raises before the transaction commits, so nothing is written.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy import Connection

from jsd_desk import collector
from jsd_desk.i18n import N_
from jsd_desk.security.device import DeviceInfo
from jsd_desk.store import models
from jsd_desk.store.eventlog import EventRef, SignedEvent
from jsd_desk.store.ingest import MAX_AHEAD_MS, Gap, ingest
from jsd_desk.store.projection import insert_ignore
from jsd_desk.store.streaming import Streaming
from jsd_desk.store.writer import Store
from jsd_desk.sync import bundle as fmt
from jsd_desk.sync import outbox, signatures, vectors
from jsd_desk.sync.bundle import BundleRefused, Limits, Manifest
from jsd_desk.sync.liaison_check import check_liaison_events
from jsd_desk.sync.peers import (
    KnownDevice,
    add_device,
    known_devices,
    own_ids,
    peer_state,
    same_keys,
    save_peer_state,
    utcnow,
)
from jsd_desk.sync.signatures import Checked, check_events, feeds_of

LEDGER = models.tbl(models.ImportLedger)

Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    bundle_id: str
    sender: DeviceInfo
    events: int = 0
    blobs: int = 0
    new: int = 0
    known: int = 0
    conflicts: int = 0
    held: int = 0
    released: int = 0
    future: int = 0
    gaps: list[Gap] = field(default_factory=list)
    introduced: list[DeviceInfo] = field(default_factory=list)
    acknowledged: int = 0  # outbox entries this bundle acknowledged
    file_sha256: str = ""
    to: tuple[str, ...] = ()
    # Entity names the import changed, for views to refresh.
    entities: frozenset[str] = frozenset()
    applied: list[EventRef] = field(default_factory=list, repr=False)


def _sender_check(devices: dict[str, KnownDevice], me: str) -> Callable[[Manifest], DeviceInfo]:
    def sender_key(manifest: Manifest) -> DeviceInfo:
        sender = manifest.sender
        if sender.device_id == me:
            raise BundleRefused(N_("This bundle was made by this device."))
        known = devices.get(sender.device_id)
        if known is None:
            raise BundleRefused(N_("The bundle comes from a device this one does not know "
                                   "(“{name}”, fingerprint {fp}); add its contact card first."),
                                name=sender.name[:60], fp=sender.fingerprint())
        if not same_keys(known.info, sender):
            raise BundleRefused(N_("The bundle is refused: it claims to come from “{name}” but "
                                   "with other keys than the ones this device knows."),
                                name=known.info.name)
        return known.info

    return sender_key


def import_bundle(store: Store, data: bytes, *, progress: Progress | None = None,
                  limits: Limits = fmt.LIMITS, max_ahead_ms: int = MAX_AHEAD_MS) -> ImportReport:
    """Import one bundle's bytes. Joins the caller's transaction when there is one (several
    bundles imported all or nothing)."""
    with collector.paused():
        return _import_bundle(store, data, progress, limits, max_ahead_ms)


def _import_bundle(store: Store, data: bytes, progress: Progress | None, limits: Limits,
                   max_ahead_ms: int) -> ImportReport:
    keys = store.keys
    me = keys.info.device_id
    signatures.warm(len(data))
    plain = fmt.decrypt(data, keys.identities, limits)
    with store.transaction() as tx:
        conn = tx.conn
        devices = known_devices(conn)
        contents = fmt.read_bundle(plain, _sender_check(devices, me), limits)
        del plain
        manifest = contents.manifest
        if not own_ids(conn, keys) & set(manifest.recipients):
            raise BundleRefused(N_("This bundle is not addressed to this device."))
        sender = devices[manifest.sender.device_id]
        signers = {d: k.info for d, k in devices.items()}
        introduced: list[DeviceInfo] = []
        for card in manifest.cards:
            known = devices.get(card.device_id)
            if known is not None:
                if not same_keys(known.info, card):
                    raise BundleRefused(N_("The bundle is refused: it carries a card for “{name}” "
                                           "whose keys differ from the ones this device knows."),
                                        name=known.info.name)
            elif sender.trusted and card.device_id not in signers:
                signers[card.device_id] = card
                introduced.append(card)

        total = contents.events.count
        for card in introduced:
            add_device(conn, card, trusted=False, introduced_by=sender.device_id)
        liaisons = {d for d, info in signers.items() if info.role == "liaison"}
        _bigger_cache(conn)
        now_ms = store.now_ms()

        def keep(ev: SignedEvent) -> bool:
            return ev.device_id in liaisons

        # First pass: every line read, checked and verified (on every core). The usual bundle
        # is applied meanwhile, each chunk once verified (store.streaming); any other, or one
        # the streaming gives up on, in a second pass: the feed checks, then the events read
        # again and applied in batches. Nothing commits before both are done.
        stream = Streaming.start(tx, now_ms=now_ms, max_ahead_ms=max_ahead_ms, keep=keep)

        def checking(n: int) -> None:
            if progress is not None:
                progress(n + (0 if stream is None else stream.applied), 2 * total)

        checked = check_events(contents.events, manifest, signers, progress=checking,
                               on_chunk=None if stream is None else partial(_stream, stream))
        result = None if stream is None else stream.finish()
        if result is None:
            if stream is not None:  # the streaming gave up: the feeds, read again
                checked = feeds_of(contents.events)
            received = _Received(contents.events, checked)
            del checked  # ingest lets the metadata go once the feeds are checked
            result = ingest(tx, received, now_ms=now_ms, max_ahead_ms=max_ahead_ms,
                            progress=_scaled(progress, total), keep=keep)
        else:
            del checked
        validate_events(conn, result.kept)
        for digest, blob in contents.blobs.items():
            if tx.put_blob(blob) != digest:  # read_bundle checked it; a belt to the braces
                raise BundleRefused(N_("The bundle is damaged: an attachment does not match its "
                                       "checksum."))
        acknowledged = _record_peer(conn, manifest, me)
        file_sha = hashlib.sha256(data).hexdigest()
        conn.execute(insert_ignore(conn, LEDGER).values(
            bundle_id=manifest.bundle_id, file_sha256=file_sha, sender=manifest.sender.device_id,
            created_at=manifest.created_at, imported_at=utcnow(), events=total, new=result.new,
            known=result.known, conflicts=result.conflicts, held=result.held))
        if progress is not None:
            progress(2 * total, 2 * total)
    return ImportReport(
        bundle_id=manifest.bundle_id, sender=manifest.sender, events=total,
        blobs=len(contents.blobs), new=result.new, known=result.known,
        conflicts=result.conflicts, held=result.held, released=result.released,
        future=result.future, gaps=result.gaps, introduced=introduced, acknowledged=acknowledged,
        file_sha256=file_sha, to=manifest.to, entities=frozenset(ev.entity for ev in result.applied),
        applied=result.applied)


# SQLite's page cache while an import writes (a negative cache_size is in KiB): the records of
# a large bundle land at random places of their indexes, and with the default 2 MiB nearly
# every row reads (and decrypts) a page again. Kept for the connection: it goes back to the pool.
# 64 MiB: a 100,000-event import took 24.7 s with 32 MiB, 21.9 s with 64 MiB, at a peak of
# 268 MB (the budget is 300; the slim references of ``EventRef`` made the room).
IMPORT_CACHE_KIB = 64 * 1024


def _bigger_cache(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    size = int(os.environ.get("JSD_IMPORT_CACHE_KIB", IMPORT_CACHE_KIB))
    current = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    if current < 0 and -current < size:
        conn.exec_driver_sql(f"PRAGMA cache_size = -{size}")


def _stream(stream: Streaming, lines: list[bytes], events: list[SignedEvent] | None) -> None:
    stream.add(_parsed(lines) if events is None else events)


def _parsed(lines: list[bytes]) -> Iterator[SignedEvent]:
    """Lines the first pass checked (shape, canonical form, signature), as events."""
    for text in lines:
        raw, sig = fmt.decode_event_line(text)
        yield SignedEvent(json.loads(raw), raw, base64.b64decode(sig), hashlib.sha256(raw).hexdigest())


class _Received:
    """The events of a checked bundle (``ingest.Incoming``): read again from the archive when
    wanted, never all held."""

    def __init__(self, lines: fmt.EventLines, checked: Checked) -> None:
        self._lines, self.feeds, self.twins = lines, checked.feeds, checked.twins

    def event(self, line: int) -> SignedEvent:
        return next(self.events({line}))[1]

    def checked(self) -> None:
        self.feeds = {}

    def events(self, lines: Collection[int]) -> Iterator[tuple[int, SignedEvent]]:
        wanted = set(lines)
        for number, text in enumerate(self._lines.lines(), 1):
            if number in wanted:
                wanted.discard(number)
                yield number, next(_parsed([text]))
                if not wanted:
                    return


def validate_events(conn: Connection, events: list[SignedEvent]) -> None:
    """The per-event checks of what a bundle applies, beyond signatures and chains: each
    raises BundleRefused/InputRefused, which refuses the bundle inside its transaction."""
    check_liaison_events(conn, events)  # a liaison device's role, enforced here too


def _scaled(progress: Progress | None, total: int) -> Callable[[int], None] | None:
    if progress is None:
        return None
    report = progress
    # The second half of the bar, as before signatures were checked beside the import.
    return lambda n: report(total + n, 2 * total)


def _record_peer(conn: Connection, manifest: Manifest, me: str) -> int:
    """The sender proved its vector; its acks say what it has read of ours."""
    sender = manifest.sender.device_id
    state = peer_state(conn, sender)
    state.proven = vectors.merge(state.proven, manifest.vector)
    state.acked = vectors.merge(state.acked, manifest.acks.get(me, {}))
    state.last_received_at = utcnow()
    save_peer_state(conn, sender, state)
    return outbox.apply_acks(conn, sender)
