"""The first pass of an import in worker processes (large bundles on several cores) checks
exactly what the same pass in this process checks: the same records, and the same refusal of
the same event, whichever chunk it falls in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jsd_desk.domain.errors import InputRefused
from jsd_desk.sync import bundle as fmt
from tests.sync_support import MakeWorkspace, add_concern, dump, edit, introduce, receive, send, state
from tests.test_sync_hostile import events_of, line, open_parts, sealed, signed, zip_of


def test_workers_check_what_this_process_checks(import_mode: str, make_workspace: MakeWorkspace,
                                                tmp_path: Path) -> None:
    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    with a.store.transaction():
        ids = [add_concern(a, f"Préoccupation {i} au marché") for i in range(40)]
    for rid in ids[::3]:
        edit(a, rid, theme="vol")
    genuine = send(a, b, tmp_path)
    parts = open_parts(genuine, b)
    evs = events_of(parts.events)
    m, ak = parts.manifest, a.keys

    def altered(index: int, new_line: bytes) -> Path:
        lines = [line(ev) for ev in evs]
        lines[index] = new_line
        path = tmp_path / f"altered-{index}-{len(new_line)}.jsdb"
        path.write_bytes(sealed(b, zip_of(signed(ak, m, b"".join(lines)))))
        return path

    def forged(index: int) -> bytes:
        body = dict(evs[index].body)
        body["fields"] = {"theme": "falsifié"}
        raw = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        return fmt.event_line(raw, evs[index].signature_b64)

    before = state(b)
    # A bad signature late in the file, a malformed line later still: the malformed line wins
    # (every line is checked before any signature counts).
    lines = [line(ev) for ev in evs]
    lines[30], lines[45] = forged(30), b'{"event":{},"sig":"' + b"A" * 86 + b'=="}\n'
    mixed = tmp_path / "mixed.jsdb"
    mixed.write_bytes(sealed(b, zip_of(signed(ak, m, b"".join(lines)))))
    cases = [(altered(33, forged(33)), f"event {ak.info.device_id[:8]}#{evs[33].seq}"),
             (mixed, "line 46 is malformed")]
    for path, expected in cases:
        with pytest.raises(InputRefused) as refused:
            receive(b, path)
        assert expected in refused.value.message(), (import_mode, refused.value.message())
        assert state(b) == before

    report = receive(b, genuine)
    assert report.new == len(evs)
    assert dump(b) == dump(a)
    assert receive(b, genuine).new == 0


def test_the_pool_starts_while_the_bundle_is_opened(monkeypatch: pytest.MonkeyPatch,
                                                    make_workspace: MakeWorkspace,
                                                    tmp_path: Path) -> None:
    """A file large enough for the pool starts its processes in the background as the import
    begins; the import then checks its lines on those very processes. Small files and a
    machine with no core to spare start none."""
    from jsd_desk.sync import signatures

    monkeypatch.setattr(signatures, "POOL_MIN_EVENTS", 10)
    monkeypatch.setattr(signatures, "_POOL", None)  # none running yet (the test's own)
    monkeypatch.setattr(signatures, "_POOL_SIZE", 0)
    monkeypatch.setenv("JSD_IMPORT_WORKERS", "0")
    assert signatures.warm(10**6) is None
    monkeypatch.setenv("JSD_IMPORT_WORKERS", "1")
    assert signatures.warm(9 * signatures.MIN_BYTES_PER_EVENT) is None
    thread = signatures.warm(10 * signatures.MIN_BYTES_PER_EVENT)
    assert thread is not None
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert signatures.warm(10**6) is None  # started already: nothing more to start
    pool = signatures._pool(1)
    started = {p.pid for p in pool._processes.values()}  # type: ignore[attr-defined]
    assert len(started) == 1 and all(p.is_alive() for p in pool._processes.values())  # type: ignore[attr-defined]

    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    with a.store.transaction():
        for i in range(30):
            add_concern(a, f"Préoccupation {i}")
    bundle = send(a, b, tmp_path)
    events = len(events_of(open_parts(bundle, b).events))
    assert events > 30 and receive(b, bundle).new == events
    assert signatures._pool(1) is pool
    assert {p.pid for p in pool._processes.values()} == started  # type: ignore[attr-defined]
    assert dump(b) == dump(a)
    pool.shutdown(wait=True)  # the test's own pool: the one before it is restored


def test_a_folder_of_small_bundles_is_checked_on_the_pool_its_total_started(
        monkeypatch: pytest.MonkeyPatch, make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    """A ministry's folder is many bundles of a few thousand events, each too small to start
    the pool for. The folder starts it for its total size, and a pool already running checks
    any bundle of two chunks or more; with none running, such a bundle is checked here."""
    from jsd_desk.services import folder_import
    from jsd_desk.sync import signatures

    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    folder = tmp_path / "deliveries"
    folder.mkdir()
    for n in range(3):
        with a.store.transaction():
            for i in range(12):
                add_concern(a, f"Préoccupation {n}.{i}")
        send(a, b, folder)
    sizes = sum(p.stat().st_size for p in folder.iterdir())
    monkeypatch.setenv("JSD_IMPORT_WORKERS", "1")
    monkeypatch.setattr(signatures, "WARM_POOL_MIN_EVENTS", 10)
    monkeypatch.setattr(signatures, "POOL_MIN_EVENTS", 10**6)  # no bundle starts it itself
    monkeypatch.setattr(signatures, "_POOL", None)  # none running yet (the test's own)
    monkeypatch.setattr(signatures, "_POOL_SIZE", 0)
    assert signatures._use_pool(12) == 0
    warmed: list[int] = []
    in_pool: list[int] = []
    real_warm, real_in_pool = signatures.warm, signatures._in_pool

    def warm(file_bytes: int) -> object:
        warmed.append(file_bytes)
        # The folder's total estimated as a pool's worth: started for real.
        return real_warm(10**9 if file_bytes == sizes else file_bytes)

    def counted(*args: object, **kwargs: object) -> object:
        in_pool.append(1)
        return real_in_pool(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(signatures, "warm", warm)
    monkeypatch.setattr(signatures, "_in_pool", counted)
    try:
        report = folder_import.import_folder(b, [folder])
        assert warmed[0] == sizes  # before any bundle: the folder as a whole
        assert report.count(folder_import.IMPORTED) == 3
        assert len(in_pool) == 3  # every bundle checked by the running pool
        assert signatures._use_pool(12) == 1 and signatures._use_pool(9) == 0
        assert dump(b) == dump(a)
    finally:
        pool = signatures._POOL
        if pool is not None:  # the test's own pool: the one before it is restored
            pool.shutdown(wait=True)


_KILLED_CLIENTS = {
    # The import's pool: a worker and the forkserver it comes from.
    "import": """
import time
from multiprocessing import forkserver
from jsd_desk.sync import signatures
if __name__ == "__main__":
    signatures.warm(10**7).join()
    pool = signatures._pool(signatures.workers())
    print(*pool._processes, forkserver._forkserver._forkserver_pid, flush=True)
    time.sleep(600)
""",
    # verify's pool: spawned workers.
    "verify": """
import os, time
from jsd_desk.store import verify
if __name__ == "__main__":
    pool = verify.worker_pool(2)
    for future in [pool.submit(os.getpid) for _ in range(2)]:
        future.result()
    print(*pool._processes, flush=True)
    time.sleep(600)
""",
}


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:  # a zombie has exited: only its entry is left
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("pool", sorted(_KILLED_CLIENTS))
def test_the_pool_ends_when_the_process_that_started_it_is_killed(pool: str,
                                                                  tmp_path: Path) -> None:
    """SIGKILL in the middle of an import or a verify (a power cut does the same to
    everything, a kill only to the app): the pool's worker (and server) processes end too
    instead of waiting for work for ever, holding the stdout they inherited."""
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "JSD_IMPORT_WORKERS": "1"}
    script = tmp_path / "client.py"  # a file: spawned workers import their parent's main
    script.write_text(_KILLED_CLIENTS[pool])
    child = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, env=env,
                             text=True)
    assert child.stdout is not None
    pids = [int(p) for p in child.stdout.readline().split()]
    assert len(pids) == 2 and all(_running(p) for p in pids), pids
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 30
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_running(p) for p in pids), pids
    with child.stdout:
        assert child.stdout.read() == ""  # EOF: nothing holds the pipe any more
