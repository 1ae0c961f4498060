"""The conflicts kept (``field_conflict``) are exactly the fields whose heads hold different
values, whichever path projected the events (one at a time, in batches, both in turn), in any
order, with duplicates, on SQLCipher and PostgreSQL; the dump reads them and shows what it
showed when it found them by a GROUP BY over every write; a store from before the table gets
it filled in by the migration."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, select

from jsd_desk.domain.clock import make_stamp
from jsd_desk.domain.records import DELETED, ENTITIES
from jsd_desk.security.sealing import is_sealed_field
from jsd_desk.services.workspace import Workspace, open_workspace
from jsd_desk.store import dump
from jsd_desk.store.batch_projection import BatchProjector
from jsd_desk.store.bulk import Bulk
from jsd_desk.store.eventlog import GENESIS, SignedEvent, make_event
from jsd_desk.store.projection import FW, Projector, clear
from jsd_desk.store.schema import alembic_config, current_revision, head_revision
from tests.conftest import PASSPHRASE
from tests.test_batch_projection import conflicts_by_group_by, kept_conflicts

VALUES = ["vol", "drogue", "vol ", None]  # None: a write of JSON null, a value like another
FIELDS = ["theme", "description", DELETED]

# One write: (record, field, value index, which earlier writes of that field it replaces)
writes = st.lists(st.tuples(st.integers(0, 1), st.sampled_from(FIELDS), st.integers(0, 3),
                            st.lists(st.integers(0, 30), max_size=3)),
                  min_size=1, max_size=30)


def _events(ws: Workspace, plan: list[tuple[int, str, int, list[int]]],
            rng: random.Random) -> list[SignedEvent]:
    """The writes as signed events of the workspace's device, each with its own clock reading
    (not in the order of the plan, so the greatest stamp is not always the latest write); a
    write replaces some of the earlier writes of its field (any of them: heads or not)."""
    ids = [str(uuid.uuid4()) for _ in range(2)]
    hlcs = rng.sample(range(1, 10_000), len(plan))
    device = ws.keys.info.device_id
    earlier: dict[tuple[int, str], list[str]] = {}
    out = []
    for i, (rec, field, value, picks) in enumerate(plan):
        hlc = f"{1_700_000_000_000 + hlcs[i]:013d}.000000"
        before = earlier.setdefault((rec, field), [])
        base = sorted({before[p % len(before)] for p in picks}) if before else []
        if field == DELETED:
            op, fields = ("delete", {DELETED: True}) if value % 2 else ("upsert", {DELETED: False})
        else:
            op, fields = "upsert", {field: VALUES[value]}
        out.append(make_event(ws.keys, seq=i + 1, prev_hash=GENESIS, hlc=hlc, entity="concern",
                              entity_id=ids[rec], op=op, fields=fields,
                              base={field: base} if base else {}))
        before.append(make_stamp(hlc, device))
    return out


def old_conflicts(conn: Connection) -> list[dict[str, Any]]:
    """``dump.conflicts`` as it was: every field written twice, its heads read, those with two
    distinct values kept, by key; each field's heads in the order of their stamps."""
    grouped: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    keys = set(conflicts_by_group_by(conn))
    for entity, eid, field, stamp, value in conn.execute(
            select(FW.c.entity, FW.c.entity_id, FW.c.field, FW.c.stamp, FW.c.value)
            .where(FW.c.superseded.is_(False))
            .order_by(FW.c.entity, FW.c.entity_id, FW.c.field, FW.c.stamp)):
        if (entity, eid, field) in keys:
            grouped.setdefault((entity, eid, field), []).append((stamp, value))
    return [{"entity": e, "entity_id": i, "field": f,
             "heads": [{"stamp": s, "value": json.loads(v)} for s, v in heads]}
            for (e, i, f), heads in sorted(grouped.items())]


def _check(conn: Connection) -> None:
    assert kept_conflicts(conn) == conflicts_by_group_by(conn)
    assert dump.conflicts(conn) == old_conflicts(conn)
    for entity in ENTITIES:
        # The records as read for the dump (on SQLite: a scan sorted here) as ORDER BY id reads them.
        assert ([tuple(r) for r in dump._rows(conn, entity)]
                == [tuple(r) for r in dump.live_rows(conn, entity)])


def _project(conn: Connection, events: list[SignedEvent], rng: random.Random, how: str) -> str:
    """``events`` projected afresh: one at a time, in batches (``portable``: through the
    portable bulk operations rather than the database's own), or both in turn at random."""
    clear(conn)
    one = Projector(conn)
    batch = BatchProjector(conn, bulk=Bulk(conn) if how == "portable" else None)
    i = 0
    while i < len(events):
        n = rng.randint(1, 6)
        if how == "one" or (how == "mixed" and rng.random() < 0.5):
            for ev in events[i:i + n]:
                one.apply(ev)
        else:
            batch.apply(events[i:i + n])
        i += n
        if how == "mixed":
            _check(conn)
    _check(conn)
    return dump.dump_text(conn)


@pytest.fixture
def one_workspace(backend: str | None, make_workspace: Callable[..., Workspace]) -> Iterator[Workspace]:
    yield make_workspace(database_url=backend)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=writes, seed=st.integers(0, 2**32 - 1))
def test_the_conflicts_kept_are_those_the_writes_make(one_workspace: Workspace, plan, seed) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    events = _events(one_workspace, plan, rng)
    shuffled = events + rng.sample(events, k=min(len(events), 5))  # with duplicates
    rng.shuffle(shuffled)
    with one_workspace.store.engine.connect() as conn, conn.begin() as outer:
        dumps = {_project(conn, shuffled, rng, how)
                 for how in ("one", "batch", "portable", "mixed")}
        rng.shuffle(shuffled)
        dumps.add(_project(conn, shuffled, rng, "mixed"))
        assert len(dumps) == 1
        outer.rollback()


def _conflict(ws: Workspace) -> tuple[str, set[tuple[str, str, str]]]:
    """A concern whose theme two writes that did not see each other set to different values."""
    rid = str(uuid.uuid4())
    with ws.store.transaction() as tx:
        tx.create("concern", {"session_id": rid, "description": "Vols au marché", "theme": "vol"},
                  record_id=rid)
    with ws.store.engine.begin() as conn:
        ev = make_event(ws.keys, seq=10_000, prev_hash=GENESIS, hlc="1700000000000.000000",
                        entity="concern", entity_id=rid, op="upsert",
                        fields={"theme": "racket"}, base={})
        Projector(conn).apply(ev)
        kept = set(conflicts_by_group_by(conn))
    return rid, kept


def test_a_store_from_before_the_table_gets_its_conflicts(
        backend: str | None, make_workspace: Callable[..., Workspace]) -> None:
    ws = make_workspace(database_url=backend)
    rid, kept = _conflict(ws)
    assert kept == {("concern", rid, "theme")}
    with ws.store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0004")
    assert current_revision(ws.store.engine)[0] == "0004"
    ws.close()
    reopened = open_workspace(ws.data_dir.root, PASSPHRASE)
    try:
        assert current_revision(reopened.store.engine)[0] == head_revision()
        with reopened.store.engine.connect() as conn:
            assert set(kept_conflicts(conn)) == kept
            shown = dump.conflicts(conn)
            assert [(c["entity_id"], c["field"], sorted(h["value"] for h in c["heads"]))
                    for c in shown] == [(rid, "theme", ["racket", "vol"])]
            assert shown == old_conflicts(conn)
    finally:
        reopened.close()


def test_a_resolved_conflict_leaves_the_table(workspace: Workspace) -> None:
    rid, kept = _conflict(workspace)
    with workspace.store.engine.connect() as conn:
        assert kept_conflicts(conn) == sorted(kept)
    with workspace.store.transaction() as tx:
        tx.put("concern", rid, {"theme": "racket"})  # replaces both heads
    with workspace.store.engine.begin() as conn:
        assert kept_conflicts(conn) == [] == conflicts_by_group_by(conn)
        assert dump.conflicts(conn) == []


ODD_TEXTS = [  # (PostgreSQL's text holds no NUL: left out there)
    "Sécurité du marché", 'guillemets " et \\ barre', "ligne\nsuivante\ttab\r\x01\x1f\x7f",
    "100 % sûr %s %(x)s", "{\"a\": [1]} ]\x00[ },", "\u2028\u2029 😀 中文", "", "null"]


def _typed_records(ws: Workspace, conn: Connection, rng: random.Random) -> None:
    """Records of every kind of column (dates, datetimes, booleans, numbers, odd texts),
    projected straight from events: values the forms would refuse reach the dump too."""
    seq = 20_000
    projector = Projector(conn)
    texts = [t if conn.dialect.name == "sqlite" else t.replace("\x00", "") for t in ODD_TEXTS]
    for entity in ("session", "complaint", "action_item", "follow_up", "attendance",
                   "complaint_status_change", "concern"):
        for _n in range(rng.randint(0, 6)):
            fields: dict[str, Any] = {}
            for name, spec in ENTITIES[entity].fields.items():
                if is_sealed_field(entity, name) or rng.random() < 0.2:
                    continue
                fields[name] = {
                    "date": lambda: f"20{rng.randint(10, 40)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                    "datetime": lambda: f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T"
                                        f"{rng.randint(10, 23)}:{rng.randint(10, 59)}:"
                                        f"{rng.randint(10, 59)}" + rng.choice(["", ".5", ".123456"]),
                    "bool": lambda: rng.choice([True, False]),
                    "int": lambda: rng.randint(-5, 2**31 - 1),
                }.get(spec.kind, lambda: rng.choice(texts))()
            seq += 1
            eid = str(uuid.uuid4())
            projector.apply(make_event(
                ws.keys, seq=seq, prev_hash=GENESIS, hlc=f"{1_700_000_000_000 + seq}.000000",
                entity=entity, entity_id=eid, op="upsert", fields=fields, base={}))
            if rng.random() < 0.2:  # a tombstone: left out of the dump
                seq += 1
                projector.apply(make_event(
                    ws.keys, seq=seq, prev_hash=GENESIS, hlc=f"{1_700_000_000_000 + seq}.000000",
                    entity=entity, entity_id=eid, op="delete", fields={}, base={}))


def reference_dump(conn: Connection, hidden: frozenset[str] = frozenset()) -> str:
    """What the dump is by definition (DESIGN §7): the records as ``live_rows`` reads them
    (ORDER BY id, through SQLAlchemy) and the conflicts, as ``json.dumps`` writes them."""
    records = {e: [dict(zip(dump.record_names(e), r, strict=True)) for r in dump.live_rows(conn, e)]
               for e in sorted(ENTITIES) if e not in hidden}
    data = {"format": dump.DUMP_FORMAT, "records": records,
            "conflicts": [c for c in old_conflicts(conn) if c["entity"] not in hidden]}
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_the_dump_is_the_canonical_json_of_the_records(one_workspace: Workspace, seed: int) -> None:
    """Byte for byte, on SQLCipher (read by the driver, sorted here, dates made by SQLite) and
    PostgreSQL; also with dates and datetimes not stored as SQLAlchemy stores them (read the
    slow way), and with entities hidden."""
    rng = random.Random(seed)
    with one_workspace.store.engine.connect() as conn, conn.begin() as outer:
        _typed_records(one_workspace, conn, rng)
        _events_conflicting(one_workspace, conn, rng)
        assert dump.dump_text(conn) == reference_dump(conn)
        hidden = frozenset(rng.sample(sorted(ENTITIES), 3))
        assert dump.dump_text(conn, hidden) == reference_dump(conn, hidden)
        if conn.dialect.name == "sqlite":
            # The records as the write path stores them are all written by SQLite itself.
            assert all(dump._made_by_sqlite(conn, e) is not None for e in ENTITIES)
            session = ENTITIES["session"]
            assert session.fields["starts_at"].kind == "datetime"
            conn.exec_driver_sql("UPDATE session SET starts_at = '2026-03-14T09:30' "
                                 "WHERE rowid = (SELECT min(rowid) FROM session)")
            conn.exec_driver_sql("UPDATE action_item SET due_on = '2026-W10-3' "
                                 "WHERE rowid = (SELECT min(rowid) FROM action_item)")
            assert dump.dump_text(conn) == reference_dump(conn)
            # Values SQLite cannot write as the dump does (a float, text in an integer column,
            # a number in a boolean one): those tables are written from their values instead.
            conn.exec_driver_sql("UPDATE attendance SET count = 2.5 "
                                 "WHERE rowid = (SELECT min(rowid) FROM attendance WHERE deleted = 0)")
            conn.exec_driver_sql("UPDATE attendance SET count = 'douze' "
                                 "WHERE rowid = (SELECT max(rowid) FROM attendance WHERE deleted = 0)")
            conn.exec_driver_sql("UPDATE session SET deleted = 0, minutes = 'x' "
                                 "WHERE rowid = (SELECT min(rowid) FROM session)")
            assert dump.dump_text(conn) == reference_dump(conn)
            if conn.exec_driver_sql("SELECT count(*) FROM attendance WHERE deleted = 0").scalar():
                assert dump._made_by_sqlite(conn, "attendance") is None
        outer.rollback()


def _events_conflicting(ws: Workspace, conn: Connection, rng: random.Random) -> None:
    plan = [(rng.randint(0, 1), rng.choice(FIELDS), rng.randint(0, 3),
             [rng.randint(0, 30) for _ in range(rng.randint(0, 2))]) for _ in range(12)]
    projector = Projector(conn)
    for ev in _events(ws, plan, rng):
        projector.apply(ev)


def test_sqlite_quotes_every_character_as_the_json_module_does(workspace: Workspace) -> None:
    """The dump's records are written by SQLite's ``json_quote`` on the promise that it
    escapes a string exactly as ``json.dumps(…, ensure_ascii=False)`` does: checked for every
    code point (surrogates cannot be stored) and for strings mixing them."""
    chars = [chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF]
    mixed = ['a"b\\c\n\t\x00é€😀\u2028\x7f\x1f', "\x00\x00", "", "'quoted' %s {}"]
    raw = workspace.store.engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
        # Bound as parameters (a JSON array would go through SQLite's JSON parser first).
        cursor.execute("CREATE TEMP TABLE quoted (text TEXT)")
        cursor.executemany("INSERT INTO quoted VALUES (?)", [(c,) for c in chars])
        quoted = cursor.execute("SELECT json_quote(text) FROM quoted ORDER BY rowid").fetchall()
        assert [q for (q,) in quoted] == [json.dumps(c, ensure_ascii=False) for c in chars]
        cursor.execute("DROP TABLE quoted")
        for text in mixed:
            (quoted,) = cursor.execute("SELECT json_quote(?)", (text,)).fetchone()
            assert quoted == json.dumps(text, ensure_ascii=False)
    finally:
        raw.close()
