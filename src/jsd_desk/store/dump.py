"""Canonical dump: every readable record, sorted and stable, for comparing replicas (DESIGN §7)."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, func, select

from jsd_desk.domain.records import DELETED, ENTITIES
from jsd_desk.store.projection import FW, table_of
from jsd_desk.store.writer import row_to_record

DUMP_FORMAT = "jsd-dump/1"


def dump_data(conn: Connection, hidden_entities: Collection[str] = ()) -> dict[str, Any]:
    """Live records by entity (tombstoned ones left out) and the open conflicts.

    ``hidden_entities`` are left out entirely: the confidential ones on a device whose role may
    not read them. Nothing device-specific goes in, so two replicas holding the same events
    dump the same bytes.
    """
    records: dict[str, list[dict[str, Any]]] = {}
    for entity in sorted(ENTITIES):
        if entity in hidden_entities:
            continue
        table = table_of(entity)
        rows = conn.execute(select(table).where(table.c.deleted.is_(False)).order_by(table.c.id))
        out = []
        for row in rows:
            rec = row_to_record(entity, row)
            del rec[DELETED]
            out.append(rec)
        records[entity] = out
    return {"format": DUMP_FORMAT, "records": records, "conflicts": conflicts(conn, hidden_entities)}


def conflicts(conn: Connection, hidden_entities: Collection[str] = ()) -> list[dict[str, Any]]:
    multi = (select(FW.c.entity, FW.c.entity_id, FW.c.field)
             .where(FW.c.superseded.is_(False))
             .group_by(FW.c.entity, FW.c.entity_id, FW.c.field)
             .having(func.count(func.distinct(FW.c.value)) > 1)).subquery()
    rows = conn.execute(
        select(FW.c.entity, FW.c.entity_id, FW.c.field, FW.c.stamp, FW.c.value)
        .join(multi, (FW.c.entity == multi.c.entity) & (FW.c.entity_id == multi.c.entity_id)
              & (FW.c.field == multi.c.field))
        .where(FW.c.superseded.is_(False))
        .order_by(FW.c.entity, FW.c.entity_id, FW.c.field, FW.c.stamp))
    grouped: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for entity, eid, field, stamp, value in rows:
        if entity in hidden_entities:
            continue
        grouped.setdefault((entity, eid, field), []).append({"stamp": stamp, "value": json.loads(value)})
    return [{"entity": e, "entity_id": i, "field": f, "heads": heads}
            for (e, i, f), heads in sorted(grouped.items())]


def dump_text(conn: Connection, hidden_entities: Collection[str] = ()) -> str:
    return json.dumps(dump_data(conn, hidden_entities), sort_keys=True, indent=1,
                      ensure_ascii=False) + "\n"



