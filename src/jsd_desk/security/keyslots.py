"""Key slots: the store's random master key, wrapped once per way of opening it (DESIGN §6).

One slot opens with the passphrase (Argon2id), one with the recovery key printed at setup.
Changing the passphrase rewrites one slot and never touches the data.
"""

from __future__ import annotations

import base64
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


def new_recovery_key() -> str:
    """26 characters of Crockford base32 (130 bits) in groups of five, easy to copy from paper."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(26))
    return "-".join(chars[i:i + 5] for i in range(0, 26, 5))


def normalize_recovery_key(text: str) -> str:
    cleaned = text.upper().replace("O", "0").replace("I", "1").replace("L", "1")
    chars = "".join(c for c in cleaned if c in ALPHABET)
    return "-".join(chars[i:i + 5] for i in range(0, len(chars), 5))


@dataclass
class KeySlots:
    path: Path
    slots: list[dict[str, Any]]

    @classmethod
    def create(cls, path: Path, master: bytes, passphrase: str, recovery_key: str) -> KeySlots:
        ks = cls(path, [])
        ks._set_slot("passphrase", master, passphrase, PASSPHRASE_KDF)
        ks._set_slot("recovery", master, normalize_recovery_key(recovery_key), RECOVERY_KDF)
        ks.save()
        return ks

    @classmethod
    def load(cls, path: Path) -> KeySlots:
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise StoreError(N_("The key file {path} is missing."), path=str(path)) from None
        except (OSError, ValueError):
            raise StoreError(N_("The key file {path} is damaged."), path=str(path)) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("slots"), list):
            raise StoreError(N_("The key file {path} is damaged."), path=str(path))
        return cls(path, data["slots"])

    def save(self) -> None:
        atomic_write(self.path, json.dumps({"format": FORMAT, "slots": self.slots}, indent=2).encode())

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
        return self._open("recovery", normalize_recovery_key(recovery_key))

    def change_passphrase(self, master: bytes, new_passphrase: str) -> None:
        self._set_slot("passphrase", master, new_passphrase, PASSPHRASE_KDF)
        self.save()
