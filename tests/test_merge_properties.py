"""The projection is a pure function of the set of events (DESIGN §4), checked with hypothesis:
any order, any duplicates, same dump; concurrent edits merge the same way everywhere and keep
the loser as a conflict."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jsd_desk.domain.clock import now_ms
from jsd_desk.services.workspace import Workspace
from jsd_desk.store.dump import dump_data, dump_text
from jsd_desk.store.projection import Projector, clear
from jsd_desk.store.verify import rebuild
from tests.replicas import copy_events, events_of, introduce

THEMES = ["vol", "drogue", "circulation", "foncier", "VSBG", "racket", "sécurité"]
RECORDS = 3

# One step: (device index, record index, action, value index, clock skew in seconds)
steps = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, RECORDS - 1),
              st.sampled_from(["theme", "description", "delete", "undelete", "sync"]),
              st.integers(0, len(THEMES) - 1), st.integers(-3600, 3600)),
    min_size=1, max_size=25)


def _replicas(make_workspace: Callable[..., Workspace], skew: dict[str, int]) -> list[Workspace]:
    out = []
    for name in ("ana", "bako", "chaibou"):
        out.append(make_workspace(name, clock=lambda n=name: now_ms() + skew[n]))
    for a in out:
        for b in out:
            if a is not b:
                introduce(a, b)
    return out


def _run(replicas: list[Workspace], skew: dict[str, int],
         plan: list[tuple[int, int, str, int, int]]) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(RECORDS)]
    names = ["ana", "bako", "chaibou"]
    for device, rec, action, value, skew_s in plan:
        ws = replicas[device]
        skew[names[device]] = skew_s * 1000
        rid = ids[rec]
        with ws.store.transaction() as tx:
            current = tx.get("concern", rid)
            if action in ("theme", "description"):
                fields = {action: f"{THEMES[value]} {device}"}
                if current is None:
                    fields.setdefault("description", "x")
                    tx.create("concern", {"session_id": ids[0], **fields}, record_id=rid)
                else:
                    tx.put("concern", rid, fields)
            elif action == "delete" and current is not None:
                tx.delete("concern", rid)
            elif action == "undelete" and current is not None:
                tx.undelete("concern", rid)
        if action == "sync":
            other = replicas[value % len(replicas)]
            if other is not ws:
                copy_events(other, events_of(ws))
    return ids


@settings(deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=steps, seed=st.integers(0, 2**32 - 1))
def test_any_order_with_duplicates_gives_the_same_dump(make_workspace, plan, seed) -> None:  # type: ignore[no-untyped-def]
    # The replicas are made once and reused by every example (each example works on fresh
    # record ids and compares only its own events): an init costs an Argon2id derivation.
    cached = getattr(make_workspace, "cached", None)
    if cached is None:
        skew = {"ana": 0, "bako": 0, "chaibou": 0}
        cached = (_replicas(make_workspace, skew), skew)
        make_workspace.cached = cached
    replicas, skew = cached
    ids = set(_run(replicas, skew, plan))
    every = {(e.device_id, e.seq): e for ws in replicas for e in events_of(ws)
             if e.entity_id in ids}
    events = list(every.values())
    rng = random.Random(seed)
    target = replicas[0]
    dumps = set()
    for _round in range(3):
        shuffled = events + rng.sample(events, k=min(len(events), 5))  # with duplicates
        rng.shuffle(shuffled)
        with target.store.engine.begin() as conn:
            clear(conn)
            projector = Projector(conn)
            for ev in shuffled:
                projector.apply(ev)
            dumps.add(dump_text(conn))
    assert len(dumps) == 1
    # And full exchange makes every replica converge on that very dump.
    for ws in replicas:
        copy_events(ws, events)
    finals = set()
    for ws in replicas:
        with ws.store.engine.begin() as conn:
            rebuild(conn)
            data = dump_data(conn)
        finals.add(json.dumps(_only(data, ids), sort_keys=True))
    with target.store.engine.begin() as conn:
        clear(conn)
        projector = Projector(conn)
        for ev in events:
            projector.apply(ev)
        expected = json.dumps(_only(dump_data(conn), ids), sort_keys=True)
        rebuild(conn)
    assert finals == {expected}


def _only(data: dict, ids: set[str]) -> dict:  # type: ignore[type-arg]
    """The part of a dump about the given records."""
    return {"records": {k: [r for r in v if r["id"] in ids] for k, v in data["records"].items()},
            "conflicts": [c for c in data["conflicts"] if c["entity_id"] in ids]}


def test_concurrent_edits_keep_the_loser_as_a_conflict(make_workspace) -> None:  # type: ignore[no-untyped-def]
    clocks = {"a": now_ms() + 60_000, "b": now_ms() + 60_000}
    a = make_workspace("a", clock=lambda: clocks["a"])
    b = make_workspace("b", clock=lambda: clocks["b"])
    introduce(a, b)
    introduce(b, a)
    rid = str(uuid.uuid4())
    with a.store.transaction() as tx:
        tx.create("concern", {"session_id": rid, "description": "Vols de motos"}, record_id=rid)
    copy_events(b, events_of(a))
    clocks["a"] += 1000
    clocks["b"] += 2000  # b edits later: b wins everywhere
    with a.store.transaction() as tx:
        tx.put("concern", rid, {"description": "Vols de motos la nuit"})
    with b.store.transaction() as tx:
        tx.put("concern", rid, {"description": "Vols de motos au marché"})
    copy_events(a, events_of(b))
    copy_events(b, events_of(a))
    with a.store.engine.connect() as ca, b.store.engine.connect() as cb:
        da, db = dump_data(ca), dump_data(cb)
    assert da == db
    [concern] = [c for c in da["records"]["concern"] if c["id"] == rid]
    assert concern["description"] == "Vols de motos au marché"
    [conflict] = da["conflicts"]
    assert conflict["field"] == "description"
    assert sorted(h["value"] for h in conflict["heads"]) == ["Vols de motos au marché",
                                                            "Vols de motos la nuit"]
    # Choosing a value is itself an edit that supersedes both heads: the conflict is gone.
    with a.store.transaction() as tx:
        tx.put("concern", rid, {"description": "Vols de motos la nuit"})
    copy_events(b, events_of(a))
    with a.store.engine.connect() as ca, b.store.engine.connect() as cb:
        assert dump_data(ca)["conflicts"] == [] == dump_data(cb)["conflicts"]
        assert dump_text(ca) == dump_text(cb)


def test_sequential_edits_across_devices_are_not_conflicts(make_workspace) -> None:  # type: ignore[no-untyped-def]
    a, b = make_workspace("a"), make_workspace("b")
    introduce(a, b)
    introduce(b, a)
    rid = str(uuid.uuid4())
    with a.store.transaction() as tx:
        tx.create("concern", {"session_id": rid, "description": "v1"}, record_id=rid)
    copy_events(b, events_of(a))
    with b.store.transaction() as tx:
        tx.put("concern", rid, {"description": "v2"})
    copy_events(a, events_of(b))
    with a.store.transaction() as tx:
        tx.put("concern", rid, {"description": "v3"})
    # A third store receiving the events newest first still sees a line, not a conflict.
    c = make_workspace("c")
    introduce(c, a)
    introduce(c, b)
    copy_events(c, list(reversed(events_of(a))))
    with c.store.engine.connect() as conn:
        data = dump_data(conn)
    assert data["conflicts"] == []
    assert [x["description"] for x in data["records"]["concern"] if x["id"] == rid] == ["v3"]


def test_delete_against_concurrent_edit_and_undelete(make_workspace) -> None:  # type: ignore[no-untyped-def]
    clocks = {"a": now_ms() + 60_000, "b": now_ms() + 60_000}
    a = make_workspace("a", clock=lambda: clocks["a"])
    b = make_workspace("b", clock=lambda: clocks["b"])
    introduce(a, b)
    introduce(b, a)
    rid = str(uuid.uuid4())
    with a.store.transaction() as tx:
        tx.create("concern", {"session_id": rid, "description": "d"}, record_id=rid)
    copy_events(b, events_of(a))
    clocks["a"] += 5000
    clocks["b"] += 1000
    with a.store.transaction() as tx:
        tx.delete("concern", rid)  # later: the delete wins
    with b.store.transaction() as tx:
        tx.put("concern", rid, {"theme": "edited meanwhile"})
    copy_events(a, events_of(b))
    copy_events(b, events_of(a))
    for ws in (a, b):
        with ws.store.transaction() as tx:
            rec = tx.get("concern", rid)
            assert rec is not None and rec["deleted"] is True
            assert rec["theme"] == "edited meanwhile"  # the edit is kept under the tombstone
    clocks["b"] += 10_000
    with b.store.transaction() as tx:
        tx.undelete("concern", rid)
    copy_events(a, events_of(b))
    with a.store.engine.connect() as ca, b.store.engine.connect() as cb:
        assert dump_text(ca) == dump_text(cb)
        assert [x["theme"] for x in dump_data(ca)["records"]["concern"] if x["id"] == rid] == [
            "edited meanwhile"]
