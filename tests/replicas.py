"""Test helpers: move events between real stores the way an import would, without bundles.

The sync capability has its own bundle format and checks; these helpers only copy signed
events (store + apply in one transaction), so the foundation's merge can be tested on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import insert, select

from jsd_desk.services.workspace import Workspace
from jsd_desk.store import models
from jsd_desk.store.eventlog import SignedEvent
from jsd_desk.store.writer import load_events

EVENT = models.tbl(models.Event)
DEVICE = models.tbl(models.Device)


def events_of(ws: Workspace) -> list[SignedEvent]:
    with ws.store.engine.connect() as conn:
        return list(load_events(conn))


def introduce(target: Workspace, source: Workspace) -> None:
    info = source.keys.info
    with target.store.engine.begin() as conn:
        if conn.execute(select(DEVICE.c.device_id).where(DEVICE.c.device_id == info.device_id)).first():
            return
        conn.execute(insert(DEVICE).values(
            device_id=info.device_id, name=info.name, role=info.role, short_code=info.short_code,
            sign_public=info.sign_public, age_recipient=info.age_recipient, trusted=True,
            is_self=False, introduced_by=None, added_at=dt.datetime(2026, 1, 1)))


def copy_events(target: Workspace, events: Iterable[SignedEvent]) -> int:
    """Store and apply the events the target lacks; returns how many were new."""
    new = 0
    with target.store.transaction() as tx:
        for ev in events:
            known = tx.conn.execute(select(EVENT.c.hash).where(
                EVENT.c.device_id == ev.device_id, EVENT.c.seq == ev.seq)).scalar_one_or_none()
            if known is not None:
                assert known == ev.hash, "fork"
                continue
            tx.store_event(ev)
            tx.apply(ev)
            tx.observe_clock(ev.hlc)
            new += 1
    return new
