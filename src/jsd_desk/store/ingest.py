"""Received events into the store (DESIGN §4-5): forks refused, gaps and future stamps held aside.

The caller has checked every signature. Here, inside the caller's transaction, each feed is
checked against what the store already holds — a second, different event at a known sequence
number, or a link that does not follow the feed's hash chain, refuses the whole batch — and
then applied in feed order, as far as it is contiguous and plausibly dated. What cannot be
applied yet waits in ``held_event``: after a gap (until the missing events arrive) or stamped
implausibly far ahead of this device's clock (until the clock catches up).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Connection, delete, func, select, update

from jsd_desk.domain.clock import Hlc
from jsd_desk.domain.errors import InputRefused
from jsd_desk.i18n import N_
from jsd_desk.security.canonical import sha256_hex
from jsd_desk.store import models
from jsd_desk.store.bulk import IN_CHUNK
from jsd_desk.store.eventlog import GENESIS, EventRef, SignedEvent, parse_event
from jsd_desk.store.projection import FC, insert_ignore
from jsd_desk.store.writer import Tx

EVENT = models.tbl(models.Event)
FEED = models.tbl(models.Feed)
HELD = models.tbl(models.HeldEvent)

# An event stamped further ahead than this would win every later edit for that long: it waits.
MAX_AHEAD_MS = 24 * 3600 * 1000
STORE_BATCH = 1000


@dataclass(frozen=True)
class Gap:
    """Events ``first``..``last`` of a feed are missing; later ones wait for them."""

    device_id: str
    first: int
    last: int


@dataclass(frozen=True)
class ForkEvidence:
    """Two different events signed by one device for one place in its feed."""

    device_id: str
    seq: int
    held: tuple[str, str]  # (canonical body, base64 signature) this store holds
    received: tuple[str, str]


class ForkRefused(InputRefused):
    """A fork: the batch is refused and ``evidence`` says what was seen."""

    def __init__(self, msgid: str, evidence: ForkEvidence, **params: object) -> None:
        super().__init__(msgid, **params)
        self.evidence = evidence


@dataclass
class IngestResult:
    new: int = 0  # events applied now (released held ones included)
    known: int = 0  # given events this store already held (applied or aside)
    held: int = 0  # given events set aside now
    released: int = 0  # events held earlier and applied now
    conflicts: int = 0  # fields left in conflict by the events applied now
    gaps: list[Gap] = field(default_factory=list)
    future: int = 0  # events (given or held) waiting for the clock
    # The events applied, as references (device, seq, hlc, entity, record, op; no fields, no
    # bytes, no hash): what views need to refresh, at a fraction of the memory of a whole import.
    applied: list[EventRef] = field(default_factory=list)
    kept: list[SignedEvent] = field(default_factory=list)  # applied ones ``keep`` asked for


@dataclass(frozen=True, slots=True)
class Meta:
    """What the feed checks need of one received event: where it is, its hash, its link to
    the event before it and its clock (milliseconds). ``line`` is its line in the bundle, or
    0 for an event held aside in the store."""

    line: int
    hash: str
    prev_hash: str
    wall_ms: int


class Incoming(Protocol):
    """Received events, checked (shape, signatures) but not read into memory all at once."""

    @property
    def feeds(self) -> Mapping[str, Mapping[int, Meta]]:
        """Every event, once, by device and seq."""
        ...

    @property
    def twins(self) -> tuple[int, int] | None:
        """The lines of the first two different events found at one place of a feed."""
        ...

    def event(self, line: int) -> SignedEvent:
        """The event at ``line``."""
        ...

    def events(self, lines: Collection[int]) -> Iterator[tuple[int, SignedEvent]]:
        """The events at ``lines``, each once, in the order of the bundle."""
        ...

    def checked(self) -> None:
        """The feed checks are done: ``feeds`` is not read again (its memory may go)."""
        ...


class _Nothing:
    feeds: Mapping[str, Mapping[int, Meta]] = {}
    twins = None

    def event(self, line: int) -> SignedEvent:
        raise KeyError(line)

    def events(self, lines: Collection[int]) -> Iterator[tuple[int, SignedEvent]]:
        return iter(())

    def checked(self) -> None:
        pass


Progress = Callable[[int], None]
Keep = Callable[[SignedEvent], bool]


def feed_heads(conn: Connection) -> dict[str, tuple[int, str]]:
    return {d: (s, h) for d, s, h in conn.execute(select(FEED.c.device_id, FEED.c.last_seq,
                                                         FEED.c.last_hash))}


def vector(conn: Connection) -> dict[str, int]:
    """What this store holds: each feed's last contiguous sequence number."""
    return {d: s for d, (s, _h) in feed_heads(conn).items() if s}


def held_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(HELD)).scalar_one())


def _short(device_id: str) -> str:
    return device_id[:8]


def _chain_refused(device_id: str, seq: int) -> InputRefused:
    return InputRefused(N_("The bundle is refused: event {device}#{seq} does not follow its "
                           "feed's hash chain (another history of that device exists)."),
                        device=_short(device_id), seq=seq)


def ingest(tx: Tx, incoming: Incoming, *, now_ms: int, max_ahead_ms: int = MAX_AHEAD_MS,
           progress: Progress | None = None, keep: Keep | None = None) -> IngestResult:
    """Check ``incoming`` (signatures already verified) against the store, then apply what
    can be applied and hold the rest aside. Raises (and so writes nothing) on a fork."""
    conn, me = tx.conn, tx.store.device_id
    result = IngestResult()
    if incoming.twins is not None:
        first, second = (incoming.event(n) for n in incoming.twins)
        raise _fork(first.device_id, first.seq, first.raw.decode(), first.signature_b64, second)
    heads = feed_heads(conn)
    fresh: dict[str, dict[int, Meta]] = {}
    for device_id in sorted(incoming.feeds):
        batch = incoming.feeds[device_id]
        head_seq = heads.get(device_id, (0, GENESIS))[0]
        lo, hi = min(batch), max(batch)
        stored = dict(conn.execute(select(EVENT.c.seq, EVENT.c.hash).where(
            EVENT.c.device_id == device_id, EVENT.c.seq.between(lo - 1, hi + 1))).all())
        held = {s: (h, p) for s, h, p in conn.execute(
            select(HELD.c.seq, HELD.c.hash, HELD.c.prev_hash).where(HELD.c.device_id == device_id))}
        for seq in sorted(batch):
            meta = batch[seq]
            known = stored.get(seq) or (held[seq][0] if seq in held else None)
            if known is not None:
                if known != meta.hash:
                    body, sig = _stored(conn, device_id, seq)
                    raise _fork(device_id, seq, body, sig, incoming.event(meta.line))
                result.known += 1
                continue
            if device_id == me:
                raise InputRefused(N_("The bundle is refused: it holds events of this very device "
                                      "(from #{seq}) that this device never wrote — evidence of a "
                                      "copied device key."), seq=seq)
            prev = (GENESIS if seq == 1 else stored.get(seq - 1)
                    or (held[seq - 1][0] if seq - 1 in held else None)
                    or (batch[seq - 1].hash if seq - 1 in batch else None))
            after = held[seq + 1][1] if seq + 1 in held else None
            if (prev is not None and prev != meta.prev_hash) or (after is not None and after != meta.hash):
                raise _chain_refused(device_id, seq)
            if seq <= head_seq:  # cannot happen with a contiguous log; never apply it twice
                raise InputRefused(N_("The store's event log is inconsistent; run “jsd-desk "
                                      "verify”."))
            fresh.setdefault(device_id, {})[seq] = meta
    _advance_all(tx, incoming, fresh, heads, result, now_ms, max_ahead_ms, progress, keep)
    return result


def release_held(tx: Tx, *, now_ms: int, max_ahead_ms: int = MAX_AHEAD_MS,
                 progress: Progress | None = None) -> IngestResult:
    """Apply the held events that can be applied now (a gap filled, the clock caught up)."""
    result = IngestResult()
    _advance_all(tx, _Nothing(), {}, feed_heads(tx.conn), result, now_ms, max_ahead_ms,
                 progress, None)
    return result


@dataclass
class _Plan:
    """What one feed's received and held events become: applied, released or held."""

    apply: set[int] = field(default_factory=set)  # lines of the bundle to apply
    hold: dict[int, str] = field(default_factory=dict)  # lines of the bundle to hold: reason
    release: list[int] = field(default_factory=list)  # held seqs to apply
    head: tuple[int, str] | None = None  # the feed's new head
    clear_below: int | None = None  # held seqs below this are applied: their rows go


def _plan(conn: Connection, device_id: str, fresh: dict[int, Meta], held_here: bool,
          head: tuple[int, str], horizon: int, result: IngestResult) -> _Plan:
    plan = _Plan()
    pool: dict[int, Meta] = dict(fresh)
    held_seqs: set[int] = set()
    if held_here:
        for s, h, p, hlc in conn.execute(select(HELD.c.seq, HELD.c.hash, HELD.c.prev_hash, HELD.c.hlc)
                                         .where(HELD.c.device_id == device_id)):
            pool[s] = Meta(0, h, p, Hlc.decode(hlc).wall_ms)
            held_seqs.add(s)
    head_seq, head_hash = head
    seq, prev = head_seq + 1, head_hash
    while seq in pool:  # what can be applied now, in feed order
        meta = pool[seq]
        if meta.wall_ms > horizon:
            break
        if meta.prev_hash != prev:
            raise _chain_refused(device_id, seq)
        if seq in held_seqs:
            plan.release.append(seq)
        else:
            plan.apply.add(meta.line)
        seq, prev = seq + 1, meta.hash
    if seq - 1 > head_seq:
        plan.head = (seq - 1, prev)
        if held_seqs:
            plan.clear_below = seq
    rest = sorted(s for s in pool if s >= seq)
    if not rest:
        return plan
    future_from = next((s for s in rest if pool[s].wall_ms > horizon), None)
    if rest[0] != seq:
        result.gaps.append(Gap(device_id, seq, rest[0] - 1))
    result.future += sum(1 for s in rest if pool[s].wall_ms > horizon)
    for s in rest:
        if s in held_seqs:
            continue
        if pool[s].wall_ms > horizon:
            reason = "future"
        elif rest[0] != seq and (future_from is None or s < future_from):
            reason = "gap"
        else:
            reason = "behind"
        plan.hold[pool[s].line] = reason
    return plan


def _advance_all(tx: Tx, incoming: Incoming, fresh: dict[str, dict[int, Meta]],
                 heads: dict[str, tuple[int, str]], result: IngestResult, now_ms: int,
                 max_ahead_ms: int, progress: Progress | None, keep: Keep | None) -> None:
    conn = tx.conn
    bulk = tx.bulk
    waiting = set(conn.execute(select(HELD.c.device_id).distinct()).scalars())
    horizon = now_ms + max_ahead_ms
    plans = {d: _plan(conn, d, fresh.get(d, {}), d in waiting, heads.get(d, (0, GENESIS)),
                      horizon, result)
             for d in sorted(set(fresh) | waiting)}
    # From here on only the plans' line numbers are needed: the metadata of every received
    # event goes before the events are read again (the two are never in memory together).
    fresh.clear()
    incoming.checked()
    touched: set[tuple[str, str]] = set()
    batch: list[SignedEvent] = []

    def apply() -> None:
        # Stored and projected in batches: one statement per table per batch, not per event.
        nonlocal touched
        tx.store_events(batch)
        touched |= tx.apply_batch(batch)
        for ev in batch:
            tx.observe_clock(ev.hlc)
            result.applied.append(reference(ev))
            if keep is not None and keep(ev):
                result.kept.append(ev)
        result.new += len(batch)
        batch.clear()
        if progress is not None:
            progress(result.new)

    to_apply = {line for p in plans.values() for line in p.apply}
    to_hold = {line: reason for p in plans.values() for line, reason in p.hold.items()}
    rows: list[dict[str, object]] = []
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for line, ev in incoming.events(to_apply | set(to_hold)):
        if line in to_apply:
            batch.append(ev)
            if len(batch) >= STORE_BATCH:
                apply()
            continue
        rows.append({"device_id": ev.device_id, "seq": ev.seq, "hash": ev.hash,
                     "prev_hash": ev.prev_hash, "hlc": ev.hlc, "body": ev.raw.decode("utf-8"),
                     "signature": ev.signature_b64, "reason": to_hold[line], "received_at": now})
        if len(rows) >= STORE_BATCH:
            bulk.insert(HELD, rows)
            result.held += len(rows)
            rows = []
    bulk.insert(HELD, rows)
    result.held += len(rows)
    for device_id, plan in plans.items():
        for i in range(0, len(plan.release), STORE_BATCH):
            seqs = plan.release[i:i + STORE_BATCH]
            for body, sig in conn.execute(
                    select(HELD.c.body, HELD.c.signature)
                    .where(HELD.c.device_id == device_id, HELD.c.seq.between(seqs[0], seqs[-1]))
                    .order_by(HELD.c.seq)):
                batch.append(parse_event(body.encode("utf-8"), sig))
                if len(batch) >= STORE_BATCH:
                    apply()
            result.released += len(seqs)
    if batch:
        apply()
    for device_id, plan in plans.items():
        if plan.head is not None:
            conn.execute(insert_ignore(conn, FEED).values(device_id=device_id, last_seq=0,
                                                          last_hash=GENESIS))
            conn.execute(update(FEED).where(FEED.c.device_id == device_id)
                         .values(last_seq=plan.head[0], last_hash=plan.head[1]))
        if plan.clear_below is not None:
            conn.execute(delete(HELD).where(HELD.c.device_id == device_id,
                                            HELD.c.seq < plan.clear_below))
    result.conflicts = conflicted_fields(conn, touched)


def reference(ev: SignedEvent) -> EventRef:
    body = ev.body
    # Names shared by every reference (sys.intern): a reference costs its record's id and clock.
    return EventRef(sys.intern(body["device_id"]), body["seq"], body["hlc"],
                    sys.intern(body["entity"]), body["entity_id"], sys.intern(body["op"]))


def conflicted_fields(conn: Connection, records: set[tuple[str, str]]) -> int:
    """How many fields of ``records`` are in conflict (rows of ``field_conflict``)."""
    by_entity: dict[str, list[str]] = {}
    for entity, entity_id in records:
        by_entity.setdefault(entity, []).append(entity_id)
    n = 0
    for entity, ids in sorted(by_entity.items()):
        ids.sort()
        for i in range(0, len(ids), IN_CHUNK):
            n += conn.execute(select(func.count()).select_from(FC).where(
                FC.c.entity == entity, FC.c.entity_id.in_(ids[i:i + IN_CHUNK]))).scalar_one()
    return n


def _stored(conn: Connection, device_id: str, seq: int) -> tuple[str, str]:
    row = conn.execute(select(EVENT.c.body, EVENT.c.signature).where(
        EVENT.c.device_id == device_id, EVENT.c.seq == seq)).one_or_none()
    if row is None:
        row = conn.execute(select(HELD.c.body, HELD.c.signature).where(
            HELD.c.device_id == device_id, HELD.c.seq == seq)).one()
    return str(row[0]), str(row[1])


def _fork(device_id: str, seq: int, body: str, sig: str, ev: SignedEvent) -> ForkRefused:
    evidence = ForkEvidence(device_id, seq, (body, sig), (ev.raw.decode("utf-8"), ev.signature_b64))
    return ForkRefused(N_("The bundle is refused: device {device} signed two different events "
                          "#{seq} ({a}… and {b}…) — evidence of a copied or tampered device."),
                       evidence, device=_short(device_id), seq=seq,
                       a=sha256_hex(body.encode("utf-8"))[:12], b=ev.hash[:12])
