"""Canonical dump: every readable record, sorted and stable, for comparing replicas (DESIGN §7).

The text is exactly ``json.dumps(dump_data(…), sort_keys=True, indent=1, ensure_ascii=False)``
plus a newline, but written a record at a time: with ``indent`` the standard library encodes in
pure Python, which was most of a dump's time. On SQLite the list of an entity's records is made
by SQLite itself (``_records_text_sql``: ``json_quote`` escapes as ``json.dumps`` does), in the
order of their id; a table holding a value the write path would not have stored there is
written from its values here instead. Elsewhere each record is encoded by the C encoder, its
item separator carrying the newline and the indentation ``indent=1`` would put there. The frame
around the records is written here.

The conflicts are the rows of ``field_conflict`` (kept by the projectors) with their heads.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Collection, Iterator, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, and_, select

from jsd_desk.domain.records import ENTITIES
from jsd_desk.store.driver import quote, readers, streamed
from jsd_desk.store.projection import FC, FW, table_of

DUMP_FORMAT = "jsd-dump/1"

# ``indent=1``: a value nested d levels deep has its items on lines indented by d + 1 spaces.
_RECORDS_DEPTH = 3  # {"records": {entity: [record…]}}


def _converter(kind: str) -> Callable[[Any], Any] | None:
    """What ``writer.row_to_record`` does to a column of this kind (None: nothing)."""
    if kind == "date":
        return lambda v: v if v is None else v.isoformat()
    if kind == "datetime":
        return lambda v: v if v is None else v.isoformat(timespec="seconds")
    if kind == "bool":
        return lambda v: v if v is None else bool(v)
    return None


@functools.cache
def _columns(entity: str) -> tuple[Table, tuple[str, ...], tuple[tuple[int, Callable[[Any], Any]], ...]]:
    """The entity's table, the record's keys in column order and the columns to convert."""
    table = table_of(entity)
    names = ("id", *ENTITIES[entity].fields)
    convert = tuple((i, conv) for i, name in enumerate(names) if i
                    and (conv := _converter(ENTITIES[entity].fields[name].kind)) is not None)
    return table, names, convert


def live_rows(conn: Connection, entity: str) -> Iterator[Sequence[Any]]:
    """The live records of ``entity`` by id, as tuples of ``record_names(entity)``, their values
    as ``writer.row_to_record`` makes them (read as they are used, not all at once)."""
    table, names, convert = _columns(entity)
    rows = streamed(conn, select(*(table.c[n] for n in names))
                    .where(table.c.deleted.is_(False)).order_by(table.c.id))
    if not convert:
        yield from rows
        return
    for row in rows:
        values = list(row)
        for i, conv in convert:
            values[i] = conv(values[i])
        yield values


def record_names(entity: str) -> tuple[str, ...]:
    """The keys of a dumped record (``id`` and the fields), in the order of ``live_rows``."""
    return _columns(entity)[1]


def _rows(conn: Connection, entity: str) -> list[Sequence[Any]]:
    """``list(live_rows(conn, entity))``; on SQLite, read by the driver and sorted here."""
    if conn.dialect.name != "sqlite":
        return list(live_rows(conn, entity))
    return _sqlite_rows(conn, entity, tuple(range(len(_columns(entity)[1]))), dates_in_sql=False)


def _driver_cursor(conn: Connection) -> Any:
    """The driver's own cursor, inside the connection's transaction (begun as SQLAlchemy's
    autobegin would): every read of one dump sees one snapshot."""
    if not conn.in_transaction():
        conn.begin()
    return conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]


def _sqlite_rows(conn: Connection, entity: str, order: tuple[int, ...], *,
                 dates_in_sql: bool) -> list[Sequence[Any]]:
    """The rows of ``live_rows``, each holding the columns at ``order`` (positions in
    ``record_names``), read by the driver's cursor in a plain scan and sorted here by id.

    Ids are text, which SQLite's ORDER BY compares by its BINARY collation (the UTF-8 bytes):
    that is the order of code points, Python's order of ``str``. They are unique: no two rows
    compare equal. Values are converted as ``live_rows`` gets them (SQLAlchemy's result
    processor of the column's type, then ``_converter``); with ``dates_in_sql``, dates and
    datetimes stored as SQLAlchemy stores them are made into the dump's text by SQLite
    (``_FROM_STORED``), and any other such value comes as bytes, which the JSON encoder refuses
    (the caller then reads the table again without ``dates_in_sql``).
    """
    table, names, convert = _columns(entity)
    cursor = _driver_cursor(conn)
    converters = dict(convert)
    columns = [quote(names[i]) for i in order]
    if dates_in_sql:
        for pos, i in enumerate(order):
            kind = ENTITIES[entity].fields[names[i]].kind if i in converters else None
            if kind in _FROM_STORED:
                c = columns[pos]
                columns[pos] = (f"CASE WHEN typeof({c}) = 'text' AND {c} GLOB '{_STORED_GLOB[kind]}' "
                                f"THEN {_FROM_STORED[kind] % {'c': c}} ELSE CAST({c} AS BLOB) END")
                del converters[i]
    rows: list[Sequence[Any]] = cursor.execute(
        f"SELECT {', '.join(columns)} FROM {quote(table.name)} WHERE {quote('deleted')} = 0"
    ).fetchall()
    rows.sort(key=itemgetter(order.index(0)))
    if not converters:
        return rows
    procs = readers(table, conn.dialect)
    steps = [(pos, procs[names[i]], converters[i]) for pos, i in enumerate(order) if i in converters]
    out: list[Sequence[Any]] = []
    for row in rows:
        values = list(row)
        for pos, proc, conv in steps:
            v = values[pos]
            if v is not None:
                values[pos] = conv(v if proc is None else proc(v))
        out.append(values)
    return out


# How SQLAlchemy stores a date and a datetime on SQLite (``%04d-%02d-%02d``, then
# `` %02d:%02d:%02d.%06d``), as GLOB patterns, and the SQL making the dump's text of such a
# value: ``date.isoformat()`` is the stored text; ``datetime.isoformat(timespec="seconds")``
# is its date, a ``T`` and its time to the second.
_D = "[0-9]"
_STORED_GLOB = {"date": f"{_D * 4}-{_D * 2}-{_D * 2}",
                "datetime": f"{_D * 4}-{_D * 2}-{_D * 2} {_D * 2}:{_D * 2}:{_D * 2}.{_D * 6}"}
_FROM_STORED = {"date": "%(c)s", "datetime": "substr(%(c)s, 1, 10) || 'T' || substr(%(c)s, 12, 8)"}


def _records(conn: Connection, entity: str) -> list[dict[str, Any]]:
    """The live records of ``entity`` by id, as ``row_to_record`` makes them, without ``deleted``."""
    names = _columns(entity)[1]
    return [dict(zip(names, row, strict=True)) for row in _rows(conn, entity)]


def dump_data(conn: Connection, hidden_entities: Collection[str] = ()) -> dict[str, Any]:
    """Live records by entity (tombstoned ones left out) and the open conflicts.

    ``hidden_entities`` are left out entirely: the confidential ones on a device whose role may
    not read them. Nothing device-specific goes in, so two replicas holding the same events
    dump the same bytes.
    """
    records = {entity: _records(conn, entity)
               for entity in sorted(ENTITIES) if entity not in hidden_entities}
    return {"format": DUMP_FORMAT, "records": records, "conflicts": conflicts(conn, hidden_entities)}


_CONFLICT_HEADS = (
    select(FC.c.entity, FC.c.entity_id, FC.c.field, FW.c.stamp, FW.c.value)
    .select_from(FC.outerjoin(FW, and_(FW.c.entity == FC.c.entity,
                                       FW.c.entity_id == FC.c.entity_id,
                                       FW.c.field == FC.c.field, FW.c.superseded.is_(False))))
    .order_by(FC.c.entity, FC.c.entity_id, FC.c.field, FW.c.stamp))


def conflicts(conn: Connection, hidden_entities: Collection[str] = ()) -> list[dict[str, Any]]:
    """The fields whose heads (writes nothing superseded) hold more than one value, with their
    heads: the rows of ``field_conflict``, which the projectors keep exactly so.

    Every row is shown as it is, even one whose heads do not differ (or that has none): a table
    out of step with ``field_write`` shows in the dump, and so to ``verify``.
    """
    grouped: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for entity, eid, field, stamp, value in conn.execute(_CONFLICT_HEADS):
        if entity in hidden_entities:
            continue
        heads = grouped.setdefault((entity, eid, field), [])
        if stamp is not None:
            heads.append((stamp, value))
    return [{"entity": e, "entity_id": i, "field": f,
             "heads": [{"stamp": s, "value": json.loads(v)} for s, v in heads]}
            for (e, i, f), heads in sorted(grouped.items())]


def _indented(value: Any, depth: int) -> str:
    """``value`` as ``json.dumps(…, indent=1)`` writes it nested ``depth`` levels deep."""
    text = json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False)
    return text.replace("\n", "\n" + " " * depth)  # JSON strings hold no raw newline


# The values of many records are encoded by one call of the C encoder, as a flat list whose
# items are parted by NUL: the encoder escapes every control character inside a string, so a
# NUL in its output is a separator. Each record's text is then its template filled in.
_PART = "\x00"
_NESTED = frozenset({dict, list})
_VALUES = json.JSONEncoder(ensure_ascii=False, separators=(_PART, ": "))


@functools.cache
def _template(entity: str, depth: int) -> tuple[str, tuple[int, ...]]:
    """The record's text with ``%s`` for its values (keys sorted, as ``sort_keys`` sorts them)
    and the positions of those values in the record's columns."""
    _table, names, _convert = _columns(entity)
    order = sorted(range(len(names)), key=lambda i: names[i])
    pad = "\n" + " " * (depth + 1)
    items = ("," + pad).join(json.dumps(names[i], ensure_ascii=False) + ": %s" for i in order)
    return "{" + pad + items + "\n" + " " * depth + "}", tuple(order)


def _record_texts(entity: str, rows: Sequence[Any], depth: int) -> list[str]:
    """Each row (of ``_rows``) as ``_indented(record, depth)`` would write its record."""
    template, order = _template(entity, depth)
    flat = [row[i] for row in rows for i in order]
    if not flat or not _NESTED.isdisjoint(map(type, flat)):  # not flat: the slow way
        names = _columns(entity)[1]
        return [_indented(dict(zip(names, row, strict=True)), depth) for row in rows]
    parts = _VALUES.encode(flat)[1:-1].split(_PART)
    width = len(order)
    return [template % tuple(parts[i:i + width]) for i in range(0, len(parts), width)]


def _list_text(items: list[str], depth: int) -> str:
    if not items:
        return "[]"
    pad = "\n" + " " * (depth + 1)
    return "[" + pad + ("," + pad).join(items) + "\n" + " " * depth + "]"


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Each kind's value as the dump's JSON, written by SQLite (``%(c)s``: the column). SQLite's
# ``json_quote`` escapes a string exactly as ``json.dumps(…, ensure_ascii=False)`` does (every
# code point was compared; the dump's property test keeps checking it) and writes NULL as null.
# A value stored otherwise than the write path stores it comes out as NUL (``_ODD``), which
# ``json_quote`` never writes raw, or (bytes in a text column) fails the statement.
_ODD = "\x00"
_TEXT_JSON = "json_quote(%(c)s)"
_JSON_OF_KIND = {
    "int": "CASE WHEN typeof(%(c)s) = 'integer' THEN CAST(%(c)s AS TEXT) "
           "WHEN %(c)s IS NULL THEN 'null' ELSE char(0) END",
    "bool": "CASE WHEN typeof(%(c)s) = 'integer' THEN CASE WHEN %(c)s THEN 'true' ELSE 'false' END "
            "WHEN %(c)s IS NULL THEN 'null' ELSE char(0) END",
    **{kind: f"CASE WHEN typeof(%(c)s) = 'text' AND %(c)s GLOB '{_STORED_GLOB[kind]}' "
             f"THEN json_quote({_FROM_STORED[kind]}) WHEN %(c)s IS NULL THEN 'null' "
             "ELSE char(0) END"
       for kind in ("date", "datetime")},
}


@functools.cache
def _records_text_sql(entity: str) -> str:
    """A SELECT of the list of ``entity``'s live records as ``_list_text`` of ``_record_texts``
    writes it, made whole by SQLite (each record by one ``concat``, then all by
    ``group_concat``): the driver hands over one value, not one for each column of each
    record, and nothing is left to encode, sort or join here.

    The records are concatenated in the order of the subquery's ORDER BY: SQLite's aggregate
    takes its rows as the subquery gives them (``group_concat``'s own ORDER BY, the documented
    way, sorted the texts themselves and took a third longer). The dump's property test
    compares the result with the definition byte for byte."""
    template, order = _template(entity, _RECORDS_DEPTH)
    _table, names, _convert = _columns(entity)
    literals = template.split("%s")
    pieces = [_sql_literal(literals[0])]
    for pos, i in enumerate(order):
        kind = ENTITIES[entity].fields[names[i]].kind if i else "text"
        pieces.append(_JSON_OF_KIND.get(kind, _TEXT_JSON) % {"c": quote(names[i])})
        pieces.append(_sql_literal(literals[pos + 1]))
    between = _sql_literal("," + "\n" + " " * _RECORDS_DEPTH)
    return (f"SELECT group_concat(record, {between}) FROM (SELECT concat({', '.join(pieces)}) "
            f"AS record FROM {quote(table_of(entity).name)} WHERE {quote('deleted')} = 0 "
            f"ORDER BY {quote('id')})")


def _made_by_sqlite(conn: Connection, entity: str) -> str | None:
    """``_list_text`` of ``entity``'s live records (``_records_text_sql``), or None where a
    value is stored otherwise than the write path stores it."""
    cursor = _driver_cursor(conn)
    try:
        (records,) = cursor.execute(_records_text_sql(entity)).fetchone()
    except conn.dialect.dbapi.Error:  # type: ignore[union-attr]  # bytes, which JSON cannot hold
        return None
    if records is None:
        return "[]"
    # Already joined as ``_list_text`` joins its items: framed as a list of one.
    return None if _ODD in records else _list_text([records], _RECORDS_DEPTH - 1)


def _entity_text(conn: Connection, entity: str) -> list[str]:
    """The list of ``entity``'s live records as ``dump_text`` writes it (``_list_text`` of
    ``_record_texts``), in pieces to join. On SQLite the list is made by SQLite
    (``_records_text_sql``); a table holding a value stored otherwise is written from its
    values here, its templates filled in by one ``%`` for the whole list."""
    template, order = _template(entity, _RECORDS_DEPTH)
    if conn.dialect.name != "sqlite":
        return [_list_text(_record_texts(entity, _rows(conn, entity), _RECORDS_DEPTH), 2)]
    made = _made_by_sqlite(conn, entity)
    if made is not None:
        return [made]
    # Read in the template's order of columns: the values in the order they are written. A
    # value from SQLite is never a list or a dict (str, int, float, bytes or None; then
    # converted to str or bool): the values are flat.
    rows = _sqlite_rows(conn, entity, order, dates_in_sql=True)
    if not rows:
        return ["[]"]
    try:
        encoded = _VALUES.encode(list(chain.from_iterable(rows)))
    except TypeError:  # a date or a datetime not stored as SQLAlchemy stores it: read as such
        rows = _sqlite_rows(conn, entity, order, dates_in_sql=False)
        encoded = _VALUES.encode(list(chain.from_iterable(rows)))
    parts = encoded[1:-1].split(_PART)
    pad = "\n" + " " * _RECORDS_DEPTH  # the list is one level up from its records
    return ["[", pad, ("," + pad).join([template] * len(rows)) % tuple(parts),
            "\n" + " " * (_RECORDS_DEPTH - 1) + "]"]


def dump_text(conn: Connection, hidden_entities: Collection[str] = ()) -> str:
    # In pieces joined once at the end: a dump is megabytes, each concatenation a copy.
    records: list[str] = []
    for entity in sorted(ENTITIES):
        if entity in hidden_entities:
            continue
        records.append(",\n  " if records else "{\n  ")
        records.append(json.dumps(entity, ensure_ascii=False) + ": ")
        records.extend(_entity_text(conn, entity))
    records.append("\n }" if records else "{}")
    return "".join(["{\n",
                    f' "conflicts": {_indented(conflicts(conn, hidden_entities), 1)},\n',
                    f' "format": {json.dumps(DUMP_FORMAT)},\n',
                    ' "records": ', *records, "\n}\n"])
