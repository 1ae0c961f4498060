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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from jsd_desk.domain.clock import Hlc
from jsd_desk.domain.errors import InputRefused
from jsd_desk.i18n import N_
from jsd_desk.security.canonical import sha256_hex
from jsd_desk.store import models
from jsd_desk.store.eventlog import GENESIS, SignedEvent, parse_event
from jsd_desk.store.projection import FW, insert_ignore
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
    applied: list[SignedEvent] = field(default_factory=list)


Progress = Callable[[int], None]


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


def ingest(tx: Tx, events: Iterable[SignedEvent], *, now_ms: int,
           max_ahead_ms: int = MAX_AHEAD_MS, progress: Progress | None = None) -> IngestResult:
    """Check ``events`` (signatures already verified) against the store, then apply what can
    be applied and hold the rest aside. Raises (and so writes nothing) on a fork."""
    conn, me = tx.conn, tx.store.device_id
    result = IngestResult()
    by_feed: dict[str, dict[int, SignedEvent]] = {}
    for ev in events:
        feed_events = by_feed.setdefault(ev.device_id, {})
        twin = feed_events.get(ev.seq)
        if twin is not None and twin.hash != ev.hash:
            raise _fork(ev.device_id, ev.seq, twin.raw.decode(), twin.signature_b64, ev)
        feed_events[ev.seq] = ev
    heads = feed_heads(conn)
    fresh: dict[str, dict[int, SignedEvent]] = {}
    for device_id in sorted(by_feed):
        batch = by_feed[device_id]
        head_seq = heads.get(device_id, (0, GENESIS))[0]
        lo, hi = min(batch), max(batch)
        stored = dict(conn.execute(select(EVENT.c.seq, EVENT.c.hash).where(
            EVENT.c.device_id == device_id, EVENT.c.seq.between(lo - 1, hi + 1))).all())
        held = {s: (h, p) for s, h, p in conn.execute(
            select(HELD.c.seq, HELD.c.hash, HELD.c.prev_hash).where(HELD.c.device_id == device_id))}
        for seq in sorted(batch):
            ev = batch[seq]
            known = stored.get(seq) or (held[seq][0] if seq in held else None)
            if known is not None:
                if known != ev.hash:
                    body, sig = _stored(conn, device_id, seq)
                    raise _fork(device_id, seq, body, sig, ev)
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
            if (prev is not None and prev != ev.prev_hash) or (after is not None and after != ev.hash):
                raise InputRefused(N_("The bundle is refused: event {device}#{seq} does not follow "
                                      "its feed's hash chain (another history of that device "
                                      "exists)."), device=_short(device_id), seq=seq)
            if seq <= head_seq:  # cannot happen with a contiguous log; never apply it twice
                raise InputRefused(N_("The store's event log is inconsistent; run “jsd-desk "
                                      "verify”."))
            fresh.setdefault(device_id, {})[seq] = ev
    _advance_all(tx, fresh, heads, result, now_ms, max_ahead_ms, progress)
    return result


def release_held(tx: Tx, *, now_ms: int, max_ahead_ms: int = MAX_AHEAD_MS,
                 progress: Progress | None = None) -> IngestResult:
    """Apply the held events that can be applied now (a gap filled, the clock caught up)."""
    result = IngestResult()
    _advance_all(tx, {}, feed_heads(tx.conn), result, now_ms, max_ahead_ms, progress)
    return result


def _advance_all(tx: Tx, fresh: dict[str, dict[int, SignedEvent]],
                 heads: dict[str, tuple[int, str]], result: IngestResult, now_ms: int,
                 max_ahead_ms: int, progress: Progress | None) -> None:
    conn = tx.conn
    waiting = set(conn.execute(select(HELD.c.device_id).distinct()).scalars())
    touched: set[tuple[str, str]] = set()
    horizon = now_ms + max_ahead_ms
    for device_id in sorted(set(fresh) | waiting):
        pool = dict(fresh.get(device_id, {}))
        held_seqs: set[int] = set()
        if device_id in waiting:
            for body, sig in conn.execute(select(HELD.c.body, HELD.c.signature)
                                          .where(HELD.c.device_id == device_id)):
                ev = parse_event(body.encode("utf-8"), sig)
                pool[ev.seq] = ev
                held_seqs.add(ev.seq)
        head_seq, head_hash = heads.get(device_id, (0, GENESIS))
        seq, prev = head_seq + 1, head_hash
        run: list[SignedEvent] = []  # what can be applied now, in feed order
        while seq in pool:
            ev = pool[seq]
            if Hlc.decode(ev.hlc).wall_ms > horizon:
                break
            if ev.prev_hash != prev:
                raise InputRefused(N_("The bundle is refused: event {device}#{seq} does not "
                                      "follow its feed's hash chain (another history of that "
                                      "device exists)."), device=_short(device_id), seq=seq)
            run.append(ev)
            seq, prev = seq + 1, ev.hash
        # Stored and projected in batches: one statement per table per batch, not per event.
        for i in range(0, len(run), STORE_BATCH):
            batch = run[i:i + STORE_BATCH]
            tx.store_events(batch)
            touched |= tx.apply_batch(batch)
            for ev in batch:
                tx.observe_clock(ev.hlc)
                result.applied.append(ev)
                if ev.seq in held_seqs:
                    result.released += 1
            result.new += len(batch)
            if progress is not None:
                progress(result.new)
        if seq - 1 > head_seq:
            conn.execute(insert_ignore(conn, FEED).values(device_id=device_id, last_seq=0,
                                                          last_hash=GENESIS))
            conn.execute(update(FEED).where(FEED.c.device_id == device_id)
                         .values(last_seq=seq - 1, last_hash=prev))
            if held_seqs:
                conn.execute(delete(HELD).where(HELD.c.device_id == device_id, HELD.c.seq < seq))
        rest = sorted(s for s in pool if s >= seq)
        if not rest:
            continue
        future_from = next((s for s in rest if Hlc.decode(pool[s].hlc).wall_ms > horizon), None)
        if rest[0] != seq:
            result.gaps.append(Gap(device_id, seq, rest[0] - 1))
        result.future += sum(1 for s in rest if Hlc.decode(pool[s].hlc).wall_ms > horizon)
        rows = []
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for s in rest:
            if s in held_seqs:
                continue
            ev = pool[s]
            if Hlc.decode(ev.hlc).wall_ms > horizon:
                reason = "future"
            elif rest[0] != seq and (future_from is None or s < future_from):
                reason = "gap"
            else:
                reason = "behind"
            rows.append({"device_id": device_id, "seq": s, "hash": ev.hash,
                         "prev_hash": ev.prev_hash, "hlc": ev.hlc, "body": ev.raw.decode("utf-8"),
                         "signature": ev.signature_b64, "reason": reason, "received_at": now})
        if rows:
            conn.execute(insert(HELD), rows)
            result.held += len(rows)
    result.conflicts = _conflicted_fields(conn, touched)


def _conflicted_fields(conn: Connection, records: set[tuple[str, str]]) -> int:
    n = 0
    for entity, entity_id in sorted(records):
        n += len(conn.execute(
            select(FW.c.field).where(and_(FW.c.entity == entity, FW.c.entity_id == entity_id,
                                          FW.c.superseded.is_(False)))
            .group_by(FW.c.field).having(func.count(func.distinct(FW.c.value)) > 1)).all())
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
