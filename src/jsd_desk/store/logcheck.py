"""The per-event checks of ``verify``, for a pool of processes: shape, index and signature.

A chunk of stored events goes to a worker process as plain tuples; it answers, for each event,
which checks failed and the hashes the chain check needs (done in order by the caller). Kept
apart from ``verify`` so that a worker imports only what it needs (the parser and the keys).
"""

from __future__ import annotations

import binascii
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from jsd_desk.security.device import unb64
from jsd_desk.store.eventlog import MalformedEvent, parse_event

# Flags of an event's result.
MALFORMED = 1
MISMATCH = 2  # the body says another device, seq, hash, entity or record than its index row
UNKNOWN = 4  # signed by a device this store does not know
BAD_SIGNATURE = 8

# (device_id, seq, hash, entity, entity_id, body, signature) as the event table stores them.
StoredEvent = tuple[str, int, str, str, str, str, str]
# (flags, prev_hash, hash): the hashes of the body, None when it is malformed.
Checked = tuple[int, str | None, str | None]

_keys: dict[str, Ed25519PublicKey | None] = {}  # per process: each key loaded once


def _key(public: str) -> Ed25519PublicKey | None:
    """The key of its base64 text (None: not a key, so nothing verifies against it)."""
    if public not in _keys:
        try:
            _keys[public] = Ed25519PublicKey.from_public_bytes(unb64(public))
        except (ValueError, binascii.Error):
            _keys[public] = None
    return _keys[public]


def check_events(rows: Sequence[StoredEvent], signers: Mapping[str, str]) -> list[Checked]:
    """Check each stored event; ``signers``: device id → its Ed25519 public key (base64)."""
    out: list[Checked] = []
    for device_id, seq, hash_, entity, entity_id, body, signature in rows:
        try:
            ev = parse_event(body.encode("utf-8"), signature)
        except MalformedEvent:
            out.append((MALFORMED, None, None))
            continue
        flags = 0
        if (ev.device_id != device_id or ev.seq != seq or ev.hash != hash_
                or ev.entity != entity or ev.entity_id != entity_id):
            flags |= MISMATCH
        public = signers.get(device_id)
        key = None if public is None else _key(public)
        if public is None:
            flags |= UNKNOWN
        elif key is None:
            flags |= BAD_SIGNATURE
        else:
            try:
                key.verify(ev.signature, ev.raw)
            except InvalidSignature:
                flags |= BAD_SIGNATURE
        out.append((flags, ev.prev_hash, ev.hash))
    return out
