"""The bundle file format, ``jsd-bundle/1`` (DESIGN §5; documented in docs/bundle-format.md).

A bundle is a zip (``manifest.json``, ``manifest.sig``, ``events.jsonl``, ``blobs/<sha256>``)
encrypted with age to its recipients. This module writes one from parts and reads one back with
every structural check; it knows nothing of the store. Reading never extracts by name: only the
members the manifest lists are read, each bounded by the size the manifest declares, so a
hostile archive cannot write a file, follow a link or inflate without limit. The events are
read as a stream of lines (``EventLines``), never all in memory at once.

It stays one module past 500 lines on purpose: it is the whole format, writer and reader side
by side, so each check can be read against the writing it guards and against
docs/bundle-format.md in one place; split, a check and the field it checks would drift apart.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import stat
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyrage

from jsd_desk.domain.errors import InputRefused
from jsd_desk.i18n import N_
from jsd_desk.security.device import DeviceInfo
from jsd_desk.store.eventlog import MalformedEvent, SignedEvent, parse_event
from jsd_desk.sync.cards import BadCard, device_from_json
from jsd_desk.sync.vectors import Vector, parse_vector

FORMAT = "jsd-bundle/1"
FORMAT_FAMILY = "jsd-bundle/"
SUFFIX = ".jsdb"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
EVENTS = "events.jsonl"
BLOBS = "blobs/"
AGE_MAGIC = b"age-encryption.org/"
MIB = 1024 * 1024
_BLOB_NAME = re.compile(r"blobs/[0-9a-f]{64}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
# One event per line: {"event":<its canonical bytes, verbatim>,"sig":"<base64 Ed25519>"}.
_LINE_HEAD = b'{"event":'
_LINE_SIG = b',"sig":"'
_SIG_B64_LEN = 88  # 64 bytes of Ed25519 signature in base64
_LINE_TAIL_LEN = len(_LINE_SIG) + _SIG_B64_LEN + 2


@dataclass(frozen=True)
class Limits:
    """What a bundle may hold. Generous for real use, small enough to refuse a bomb."""

    bundle_bytes: int = 512 * MIB  # the encrypted file
    plaintext_bytes: int = 1024 * MIB  # every member together, decompressed
    manifest_bytes: int = 16 * MIB
    event_bytes: int = 4 * MIB  # one line of events.jsonl
    blob_bytes: int = 256 * MIB
    members: int = 100_000
    json_depth: int = 12


LIMITS = Limits()


class BundleRefused(InputRefused):
    """A bundle that is not imported; nothing was written."""


class NotForUs(BundleRefused):
    """The bundle is encrypted to other devices (a sync folder skips these quietly)."""


@dataclass(frozen=True)
class Member:
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    bundle_id: str
    created_at: str
    sender: DeviceInfo
    to: tuple[str, ...]  # the addressees (an --all bundle: every trusted device)
    recipients: tuple[str, ...]  # everyone it is encrypted to: the addressees and the ministry
    vector: Vector  # what the sender holds
    base: Vector  # what the sender believed the addressee holds: events after it are inside
    acks: dict[str, Vector]  # per recipient, the vector that recipient last proved to the sender
    cards: tuple[DeviceInfo, ...]  # the devices whose events it relays
    counts: dict[str, int]
    members: dict[str, Member]
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.extra,
            "format": FORMAT, "bundle_id": self.bundle_id, "created_at": self.created_at,
            "sender": self.sender.to_json(), "to": list(self.to),
            "recipients": list(self.recipients), "vector": self.vector, "base": self.base,
            "acks": self.acks, "cards": [c.to_json() for c in self.cards],
            "counts": self.counts,
            "members": {n: {"sha256": m.sha256, "size": m.size}
                        for n, m in sorted(self.members.items())},
        }


class EventLines:
    """The ``events.jsonl`` member of a checked bundle, read as a stream: its size, checksum,
    line count and final newline are checked when it is made; ``lines()`` inflates it again
    from the archive, one bounded line at a time, so the events are never all in memory."""

    def __init__(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, member: Member,
                 manifest: Manifest, limits: Limits) -> None:
        self._zf, self._info, self.limits = zf, info, limits
        self.count = manifest.counts["events"]
        digest = hashlib.sha256()
        newlines, last = 0, b""
        for block in self._blocks(min(limits.plaintext_bytes, member.size)):
            digest.update(block)
            newlines += block.count(b"\n")
            last = block[-1:]
        if digest.hexdigest() != member.sha256:
            raise _refuse(N_("The bundle is refused: the member {name} does not match its "
                             "manifest's checksum."), name=info.filename[:80])
        if last and last != b"\n":
            raise _refuse(N_("The bundle is damaged: {name} is cut short."), name=EVENTS)
        if newlines != self.count:
            raise _refuse(N_("The bundle is refused: its manifest disagrees with its members "
                             "({name})."), name="counts")

    def _blocks(self, limit: int) -> Iterator[bytes]:
        """The member's bytes in blocks, never more than ``limit`` (``read_member``'s rules)."""
        info = self._info
        if info.file_size > limit:
            raise _refuse(N_("The bundle is refused: the member {name} is larger than allowed."),
                          name=info.filename[:80])
        total = 0
        try:
            with self._zf.open(info) as fh:
                while block := fh.read(min(_BLOCK, limit + 1 - total)):
                    total += len(block)
                    if total > limit:
                        break
                    yield block
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError):
            raise _refuse(N_("The bundle is damaged: its member {name} cannot be read."),
                          name=info.filename[:80]) from None
        if total > limit or total != info.file_size:
            raise _refuse(N_("The bundle is damaged: its member {name} cannot be read."),
                          name=info.filename[:80])

    def lines(self) -> Iterator[bytes]:
        """Each line without its newline, in order; a line longer than the limit is yielded
        cut to ``limits.event_bytes + 1`` bytes (the reader refuses it by its length)."""
        cap = self.limits.event_bytes
        pending: list[bytes] = []
        pending_size = 0
        for block in self._blocks(self._info.file_size):
            start = 0
            while (end := block.find(b"\n", start)) >= 0:
                if pending:
                    pending.append(block[start:end])
                    line = b"".join(pending)
                    pending, pending_size = [], 0
                    yield line[:cap + 1]
                else:
                    yield block[start:end]
                start = end + 1
            if start < len(block) and pending_size <= cap:
                rest = block[start:start + cap + 1 - pending_size]
                pending.append(rest)
                pending_size += len(rest)


_BLOCK = 1 << 20


@dataclass
class Contents:
    """A decrypted bundle whose structure, manifest signature and member hashes are checked.
    The lines of its events are read (and their signatures and chains checked) by the
    importer, which knows the devices."""

    manifest: Manifest
    events: EventLines
    blobs: dict[str, bytes]


# -- writing ------------------------------------------------------------------------------------


def event_line(raw: bytes, signature_b64: str) -> bytes:
    """The stored bytes of an event, verbatim (never re-serialized), and its signature."""
    return b"".join((_LINE_HEAD, raw, _LINE_SIG, signature_b64.encode("ascii"), b'"}\n'))


def manifest_bytes(manifest: Manifest) -> bytes:
    return (json.dumps(manifest.to_json(), sort_keys=True, indent=1, ensure_ascii=False)
            + "\n").encode("utf-8")


def write_zip(manifest_raw: bytes, signature: bytes, events: bytes,
              blobs: Iterable[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", allowZip64=True) as zf:
        zf.writestr(_info(MANIFEST), manifest_raw, zipfile.ZIP_DEFLATED)
        zf.writestr(_info(SIGNATURE), base64.b64encode(signature) + b"\n", zipfile.ZIP_STORED)
        zf.writestr(_info(EVENTS), events, zipfile.ZIP_DEFLATED, compresslevel=6)
        for digest, data in blobs:  # photos and audio are compressed already
            zf.writestr(_info(BLOBS + digest), data, zipfile.ZIP_STORED)
    return buffer.getvalue()


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


def encrypt(plain: bytes, age_recipients: Iterable[str]) -> bytes:
    recipients = [pyrage.x25519.Recipient.from_str(r) for r in age_recipients]
    return bytes(pyrage.encrypt(plain, recipients))


# -- reading ------------------------------------------------------------------------------------


def decrypt(data: bytes, identities: Sequence[pyrage.x25519.Identity],
            limits: Limits = LIMITS) -> bytes:
    """The zip inside, in memory only: no plaintext ever touches the disk."""
    if len(data) > limits.bundle_bytes:
        raise BundleRefused(N_("The bundle is too large (more than {n} MiB)."),
                            n=limits.bundle_bytes // MIB)
    if not data.startswith(AGE_MAGIC):
        raise BundleRefused(N_("This file is not a JSD Desk bundle."))
    try:
        return bytes(pyrage.decrypt(data, list(identities)))
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise NotForUs(N_("This bundle is not addressed to this device.")) from None
        raise BundleRefused(N_("The bundle is damaged or incomplete: it cannot be decrypted."
                               )) from None


def addressed_to(head: bytes, identities: Sequence[pyrage.x25519.Identity]) -> bool | None:
    """From the first bytes of a file only: False when it is certainly for other devices,
    None when that cannot be told (the whole file must be tried)."""
    if not head.startswith(AGE_MAGIC):
        return False
    try:
        pyrage.decrypt(head, list(identities))
    except pyrage.DecryptError as exc:
        return False if "no matching keys" in str(exc).lower() else None
    return None


def _refuse(msgid: str, **params: Any) -> BundleRefused:
    return BundleRefused(msgid, **params)


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (not name or name.startswith(("/", "\\")) or "\x00" in name
            or (len(name) > 1 and name[1] == ":") or any(p in ("..", ".") for p in parts))


def open_archive(plain: bytes, limits: Limits = LIMITS) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    """The archive and its members by name, after the checks that need no manifest."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(plain))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _refuse(N_("The bundle is damaged: its contents are not a readable archive.")) from None
    if len(infos) > limits.members + 2:
        raise _refuse(N_("The bundle is refused: it holds too many members."))
    for info in infos:
        name = info.filename
        if _unsafe(name) or info.orig_filename != name:
            raise _refuse(N_("The bundle is refused: it holds a member with an unsafe name "
                             "({name})."), name=ascii(name)[1:-1][:80])
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _refuse(N_("The bundle is refused: its member {name} is a link."), name=name[:80])
        if info.is_dir():
            raise _refuse(N_("The bundle is refused: it holds a folder ({name})."), name=name[:80])
        if info.flag_bits & 0x1:
            raise _refuse(N_("The bundle is refused: its member {name} is encrypted inside the "
                             "archive."), name=name[:80])
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(N_("The bundle is refused: its member {name} uses an unsupported "
                             "compression."), name=name[:80])
    counts = Counter(info.filename for info in infos)
    for name, n in counts.items():
        if n > 1:
            raise _refuse(N_("The bundle is refused: it holds the member {name} twice."),
                          name=name[:80])
    return zf, {info.filename: info for info in infos}


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """At most ``limit`` bytes of one member, however much its stream would inflate to."""
    if info.file_size > limit:
        raise _refuse(N_("The bundle is refused: the member {name} is larger than allowed."),
                      name=info.filename[:80])
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError):
        raise _refuse(N_("The bundle is damaged: its member {name} cannot be read."),
                      name=info.filename[:80]) from None
    if len(data) > limit or len(data) != info.file_size:
        raise _refuse(N_("The bundle is damaged: its member {name} cannot be read."),
                      name=info.filename[:80])
    return data


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def load_json(data: bytes, name: str, limits: Limits = LIMITS) -> Any:
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
    except RecursionError:
        raise _refuse(N_("The bundle is refused: {name} is nested too deeply."), name=name) from None
    except (UnicodeDecodeError, ValueError):
        raise _refuse(N_("The bundle is refused: {name} is not valid JSON."), name=name) from None
    if _depth(value) > limits.json_depth:
        raise _refuse(N_("The bundle is refused: {name} is nested too deeply."), name=name)
    return value


class BadManifest(ValueError):
    pass


def _str(obj: dict[str, Any], key: str, max_len: int = 100) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value or len(value) > max_len:
        raise BadManifest(key)
    return value


def _count(value: Any, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BadManifest(key)
    return value


def _ids(obj: dict[str, Any], key: str) -> tuple[str, ...]:
    value = obj.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and len(v) == 36 for v in value):
        raise BadManifest(key)
    return tuple(value)


def _vector(value: Any, key: str) -> Vector:
    try:
        return parse_vector(value)
    except ValueError:
        raise BadManifest(key) from None


def parse_manifest(obj: Any) -> Manifest:
    """A manifest object whose ``format`` is ours; raises BadManifest naming the bad field."""
    if not isinstance(obj, dict):
        raise BadManifest("manifest")
    try:
        sender = device_from_json(obj.get("sender"))
        cards_raw = obj.get("cards")
        if not isinstance(cards_raw, list):
            raise BadManifest("cards")
        cards = tuple(device_from_json(c) for c in cards_raw)
    except BadCard:
        raise BadManifest("cards") from None
    acks_raw = obj.get("acks")
    if not isinstance(acks_raw, dict):
        raise BadManifest("acks")
    acks = {str(k): _vector(v, "acks") for k, v in acks_raw.items()}
    counts_raw = obj.get("counts")
    if not isinstance(counts_raw, dict) or set(counts_raw) != {"events", "blobs"}:
        raise BadManifest("counts")
    counts = {k: _count(v, "counts") for k, v in counts_raw.items()}
    members_raw = obj.get("members")
    if not isinstance(members_raw, dict):
        raise BadManifest("members")
    members: dict[str, Member] = {}
    for name, spec in members_raw.items():
        if not isinstance(spec, dict) or set(spec) != {"sha256", "size"}:
            raise BadManifest("members")
        digest = spec["sha256"]
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise BadManifest("members")
        members[str(name)] = Member(digest, _count(spec["size"], "members"))
    return Manifest(
        bundle_id=_str(obj, "bundle_id", 36), created_at=_str(obj, "created_at", 40),
        sender=sender, to=_ids(obj, "to"), recipients=_ids(obj, "recipients"),
        vector=_vector(obj.get("vector"), "vector"), base=_vector(obj.get("base"), "base"),
        acks=acks, cards=cards, counts=counts, members=members,
        extra={k: v for k, v in obj.items() if k not in _MANIFEST_KEYS})


_MANIFEST_KEYS = {"format", "bundle_id", "created_at", "sender", "to", "recipients", "vector",
                  "base", "acks", "cards", "counts", "members"}


def decode_event_line(line: bytes) -> tuple[bytes, str]:
    if (len(line) <= len(_LINE_HEAD) + _LINE_TAIL_LEN or not line.startswith(_LINE_HEAD)
            or not line.endswith(b'"}') or line[-_LINE_TAIL_LEN:-_SIG_B64_LEN - 2] != _LINE_SIG):
        raise MalformedEvent("line layout")
    raw = line[len(_LINE_HEAD):-_LINE_TAIL_LEN]
    return raw, line[-_SIG_B64_LEN - 2:-2].decode("ascii", errors="replace")


def read_bundle(plain: bytes, sender_key: Callable[[Manifest], DeviceInfo],
                limits: Limits = LIMITS) -> Contents:
    """Every structural check of a decrypted bundle, in order: the archive, the manifest and
    its signature by the sender's known key (``sender_key`` refuses unknown senders), the
    members against the manifest, every member's hash, the shape of every event."""
    zf, infos = open_archive(plain, limits)
    if MANIFEST not in infos:
        raise _refuse(N_("This file is not a JSD Desk bundle (it has no manifest)."))
    manifest_raw = read_member(zf, infos[MANIFEST], limits.manifest_bytes)
    obj = load_json(manifest_raw, MANIFEST, limits)
    fmt = obj.get("format") if isinstance(obj, dict) else None
    if not isinstance(fmt, str) or not fmt.startswith(FORMAT_FAMILY):
        raise _refuse(N_("This file is not a JSD Desk bundle."))
    if fmt != FORMAT:
        raise _refuse(N_("The bundle uses a newer format ({format}); update JSD Desk to read it."),
                      format=fmt[:40])
    try:
        manifest = parse_manifest(obj)
    except BadManifest as exc:
        raise _refuse(N_("The bundle is refused: its manifest is malformed (field {field})."),
                      field=str(exc)) from None

    known = sender_key(manifest)
    if SIGNATURE not in infos:
        raise _refuse(N_("The bundle is refused: its manifest is not signed."))
    sig_text = read_member(zf, infos[SIGNATURE], 200)
    try:
        signature = base64.b64decode(sig_text.strip(), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if not known.verify(signature, manifest_raw):
        raise _refuse(N_("The bundle is refused: its manifest is not signed by the key of its "
                         "sender, {name}."), name=known.name)

    listed = manifest.members
    for name in listed:
        if name != EVENTS and not _BLOB_NAME.fullmatch(name):
            raise _refuse(N_("The bundle is refused: its manifest lists an unexpected member "
                             "({name})."), name=ascii(name)[1:-1][:80])
        if name.startswith(BLOBS) and listed[name].sha256 != name[len(BLOBS):]:
            raise _refuse(N_("The bundle is refused: its manifest disagrees with its members "
                             "({name})."), name=name[:80])
    present = set(infos) - {MANIFEST, SIGNATURE}
    for name in sorted(present - set(listed)):
        raise _refuse(N_("The bundle is refused: the member {name} is not listed in its manifest."),
                      name=ascii(name)[1:-1][:80])
    for name in sorted(set(listed) - present) + ([EVENTS] if EVENTS not in listed else []):
        raise _refuse(N_("The bundle is refused: the member {name} listed in its manifest is "
                         "missing."), name=name[:80])
    if sum(m.size for m in listed.values()) > limits.plaintext_bytes:
        raise _refuse(N_("The bundle is too large (more than {n} MiB)."),
                      n=limits.plaintext_bytes // MIB)
    for name, member in listed.items():
        if infos[name].file_size != member.size:
            raise _refuse(N_("The bundle is refused: the size of its member {name} disagrees with "
                             "its manifest."), name=name[:80])

    events = EventLines(zf, infos[EVENTS], listed[EVENTS], manifest, limits)
    blobs: dict[str, bytes] = {}
    for name in sorted(listed):
        if name.startswith(BLOBS):
            blobs[name[len(BLOBS):]] = _checked(zf, infos[name], listed[name], limits.blob_bytes)
    if len(blobs) != manifest.counts["blobs"]:
        raise _refuse(N_("The bundle is refused: its manifest disagrees with its members "
                         "({name})."), name="counts")
    return Contents(manifest, events, blobs)


def _checked(zf: zipfile.ZipFile, info: zipfile.ZipInfo, member: Member, limit: int) -> bytes:
    data = read_member(zf, info, min(limit, member.size))
    if hashlib.sha256(data).hexdigest() != member.sha256:
        raise _refuse(N_("The bundle is refused: the member {name} does not match its manifest's "
                         "checksum."), name=info.filename[:80])
    return data


def check_line(number: int, line: bytes, manifest_base: Mapping[str, int],
               manifest_vector: Mapping[str, int], limits: Limits = LIMITS) -> SignedEvent:
    """One line of ``events.jsonl``: its layout, a well-formed canonical event inside the
    manifest's ranges (check 5); refuses naming the line."""
    if len(line) > limits.event_bytes:
        raise _refuse(N_("The bundle is refused: event line {n} is too large."), n=number)
    try:
        raw, sig = decode_event_line(line)
        ev = parse_event(raw, sig)
    except (MalformedEvent, RecursionError):
        raise _refuse(N_("The bundle is refused: event line {n} is malformed."),
                      n=number) from None
    low, high = manifest_base.get(ev.device_id, 0), manifest_vector.get(ev.device_id, 0)
    if not low < ev.seq <= high:
        raise _refuse(N_("The bundle is refused: its manifest disagrees with its members "
                         "({name})."), name=f"{EVENTS}:{number}")
    return ev


def member_table(events: bytes, blobs: Mapping[str, bytes]) -> dict[str, Member]:
    table = {EVENTS: Member(hashlib.sha256(events).hexdigest(), len(events))}
    for digest, data in blobs.items():
        table[BLOBS + digest] = Member(digest, len(data))
    return table
