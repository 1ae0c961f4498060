"""Received events applied as they are verified: an import's fast way, for the usual bundle.

``ingest`` needs every received event's place in its feed before it applies one (forks, gaps,
events held aside), so an import reads its bundle twice: once to check and verify every line,
then again to apply them — and while the worker processes verify, this process waits. Most
bundles are simpler than ``ingest`` allows for: each feed continues the store's from its head,
in order, and the store holds nothing aside. ``Streaming`` applies such a bundle chunk by chunk
as soon as each chunk is verified, while the workers verify the next ones, inside a savepoint.

The first event that is not that simple case — a gap, two events at one place, an event stamped
too far ahead, one of this very device's own, one already stored with another hash — or any
error while applying, rolls the savepoint back: the caller then runs ``ingest`` over the same
bundle, which refuses or applies it as it always did. Either way the store ends the same, and a
refusal of the first pass (a bad line, an unknown signer, a bad signature) still comes first: the
whole import is refused and its transaction rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update

from jsd_desk.store import models
from jsd_desk.store.eventlog import GENESIS, SignedEvent
from jsd_desk.store.ingest import (
    EVENT,
    FEED,
    STORE_BATCH,
    IngestResult,
    Keep,
    conflicted_fields,
    feed_heads,
    held_count,
    reference,
)
from jsd_desk.store.projection import insert_ignore
from jsd_desk.store.writer import Savepoint, Tx

HELD = models.tbl(models.HeldEvent)


class Streaming:
    """Applies a bundle's events in the order given, while that order is the simple case.
    Make it with ``start``; ``add`` each verified chunk; ``finish`` says how it went."""

    def __init__(self, tx: Tx, horizon: int, keep: Keep | None) -> None:
        self._tx = tx
        self._me = tx.store.device_id
        self._horizon = horizon
        self._keep = keep
        self._start = feed_heads(tx.conn)
        self._heads = dict(self._start)  # device → (seq, hash) of the last event applied
        self._known: dict[str, list[tuple[int, str]]] = {}  # at or below the start's head
        self._batch: list[SignedEvent] = []
        self._touched: set[tuple[str, str]] = set()
        self.result = IngestResult()
        self.failed = False
        self._savepoint: Savepoint = tx.savepoint()

    @classmethod
    def start(cls, tx: Tx, *, now_ms: int, max_ahead_ms: int,
              keep: Keep | None = None) -> Streaming | None:
        """None when the store holds events aside (``ingest`` decides what they become)."""
        if held_count(tx.conn):
            return None
        return cls(tx, now_ms + max_ahead_ms, keep)

    @property
    def applied(self) -> int:
        """How many events are applied so far."""
        return 0 if self.failed else self.result.new

    def add(self, events: Iterable[SignedEvent]) -> None:
        """Apply these events (the next ones of the bundle), or give up."""
        if self.failed:
            return
        try:
            for ev in events:
                if not self._take(ev):
                    self._fail()
                    return
                if len(self._batch) >= STORE_BATCH:
                    self._apply()
        except Exception:  # any trouble: ``ingest`` refuses or applies it as it always did
            self._fail()

    def finish(self) -> IngestResult | None:
        """The result, the savepoint kept; or None: nothing is kept, run ``ingest``."""
        if self.failed:
            return None
        try:
            self._apply()
            if not self._known_match():
                self._fail()
                return None
            conn = self._tx.conn
            for device_id, head in sorted(self._heads.items()):
                if head == self._start.get(device_id):
                    continue
                conn.execute(insert_ignore(conn, FEED).values(device_id=device_id, last_seq=0,
                                                              last_hash=GENESIS))
                conn.execute(update(FEED).where(FEED.c.device_id == device_id)
                             .values(last_seq=head[0], last_hash=head[1]))
            self.result.conflicts = conflicted_fields(conn, self._touched)
            self._savepoint.commit()
        except Exception:  # as in ``add``
            self._fail()
            return None
        return self.result

    # -- inside ----------------------------------------------------------------------------

    def _take(self, ev: SignedEvent) -> bool:
        device = ev.device_id
        seq, head_hash = self._heads.get(device, (0, GENESIS))
        if ev.seq == seq + 1:
            if (ev.prev_hash != head_hash or device == self._me
                    or int(ev.hlc[:13]) > self._horizon):
                return False
            self._heads[device] = (ev.seq, ev.hash)
            self._batch.append(ev)
            return True
        # An event the store held before this bundle: its hash is compared at the end.
        known = self._known.setdefault(device, [])
        if (ev.seq > self._start.get(device, (0, GENESIS))[0]
                or (known and ev.seq <= known[-1][0])):
            return False
        known.append((ev.seq, ev.hash))
        self.result.known += 1
        return True

    def _apply(self) -> None:
        batch, result, tx = self._batch, self.result, self._tx
        if not batch:
            return
        tx.store_events(batch)
        self._touched |= tx.apply_batch(batch)
        for ev in batch:
            tx.observe_clock(ev.hlc)
            result.applied.append(reference(ev))
            if self._keep is not None and self._keep(ev):
                result.kept.append(ev)
        result.new += len(batch)
        self._batch = []

    def _known_match(self) -> bool:
        conn = self._tx.conn
        for device, known in self._known.items():
            stored = dict(conn.execute(select(EVENT.c.seq, EVENT.c.hash).where(
                EVENT.c.device_id == device, EVENT.c.seq.between(known[0][0], known[-1][0]))).all())
            if any(stored.get(seq) != digest for seq, digest in known):
                return False
        return True

    def _fail(self) -> None:
        if not self.failed:
            self.failed = True
            self._batch, self._known, self._touched = [], {}, set()
            self.result = IngestResult()
            self._savepoint.rollback()
