"""The one write path (DESIGN §4): every change is a signed event appended to this device's feed
and applied to the projection, in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.orm import Session

from jsd_desk.domain.clock import Hlc, now_ms
from jsd_desk.domain.records import DELETED, ENTITIES, REFERRAL_DISCLOSED
from jsd_desk.domain.validation import check_record, clean_fields, entity_spec
from jsd_desk.security.device import DeviceKeys
from jsd_desk.security.sealing import (
    READER_ROLES,
    has_sealed_fields,
    is_sealed_field,
    reader_for_role,
    seal,
)
from jsd_desk.store import models
from jsd_desk.store.batch_projection import BatchProjector
from jsd_desk.store.disclosure import referral_recipients
from jsd_desk.store.eventlog import GENESIS, SignedEvent, make_event, parse_event
from jsd_desk.store.projection import (
    Applied,
    Projector,
    heads,
    insert_ignore,
    register_reader,
    select_by_id,
    table_of,
)

EVENT = models.tbl(models.Event)
FEED = models.tbl(models.Feed)
STATE = models.tbl(models.LocalState)
# Built once: statement construction costs more than the insert itself on the hot path.
_EVENT_INSERT = insert(EVENT)
BLOB = models.tbl(models.Blob)
DEVICE = models.tbl(models.Device)

Record = dict[str, Any]


def row_to_record(entity: str, row: Any) -> Record:
    """A projection row as JSON-ready values (dates as ISO text), keyed by field name."""
    out: Record = {"id": row.id, DELETED: bool(row.deleted)}
    for name, spec in ENTITIES[entity].fields.items():
        value = getattr(row, name)
        if value is not None and spec.kind == "date":
            value = value.isoformat()
        elif value is not None and spec.kind == "datetime":
            value = value.isoformat(timespec="seconds")
        elif value is not None and spec.kind == "bool":
            value = bool(value)
        out[name] = value
    return out


def read_state(conn: Connection, key: str) -> str | None:
    return conn.execute(select(STATE.c.value).where(STATE.c.key == key)).scalar_one_or_none()


def write_state(conn: Connection, key: str, value: str) -> None:
    conn.execute(insert_ignore(conn, STATE).values(key=key, value=value))
    conn.execute(update(STATE).where(STATE.c.key == key).values(value=value))


class Tx:
    """One transaction of the write path. Obtain it from ``Store.transaction()``."""

    def __init__(self, store: Store, conn: Connection) -> None:
        self.store = store
        self.conn = conn
        self.projector = Projector(conn)
        self._batch: BatchProjector | None = None
        self.events: list[SignedEvent] = []
        self._feed: tuple[int, str] | None = None
        self._hlc: Hlc | None = None
        self._recipients: list[str] | None = None

    # -- reading inside the transaction ------------------------------------------------------

    def get(self, entity: str, record_id: str) -> Record | None:
        row = self.conn.execute(select_by_id(table_of(entity)), {"_id": record_id}).one_or_none()
        return None if row is None else row_to_record(entity, row)

    def state(self, key: str) -> str | None:
        return read_state(self.conn, key)

    def set_state(self, key: str, value: str) -> None:
        write_state(self.conn, key, value)

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

    def put(self, entity: str, record_id: str, fields: Record, *, new: bool = False,
            fresh: bool = False) -> SignedEvent | None:
        """Set fields of a record (created if absent). Unchanged values make no event."""
        entity_spec(entity)
        clean = clean_fields(entity, fields)
        current = None if new else self.get(entity, record_id)
        field_heads: dict[str, list[str]] = {} if current is None else heads(self.conn, entity, record_id)
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
        return self._append(entity, record_id, "upsert", clean, base, fresh=fresh)

    def delete(self, entity: str, record_id: str) -> SignedEvent | None:
        current = self.get(entity, record_id)
        if current is None or current[DELETED]:
            return None
        base = {DELETED: sorted(heads(self.conn, entity, record_id).get(DELETED, []))}
        return self._append(entity, record_id, "delete", {DELETED: True},
                            {k: v for k, v in base.items() if v})

    def undelete(self, entity: str, record_id: str) -> SignedEvent | None:
        current = self.get(entity, record_id)
        if current is None or not current[DELETED]:
            return None
        base = {DELETED: sorted(heads(self.conn, entity, record_id).get(DELETED, []))}
        return self._append(entity, record_id, "upsert", {DELETED: False}, base)

    def _append(self, entity: str, record_id: str, op: str, fields: Record,
                base: dict[str, list[str]], *, fresh: bool = False) -> SignedEvent:
        seq, prev = self._feed_head()
        hlc = self._tick()
        fields = self._seal(entity, record_id, fields)
        ev = make_event(self.store.keys, seq=seq + 1, prev_hash=prev, hlc=hlc.encode(),
                        entity=entity, entity_id=record_id, op=op, fields=fields, base=base)
        self.store_event(ev)
        self.projector.apply(ev, fresh=fresh)
        self._feed = (ev.seq, ev.hash)
        self.events.append(ev)
        return ev

    def append_upsert(self, entity: str, record_id: str, fields: Record,
                      base: dict[str, list[str]]) -> SignedEvent:
        """An upsert of exactly these values over exactly these stamps, without comparing them to
        what is stored: how a device re-seals what it wrote for a reader it came to trust."""
        return self._append(entity, record_id, "upsert", clean_fields(entity, fields), base)

    def _seal(self, entity: str, record_id: str, fields: Record) -> Record:
        # Confidential values are encrypted before signing: the event never holds them in clear.
        if not has_sealed_fields(entity):
            return fields
        if self._recipients is None:
            self._recipients = sealing_recipients(self.conn, self.store.keys)
        readers = self._recipients
        # Need-to-know fields of a referred complaint are also sealed to its liaison device.
        disclosed = readers + referral_recipients(self.conn, entity, record_id) if any(
            (entity, k) in REFERRAL_DISCLOSED for k in fields) else readers
        return {k: seal(v, disclosed if (entity, k) in REFERRAL_DISCLOSED else readers)
                if is_sealed_field(entity, k) else v for k, v in fields.items()}

    def store_event(self, ev: SignedEvent) -> None:
        self.store_events([ev])

    def store_events(self, events: Sequence[SignedEvent]) -> None:
        """Store events in one statement (an import stores thousands)."""
        if not events:
            return
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.conn.execute(_EVENT_INSERT, [{
            "device_id": ev.device_id, "seq": ev.seq, "hash": ev.hash, "prev_hash": ev.prev_hash,
            "hlc": ev.hlc, "entity": ev.entity, "entity_id": ev.entity_id, "op": ev.op,
            "body": ev.raw.decode("utf-8"), "signature": ev.signature_b64,
            "received_at": now} for ev in events])

    def put_blob(self, data: bytes) -> str:
        """Store attachment contents by SHA-256 (returned). Blobs are content-addressed and
        immutable: the same bytes stored twice are kept once, and a stored blob never changes."""
        digest = hashlib.sha256(data).hexdigest()
        self.conn.execute(insert_ignore(self.conn, BLOB).values(sha256=digest, size=len(data),
                                                                data=data))
        return digest

    def apply(self, ev: SignedEvent, *, fresh: bool = False) -> Applied:
        """Apply an already stored event to the projection (import, rebuild). ``fresh``: the
        caller knows no write of this record exists yet (see ``Projector.apply``)."""
        return self.projector.apply(ev, fresh=fresh)

    def apply_batch(self, events: Sequence[SignedEvent]) -> set[tuple[str, str]]:
        """Apply already stored events, in order, with a few statements for the whole batch
        (import, rebuild); returns the records left with a conflicting field."""
        if self._batch is None:
            self._batch = BatchProjector(self.conn, self.projector.reader)
        return self._batch.apply(events)

    def observe_clock(self, hlc: str) -> None:
        """Advance this device's clock past a received stamp (bounded by the caller)."""
        self._hlc = self._clock().merge(Hlc.decode(hlc), self.store.now_ms())

    # -- feed and clock state ------------------------------------------------------------------

    def _feed_head(self) -> tuple[int, str]:
        if self._feed is None:
            row = self.conn.execute(select(FEED.c.last_seq, FEED.c.last_hash)
                                    .where(FEED.c.device_id == self.store.device_id)).one_or_none()
            self._feed = (0, GENESIS) if row is None else (row[0], row[1])
        return self._feed

    def _clock(self) -> Hlc:
        if self._hlc is None:
            text = self.state("hlc")
            self._hlc = Hlc(0, 0) if text is None else Hlc.decode(text)
        return self._hlc

    def _tick(self) -> Hlc:
        self._hlc = self._clock().tick(self.store.now_ms())
        return self._hlc

    def finish(self) -> None:
        if self._hlc is not None:
            self.set_state("hlc", self._hlc.encode())
        if self.events:
            seq, last_hash = self._feed_head()
            me = self.store.device_id
            self.conn.execute(insert_ignore(self.conn, FEED).values(device_id=me, last_seq=0,
                                                                    last_hash=GENESIS))
            self.conn.execute(update(FEED).where(FEED.c.device_id == me)
                              .values(last_seq=seq, last_hash=last_hash))


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
        self.listeners: list[Callable[[list[SignedEvent]], None]] = []
        self._local = threading.local()

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
        with self.engine.begin() as conn:
            tx = Tx(self, conn)
            self._local.tx = tx
            try:
                yield tx
                tx.finish()
            finally:
                self._local.tx = None
        if tx.events:
            for listener in self.listeners:
                listener(tx.events)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """An ORM session for reads; inside a transaction it sees that transaction's writes."""
        tx: Tx | None = getattr(self._local, "tx", None)
        bind = tx.conn if tx is not None else self.engine.execution_options(read_only=True)
        with Session(bind) as session:
            yield session

    def dispose(self) -> None:
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
