"""Issue 11: bundle import, dump and verify against their limits measured in the same run.

For each size (``JSD_BENCH_PERF_SIZES``, default ``10000,50000,100000`` events; the source
stores are those of ``bench_sync``, built once and cached):

* **import**: ``bundle import`` of the whole bundle into a new store, in a child process (so its
  peak RSS is its own), against the **single-core limit** of the same run: Ed25519 verification
  of every signature in one thread (key loaded once) plus an ``executemany`` of the event rows
  into an empty SQLCipher table (WAL, ``synchronous=FULL``: the engine's own pragmas), one
  transaction. ``import_vs_limit`` = limit / import time: 1.0 is the limit, the target is ≥ 1.5
  with two cores (the lines are checked and verified by worker processes);
  ``import_1core_vs_limit`` is the same import pinned to one CPU (target ≥ 0.8).
* **dump**: ``dump_text`` of the imported store against a raw ``SELECT *`` of its record tables.
* **verify**: ``verify_store`` against that raw SELECT plus the raw single-thread verification.
* **dump and verify of demo stores** (``JSD_BENCH_PERF_DEMO_SESSIONS``, default ``250,1250,2000``
  sessions: about 10k, 50k and 80k events of every kind of record, built once by
  ``jsd-desk demo --seed 2026`` and cached under ``build/bench/perf-demo-<n>-s2026``): ``dump_text``
  against a raw ``SELECT *`` of the record tables, and ``verify_store`` against that SELECT plus
  an Ed25519 verification of every stored event's signature in one thread (keys loaded once).

    python -m benchmarks perf
    JSD_BENCH_PERF_SIZES=10000 python -m benchmarks perf      # a quick run
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from benchmarks.bench_sync import PASSPHRASE, ROOT, build_source

SIZES = tuple(int(s) for s in os.environ.get("JSD_BENCH_PERF_SIZES", "10000,50000,100000")
              .split(",") if s.strip())
DEMO_SESSIONS = tuple(int(s) for s in os.environ.get("JSD_BENCH_PERF_DEMO_SESSIONS", "250,1250,2000")
                      .split(",") if s.strip())

_CHILD = """
import json, os, resource, sys, time
from pathlib import Path
from jsd_desk.services import sync
from jsd_desk.services.workspace import open_workspace
ws = open_workspace(Path(sys.argv[1]), sys.argv[2])
start = time.perf_counter()
(report,) = sync.import_bundles(ws, [Path(sys.argv[3])])
took = time.perf_counter() - start
ws.close()
print(json.dumps({"import_s": took, "new": report.new, "load": os.getloadavg()[0],
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _import_child(data_dir: Path, bundle: Path, *, one_core: bool = False) -> dict[str, Any]:
    """``bundle import`` in a child process (its peak RSS its own); ``one_core``: pinned to
    one CPU, so it checks the lines in its own process as a one-core machine does."""
    def pin() -> None:
        if one_core and hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    child = subprocess.run([sys.executable, "-c", _CHILD, str(data_dir), PASSPHRASE, str(bundle)],
                           capture_output=True, text=True, check=True, preexec_fn=pin)
    result: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


def _timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def single_core_limit(bundle: bytes, identity: Any, tmp: Path) -> dict[str, float]:
    """Verify every signature in one thread, then insert the event rows raw."""
    import pyrage
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from jsd_desk.store.engine import sqlcipher_engine
    from jsd_desk.sync import bundle as fmt

    zf = zipfile.ZipFile(io.BytesIO(pyrage.decrypt(bundle, [identity])))
    manifest = json.loads(zf.read(fmt.MANIFEST))
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(manifest["sender"]["sign_public"]))
    pairs = [fmt.decode_event_line(line) for line in zf.read(fmt.EVENTS).splitlines()]
    signatures = [(base64.b64decode(sig), raw) for raw, sig in pairs]

    def verify_all() -> None:
        for sig, raw in signatures:
            key.verify(sig, raw)

    verify_s, _ = _timed(verify_all)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat()
    rows = []
    for raw, sig in pairs:
        body = json.loads(raw)
        rows.append((body["device_id"], body["seq"], "0" * 64, body["prev_hash"], body["hlc"],
                     body["entity"], body["entity_id"], body["op"], raw.decode(), sig, now))
    engine = sqlcipher_engine(tmp / "limit.db", os.urandom(32))
    fairy = engine.raw_connection()
    try:
        conn = fairy.driver_connection
        assert conn is not None
        conn.execute("CREATE TABLE event (device_id TEXT, seq INTEGER, hash TEXT, prev_hash TEXT,"
                     " hlc TEXT, entity TEXT, entity_id TEXT, op TEXT, body TEXT, signature TEXT,"
                     " received_at TEXT, PRIMARY KEY (device_id, seq))")

        def insert_all() -> None:
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO event VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
            conn.execute("COMMIT")

        insert_s, _ = _timed(insert_all)
    finally:
        fairy.close()
        engine.dispose()
    return {"verify_s": verify_s, "insert_s": insert_s, "limit_s": verify_s + insert_s}


def raw_select_s(engine: Any) -> float:
    from jsd_desk.domain.records import ENTITIES
    from jsd_desk.store.projection import table_of

    def read() -> int:
        n = 0
        with engine.connect() as conn:
            for entity in ENTITIES:
                n += len(conn.exec_driver_sql(f"SELECT * FROM {table_of(entity).name}").fetchall())
        return n

    return min(_timed(read)[0] for _ in range(3))


def one_size(n: int) -> dict[str, float]:
    from jsd_desk.services import sync
    from jsd_desk.services.workspace import init_workspace, open_workspace
    from jsd_desk.store.dump import dump_text
    from jsd_desk.store.verify import verify_store

    source = build_source(n)
    with tempfile.TemporaryDirectory(dir=ROOT, prefix="perf-") as name:
        tmp = Path(name)
        shutil.copytree(source, tmp / "a")
        a = open_workspace(tmp / "a", PASSPHRASE)
        b, _recovery = init_workspace(tmp / "b", "Ministère bench", "analyst", PASSPHRASE)
        sync.add_peer(a, b.keys.info)
        sync.add_peer(b, a.keys.info)
        out = tmp / "a.jsdb"
        summary = sync.export_bundle(a, out, to=b.keys.info.device_id)
        a.close()
        limit = single_core_limit(out.read_bytes(), b.keys.age_identity, tmp)
        b.close()
        shutil.copytree(tmp / "b", tmp / "b1")  # the same empty receiver, for the one-core run
        imported = _import_child(tmp / "b", out)
        assert imported["new"] == summary.events, (imported, summary.events)
        one_core = _import_child(tmp / "b1", out, one_core=True)
        assert one_core["new"] == summary.events, (one_core, summary.events)
        shutil.rmtree(tmp / "b1")
        b = open_workspace(tmp / "b", PASSPHRASE)
        engine = b.store.engine
        select_s = raw_select_s(engine)
        with engine.connect() as conn:
            dump_s = min(_timed(lambda: dump_text(conn))[0] for _ in range(3))
        with engine.begin() as conn:
            verify_s, report = _timed(lambda: verify_store(conn))
        assert report.ok, report.problems
        b.close()
    results = {
        "events": float(summary.events), "import_s": imported["import_s"],
        "import_events_per_s": summary.events / imported["import_s"],
        "limit_verify_s": limit["verify_s"], "limit_insert_s": limit["insert_s"],
        "limit_s": limit["limit_s"], "import_vs_limit": limit["limit_s"] / imported["import_s"],
        "import_peak_rss_mb": imported["peak_rss_mb"],
        "import_1core_s": one_core["import_s"],
        "import_1core_vs_limit": limit["limit_s"] / one_core["import_s"],
        "import_1core_peak_rss_mb": one_core["peak_rss_mb"],
        "raw_select_s": select_s, "dump_s": dump_s, "dump_vs_raw": dump_s / select_s,
        "verify_s": verify_s, "verify_vs_raw": verify_s / (select_s + limit["verify_s"]),
    }
    print(f"  {n:>7,} events: import {imported['import_s']:6.1f} s, limit {limit['limit_s']:5.1f} s "
          f"(verify {limit['verify_s']:.1f} + insert {limit['insert_s']:.1f}) → "
          f"{results['import_vs_limit']:.2f} of the limit (one core: "
          f"{results['import_1core_vs_limit']:.2f}); peak RSS "
          f"{imported['peak_rss_mb']:.0f} MB; dump {results['dump_vs_raw']:.1f}× raw, "
          f"verify {results['verify_vs_raw']:.1f}× raw", flush=True)
    return results


def demo_store(sessions: int) -> Path:
    """A facilitator's store after ``jsd-desk demo --sessions N --seed 2026`` (cached)."""
    from jsd_desk.cli import main as cli_main
    from jsd_desk.services.workspace import init_workspace

    final = ROOT / f"perf-demo-{sessions}-s2026"
    if (final / "keyslots.json").exists():
        return final
    building = final.with_name(final.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    ws, _recovery = init_workspace(building, "Niamey bench", "facilitator", PASSPHRASE)
    ws.close()
    os.environ["JSD_DESK_PASSPHRASE"] = PASSPHRASE
    print(f"   building the demo store ({sessions:,} sessions) …", file=sys.stderr, flush=True)
    with contextlib.redirect_stdout(io.StringIO()):
        status = cli_main(["--data-dir", str(building), "demo", "--seed", "2026",
                           "--sessions", str(sessions)])
    if status != 0:
        raise RuntimeError(f"jsd-desk demo failed with status {status}")
    building.rename(final)
    return final


def raw_signatures_s(engine: Any) -> tuple[int, float]:
    """Every stored event's signature verified in one thread, each device's key loaded once
    (the events read beforehand, untimed): how many, and the seconds."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    with engine.connect() as conn:
        keys = {d: Ed25519PublicKey.from_public_bytes(base64.b64decode(k)) for d, k in
                conn.exec_driver_sql("SELECT device_id, sign_public FROM device").fetchall()}
        rows = [(keys[d], base64.b64decode(sig), body.encode()) for d, body, sig in
                conn.exec_driver_sql("SELECT device_id, body, signature FROM event").fetchall()]

    def verify_all() -> None:
        for key, sig, raw in rows:
            key.verify(sig, raw)

    return len(rows), _timed(verify_all)[0]


def demo_dump_verify(sessions: int) -> dict[str, float]:
    from jsd_desk.services.workspace import open_workspace
    from jsd_desk.store.dump import dump_text
    from jsd_desk.store.verify import verify_store

    ws = open_workspace(demo_store(sessions), PASSPHRASE)
    try:
        engine = ws.store.engine
        select_s = raw_select_s(engine)
        events, signatures_s = raw_signatures_s(engine)
        with engine.connect() as conn:
            dump_s = min(_timed(lambda: dump_text(conn))[0] for _ in range(3))
        with engine.begin() as conn:  # one run: at 80k events it takes minutes on a busy machine
            verify_s, report = _timed(lambda: verify_store(conn))
        assert report.ok, report.problems
    finally:
        ws.close()
    results = {"events": float(events), "raw_select_s": select_s, "raw_signatures_s": signatures_s,
               "dump_s": dump_s, "dump_vs_raw": dump_s / select_s, "verify_s": verify_s,
               "verify_vs_raw": verify_s / (select_s + signatures_s)}
    print(f"  demo {sessions:>5,} sessions ({events:,} events): raw SELECT {select_s:.2f} s, "
          f"signatures {signatures_s:.2f} s; dump {dump_s:.2f} s ({results['dump_vs_raw']:.1f}× raw), "
          f"verify {verify_s:.2f} s ({results['verify_vs_raw']:.2f}× raw)", flush=True)
    return results


# ``python -m benchmarks --quick`` passes this to run(): one small size.
QUICK: dict[str, Any] = {"sizes": (2000,), "demo_sessions": (40,)}


def run(sizes: tuple[int, ...] = SIZES,
        demo_sessions: tuple[int, ...] = DEMO_SESSIONS) -> dict[str, Any]:
    ROOT.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {"cpus": float(len(os.sched_getaffinity(0))
                                         if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)}
    with contextlib.suppress(OSError):
        out["load_average"] = os.getloadavg()[0]
    for n in sizes:
        for key, value in one_size(n).items():
            out[f"{n}_{key}"] = value
    for n in demo_sessions:
        for key, value in demo_dump_verify(n).items():
            out[f"demo{n}_{key}"] = value
    return out


if __name__ == "__main__":
    run()
