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
from jsd_desk.store.projection import edit_state_params
from jsd_desk.store.verify import rebuild
from jsd_desk.store.writer import Store, _record_columns, _stored_sql, load_events
from tests.conftest import PASSPHRASE
from tests.replicas import copy_events, events_of, introduce

FEED = models.tbl(models.Feed)
STATE = models.tbl(models.LocalState)


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


def test_an_edit_of_one_field_is_eight_statements_and_its_commit(make_workspace) -> None:  # type: ignore[no-untyped-def]
    """What an autosave costs the database, counted (not timed): one read (the record, the
    writes it merges against, the feed head, the clock), the field write, the base it replaced
    and its superseding, the record's row, its search entry, the event, the feed. The clock
    is the event's own stamp: not written again beside it."""
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
        "SELECT", "INSERT", "INSERT", "UPDATE", "UPDATE", "UPDATE", "INSERT", "INSERT",
        "COMMIT"], top
    assert not any(t.split()[0] != "SELECT" and '"local_state"' in t for t in top), top


def test_the_edit_read_does_not_grow_with_the_record_history(make_workspace) -> None:  # type: ignore[no-untyped-def]
    """An autosave reads the heads through ``ix_field_write_head`` and each latest write by one
    seek: no step of its read visits every write the record ever had (it did, so the 2,000th
    autosave of a session's minutes read 2,000 writes). Checked on SQLite's own plan, after a
    history long enough for the planner to see it."""
    ws = make_workspace("alpha")
    with ws.store.transaction() as tx:
        rid = tx.create("session", {"platform_id": str(uuid.uuid4()), "kind": "workshop",
                                    "title": "Atelier", "starts_at": "2026-02-01T09:00:00",
                                    "status": "draft", "minutes": "Ouverture."})
    for n in range(60):
        with ws.store.transaction() as tx:
            tx.put("session", rid, {"minutes": f"Autosave {n}", "venue": f"Salle {n % 3}"})
    fields = ("minutes", "venue")
    sql = _stored_sql("session", _record_columns("session"), fields, True)
    params = (rid, *edit_state_params("session", rid, fields), *(ws.keys.info.device_id,) * 3)
    with ws.store.engine.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
        rows = conn.exec_driver_sql(sql, params).fetchall()
    writes = [p for p in plan if "field_write" in p]
    assert writes and all(p.startswith("SEARCH") for p in writes), plan
    assert any("ix_field_write_head (entity_id=? AND field=?)" in p for p in writes)
    assert not any("TEMP B-TREE" in p for p in plan), plan
    # What it found: one head per field (the last autosave), and the row.
    heads = sorted((r[1], r[4]) for r in rows if r[0] == 1)
    assert heads == [("minutes", '"Autosave 59"'), ("venue", '"Salle 2"')]


def test_the_clock_is_kept_by_the_last_event_and_written_only_when_received(
        make_workspace) -> None:  # type: ignore[no-untyped-def]
    """Local edits leave the kept clock (``local_state``) behind: the stamp of the device's last
    event carries it, and a store opened again continues after that stamp. A clock moved by a
    received stamp, with no event of this device after it, is written."""
    t = now_ms()
    clocks = {"a": t, "b": t + 20_000}
    a = make_workspace("a", clock=lambda: clocks["a"])
    b = make_workspace("b", clock=lambda: clocks["b"])
    introduce(a, b)
    with a.store.transaction() as tx:
        rid = tx.create("concern", {"session_id": str(uuid.uuid4()), "description": "x"})
    for n in range(3):
        with a.store.transaction() as tx:
            tx.put("concern", rid, {"description": f"edit {n}"})
    with a.store.engine.connect() as conn:
        kept = conn.execute(select(STATE.c.value).where(STATE.c.key == "hlc")).scalar()
        last = max(e.hlc for e in load_events(conn) if e.device_id == a.keys.info.device_id)
    assert kept is None or kept < last
    # Reopened with its wall clock gone back an hour (a flat battery): stamps still go on.
    clocks["a"] = t - 3_600_000
    again = open_workspace(a.data_dir.root, PASSPHRASE, clock=lambda: clocks["a"])
    try:
        with again.store.transaction() as tx:
            ev = tx.put("concern", rid, {"description": "after reopening"})
        assert ev is not None and ev.hlc > last
    finally:
        again.close()
    # b's stamp, 20 s ahead, is observed by a: the clock moves with no event of a's, so it is
    # written, and a's next event comes after b's.
    with b.store.transaction() as tx:
        theirs = tx.create("concern", {"session_id": str(uuid.uuid4()), "description": "b"})
    copy_events(a, events_of(b))
    with a.store.engine.connect() as conn:
        kept = conn.execute(select(STATE.c.value).where(STATE.c.key == "hlc")).scalar()
    [b_event] = [e for e in events_of(b) if e.entity_id == theirs]
    assert kept is not None and kept >= b_event.hlc
    with a.store.transaction() as tx:
        mine = tx.put("concern", rid, {"description": "after b"})
    assert mine is not None and mine.hlc > b_event.hlc


def test_the_kept_connection_is_reused_after_a_commit_and_dropped_after_a_failure(
        make_workspace) -> None:  # type: ignore[no-untyped-def]
    """Write transactions share one kept connection (no pool checkout per edit); one that
    fails gives its connection back to the pool, whose reset rolls back what it held, and the
    next transaction starts clean on another."""
    ws = make_workspace("alpha")
    store = ws.store
    with store.transaction() as tx:
        rid = tx.create("concern", {"session_id": str(uuid.uuid4()), "description": "x"})
    kept = store._spare
    assert kept is not None
    with store.transaction() as tx:
        tx.put("concern", rid, {"description": "kept"})
    assert store._spare is kept
    try:
        with store.transaction() as tx:
            tx.put("concern", rid, {"description": "lost"})
            raise RuntimeError("a failure half-way")
    except RuntimeError:
        pass
    assert store._spare is None and kept.closed
    with store.transaction() as tx:
        assert tx.get("concern", rid)["description"] == "kept"
        tx.put("concern", rid, {"description": "after"})
    with store.reading() as session:
        [row] = session.execute(select(models.Concern.description)
                                .where(models.Concern.id == rid)).all()
    assert row.description == "after"
    assert [e.fields.get("description") for e in events_of(ws)
            if e.entity == "concern"] == ["x", "kept", "after"]


def test_an_autosave_compiles_no_statement_once_the_connection_is_warm(make_workspace) -> None:  # type: ignore[no-untyped-def]
    """The kept connection's statement cache holds the write path's statements: after a first
    edit, autosaves prepare nothing, even on a connection that has run many other statements
    (the driver's default cache, full by then, compiled the edit's read anew in every
    transaction). SQLite calls the authorizer only while it prepares a statement: counted."""
    ws = make_workspace("alpha")
    with ws.store.transaction() as tx:
        rids = [tx.create("session", {"platform_id": str(uuid.uuid4()), "kind": "workshop",
                                      "title": f"Atelier {n}", "starts_at": "2026-02-01T09:00:00",
                                      "status": "draft", "minutes": "Ouverture."})
                for n in range(3)]
        driver = tx.local_conn.connection.dbapi_connection
    prepared: list[tuple[object, ...]] = []

    def authorizer(action: int, *args: object) -> int:
        # The driver compiles its COMMIT afresh each time, outside its cache (a transaction
        # statement, microseconds): not counted.
        if action != 22:  # SQLITE_TRANSACTION
            prepared.append((action, *args))
        return 0  # SQLITE_OK

    driver.set_authorizer(authorizer)  # type: ignore[union-attr]
    try:
        # What a day of screens runs on the connection besides the edits: 300 other reads.
        with ws.store.transaction() as tx:
            for n in range(300):
                for _twice in range(2):
                    tx.local_conn.exec_driver_sql(f"SELECT count(*) + {n} FROM session").all()
        with ws.store.transaction() as tx:
            assert tx.local_conn.connection.dbapi_connection is driver
            tx.put("session", rids[0], {"minutes": "Premier enregistrement."})
        assert prepared  # the first edit compiled its statements
        prepared.clear()
        for n in range(10):
            with ws.store.transaction() as tx:
                tx.put("session", rids[n % 3], {"minutes": f"Enregistrement automatique {n}."})
        assert prepared == []
    finally:
        driver.set_authorizer(None)  # type: ignore[union-attr]
