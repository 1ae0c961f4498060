"""The ministry hub (issue 13): 1,000,000 events from 500 devices, into PostgreSQL and SQLite,
and the whole dashboard on that hub — each against the raw limit of the same run.

* **ingest**: ``bundle import DIR`` of one bundle per device (``services.folder_import``: decrypt,
  check every signature and chain, apply in one transaction per bundle), in events/s, against
  the raw limit of this machine on the same events: Ed25519 verification of every signature
  (key loaded once per device) plus the same ``event`` rows inserted into an empty store of the
  same schema by the driver's fastest bulk path (one transaction: ``COPY`` on PostgreSQL, the
  driver's ``executemany`` on SQLite);
* **dashboard**: ``services.dashboard.figures`` for the whole hub (no filter, by month: every
  indicator, three breakdowns), against a raw ``GROUP BY`` of the same rows (sessions by place
  and month and kind, participants by category and gender, complaints by category, channel and
  status, action items by party and status). Best of three each.

The signed events are generated directly (a platform, then sessions with their attendance,
concerns, a complaint and its status change, action items, in each device's feed), once, into
cached bundles under ``build/bench/`` with the hub's keys, the devices in a pool of processes:
writing a million events through the write path would take hours. The hub is then created with
those keys, for each database.

    python -m benchmarks hub                                   # 1,000,000 events, 500 devices
    JSD_BENCH_HUB_EVENTS=20000 JSD_BENCH_HUB_DEVICES=50 python -m benchmarks hub   # quick
    python -m benchmarks.bench_hub --events 20000 --devices 50 [--only sqlite|postgres]

PostgreSQL: ``JSD_BENCH_PG_URL`` (a server URL; a database of its own is created and dropped),
else the server of ``scripts/start-postgres.sh``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "bench"
PASSPHRASE = "benchmark passphrase"
GENERATOR_VERSION = 2
EVENTS = 1_000_000
DEVICES = 500
REGIONS = ("NE-1", "NE-2", "NE-3", "NE-4", "NE-5", "NE-6", "NE-7", "NE-8")
KINDS = ("neighbourhood_dialogue", "civil_society_exchange", "radio_call_in", "workshop",
         "awareness_meeting")
CATEGORIES = ("police", "gendarmerie", "local_authority", "traditional_chief", "women", "youth",
              "civil_society", "religious_leader")
COMPLAINTS = ("police_conduct", "theft", "assault", "sgbv", "drugs", "land", "traffic")
CHANNELS = ("session", "radio", "walk_in", "phone")
PARTIES = ("police", "gendarmerie", "local_authority", "community", "platform")
THEMES = ("vol", "drogue", "circulation", "foncier", "racket", "extrémisme", "VBG")
START = dt.datetime(2025, 1, 1, 8, 0)


# -- the cached bundles ------------------------------------------------------------------------


def cache_dir(events: int, devices: int) -> Path:
    return CACHE / f"hub-{events}-{devices}-g{GENERATOR_VERSION}"


def _feed(keys: Any, n: int, rng: random.Random) -> list[Any]:
    """``n`` signed events of one platform's device: sessions with what they record."""
    from jsd_desk.domain.clock import Hlc
    from jsd_desk.services.places import place_id_for_code
    from jsd_desk.store.eventlog import GENESIS, make_event

    out: list[Any] = []
    prev = GENESIS
    wall = int(START.timestamp() * 1000) + rng.randrange(86_400_000)

    stamps: dict[tuple[str, str], str] = {}  # (record, field) → the stamp of its last write

    def put(entity: str, fields: dict[str, Any], entity_id: str | None = None) -> str:
        nonlocal prev, wall
        if len(out) >= n:
            return entity_id or ""
        eid = entity_id or str(uuid.uuid4())
        wall += 1000
        # A later edit names the write it replaces, as the write path does: no false conflict.
        base = {f: [stamps[(eid, f)]] for f in fields if (eid, f) in stamps}
        ev = make_event(keys, seq=len(out) + 1, prev_hash=prev, hlc=Hlc(wall).encode(),
                        entity=entity, entity_id=eid, op="upsert", fields=fields, base=base)
        out.append(ev)
        prev = ev.hash
        if entity == "complaint":
            stamps.update({(eid, f): ev.stamp for f in fields})
        return eid

    region = rng.choice(REGIONS)
    platform_id = put("platform", {"name": f"Plateforme {keys.info.name}",
                                   "place_id": place_id_for_code(region)})
    number = 0
    while len(out) < n:
        number += 1
        day = START + dt.timedelta(days=rng.randrange(700), hours=rng.randrange(10))
        session = put("session", {"platform_id": platform_id, "kind": rng.choice(KINDS),
                                  "title": f"Séance n° {number}", "status": "finalized",
                                  "starts_at": day.isoformat(timespec="seconds")})
        for category in rng.sample(CATEGORIES, 6):
            put("attendance", {"session_id": session, "category": category,
                               "gender": rng.choice(("f", "m")), "count": rng.randrange(1, 30)})
        for _ in range(2):
            put("concern", {"session_id": session, "theme": rng.choice(THEMES),
                            "raised_by": rng.choice(CATEGORIES)})
        received = day.date().isoformat()
        resolved = rng.random() < 0.6
        complaint = put("complaint", {
            "reference": f"{keys.info.short_code}-{day.year}-{number:04d}",
            "received_on": received, "channel": rng.choice(CHANNELS), "session_id": session,
            "category": rng.choice(COMPLAINTS), "status": "received"})
        if resolved:
            when = day + dt.timedelta(days=rng.randrange(1, 120))
            put("complaint_status_change", {"complaint_id": complaint, "from_status": "received",
                                            "to_status": "resolved",
                                            "changed_at": when.isoformat(timespec="seconds")})
            put("complaint", {"status": "resolved"}, complaint)
        for _ in range(2):
            put("action_item", {"session_id": session, "platform_id": platform_id,
                                "responsible_party": rng.choice(PARTIES),
                                "due_on": (day + dt.timedelta(days=60)).date().isoformat(),
                                "status": rng.choice(("open", "in_progress", "done", "done"))})
    return out


def _bundle(keys: Any, hub: Any, events: list[Any]) -> bytes:
    """The bundle the device would send the hub: every event of its feed."""
    from jsd_desk.sync import bundle as fmt

    lines = b"".join(fmt.event_line(ev.raw, ev.signature_b64) for ev in events)
    hub_id = hub.device_id
    manifest = fmt.Manifest(
        bundle_id=str(uuid.uuid4()), created_at=dt.datetime.now(dt.UTC).isoformat(
            timespec="seconds"),
        sender=keys.info, to=(hub_id,), recipients=(hub_id,),
        vector={keys.info.device_id: len(events)}, base={}, acks={hub_id: {}}, cards=(),
        counts={"events": len(events), "blobs": 0}, members=fmt.member_table(lines, {}))
    raw = fmt.manifest_bytes(manifest)
    return fmt.encrypt(fmt.write_zip(raw, keys.sign(raw), lines, []), [hub.age_recipient])


def _device_bundle(work: Path, hub: Any, d: int, share: int) -> dict[str, str]:
    """One device of the benchmark: its keys, its feed signed directly, its bundle written;
    returns its card. Its own random stream, so the pool's scheduling changes nothing."""
    from jsd_desk.security.device import new_device

    keys = new_device(f"P{d:03d}", "facilitator")
    feed = _feed(keys, share, random.Random(13_000 + d))
    (work / "bundles" / f"{d:03d}-{keys.info.short_code}.jsdb").write_bytes(
        _bundle(keys, hub, feed))
    card: dict[str, str] = keys.info.to_json()
    return card


def generate(events: int, devices: int, workers: int | None = None) -> Path:
    """The hub's keys, the devices' cards and one bundle per device (cached), the devices
    generated in a pool of processes (one per core)."""
    from concurrent.futures import ProcessPoolExecutor

    from jsd_desk.security.device import new_device, save_device

    final = cache_dir(events, devices)
    if (final / "done").exists():
        return final
    work = final.with_name(final.name + ".building")
    shutil.rmtree(work, ignore_errors=True)
    (work / "bundles").mkdir(parents=True)
    master = secrets.token_bytes(32)
    hub = new_device("Ministère (benchmark)", "analyst")
    save_device(hub, work / "hub-device.json", work / "hub-device.key", master)
    (work / "hub-master").write_text(master.hex())
    started = time.perf_counter()
    shares = [events // devices + (1 if d < events % devices else 0) for d in range(devices)]
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        cards = []
        for n, card in enumerate(pool.map(_device_bundle, [work] * devices,
                                          [hub.info] * devices, range(devices), shares,
                                          chunksize=4)):
            cards.append(card)
            print(f"\r   generating: device {n + 1}/{devices}, "
                  f"{time.perf_counter() - started:.0f} s", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    (work / "cards.json").write_text(json.dumps(cards))
    (work / "done").write_text(f"{time.perf_counter() - started:.1f}\n")
    work.rename(final)
    return final


# -- the hubs ------------------------------------------------------------------------------------


def hub_keys(cache: Path) -> Any:
    from jsd_desk.security.device import load_device

    master = bytes.fromhex((cache / "hub-master").read_text())
    return load_device(cache / "hub-device.json", cache / "hub-device.key", master)


@contextmanager
def pg_database() -> Iterator[str]:
    """A fresh database on the benchmark's PostgreSQL server, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = os.environ.get("JSD_BENCH_PG_URL") or subprocess.run(
        [str(ROOT / "scripts" / "start-postgres.sh")], capture_output=True, text=True,
        check=True).stdout.strip()
    server = make_url(url)
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"jsd_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def new_hub(root: Path, cache: Path, url: str | None) -> Any:
    from jsd_desk.security.device import DeviceInfo
    from jsd_desk.services.workspace import init_workspace
    from jsd_desk.sync.peers import add_device

    ws, _recovery = init_workspace(root, "Ministère (benchmark)", "analyst", PASSPHRASE,
                                   database_url=url, keys=hub_keys(cache))
    with ws.store.transaction() as tx:  # the ministry holds every platform's card
        for card in json.loads((cache / "cards.json").read_text()):
            add_device(tx.conn, DeviceInfo(**card), trusted=True, introduced_by=None)
    return ws


def empty_store(root: Path, url: str | None) -> Any:
    from jsd_desk.services.workspace import init_workspace

    return init_workspace(root, "raw", "analyst", PASSPHRASE, database_url=url)[0]


def best(fn: Callable[[], Any], times: int = 3) -> float:
    out = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return min(out)


def raw_ingest(rows: list[tuple[Any, ...]], columns: list[str], raw_target: Any,
               cards: dict[str, Any]) -> tuple[float, float]:
    """The raw limit on the same events: verify every signature (key loaded once per device),
    then insert the same rows by the driver's fastest bulk path — ``COPY`` on PostgreSQL, the
    driver's ``executemany`` in one transaction on SQLite — with no application code between."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from jsd_desk.security.device import unb64

    keys = {d: Ed25519PublicKey.from_public_bytes(unb64(c["sign_public"]))
            for d, c in cards.items()}
    device, body, signature = (columns.index(c) for c in ("device_id", "body", "signature"))
    start = time.perf_counter()
    for row in rows:
        keys[row[device]].verify(base64.b64decode(row[signature]), row[body].encode("utf-8"))
    verify = time.perf_counter() - start
    names = ", ".join(columns)
    start = time.perf_counter()
    with raw_target.store.engine.begin() as conn:
        driver = conn.connection.dbapi_connection
        cur = driver.cursor()
        if conn.dialect.name == "postgresql":
            with cur.copy(f"COPY event ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            cur.executemany(f"INSERT INTO event ({names}) VALUES ({marks})", rows)
        cur.close()
    return verify, time.perf_counter() - start


RAW_GROUP_BY = (
    # The same rows the indicators read, grouped as the dashboard groups them.
    """SELECT p.place_id, substr(CAST(s.starts_at AS TEXT), 1, 7), s.kind, count(*)
       FROM session s LEFT JOIN platform p ON p.id = s.platform_id
       WHERE s.deleted = false GROUP BY 1, 2, 3""",
    """SELECT a.category, a.gender, sum(a.count) FROM attendance a
       JOIN session s ON s.id = a.session_id WHERE a.deleted = false GROUP BY 1, 2""",
    """SELECT c.category, c.channel, c.status, count(*) FROM complaint c
       WHERE c.deleted = false GROUP BY 1, 2, 3""",
    """SELECT a.responsible_party, a.status, count(*) FROM action_item a
       WHERE a.deleted = false GROUP BY 1, 2""",
)


def measure(target: str, cache: Path, events: int) -> dict[str, Any]:
    from sqlalchemy import select, text

    from jsd_desk.services import dashboard
    from jsd_desk.services import folder_import as fi
    from jsd_desk.services import indicators as ind
    from jsd_desk.store import models

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="jsd-bench-hub-", dir=CACHE) as tmp, \
            (pg_database() if target == "postgres" else _none()) as url, \
            (pg_database() if target == "postgres" else _none()) as raw_url:
        hub = new_hub(Path(tmp) / "hub", cache, url)
        try:
            print(f"   {target}: importing {events:,} events…", file=sys.stderr, flush=True)
            start = time.perf_counter()
            report = fi.import_folder(hub, [cache / "bundles"])
            ingest = time.perf_counter() - start
            # The load while importing (the raw limit below is measured after it).
            out[f"{target}_ingest_load_average"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
            assert report.count(fi.IMPORTED) == len(report.files), "a bundle was skipped"
            with hub.store.engine.connect() as conn:
                table = models.tbl(models.Event)
                columns = list(table.c.keys())
                rows = [tuple(r) for r in conn.execute(
                    select(table).where(table.c.device_id != hub.keys.info.device_id))]
            cards = {c["device_id"]: c for c in json.loads((cache / "cards.json").read_text())}
            raw_target = empty_store(Path(tmp) / "raw", raw_url)
            try:
                verify, insert = raw_ingest(rows, columns, raw_target, cards)
            finally:
                raw_target.close()
            n = len(rows)
            del rows
            raw = verify + insert
            out[f"{target}_ingest_s"] = round(ingest, 1)
            out[f"{target}_ingest_events_per_s"] = round(n / ingest)
            out[f"{target}_raw_events_per_s"] = round(n / raw)
            out[f"{target}_raw_verify_s"] = round(verify, 2)
            out[f"{target}_raw_insert_s"] = round(insert, 2)
            out[f"{target}_ingest_ratio"] = round(ingest / raw, 2)

            print(f"   {target}: dashboard…", file=sys.stderr, flush=True)
            store = hub.store
            figures = dashboard.figures(store, ind.Filters())  # warm: caches, plans
            dash = best(lambda: dashboard.figures(store, ind.Filters()))

            def group_by() -> None:
                with store.engine.connect() as conn:
                    for sql in RAW_GROUP_BY:
                        conn.execute(text(sql)).all()

            group_by()
            raw_dash = best(group_by)
            out[f"{target}_dashboard_s"] = round(dash, 3)
            out[f"{target}_raw_group_by_s"] = round(raw_dash, 3)
            out[f"{target}_dashboard_ratio"] = round(dash / raw_dash, 2)
            out[f"{target}_dashboard_values"] = len(figures.overall.values)
        finally:
            hub.close()
    return out


@contextmanager
def _none() -> Iterator[None]:
    yield None


def run(events: int | None = None, devices: int | None = None,
        only: str | None = None) -> dict[str, Any]:
    events = events or int(os.environ.get("JSD_BENCH_HUB_EVENTS", EVENTS))
    devices = devices or int(os.environ.get("JSD_BENCH_HUB_DEVICES", DEVICES))
    CACHE.mkdir(parents=True, exist_ok=True)
    cache = generate(events, devices)
    # How long the cached bundles took to generate (the pool of processes, once).
    result: dict[str, Any] = {"events": events, "devices": devices,
                              "generate_s": float((cache / "done").read_text())}
    for target in ("postgres", "sqlite"):
        if only in (None, target):
            result.update(measure(target, cache, events))
    result.update({"when": dt.datetime.now().isoformat(timespec="seconds"),
                   "python": platform.python_version(), "cpus": os.cpu_count(),
                   "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg())})
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=None)
    parser.add_argument("--devices", type=int, default=None)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    args = parser.parse_args()
    result = run(args.events, args.devices, args.only)
    for key, value in result.items():
        print(f"  {key:40} {value}")
    out = CACHE / f"hub-{result['events']}-{result['devices']}-{args.only or 'both'}.json"
    out.write_text(json.dumps({"results": result}, indent=1) + "\n")


if __name__ == "__main__":
    main()
