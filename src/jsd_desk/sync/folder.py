"""A sync folder (DESIGN §5): a USB stick or shared drive that devices visit in turn.

One pass imports the bundles in the folder that are addressed to this device, removes this
device's own bundles once acknowledged, and writes one bundle per trusted peer when the peer
lacks something or has not yet been told what this device holds (which is how
acknowledgements flow back). A bundle that carries no events only acknowledges: its
addressee removes it once read. Passes are idempotent: two devices that visit the folder in
turn reach a state where neither writes anything and the folder holds nothing of theirs.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from jsd_desk.domain.errors import InputRefused, JsdError
from jsd_desk.files import atomic_write
from jsd_desk.i18n import N_
from jsd_desk.store import models
from jsd_desk.store.ingest import release_held
from jsd_desk.store.ingest import vector as store_vector
from jsd_desk.store.writer import Store
from jsd_desk.sync import bundle as fmt
from jsd_desk.sync import outbox
from jsd_desk.sync.bundle import NotForUs
from jsd_desk.sync.export import build, record_sent
from jsd_desk.sync.importer import ImportReport, import_bundle
from jsd_desk.sync.peers import known_devices, own_ids, peer_state
from jsd_desk.sync.vectors import dominates

LEDGER = models.tbl(models.ImportLedger)
HEAD_BYTES = 64 * 1024

Progress = Callable[[int, int], None]


class FolderCancelled(JsdError):
    pass


@dataclass
class WrittenBundle:
    path: Path
    to: str  # device id
    events: int


@dataclass
class FolderReport:
    imported: list[tuple[Path, ImportReport]] = field(default_factory=list)
    refused: list[tuple[Path, JsdError]] = field(default_factory=list)
    written: list[WrittenBundle] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    skipped: int = 0
    released: int = 0

    @property
    def new(self) -> int:
        return sum(r.new for _p, r in self.imported) + self.released


@dataclass
class FolderMemory:
    """What a long-lived caller (the GUI) remembers between passes: files not for us."""

    skip: set[tuple[str, int, int]] = field(default_factory=set)


def folder_pass(store: Store, folder: Path, *, memory: FolderMemory | None = None,
                progress: Progress | None = None, cancel: threading.Event | None = None,
                limits: fmt.Limits = fmt.LIMITS) -> FolderReport:
    folder = Path(folder)
    if not folder.is_dir():
        raise InputRefused(N_("The sync folder {path} is not available."), path=str(folder))
    memory = memory or FolderMemory()
    report = FolderReport()
    me = store.device_id
    key = str(folder.resolve())
    with store.transaction() as tx:
        report.released = release_held(tx, now_ms=store.now_ms()).new
        mine = {Path(item.path).name for item in outbox.items(tx.conn) if item.folder == key}
        ledger = set(tx.conn.execute(select(LEDGER.c.file_sha256)).scalars())

    candidates = sorted(p for p in folder.iterdir()
                        if p.name.endswith(fmt.SUFFIX) and not p.name.startswith(".")
                        and p.name not in mine)
    for number, path in enumerate(candidates, 1):
        if cancel is not None and cancel.is_set():
            raise FolderCancelled(N_("The sync was cancelled; what was done so far is kept."))
        if progress is not None:
            progress(number - 1, len(candidates))
        _take(store, path, me, memory, ledger, report, limits)

    with store.transaction() as tx:
        conn = tx.conn
        for item in outbox.items(conn):
            if item.folder != key:
                continue
            path = folder / Path(item.path).name
            if item.acked_at is not None or outbox.is_acknowledged(conn, item):
                _unlink(path, report)
                outbox.remove(conn, item.bundle_id)
            elif not path.exists():  # read and removed (an acknowledgement), or lost: re-sent
                outbox.remove(conn, item.bundle_id)

    peers = known_devices_snapshot(store)
    for peer in peers:
        if cancel is not None and cancel.is_set():
            raise FolderCancelled(N_("The sync was cancelled; what was done so far is kept."))
        with store.transaction() as tx:
            conn = tx.conn
            ours = store_vector(conn)
            state = peer_state(conn, peer)
            pending = [i for i in outbox.items(conn, pending_only=True)
                       if i.folder == key and i.to == (peer,)]
            if any(i.vector == ours for i in pending):
                continue
            lacks = not dominates(state.proven, ours)
            news = ours != state.shown_vector or state.proven != state.shown_base
            if not (lacks or news):
                continue
            built = build(tx, [peer])
            path = folder / f"{secrets.token_hex(8)}{fmt.SUFFIX}"
            atomic_write(path, built.data, 0o644)
            record_sent(tx, built, path=str(path), folder=key)
            report.written.append(WrittenBundle(path, peer, built.events))
            for old in pending:  # the new bundle carries all they did
                _unlink(folder / Path(old.path).name, report)
                outbox.remove(conn, old.bundle_id)
    if progress is not None:
        progress(len(candidates), len(candidates))
    return report


def known_devices_snapshot(store: Store) -> list[str]:
    """The trusted peers (not this device, nor the feeds it continues after a restore)."""
    with store.engine.connect() as conn:
        mine = own_ids(conn, store.keys)
        return sorted(d.device_id for d in known_devices(conn).values()
                      if d.trusted and d.device_id not in mine)


def _take(store: Store, path: Path, me: str, memory: FolderMemory, ledger: set[str],
          report: FolderReport, limits: fmt.Limits) -> None:
    try:
        st = path.lstat()
    except OSError:
        return
    mark = (path.name, st.st_size, st.st_mtime_ns)
    if mark in memory.skip or path.is_symlink() or not path.is_file():
        report.skipped += 1
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
            if fmt.addressed_to(head, store.keys.identities) is False:
                memory.skip.add(mark)
                report.skipped += 1
                return
            if st.st_size > limits.bundle_bytes:
                raise fmt.BundleRefused(N_("The bundle is too large (more than {n} MiB)."),
                                        n=limits.bundle_bytes // fmt.MIB)
            data = head + fh.read(limits.bundle_bytes + 1 - len(head))
    except OSError:
        return  # still being copied, or gone: the next pass sees it
    if hashlib.sha256(data).hexdigest() in ledger:
        memory.skip.add(mark)
        report.skipped += 1
        return
    try:
        imported = import_bundle(store, data, limits=limits)
    except NotForUs:
        memory.skip.add(mark)
        report.skipped += 1
        return
    except JsdError as exc:
        memory.skip.add(mark)
        report.refused.append((path, exc))
        return
    ledger.add(imported.file_sha256)
    report.imported.append((path, imported))
    if imported.events == 0 and imported.to == (me,):
        _unlink(path, report)  # only an acknowledgement, and only for us: read, so removed


def _unlink(path: Path, report: FolderReport) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
        report.removed.append(path)
