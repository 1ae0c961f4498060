"""Contact cards (DESIGN §5): how two devices meet.

A card is a small JSON file holding a device's id, name, role and public keys, with the short
fingerprint people read to each other over the phone before trusting it. The same device object
travels inside bundle manifests, for the sender and for every feed a bundle relays.
"""

from __future__ import annotations

import json
from typing import Any

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import InputRefused
from jsd_desk.domain.refs import ALPHABET
from jsd_desk.i18n import N_
from jsd_desk.security.device import DeviceInfo, unb64

CARD_FORMAT = "jsd-card/1"
CARD_SUFFIX = ".jsdcard"
MAX_CARD_BYTES = 64 * 1024
MAX_NAME = 200
_FIELDS = ("device_id", "name", "role", "short_code", "sign_public", "age_recipient")


class BadCard(ValueError):
    """A device object that is not well formed (the caller words the refusal)."""


def _is_uuid(text: str) -> bool:
    return len(text) == 36 and all(c in "0123456789abcdef-" for c in text)


def device_from_json(obj: Any) -> DeviceInfo:
    """A device object from a card or a manifest, every field checked."""
    if not isinstance(obj, dict) or set(obj) != set(_FIELDS):
        raise BadCard("fields")
    if not all(isinstance(obj[k], str) for k in _FIELDS):
        raise BadCard("types")
    info = DeviceInfo(**{k: obj[k] for k in _FIELDS})
    if not _is_uuid(info.device_id):
        raise BadCard("device_id")
    if not info.name.strip() or len(info.name) > MAX_NAME:
        raise BadCard("name")
    if info.role not in vocab.ROLE:
        raise BadCard("role")
    if len(info.short_code) != 4 or any(c not in ALPHABET for c in info.short_code):
        raise BadCard("short_code")
    try:
        raw = unb64(info.sign_public)
        if len(raw) != 32:
            raise BadCard("sign_public")
        Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, UnicodeEncodeError):
        raise BadCard("sign_public") from None
    if not info.age_recipient.startswith("age1") or len(info.age_recipient) > 80:
        raise BadCard("age_recipient")
    try:
        pyrage.x25519.Recipient.from_str(info.age_recipient)
    except (pyrage.RecipientError, ValueError):
        raise BadCard("age_recipient") from None
    return info


def is_ministry(info: DeviceInfo) -> bool:
    """A device with the analyst role is a ministry device: every bundle is also for it."""
    return info.role == "analyst"


def card_bytes(info: DeviceInfo) -> bytes:
    card = {"format": CARD_FORMAT, "device": info.to_json(), "fingerprint": info.fingerprint()}
    return (json.dumps(card, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def parse_card(data: bytes) -> DeviceInfo:
    """Read a contact card file's bytes; refuses anything else with one sentence."""
    if len(data) > MAX_CARD_BYTES:
        raise InputRefused(N_("This file is too large to be a contact card."))
    try:
        card = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InputRefused(N_("This file is not a JSD Desk contact card.")) from None
    if not isinstance(card, dict) or not isinstance(card.get("format"), str) \
            or not card["format"].startswith("jsd-card/"):
        raise InputRefused(N_("This file is not a JSD Desk contact card."))
    if card["format"] != CARD_FORMAT:
        raise InputRefused(N_("This contact card uses a newer format ({format}); update JSD Desk "
                              "to read it."), format=card["format"][:40])
    try:
        info = device_from_json(card.get("device"))
    except BadCard as exc:
        raise InputRefused(N_("The contact card is damaged (field {field})."),
                           field=str(exc)) from None
    written = card.get("fingerprint")
    if written is not None and written != info.fingerprint():
        raise InputRefused(N_("The contact card is damaged: its fingerprint does not match its "
                              "keys."))
    return info


def normalize_fingerprint(text: str) -> str:
    """What a person typed, compared without spaces or case."""
    return "".join(c for c in text.upper() if c.isalnum())
