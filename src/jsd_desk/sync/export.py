"""Writing a bundle (DESIGN §5): what an addressee lacks, judged by the vector it proved.

The events are the stored bytes and signatures, verbatim, of every feed this device holds —
its own and those it relays. What the addressee lacks is judged by the last vector it showed in
a bundle it sent here; writing a bundle never advances that, so a lost bundle is re-sent by the
next export. The bundle goes into the outbox until its addressees acknowledge it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from jsd_desk.domain.errors import InputRefused, NotFound
from jsd_desk.i18n import N_
from jsd_desk.security.device import DeviceInfo
from jsd_desk.store import models
from jsd_desk.store.ingest import vector as store_vector
from jsd_desk.store.writer import Tx
from jsd_desk.sync import bundle as fmt
from jsd_desk.sync import outbox
from jsd_desk.sync.cards import is_ministry
from jsd_desk.sync.peers import (
    KnownDevice,
    known_devices,
    own_ids,
    peer_state,
    save_peer_state,
    utcnow,
)
from jsd_desk.sync.vectors import Vector

EVENT = models.tbl(models.Event)
BLOB = models.tbl(models.Blob)

Progress = Callable[[int, int], None]


@dataclass
class Built:
    """A bundle made in memory, not yet written anywhere."""

    bundle_id: str
    data: bytes
    to: list[DeviceInfo]
    recipients: list[DeviceInfo]
    vector: Vector
    base: Vector
    events: int
    blobs: int
    feeds: dict[str, int] = field(default_factory=dict)  # events per device carried


def resolve_device(conn: Connection, ref: str, mine: set[str]) -> KnownDevice:
    """A known device by id, unique id prefix or short code."""
    devices = known_devices(conn)
    text = ref.strip()
    found = [d for d in devices.values()
             if d.device_id == text.lower() or d.info.short_code == text.upper()]
    if not found and len(text) >= 4:
        found = [d for d in devices.values() if d.device_id.startswith(text.lower())]
    if not found:
        raise NotFound(N_("No known device matches “{ref}”; add its contact card first."),
                       ref=text[:40])
    if len(found) > 1:
        raise InputRefused(N_("“{ref}” matches several devices; give more of the id."),
                           ref=text[:40])
    if found[0].device_id in mine:
        raise InputRefused(N_("A bundle cannot be addressed to this device itself."))
    return found[0]


def build(tx: Tx, to: Sequence[str] | None, *, progress: Progress | None = None) -> Built:
    """A bundle for the devices ``to`` (None: every trusted device) and the ministry devices."""
    conn, keys = tx.conn, tx.store.keys
    me = keys.info.device_id
    devices = known_devices(conn)
    mine = own_ids(conn, keys)
    if to is None:
        addressees = [d for d in devices.values() if d.trusted and d.device_id not in mine]
        if not addressees:
            raise InputRefused(N_("This device trusts no other device yet; add a contact card "
                                  "first (jsd-desk peer add)."))
        base: Vector = {}
    else:
        addressees = [resolve_device(conn, ref, mine) for ref in to]
        # What they all hold: a bundle for several carries what any of them lacks.
        states = [peer_state(conn, d.device_id).proven for d in addressees]
        base = {k: min(s.get(k, 0) for s in states) for k in set().union(*states)}
        base = {k: v for k, v in base.items() if v}
    ids = {d.device_id for d in addressees}
    ministry = [d for d in devices.values()
                if d.trusted and d.device_id not in mine and is_ministry(d.info)
                and d.device_id not in ids]
    recipients = sorted(addressees, key=lambda d: d.device_id) + sorted(
        ministry, key=lambda d: d.device_id)
    ours = store_vector(conn)
    total = sum(max(0, seq - base.get(dev, 0)) for dev, seq in ours.items())
    lines: list[bytes] = []
    digests: set[str] = set()
    feeds: dict[str, int] = {}
    for device_id in sorted(ours):
        after = base.get(device_id, 0)
        if ours[device_id] <= after:
            continue
        rows = conn.execute(
            select(EVENT.c.body, EVENT.c.signature, EVENT.c.entity)
            .where(EVENT.c.device_id == device_id, EVENT.c.seq > after,
                   EVENT.c.seq <= ours[device_id])
            .order_by(EVENT.c.seq))
        for body, signature, entity in rows:
            lines.append(fmt.event_line(body.encode("utf-8"), signature))
            if entity == "attachment":
                digest = json.loads(body)["fields"].get("sha256")
                if isinstance(digest, str):
                    digests.add(digest)
            if progress is not None and len(lines) % 1000 == 0:
                progress(len(lines), total)
        feeds[device_id] = ours[device_id] - after
    events = b"".join(lines)
    blobs: dict[str, bytes] = {}
    for digest in sorted(digests):
        data = conn.execute(select(BLOB.c.data).where(BLOB.c.sha256 == digest)).scalar_one_or_none()
        if data is not None:
            blobs[digest] = bytes(data)
    cards = tuple(devices[d].info for d in sorted(feeds) if d != me and d in devices)
    manifest = fmt.Manifest(
        bundle_id=str(uuid.uuid4()),
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        sender=keys.info, to=tuple(sorted(ids)),
        recipients=tuple(d.device_id for d in recipients), vector=ours, base=base,
        acks={d.device_id: peer_state(conn, d.device_id).proven for d in recipients},
        cards=cards, counts={"events": len(lines), "blobs": len(blobs)},
        members=fmt.member_table(events, blobs))
    raw = fmt.manifest_bytes(manifest)
    plain = fmt.write_zip(raw, keys.sign(raw), events, sorted(blobs.items()))
    data = fmt.encrypt(plain, [d.info.age_recipient for d in recipients])
    if progress is not None:
        progress(total, total)
    return Built(manifest.bundle_id, data, [d.info for d in addressees],
                 [d.info for d in recipients], ours, base, len(lines), len(blobs), feeds)


def record_sent(tx: Tx, built: Built, *, path: str, folder: str | None) -> None:
    """The bundle was written: it waits in the outbox, and each addressee was shown our vector."""
    conn = tx.conn
    outbox.record(conn, bundle_id=built.bundle_id, to=[d.device_id for d in built.to],
                  vector=built.vector, events=built.events, path=path, folder=folder)
    for info in built.to:
        state = peer_state(conn, info.device_id)
        state.shown_vector = dict(built.vector)
        state.shown_base = dict(state.proven)
        state.last_sent_at = utcnow()
        save_peer_state(conn, info.device_id, state)
