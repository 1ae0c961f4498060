"""The batched projection (import, rebuild) leaves exactly what the per-event one leaves: the
records, the merge state, the replaced stamps, the search index and the conflicts kept, for any
order, duplicates and batch boundaries (hypothesis, on the replicas of the merge properties);
and the conflicts kept (``field_conflict``) are always those ``field_write`` makes."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, func, select

from jsd_desk.store.batch_projection import BatchProjector
from jsd_desk.store.eventlog import SignedEvent
from jsd_desk.store.projection import FB, FC, FW, SEARCH, Projector, clear
from tests.replicas import events_of
from tests.test_merge_properties import _replicas, _run, steps


def _tables(conn: Connection) -> dict[str, Any]:
    from jsd_desk.store.dump import dump_text

    return {
        "dump": dump_text(conn),
        "fw": sorted(tuple(r) for r in conn.execute(select(FW))),
        "fb": sorted(tuple(r) for r in conn.execute(select(FB))),
        "search": sorted((r.entity, r.entity_id, r.body) for r in conn.execute(select(SEARCH))),
        "fc": kept_conflicts(conn),
    }


def kept_conflicts(conn: Connection) -> list[tuple[str, str, str]]:
    return sorted(tuple(r) for r in conn.execute(select(FC.c.entity, FC.c.entity_id, FC.c.field)))


def conflicts_by_group_by(conn: Connection) -> list[tuple[str, str, str]]:
    """The oracle: the conflicts as ``dump.conflicts`` found them before ``field_conflict`` was
    kept — the fields written more than once, then those whose heads hold two distinct values
    (COUNT(DISTINCT), NULLs not counted)."""
    written_twice = (select(FW.c.entity, FW.c.entity_id, FW.c.field)
                     .group_by(FW.c.entity, FW.c.entity_id, FW.c.field)
                     .having(func.count() > 1)).subquery()
    rows = conn.execute(
        select(FW.c.entity, FW.c.entity_id, FW.c.field, FW.c.stamp, FW.c.value)
        .join(written_twice, (FW.c.entity == written_twice.c.entity)
              & (FW.c.entity_id == written_twice.c.entity_id) & (FW.c.field == written_twice.c.field))
        .where(FW.c.superseded.is_(False)))
    grouped: dict[tuple[str, str, str], set[str]] = {}
    for entity, eid, field, _stamp, value in rows:
        values = grouped.setdefault((entity, eid, field), set())
        if value is not None:
            values.add(value)
    return sorted(key for key, values in grouped.items() if len(values) > 1)


def _mixed(conn: Connection, events: Sequence[SignedEvent], rng: random.Random) -> None:
    """Runs of events through either path, in turn at random: one event at a time, or a batch."""
    one, batch = Projector(conn), BatchProjector(conn)
    i = 0
    while i < len(events):
        n = rng.randint(1, 6)
        if rng.random() < 0.5:
            for ev in events[i:i + n]:
                one.apply(ev)
        else:
            batch.apply(events[i:i + n])
        i += n
        assert kept_conflicts(conn) == conflicts_by_group_by(conn)


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
        assert expected["fc"] == conflicts_by_group_by(conn)
        clear(conn)
        _batched(conn, shuffled, rng)
        assert _tables(conn) == expected
        clear(conn)
        assert kept_conflicts(conn) == []
        _mixed(conn, shuffled, rng)
        assert _tables(conn) == expected
        outer.rollback()
