"""The analyst's Dashboard on a national hub (issue 13): how long its figures take, against a
raw ``GROUP BY`` of the same rows, and how responsive the window stays meanwhile.

The records of a million-event hub (500 platforms; per session six attendance rows, two
concerns, a complaint — resolved in 60 % of cases, with its status change — and two action
items: about 13 events a session, so ~77,000 sessions) are written **straight into the
projection tables** the indicators read, in bulk: the dashboard reads nothing else, and
importing a million signed events is ``bench_hub``'s (ingest) measure, which takes hours here.
Built once per size and database into ``build/bench/dashboard-<sessions>/`` (SQLite) or a
database of its own (PostgreSQL, dropped afterwards).

* ``<db>_dashboard_s``: ``services.dashboard.figures`` for the whole hub (no filter, by month:
  every indicator, three breakdowns), best of 3; ``<db>_raw_group_by_s``: the raw ``GROUP BY``
  of ``bench_hub`` on the same rows (best of 3); their ratio.
* ``<db>_region_s``: the same for one region (what a regional analyst opens).
* ``<db>_records_s``: the records behind the largest bar (``records_behind``, 500 rows).
* ``gui_*`` (SQLite): the Dashboard page in an offscreen window computes its figures while a
  10 ms timer runs on the GUI thread: ``gui_figures_s`` until they are drawn, ``gui_max_stall_ms``
  the longest the event loop went without turning (a blocked GUI would stall for the whole
  computation), ``gui_stall_vs_figures`` their ratio.

    python -m benchmarks dashboard                 # 77,000 sessions (a million events)
    JSD_BENCH_DASH_SESSIONS=5000 python -m benchmarks dashboard
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from benchmarks.bench_hub import (  # the same vocabulary and measures as the hub's benchmark
    CATEGORIES,
    CHANNELS,
    COMPLAINTS,
    KINDS,
    PARTIES,
    RAW_GROUP_BY,
    THEMES,
    best,
)

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "bench"
PASSPHRASE = "benchmark passphrase"
SESSIONS = 77_000  # ~1,000,000 events
PLATFORMS = 500
QUICK = {"sessions": 3_000}
RATIOS = [("dashboard figures (PostgreSQL) vs raw GROUP BY", "postgres_dashboard_s",
           "postgres_raw_group_by_s"),
          ("dashboard figures (SQLite) vs raw GROUP BY", "sqlite_dashboard_s",
           "sqlite_raw_group_by_s"),
          ("GUI thread's longest stall vs figures' time", "gui_max_stall_s", "gui_figures_s")]
START = dt.datetime(2024, 1, 1, 9, 0)
def _rows(store: Any, sessions: int, rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    from sqlalchemy import select

    from jsd_desk.store import models

    with store.reading() as s:
        place = models.tbl(models.Place)
        regions = [r[0] for r in s.execute(select(place.c.id).where(place.c.level == "region"))]
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "platform", "session", "attendance", "concern", "complaint", "complaint_status_change",
        "action_item")}
    platforms = [str(uuid.UUID(int=rng.getrandbits(128))) for _n in range(PLATFORMS)]
    for n, pid in enumerate(platforms):
        out["platform"].append({"id": pid, "deleted": False, "name": f"Plateforme {n}",
                                "place_id": regions[n % len(regions)]})
    span = (dt.datetime(2026, 11, 30) - START).total_seconds()
    for _n in range(sessions):
        sid = str(uuid.UUID(int=rng.getrandbits(128)))
        starts = START + dt.timedelta(seconds=rng.random() * span)
        out["session"].append({"id": sid, "deleted": False, "platform_id": rng.choice(platforms),
                               "kind": rng.choice(KINDS), "title": "Séance", "starts_at": starts,
                               "status": "finalized"})
        for _a in range(6):
            out["attendance"].append({"id": str(uuid.UUID(int=rng.getrandbits(128))),
                                      "deleted": False, "session_id": sid,
                                      "category": rng.choice(CATEGORIES),
                                      "gender": rng.choice(("f", "m")),
                                      "count": rng.randint(1, 15)})
        for _c in range(2):
            out["concern"].append({"id": str(uuid.UUID(int=rng.getrandbits(128))),
                                   "deleted": False, "session_id": sid,
                                   "theme": rng.choice(THEMES)})
        cid = str(uuid.UUID(int=rng.getrandbits(128)))
        resolved = rng.random() < 0.6
        out["complaint"].append({"id": cid, "deleted": False, "reference": f"B-{cid[:8]}",
                                 "received_on": starts.date(), "channel": rng.choice(CHANNELS),
                                 "session_id": sid, "category": rng.choice(COMPLAINTS),
                                 "status": "resolved" if resolved else "received"})
        if resolved:
            out["complaint_status_change"].append({
                "id": str(uuid.UUID(int=rng.getrandbits(128))), "deleted": False,
                "complaint_id": cid, "from_status": "received", "to_status": "resolved",
                "changed_at": starts + dt.timedelta(days=rng.randint(1, 120))})
        for _i in range(2):
            out["action_item"].append({
                "id": str(uuid.UUID(int=rng.getrandbits(128))), "deleted": False,
                "session_id": sid, "description": "Engagement",
                "responsible_party": rng.choice(PARTIES),
                "due_on": (starts + dt.timedelta(days=30)).date(),
                "status": rng.choice(("open", "in_progress", "done", "done"))})
    return out


def fill(store: Any, sessions: int) -> int:
    """Bulk-insert the records of ``sessions`` sessions; the number of rows written."""
    from sqlalchemy import insert

    from jsd_desk.store import models

    rows = _rows(store, sessions, random.Random(13))
    tables = {t.name: t for t in models.Base.metadata.sorted_tables}
    with store.engine.begin() as conn:
        for name, batch in rows.items():
            for n in range(0, len(batch), 20_000):
                conn.execute(insert(tables[name]), batch[n:n + 20_000])
    return sum(len(b) for b in rows.values())


def figures_and_raw(store: Any, label: str) -> dict[str, Any]:
    from sqlalchemy import text

    from jsd_desk.services import dashboard
    from jsd_desk.services import indicators as ind

    known = dashboard.choices(store)
    figures = dashboard.figures(store, ind.Filters(), known=known)  # warm: caches, plans
    dash = best(lambda: dashboard.figures(store, ind.Filters(), known=known))

    def group_by() -> None:
        with store.engine.connect() as conn:
            for sql in RAW_GROUP_BY:
                conn.execute(text(sql)).all()

    group_by()
    raw = best(group_by)
    region = known.children(None)[0].id
    regional = best(lambda: dashboard.figures(store, ind.Filters(place_id=region), known=known))
    top = max(figures.by_place.of("sessions_held"), key=lambda v: v.value)
    records = best(lambda: ind.records_behind(
        store, "sessions_held", filters=figures.filters, breakdown=figures.by_place.breakdown,
        place=top.place, limit=500), times=2)
    return {f"{label}_dashboard_s": round(dash, 3), f"{label}_raw_group_by_s": round(raw, 3),
            f"{label}_dashboard_ratio": round(dash / raw, 2),
            f"{label}_region_s": round(regional, 3), f"{label}_records_s": round(records, 3)}


def gui(ws: Any) -> dict[str, Any]:
    """The Dashboard page computing in a shown window; the GUI thread's longest stall."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    from jsd_desk.ui.context import UiContext
    from jsd_desk.ui.dashboard import DashboardPage

    app = QApplication.instance() or QApplication([sys.argv[0]])
    ctx = UiContext(ws)
    page = DashboardPage(ctx)
    page.resize(1280, 720)
    beats: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: beats.append(time.perf_counter()))
    timer.start()
    start = time.perf_counter()
    page.show()
    while not page.settled() and time.perf_counter() - start < 600:
        app.processEvents()
        time.sleep(0.002)
    done = time.perf_counter() - start
    timer.stop()
    QThreadPool.globalInstance().waitForDone()
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    stall = max(gaps, default=done)
    page.close()
    page.deleteLater()
    ctx.signals.detach()
    app.processEvents()
    return {"gui_figures_s": round(done, 3), "gui_max_stall_s": round(stall, 4),
            "gui_max_stall_ms": round(stall * 1000, 1), "gui_beats": len(beats)}


@contextmanager
def pg_database() -> Iterator[str | None]:
    from benchmarks.bench_hub import pg_database as make

    database = make()
    try:
        url = database.__enter__()
    except Exception as exc:  # no server here: the SQLite figures still stand
        print(f"   PostgreSQL not measured: {exc}", file=sys.stderr)
        yield None
        return
    try:
        yield url
    finally:
        database.__exit__(None, None, None)


def run(sessions: int | None = None) -> dict[str, Any]:
    from jsd_desk.services.workspace import init_workspace

    sessions = sessions or int(os.environ.get("JSD_BENCH_DASH_SESSIONS", SESSIONS))
    CACHE.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"sessions": sessions, "events_equivalent": sessions * 13 + PLATFORMS}
    with tempfile.TemporaryDirectory(prefix="jsd-bench-dash-", dir=CACHE) as tmp:
        for label in ("postgres", "sqlite"):
            with (pg_database() if label == "postgres" else nullcontext(None)) as url:
                if label == "postgres" and url is None:
                    continue
                root = Path(tmp) / label
                ws, _recovery = init_workspace(root, "Ministère (bench)", "analyst", PASSPHRASE,
                                               database_url=url)
                try:
                    print(f"   {label}: writing {sessions:,} sessions' records…",
                          file=sys.stderr, flush=True)
                    start = time.perf_counter()
                    result[f"{label}_rows"] = fill(ws.store, sessions)
                    result[f"{label}_fill_s"] = round(time.perf_counter() - start, 1)
                    print(f"   {label}: dashboard…", file=sys.stderr, flush=True)
                    measured = figures_and_raw(ws.store, label)
                    if label == "sqlite":
                        measured.update(gui(ws))
                    result.update(measured)
                    for key, value in measured.items():  # as they come: a long run keeps them
                        print(f"   {key:34} {value}", file=sys.stderr, flush=True)
                finally:
                    ws.close()
                shutil.rmtree(root, ignore_errors=True)
    result.update({"when": dt.datetime.now().isoformat(timespec="seconds"),
                   "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg())})
    for key, value in result.items():
        print(f"  {key:34} {value}")
    return result


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=None)
    run(parser.parse_args().sessions)
