"""The projection: ordinary tables computed from the set of events (DESIGN §4).

Each field merges last-writer-wins by stamp (``hlc/device``). Every write is remembered in
``field_write`` with the stamps it declared it replaced (``field_base``); a write that no other
write replaced is a *head*, and a field with two heads is a conflict kept for the user. All of it
depends only on which events are present, never on the order they arrived in.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import unicodedata
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from jsd_desk.domain.records import DELETED, ENTITIES
from jsd_desk.security.sealing import NO_READER, SEALED_MARKER_JSON, UNREADABLE, Reader, is_sealed_field
from jsd_desk.store import models
from jsd_desk.store.driver import Driver, insert_sql, select_by_id_sql, update_by_id_sql
from jsd_desk.store.eventlog import SignedEvent

FW = models.tbl(models.FieldWrite)
FB = models.tbl(models.FieldBase)
SEARCH = models.tbl(models.SearchDoc)
FC = models.tbl(models.FieldConflict)


def table_of(entity: str) -> Table:
    return models.tbl(models.SYNCED_MODELS[entity])


def fold(text: str) -> str:
    """Lower case without accents: what search compares ("Sécurité" → "securite")."""
    folded = text.casefold()
    if folded.isascii():
        return folded  # NFKD leaves ASCII as it is, and it has no combining mark
    return unicodedata.normalize("NFKD", folded).translate(_MARKS)


class _Marks(dict[int, str | None]):
    """For ``str.translate``: combining marks map to None (dropped), other characters to
    themselves; each character is looked up once per process, in C after the first time."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        value = None if unicodedata.combining(char) else char
        self[code] = value
        return value


_MARKS = _Marks()


def to_column(entity: str, field: str, value: Any) -> Any:
    """A JSON event value as the column's Python value."""
    if value is None or field == DELETED:
        return value
    kind = ENTITIES[entity].fields[field].kind
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    return value


def insert_ignore(conn: Connection, table: Table) -> Any:
    """INSERT … ON CONFLICT DO NOTHING in the connection's dialect."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


@dataclass
class Applied:
    conflicts: int = 0


# Who reads sealed values through each engine: its store's device (``Store`` registers it), so
# every projector over that database — writes, imports, rebuilds, verify — opens the same ones.
_READERS: weakref.WeakKeyDictionary[Engine, Reader] = weakref.WeakKeyDictionary()


def register_reader(engine: Engine, reader: Reader) -> None:
    _READERS[engine] = reader


def reader_for(conn: Connection) -> Reader:
    return _READERS.get(conn.engine, NO_READER)


# Statements are built once per table and reused with bound parameters: on the write path,
# building and caching a statement costs more than SQLite running it.
@functools.cache
def _inserts(table: Table) -> Any:
    return insert(table)


@functools.cache
def _update_by_id(table: Table) -> Any:
    # No .values(): the SET clause follows the keys of the parameters given at execution.
    return update(table).where(table.c.id == bindparam("_id"))


@functools.cache
def select_by_id(table: Table) -> Any:
    return select(table).where(table.c.id == bindparam("_id"))


@functools.cache
def _searchable_row(table: Table, searchable: tuple[str, ...]) -> Any:
    return select(table.c.deleted, *(table.c[f] for f in searchable)).where(table.c.id == bindparam("_id"))


_SEARCH_DELETE = delete(SEARCH).where(SEARCH.c.entity_id == bindparam("_id"))
_HEADS = select(FW.c.field, FW.c.stamp).where(
    and_(FW.c.entity == bindparam("_e"), FW.c.entity_id == bindparam("_id"), FW.c.superseded.is_(False)))


_FW_COLUMNS = ("entity", "entity_id", "field", "stamp", "value", "superseded", "device_id", "seq")
_FW_INSERT_SQL = insert_sql("field_write", _FW_COLUMNS)
_FB_INSERT_SQL = insert_sql("field_base", ("entity", "entity_id", "field", "stamp"), ignore=True)
_FW_STATE_SQL = ('SELECT "field", "stamp", "superseded", "value" FROM "field_write" '
                 'WHERE "entity" = ? AND "entity_id" = ?')
_FB_LATE_SQL = ('SELECT "field" FROM "field_base" WHERE "entity" = ? AND "entity_id" = ? '
                'AND "stamp" = ?')
_SUPERSEDE_SQL = ('UPDATE "field_write" SET "superseded" = ? WHERE "entity" = ? AND '
                  '"entity_id" = ? AND "field" = ? AND "stamp" = ?')
_SEARCH_DELETE_SQL = 'DELETE FROM "search_doc" WHERE "entity_id" = ?'
_FC_INSERT_SQL = insert_sql("field_conflict", ("entity", "entity_id", "field"), ignore=True)
_FC_DELETE_SQL = ('DELETE FROM "field_conflict" WHERE "entity" = ? AND "entity_id" = ? AND '
                  '"field" = ?')
# An entry replaced in place (FTS5's update trigger re-indexes it): one statement, not two.
_SEARCH_UPDATE_SQL = 'UPDATE "search_doc" SET "entity" = ?, "body" = ? WHERE "entity_id" = ?'
_SEARCH_INSERT_SQL = insert_sql("search_doc", ("entity", "entity_id", "body"))

# json.dumps(value, ensure_ascii=False) without making an encoder at each call.
to_json = json.JSONEncoder(ensure_ascii=False).encode

# One write of a field as the merge sees it: stamp, superseded, JSON value.
MergeState = dict[str, list[tuple[str, bool, str]]]


def merge_state(driver: Driver, entity: str, eid: str) -> MergeState:
    """Every write of one record, by field (what ``Projector.apply`` merges against)."""
    out: MergeState = {}
    for f, s, sup, v in driver.execute(_FW_STATE_SQL, (entity, eid)).fetchall():
        out.setdefault(f, []).append((s, bool(sup), v))
    return out


@functools.lru_cache(maxsize=256)
def edit_state_sql(fields: tuple[str, ...], width: int = 4, head_index: str = "") -> str:
    """The writes of ``fields`` of one record that an edit made here merges against: each
    field's heads and its latest write (parameters: ``edit_state_params``). ``Projector.apply``
    reads no more of the merge state for an event made here (``local``: no stored write has its
    stamp), nor does ``heads_of``.

    The heads come from ``ix_field_write_head``, which holds only them, and each latest write
    from one seek of the primary key: the read costs the same after the 2,000th autosave of a
    session's minutes as after the first (it read every write of the record before). Rows are
    ``(1, field, stamp, superseded, value)``, padded with NULLs to ``width`` columns after the
    tag; ``head_index`` is SQLite's ``INDEXED BY`` (without statistics its planner may take the
    primary key instead)."""
    names = '"field", "stamp", "superseded", "value"'
    row = f"1, {names}" + ", NULL" * (width - 4)
    marks = ", ".join("?" for _ in fields)
    parts = [f'SELECT {row} FROM "field_write" {head_index} WHERE "entity_id" = ? AND '
             f'"field" IN ({marks}) AND NOT "superseded" AND "entity" = ?']
    # A latest write that is not a head: superseded by a write with an earlier stamp (from a
    # device whose clock was behind). A local edit stamped between the two must still lose.
    parts += [f'SELECT {row} FROM (SELECT {names} FROM "field_write" WHERE "entity" = ? AND '
              f'"entity_id" = ? AND "field" = ? ORDER BY "stamp" DESC LIMIT 1) AS l'
              f'{n} WHERE "superseded"' for n in range(len(fields))]
    return " UNION ALL ".join(parts)


def edit_state_params(entity: str, eid: str, fields: tuple[str, ...]) -> tuple[str, ...]:
    out: tuple[str, ...] = (eid, *fields, entity)
    for name in fields:
        out += (entity, eid, name)
    return out


def edit_state(driver: Driver, entity: str, eid: str, fields: tuple[str, ...]) -> MergeState:
    """``edit_state_sql`` read on its own (PostgreSQL: the write path's one statement there
    would mix the record's columns with these)."""
    out: MergeState = {}
    sql = edit_state_sql(fields)
    for _tag, f, s, sup, v in driver.execute(sql, edit_state_params(entity, eid, fields)).fetchall():
        out.setdefault(f, []).append((s, bool(sup), v))
    return out


def heads_of(state: MergeState) -> dict[str, list[str]]:
    """The heads of each field: its writes no other write replaced."""
    return {f: [s for s, sup, _v in writes if not sup] for f, writes in state.items()
            if any(not sup for _s, sup, _v in writes)}


class Projector:
    """Applies events to the projection tables within the caller's transaction.

    Sealed values are opened with ``reader`` (by default the one registered for the
    connection's engine): the projection is a pure function of the set of events *for a given
    reader*. What it cannot open projects as NULL, and its merge state keeps only the marker
    ``{"sealed": true}`` (see ``jsd_desk.security.sealing``).

    Its statements are prebuilt SQL on the driver's cursor (``store/driver.py``).
    """

    def __init__(self, conn: Connection, reader: Reader | None = None) -> None:
        self.conn = conn
        self.reader = reader_for(conn) if reader is None else reader
        self._driver: Driver | None = None

    @property
    def driver(self) -> Driver:
        if self._driver is None:
            self._driver = Driver(self.conn)
        return self._driver

    def apply(self, ev: SignedEvent, *, fresh: bool = False, state: MergeState | None = None,
              record: dict[str, Any] | None = None, local: bool = False) -> Applied:
        """Merge one event into the projection.

        ``fresh`` is the write path's promise that it has just made this record's id, so no
        write of it exists anywhere yet: the reads of its merge state are skipped (same result,
        a third of the statements — this is the hot path of data entry and demo data).
        ``state`` and ``record``: the record's merge state and its row (as ``Tx.get`` gives
        it), read by the caller in this transaction just before — not read again. ``local``:
        the event was just made here, with a stamp this device's clock never gave before, so no
        stored event can have named it as replaced (``field_base``) — not looked for.
        """
        entity, eid, stamp = ev.entity, ev.entity_id, ev.stamp
        fields = dict(ev.fields)
        if ev.op == "delete":
            fields = {DELETED: True}
        db = self.driver
        existing: MergeState = {}
        replaced_late: set[str] = set()
        if not fresh:
            existing = merge_state(db, entity, eid) if state is None else state
            if not local:
                replaced_late = {r[0] for r in
                                 db.execute(_FB_LATE_SQL, (entity, eid, stamp)).fetchall()}

        writes, bases, supersede, winners = [], [], [], {}
        flips: list[tuple[bool, str]] = []  # (conflicted now, field) where that changed
        result = Applied()
        for field, value in fields.items():
            prior = existing.get(field, [])
            if any(s == stamp for s, _sup, _v in prior):
                continue  # this write is already here
            superseded = field in replaced_late
            if is_sealed_field(entity, field):
                value = self.reader.open_field(entity, field, value)
                encoded = (SEALED_MARKER_JSON if value is UNREADABLE
                           else to_json(value))
                value = None if value is UNREADABLE else value
            else:
                encoded = to_json(value)
            writes.append(db.bound(FW, _FW_COLUMNS, (entity, eid, field, stamp, encoded,
                                                     superseded, ev.device_id, ev.seq)))
            replaced = set(ev.base.get(field, ()))
            for b in replaced:
                bases.append((entity, eid, field, b))
                supersede.append(db.bound(FW, ("superseded", "entity", "entity_id", "field",
                                               "stamp"), (True, entity, eid, field, b)))
            if not prior or stamp > max(s for s, _sup, _v in prior):
                winners[field] = value
            # Heads holding the same value (two devices loading the same reference data) agree:
            # only different values make a conflict.
            head_values = {v for s, sup, v in prior if not sup and s not in replaced}
            if not superseded:
                head_values.add(encoded)
            conflicted = len(head_values) > 1
            if conflicted:
                result.conflicts += 1
            if conflicted != (len({v for _s, sup, v in prior if not sup}) > 1):
                flips.append((conflicted, field))
        db.executemany(_FW_INSERT_SQL, writes)
        if bases:
            db.executemany(_FB_INSERT_SQL, bases)
            db.executemany(_SUPERSEDE_SQL, supersede)
        for now_conflicted, name in flips:  # field_conflict: only where a field's status changed
            db.execute(_FC_INSERT_SQL if now_conflicted else _FC_DELETE_SQL, (entity, eid, name))
        if winners:
            self._set_columns(entity, eid, winners, fresh, record)
        return result

    def _set_columns(self, entity: str, eid: str, winners: dict[str, Any], fresh: bool,
                     record: dict[str, Any] | None) -> None:
        table = table_of(entity)
        db = self.driver
        names = tuple(winners)
        values = [to_column(entity, f, v) for f, v in winners.items()]
        searchable = ENTITIES[entity].searchable_fields()
        if fresh:
            cols = ("id", DELETED, *(n for n in names if n != DELETED))
            row = [eid, False, *(v for n, v in zip(names, values, strict=True) if n != DELETED)]
            if DELETED in winners:
                row[1] = winners[DELETED]
            db.execute(insert_sql(table.name, cols), db.bound(table, cols, row))
            body = fold(" ".join(str(winners[f]) for f in searchable if winners.get(f)))
            if body and not winners.get(DELETED):
                db.execute(_SEARCH_INSERT_SQL, (entity, eid, body))
            return
        if record is None:
            db.execute(insert_sql(table.name, ("id", DELETED), ignore=True),
                       db.bound(table, ("id", DELETED), (eid, False)))
        db.execute(update_by_id_sql(table.name, names), [*db.bound(table, names, values), eid])
        if searchable and (DELETED in winners or any(f in winners for f in searchable)):
            self._index(entity, eid, table, searchable, winners, record)

    def _index(self, entity: str, eid: str, table: Table, searchable: tuple[str, ...],
               winners: dict[str, Any], record: dict[str, Any] | None) -> None:
        db = self.driver
        if record is None:
            cols = (DELETED, *searchable)
            row = db.fetch_processed(table, cols, db.execute(select_by_id_sql(table.name, cols),
                                                             (eid,)).fetchone())
        else:
            # The row as the update just left it: searchable fields are text, as stored.
            after = {**record, **winners}
            row = [after[DELETED], *(after[f] for f in searchable)]
        body = "" if row[0] else fold(" ".join(str(v) for v in row[1:] if v))
        if not body:
            db.execute(_SEARCH_DELETE_SQL, (eid,))
        elif not db.execute(_SEARCH_UPDATE_SQL, (entity, body, eid)).rowcount:
            db.execute(_SEARCH_INSERT_SQL, (entity, eid, body))


def clear(conn: Connection) -> None:
    """Empty the projection and merge state (before a rebuild from the log)."""
    conn.execute(delete(SEARCH))
    conn.execute(delete(FW))
    conn.execute(delete(FB))
    conn.execute(delete(FC))
    for model in models.SYNCED_MODELS.values():
        conn.execute(delete(models.tbl(model)))


def heads(conn: Connection, entity: str, eid: str) -> dict[str, list[str]]:
    """The current heads of every field of one record (what a new local write replaces)."""
    out: dict[str, list[str]] = {}
    for f, s in conn.execute(_HEADS, {"_e": entity, "_id": eid}):
        out.setdefault(f, []).append(s)
    return out
