"""Checking the Ed25519 signatures of a bundle's events on every core, beside the import.

``cryptography`` releases the GIL while it verifies, so threads verify in parallel with each
other *and* with the import's own work in the main thread (parsing, SQLite — which releases it
too). The import starts the check, does its work inside its transaction, and waits for the
check before it commits: a bad signature still refuses the whole bundle and writes nothing.
Threads rather than processes: nothing to pickle, no interpreter to start, and they work the
same in the packaged app and beside Qt.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from jsd_desk.i18n import N_
from jsd_desk.security.device import DeviceInfo, unb64
from jsd_desk.store.eventlog import SignedEvent
from jsd_desk.sync.bundle import BundleRefused

CHUNK = 1000  # events per task: large enough that scheduling costs nothing


def workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1))


def _first_bad(pairs: Sequence[tuple[Ed25519PublicKey, SignedEvent]]) -> SignedEvent | None:
    for key, ev in pairs:
        try:
            key.verify(ev.signature, ev.raw)
        except InvalidSignature:
            return ev
    return None


class SignatureCheck:
    """The signatures of ``events`` by their devices' keys (``signers``), checked in the
    background from construction; ``wait()`` raises the refusal of the first bad one."""

    def __init__(self, events: Sequence[SignedEvent], signers: Mapping[str, DeviceInfo]) -> None:
        keys: dict[str, Ed25519PublicKey] = {}
        pairs: list[tuple[Ed25519PublicKey, SignedEvent]] = []
        for ev in events:  # every signer known, before any work starts
            key = keys.get(ev.device_id)
            if key is None:
                info = signers.get(ev.device_id)
                if info is None:
                    # Checked in the order of the file: a bad signature before it wins.
                    earlier = _first_bad(pairs)
                    if earlier is not None:
                        raise _bad_signature(earlier)
                    raise BundleRefused(N_("The bundle is refused: events of device {device} are "
                                           "signed by a key this device does not know."),
                                        device=ev.device_id[:8])
                key = keys[ev.device_id] = Ed25519PublicKey.from_public_bytes(
                    unb64(info.sign_public))
            pairs.append((key, ev))
        self._pool: ThreadPoolExecutor | None = None
        self._futures: list[Future[SignedEvent | None]] = []
        self._bad: SignedEvent | None = None
        if len(pairs) <= CHUNK:  # a small bundle: not worth a thread
            self._bad = _first_bad(pairs)
            return
        self._pool = ThreadPoolExecutor(workers(), thread_name_prefix="jsd-verify")
        self._futures = [self._pool.submit(_first_bad, pairs[i:i + CHUNK])
                         for i in range(0, len(pairs), CHUNK)]

    def cancel(self) -> None:
        """Stop checking (the import failed for another reason): nothing is reported."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def wait(self) -> None:
        """Block until every signature is checked; refuse the bundle if one does not verify."""
        if self._pool is not None:
            try:
                for future in self._futures:  # in order: the first bad event is reported
                    bad = future.result()
                    if bad is not None and self._bad is None:
                        self._bad = bad
            finally:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
        if self._bad is not None:
            raise _bad_signature(self._bad)


def _bad_signature(ev: SignedEvent) -> BundleRefused:
    return BundleRefused(N_("The bundle is refused: the signature of event {device}#{seq} does "
                            "not match its device's key."), device=ev.device_id[:8], seq=ev.seq)
