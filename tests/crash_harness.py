"""Killing JSD Desk with SIGKILL at random points, for real (issue 7).

A *zygote* process imports the application once, then forks one child per trial on request: the
child opens the store and works (writes, a re-key, a restore, a bundle import), printing a line
after each step it has finished (``ack ID`` after each commit returned). The driver kills the
child with SIGKILL at a random moment — or right when it announces a given step — and then checks
the store from outside: SQLite's integrity check is ok, every acknowledged commit is there, the
hash chains verify, and the database opens with the old key or the new one.

Forking from a warm zygote makes a trial cost milliseconds instead of a Python start-up; every
child is still a real process killed by the kernel. ``tests/test_security_crash.py`` runs a few
dozen trials; ``scripts/crash-soak`` runs as many as asked.

Run as a script, this file is the zygote: it reads one JSON command per line on stdin.
"""

from __future__ import annotations

import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PASSPHRASE = "crash passphrase 7"


# -- the zygote and its children --------------------------------------------------------------


def _say(line: str) -> None:
    # Unbuffered: a line written is in the pipe even if the process dies the next instant.
    os.write(1, (line + "\n").encode())


def _child_write(cmd: dict[str, Any]) -> None:
    from jsd_desk.paths import DataDir
    from jsd_desk.services import complaints, places
    from jsd_desk.services.workspace import open_with_master

    ws = open_with_master(DataDir(Path(cmd["root"])), bytes.fromhex(cmd["master"]))
    rng = random.Random(cmd["seed"])
    _say("step open")
    platform = places.add_platform(ws.store, name=f"Plateforme {cmd['seed']}", place_id=None)
    _say(f"ack platform {platform}")
    for i in range(cmd.get("count", 10_000)):
        if rng.random() < 0.5:
            c = complaints.receive_complaint(
                ws.store, received_on="2026-03-01", channel="walk_in", category="theft",
                description=f"Plainte {cmd['seed']}-{i} " + "x" * rng.randrange(0, 3000),
                complainant={"name": f"Nom {cmd['seed']}-{i}", "gender": "f"})
            _say(f"ack complaint {c.id}")
        else:
            pid = places.add_priority_problem(ws.store, platform_id=platform,
                                              title=f"Problème {cmd['seed']}-{i}",
                                              description="y" * rng.randrange(0, 5000))
            _say(f"ack priority_problem {pid}")
    ws.close()


def _child_rekey(cmd: dict[str, Any]) -> None:
    from jsd_desk.services.security import rekey

    rekey(Path(cmd["root"]), cmd["passphrase"], on_step=lambda s: _say(f"step {s}"))


def _child_restore(cmd: dict[str, Any]) -> None:
    from jsd_desk.services.backup import restore_backup

    restore_backup(Path(cmd["root"]), cmd["passphrase"], on_step=lambda s: _say(f"step {s}"))


def _child_import(cmd: dict[str, Any]) -> None:
    from jsd_desk.paths import DataDir
    from jsd_desk.services.sync import import_bundles
    from jsd_desk.services.workspace import open_with_master

    ws = open_with_master(DataDir(Path(cmd["root"])), bytes.fromhex(cmd["master"]))
    _say("step open")
    import_bundles(ws, [Path(cmd["bundle"])])
    _say("step imported")
    ws.close()


CHILDREN: dict[str, Callable[[dict[str, Any]], None]] = {
    "write": _child_write, "rekey": _child_rekey, "restore": _child_restore,
    "import": _child_import,
}


def zygote_main() -> None:
    sys.path.insert(0, str(REPO / "src"))
    # Import everything a child needs before forking, so a child starts in milliseconds.
    import jsd_desk.services.backup
    import jsd_desk.services.complaints
    import jsd_desk.services.places
    import jsd_desk.services.security
    import jsd_desk.services.sync
    import jsd_desk.services.workspace  # noqa: F401

    _say("ready")
    for line in sys.stdin:
        cmd = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _say(f"pid {os.getpid()}")  # first, so the driver knows whom to kill
            status = 0
            try:
                CHILDREN[cmd["op"]](cmd)
                _say("finished")
            except BaseException as exc:  # reported to the driver
                _say(f"error {type(exc).__name__}: {exc}")
                status = 1
            os._exit(status)
        _pid, status = os.waitpid(pid, 0)
        _say(f"done {pid} {status}")


# -- the driver --------------------------------------------------------------------------------


@dataclass
class TrialResult:
    lines: list[str]
    killed: bool

    def acks(self) -> list[tuple[str, str]]:
        return [tuple(line.split()[1:3]) for line in self.lines  # type: ignore[misc]
                if line.startswith("ack ")]

    def steps(self) -> list[str]:
        return [line.split()[1] for line in self.lines if line.startswith("step ")]

    @property
    def finished(self) -> bool:
        return "finished" in self.lines

    def errors(self) -> list[str]:
        return [line for line in self.lines if line.startswith("error ")]


@dataclass
class Zygote:
    proc: subprocess.Popen[bytes]
    lines: queue.Queue[str] = field(default_factory=queue.Queue)

    @classmethod
    def start(cls) -> Zygote:
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        proc = subprocess.Popen([sys.executable, str(Path(__file__))], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, env=env, cwd=str(REPO))
        z = cls(proc)
        threading.Thread(target=z._pump, daemon=True).start()
        first = z.next_line(120)
        if first != "ready":
            z.close()
            raise AssertionError(f"the crash zygote did not start: {first}")
        return z

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.put(raw.decode().rstrip("\n"))
        self.lines.put("EOF")

    def next_line(self, timeout: float) -> str:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("the crash zygote stopped answering") from None

    def trial(self, cmd: dict[str, Any], *, kill_after: float | None = None,
              kill_at_step: str | None = None, jitter: float = 0.0,
              timeout: float = 120.0) -> TrialResult:
        """Run one child; kill it ``kill_after`` seconds after it started, or ``jitter`` seconds
        after it announces ``kill_at_step`` (never, if both are None)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(cmd) + "\n").encode())
        self.proc.stdin.flush()
        first = self.next_line(timeout)
        assert first.startswith("pid "), first
        pid = int(first.split()[1])
        started = time.monotonic()
        lines: list[str] = []
        killed = False
        deadline = started + timeout
        while True:
            wait = deadline - time.monotonic()
            if kill_after is not None and not killed:
                wait = min(wait, max(0.0, started + kill_after - time.monotonic()))
            try:
                line = self.lines.get(timeout=max(wait, 0.0))
            except queue.Empty:
                line = None
            if line is None:
                if kill_after is not None and not killed and time.monotonic() >= started + kill_after:
                    killed = _kill(pid)
                    continue
                raise AssertionError(f"a crash trial hung: {lines[-5:]}")
            if line.startswith(f"done {pid} "):
                return TrialResult(lines, killed)
            lines.append(line)
            if kill_at_step is not None and not killed and line == f"step {kill_at_step}":
                if jitter:
                    time.sleep(jitter)
                killed = _kill(pid)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def _kill(pid: int) -> bool:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:  # it finished first
        return False
    return True


# -- checks from outside ------------------------------------------------------------------------


@dataclass
class Store:
    """A store under test and what the driver knows must be in it."""

    root: Path
    master: bytes
    acked: set[tuple[str, str]] = field(default_factory=set)


def make_store(root: Path, role: str = "facilitator") -> Store:
    from jsd_desk.paths import DataDir
    from jsd_desk.security.keyslots import KeySlots
    from jsd_desk.services.workspace import init_workspace

    ws, _recovery = init_workspace(root, f"crash {role}", role, PASSPHRASE)
    ws.close()
    master = KeySlots.load(DataDir(root).keyslots).open_with_passphrase(PASSPHRASE)
    return Store(root, master)


def check_store(store: Store, *, full: bool = False) -> dict[str, Any]:
    """Integrity, every acknowledged record, the hash chains; ``full`` also rebuilds the
    projection from the log and compares. Returns facts for the caller."""
    from sqlalchemy import text

    from jsd_desk.paths import DataDir
    from jsd_desk.security.journal import STAGED_SUFFIX, pending
    from jsd_desk.services.unlock import finish_pending
    from jsd_desk.services.workspace import open_with_master
    from jsd_desk.store.verify import VerifyReport, integrity_check, verify_log, verify_projection

    finish_pending(store.root)  # what any next start does first
    assert not pending(store.root)
    assert not list(store.root.glob(f"*{STAGED_SUFFIX}*")), list(store.root.iterdir())
    ws = open_with_master(DataDir(store.root), store.master)
    try:
        with ws.store.engine.begin() as conn:
            report = VerifyReport()
            integrity_check(conn, report)
            verify_log(conn, report)
            if full:
                verify_projection(conn, report)
            assert report.ok, [(p.msgid, p.params) for p in report.problems]
            for entity, record_id in sorted(store.acked):
                n = conn.execute(text(f"SELECT count(*) FROM {entity} WHERE id = :i"),
                                 {"i": record_id}).scalar_one()
                assert n == 1, f"acknowledged {entity} {record_id} is missing"
            events = conn.execute(text("SELECT count(*) FROM event")).scalar_one()
            device = ws.keys.info.device_id
    finally:
        ws.close()
    return {"events": events, "device": device}


def copy_store(store: Store, root: Path) -> Store:
    shutil.copytree(store.root, root)
    return Store(root, store.master, set(store.acked))


def write_trial(z: Zygote, store: Store, rng: random.Random, seed: int,
                max_delay: float = 0.4) -> TrialResult:
    """Writes, killed at a random moment once the store is open."""
    result = z.trial({"op": "write", "root": str(store.root), "master": store.master.hex(),
                      "seed": seed}, kill_at_step="open", jitter=rng.uniform(0.0, max_delay))
    assert not result.errors(), result.errors()
    store.acked.update(result.acks())
    return result


def rekey_trial(z: Zygote, store: Store, rng: random.Random,
                mode: str = "random") -> tuple[TrialResult, bool]:
    """Kill a re-key right after it announces step ``mode`` (plus a random jitter), at a random
    time (``random``), or not at all (``none``); returns whether the new keys took over. The
    store then opens with the passphrase, under the old master or a new one."""
    from jsd_desk.paths import DataDir
    from jsd_desk.security.keyslots import KeySlots
    from jsd_desk.services.unlock import finish_pending

    cmd = {"op": "rekey", "root": str(store.root), "passphrase": PASSPHRASE}
    if mode == "none":
        result = z.trial(cmd)
    elif mode == "random":
        result = z.trial(cmd, kill_after=rng.uniform(0.0, 3.0))
    else:
        result = z.trial(cmd, kill_at_step=mode, jitter=rng.choice((0.0, 0.0005, 0.003, 0.02)))
    assert not result.errors(), result.errors()
    finish_pending(store.root)
    master = KeySlots.load(DataDir(store.root).keyslots).open_with_passphrase(PASSPHRASE)
    changed = master != store.master
    if result.finished:
        assert changed
    if not set(result.steps()) & {"commit", "backup", "done"}:
        assert not changed  # killed before the commit point: the old keys stay
    store.master = master
    return result, changed


if __name__ == "__main__":
    zygote_main()
