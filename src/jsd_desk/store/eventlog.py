"""Events (DESIGN §4): their canonical bytes, hash, signature, and checks of a device's feed.

An event body is a JSON object; its canonical bytes (sorted keys, compact, UTF-8) are what the
device signs with Ed25519 and what ``hash`` digests. ``prev_hash`` chains each device's feed, so
a removed, reordered or rewritten event breaks the chain, and a fork is evidence of tampering.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Protocol

from jsd_desk.domain.clock import Hlc, make_stamp
from jsd_desk.domain.records import DELETED, ENTITIES, REFERRAL_DISCLOSED
from jsd_desk.security.canonical import canonical_bytes, sha256_hex
from jsd_desk.security.device import DeviceKeys
from jsd_desk.security.sealing import is_envelope, is_sealed_field

SCHEMA = 1
GENESIS = "0" * 64  # prev_hash of a feed's first event
OPS = ("upsert", "delete")
_KEYS = {"schema", "device_id", "seq", "prev_hash", "hlc", "entity", "entity_id", "op", "fields", "base"}


class MalformedEvent(ValueError):
    """An event whose bytes are not a well-formed JSD Desk event."""


class Committed(Protocol):
    """What is told of an event once committed (``Store.listeners``, an import's report): where
    it is in its feed and what it touched. A ``SignedEvent`` is one, and so is an ``EventRef``."""

    @property
    def device_id(self) -> str: ...
    @property
    def seq(self) -> int: ...
    @property
    def hlc(self) -> str: ...
    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> str: ...
    @property
    def op(self) -> str: ...


@dataclass(frozen=True, slots=True)
class EventRef:
    """An applied event, as an import reports it: no fields, bytes or hash. About 250 bytes
    where a parsed event and its dict cost 600: at 100,000 events that is 35 MB an import can
    give to SQLite's page cache instead."""

    device_id: str
    seq: int
    hlc: str
    entity: str
    entity_id: str
    op: str


@dataclass(frozen=True)
class SignedEvent:
    body: dict[str, Any]
    raw: bytes  # the canonical bytes that were signed
    signature: bytes
    hash: str

    @property
    def device_id(self) -> str:
        return str(self.body["device_id"])

    @property
    def seq(self) -> int:
        return int(self.body["seq"])

    @property
    def prev_hash(self) -> str:
        return str(self.body["prev_hash"])

    @property
    def hlc(self) -> str:
        return str(self.body["hlc"])

    @property
    def entity(self) -> str:
        return str(self.body["entity"])

    @property
    def entity_id(self) -> str:
        return str(self.body["entity_id"])

    @property
    def op(self) -> str:
        return str(self.body["op"])

    @property
    def fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = self.body["fields"]
        return fields

    @property
    def base(self) -> dict[str, list[str]]:
        base: dict[str, list[str]] = self.body["base"]
        return base

    @property
    def stamp(self) -> str:
        return make_stamp(self.hlc, self.device_id)

    @property
    def signature_b64(self) -> str:
        return base64.b64encode(self.signature).decode("ascii")


def make_event(keys: DeviceKeys, *, seq: int, prev_hash: str, hlc: str, entity: str, entity_id: str,
               op: str, fields: dict[str, Any], base: dict[str, list[str]]) -> SignedEvent:
    body = {"schema": SCHEMA, "device_id": keys.info.device_id, "seq": seq, "prev_hash": prev_hash,
            "hlc": hlc, "entity": entity, "entity_id": entity_id, "op": op, "fields": fields,
            "base": base}
    raw = canonical_bytes(body)
    return SignedEvent(body, raw, keys.sign(raw), sha256_hex(raw))


def parse_event(raw: bytes, signature_b64: str) -> SignedEvent:
    """Parse stored or received event bytes, checking shape (not yet signature or chain)."""
    try:
        body = json.loads(raw.decode("utf-8"))
        signature = base64.b64decode(signature_b64.encode("ascii"), validate=True)
    except (UnicodeDecodeError, ValueError, binascii.Error) as exc:
        raise MalformedEvent(f"not JSON: {exc}") from None
    check_body(body)
    if canonical_bytes(body) != raw:
        raise MalformedEvent("bytes are not in canonical form")
    return SignedEvent(body, raw, signature, sha256_hex(raw))


def check_body(body: Any) -> None:
    if not isinstance(body, dict) or set(body) != _KEYS:
        raise MalformedEvent("unexpected keys")
    if body["schema"] != SCHEMA:
        raise MalformedEvent(f"unknown event schema {body['schema']!r}")
    if not isinstance(body["seq"], int) or isinstance(body["seq"], bool) or body["seq"] < 1:
        raise MalformedEvent("bad seq")
    for key in ("device_id", "prev_hash", "hlc", "entity", "entity_id", "op"):
        if not isinstance(body[key], str):
            raise MalformedEvent(f"bad {key}")
    if len(body["prev_hash"]) != 64:
        raise MalformedEvent("bad prev_hash")
    try:
        Hlc.decode(body["hlc"])
    except ValueError:
        raise MalformedEvent("bad hlc") from None
    spec = ENTITIES.get(body["entity"])
    if spec is None:
        raise MalformedEvent(f"unknown entity {body['entity']!r}")
    if body["op"] not in OPS:
        raise MalformedEvent("bad op")
    fields, base = body["fields"], body["base"]
    if not isinstance(fields, dict) or not isinstance(base, dict):
        raise MalformedEvent("bad fields")
    for name, value in fields.items():
        if name != DELETED and name not in spec.fields:
            raise MalformedEvent(f"unknown field {name!r}")
        if is_sealed_field(body["entity"], name):
            # A confidential value travels sealed, always: a plain one is refused (DESIGN §4),
            # but for need-to-know fields written in clear before they were sealed.
            legacy = (body["entity"], name) in REFERRAL_DISCLOSED and (
                value is None or isinstance(value, str))
            if not is_envelope(value) and not legacy:
                raise MalformedEvent(f"unsealed value for {name!r}")
        elif isinstance(value, (dict, list, float)):
            raise MalformedEvent(f"bad value for {name!r}")
    for name, stamps in base.items():
        if name not in fields or not isinstance(stamps, list) or not all(isinstance(s, str) for s in stamps):
            raise MalformedEvent("bad base")
