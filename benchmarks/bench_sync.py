"""Export and import of 100,000 events by bundle, against the raw limits of the same run.

Issue 6 asks for the sync of 100,000 events measured against what the machine can do at all:

* **import**: ``bundle import`` of a 100,000-event bundle into a fresh store, against the sum
  of its three unavoidable costs measured here on the same bytes — age decryption of the file
  (pyrage), Ed25519 verification of every signature (cryptography, key loaded once), and
  SQLite inserts of the event rows into an empty SQLCipher table (one transaction,
  ``executemany``);
* **export**: ``bundle export`` of those events, against reading the rows with one raw SELECT
  plus age encryption of the bundle's bytes.

The source store (100,000 events: concerns created and edited, in large transactions through
the write path) is built once and cached under ``build/bench/``; each run exports it and imports
the bundle into a new store.

    python -m benchmarks sync                      # through the runner
    python -m benchmarks.bench_sync [--events N]   # alone, smaller for a quick look
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

PASSPHRASE = "benchmark passphrase"
EVENTS = 100_000
QUICK = {"events": 3_000}  # python -m benchmarks --quick
GENERATOR_VERSION = 1
BATCH = 2_000
ROOT = Path(__file__).resolve().parent.parent / "build" / "bench"
THEMES = ("vol", "drogue", "circulation", "foncier", "racket", "extrémisme", "VBG")


def source_dir(n: int) -> Path:
    return ROOT / f"sync-source-{n}-g{GENERATOR_VERSION}"


def build_source(n: int) -> Path:
    """A facilitator's store holding ``n`` events of its own (cached)."""
    from jsd_desk.services.workspace import init_workspace

    final = source_dir(n)
    if (final / "keyslots.json").exists():
        return final
    building = final.with_name(final.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    ws, _recovery = init_workspace(building, "Tillabéri bench", "facilitator", PASSPHRASE)
    rng = random.Random(6)
    session = str(uuid.uuid4())
    with ws.store.engine.connect() as conn:
        from jsd_desk.store.ingest import vector

        have = sum(vector(conn).values())
    ids: list[str] = []
    started = time.perf_counter()
    while have < n:
        with ws.store.transaction() as tx:
            for _ in range(min(BATCH, n - have)):
                if ids and rng.random() < 0.3:  # an edit of an earlier concern
                    tx.put("concern", rng.choice(ids), {"theme": rng.choice(THEMES)
                                                        + f" {rng.randrange(1000)}"})
                else:
                    ids.append(tx.create("concern", {
                        "session_id": session, "theme": rng.choice(THEMES),
                        "description": f"Préoccupation {len(ids)} soulevée à la réunion de "
                                       f"quartier : {rng.choice(THEMES)} près du marché."}))
                have += 1
        print(f"\r   building the source store: {have:,}/{n:,} events "
              f"({time.perf_counter() - started:.0f} s)", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    ws.close()
    building.rename(final)
    return final


def _timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def raw_limits(bundle: bytes, identity: Any, tmp: Path) -> dict[str, float]:
    """The same run's floor: decrypt the bytes, verify every signature, insert the rows."""
    import io
    import zipfile

    import pyrage
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from jsd_desk.store.engine import sqlcipher_engine
    from jsd_desk.sync import bundle as fmt

    decrypt_s, plain = _timed(lambda: pyrage.decrypt(bundle, [identity]))
    zf = zipfile.ZipFile(io.BytesIO(plain))
    manifest = json.loads(zf.read(fmt.MANIFEST))
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(manifest["sender"]["sign_public"]))
    pairs = [fmt.decode_event_line(line) for line in zf.read(fmt.EVENTS).splitlines()]
    signatures = [(base64.b64decode(sig), raw) for raw, sig in pairs]

    def verify_all() -> None:
        for sig, raw in signatures:
            key.verify(sig, raw)

    verify_s, _ = _timed(verify_all)
    rows = []
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat()
    for raw, sig in pairs:
        body = json.loads(raw)
        rows.append((body["device_id"], body["seq"], "0" * 64, body["prev_hash"], body["hlc"],
                     body["entity"], body["entity_id"], body["op"], raw.decode(), sig, now))
    engine = sqlcipher_engine(tmp / "raw.db", os.urandom(32))
    with engine.connect() as conn:
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        dbapi.execute("CREATE TABLE event (device_id TEXT, seq INTEGER, hash TEXT, prev_hash TEXT,"
                      " hlc TEXT, entity TEXT, entity_id TEXT, op TEXT, body TEXT, signature TEXT,"
                      " received_at TEXT, PRIMARY KEY (device_id, seq))")

        def insert_all() -> None:
            dbapi.execute("BEGIN")
            dbapi.executemany("INSERT INTO event VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
            dbapi.execute("COMMIT")

        insert_s, _ = _timed(insert_all)
    engine.dispose()
    return {"raw_decrypt_s": decrypt_s, "raw_verify_s": verify_s, "raw_insert_s": insert_s,
            "raw_import_s": decrypt_s + verify_s + insert_s, "bundle_mb": len(bundle) / 1e6}


def raw_export(source: Any, recipients: list[str]) -> float:
    """Reading the rows with one SELECT, then encrypting bytes of the bundle's size."""
    import pyrage
    from sqlalchemy import select

    from jsd_desk.store import models

    def read() -> bytes:
        with source.store.engine.connect() as conn:
            rows = conn.execute(select(models.Event.body, models.Event.signature)).all()
        return b"\n".join(b.encode() + s.encode() for b, s in rows)

    select_s, data = _timed(read)
    keys = [pyrage.x25519.Recipient.from_str(r) for r in recipients]
    encrypt_s, _ = _timed(lambda: pyrage.encrypt(data, keys))
    return select_s + encrypt_s


def run(events: int = EVENTS) -> dict[str, Any]:
    from jsd_desk.services import sync
    from jsd_desk.services.workspace import init_workspace, open_workspace

    ROOT.mkdir(parents=True, exist_ok=True)
    source_root = build_source(events)
    with tempfile.TemporaryDirectory(dir=ROOT, prefix="sync-") as name:
        tmp = Path(name)
        shutil.copytree(source_root, tmp / "a")
        a = open_workspace(tmp / "a", PASSPHRASE)
        b, _recovery = init_workspace(tmp / "b", "Ministère bench", "analyst", PASSPHRASE)
        sync.add_peer(a, b.keys.info)
        sync.add_peer(b, a.keys.info)
        out = tmp / "a.jsdb"
        print(f"   export of {events:,} events …", file=sys.stderr, flush=True)
        export_s, summary = _timed(lambda: sync.export_bundle(a, out, to=b.keys.info.device_id))
        raw_export_s = raw_export(a, [b.keys.info.age_recipient])
        data = out.read_bytes()
        print("   raw limits …", file=sys.stderr, flush=True)
        raw = raw_limits(data, b.keys.age_identity, tmp)
        print(f"   import of {summary.events:,} events …", file=sys.stderr, flush=True)
        import_s, (report,) = _timed(lambda: sync.import_bundles(b, [out]))
        assert report.new == summary.events, (report.new, summary.events)
        again_s, (again,) = _timed(lambda: sync.import_bundles(b, [out]))
        assert again.new == 0 and again.known == summary.events
        a.close()
        b.close()
    n = summary.events
    results = {
        "events": n, "bundle_mb": raw["bundle_mb"],
        "export_s": export_s, "raw_export_s": raw_export_s,
        "export_events_per_s": n / export_s, "export_vs_raw_ratio": export_s / raw_export_s,
        "import_s": import_s, "import_events_per_s": n / import_s,
        "raw_decrypt_s": raw["raw_decrypt_s"], "raw_verify_s": raw["raw_verify_s"],
        "raw_insert_s": raw["raw_insert_s"], "raw_import_s": raw["raw_import_s"],
        "import_vs_raw_ratio": import_s / raw["raw_import_s"],
        "reimport_s": again_s, "reimport_vs_raw_ratio": again_s / raw["raw_import_s"],
    }
    print(f"  export   {export_s:8.1f} s   raw {raw_export_s:6.1f} s   "
          f"{results['export_vs_raw_ratio']:.1f}× the raw limit")
    print(f"  import   {import_s:8.1f} s   raw {raw['raw_import_s']:6.1f} s (decrypt "
          f"{raw['raw_decrypt_s']:.1f} + verify {raw['raw_verify_s']:.1f} + insert "
          f"{raw['raw_insert_s']:.1f})   {results['import_vs_raw_ratio']:.1f}× the raw limit")
    print(f"  again    {again_s:8.1f} s   (every event already known)")
    meta = {"when": dt.datetime.now().isoformat(timespec="seconds"),
            "python": sys.version.split()[0], "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}
    (ROOT / "sync-run.json").write_text(json.dumps({"results": results, "meta": meta},
                                                   indent=2, sort_keys=True) + "\n")
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=EVENTS)
    run(parser.parse_args().events)
