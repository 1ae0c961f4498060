"""Sealed fields (DESIGN §4): a confidential value travels inside its event encrypted to the
devices allowed to read it, so every device can relay the event and only those can open it.

A sealed value is the envelope ``{"sealed": "<base64 of an age file>"}``; the age file holds the
canonical JSON of the value, encrypted to the X25519 recipients of the allowed readers. Anyone
can check the event's signature (it covers the envelope); a standard ``age`` tool holding one of
the identities can open the value without this application.

A device that cannot open a value projects it as NULL and remembers in the merge state only
that the write was sealed (``SEALED_MARKER``), never the ciphertext's plaintext.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from typing import Any, Final

import pyrage

from jsd_desk.domain.records import DELETED, ENTITIES, REFERRAL_DISCLOSED
from jsd_desk.security.canonical import canonical_bytes

ENVELOPE_KEY: Final = "sealed"
# What the merge state holds for a write this device cannot open: a JSON object, which no plain
# field value can be (event values are scalars), so it is never mistaken for data.
SEALED_MARKER: Final[dict[str, bool]] = {ENVELOPE_KEY: True}
SEALED_MARKER_JSON: Final = json.dumps(SEALED_MARKER)
# Roles whose devices may read identities when this device trusts them (DESIGN §1: never a
# liaison officer's).
READER_ROLES: Final = frozenset({"facilitator", "analyst"})
# An identity is a few hundred bytes; a sealed value beyond this is not one of ours.
MAX_ENVELOPE_CHARS: Final = 600_000


class Unreadable:
    """The value of a sealed field this device may not open."""

    _instance: Unreadable | None = None

    def __new__(cls) -> Unreadable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE: Final = Unreadable()


def is_sealed_field(entity: str, field: str) -> bool:
    """Whether ``field`` of ``entity`` travels sealed: every field of a confidential entity and
    every field marked confidential, but never the tombstone (all replicas merge deletions)."""
    spec = ENTITIES.get(entity)
    if spec is None or field == DELETED:
        return False
    fspec = spec.fields.get(field)
    return fspec is not None and (spec.confidential or fspec.confidential)


def has_sealed_fields(entity: str) -> bool:
    spec = ENTITIES.get(entity)
    return spec is not None and any(is_sealed_field(entity, f) for f in spec.fields)


def is_envelope(value: Any) -> bool:
    """The exact shape of a sealed value: ``{"sealed": "<base64>"}`` and nothing else."""
    if not isinstance(value, dict) or set(value) != {ENVELOPE_KEY}:
        return False
    text = value[ENVELOPE_KEY]
    return isinstance(text, str) and 0 < len(text) <= MAX_ENVELOPE_CHARS


def seal(value: Any, recipients: Sequence[str]) -> dict[str, str]:
    """The envelope of ``value`` for the age recipients (``age1…``) given."""
    if not recipients:
        raise ValueError("a sealed value needs at least one reader")
    keys = [pyrage.x25519.Recipient.from_str(r) for r in sorted(set(recipients))]
    data = pyrage.encrypt(canonical_bytes(value), keys)
    return {ENVELOPE_KEY: base64.b64encode(data).decode("ascii")}


def envelope_bytes(envelope: dict[str, Any]) -> bytes:
    return base64.b64decode(str(envelope[ENVELOPE_KEY]).encode("ascii"), validate=True)


class Reader:
    """Opens envelopes with this device's age identities (the current one and, after a restore
    from backup, those of the feeds it continues).

    ``fields``: the only (entity, field) pairs this reader opens (None: all) — a police liaison
    device opens the need-to-know fields of the complaints referred to it and never an
    identity, whatever it is sent. ``legacy_plain``: whether a value of a need-to-know field
    written in clear, before those fields were sealed, is taken as it is.
    """

    def __init__(self, identities: Iterable[pyrage.x25519.Identity], *,
                 fields: frozenset[tuple[str, str]] | None = None,
                 legacy_plain: bool = True) -> None:
        self.identities = list(identities)
        self.recipients = frozenset(str(i.to_public()) for i in self.identities)
        self.fields = fields
        self.legacy_plain = legacy_plain

    def open_field(self, entity: str, field: str, value: Any) -> Any:
        """The value of a sealed field as this reader may see it (UNREADABLE otherwise)."""
        if self.fields is not None and (entity, field) not in self.fields:
            return UNREADABLE
        if (entity, field) in REFERRAL_DISCLOSED and not is_envelope(value):
            plain = value is None or isinstance(value, str)
            return value if self.legacy_plain and plain else UNREADABLE
        return self.open(value)

    def open(self, envelope: Any) -> Any:
        """The value inside, or UNREADABLE when this device is not among the readers (or the
        envelope is damaged: a signed event can still carry a bad one)."""
        if not self.identities or not is_envelope(envelope):
            return UNREADABLE
        try:
            plain = pyrage.decrypt(envelope_bytes(envelope), self.identities)
            value = json.loads(plain.decode("utf-8"))
        except (pyrage.DecryptError, binascii.Error, ValueError, UnicodeDecodeError):
            return UNREADABLE
        if isinstance(value, (dict, list, float)):
            return UNREADABLE  # only scalars are field values
        return value


def reader_for_role(role: str, identities: Iterable[pyrage.x25519.Identity]) -> Reader:
    """What a device of ``role`` opens: facilitators and the ministry every seal made for them;
    a liaison officer's device only the need-to-know fields sealed to it at referral."""
    if role in READER_ROLES:
        return Reader(identities)
    if role == "liaison":
        return Reader(identities, fields=REFERRAL_DISCLOSED, legacy_plain=False)
    return NO_READER


NO_READER: Final = Reader((), legacy_plain=False)
