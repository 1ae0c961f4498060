"""Bundles this device wrote, kept until their addressees acknowledge them (DESIGN §5).

An addressee acknowledges a bundle by sending one back whose ``acks`` entry for this device
covers the vector the bundle was written with: it has read that bundle (or a later one).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from jsd_desk.store import models
from jsd_desk.sync import vectors
from jsd_desk.sync.peers import peer_state, utcnow
from jsd_desk.sync.vectors import Vector

OUTBOX = models.tbl(models.OutboxEntry)


@dataclass(frozen=True)
class OutboxItem:
    bundle_id: str
    to: tuple[str, ...]
    vector: Vector
    events: int
    path: str
    folder: str | None
    created_at: dt.datetime
    acked_at: dt.datetime | None


def _item(row: Any) -> OutboxItem:
    return OutboxItem(row.bundle_id, tuple(json.loads(row.to_devices)), vectors.loads(row.vector),
                      row.events, row.path, row.folder, row.created_at, row.acked_at)


def items(conn: Connection, *, pending_only: bool = False) -> list[OutboxItem]:
    query = select(OUTBOX).order_by(OUTBOX.c.created_at, OUTBOX.c.bundle_id)
    if pending_only:
        query = query.where(OUTBOX.c.acked_at.is_(None))
    return [_item(row) for row in conn.execute(query)]


def record(conn: Connection, *, bundle_id: str, to: Iterable[str], vector: Vector, events: int,
           path: str, folder: str | None) -> None:
    to = sorted(to)
    if folder is None:  # a newer bundle to the same devices carries all an older one did
        for old in items(conn, pending_only=True):
            if old.folder is None and sorted(old.to) == to:
                conn.execute(delete(OUTBOX).where(OUTBOX.c.bundle_id == old.bundle_id))
    conn.execute(insert(OUTBOX).values(
        bundle_id=bundle_id, to_devices=json.dumps(to), vector=vectors.dumps(vector),
        events=events, path=path, folder=folder, created_at=utcnow(), acked_at=None))


def remove(conn: Connection, bundle_id: str) -> None:
    conn.execute(delete(OUTBOX).where(OUTBOX.c.bundle_id == bundle_id))


def is_acknowledged(conn: Connection, item: OutboxItem) -> bool:
    return all(vectors.dominates(peer_state(conn, d).acked, item.vector) for d in item.to)


def apply_acks(conn: Connection, peer_id: str) -> int:
    """Mark what ``peer_id`` (with the others addressed) has now acknowledged. Entries outside a
    sync folder are then dropped; a sync folder pass removes its own files and entries."""
    n = 0
    for item in items(conn, pending_only=True):
        if peer_id in item.to and is_acknowledged(conn, item):
            n += 1
            if item.folder is None:
                remove(conn, item.bundle_id)
            else:
                conn.execute(update(OUTBOX).where(OUTBOX.c.bundle_id == item.bundle_id)
                             .values(acked_at=utcnow()))
    return n
