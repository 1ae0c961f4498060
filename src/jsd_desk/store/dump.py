"""Canonical dump: every readable record, sorted and stable, for comparing replicas (DESIGN §7).

The text is exactly ``json.dumps(dump_data(…), sort_keys=True, indent=1, ensure_ascii=False)``
plus a newline, but written a record at a time: with ``indent`` the standard library encodes in
pure Python, which was most of a dump's time. Each record is encoded by the C encoder, its item
separator carrying the newline and the indentation ``indent=1`` would put there; the frame around
the records is written here. The records are read in the order of their id, as they are output.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, select

from jsd_desk.domain.records import ENTITIES
from jsd_desk.store.projection import FW, table_of

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
    rows = conn.execute(select(*(table.c[n] for n in names))
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
    return list(live_rows(conn, entity))


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


def conflicts(conn: Connection, hidden_entities: Collection[str] = ()) -> list[dict[str, Any]]:
    """The fields whose heads (writes nothing superseded) hold more than one value.

    Only a field written more than once can have two heads: those are found first by a scan of
    ``field_write``'s primary key alone (no row read), then only their heads are read.
    """
    written_twice = (select(FW.c.entity, FW.c.entity_id, FW.c.field)
                     .group_by(FW.c.entity, FW.c.entity_id, FW.c.field)
                     .having(func.count() > 1)).subquery()
    rows = conn.execute(
        select(FW.c.entity, FW.c.entity_id, FW.c.field, FW.c.stamp, FW.c.value)
        .join(written_twice, (FW.c.entity == written_twice.c.entity)
              & (FW.c.entity_id == written_twice.c.entity_id) & (FW.c.field == written_twice.c.field))
        .where(FW.c.superseded.is_(False))
        .order_by(FW.c.entity, FW.c.entity_id, FW.c.field, FW.c.stamp))
    grouped: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for entity, eid, field, stamp, value in rows:
        if entity in hidden_entities:
            continue
        grouped.setdefault((entity, eid, field), []).append((stamp, value))
    # COUNT(DISTINCT value) > 1, as SQL counts it (NULLs are not values).
    return [{"entity": e, "entity_id": i, "field": f,
             "heads": [{"stamp": s, "value": json.loads(v)} for s, v in heads]}
            for (e, i, f), heads in sorted(grouped.items())
            if len({v for _s, v in heads if v is not None}) > 1]


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


def dump_text(conn: Connection, hidden_entities: Collection[str] = ()) -> str:
    entities = []
    for entity in sorted(ENTITIES):
        if entity in hidden_entities:
            continue
        texts = _record_texts(entity, _rows(conn, entity), _RECORDS_DEPTH)
        entities.append(json.dumps(entity, ensure_ascii=False) + ": " + _list_text(texts, 2))
    records = ("{\n  " + ",\n  ".join(entities) + "\n }") if entities else "{}"
    return ("{\n"
            f' "conflicts": {_indented(conflicts(conn, hidden_entities), 1)},\n'
            f' "format": {json.dumps(DUMP_FORMAT)},\n'
            f' "records": {records}\n'
            "}\n")
