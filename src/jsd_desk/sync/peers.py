"""Devices this one knows and what it knows of each peer's holdings (DESIGN §5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from jsd_desk.security.device import DeviceInfo, DeviceKeys
from jsd_desk.store import models
from jsd_desk.sync import vectors
from jsd_desk.sync.vectors import Vector

DEVICE = models.tbl(models.Device)
PEER = models.tbl(models.SyncPeer)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class KnownDevice:
    info: DeviceInfo
    trusted: bool
    is_self: bool
    introduced_by: str | None
    added_at: dt.datetime

    @property
    def device_id(self) -> str:
        return self.info.device_id


def _known(row: Any) -> KnownDevice:
    info = DeviceInfo(row.device_id, row.name, row.role, row.short_code, row.sign_public,
                      row.age_recipient)
    return KnownDevice(info, bool(row.trusted), bool(row.is_self), row.introduced_by, row.added_at)


def known_devices(conn: Connection) -> dict[str, KnownDevice]:
    return {row.device_id: _known(row) for row in conn.execute(select(DEVICE))}


def own_ids(conn: Connection, keys: DeviceKeys) -> set[str]:
    """This device and the feeds it continues after a restore from backup (their age
    identities are among its own)."""
    mine = {str(i.to_public()) for i in keys.identities}
    rows = conn.execute(select(DEVICE.c.device_id, DEVICE.c.age_recipient))
    return {keys.info.device_id} | {d for d, r in rows if r in mine}


def same_keys(a: DeviceInfo, b: DeviceInfo) -> bool:
    return a.sign_public == b.sign_public and a.age_recipient == b.age_recipient


def add_device(conn: Connection, info: DeviceInfo, *, trusted: bool,
               introduced_by: str | None) -> None:
    conn.execute(insert(DEVICE).values(
        device_id=info.device_id, name=info.name, role=info.role, short_code=info.short_code,
        sign_public=info.sign_public, age_recipient=info.age_recipient, trusted=trusted,
        is_self=False, introduced_by=introduced_by, added_at=utcnow()))


def trust_device(conn: Connection, info: DeviceInfo) -> None:
    """A device known only through an introduction, now checked and trusted directly."""
    conn.execute(update(DEVICE).where(DEVICE.c.device_id == info.device_id)
                 .values(trusted=True, introduced_by=None, name=info.name, role=info.role))


@dataclass
class PeerState:
    proven: Vector
    acked: Vector
    shown_vector: Vector
    shown_base: Vector
    last_received_at: dt.datetime | None = None
    last_sent_at: dt.datetime | None = None


def peer_state(conn: Connection, device_id: str) -> PeerState:
    row = conn.execute(select(PEER).where(PEER.c.device_id == device_id)).one_or_none()
    if row is None:
        return PeerState({}, {}, {}, {})
    return PeerState(vectors.loads(row.proven), vectors.loads(row.acked),
                     vectors.loads(row.shown_vector), vectors.loads(row.shown_base),
                     row.last_received_at, row.last_sent_at)


def peer_states(conn: Connection) -> dict[str, PeerState]:
    return {row.device_id: peer_state(conn, row.device_id)
            for row in conn.execute(select(PEER.c.device_id))}


def save_peer_state(conn: Connection, device_id: str, state: PeerState) -> None:
    values = {"proven": vectors.dumps(state.proven), "acked": vectors.dumps(state.acked),
              "shown_vector": vectors.dumps(state.shown_vector),
              "shown_base": vectors.dumps(state.shown_base),
              "last_received_at": state.last_received_at, "last_sent_at": state.last_sent_at}
    done = conn.execute(update(PEER).where(PEER.c.device_id == device_id).values(**values))
    if not done.rowcount:
        conn.execute(insert(PEER).values(device_id=device_id, **values))
