"""The records a transaction made that wait in it (``Tx``): their events are stored and projected
as one batch at commit, or before any read of the tables, and until then ``Tx.get`` and
``Tx.find`` answer from what is kept here. Apart from ``store.writer`` so that the write path's
module holds the transaction's steps and this one what a waiting record is made of."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Table, bindparam, select

from jsd_desk.domain.records import DELETED, ENTITIES
from jsd_desk.security.sealing import Reader
from jsd_desk.store.batch_projection import BatchProjector, _State

Record = dict[str, Any]
RecordKey = tuple[str, str]  # (entity, id)


class NewRecord:
    """A record this transaction made that the projection tables do not hold yet: the record
    as ``Tx.get`` returns it and the stamp of the one write heading each field written."""

    __slots__ = ("fresh", "heads", "record")

    def __init__(self, entity: str, record_id: str, fresh: bool) -> None:
        self.record: Record = {"id": record_id, DELETED: False,
                               **dict.fromkeys(ENTITIES[entity].fields)}
        self.heads: dict[str, str] = {}
        self.fresh = fresh


class NewRecordsProjector(BatchProjector):
    """The batch projection, told which records have no merge state at all (ids this
    transaction made): their state is not read."""

    absent: frozenset[RecordKey] = frozenset()

    def _load(self, records: set[RecordKey]) -> dict[RecordKey, _State]:
        known = records - self.absent
        states = super()._load(known) if known else {}
        states.update((r, _State()) for r in records - known)
        return states


_UNKNOWN = object()


class SealedHere(Reader):
    """The reader of the batch projection of a transaction's own events: what the transaction
    sealed is opened as it was written when this device's reader opens it (``Tx._opens_own``),
    without decrypting it again; anything else as ``reader`` opens it."""

    def __init__(self, reader: Reader) -> None:
        # ``reader``'s own attributes, not ``Reader.__init__``: deriving the recipients from the
        # identities again cost a tenth of a committed edit (one of these per transaction).
        self.identities = list(reader.identities)
        self.recipients = reader.recipients
        self.fields = reader.fields
        self.legacy_plain = reader.legacy_plain
        self.known: dict[int, Any] = {}  # id() of an envelope in a waiting event → its value

    def open_field(self, entity: str, field: str, value: Any) -> Any:
        known = self.known.get(id(value), _UNKNOWN)
        return super().open_field(entity, field, value) if known is _UNKNOWN else known


def sort_key(value: Any, nulls_first: bool) -> tuple[bool, Any]:
    return (value is not None, value) if nulls_first else (value is None, value)


@functools.cache
def find_ids_statement(table: Table, equals: tuple[str, ...], order_by: tuple[str, ...]) -> Any:
    return (select(table.c.id, *(table.c[c] for c in order_by))
            .where(table.c.deleted.is_(False), *(table.c[c] == bindparam(f"_{c}") for c in equals)))
