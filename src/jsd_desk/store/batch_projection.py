"""The projection applied to many events at once (import, rebuild): same result, few statements.

``Projector.apply`` reads a record's merge state and writes its rows for every event: about six
statements each, and SQLAlchemy's per-statement cost is most of an import's time. Here a batch
of events is applied in three steps:

1. one read per entity of the merge state (``field_write``, ``field_base``) and of the rows of
   every record the batch touches;
2. the events merged in memory, in the given order, by exactly the rules of
   ``Projector.apply`` (the in-memory state after each event is what the tables would hold);
3. one statement per table for the whole batch: the new writes, the replaced stamps, the writes
   they supersede, the record rows inserted or updated, the search index, the conflicts that
   began and those that ended (``field_conflict``).

The result depends only on the events, as ``Projector.apply``'s does; the property tests of the
projection and the convergence tests run through both paths.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from jsd_desk.domain.records import DELETED, ENTITIES
from jsd_desk.security.sealing import SEALED_MARKER_JSON, UNREADABLE, Reader, is_sealed_field
from jsd_desk.store.bulk import Bulk
from jsd_desk.store.bulk_choice import bulk_for
from jsd_desk.store.eventlog import SignedEvent
from jsd_desk.store.projection import (
    FB,
    FC,
    FW,
    SEARCH,
    fold,
    reader_for,
    table_of,
    to_column,
    to_json,
)

_SUPERSEDE_KEYS = ("entity", "entity_id", "field", "stamp")
_CONFLICT_KEYS = ("entity", "entity_id", "field")
# Search documents an import keeps waiting at most (``defer_index``): a bound on memory.
INDEX_PENDING = 20_000

Record = tuple[str, str]  # (entity, entity_id)


@functools.cache
def _searchable(entity: str) -> tuple[str, ...]:
    return ENTITIES[entity].searchable_fields()


class _Write:
    """One ``field_write`` row as the batch knows it; ``row`` is set when the batch inserts it,
    so that a later event of the batch superseding it changes the row before it is written."""

    __slots__ = ("row", "stamp", "superseded", "value")

    def __init__(self, stamp: str, superseded: bool, value: str,
                 row: dict[str, Any] | None = None) -> None:
        self.stamp, self.superseded, self.value, self.row = stamp, superseded, value, row


@dataclass
class _State:
    writes: dict[str, list[_Write]] = field(default_factory=dict)  # by field
    replaced: dict[str, set[str]] = field(default_factory=dict)  # stamp → fields replacing it
    row: dict[str, Any] | None = None  # the record's columns (None: no row yet)
    row_in_db: bool = False
    changed: set[str] = field(default_factory=set)  # columns to write
    reindex: bool = False
    conflicted: set[str] = field(default_factory=set)  # fields in field_conflict when loaded
    written: set[str] = field(default_factory=set)  # fields the batch wrote


class BatchProjector:
    """Applies batches of events to the projection within the caller's transaction."""

    def __init__(self, conn: Connection, reader: Reader | None = None,
                 bulk: Bulk | None = None, *, defer_index: bool = False) -> None:
        self.conn = conn
        self.reader = reader_for(conn) if reader is None else reader
        # How the batch's rows are read and written: the database's fastest way (store.bulk).
        self.bulk = bulk_for(conn) if bulk is None else bulk
        # ``defer_index``: the search documents of the batches wait here until ``flush_index``
        # (or until INDEX_PENDING of them wait), so that a record an import creates and then
        # edits in later batches is indexed once, not indexed, deleted and indexed again: the
        # search index (FTS5) was the largest cost of an import's statements. The owner must
        # call ``flush_index`` before anything reads or writes ``search_doc``.
        self.defer_index = defer_index
        # (entity, id) → (its document's text or None, whether an entry may be stored already)
        self._docs: dict[Record, tuple[str | None, bool]] = {}

    def apply(self, events: Sequence[SignedEvent]) -> set[Record]:
        """Merge ``events``, in order, into the projection; returns the records they left with
        a conflicting field (as ``Projector.apply`` counts them, event by event)."""
        if not events:
            return set()
        states = self._load({(ev.entity, ev.entity_id) for ev in events})
        writes: list[dict[str, Any]] = []
        bases: dict[tuple[str, str, str, str], dict[str, str]] = {}
        supersede: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        conflicted: set[Record] = set()
        for ev in events:
            if self._merge(ev, states[(ev.entity, ev.entity_id)], writes, bases, supersede):
                conflicted.add((ev.entity, ev.entity_id))
        self._write(states, writes, list(bases.values()), list(supersede.values()))
        self._write_conflicts(states)
        return conflicted

    # -- reading the state of the batch's records ------------------------------------------

    def _load(self, records: set[Record]) -> dict[Record, _State]:
        states = {r: _State() for r in records}
        by_entity: dict[str, list[str]] = {}
        for entity, eid in records:
            by_entity.setdefault(entity, []).append(eid)
        bulk = self.bulk
        for entity, ids in sorted(by_entity.items()):
            ids.sort()
            table = table_of(entity)
            where = {"entity": entity}
            for eid, f, stamp, sup, value in bulk.select_in(
                    FW, ("entity_id", "field", "stamp", "superseded", "value"), where,
                    "entity_id", ids):
                states[(entity, eid)].writes.setdefault(f, []).append(
                    _Write(stamp, bool(sup), value))
            for eid, f, stamp in bulk.select_in(FB, ("entity_id", "field", "stamp"), where,
                                                "entity_id", ids):
                states[(entity, eid)].replaced.setdefault(stamp, set()).add(f)
            for eid, f in bulk.select_in(FC, ("entity_id", "field"), where, "entity_id", ids):
                states[(entity, eid)].conflicted.add(f)
            columns = tuple(table.c.keys())
            for values in bulk.select_in(table, columns, {}, "id", ids):
                row = dict(zip(columns, values, strict=True))
                state = states[(entity, row["id"])]
                state.row, state.row_in_db = row, True
        return states

    # -- merging in memory, by the rules of Projector.apply ---------------------------------

    def _merge(self, ev: SignedEvent, state: _State, writes: list[dict[str, Any]],
               bases: dict[tuple[str, str, str, str], dict[str, str]],
               supersede: dict[tuple[str, str, str, str], dict[str, Any]]) -> bool:
        entity, eid, stamp = ev.entity, ev.entity_id, ev.stamp
        fields = {DELETED: True} if ev.op == "delete" else ev.fields
        replaced_late = state.replaced.get(stamp, set())
        added: list[tuple[str, _Write]] = []
        superseding: list[tuple[str, str]] = []
        winners: dict[str, Any] = {}
        conflicts = False
        base = ev.base
        device_id, seq = ev.device_id, ev.seq
        for name, value in fields.items():
            prior = state.writes.get(name)
            if prior and any(w.stamp == stamp for w in prior):
                continue  # this write is already here
            superseded = name in replaced_late
            if is_sealed_field(entity, name):
                value = self.reader.open_field(entity, name, value)
                encoded = (SEALED_MARKER_JSON if value is UNREADABLE
                           else to_json(value))
                value = None if value is UNREADABLE else value
            else:
                encoded = to_json(value)
            row = {"entity": entity, "entity_id": eid, "field": name, "stamp": stamp,
                   "value": encoded, "superseded": superseded, "device_id": device_id,
                   "seq": seq}
            writes.append(row)
            added.append((name, _Write(stamp, superseded, encoded, row)))
            replaced = set(base[name]) if name in base else set()
            for b in replaced:
                key = (entity, eid, name, b)
                bases.setdefault(key, {"entity": entity, "entity_id": eid, "field": name,
                                       "stamp": b})
                superseding.append((name, b))
            if not prior:  # the field's first write: it wins, and one head is no conflict
                winners[name] = value
                continue
            if stamp > max(w.stamp for w in prior):
                winners[name] = value
            # Heads holding the same value agree: only different values make a conflict.
            head_values = {w.value for w in prior if not w.superseded and w.stamp not in replaced}
            if not superseded:
                head_values.add(encoded)
            if len(head_values) > 1:
                conflicts = True
        # As the statements of Projector.apply would leave it: the writes inserted, then the
        # replaced stamps recorded, then the writes they name marked superseded.
        for name, write in added:
            state.writes.setdefault(name, []).append(write)
            state.written.add(name)
        for name, b in superseding:
            state.replaced.setdefault(b, set()).add(name)
            for write in state.writes.get(name, ()):
                if write.stamp != b or write.superseded:
                    continue
                write.superseded = True
                if write.row is not None:
                    write.row["superseded"] = True
                else:
                    supersede[(entity, eid, name, b)] = {"entity": entity, "entity_id": eid,
                                                         "field": name, "stamp": b,
                                                         "superseded": True}
        if winners:
            if state.row is None:
                state.row = {"id": eid, DELETED: False}
                state.changed.add(DELETED)
            for name, value in winners.items():
                state.row[name] = to_column(entity, name, value)
                state.changed.add(name)
            searchable = _searchable(entity)
            if searchable and (DELETED in winners or any(f in winners for f in searchable)):
                state.reindex = True
        return conflicts

    # -- writing the batch: one statement per table ----------------------------------------

    def _write_conflicts(self, states: dict[Record, _State]) -> None:
        """``field_conflict`` as the merged states leave it: a field the batch wrote is in it
        exactly when its heads hold more than one value (a field it did not write keeps its
        heads, and so its row or its absence)."""
        began: list[dict[str, str]] = []
        ended: list[dict[str, str]] = []
        for (entity, eid), state in sorted(states.items()):
            for name in sorted(state.written):
                now = len({w.value for w in state.writes[name] if not w.superseded}) > 1
                if now != (name in state.conflicted):
                    (began if now else ended).append(
                        {"entity": entity, "entity_id": eid, "field": name})
        self.bulk.insert(FC, began)
        self.bulk.delete_keys(FC, _CONFLICT_KEYS, ended)

    def _write(self, states: dict[Record, _State], writes: list[dict[str, Any]],
               bases: list[dict[str, str]], supersede: list[dict[str, Any]]) -> None:
        bulk = self.bulk
        bulk.insert(FW, writes)
        bulk.insert_ignore(FB, bases)
        bulk.update(FW, _SUPERSEDE_KEYS, supersede)
        inserts: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = {}
        updates: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = {}
        reindex: list[tuple[Record, dict[str, Any], bool]] = []
        for (entity, eid), state in sorted(states.items()):
            if state.row is None or not state.changed:
                continue
            if state.row_in_db:
                values = {"id": eid, **{c: state.row[c] for c in state.changed}}
                updates.setdefault((entity, frozenset(state.changed)), []).append(values)
            else:
                # Only the columns written: the others keep their defaults, as a row inserted
                # by Projector.apply's does.
                values = {"id": eid, **{c: state.row[c] for c in state.changed}}
                inserts.setdefault((entity, frozenset(values)), []).append(values)
            if state.reindex:  # a row the batch creates has no index entry yet
                reindex.append(((entity, eid), state.row, state.row_in_db))
        for (entity, _cols), rows in sorted(inserts.items(), key=lambda kv: kv[0][0]):
            bulk.insert(table_of(entity), rows)
        for (entity, _cols), rows in sorted(updates.items(), key=lambda kv: kv[0][0]):
            bulk.update(table_of(entity), ("id",), rows)
        self._index(reindex)

    # -- the search index ------------------------------------------------------------------

    def _index(self, changed: list[tuple[Record, dict[str, Any], bool]]) -> None:
        docs = self._docs
        for key, row, in_db in changed:
            body: str | None = None
            if not row.get(DELETED):
                searchable = _searchable(key[0])
                body = fold(" ".join(str(row[f]) for f in searchable if row.get(f))) or None
            pending = docs.get(key)
            # An entry may be stored for a record the tables held before its first batch here.
            docs[key] = (body, in_db if pending is None else pending[1])
        if not self.defer_index or len(docs) >= INDEX_PENDING:
            self.flush_index()

    def flush_index(self) -> None:
        """Write the waiting search documents: the stale entries deleted, the new inserted."""
        if not self._docs:
            return
        docs, self._docs = sorted(self._docs.items()), {}
        self.bulk.delete_in(SEARCH, "entity_id", [eid for (_e, eid), (_b, stored) in docs if stored])
        self.bulk.insert(SEARCH, [{"entity": entity, "entity_id": eid, "body": body}
                                  for (entity, eid), (body, _stored) in docs if body])

    def forget_index(self) -> None:
        """Drop the waiting search documents (their batches were rolled back)."""
        self._docs = {}
