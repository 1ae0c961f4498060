"""An import applies the usual bundle while it is still being verified (store.streaming): for
any events received, in any order and chunks, the streaming either gives up and leaves nothing
behind, or leaves the store exactly as the two passes of ``ingest`` do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, select

from jsd_desk.domain.clock import Hlc
from jsd_desk.domain.errors import InputRefused
from jsd_desk.services import sync
from jsd_desk.services.search import search
from jsd_desk.store import ingest as ingest_module
from jsd_desk.store import models, streaming
from jsd_desk.store.dump import dump_text
from jsd_desk.store.eventlog import SignedEvent, make_event
from jsd_desk.store.ingest import MAX_AHEAD_MS, IngestResult, Meta, ingest
from jsd_desk.store.verify import verify_store
from jsd_desk.store.writer import load_events
from jsd_desk.sync.importer import ImportReport
from tests.sync_support import MakeWorkspace, add_concern, dump, edit, introduce, receive, send


class Listed:
    """Received events held in a list: the ``ingest.Incoming`` a bundle's first pass makes."""

    def __init__(self, events: list[SignedEvent]) -> None:
        self._events = events
        self.feeds: dict[str, dict[int, Meta]] = {}
        self.twins: tuple[int, int] | None = None
        for n, ev in enumerate(events, 1):
            feed = self.feeds.setdefault(ev.device_id, {})
            twin = feed.get(ev.seq)
            if twin is None:
                feed[ev.seq] = Meta(n, ev.hash, ev.prev_hash, Hlc.decode(ev.hlc).wall_ms)
            elif twin.hash != ev.hash and self.twins is None:
                self.twins = (twin.line, n)

    def event(self, line: int) -> SignedEvent:
        return self._events[line - 1]

    def events(self, lines: Collection[int]) -> Iterator[tuple[int, SignedEvent]]:
        for n in sorted(set(lines)):
            yield n, self._events[n - 1]

    def checked(self) -> None:
        self.feeds = {}


def snapshot(conn: Connection) -> dict[str, Any]:
    """Everything an import writes, but the search index's row ids (an order of insertion)."""
    def rows(model: Any, *columns: str) -> list[tuple[Any, ...]]:
        table = models.tbl(model)
        return sorted(tuple(r) for r in conn.execute(select(*(table.c[c] for c in columns))))

    # FTS5 checks its index against search_doc's content: raises if they disagree.
    conn.exec_driver_sql("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
    return {
        "events": rows(models.Event, "device_id", "seq", "hash", "body"),
        "feeds": rows(models.Feed, "device_id", "last_seq", "last_hash"),
        "held": rows(models.HeldEvent, "device_id", "seq", "hash", "reason"),
        "writes": rows(models.FieldWrite, "entity", "entity_id", "field", "stamp", "value",
                       "superseded", "device_id", "seq"),
        "bases": rows(models.FieldBase, "entity", "entity_id", "field", "stamp"),
        "search": rows(models.SearchDoc, "entity", "entity_id", "body"),
        "dump": dump_text(conn),
    }


def counts(result: IngestResult) -> tuple[Any, ...]:
    return (result.new, result.known, result.held, result.released, result.conflicts,
            result.future, result.gaps, [(e.device_id, e.seq) for e in result.applied],
            [(e.device_id, e.seq) for e in result.kept])


class _Undo(Exception):
    """Raised to roll an example's transaction back."""


@pytest.fixture
def histories(make_workspace: MakeWorkspace) -> tuple[Any, list[SignedEvent]]:
    """A receiver (which wrote events of its own) and the events of two other devices — edits,
    deletions, a record both edit, and a forged twin of one event — to receive in any way."""
    a, c, b = make_workspace("ana"), make_workspace("chaibou"), make_workspace("bako")
    introduce(a, b, c)
    ids = [add_concern(a, f"Éclairage du marché {i}") for i in range(5)]
    edit(a, ids[0], theme="sécurité")
    edit(a, ids[1], description="Routes coupées à la saison des pluies")
    with a.store.transaction() as tx:
        tx.delete("concern", ids[2])
    shared = add_concern(c, "Patrouilles de nuit", record_id=ids[3])  # the same record, twice
    edit(c, shared, theme="patrouille")
    add_concern(c, "Vols de bétail")
    add_concern(b, "Eau potable au quartier")
    events: list[SignedEvent] = []
    for ws in (a, c, b):
        with ws.store.engine.connect() as conn:
            events += [ev for ev in load_events(conn) if ev.device_id == ws.keys.info.device_id]
    first = next(ev for ev in events if ev.device_id == a.keys.info.device_id and ev.seq == 2)
    events.append(make_event(a.keys, seq=2, prev_hash=first.prev_hash, hlc=first.hlc,
                             entity="concern", entity_id=ids[4], op="upsert",
                             fields={"theme": "falsifié"}, base={}))
    return b, events


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow])
@given(data=st.data())
def test_streaming_gives_up_or_ends_as_the_two_passes(
        histories: tuple[Any, list[SignedEvent]], data: st.DataObject,
        monkeypatch: pytest.MonkeyPatch) -> None:
    b, pool = histories
    monkeypatch.setattr(streaming, "STORE_BATCH", 3)  # several batches in a few events
    monkeypatch.setattr(ingest_module, "STORE_BATCH", 3)
    genuine = pool[:-1]
    indexes = st.integers(0, len(pool) - 1)
    # What the receiver holds first: the start of each feed, and now and then a few events
    # more, which may wait aside (after a gap).
    feeds = sorted({ev.device_id for ev in genuine})
    starts = {d: data.draw(st.integers(0, 4), label=f"start of {d[:4]}") for d in feeds}
    held = [i for i, ev in enumerate(genuine) if ev.seq <= starts[ev.device_id]]
    if not data.draw(st.integers(0, 3), label="more than the starts"):
        held += data.draw(st.lists(st.integers(0, len(genuine) - 1), max_size=3), label="more")
    if data.draw(st.integers(0, 3), label="a bundle's order"):  # mostly, as bundles are
        # Each feed from some point to some later one, in order; now and then one more event
        # (a repeat, the forged twin) somewhere.
        received = []
        for d in data.draw(st.permutations(feeds), label="feeds"):
            feed = [ev for ev in genuine if ev.device_id == d]
            # From where the receiver stands, as an export to it starts, or anywhere.
            lo = data.draw(st.sampled_from([starts[d]] * 3 + list(range(len(feed) + 1))),
                           label=f"from {d[:4]}")
            received += feed[lo:data.draw(st.integers(lo, len(feed)), label=f"to {d[:4]}")]
        for _ in range(data.draw(st.sampled_from([0, 0, 0, 1, 2]), label="strays")):
            stray = data.draw(st.sampled_from([len(pool) - 1] * 3 + list(range(len(pool)))),
                              label="stray (the forged twin, often)")
            received.insert(data.draw(st.integers(0, len(received)), label="at"), pool[stray])
    else:
        received = [pool[i] for i in data.draw(st.lists(indexes, max_size=len(pool) + 4),
                                               label="received")]
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(received))), max_size=4),
                            label="chunk ends"))
    # Now, or two days ago (every event then stamped too far ahead: held, not applied).
    now_ms = b.store.now_ms() - data.draw(st.sampled_from([0, 2 * 86_400_000]), label="behind")

    def prepare(tx: Any) -> dict[str, Any]:
        ingest(tx, Listed([genuine[i] for i in sorted(set(held))]), now_ms=b.store.now_ms())
        return snapshot(tx.conn)

    streamed: tuple[tuple[Any, ...], dict[str, Any]] | None = None
    with pytest.raises(_Undo), b.store.transaction() as tx:
        before = prepare(tx)
        stream = streaming.Streaming.start(tx, now_ms=now_ms, max_ahead_ms=MAX_AHEAD_MS)
        if stream is not None:
            start = 0
            for end in [*cuts, len(received)]:
                stream.add(received[start:end])
                start = max(start, end)
            result = stream.finish()
            event("streamed" if result is not None else "gave up")
            if result is None:
                assert snapshot(tx.conn) == before, "a streaming given up left writes behind"
            else:
                streamed = (counts(result), snapshot(tx.conn))
        raise _Undo

    two_passes: tuple[tuple[Any, ...], dict[str, Any]] | None = None
    with pytest.raises(_Undo), b.store.transaction() as tx:
        prepare(tx)
        try:
            result = ingest(tx, Listed(received), now_ms=now_ms)
            two_passes = (counts(result), snapshot(tx.conn))
        except InputRefused:
            assert streamed is None, "the streaming applied what the two passes refuse"
        raise _Undo
    if streamed is not None:
        assert streamed == two_passes


def test_an_event_off_the_chain_is_never_streamed(
        histories: tuple[Any, list[SignedEvent]]) -> None:
    """The receiver holds the first event of a feed; a forged second one continues its chain,
    the genuine third does not follow the forged one: the streaming gives up at the third, and
    the two passes refuse the lot."""
    b, pool = histories
    twin = pool[-1]
    feed = [ev for ev in pool[:-1] if ev.device_id == twin.device_id]
    with pytest.raises(_Undo), b.store.transaction() as tx:
        ingest(tx, Listed(feed[:1]), now_ms=b.store.now_ms())
        stream = streaming.Streaming.start(tx, now_ms=b.store.now_ms(), max_ahead_ms=MAX_AHEAD_MS)
        assert stream is not None
        stream.add([twin])
        assert stream.applied == 0 and not stream.failed
        stream.add([feed[2]])
        assert stream.failed and stream.finish() is None
        with pytest.raises(InputRefused, match="hash chain"):
            ingest(tx, Listed([twin, feed[2]]), now_ms=b.store.now_ms())
        raise _Undo


@pytest.fixture
def gave_up(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each import that tried the streaming: whether it gave up."""
    outcomes: list[bool] = []
    finish = streaming.Streaming.finish

    def watched(self: streaming.Streaming) -> IngestResult | None:
        result = finish(self)
        outcomes.append(result is None)
        return result

    monkeypatch.setattr(streaming.Streaming, "finish", watched)
    return outcomes


def test_a_bundle_is_applied_while_it_is_verified(import_mode: str, make_workspace: MakeWorkspace,
                                                  tmp_path: Path, gave_up: list[bool]) -> None:
    """Records created and edited across chunks and batches end as on the sender, each found by
    its last words only; a bundle that overlaps what the receiver holds streams too."""
    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    old = add_concern(b, "Le puits du quartier nord est à sec")
    receive(a, send(b, a, tmp_path))
    with a.store.transaction():
        ids = [add_concern(a, f"Préoccupation {i} : éclairage") for i in range(30)]
    for rid in ids[::4]:
        edit(a, rid, description="Vols de bétail la nuit")
    edit(a, old, description="Le puits est réparé")
    assert gave_up == [False]  # a's import of b's bundle streamed too
    gave_up.clear()
    report: ImportReport = receive(b, send(a, b, tmp_path))
    assert gave_up == [False]
    with a.store.engine.connect() as conn:
        own = sum(1 for ev in load_events(conn) if ev.device_id == a.keys.info.device_id)
    assert report.new == own and report.held == 0
    assert dump(b) == dump(a)
    hits = {r.entity_id for r in search(b.store, "betail", limit=50)}
    assert hits == set(ids[::4])
    assert not search(b.store, "sec", limit=5)
    assert {r.entity_id for r in search(b.store, "repare", limit=5)} == {old}
    with b.store.engine.begin() as conn:
        assert verify_store(conn).ok
        conn.exec_driver_sql("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
    # Everything again, and what b wrote, to b: known, nothing new, still streamed.
    with a.store.transaction():
        edit(a, ids[1], theme="route")
    everything = tmp_path / "all.jsdb"
    sync.export_bundle(a, everything, everything=True)
    again = receive(b, everything)
    assert gave_up == [False, False]
    assert (again.new, again.held) == (1, 0) and again.known > 30
    assert dump(b) == dump(a)


def test_what_cannot_stream_is_imported_the_old_way(make_workspace: MakeWorkspace,
                                                    tmp_path: Path, gave_up: list[bool]) -> None:
    """A receiver whose clock is two days behind holds a bundle aside (stamped too far ahead):
    the streaming gives up, nothing of it stays, and the events wait as they always did."""
    a = make_workspace("ana")
    b = make_workspace("bako", clock=lambda: int((dt.datetime.now(dt.UTC)
                                                  - dt.timedelta(days=2)).timestamp() * 1000))
    introduce(a, b)
    add_concern(a, "Éclairage")
    report = receive(b, send(a, b, tmp_path))
    assert gave_up == [True]
    assert report.new == 0 and report.held == report.future == report.events > 0
    assert not search(b.store, "eclairage", limit=5)
