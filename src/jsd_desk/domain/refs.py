"""Human references that stay unique across devices without a server.

A complaint reference is the device's short code, the year and the device's own sequence
(``NIA3-2026-0042``). A receipt code is random and unguessable: an anonymous complainant asks
about the case with it, so it must not be derivable from the reference.
"""

from __future__ import annotations

import hashlib
import re
import secrets

# Crockford's base32 without I, L, O, U: nothing to misread when dictated over the phone.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_RE = re.compile(r"^[A-Z0-9]{4}-\d{4}-\d{4,}$")


def device_short_code(device_id: str, name: str) -> str:
    """Three letters from the device name and one check character from its id."""
    letters = "".join(c for c in name.upper() if c in ALPHABET and c.isalpha())[:3]
    letters = (letters + "XXX")[:3]
    digest = hashlib.sha256(device_id.encode()).digest()
    return letters + ALPHABET[digest[0] % 32]


def complaint_reference(short_code: str, year: int, sequence: int) -> str:
    return f"{short_code}-{year:04d}-{sequence:04d}"


def new_receipt_code() -> str:
    """60 random bits as ``XXXX-XXXX-XXXX``: unguessable, short enough to write down."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{chars[0:4]}-{chars[4:8]}-{chars[8:12]}"


def normalize_receipt_code(text: str) -> str:
    """Accept what people type: lower case, spaces, O for 0, I or L for 1."""
    cleaned = text.upper().replace("O", "0").replace("I", "1").replace("L", "1")
    chars = "".join(c for c in cleaned if c in ALPHABET)
    if len(chars) != 12:
        return ""
    return f"{chars[0:4]}-{chars[4:8]}-{chars[8:12]}"
