"""The one write path (DESIGN §4): every change is a signed event appended to this device's feed
and applied to the projection, in the same transaction.

Over 500 lines on purpose: ``Tx`` is one class whose steps (seal, sign, chain, keep a new record
waiting, project, commit the feed and clock) share the transaction's state; what a waiting record
is lives in ``store.waiting``, the bulk writes in ``store.bulk``."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, NestedTransaction, select, update
from sqlalchemy.orm import Session

from jsd_desk.domain.clock import Hlc, now_ms
from jsd_desk.domain.errors import JsdError
from jsd_desk.domain.records import DELETED, ENTITIES, REFERRAL_DISCLOSED
from jsd_desk.domain.validation import check_record, clean_fields, entity_spec
from jsd_desk.faults import database_fault
from jsd_desk.security.device import DeviceKeys
from jsd_desk.security.sealing import (
    READER_ROLES,
    UNREADABLE,
    has_sealed_fields,
    is_sealed_field,
    reader_for_role,
    seal,
)
from jsd_desk.store import models
from jsd_desk.store.batch_projection import BatchProjector
from jsd_desk.store.bulk import Bulk
from jsd_desk.store.bulk_choice import bulk_for
from jsd_desk.store.disclosure import referral_recipients
from jsd_desk.store.driver import Driver, insert_sql, quote, select_by_id_sql
from jsd_desk.store.eventlog import GENESIS, Committed, SignedEvent, make_event, parse_event
from jsd_desk.store.projection import (
    Applied,
    MergeState,
    Projector,
    edit_state,
    edit_state_params,
    edit_state_sql,
    heads_of,
    insert_ignore,
    register_reader,
    table_of,
    to_column,
)
from jsd_desk.store.waiting import NewRecord, NewRecordsProjector, SealedHere, find_ids_statement, sort_key

EVENT = models.tbl(models.Event)
FEED = models.tbl(models.Feed)
STATE = models.tbl(models.LocalState)
BLOB = models.tbl(models.Blob)
DEVICE = models.tbl(models.Device)

Record = dict[str, Any]
RecordKey = tuple[str, str]  # (entity, id)

# Events of new records wait in the transaction (their projection known in memory) until a read
# needs the tables, the transaction commits, or this many are waiting.
DEFER_LIMIT = 5000


def _json_ready(kind: str, value: Any) -> Any:
    if value is not None and kind == "date":
        return value.isoformat()
    if value is not None and kind == "datetime":
        return value.isoformat(timespec="seconds")
    if value is not None and kind == "bool":
        return bool(value)
    return value


def row_to_record(entity: str, row: Any) -> Record:
    """A projection row as JSON-ready values (dates as ISO text), keyed by field name."""
    out: Record = {"id": row.id, DELETED: bool(row.deleted)}
    for name, spec in ENTITIES[entity].fields.items():
        out[name] = _json_ready(spec.kind, getattr(row, name))
    return out


def read_state(conn: Connection, key: str) -> str | None:
    return conn.execute(select(STATE.c.value).where(STATE.c.key == key)).scalar_one_or_none()


def write_state(conn: Connection, key: str, value: str) -> None:
    conn.execute(insert_ignore(conn, STATE).values(key=key, value=value))
    conn.execute(update(STATE).where(STATE.c.key == key).values(value=value))


_STATE_SQL = 'SELECT "value" FROM "local_state" WHERE "key" = ?'
_STATE_UPSERT_SQL = ('INSERT INTO "local_state" ("key", "value") VALUES (?, ?) '
                     'ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"')
# The clock is the later of the one kept in ``local_state`` and the stamp of this device's
# latest event: an edit's stamp is the clock after it, so an edit need not write the clock
# too (a row, a page more to commit); only a clock moved by what was received is written.
_FEED_AND_CLOCK_SQL = (
    'SELECT (SELECT "last_seq" FROM "feed" WHERE "device_id" = ?), '
    '(SELECT "last_hash" FROM "feed" WHERE "device_id" = ?), '
    """(SELECT "value" FROM "local_state" WHERE "key" = 'hlc'), """
    '(SELECT "hlc" FROM "event" WHERE "device_id" = ? ORDER BY "seq" DESC LIMIT 1)')
_FEED_UPSERT_SQL = ('INSERT INTO "feed" ("device_id", "last_seq", "last_hash") VALUES (?, ?, ?) '
                    'ON CONFLICT ("device_id") DO UPDATE SET "last_seq" = excluded."last_seq", '
                    '"last_hash" = excluded."last_hash"')


_EVENT_COLUMNS = ("device_id", "seq", "hash", "prev_hash", "hlc", "entity", "entity_id", "op",
                  "body", "signature", "received_at")
_EVENT_INSERT_SQL = insert_sql("event", _EVENT_COLUMNS)
_FEW_EVENTS = 8  # up to this many, stored by ``_EVENT_INSERT_SQL``; more by the bulk writer


def _record_of(db: Driver, entity: str, record_id: str, row: Sequence[Any]) -> Record:
    """A fetched row of ``_record_columns(entity)`` as ``Tx.get`` gives it."""
    columns = _record_columns(entity)
    values = dict(zip(columns, db.fetch_processed(table_of(entity), columns, row), strict=True))
    out: Record = {"id": record_id, DELETED: bool(values[DELETED])}
    for name, spec in ENTITIES[entity].fields.items():
        out[name] = _json_ready(spec.kind, values[name])
    return out


def stored_clock(kept: str | None, last_stamp: str | None) -> Hlc:
    """This device's clock as the store keeps it (``_FEED_AND_CLOCK_SQL``)."""
    return max((Hlc.decode(str(t)) for t in (kept, last_stamp) if t is not None),
               default=Hlc(0, 0))


def carry_clock(conn: Connection, device_id: str) -> None:
    """Write the clock as the feed of ``device_id`` left it into ``local_state``: a restore
    (SQLite only) starts a new feed, with no event yet to read the clock from, and continues
    the old feed's clock."""
    _seq, _hash, kept, last = conn.exec_driver_sql(_FEED_AND_CLOCK_SQL, (device_id,) * 3).one()
    write_state(conn, "hlc", stored_clock(kept, last).encode())


@functools.lru_cache(maxsize=256)
def _stored_sql(table: str, columns: tuple[str, ...], fields: tuple[str, ...], feed: bool) -> str:
    """A record's row (tagged 0), the writes of ``fields`` a local edit of it merges against
    (tagged 1: ``edit_state_sql``) and, with ``feed``, the feed head and clock (tagged 2, as
    ``_FEED_AND_CLOCK_SQL``), padded to the same width: one statement."""
    width = max(len(columns), 4)
    row = ", ".join(quote(c) for c in columns) + ", NULL" * (width - len(columns))
    sql = (f'SELECT 0, {row} FROM {quote(table)} WHERE "id" = ? UNION ALL '
           + edit_state_sql(fields, width, 'INDEXED BY "ix_field_write_head"'))
    if feed:
        sql += f" UNION ALL SELECT 2, {_FEED_AND_CLOCK_SQL[len('SELECT '):]}" + ", NULL" * (width - 4)
    return sql


@functools.cache
def _record_columns(entity: str) -> tuple[str, ...]:
    return ("id", DELETED, *ENTITIES[entity].fields)


class Tx:
    """One transaction of the write path. Obtain it from ``Store.transaction()``.

    The events of records this transaction creates are signed and kept here, and their
    projection is known in memory (``get`` answers from it); they are written to the tables
    together — event rows and the batch projection, a few statements for the lot — when the
    transaction commits, when anything reads the tables through ``conn`` (or
    ``Store.reading``), or when ``DEFER_LIMIT`` of them wait. Edits of records the tables
    already hold are projected at once. Either way the tables end as event-by-event application
    would leave them (``store/batch_projection.py`` merges by ``Projector.apply``'s rules).
    """

    def __init__(self, store: Store, conn: Connection) -> None:
        self.store = store
        self._conn = conn
        self.projector = Projector(conn)
        self._batch: BatchProjector | None = None
        self._deferred_projector: NewRecordsProjector | None = None
        self._bulk: Bulk | None = None
        self.events: list[SignedEvent] = []
        self._feed: tuple[int, str] | None = None
        self._hlc: Hlc | None = None
        self._hlc_durable: Hlc | None = None  # the clock as the store keeps it already
        self._recipients: list[str] | None = None
        self._unstored: list[SignedEvent] = []  # signed, not yet in ``event``
        self._deferred: list[SignedEvent] = []  # of new records, not yet projected
        self._new: dict[RecordKey, NewRecord] = {}
        self._new_ids: set[str] = set()
        self._fresh_ids: set[str] = set()  # the fresh UUIDs among them
        self._direct: set[str] = set()  # entities projected at once since the last flush
        self._lookups: dict[tuple[str, str], dict[Any, set[str]]] = {}
        self._sealed_here = SealedHere(self.projector.reader)
        # The stored record ``put``, ``delete`` or ``undelete`` just read, with the writes of it
        # an edit made here merges against (``_stored``).
        self._read: tuple[RecordKey, Record, MergeState] | None = None

    @property
    def conn(self) -> Connection:
        """The transaction's connection, its tables holding every write made so far."""
        self.flush()
        return self._conn

    @property
    def local_conn(self) -> Connection:
        """The connection as it is, for the tables the projection never writes (``device``,
        ``local_state``, ``blob``): reading them needs no flush of waiting events."""
        return self._conn

    def flush(self) -> None:
        """Write the waiting events and their projection to the tables, and the search
        documents an import's batches keep waiting."""
        self._flush_waiting()
        self._flush_index()

    def _flush_index(self) -> None:
        if self._batch is not None:
            self._batch.flush_index()

    def _flush_waiting(self) -> None:
        """Write the waiting events of new records and their projection."""
        if self._unstored:
            events, self._unstored = self._unstored, []
            self._store_events(events)
        if self._deferred:
            self._flush_index()  # the batch projection below writes search documents too
            events, self._deferred = self._deferred, []
            if self._deferred_projector is None:
                self._deferred_projector = NewRecordsProjector(self._conn, self._sealed_here,
                                                                self.bulk)
            self._deferred_projector.absent = frozenset(k for k, n in self._new.items() if n.fresh)
            self._deferred_projector.apply(events)
            self._sealed_here.known.clear()
            self._new.clear()
            self._new_ids.clear()
            self._fresh_ids.clear()
            self._lookups.clear()
        self._direct.clear()

    # -- reading inside the transaction ------------------------------------------------------

    def get(self, entity: str, record_id: str) -> Record | None:
        new = self._new.get((entity, record_id))
        if new is not None:
            return dict(new.record)
        table = table_of(entity)
        columns = _record_columns(entity)
        db = self.projector.driver
        row = db.execute(select_by_id_sql(table.name, columns), (record_id,)).fetchone()
        return None if row is None else _record_of(db, entity, record_id, row)

    def find(self, entity: str, equals: Mapping[str, Any], order_by: Sequence[str] = ()) -> list[str]:
        """Ids of the records of ``entity`` not deleted whose fields equal ``equals``, ordered
        by ``order_by`` then id — what a ``SELECT id … WHERE … ORDER BY …`` of the tables
        would give after a flush, without one."""
        found: dict[str, tuple[Any, ...]] = {}
        # No stored record can point at an id this transaction made since its last flush, but
        # one it projected at once: then the tables need no look.
        made_here = any(isinstance(v, str) and v in self._fresh_ids for v in equals.values())
        if not made_here or entity in self._direct:
            stmt = find_ids_statement(table_of(entity), tuple(equals), tuple(order_by))
            for row in self._conn.execute(stmt, {f"_{k}": v for k, v in equals.items()}):
                found[row[0]] = tuple(row[1:])
        for rid in self._new_matching(entity, equals):
            record = self._new[(entity, rid)].record
            found[rid] = tuple(record[c] for c in order_by)
        nulls_first = self._conn.dialect.name != "postgresql"
        return sorted(found, key=lambda rid: (
            tuple(sort_key(v, nulls_first) for v in found[rid]), rid))

    def _new_matching(self, entity: str, equals: Mapping[str, Any]) -> list[str]:
        if not equals:
            ids = [i for (e, i) in self._new if e == entity]
        else:
            first = next(iter(equals))
            index = self._lookups.get((entity, first))
            if index is None:
                index = self._lookups[(entity, first)] = {}
                for (e, i), n in self._new.items():
                    if e == entity:
                        index.setdefault(n.record.get(first), set()).add(i)
            ids = list(index.get(equals[first], ()))
        out = []
        for rid in ids:
            record = self._new[(entity, rid)].record
            if not record[DELETED] and all(record.get(k) == v for k, v in equals.items()):
                out.append(rid)
        return out

    def state(self, key: str) -> str | None:
        row = self.projector.driver.execute(_STATE_SQL, (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_state(self, key: str, value: str) -> None:
        self.projector.driver.execute(_STATE_UPSERT_SQL, (key, value))

    # -- writing -------------------------------------------------------------------------------

    def create(self, entity: str, fields: Record, record_id: str | None = None) -> str:
        """A new record. Without ``record_id`` its id is a fresh UUID nobody else can hold, so
        the projection skips looking for earlier writes of it."""
        if record_id is None:
            record_id = str(uuid.uuid4())
            self.put(entity, record_id, fields, new=True, fresh=True)
        else:
            self.put(entity, record_id, fields)
        return record_id

    def _current(self, entity: str, record_id: str,
                 fields: tuple[str, ...]) -> tuple[Record | None, dict[str, list[str]]]:
        """The record as stored or made here, and the heads of its fields. A stored record's
        row and the writes an edit merges against are kept for the projection of the event
        about to be made."""
        new = self._new.get((entity, record_id))
        if new is not None:
            return dict(new.record), {f: [s] for f, s in new.heads.items()}
        found = self._stored(entity, record_id, fields)
        if found is None:
            return None, {}
        current, state = found
        self._read = ((entity, record_id), current, state)
        return current, heads_of(state)

    def _stored(self, entity: str, record_id: str,
                fields: tuple[str, ...]) -> tuple[Record, MergeState] | None:
        """A stored record as ``get`` gives it and the writes of ``fields`` an edit of it made
        here merges against (``edit_state_sql``); on SQLite one statement."""
        db = self.projector.driver
        if db.dialect.name != "sqlite":
            # PostgreSQL (a hub) types each column of a UNION: the two reads stay apart there.
            current = self.get(entity, record_id)
            return None if current is None else (current, edit_state(db, entity, record_id, fields))
        table = table_of(entity)
        columns = _record_columns(entity)
        # Where the feed and the clock stand too, if not known yet: the edit about to be made
        # needs them, and one statement costs less than two.
        feed = self._feed is None or self._hlc is None
        params = (record_id, *edit_state_params(entity, record_id, fields))
        if feed:
            params += (self.store.device_id,) * 3
        row: Sequence[Any] | None = None
        state: MergeState = {}
        for tagged in db.execute(_stored_sql(table.name, columns, fields, feed), params).fetchall():
            if tagged[0] == 1:
                state.setdefault(tagged[1], []).append((tagged[2], bool(tagged[3]), tagged[4]))
            elif tagged[0] == 0:
                row = tagged[1:len(columns) + 1]
            else:
                self._set_feed_and_clock(tagged[1], tagged[2], tagged[3], tagged[4])
        if row is None:
            return None
        return _record_of(db, entity, record_id, row), state

    def put(self, entity: str, record_id: str, fields: Record, *, new: bool = False,
            fresh: bool = False) -> SignedEvent | None:
        """Set fields of a record (created if absent). Unchanged values make no event."""
        entity_spec(entity)
        clean = clean_fields(entity, fields)
        if not clean:
            return None
        current, field_heads = (None, {}) if new else self._current(entity, record_id,
                                                                    tuple(sorted(clean)))
        if current is not None:
            # A value equal to the stored one, with no conflict pending, is not an edit.
            clean = {k: v for k, v in clean.items()
                     if v != current.get(k) or len(field_heads.get(k, ())) > 1}
        if not clean:
            return None
        merged = {**(current or {}), **clean}
        if not merged.get(DELETED):
            check_record(entity, merged)
        base = {k: sorted(field_heads[k]) for k in clean if field_heads.get(k)}
        # A record the tables do not hold has no merge state: its projection can wait.
        return self._append(entity, record_id, "upsert", clean, base, fresh=fresh,
                            defer=current is None or (entity, record_id) in self._new)

    def delete(self, entity: str, record_id: str) -> SignedEvent | None:
        current, field_heads = self._current(entity, record_id, (DELETED,))
        if current is None or current[DELETED]:
            return None
        base = {DELETED: sorted(field_heads.get(DELETED, []))}
        return self._append(entity, record_id, "delete", {DELETED: True},
                            {k: v for k, v in base.items() if v})

    def undelete(self, entity: str, record_id: str) -> SignedEvent | None:
        current, field_heads = self._current(entity, record_id, (DELETED,))
        if current is None or not current[DELETED]:
            return None
        base = {DELETED: sorted(field_heads.get(DELETED, []))}
        return self._append(entity, record_id, "upsert", {DELETED: False}, base)

    def _append(self, entity: str, record_id: str, op: str, fields: Record,
                base: dict[str, list[str]], *, fresh: bool = False,
                defer: bool | None = None) -> SignedEvent:
        key = (entity, record_id)
        if defer is None:
            defer = key in self._new
            self._read = None  # append_upsert: no fresh read of this record to trust
        seq, prev = self._feed_head()
        hlc = self._tick()
        plain = fields
        # A record the tables do not hold and this transaction has not made yet: none stored.
        absent = defer and key not in self._new
        fields = self._seal(entity, record_id, fields, absent)
        ev = make_event(self.store.keys, seq=seq + 1, prev_hash=prev, hlc=hlc.encode(),
                        entity=entity, entity_id=record_id, op=op, fields=fields, base=base)
        self._feed = (ev.seq, ev.hash)
        self.events.append(ev)
        self._unstored.append(ev)
        if defer:
            self._defer(ev, fresh, plain)
            if len(self._deferred) >= DEFER_LIMIT:
                self.flush()
        else:
            if record_id in self._new_ids:
                # The same id made here for another entity (a complaint and its complainant):
                # the search index, keyed by id, is written in the events' order.
                self.flush()
            self._flush_index()  # Projector.apply writes the record's search document itself
            read, self._read = self._read, None
            if read is not None and read[0] == key:
                self.projector.apply(ev, fresh=fresh, state=read[2], record=read[1], local=True)
            else:
                self.projector.apply(ev, fresh=fresh, local=True)
            self._direct.add(entity)
        return ev

    def _opens_own(self, entity: str, name: str) -> bool:
        """Whether this device's reader opens what this device seals for ``name`` (it is
        always among the readers it seals to): so the value written is the value projected."""
        reader = self.projector.reader
        return (bool(getattr(reader, "identities", None))
                and (reader.fields is None or (entity, name) in reader.fields)
                and self.store.keys.info.age_recipient in reader.recipients)

    def _defer(self, ev: SignedEvent, fresh: bool, plain: Record) -> None:
        """Keep ``ev`` for the batch projection and merge it into the record made here: the
        transaction's own writes, each later than the last, win and head their fields."""
        entity, record_id = ev.entity, ev.entity_id
        new = self._new.get((entity, record_id))
        if new is None:
            new = self._new[(entity, record_id)] = NewRecord(entity, record_id, fresh)
            self._new_ids.add(record_id)
            if fresh:
                self._fresh_ids.add(record_id)
        fields = {DELETED: True} if ev.op == "delete" else ev.fields
        specs = ENTITIES[entity].fields
        stamp = ev.stamp
        for name, value in fields.items():
            if is_sealed_field(entity, name):
                opened = plain[name] if self._opens_own(entity, name) else UNREADABLE
                self._sealed_here.known[id(value)] = opened
                value = None if opened is UNREADABLE else opened
            if name == DELETED:
                shown = bool(value)
            else:
                shown = _json_ready(specs[name].kind, to_column(entity, name, value))
            index = self._lookups.get((entity, name))
            if index is not None:
                index.get(new.record[name], set()).discard(record_id)
                index.setdefault(shown, set()).add(record_id)
            new.record[name] = shown
            new.heads[name] = stamp
        self._deferred.append(ev)

    def append_upsert(self, entity: str, record_id: str, fields: Record,
                      base: dict[str, list[str]]) -> SignedEvent:
        """An upsert of exactly these values over exactly these stamps, without comparing them to
        what is stored: how a device re-seals what it wrote for a reader it came to trust."""
        return self._append(entity, record_id, "upsert", clean_fields(entity, fields), base)

    def _seal(self, entity: str, record_id: str, fields: Record, absent: bool = False) -> Record:
        # Confidential values are encrypted before signing: the event never holds them in clear.
        if not has_sealed_fields(entity):
            return fields
        if self._recipients is None:
            self._recipients = sealing_recipients(self._conn, self.store.keys)
        readers = self._recipients
        # Need-to-know fields of a referred complaint are also sealed to its liaison device.
        if any((entity, k) in REFERRAL_DISCLOSED for k in fields):
            new = self._new.get((entity, record_id))
            known = {} if absent else None if new is None else new.record
            disclosed = readers + referral_recipients(self._conn, entity, record_id, known)
        else:
            disclosed = readers
        return {k: seal(v, disclosed if (entity, k) in REFERRAL_DISCLOSED else readers)
                if is_sealed_field(entity, k) else v for k, v in fields.items()}

    def store_event(self, ev: SignedEvent) -> None:
        self.store_events([ev])

    def store_events(self, events: Sequence[SignedEvent]) -> None:
        """Store events in one statement (an import stores thousands)."""
        self._flush_waiting()
        self._store_events(events)

    def _store_events(self, events: Sequence[SignedEvent]) -> None:
        if not events:
            return
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        rows = [(ev.device_id, ev.seq, ev.hash, ev.prev_hash, ev.hlc, ev.entity, ev.entity_id,
                 ev.op, ev.raw.decode("utf-8"), ev.signature_b64, now) for ev in events]
        if len(events) <= _FEW_EVENTS:
            # An edit's event or a few: one prebuilt statement on the driver (the bulk writer's
            # set-up cost more than the insert).
            db = self.projector.driver
            db.executemany(_EVENT_INSERT_SQL, [db.bound(EVENT, _EVENT_COLUMNS, r) for r in rows])
            return
        self.bulk.insert(EVENT, [dict(zip(_EVENT_COLUMNS, r, strict=True)) for r in rows])

    def put_blob(self, data: bytes) -> str:
        """Store attachment contents by SHA-256 (returned). Blobs are content-addressed and
        immutable: the same bytes stored twice are kept once, and a stored blob never changes."""
        digest = hashlib.sha256(data).hexdigest()
        self._conn.execute(insert_ignore(self._conn, BLOB).values(sha256=digest, size=len(data),
                                                                  data=data))
        return digest

    def apply(self, ev: SignedEvent, *, fresh: bool = False) -> Applied:
        """Apply an already stored event to the projection (import, rebuild). ``fresh``: the
        caller knows no write of this record exists yet (see ``Projector.apply``)."""
        self.flush()
        return self.projector.apply(ev, fresh=fresh)

    def apply_batch(self, events: Sequence[SignedEvent]) -> set[tuple[str, str]]:
        """Apply already stored events, in order, with a few statements for the whole batch
        (import, rebuild); returns the records left with a conflicting field. Their search
        documents wait until the next ``flush`` (a read of the tables, the commit)."""
        self._flush_waiting()
        if self._batch is None:
            self._batch = BatchProjector(self._conn, self.projector.reader, self.bulk,
                                         defer_index=True)
        return self._batch.apply(events)

    @property
    def bulk(self) -> Bulk:
        """The database's fastest way to write a batch's rows (``store.bulk``)."""
        if self._bulk is None:
            self._bulk = bulk_for(self._conn)
        return self._bulk

    def savepoint(self) -> Savepoint:
        """A nested transaction (everything waiting is written first) whose rollback also
        forgets what this transaction keeps in memory of the writes made since."""
        self.flush()
        return Savepoint(self, self._conn.begin_nested(), self._hlc)

    def _rolled_back(self, hlc: Hlc | None) -> None:
        self._hlc = hlc
        if self._batch is not None:
            self._batch.forget_index()

    def observe_clock(self, hlc: str) -> None:
        """Advance this device's clock past a received stamp (bounded by the caller)."""
        self._hlc = self._clock().merge(Hlc.decode(hlc), self.store.now_ms())

    # -- feed and clock state ------------------------------------------------------------------

    def _feed_head(self) -> tuple[int, str]:
        if self._feed is None:
            self._load_feed_and_clock()
        assert self._feed is not None
        return self._feed

    def _clock(self) -> Hlc:
        if self._hlc is None:
            self._load_feed_and_clock()
        assert self._hlc is not None
        return self._hlc

    def _load_feed_and_clock(self) -> None:
        """Where this device's feed stands and its clock: one statement for both."""
        self._set_feed_and_clock(*self.projector.driver.execute(
            _FEED_AND_CLOCK_SQL, (self.store.device_id,) * 3).fetchone())

    def _set_feed_and_clock(self, seq: Any, last_hash: Any, kept: Any, last_stamp: Any) -> None:
        """What was read of the feed's head and the clock, where not already known."""
        if self._feed is None:
            self._feed = (0, GENESIS) if seq is None else (int(seq), str(last_hash))
        if self._hlc is None:
            self._hlc = self._hlc_durable = stored_clock(kept, last_stamp)

    def _tick(self) -> Hlc:
        self._hlc = self._clock().tick(self.store.now_ms())
        return self._hlc

    def finish(self) -> None:
        self.flush()
        # The clock is written only where it is ahead of what is kept of it already: the stored
        # one, or the stamp of this transaction's last event (``_FEED_AND_CLOCK_SQL``).
        if (self._hlc is not None and self._hlc != self._hlc_durable
                and not (self.events and self._hlc.encode() == self.events[-1].hlc)):
            self.set_state("hlc", self._hlc.encode())
        if self.events:
            seq, last_hash = self._feed_head()
            self.projector.driver.execute(_FEED_UPSERT_SQL, (self.store.device_id, seq, last_hash))


class Savepoint:
    """``Tx.savepoint``: commit keeps the writes made since, rollback undoes them."""

    def __init__(self, tx: Tx, nested: NestedTransaction, hlc: Hlc | None) -> None:
        self._tx, self._nested, self._hlc = tx, nested, hlc

    def commit(self) -> None:
        self._tx.flush()
        self._nested.commit()

    def rollback(self) -> None:
        self._nested.rollback()
        self._tx._rolled_back(self._hlc)


class Store:
    """The records of one store, written through one path and read through ORM sessions."""

    def __init__(self, engine: Engine, keys: DeviceKeys,
                 clock: Callable[[], int] = now_ms) -> None:
        self.engine = engine
        self.keys = keys
        self.now_ms = clock
        # Every projector over this database opens sealed values as this device can; a liaison
        # officer's device never opens any, whatever it is sent (DESIGN §1).
        register_reader(engine, reader_for_role(keys.info.role, keys.identities))
        # Called after each commit with its events: views refresh, sync folders wake up.
        # What they are given is ``Committed``: a transaction's own events, or an import's
        # references to what it applied (``EventRef``).
        self.listeners: list[Callable[[Sequence[Committed]], None]] = []
        self._local = threading.local()
        # One connection kept between write transactions (SQLite): taking one from the pool
        # and giving it back cost 140 µs of SQLAlchemy's machinery, a tenth of a committed
        # edit. One, not one a thread: it cannot pile up as threads come and go.
        self._keep = engine.dialect.name == "sqlite"
        self._spare: Connection | None = None
        self._spare_lock = threading.Lock()

    @property
    def device_id(self) -> str:
        return self.keys.info.device_id

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """A unit of work. Nested calls in the same thread join the outer one, so a batch of
        service calls (demo data, an import) commits once, or not at all."""
        outer: Tx | None = getattr(self._local, "tx", None)
        if outer is not None:
            yield outer
            return
        conn = self._take_connection()
        committed = False
        try:
            with conn.begin():
                tx = Tx(self, conn)
                self._local.tx = tx
                try:
                    yield tx
                    tx.finish()
                finally:
                    self._local.tx = None
            committed = True
        except Exception as exc:
            # A full disk or a read-only folder at any statement or at COMMIT: rolled back, and
            # said in the one sentence every caller shows (the GUI's operations too).
            fault = self._storage_fault(exc)
            if fault is None:
                raise
            raise fault from exc
        finally:
            self._give_back(conn, committed)
        self.notify(tx.events)

    def notify(self, events: Sequence[Committed]) -> None:
        """Tell the listeners (the GUI's refresh) what was committed; nothing if nothing was."""
        if events:
            for listener in self.listeners:
                listener(events)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """An ORM session for reads; inside a transaction it sees that transaction's writes."""
        tx: Tx | None = getattr(self._local, "tx", None)
        bind = tx.conn if tx is not None else self.engine.execution_options(read_only=True)
        with Session(bind) as session:
            yield session

    def _storage_fault(self, exc: BaseException) -> JsdError | None:
        database = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not database:
            return None
        return database_fault(exc, Path(database).parent)

    def _take_connection(self) -> Connection:
        with self._spare_lock:
            conn, self._spare = self._spare, None
        if conn is not None and (conn.closed or conn.invalidated):
            conn.close()
            conn = None
        return self.engine.connect() if conn is None else conn

    def _give_back(self, conn: Connection, committed: bool) -> None:
        """Keep ``conn`` for the next transaction if it committed and none is kept yet. After
        a failure (a full disk at COMMIT) it goes back to the pool, whose reset rolls back
        whatever the driver may still hold open."""
        if (self._keep and committed and not conn.closed and not conn.invalidated
                and not conn.in_transaction()):
            with self._spare_lock:
                if self._spare is None:
                    self._spare = conn
                    return
        conn.close()

    def dispose(self) -> None:
        with self._spare_lock:
            conn, self._spare, self._keep = self._spare, None, False
        if conn is not None:
            conn.close()
        self.engine.dispose()


def sealing_recipients(conn: Connection, keys: DeviceKeys) -> list[str]:
    """Who may open what this device seals (DESIGN §4): itself and the facilitators' and the
    ministry's (analyst) devices it trusts; never a liaison officer's device. The keys of the
    feeds this device continues after a restore are its own: not listed again."""
    own = {str(i.to_public()) for i in keys.previous_identities}
    rows = conn.execute(select(DEVICE.c.age_recipient).where(
        DEVICE.c.trusted.is_(True), DEVICE.c.is_self.is_(False),
        DEVICE.c.role.in_(sorted(READER_ROLES)))).scalars()
    return sorted({keys.info.age_recipient} | {r for r in rows if r not in own})


def load_events(conn: Connection) -> Iterator[SignedEvent]:
    for body, sig in conn.execute(select(EVENT.c.body, EVENT.c.signature)
                                  .order_by(EVENT.c.device_id, EVENT.c.seq)):
        yield parse_event(body.encode("utf-8"), sig)
