"""Swapping several files of the data folder as one step that survives a crash (a redo log).

Re-keying the database and restoring a backup each replace more than one file (the database,
the device keys, the key slots), and no file system renames several files at once. So:

1. every new file is written whole beside its target, as ``NAME.staged`` (temp, fsync, rename);
2. the list of renames is written atomically to ``pending-swap.json`` — the commit point;
3. the renames are carried out, and the journal removed.

A crash before step 2 leaves the old files untouched (staged leftovers are removed at the next
start). A crash after it is finished at the next start, before anything opens the store: every
operation is idempotent, so replaying a half-done list is safe. Either way the store opens with
the old set of files or the new one, never a mixture.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from jsd_desk.domain.errors import StoreError
from jsd_desk.files import atomic_write, fsync_dir
from jsd_desk.i18n import N_

JOURNAL_NAME = "pending-swap.json"
STAGED_SUFFIX = ".staged"
FORMAT = "jsd-swap/1"
KINDS = ("delete", "move", "replace")


@dataclass(frozen=True)
class Op:
    """``replace``: staged file over its target (if the staged file is still there);
    ``move``: a file aside, keeping it (if it is there and the destination is not);
    ``delete``: a file that must not survive (the write-ahead log of a database about to be
    replaced) — only while ``dst``, when given, still exists (the staged database: once it
    has replaced the old one, a log beside it belongs to the new one and stays)."""

    kind: str
    src: str  # relative to the data folder
    dst: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"kind": self.kind, "src": self.src, "dst": self.dst}


def staged(path: Path) -> Path:
    return path.with_name(path.name + STAGED_SUFFIX)


def journal_path(root: Path) -> Path:
    return Path(root) / JOURNAL_NAME


def pending(root: Path) -> bool:
    return journal_path(root).exists()


def _rel(root: Path, path: Path) -> str:
    return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()


def replace_op(root: Path, target: Path) -> Op:
    return Op("replace", _rel(root, staged(target)), _rel(root, target))


def move_op(root: Path, src: Path, dst: Path) -> Op:
    return Op("move", _rel(root, src), _rel(root, dst))


def delete_op(root: Path, path: Path, while_exists: Path | None = None) -> Op:
    return Op("delete", _rel(root, path), None if while_exists is None else _rel(root, while_exists))


def commit(root: Path, ops: Sequence[Op]) -> None:
    """The commit point, then the swap itself."""
    for op in ops:
        if op.kind not in KINDS:
            raise ValueError(op.kind)
    atomic_write(journal_path(root), json.dumps(
        {"format": FORMAT, "ops": [op.to_json() for op in ops]}, indent=1).encode())
    replay(root)


def _safe(root: Path, rel: str) -> Path:
    # The journal is ours, but a damaged one must never rename anything outside the folder.
    path = (Path(root) / rel).resolve()
    if Path(root).resolve() not in path.parents:
        raise StoreError(N_("The file {path} is damaged."), path=str(journal_path(root)))
    return path


def _load(root: Path) -> list[Op]:
    path = journal_path(root)
    try:
        data = json.loads(path.read_bytes())
        if data.get("format") != FORMAT:
            raise ValueError("format")
        ops = [Op(str(o["kind"]), str(o["src"]), None if o["dst"] is None else str(o["dst"]))
               for o in data["ops"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise StoreError(N_("The file {path} is damaged."), path=str(path)) from None
    if any(op.kind not in KINDS or (op.kind != "delete" and op.dst is None) for op in ops):
        raise StoreError(N_("The file {path} is damaged."), path=str(path))
    return ops


# Staged files and their temporaries are only ever written by a process holding the folder
# alone (re-key, restore): whatever is left of them was interrupted.
LEFTOVERS = (f"*{STAGED_SUFFIX}", f"*{STAGED_SUFFIX}-*", f".*{STAGED_SUFFIX}.*.tmp")
# Other atomic writes (settings, the failure counter) may be under way in another process right
# now: only a temporary this old is an interrupted one.
STALE_TMP_S = 120.0


def _leftovers(root: Path) -> Iterator[Path]:
    for pattern in LEFTOVERS:
        yield from Path(root).glob(pattern)
    now = time.time()
    for tmp in Path(root).glob(".*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            if now - tmp.stat().st_mtime > STALE_TMP_S:
                yield tmp


def has_leftovers(root: Path) -> bool:
    return next(_leftovers(root), None) is not None


def replay(root: Path) -> bool:
    """Finish a committed swap, or drop the staged leftovers of one never committed.
    Returns whether a committed swap was finished."""
    root = Path(root)
    if not pending(root):
        # Staged files of a swap never committed, and the temporaries of atomic writes a crash
        # interrupted (``files.atomic_write``: ``.NAME.XXXXXXXX.tmp``).
        for leftover in list(_leftovers(root)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        return False
    touched = {root.resolve()}
    for op in _load(root):
        src = _safe(root, op.src)
        touched.add(src.parent)
        if op.kind == "delete":
            if op.dst is None or _safe(root, op.dst).exists():
                src.unlink(missing_ok=True)
            continue
        assert op.dst is not None
        dst = _safe(root, op.dst)
        touched.add(dst.parent)
        if not src.exists():
            continue  # done before the crash
        if op.kind == "replace":
            with contextlib.suppress(FileNotFoundError):  # another process finished it
                os.replace(src, dst)
        elif not dst.exists():
            dst.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with contextlib.suppress(FileNotFoundError):
                os.rename(src, dst)
    for folder in sorted(touched):
        if folder.exists():
            fsync_dir(folder)
    journal_path(root).unlink(missing_ok=True)
    fsync_dir(root)
    return True
