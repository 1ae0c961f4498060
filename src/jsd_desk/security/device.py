"""A device's identity: its id, name, role, signing key (Ed25519) and age identity (X25519).

The public half lives in ``device.json``; the private half in ``device.key``, encrypted with a
subkey of the store's master key, so it stays in the data dir even when records live on a hub.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyrage
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jsd_desk.domain.errors import StoreError
from jsd_desk.domain.refs import device_short_code
from jsd_desk.files import atomic_write
from jsd_desk.i18n import N_
from jsd_desk.security.canonical import sha256_hex
from jsd_desk.security.keyslots import subkey

DEVICE_FORMAT = "jsd-device/1"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class DeviceInfo:
    """What anyone may know of a device: it travels in contact cards and bundle manifests."""

    device_id: str
    name: str
    role: str
    short_code: str
    sign_public: str  # base64 of the raw 32-byte Ed25519 public key
    age_recipient: str  # "age1…"

    def fingerprint(self) -> str:
        """A short code to read aloud over the phone: both public keys, hashed."""
        digest = sha256_hex(f"{self.device_id}|{self.sign_public}|{self.age_recipient}".encode())
        chunk = digest[:20].upper()
        return " ".join(chunk[i:i + 4] for i in range(0, 20, 4))

    def to_json(self) -> dict[str, str]:
        return {"device_id": self.device_id, "name": self.name, "role": self.role,
                "short_code": self.short_code, "sign_public": self.sign_public,
                "age_recipient": self.age_recipient}

    def verify(self, signature: bytes, data: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(unb64(self.sign_public)).verify(signature, data)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class DeviceKeys:
    info: DeviceInfo
    signing_key: Ed25519PrivateKey
    age_identity: pyrage.x25519.Identity
    # After a restore from backup the device starts a new feed with new keys (DESIGN §4) but
    # keeps the age identities of the feeds it continues, to open what was sealed to them.
    previous_identities: tuple[pyrage.x25519.Identity, ...] = ()

    def sign(self, data: bytes) -> bytes:
        return self.signing_key.sign(data)

    @property
    def identities(self) -> tuple[pyrage.x25519.Identity, ...]:
        return (self.age_identity, *self.previous_identities)


def new_device(name: str, role: str) -> DeviceKeys:
    device_id = str(uuid.uuid4())
    signing = Ed25519PrivateKey.generate()
    identity = pyrage.x25519.Identity.generate()
    public = signing.public_key().public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw)
    info = DeviceInfo(device_id=device_id, name=name, role=role,
                      short_code=device_short_code(device_id, name), sign_public=b64(public),
                      age_recipient=str(identity.to_public()))
    return DeviceKeys(info, signing, identity)


def save_device(keys: DeviceKeys, public_path: Path, private_path: Path, master: bytes) -> None:
    secret = {
        "sign_private": b64(keys.signing_key.private_bytes(
            ser.Encoding.Raw, ser.PrivateFormat.Raw, ser.NoEncryption())),
        "age_identity": str(keys.age_identity),
        "previous_age_identities": [str(i) for i in keys.previous_identities],
    }
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(subkey(master, "device-keys")).encrypt(
        nonce, json.dumps(secret).encode(), keys.info.device_id.encode())
    atomic_write(private_path, json.dumps({"format": DEVICE_FORMAT, "device_id": keys.info.device_id,
                                           "nonce": b64(nonce), "sealed": b64(sealed)}).encode())
    atomic_write(public_path, json.dumps({"format": DEVICE_FORMAT, **keys.info.to_json()},
                                         indent=2, ensure_ascii=False).encode())


def load_device_info(public_path: Path) -> DeviceInfo:
    try:
        data = json.loads(public_path.read_bytes())
        return DeviceInfo(**{k: data[k] for k in ("device_id", "name", "role", "short_code",
                                                  "sign_public", "age_recipient")})
    except FileNotFoundError:
        raise StoreError(N_("There is no JSD Desk store in {path}; run “jsd-desk init” first."),
                         path=str(public_path.parent)) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise StoreError(N_("The device file {path} is damaged."), path=str(public_path)) from None


def load_device(public_path: Path, private_path: Path, master: bytes) -> DeviceKeys:
    info = load_device_info(public_path)
    try:
        data = json.loads(private_path.read_bytes())
        plain = AESGCM(subkey(master, "device-keys")).decrypt(
            unb64(data["nonce"]), unb64(data["sealed"]), info.device_id.encode())
        secret = json.loads(plain)
        signing = Ed25519PrivateKey.from_private_bytes(unb64(secret["sign_private"]))
        identity = pyrage.x25519.Identity.from_str(secret["age_identity"])
        previous = tuple(pyrage.x25519.Identity.from_str(text)
                         for text in secret.get("previous_age_identities", []))
    except FileNotFoundError:
        raise StoreError(N_("The device key file {path} is missing."), path=str(private_path)) from None
    except (OSError, ValueError, KeyError, TypeError, InvalidTag):
        raise StoreError(N_("The device key file {path} is damaged."), path=str(private_path)) from None
    return DeviceKeys(info, signing, identity, previous)
