"""The foundation's speed (issue 2), each against a baseline measured in the same run.

(a) write path: events per second through ``Store.transaction()`` / ``Tx`` (sign, append to the
    feed, merge into the projection, index for search), against inserting *the same rows* — the
    very rows the write path left in ``event``, ``field_write``, ``field_base``, the record
    tables and ``search_doc`` — with raw DB-API ``executemany`` into an empty store of the same
    schema, on the same SQLCipher build with the same pragmas, in the same number of commits.
(b) ``jsd-desk demo --sessions N`` (N = env ``JSD_BENCH_DEMO_SESSIONS``, default 2000): its
    time and events per second, against (a)'s raw baseline.
(c) ``jsd-desk dump`` of that store (``dump_text``), against a raw ``SELECT *`` of the same
    tables.
(d) one committed edit (an autosave of a session's minutes), against a raw committed insert of
    the rows it left.
(e) an autosave after ``JSD_BENCH_HISTORY`` (default 2000) autosaves of the same minutes,
    against the first ones: the edit's read must not grow with the record's history.

Results are printed as a table and written to ``build/bench/foundation.json``.

    python -m benchmarks foundation
    JSD_BENCH_DEMO_SESSIONS=200 JSD_BENCH_EVENTS=2000 python -m benchmarks foundation   # quick
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import io
import json
import os
import platform
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parent.parent / "build" / "bench"
PASSPHRASE = "benchmark passphrase"
DEMO_SESSIONS = int(os.environ.get("JSD_BENCH_DEMO_SESSIONS", "2000"))
WRITE_EVENTS = int(os.environ.get("JSD_BENCH_EVENTS", "5000"))
EDITS = int(os.environ.get("JSD_BENCH_EDITS", "300"))
HISTORY = int(os.environ.get("JSD_BENCH_HISTORY", "2000"))

# Tables the write path writes to for records (besides the projection tables themselves).
MERGE_TABLES = ("event", "field_write", "field_base", "search_doc")


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


@contextlib.contextmanager
def _raw(engine: Engine) -> Iterator[Any]:
    """The driver's own connection (sqlcipher3), keyed and with the engine's pragmas."""
    fairy = engine.raw_connection()
    try:
        yield fairy.driver_connection
    finally:
        fairy.close()


# ---------------------------------------------------------------------------------------------
# (a) the write path against raw inserts of the same rows
# ---------------------------------------------------------------------------------------------

def _write_batch(tx: Any, platform_id: str, i: int) -> None:
    """One session's worth of writes (26 events), the way the services make them."""
    day = dt.datetime(2026, 1, 1, 9) + dt.timedelta(days=i)
    sid = tx.create("session", {"platform_id": platform_id, "kind": "neighbourhood_dialogue",
                                "title": f"Dialogue communautaire de Yantala n° {i}",
                                "starts_at": day, "ends_at": day + dt.timedelta(hours=3),
                                "venue": "École primaire de Yantala", "language": "fr",
                                "facilitator": "Mariama Garba", "status": "draft"})
    for pos in range(1, 5):
        tx.create("agenda_item", {"session_id": sid, "position": pos, "title": f"Point {pos}"})
    cats = ("police", "gendarmerie", "local_authority", "traditional_chief", "religious_leader",
            "women")
    for n, cat in enumerate(cats):
        for gender in ("f", "m"):
            tx.create("attendance", {"session_id": sid, "category": cat, "gender": gender,
                                     "count": 3 + n})
    for n in range(3):
        tx.create("concern", {"session_id": sid, "theme": "Vols de motos", "raised_by": "youth",
                              "description": f"Des motos sont volées la nuit près du marché ({n})."})
    actions = [tx.create("action_item", {
        "session_id": sid, "platform_id": platform_id, "status": "open",
        "description": f"Organiser des patrouilles de nuit autour du marché ({n})",
        "responsible_party": "police", "owner": "Commissaire de Yantala",
        "due_on": day.date() + dt.timedelta(days=30)}) for n in range(2)]
    cid = tx.create("complaint", {"reference": f"BENC-2026-{i:04d}", "received_on": day.date(),
                                  "channel": "session", "session_id": sid, "category": "theft",
                                  "description": "Vol de moto devant le domicile du plaignant.",
                                  "anonymous": True, "status": "received"})
    tx.create("complaint_status_change", {"complaint_id": cid, "from_status": "received",
                                          "to_status": "under_review", "changed_at": day})
    tx.put("session", sid, {"minutes": "Séance ouverte à 9 h par l'animatrice. " * 5})
    tx.put("action_item", actions[0], {"status": "in_progress"})


def _rows_of(conn: Any, table: str, where: str = "", params: tuple[Any, ...] = ()) -> tuple[
        list[str], list[tuple[Any, ...]]]:
    cur = conn.execute(f"SELECT * FROM {table} {where}", params)
    return [d[0] for d in cur.description], cur.fetchall()


def bench_write_path(tmp: Path) -> dict[str, float]:
    from jsd_desk.services.workspace import init_workspace
    from jsd_desk.store.engine import sqlcipher_engine
    from jsd_desk.store.projection import table_of
    from jsd_desk.store.schema import ensure_schema

    ws, _recovery = init_workspace(tmp / "write", "bench", "facilitator", PASSPHRASE)
    store = ws.store
    with store.transaction() as tx:
        platform_id = tx.create("platform", {"name": "Plateforme de Yantala"})
    with _raw(store.engine) as conn:
        seq0 = conn.execute("SELECT max(seq) FROM event").fetchone()[0]
    batches = max(1, WRITE_EVENTS // 26)
    bounds: list[int] = []  # the last seq of each transaction

    def write() -> None:
        for i in range(batches):
            with store.transaction() as tx:
                _write_batch(tx, platform_id, i)
                bounds.append(tx.events[-1].seq)

    write_s, _none = _timed(write)
    events = bounds[-1] - seq0

    # The rows the write path produced, grouped by the transaction that wrote them.
    def batch_of_seq(seq: int) -> int:
        return bisect.bisect_left(bounds, seq)

    plan: list[dict[str, list[tuple[Any, ...]]]] = [{} for _ in bounds]
    columns: dict[str, list[str]] = {}
    with _raw(store.engine) as conn:
        first_batch: dict[str, int] = {}
        cols, rows = _rows_of(conn, "event", "WHERE seq > ? ORDER BY seq", (seq0,))
        columns["event"] = cols
        for row in rows:
            b = batch_of_seq(row[cols.index("seq")])
            first_batch.setdefault(row[cols.index("entity_id")], b)
            plan[b].setdefault("event", []).append(row)
        cols, rows = _rows_of(conn, "field_write", "WHERE seq > ?", (seq0,))
        columns["field_write"] = cols
        for row in rows:
            plan[batch_of_seq(row[cols.index("seq")])].setdefault("field_write", []).append(row)
        entity_tables = sorted({str(row[0]) for row in conn.execute(
            "SELECT DISTINCT entity FROM event WHERE seq > ?", (seq0,))})
        for entity in entity_tables:
            name = table_of(entity).name
            cols, rows = _rows_of(conn, name)
            columns[name] = cols
            for row in rows:
                found = first_batch.get(row[cols.index("id")])
                if found is not None:
                    plan[found].setdefault(name, []).append(row)
        for name, key in (("field_base", "entity_id"), ("search_doc", "entity_id")):
            cols, rows = _rows_of(conn, name)
            columns[name] = cols
            for row in rows:
                found = first_batch.get(row[cols.index(key)])
                if found is not None:
                    plan[found].setdefault(name, []).append(row)
    ws.close()

    # The same rows, inserted raw into an empty store of the same schema and pragmas.
    raw_path = tmp / "raw.db"
    engine = sqlcipher_engine(raw_path, secrets.token_bytes(32))
    ensure_schema(engine, raw_path)
    rows_total = sum(len(r) for batch in plan for r in batch.values())
    with _raw(engine) as conn:
        def insert_raw() -> None:
            for batch in plan:
                conn.execute("BEGIN IMMEDIATE")
                for name, rows in batch.items():
                    cols = columns[name]
                    conn.executemany(f"INSERT INTO {name} ({', '.join(cols)}) VALUES "
                                     f"({', '.join('?' for _ in cols)})", rows)
                conn.execute("COMMIT")

        raw_s, _none = _timed(insert_raw)
    engine.dispose()
    return {"write_events": float(events), "write_transactions": float(len(bounds)),
            "write_s": write_s, "write_events_per_s": events / write_s,
            "raw_rows": float(rows_total), "raw_s": raw_s, "raw_events_per_s": events / raw_s,
            "write_vs_raw_ratio": write_s / raw_s}


# ---------------------------------------------------------------------------------------------
# (d) one GUI-sized edit, committed, against one raw committed insert of the same rows
# ---------------------------------------------------------------------------------------------

def bench_single_edit(tmp: Path) -> dict[str, float]:
    """One edit as the GUI makes it: a field of an existing record changed (the minutes of a
    session, autosaved), one transaction, one signed event and its projection, committed."""
    from jsd_desk.services.workspace import init_workspace
    from jsd_desk.store.engine import sqlcipher_engine
    from jsd_desk.store.schema import ensure_schema

    ws, _recovery = init_workspace(tmp / "edit", "bench", "facilitator", PASSPHRASE)
    store = ws.store
    with store.transaction() as tx:
        platform_id = tx.create("platform", {"name": "Plateforme de Yantala"})
        _write_batch(tx, platform_id, 0)
        sids = [tx.create("session", {"platform_id": platform_id, "kind": "workshop",
                                      "title": f"Atelier {n}", "starts_at": dt.datetime(2026, 2, 1, 9),
                                      "status": "draft", "minutes": "Ouverture."})
                for n in range(20)]
    with _raw(store.engine) as conn:
        seq0 = conn.execute("SELECT max(seq) FROM event").fetchone()[0]

    def edit() -> None:
        for n in range(EDITS):
            with store.transaction() as tx:
                tx.put("session", sids[n % len(sids)],
                       {"minutes": f"Séance ouverte à 9 h par l'animatrice ({n})."})

    edit_s, _none = _timed(edit)
    # The rows each edit left: its event, its field write and the base it replaced, and (as a
    # row of its own, inserted raw) the record and its search document.
    plan: list[list[tuple[str, list[str], tuple[Any, ...]]]] = []
    with _raw(store.engine) as conn:
        events = conn.execute("SELECT * FROM event WHERE seq > ? ORDER BY seq", (seq0,))
        ecols = [d[0] for d in events.description]
        erows = events.fetchall()
        fcols, frows = _rows_of(conn, "field_write", "WHERE seq > ? ORDER BY seq", (seq0,))
        bcols, brows = _rows_of(conn, "field_base")
        base_of = {(r[bcols.index("entity_id")], r[bcols.index("stamp")]): r for r in brows}
        scols, srows = _rows_of(conn, "session")
        session_of = {r[scols.index("id")]: r for r in srows}
        dcols, drows = _rows_of(conn, "search_doc")
        doc_of = {r[dcols.index("entity_id")]: r for r in drows}
        by_seq = {r[fcols.index("seq")]: r for r in frows}
        prev: dict[str, str] = {}
        for row in erows:
            fw = by_seq[row[ecols.index("seq")]]
            eid = row[ecols.index("entity_id")]
            rows = [("event", ecols, tuple(row)), ("field_write", fcols, tuple(fw))]
            base = base_of.get((eid, prev.get(eid, "")))
            if base is not None:
                rows.append(("field_base", bcols, tuple(base)))
            prev[eid] = fw[fcols.index("stamp")]
            rows.append(("session", scols, tuple(session_of[eid])))
            rows.append(("search_doc", dcols, tuple(doc_of[eid])))
            plan.append(rows)
    ws.close()

    raw_path = tmp / "raw-edit.db"
    engine = sqlcipher_engine(raw_path, secrets.token_bytes(32))
    ensure_schema(engine, raw_path)
    with _raw(engine) as conn:
        def insert_raw() -> None:
            for n, rows in enumerate(plan):
                conn.execute("BEGIN IMMEDIATE")
                for name, cols, row in rows:
                    values = list(row)
                    # Unique keys of their own: each edit's record row and search document.
                    if name == "session":
                        values[cols.index("id")] = f"{values[cols.index('id')]}-{n}"
                    elif name == "search_doc":
                        values[cols.index("id")] = None
                        values[cols.index("entity_id")] = f"{values[cols.index('entity_id')]}-{n}"
                    elif name == "field_base":
                        values[cols.index("stamp")] = f"{values[cols.index('stamp')]}-{n}"
                    conn.execute(f"INSERT INTO {name} ({', '.join(cols)}) VALUES "
                                 f"({', '.join('?' for _ in cols)})", values)
                conn.execute("COMMIT")

        raw_s, _none = _timed(insert_raw)
    engine.dispose()
    return {"edits": float(len(plan)), "edit_s": edit_s, "edit_ms": 1000 * edit_s / len(plan),
            "raw_edit_s": raw_s, "raw_edit_ms": 1000 * raw_s / len(plan),
            "edit_vs_raw_ratio": edit_s / raw_s}


def bench_long_history(tmp: Path) -> dict[str, float]:
    """(e) The same field autosaved ``HISTORY`` times: the last 100 autosaves against the first
    100 (each its own transaction, as the GUI makes them)."""
    from jsd_desk.services.workspace import init_workspace

    ws, _recovery = init_workspace(tmp / "history", "bench", "facilitator", PASSPHRASE)
    store = ws.store
    with store.transaction() as tx:
        sid = tx.create("session", {"platform_id": tx.create("platform", {"name": "Plateforme"}),
                                    "kind": "workshop", "title": "Atelier",
                                    "starts_at": dt.datetime(2026, 2, 1, 9), "status": "draft",
                                    "minutes": "Ouverture."})

    def autosaves(first: int, count: int) -> float:
        start = time.perf_counter()
        for n in range(first, first + count):
            with store.transaction() as tx:
                tx.put("session", sid, {"minutes": f"Séance ouverte à 9 h ({n})."})
        return (time.perf_counter() - start) / count

    early = autosaves(0, 100)
    autosaves(100, max(HISTORY - 200, 0))
    late = autosaves(max(HISTORY - 100, 100), 100)
    ws.close()
    return {"history_writes": float(HISTORY), "early_edit_ms": 1000 * early,
            "late_edit_ms": 1000 * late, "history_edit_ratio": late / early}


# ---------------------------------------------------------------------------------------------
# (b) demo --sessions N and (c) dump
# ---------------------------------------------------------------------------------------------

def _count_events(engine: Engine) -> int:
    with _raw(engine) as conn:
        return int(conn.execute("SELECT count(*) FROM event").fetchone()[0])


def bench_demo_and_dump(tmp: Path, raw_events_per_s: float) -> dict[str, float]:
    from jsd_desk.cli import main as cli_main
    from jsd_desk.domain.records import ENTITIES
    from jsd_desk.services.workspace import init_workspace, open_workspace
    from jsd_desk.store.dump import dump_text
    from jsd_desk.store.projection import table_of

    data_dir = tmp / "demo"
    ws, _recovery = init_workspace(data_dir, "Niamey bench", "facilitator", PASSPHRASE)
    before = _count_events(ws.store.engine)
    ws.close()
    os.environ["JSD_DESK_PASSPHRASE"] = PASSPHRASE
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        demo_s, status = _timed(lambda: cli_main(["--data-dir", str(data_dir), "demo", "--seed", "2026",
                                                  "--sessions", str(DEMO_SESSIONS)]))
    if status != 0:
        raise RuntimeError(f"jsd-desk demo failed with status {status}")
    print(f"   {out.getvalue().strip()}", file=sys.stderr)

    ws = open_workspace(data_dir, PASSPHRASE)
    try:
        events = _count_events(ws.store.engine) - before
        results: dict[str, float] = {
            "demo_sessions": float(DEMO_SESSIONS), "demo_events": float(events), "demo_s": demo_s,
            "demo_events_per_s": events / demo_s,
            "demo_vs_raw_ratio": raw_events_per_s / (events / demo_s)}

        def dump() -> int:
            with ws.store.engine.connect() as conn:
                return len(dump_text(conn, ws.hidden_entities))

        tables = [table_of(e).name for e in sorted(ENTITIES) if e not in ws.hidden_entities]

        def select_all() -> int:
            with _raw(ws.store.engine) as conn:
                return sum(len(conn.execute(f"SELECT * FROM {t}").fetchall()) for t in tables)

        dump_s = min(_timed(dump)[0] for _ in range(3))
        size = dump()
        raw_s = min(_timed(select_all)[0] for _ in range(3))
        results.update({"dump_s": dump_s, "dump_mb": size / 1e6, "dump_rows": float(select_all()),
                        "raw_select_s": raw_s, "dump_vs_raw_ratio": dump_s / raw_s})
    finally:
        ws.close()
    return results


def run() -> None:
    ROOT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT, prefix="foundation-") as name:
        tmp = Path(name)
        print(f"   (a) write path, {WRITE_EVENTS} events …", file=sys.stderr, flush=True)
        a = bench_write_path(tmp)
        print(f"   (d) single edit, {EDITS} edits …", file=sys.stderr, flush=True)
        d = bench_single_edit(tmp)
        print(f"   (e) an autosave after {HISTORY} autosaves …", file=sys.stderr, flush=True)
        e = bench_long_history(tmp)
        print(f"   (b) demo --sessions {DEMO_SESSIONS}, (c) dump …", file=sys.stderr, flush=True)
        bc = bench_demo_and_dump(tmp, a["raw_events_per_s"])
    results = {**a, **d, **e, **bc}
    rows = [
        ("(a) write path", f"{a['write_events_per_s']:,.0f} events/s",
         f"{a['raw_events_per_s']:,.0f} events/s raw", f"{a['write_vs_raw_ratio']:.1f}× slower"),
        (f"(b) demo --sessions {DEMO_SESSIONS}",
         f"{bc['demo_s']:,.0f} s, {bc['demo_events_per_s']:,.0f} events/s",
         f"{a['raw_events_per_s']:,.0f} events/s raw", f"{bc['demo_vs_raw_ratio']:.1f}× slower"),
        ("(d) single edit, committed", f"{d['edit_ms']:.2f} ms an edit",
         f"{d['raw_edit_ms']:.2f} ms raw", f"{d['edit_vs_raw_ratio']:.2f}× slower"),
        ("(c) dump", f"{bc['dump_s']:.2f} s ({bc['dump_mb']:.1f} MB)",
         f"{bc['raw_select_s']:.2f} s raw SELECT *", f"{bc['dump_vs_raw_ratio']:.1f}× slower"),
        (f"(e) autosave after {HISTORY}", f"{e['late_edit_ms']:.2f} ms an edit",
         f"{e['early_edit_ms']:.2f} ms the first ones", f"{e['history_edit_ratio']:.2f}×"),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print("  " + "   ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    meta = {"when": dt.datetime.now().isoformat(timespec="seconds"), "python": sys.version.split()[0],
            "machine": platform.machine(), "cpus": os.cpu_count(),
            "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}
    (ROOT / "foundation.json").write_text(json.dumps({"results": results, "meta": meta}, indent=2,
                                                     sort_keys=True) + "\n", encoding="utf-8")
    print(f"  → {ROOT / 'foundation.json'}")


if __name__ == "__main__":
    run()
