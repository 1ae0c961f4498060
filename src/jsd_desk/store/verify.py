"""Integrity of a store: SQLite's own check, every event's hash and signature, every feed's
chain, and the projection against a rebuild from the log (DESIGN §4: the log is the truth)."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

from sqlalchemy import Connection, func, select

from jsd_desk.child_watch import end_with
from jsd_desk.domain.clock import make_stamp
from jsd_desk.domain.records import DELETED, ENTITIES
from jsd_desk.i18n import N_
from jsd_desk.security.device import DeviceInfo
from jsd_desk.security.sealing import SEALED_MARKER_JSON, UNREADABLE, Reader, is_sealed_field
from jsd_desk.store import logcheck, models
from jsd_desk.store.batch_projection import BatchProjector
from jsd_desk.store.driver import Driver, streamed
from jsd_desk.store.dump import conflicts, dump_text, live_rows, record_names
from jsd_desk.store.eventlog import GENESIS, SignedEvent, parse_event
from jsd_desk.store.projection import FW, clear, reader_for

EVENT = models.tbl(models.Event)
DEVICE = models.tbl(models.Device)


@dataclass
class Problem:
    msgid: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass
class VerifyReport:
    events: int = 0
    feeds: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def known_devices(conn: Connection) -> dict[str, DeviceInfo]:
    return {r.device_id: DeviceInfo(r.device_id, r.name, r.role, r.short_code, r.sign_public,
                                    r.age_recipient)
            for r in conn.execute(select(DEVICE))}


_CHUNK = 2000  # events per task of the pool
# Fewer events than this are checked in this process: starting the workers (each a new
# interpreter importing the parser and the keys' library) costs more than they would save.
_POOL_MIN = 20_000
_IN_FLIGHT = 3  # chunks queued per worker: the bodies in memory stay bounded


class _LogCheck:
    """Every event's shape, index, signature (``logcheck.check_events``, on every core) and
    its feed's chain (here, in order), read from the event table a chunk at a time.

    ``pump()`` hands the pool more chunks and takes the answers that are ready, so the caller
    can do its own work meanwhile; ``finish()`` waits for the rest. A chunk is read only when
    few are queued: the events are never all in memory.
    """

    def __init__(self, conn: Connection, signers: dict[str, str], chunk: int = _CHUNK,
                 pool_min: int = _POOL_MIN) -> None:
        self.signers = signers
        self.problems: list[Problem] = []
        self.bad: list[dict[str, object]] = []  # where the signature does not verify, in order
        self.events = self.feeds = 0
        self._current: str | None = None
        self._expected_seq, self._prev = 1, GENESIS
        total = conn.execute(select(func.count()).select_from(EVENT)).scalar_one()
        self._rows = streamed(conn, select(EVENT.c.device_id, EVENT.c.seq, EVENT.c.hash,
                                           EVENT.c.entity, EVENT.c.entity_id, EVENT.c.body,
                                           EVENT.c.signature)
                              .order_by(EVENT.c.device_id, EVENT.c.seq))
        self._pending: deque[tuple[Future[list[logcheck.Checked]], list[tuple[str, int]]]] = deque()
        self._pool: ProcessPoolExecutor | None = None
        self._workers = workers()
        self._chunk = chunk
        first = self._read()
        if len(first) < chunk or total < pool_min:  # too few for a pool: all checked here
            while first:
                self._take([(r[0], r[1]) for r in first], logcheck.check_events(first, signers))
                first = self._read()
            self._done = True
            return
        self._pool = worker_pool(self._workers)
        self._done = False
        self._submit(first)
        self.pump()

    def _read(self) -> list[logcheck.StoredEvent]:
        return [tuple(r) for r in self._rows.fetchmany(self._chunk)]

    def _submit(self, rows: list[logcheck.StoredEvent]) -> None:
        assert self._pool is not None
        future = self._pool.submit(logcheck.check_events, rows, self.signers)
        self._pending.append((future, [(r[0], r[1]) for r in rows]))

    def pump(self) -> None:
        while self._pending and self._pending[0][0].done():
            future, keys = self._pending.popleft()
            self._take(keys, future.result())
        while not self._done and len(self._pending) < _IN_FLIGHT * self._workers:
            rows = self._read()
            if not rows:
                self._done = True
                break
            self._submit(rows)

    def finish(self) -> None:
        try:
            while self._pending or not self._done:
                if self._pending:
                    future, keys = self._pending.popleft()
                    self._take(keys, future.result())
                self.pump()
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._rows.close()

    def _take(self, keys: list[tuple[str, int]], checked: list[logcheck.Checked]) -> None:
        """The answers for a chunk, in the feeds' order: the same problems, in the same order,
        as a check of one event after another."""
        problems = self.problems
        for (device_id, seq), (flags, prev_hash, hash_) in zip(keys, checked, strict=True):
            self.events += 1
            if device_id != self._current:
                self._current, self._expected_seq, self._prev = device_id, 1, GENESIS
                self.feeds += 1
            where: dict[str, object] = {"device": device_id[:8], "seq": seq}
            if flags & logcheck.MALFORMED:
                problems.append(Problem(N_("Event {device}#{seq} is malformed."), where))
                continue
            if flags & logcheck.MISMATCH:
                problems.append(Problem(N_("Event {device}#{seq} does not match its index."), where))
            if flags & logcheck.UNKNOWN:
                problems.append(Problem(N_("Event {device}#{seq} is signed by an unknown device."), where))
            elif flags & logcheck.BAD_SIGNATURE:
                self.bad.append(where)
            if seq != self._expected_seq:
                problems.append(Problem(N_("Feed {device} has a gap before #{seq}."), where))
            elif prev_hash != self._prev:
                problems.append(Problem(N_("Event {device}#{seq} breaks its feed's hash chain."), where))
            assert hash_ is not None
            self._expected_seq, self._prev = seq + 1, hash_

    def report_to(self, report: VerifyReport) -> None:
        report.events += self.events
        report.feeds += self.feeds
        report.problems.extend(self.problems)
        report.problems.extend(Problem(N_("Event {device}#{seq} has a bad signature."), where)
                               for where in self.bad)


def worker_pool(size: int) -> ProcessPoolExecutor:
    """The processes that check the log's signatures. Spawned, not forked: safe beside Qt and
    threads; a worker imports only logcheck, and child_watch, which ends it if this process is
    killed meanwhile."""
    return ProcessPoolExecutor(size, mp_context=multiprocessing.get_context("spawn"),
                               initializer=end_with, initargs=(os.getpid(),))


def workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1))


def _signers(conn: Connection) -> dict[str, str]:
    return {d: info.sign_public for d, info in known_devices(conn).items()}


def verify_log(conn: Connection, report: VerifyReport, *, chunk: int = _CHUNK,
               pool_min: int = _POOL_MIN) -> None:
    check = _LogCheck(conn, _signers(conn), chunk, pool_min)
    check.finish()
    check.report_to(report)


_encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(v, ensure_ascii=False)


class _Inexact(Exception):
    """A value the comparison in memory cannot predict the stored form of (not of its field's
    kind): the projection is then rebuilt in the database instead."""


def _as_dumped(kind: str, value: Any) -> Any:
    """A merged event value as the dump shows its column, for values of the field's kind."""
    if value is None:
        return None
    if kind in ("text", "longtext", "code", "ref"):
        if type(value) is str:
            return value
    elif kind == "int":
        if type(value) is int and -(2**63) <= value < 2**63:
            return value
    elif kind == "bool":
        if type(value) is bool:
            return value
    elif kind == "date":
        if type(value) is str:
            try:
                return dt.date.fromisoformat(value).isoformat()
            except ValueError:
                pass
    elif kind == "datetime" and type(value) is str:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is None:
            return moment.isoformat(timespec="seconds")
    raise _Inexact


class _Expected:
    """The projection as the event log makes it, record by record, by the rules of
    ``Projector.apply``: each field's writes (the first of a stamp kept), the stamps replaced,
    the value of the greatest stamp, and a conflict where the heads hold different values."""

    def __init__(self, conn: Connection, reader: Reader, pump: Callable[[], None]) -> None:
        self.conn, self.reader, self.pump = conn, reader, pump
        self.conflicts: list[dict[str, Any]] = []
        # The log's heads of every field (writes nothing replaced), summed up as the stored
        # ones are by ``_heads_sum``: the merge state the next edit or import merges against,
        # which the dump does not show (it shows the heads of conflicts only).
        self.heads = 0

    def rows(self, entity: str) -> Iterator[tuple[Any, ...]]:
        """The live records of ``entity`` by id, as ``dump.live_rows`` reads them."""
        names = record_names(entity)
        kinds = [ENTITIES[entity].fields[n].kind for n in names[1:]]
        sealed = {n for n in names[1:] if is_sealed_field(entity, n)}
        current: str | None = None
        writes: dict[str, dict[str, tuple[str, Any]]] = {}  # field → stamp → (encoded, value)
        replaced: dict[str, set[str]] = {}  # field → stamps some write replaced
        n = 0
        for eid, body in streamed(self.conn, select(EVENT.c.entity_id, EVENT.c.body)
                                  .where(EVENT.c.entity == entity).order_by(EVENT.c.entity_id)):
            if eid != current:
                if current is not None:
                    row = self._record(entity, current, names, kinds, writes, replaced)
                    if row is not None:
                        yield row
                current, writes, replaced = eid, {}, {}
            n += 1
            if n % _CHUNK == 0:
                self.pump()
            try:
                ev = json.loads(body)
                fields = {DELETED: True} if ev["op"] == "delete" else ev["fields"]
                stamp, base = make_stamp(ev["hlc"], ev["device_id"]), ev["base"]
                items = list(fields.items())
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # malformed: the log's check names it
            for name, value in items:
                by_stamp = writes.setdefault(name, {})
                if stamp in by_stamp:
                    continue  # this write is already here
                if name in sealed:
                    value = self.reader.open_field(entity, name, value)
                    encoded = SEALED_MARKER_JSON if value is UNREADABLE else _encode(value)
                    value = None if value is UNREADABLE else value
                else:
                    encoded = _encode(value)
                by_stamp[stamp] = (encoded, value)
                stamps = base.get(name, ())
                if stamps:
                    replaced.setdefault(name, set()).update(stamps)
        if current is not None:
            row = self._record(entity, current, names, kinds, writes, replaced)
            if row is not None:
                yield row

    def _record(self, entity: str, eid: str, names: tuple[str, ...], kinds: Sequence[str],
                writes: dict[str, dict[str, tuple[str, Any]]],
                replaced: dict[str, set[str]]) -> tuple[Any, ...] | None:
        if not writes:
            return None  # no field written: no row
        for name in sorted(writes):
            old = replaced.get(name, set())
            heads = sorted((s, enc) for s, (enc, _v) in writes[name].items() if s not in old)
            self.heads += _heads_sum((entity, eid, name, s, enc) for s, enc in heads)
            if len({enc for _s, enc in heads}) > 1:
                self.conflicts.append({"entity": entity, "entity_id": eid, "field": name,
                                       "heads": [(s, enc) for s, enc in heads]})
        deleted = writes.get(DELETED)
        if deleted:
            gone = deleted[max(deleted)][1]
            if type(gone) is not bool:
                raise _Inexact
            if gone:
                return None
        out: list[Any] = [eid]
        for name, kind in zip(names[1:], kinds, strict=True):
            by_stamp = writes.get(name)
            out.append(None if not by_stamp else _as_dumped(kind, by_stamp[max(by_stamp)][1]))
        return tuple(out)


_MASK = (1 << 64) - 1


def _heads_sum(heads: Iterable[tuple[str, str, str, str, str]]) -> int:
    """The heads (entity, record, field, stamp, value) summed up, in any order: the sum of their
    hashes, 64 bits. Both sides are summed in this process, and ``hash`` of text is keyed anew
    in each one (SipHash; unless PYTHONHASHSEED fixes the key), so a change of the table cannot
    be aimed at an equal sum."""
    return sum(map(hash, heads)) & _MASK


def _stored_heads(conn: Connection) -> Iterator[tuple[str, str, str, str, str]]:
    """Every head ``field_write`` holds (a write nothing superseded) as (entity, record, field,
    stamp, value), in the table's own order: one pass over it, no per-row lookup."""
    if conn.dialect.name == "sqlite":
        # Text columns only: the driver's own rows (SQLAlchemy's cost more than the sum).
        cursor = Driver(conn).execute('SELECT "entity", "entity_id", "field", "stamp", "value" '
                                      'FROM "field_write" WHERE NOT "superseded"')
        while rows := cursor.fetchmany(_CHUNK):
            yield from rows
        return
    for row in streamed(conn, select(FW.c.entity, FW.c.entity_id, FW.c.field, FW.c.stamp,
                                     FW.c.value).where(FW.c.superseded.is_(False))):
        yield tuple(row)


def _projection_matches(conn: Connection, pump: Callable[[], None]) -> bool:
    """The records and conflicts ``dump`` shows against those the log makes, compared as they
    are read: one record of each side at a time; and every head of the merge state."""
    expected = _Expected(conn, reader_for(conn), pump)
    for entity in sorted(ENTITIES):
        for have, want in zip_longest(live_rows(conn, entity), expected.rows(entity)):
            if have is None or want is None or tuple(have) != want:
                return False
    want = sorted(expected.conflicts, key=lambda c: (c["entity"], c["entity_id"], c["field"]))
    have = conflicts(conn)
    if len(have) != len(want):
        return False
    for h, w in zip(have, want, strict=True):
        if (h["entity"], h["entity_id"], h["field"]) != (w["entity"], w["entity_id"], w["field"]):
            return False
        heads = sorted(((x["stamp"], x["value"]) for x in h["heads"]), key=lambda x: x[0])
        if heads != [(s, json.loads(enc)) for s, enc in w["heads"]]:
            return False
    return _heads_sum(_stored_heads(conn)) == expected.heads & _MASK


def verify_projection(conn: Connection, report: VerifyReport,
                      pump: Callable[[], None] = lambda: None) -> None:
    """The projection against the log: compared in memory as it is read, or for a log whose
    values the comparison cannot predict, rebuilt inside a savepoint and the dumps compared."""
    try:
        same = _projection_matches(conn, pump)
    except _Inexact:
        same = _rebuilt_dump_matches(conn)
    if not same:
        report.problems.append(Problem(N_("The records differ from a rebuild from the event log.")))


def _rebuilt_dump_matches(conn: Connection) -> bool:
    before = dump_text(conn), _heads_sum(_stored_heads(conn))
    savepoint = conn.begin_nested()
    try:
        rebuild(conn)
        after = dump_text(conn), _heads_sum(_stored_heads(conn))
    finally:
        savepoint.rollback()
    return before == after


def rebuild(conn: Connection) -> int:
    """Recompute the whole projection from the stored events; returns how many were applied."""
    clear(conn)
    # The order does not matter: the batches merge in memory; each record indexed once.
    projector = BatchProjector(conn, defer_index=True)
    n = 0
    batch: list[SignedEvent] = []
    # Read as applied (on PostgreSQL by a server-side cursor), not all at once: the bodies of
    # a hub's whole log would not fit in memory.
    for body, sig in streamed(conn, select(EVENT.c.body, EVENT.c.signature)):
        batch.append(parse_event(body.encode("utf-8"), sig))
        if len(batch) >= _CHUNK:
            projector.apply(batch)
            n += len(batch)
            batch = []
    projector.apply(batch)
    projector.flush_index()
    return n + len(batch)


def integrity_check(conn: Connection, report: VerifyReport) -> None:
    """``PRAGMA integrity_check`` (SQLite only)."""
    if conn.dialect.name != "sqlite":
        return
    rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        report.problems.append(Problem(N_("The database file is damaged: {detail}"),
                                       {"detail": "; ".join(rows[:3])}))


def verify_store(conn: Connection, *, chunk: int = _CHUNK, pool_min: int = _POOL_MIN) -> VerifyReport:
    """SQLite's own check, the log (signatures checked by a pool of processes, one per core,
    while this process compares the projection) and the projection against the log."""
    report = VerifyReport()
    log = _LogCheck(conn, _signers(conn), chunk, pool_min)
    try:
        integrity_check(conn, report)
        log.pump()
        projection = VerifyReport()
        try:
            same = _projection_matches(conn, log.pump)
        except _Inexact:
            log.finish()  # the events read before the projection is rewritten in a savepoint
            same = _rebuilt_dump_matches(conn)
        if not same:
            projection.problems.append(
                Problem(N_("The records differ from a rebuild from the event log.")))
        log.finish()
    finally:
        log.close()
    log.report_to(report)
    report.problems.extend(projection.problems)
    return report
