"""Importing a whole folder of bundles (a ministry hub receives hundreds), shared by
``jsd-desk bundle import DIR`` and the Sync page's folder chooser.

Each bundle is imported all or nothing in its own transaction (``sync.importer``), so a pass
interrupted at any instant — cancel, power cut, kill -9 — keeps every bundle it finished and
nothing of the one in progress. The import ledger, written in the same transaction as each
bundle's events, is the per-file progress: a second pass recognises finished files by their
SHA-256 without decrypting them again, so resuming loses nothing and doubles nothing.

A file that is not a bundle, cannot be read, is addressed to other devices or is refused (damaged,
forged, from an unknown device) is listed with its reason and the pass goes on.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from jsd_desk.domain.errors import InputRefused, JsdError
from jsd_desk.i18n import N_, ngettext
from jsd_desk.services.workspace import Workspace
from jsd_desk.store import models
from jsd_desk.store.eventlog import Committed
from jsd_desk.sync import bundle as fmt
from jsd_desk.sync import signatures
from jsd_desk.sync.importer import ImportReport, import_bundle

LEDGER = models.tbl(models.ImportLedger)
# Views are told about new events once per batch, not once per bundle: a hub importing a
# thousand small bundles would otherwise refresh its pages a thousand times.
BATCH = 25

Progress = Callable[[int, int], None]
# Per file, as soon as it is done: the CLI prints it, the GUI lists it.
OnFile = Callable[["FileResult"], None]

IMPORTED, ALREADY, SKIPPED = "imported", "already", "skipped"


class FolderImportCancelled(JsdError):
    """Cancelled between bundles (or inside one, which is rolled back); the finished ones stay."""


@dataclass(frozen=True)
class FileResult:
    path: Path
    outcome: str  # IMPORTED, ALREADY (its file is in the ledger), SKIPPED
    report: ImportReport | None = None
    reason: JsdError | None = None  # why it was skipped

    def reason_text(self) -> str:
        return self.reason.message() if self.reason is not None else ""


@dataclass
class FolderImportReport:
    files: list[FileResult] = field(default_factory=list)
    cancelled: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    @property
    def new(self) -> int:
        return sum(f.report.new for f in self.files if f.report is not None)

    @property
    def known(self) -> int:
        return sum(f.report.known for f in self.files if f.report is not None)

    @property
    def conflicts(self) -> int:
        return sum(f.report.conflicts for f in self.files if f.report is not None)

    @property
    def held(self) -> int:
        return sum(f.report.held for f in self.files if f.report is not None)

    @property
    def skipped(self) -> list[FileResult]:
        return [f for f in self.files if f.outcome == SKIPPED]


def bundle_files(sources: Iterable[Path]) -> list[Path]:
    """The files to try: each file given, and every file under each folder given (sorted,
    recursively, hidden files and folders left out — a copy in progress is often hidden).
    Every file of a folder is tried, whatever its name, so a renamed bundle is not missed and a
    stray document is listed as skipped rather than silently ignored."""
    out: list[Path] = []
    for source in sources:
        source = Path(source)
        if source.is_dir():
            found: list[Path] = []
            for dirpath, dirs, names in os.walk(source, onerror=None):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(dirpath) / n for n in names if not n.startswith("."))
            out.extend(sorted(found))
        elif source.exists() or source.is_symlink():
            out.append(source)
        else:
            raise InputRefused(N_("{path} does not exist."), path=str(source))
    return out


def import_folder(ws: Workspace, sources: Sequence[Path], *, progress: Progress | None = None,
                  cancel: threading.Event | None = None, on_file: OnFile | None = None,
                  limits: fmt.Limits = fmt.LIMITS) -> FolderImportReport:
    """Import every bundle in ``sources`` (folders and files), each all or nothing, going on
    past the files it must skip. Cancelling keeps the bundles already imported."""
    store = ws.store
    files = bundle_files(sources)
    # The signature checkers start now for the folder as a whole: a ministry's folder is many
    # bundles of a few thousand events, each too small to start them for, together worth it.
    signatures.warm(_total_bytes(files))
    with store.engine.connect() as conn:
        done = set(conn.execute(select(LEDGER.c.file_sha256)).scalars())
    report = FolderImportReport()
    pending: list[Committed] = []
    total = len(files)
    try:
        for number, path in enumerate(files):
            if cancel is not None and cancel.is_set():
                report.cancelled = True
                break
            if progress is not None:
                progress(number, total)
            try:
                result = _one(ws, path, done, limits, cancel)
            except FolderImportCancelled:
                report.cancelled = True
                break
            report.files.append(result)
            if result.report is not None:
                done.add(result.report.file_sha256)
                pending.extend(result.report.applied)
            if on_file is not None:
                on_file(result)
            if pending and (number + 1) % BATCH == 0:
                ws.store.notify(pending)
                pending = []
    finally:
        ws.store.notify(pending)
    if progress is not None and not report.cancelled:
        progress(total, total)
    return report


def _total_bytes(files: Iterable[Path]) -> int:
    total = 0
    for path in files:
        with contextlib.suppress(OSError):  # an unreadable file is reported when it is read
            total += path.stat().st_size
    return total


def _one(ws: Workspace, path: Path, done: set[str], limits: fmt.Limits,
         cancel: threading.Event | None) -> FileResult:
    try:
        st = path.stat()
        if not path.is_file():
            return FileResult(path, SKIPPED, reason=InputRefused(N_("This is not a file.")))
        if st.st_size > limits.bundle_bytes:
            return FileResult(path, SKIPPED, reason=InputRefused(
                N_("The bundle is too large (more than {n} MiB)."), n=limits.bundle_bytes // fmt.MIB))
        with path.open("rb") as fh:
            data = fh.read(limits.bundle_bytes + 1)
    except OSError as exc:
        return FileResult(path, SKIPPED, reason=InputRefused(
            N_("The file cannot be read ({reason})."), reason=exc.strerror or type(exc).__name__))
    if hashlib.sha256(data).hexdigest() in done:
        return FileResult(path, ALREADY)

    def check(_done: int, _total: int) -> None:
        if cancel is not None and cancel.is_set():  # inside a bundle: it is rolled back
            raise FolderImportCancelled(N_("Cancelled; the bundles already imported are kept."))

    try:
        imported = import_bundle(ws.store, data, progress=check, limits=limits)
    except FolderImportCancelled:
        raise
    except JsdError as exc:  # not a bundle, not for us, damaged, forged, unknown sender…
        return FileResult(path, SKIPPED, reason=exc)
    return FileResult(path, IMPORTED, report=imported)


def describe(report: FolderImportReport) -> str:
    """The totals line (CLI and GUI), in the current language."""
    return ngettext(
        "{n} file — imported: {imported}, already imported: {already}, skipped: {skipped} · "
        "new events: {new} · conflicts: {conflicts} · held aside: {held}",
        "{n} files — imported: {imported}, already imported: {already}, skipped: {skipped} · "
        "new events: {new} · conflicts: {conflicts} · held aside: {held}",
        len(report.files), imported=report.count(IMPORTED), already=report.count(ALREADY),
        skipped=report.count(SKIPPED), new=report.new, conflicts=report.conflicts,
        held=report.held)
