"""The first pass of an import: every line of a bundle's events read, checked and verified,
on every core, keeping only what the feed checks need.

Each chunk of lines is parsed (layout, well-formed canonical event inside the manifest's
ranges: check 5 of docs/bundle-format.md) and its Ed25519 signatures verified (check 6) by a
worker process. ``cryptography`` holds the GIL while it verifies, so threads would take turns on
one core: processes, started from a clean server process (``forkserver``: they hold nothing of
this one — no keys, no database, no plaintext but the chunks they are given), kept for the
next import. A worker returns, per event, only its place in its feed and its links
(``Meta``); the events themselves are read again, in the second pass, by the one that applies
them. Small bundles, one-core machines and frozen apps do the same work in this process.

The refusals are the same, and in the same order, as reading the whole file first: the first
bad line of the file (check 5); then the first event whose signer is unknown unless an event
before it has a bad signature; then the first bad signature.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from jsd_desk.child_watch import end_with
from jsd_desk.domain.clock import Hlc
from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import N_
from jsd_desk.security.canonical import sha256_hex
from jsd_desk.security.device import DeviceInfo, unb64
from jsd_desk.store.eventlog import SignedEvent
from jsd_desk.store.ingest import Meta
from jsd_desk.sync.bundle import (
    BundleRefused,
    EventLines,
    Limits,
    Manifest,
    check_line,
    decode_event_line,
)

CHUNK = 1000  # lines per task: large enough that scheduling and pickling cost little
# Below this a bundle is checked in this process: starting the server and a worker (~0.4 s) cost
# more than they save. Measured from a fresh process (as `jsd-desk bundle import` is), two
# cores: 2,000 events 0.33 s inline against 0.67 s in the pool, 5,000 0.79 against 0.97, 8,000
# 1.30 against 1.27; 10,000 and more gain (benchmarks/README.md).
POOL_MIN_EVENTS = 8000
# A pool already started (a folder of bundles: ``warm`` for the whole folder; the app's later
# imports) costs nothing more to use: from two chunks (one verified while the other is
# applied), a bundle is checked in it.
WARM_POOL_MIN_EVENTS = 2 * CHUNK


def workers() -> int:
    """Processes that check lines: every core this process may use but one, at most four
    (``JSD_IMPORT_WORKERS`` overrides; 0: this process checks them). The one left is this
    process's: it applies the events meanwhile (``store.streaming``), the longer half of the
    work, and one more worker on it would only take turns with it."""
    env = os.environ.get("JSD_IMPORT_WORKERS")
    if env is not None and env.strip().isdigit():
        return int(env)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(0, min(4, cpus - 1))


@dataclass
class _ChunkResult:
    metas: list[tuple[str, int, str, str, int]] = field(default_factory=list)
    # The parsed events, when the chunk is checked in this process (never sent between them).
    events: list[SignedEvent] | None = None
    # The refusal of the chunk's first bad line (check 5), as (msgid, params): picklable.
    bad_line: tuple[str, dict[str, object]] | None = None
    unknown: tuple[int, str] | None = None  # (line, device) of the first unknown signer
    bad_signature: tuple[int, str, int] | None = None  # (line, device, seq)


def _check_chunk(first: int, lines: list[bytes], keys: Mapping[str, bytes],
                 base: Mapping[str, int], vector: Mapping[str, int],
                 limits: Limits, keep: bool = False, metas: bool = True) -> _ChunkResult:
    """Lines ``first``, ``first + 1`` … of the file: parsed, checked and verified; ``keep``:
    the parsed events are kept in the result too; ``metas``: what the feed checks need."""
    out = _ChunkResult(events=[] if keep else None)
    loaded: dict[str, Ed25519PublicKey] = {}
    for number, line in enumerate(lines, first):
        try:
            ev = check_line(number, line, base, vector, limits)
        except JsdError as exc:
            out.bad_line = (exc.msgid, exc.params)
            return out  # a bad line refuses the bundle: nothing after it matters
        if out.events is not None:
            out.events.append(ev)
        device = ev.device_id
        if metas:
            out.metas.append((device, ev.seq, ev.hash, ev.prev_hash, Hlc.decode(ev.hlc).wall_ms))
        if out.bad_signature is not None or out.unknown is not None:
            continue  # the outcome of check 6 for this chunk is known
        key = loaded.get(device)
        if key is None:
            raw_key = keys.get(device)
            if raw_key is None:
                out.unknown = (number, device)
                continue
            key = loaded[device] = Ed25519PublicKey.from_public_bytes(raw_key)
        try:
            key.verify(ev.signature, ev.raw)
        except InvalidSignature:
            out.bad_signature = (number, device, ev.seq)
    return out


_POOL: Executor | None = None
_POOL_SIZE = 0
_POOL_LOCK = threading.Lock()


def _pool(size: int) -> Executor:
    global _POOL, _POOL_SIZE
    with _POOL_LOCK:
        if _POOL is None or size != _POOL_SIZE:
            if _POOL is not None:
                _POOL.shutdown(wait=False, cancel_futures=True)
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__])
            _POOL = ProcessPoolExecutor(size, mp_context=context, initializer=end_with,
                                        initargs=(os.getpid(),))
            _POOL_SIZE = size
        return _POOL


# About the least a bundle file holds per event (a compressed line is ~160 bytes): a file this
# many times POOL_MIN_EVENTS bytes long is likely checked in the pool, so it is started early.
# Set low, the pool would start for bundles checked without it; high, it only starts later.
MIN_BYTES_PER_EVENT = 128


def warm(file_bytes: int) -> threading.Thread | None:
    """Start the pool's processes in the background for a bundle file of ``file_bytes``, while
    this process decrypts and opens it: starting the server and a worker took ~0.4 s, during
    which the first chunk's ``submit`` waited (7% of a 50,000-event import on two cores). A
    bundle that turns out small leaves the pool idle, kept for the next import. Nothing to do
    when the pool is started already (each bundle of a folder after the first)."""
    size = _use_pool(file_bytes // MIN_BYTES_PER_EVENT)
    if not size or _running(size):
        return None

    def start() -> None:
        # A pool that cannot start (or is replaced meanwhile) fails the import's own submit,
        # which reports it: nothing to say from here.
        with contextlib.suppress(Exception):
            pool = _pool(size)
            for future in [pool.submit(os.getpid) for _ in range(size)]:
                future.result()

    thread = threading.Thread(target=start, name="jsd-import-pool", daemon=True)
    thread.start()
    return thread


def _use_pool(count: int) -> int:
    """How many worker processes check ``count`` lines (0: this process does)."""
    n = workers()
    if (n < 1 or getattr(sys, "frozen", False)
            or "forkserver" not in multiprocessing.get_all_start_methods()):
        return 0
    if count >= POOL_MIN_EVENTS or (count >= WARM_POOL_MIN_EVENTS and _running(n)):
        return n
    return 0


def _running(size: int) -> bool:
    """Whether a pool of ``size`` workers is started (or starting): it costs nothing more."""
    with _POOL_LOCK:
        return _POOL is not None and size == _POOL_SIZE


@dataclass
class Checked:
    """Every event of the bundle, by feed and sequence number (duplicates of one event kept
    once; two different events at one place are in ``twins``, a fork, first in file order)."""

    feeds: dict[str, dict[int, Meta]] = field(default_factory=dict)
    twins: tuple[int, int] | None = None  # (line of the first, line of the second)
    lines: int = 0

    def add(self, first: int, metas: list[tuple[str, int, str, str, int]]) -> None:
        """The events of lines ``first``, ``first + 1`` … as (device, seq, hash, prev, wall)."""
        for number, (device, seq, digest, prev, wall) in enumerate(metas, first):
            feed = self.feeds.setdefault(device, {})
            twin = feed.get(seq)
            if twin is None:
                feed[seq] = Meta(number, digest, prev, wall)
            elif twin.hash != digest and self.twins is None:
                self.twins = (twin.line, number)


def feeds_of(events: EventLines) -> Checked:
    """What the feed checks need of lines that ``check_events`` found good, read again without
    verifying them again (an import whose streaming gave up: see ``check_events``)."""
    checked = Checked()
    for first, chunk in _chunks(events):
        metas = []
        for line in chunk:
            raw, _sig = decode_event_line(line)
            body = json.loads(raw)
            metas.append((body["device_id"], body["seq"], sha256_hex(raw), body["prev_hash"],
                          Hlc.decode(body["hlc"]).wall_ms))
        checked.add(first, metas)
        checked.lines = first + len(chunk) - 1
    return checked


Progress = Callable[[int], None]
# Called with each chunk of lines found good (check 5) and verified (check 6), in file order,
# while the next chunks are being checked: its lines, and its events when they were parsed here.
OnChunk = Callable[[list[bytes], list[SignedEvent] | None], None]


def check_events(events: EventLines, manifest: Manifest, signers: Mapping[str, DeviceInfo],
                 *, progress: Progress | None = None, on_chunk: OnChunk | None = None) -> Checked:
    """Read, check and verify every line; raise the refusal the file earns, else what the
    feed checks need. ``progress(lines)`` may raise to cancel. ``on_chunk`` sees the chunks
    up to the first one with an unknown signer or a bad signature (the bundle is refused
    then, once every line is read); with it, the feeds are not kept (``feeds_of`` reads them
    again if they are wanted): they are what an import holds of every event, and the events
    are applied meanwhile."""
    keys = {d: unb64(info.sign_public) for d, info in signers.items()}
    base, vector, limits = dict(manifest.base), dict(manifest.vector), events.limits
    size = _use_pool(events.count)
    streamed = on_chunk is not None  # then the events are applied meanwhile: no feeds kept
    results: Iterator[tuple[list[bytes], _ChunkResult]]
    if size:
        results = _in_pool(_pool(size), size, events, keys, base, vector, limits, not streamed)
    else:
        results = ((chunk, _check_chunk(first, chunk, keys, base, vector, limits, streamed,
                                        not streamed))
                   for first, chunk in _chunks(events))
    checked = Checked()
    unknown: tuple[int, str] | None = None
    bad: tuple[int, str, int] | None = None
    number = 0
    for lines, result in results:
        if result.bad_line is not None:
            msgid, params = result.bad_line
            raise BundleRefused(msgid, **params)
        if unknown is None and result.unknown is not None:
            unknown = result.unknown
        if bad is None and result.bad_signature is not None:
            bad = result.bad_signature
        if on_chunk is not None and unknown is None and bad is None:
            on_chunk(lines, result.events)
        result.events = None
        checked.add(number + 1, result.metas)
        number += len(lines)
        if progress is not None:
            progress(number)
    checked.lines = number
    if bad is not None and (unknown is None or bad[0] < unknown[0]):
        raise BundleRefused(N_("The bundle is refused: the signature of event {device}#{seq} "
                               "does not match its device's key."), device=bad[1][:8], seq=bad[2])
    if unknown is not None:
        raise BundleRefused(N_("The bundle is refused: events of device {device} are signed by "
                               "a key this device does not know."), device=unknown[1][:8])
    return checked


def _chunks(events: EventLines) -> Iterator[tuple[int, list[bytes]]]:
    chunk: list[bytes] = []
    first = 1
    for number, line in enumerate(events.lines(), 1):
        chunk.append(line)
        if len(chunk) == CHUNK:
            yield first, chunk
            first, chunk = number + 1, []
    if chunk:
        yield first, chunk


def _in_pool(pool: Executor, size: int, events: EventLines, keys: dict[str, bytes],
             base: dict[str, int], vector: dict[str, int],
             limits: Limits, metas: bool) -> Iterator[tuple[list[bytes], _ChunkResult]]:
    """Each chunk's lines and result in file order, with a few chunks in flight: memory stays
    bounded."""
    pending: deque[tuple[list[bytes], Future[_ChunkResult]]] = deque()
    try:
        for first, chunk in _chunks(events):
            pending.append((chunk, pool.submit(_check_chunk, first, chunk, keys, base, vector,
                                               limits, False, metas)))
            while len(pending) > 2 * size:
                lines, future = pending.popleft()
                yield lines, future.result()
        while pending:
            lines, future = pending.popleft()
            yield lines, future.result()
    finally:  # refused or cancelled: the rest is not wanted
        for _lines, future in pending:
            future.cancel()
