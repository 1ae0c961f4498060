"""Key slots: the store's random master key, wrapped once per way of opening it (DESIGN §6).

One slot opens with the passphrase (Argon2id), one with the recovery key printed at setup.
Changing the passphrase rewrites one slot and never touches the data.

The file is written twice, ``keyslots.json`` and ``keyslots.copy.json``, each atomically: a
damaged or deleted key file is the one loss that no backup of the records can repair, so a
store opens from the copy (and repairs the file) when it must.
"""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from jsd_desk.domain.errors import StoreError, WrongPassphrase
from jsd_desk.domain.refs import ALPHABET
from jsd_desk.files import atomic_write
from jsd_desk.i18n import N_

FORMAT = "jsd-keyslots/1"
MASTER_KEY_BYTES = 32

# OWASP's second Argon2id profile (m=19 MiB, t=2) is the floor; 64 MiB and t=3 still open in
# well under a second on the old laptops this runs on, and cost an attacker far more.
PASSPHRASE_KDF = {"name": "argon2id", "time_cost": 3, "memory_kib": 65536, "parallelism": 2}
# The recovery key carries 130 random bits, so a light KDF is enough.
RECOVERY_KDF = {"name": "argon2id", "time_cost": 1, "memory_kib": 8192, "parallelism": 1}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive(secret: str, kdf: dict[str, Any], salt: bytes) -> bytes:
    if kdf.get("name") != "argon2id":
        raise StoreError(N_("The key file uses an unknown key derivation."))
    return hash_secret_raw(secret.encode("utf-8"), salt, time_cost=int(kdf["time_cost"]),
                           memory_cost=int(kdf["memory_kib"]), parallelism=int(kdf["parallelism"]),
                           hash_len=32, type=Type.ID)


def subkey(master: bytes, purpose: str) -> bytes:
    """An independent key for one purpose (database, device keys) from the master key."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=f"jsd-desk/{purpose}".encode()).derive(master)


RECOVERY_CHARS = 26


def _check_char(chars: str) -> str:
    # Luhn mod 32: catches every single mistyped character and most swapped neighbours.
    total, factor = 0, 2
    for c in reversed(chars):
        addend = factor * ALPHABET.index(c)
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return ALPHABET[-total % 32]


def new_recovery_key() -> str:
    """26 characters of Crockford base32 in groups of five, easy to copy from paper: 125 random
    bits and a check character, so a typo is named as such before any key derivation."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(RECOVERY_CHARS - 1))
    chars += _check_char(chars)
    return "-".join(chars[i:i + 5] for i in range(0, RECOVERY_CHARS, 5))


def check_recovery_key(text: str) -> str:
    """The recovery key as typed, normalized; WrongPassphrase names a wrong length or a typo."""
    normalized = normalize_recovery_key(text)
    chars = normalized.replace("-", "")
    if len(chars) != RECOVERY_CHARS:
        raise WrongPassphrase(N_("A recovery key has {n} letters and digits; this one has {got}."),
                              n=RECOVERY_CHARS, got=len(chars))
    if _check_char(chars[:-1]) != chars[-1]:
        raise WrongPassphrase(N_("The recovery key has a typo: compare it with the card, group by "
                                 "group."))
    return normalized


def copy_path(path: Path) -> Path:
    """Where the second copy of a key file lives: ``keyslots.json`` → ``keyslots.copy.json``."""
    return path.with_name(f"{path.stem}.copy{path.suffix}")


def normalize_recovery_key(text: str) -> str:
    cleaned = text.upper().replace("O", "0").replace("I", "1").replace("L", "1")
    chars = "".join(c for c in cleaned if c in ALPHABET)
    return "-".join(chars[i:i + 5] for i in range(0, len(chars), 5))


@dataclass
class KeySlots:
    path: Path
    slots: list[dict[str, Any]]

    repaired: bool = False  # loaded from the copy, the damaged or missing file rewritten

    @classmethod
    def build(cls, path: Path, master: bytes, passphrase: str, recovery_key: str) -> KeySlots:
        """New slots for ``master``, not yet saved."""
        ks = cls(path, [])
        ks._set_slot("passphrase", master, passphrase, PASSPHRASE_KDF)
        ks._set_slot("recovery", master, normalize_recovery_key(recovery_key), RECOVERY_KDF)
        return ks

    @classmethod
    def create(cls, path: Path, master: bytes, passphrase: str, recovery_key: str) -> KeySlots:
        ks = cls.build(path, master, passphrase, recovery_key)
        ks.save()
        return ks

    @classmethod
    def load(cls, path: Path) -> KeySlots:
        """The slots from the key file, or from its copy (rewriting the file) when the file is
        missing or damaged; the error names the file when neither can be read."""
        try:
            return cls._load_one(path)
        except StoreError as first:
            try:
                ks = cls._load_one(copy_path(path))
            except StoreError:
                raise first from None
        ks.path = path
        ks.repaired = True
        with contextlib.suppress(OSError):  # a read-only folder still opens, unrepaired
            atomic_write(path, ks.to_bytes())
        return ks

    @classmethod
    def _load_one(cls, path: Path) -> KeySlots:
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise StoreError(N_("The key file {path} is missing."), path=str(path)) from None
        except (OSError, ValueError):
            raise StoreError(N_("The key file {path} is damaged."), path=str(path)) from None
        if (not isinstance(data, dict) or data.get("format") != FORMAT
                or not isinstance(data.get("slots"), list)):
            raise StoreError(N_("The key file {path} is damaged."), path=str(path))
        return cls(path, data["slots"])

    def to_bytes(self) -> bytes:
        return json.dumps({"format": FORMAT, "slots": self.slots}, indent=2).encode()

    def save(self) -> None:
        data = self.to_bytes()
        atomic_write(self.path, data)
        atomic_write(copy_path(self.path), data)

    def ensure_copy(self) -> None:
        """Write the copy when it is missing (a store made before copies existed)."""
        if not copy_path(self.path).exists():
            atomic_write(copy_path(self.path), self.to_bytes())

    def _set_slot(self, slot_id: str, master: bytes, secret: str, kdf: dict[str, Any]) -> None:
        salt = secrets.token_bytes(16)
        nonce = secrets.token_bytes(12)
        wrapped = AESGCM(_derive(secret, kdf, salt)).encrypt(nonce, master, slot_id.encode())
        slot = {"id": slot_id, "kdf": {**kdf, "salt": _b64(salt)}, "nonce": _b64(nonce),
                "wrapped": _b64(wrapped)}
        self.slots = [s for s in self.slots if s.get("id") != slot_id] + [slot]

    def _open(self, slot_id: str, secret: str) -> bytes:
        slot = next((s for s in self.slots if s.get("id") == slot_id), None)
        if slot is None:
            raise StoreError(N_("The key file has no {slot} slot."), slot=slot_id)
        try:
            key = _derive(secret, slot["kdf"], _unb64(slot["kdf"]["salt"]))
            return AESGCM(key).decrypt(_unb64(slot["nonce"]), _unb64(slot["wrapped"]), slot_id.encode())
        except InvalidTag:
            if slot_id == "recovery":
                raise WrongPassphrase(N_("The recovery key is wrong.")) from None
            raise WrongPassphrase(N_("The passphrase is wrong.")) from None
        except (KeyError, TypeError, ValueError):
            raise StoreError(N_("The key file {path} is damaged."), path=str(self.path)) from None

    def open_with_passphrase(self, passphrase: str) -> bytes:
        return self._open("passphrase", passphrase)

    def open_with_recovery_key(self, recovery_key: str) -> bytes:
        return self._open("recovery", check_recovery_key(recovery_key))

    def change_passphrase(self, master: bytes, new_passphrase: str) -> None:
        self._set_slot("passphrase", master, new_passphrase, PASSPHRASE_KDF)
        self.save()

    def change_recovery_key(self, master: bytes, recovery_key: str) -> None:
        self._set_slot("recovery", master, normalize_recovery_key(recovery_key), RECOVERY_KDF)
        self.save()
