"""The edit of a stored record (``Tx.put``): its one read of the record, the writes it merges
against and the feed's head gives the projection a rebuild from the events gives, and the feed
chains whoever wrote last."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from jsd_desk.domain.clock import now_ms
from jsd_desk.services.workspace import open_workspace
from jsd_desk.store import models
from jsd_desk.store.dump import dump_data
from jsd_desk.store.eventlog import GENESIS
from jsd_desk.store.verify import rebuild
from jsd_desk.store.writer import Store, load_events
from tests.conftest import PASSPHRASE
from tests.replicas import copy_events, events_of, introduce

FEED = models.tbl(models.Feed)


def test_a_local_edit_under_a_later_superseded_write_does_not_win(make_workspace) -> None:  # type: ignore[no-untyped-def]
    """The latest write of a field wins even once superseded (by a write with an earlier
    stamp, from a device whose clock was behind): a local edit stamped between the two must
    not win, though it is later than every head. Reading only the heads would let it."""
    t = now_ms()
    clocks = {"a": t, "b": t + 50_000, "c": t + 30_000}
    a, b, c = (make_workspace(n, clock=lambda n=n: clocks[n]) for n in ("a", "b", "c"))
    for x in (a, b, c):
        for y in (a, b, c):
            if x is not y:
                introduce(x, y)
    rid = str(uuid.uuid4())
    with a.store.transaction() as tx:
        tx.create("concern", {"session_id": rid, "description": "Vols", "theme": "t0"},
                  record_id=rid)
    copy_events(b, events_of(a))
    with b.store.transaction() as tx:
        late = tx.put("concern", rid, {"theme": "b, latest"})
    assert late is not None
    copy_events(c, events_of(a))
    with c.store.transaction() as tx:  # c replaces b's write, with a stamp before it
        early = tx.append_upsert("concern", rid, {"theme": "c, replaces b"},
                                 {"theme": [late.stamp]})
    assert early.stamp < late.stamp
    # a receives both without its clock moving (stored and applied, not observed).
    with a.store.transaction() as tx:
        tx.store_events([late, early])
        tx.apply(late)
        tx.apply(early)
    clocks["a"] = t + 40_000  # after every head (c's), before b's superseded write
    with a.store.transaction() as tx:
        mine = tx.put("concern", rid, {"theme": "a, between"})
    assert mine is not None and early.stamp < mine.stamp < late.stamp
    with a.store.engine.begin() as conn:
        edited = dump_data(conn)
        rebuild(conn)
        rebuilt = dump_data(conn)
    [concern] = [r for r in edited["records"]["concern"] if r["id"] == rid]
    assert concern["theme"] == "b, latest"
    assert edited == rebuilt


def test_many_edits_of_a_record_project_as_a_rebuild(make_workspace) -> None:  # type: ignore[no-untyped-def]
    """Edits over a long history (superseded writes, a conflict, deletes) leave the tables as
    the events replayed would."""
    t = now_ms()
    clocks = {"a": t, "b": t}
    a = make_workspace("a", clock=lambda: clocks["a"])
    b = make_workspace("b", clock=lambda: clocks["b"])
    introduce(a, b)
    introduce(b, a)
    rid = str(uuid.uuid4())
    with a.store.transaction() as tx:
        tx.create("concern", {"session_id": rid, "description": "Vols"}, record_id=rid)
    copy_events(b, events_of(a))
    for n in range(12):
        clocks["a"] += 1000
        clocks["b"] += 1000
        with a.store.transaction() as tx:
            tx.put("concern", rid, {"description": f"a {n}", "theme": f"theme {n % 3}"})
        if n % 4 == 1:
            with b.store.transaction() as tx:  # concurrent with a's: a conflict
                tx.put("concern", rid, {"description": f"b {n}"})
            copy_events(a, events_of(b))
        if n == 7:
            with a.store.transaction() as tx:
                tx.delete("concern", rid)
            with a.store.transaction() as tx:
                tx.undelete("concern", rid)
    with a.store.engine.begin() as conn:
        edited = dump_data(conn)
        rebuild(conn)
        assert dump_data(conn) == edited


def test_two_stores_on_one_file_chain_one_feed(make_workspace) -> None:  # type: ignore[no-untyped-def]
    """A second window (its own engine) and a second ``Store`` over one engine, editing in
    turn with the first: each transaction continues the feed where the last one left it."""
    ws = make_workspace("alpha")
    window = open_workspace(ws.data_dir.root, PASSPHRASE)
    same_engine = Store(ws.store.engine, ws.keys, clock=ws.store.now_ms)
    try:
        with ws.store.transaction() as tx:
            rid = tx.create("concern", {"session_id": str(uuid.uuid4()), "description": "x"})
        for n in range(9):
            store = (ws.store, window.store, same_engine)[n % 3]
            with store.transaction() as tx:
                assert tx.put("concern", rid, {"description": f"edit {n}"}) is not None
    finally:
        window.close()
    device = ws.keys.info.device_id
    with ws.store.engine.connect() as conn:
        events = [e for e in load_events(conn) if e.device_id == device]
        feed = conn.execute(select(FEED.c.last_seq, FEED.c.last_hash)
                            .where(FEED.c.device_id == device)).one()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.prev_hash for e in events] == [GENESIS, *(e.hash for e in events[:-1])]
    assert tuple(feed) == (events[-1].seq, events[-1].hash)
    hlcs = [e.hlc for e in events]
    assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)


def test_an_edit_of_one_field_is_nine_statements_and_its_commit(make_workspace) -> None:  # type: ignore[no-untyped-def]
    """What an autosave costs the database, counted (not timed): one read (the record, the
    writes it merges against, the feed head, the clock), the field write, the base it replaced
    and its superseding, the record's row, its search entry, the event, the clock, the feed."""
    ws = make_workspace("alpha")
    with ws.store.transaction() as tx:
        rid = tx.create("session", {"platform_id": str(uuid.uuid4()), "kind": "workshop",
                                    "title": "Atelier", "starts_at": "2026-02-01T09:00:00",
                                    "status": "draft", "minutes": "Ouverture."})
    statements: list[str] = []
    with ws.store.transaction() as tx:
        driver = tx.local_conn.connection.dbapi_connection
        driver.set_trace_callback(statements.append)  # type: ignore[union-attr]
        tx.put("session", rid, {"minutes": "Séance ouverte à 9 h."})
    driver.set_trace_callback(None)  # type: ignore[union-attr]
    # A trigger's steps are traced with the text of the statement that fired them, or as
    # "-- …" comments: each statement is counted once.
    traced = [s for s in statements if not s.startswith("--")]
    top = [s for n, s in enumerate(traced) if n == 0 or s != traced[n - 1]]
    assert [s.split()[0] for s in top] == [
        "SELECT", "INSERT", "INSERT", "UPDATE", "UPDATE", "UPDATE", "INSERT", "INSERT", "INSERT",
        "COMMIT"], top
