"""The batched projection (import, rebuild) leaves exactly what the per-event one leaves: the
records, the merge state, the replaced stamps and the search index, for any order, duplicates
and batch boundaries (hypothesis, on the replicas of the merge properties)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, select

from jsd_desk.store.batch_projection import BatchProjector
from jsd_desk.store.eventlog import SignedEvent
from jsd_desk.store.projection import FB, FW, SEARCH, Projector, clear
from tests.replicas import events_of
from tests.test_merge_properties import _replicas, _run, steps


def _tables(conn: Connection) -> dict[str, Any]:
    from jsd_desk.store.dump import dump_text

    return {
        "dump": dump_text(conn),
        "fw": sorted(tuple(r) for r in conn.execute(select(FW))),
        "fb": sorted(tuple(r) for r in conn.execute(select(FB))),
        "search": sorted((r.entity, r.entity_id, r.body) for r in conn.execute(select(SEARCH))),
    }


def _batched(conn: Connection, events: Sequence[SignedEvent], sizes: random.Random) -> None:
    projector = BatchProjector(conn)
    i = 0
    while i < len(events):
        n = sizes.randint(1, 8)
        projector.apply(events[i:i + n])
        i += n


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=steps, seed=st.integers(0, 2**32 - 1))
def test_batches_leave_what_event_by_event_leaves(make_workspace, plan, seed) -> None:  # type: ignore[no-untyped-def]
    cached = getattr(make_workspace, "cached", None)
    if cached is None:
        skew = {"ana": 0, "bako": 0, "chaibou": 0}
        cached = (_replicas(make_workspace, skew), skew)
        make_workspace.cached = cached
    replicas, skew = cached
    ids = set(_run(replicas, skew, plan))
    every = {(e.device_id, e.seq): e for ws in replicas for e in events_of(ws)
             if e.entity_id in ids}
    rng = random.Random(seed)
    events = list(every.values())
    shuffled = events + rng.sample(events, k=min(len(events), 5))  # with duplicates
    rng.shuffle(shuffled)
    target = replicas[0]
    with target.store.engine.connect() as conn, conn.begin() as outer:
        clear(conn)
        projector = Projector(conn)
        for ev in shuffled:
            projector.apply(ev)
        expected = _tables(conn)
        clear(conn)
        _batched(conn, shuffled, rng)
        assert _tables(conn) == expected
        outer.rollback()
