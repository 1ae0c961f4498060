"""The hostile-input corpus of issue 6: every bad bundle is refused with one sentence and the
store stays exactly as it was (dump, every sync table, local state).

Hostile bundles are made the way an attacker would: from a genuine bundle, decrypted with the
recipient's identity, changed, re-signed with a real key where the attack needs one, and
encrypted again to the recipient's public key."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import stat
import struct
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
import pytest

from jsd_desk.domain.errors import InputRefused, JsdError
from jsd_desk.security.device import DeviceKeys
from jsd_desk.services import sync
from jsd_desk.services.workspace import Workspace
from jsd_desk.store.eventlog import SignedEvent, make_event, parse_event
from jsd_desk.store.ingest import ForkRefused
from jsd_desk.store.ingest import vector as store_vector
from jsd_desk.sync import bundle as fmt
from tests.sync_support import MakeWorkspace, add_concern, edit, introduce, receive, send, state


@dataclass
class Parts:
    """A genuine bundle from A to B, opened."""

    manifest: dict[str, Any]
    events: bytes
    blobs: dict[str, bytes]


def open_parts(path: Path, reader: Workspace) -> Parts:
    plain = pyrage.decrypt(path.read_bytes(), [reader.keys.age_identity])
    zf = zipfile.ZipFile(io.BytesIO(plain))
    blobs = {n[len("blobs/"):]: zf.read(n) for n in zf.namelist() if n.startswith("blobs/")}
    return Parts(json.loads(zf.read("manifest.json")), zf.read("events.jsonl"), blobs)


def entry(name: str, data: bytes, *, mode: int = stat.S_IFREG | 0o644,
          compress: int = zipfile.ZIP_DEFLATED) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.external_attr = mode << 16
    info.compress_type = compress
    return info, data


def signed(keys: DeviceKeys, manifest: dict[str, Any], events: bytes,
           blobs: dict[str, bytes] | None = None, *, fix_members: bool = True,
           extra: list[tuple[zipfile.ZipInfo, bytes]] | None = None) -> list[tuple[zipfile.ZipInfo, bytes]]:
    blobs = blobs or {}
    manifest = dict(manifest)
    if fix_members:
        manifest["members"] = {n: {"sha256": m.sha256, "size": m.size}
                               for n, m in fmt.member_table(events, blobs).items()}
    raw = json.dumps(manifest, sort_keys=True, indent=1).encode()
    out = [entry("manifest.json", raw), entry("manifest.sig", base64.b64encode(keys.sign(raw))),
           entry("events.jsonl", events)]
    out += [entry(f"blobs/{d}", b) for d, b in blobs.items()]
    return out + (extra or [])


def zip_of(entries: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we plant
        with zipfile.ZipFile(buffer, "w") as zf:
            for info, data in entries:
                zf.writestr(info, data)
    return buffer.getvalue()


def sealed(target: Workspace, plain: bytes) -> bytes:
    return bytes(pyrage.encrypt(plain, [pyrage.x25519.Recipient.from_str(
        target.keys.info.age_recipient)]))


def line(ev: SignedEvent) -> bytes:
    return fmt.event_line(ev.raw, ev.signature_b64)


def events_of(data: bytes) -> list[SignedEvent]:
    return [parse_event(*fmt.decode_event_line(raw)) for raw in data.splitlines()]


def patch_sizes(data: bytes, name: str, size: int, crc: int | None = None) -> bytes:
    """Rewrite what the zip's headers claim of one member (a liar's archive)."""
    out = bytearray(data)
    encoded = name.encode()
    pos = 0
    while (pos := out.find(b"PK\x03\x04", pos)) >= 0:
        n = struct.unpack_from("<H", out, pos + 26)[0]
        if bytes(out[pos + 30:pos + 30 + n]) == encoded:
            struct.pack_into("<I", out, pos + 22, size)
            if crc is not None:
                struct.pack_into("<I", out, pos + 14, crc)
        pos += 4
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) >= 0:
        n = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46:pos + 46 + n]) == encoded:
            struct.pack_into("<I", out, pos + 24, size)
            if crc is not None:
                struct.pack_into("<I", out, pos + 16, crc)
        pos += 4
    return bytes(out)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.fixture(params=["sqlite", "postgresql"])
def receiver_url(request: pytest.FixtureRequest) -> str | None:
    """Where the receiving store lives: a SQLCipher file, or the ministry hub's PostgreSQL
    (a database of its own, from scripts/start-postgres.sh). Listed before ``make_workspace``
    so the workspaces close before the database is dropped."""
    if request.param == "sqlite":
        return None
    url: str = request.getfixturevalue("pg_database")
    return url


def test_hostile_bundles_are_refused_and_change_nothing(receiver_url: str | None,
                                                        make_workspace: MakeWorkspace,
                                                        tmp_path: Path) -> None:
    a, c = make_workspace("ana"), make_workspace("chaibou")
    b = make_workspace("bako", database_url=receiver_url)
    stranger = make_workspace("dodo")
    introduce(a, b)
    introduce(c, b)
    rid = add_concern(a, "Vol de bétail à la sortie du village")
    edit(a, rid, theme="vol")
    first = send(a, b, tmp_path)
    receive(b, first)  # B holds A's feed so far: forks and chains can be checked against it
    edit(a, rid, theme="bétail")
    genuine = send(a, b, tmp_path)
    parts = open_parts(genuine, b)
    m, evs = parts.manifest, parts.events
    ak = a.keys
    a_events = events_of(evs)
    last = a_events[-1]
    held_by_b = open_parts(first, b)
    old = events_of(held_by_b.events)[-1]  # an event B already holds

    def fork() -> bytes:
        twin = make_event(ak, seq=old.seq, prev_hash=old.prev_hash, hlc=old.hlc,
                          entity="concern", entity_id=rid, op="upsert",
                          fields={"theme": "autre chose"}, base={})
        man = {**m, "base": {**m["base"], ak.info.device_id: old.seq - 1},
               "counts": {"events": 1, "blobs": 0}}
        return sealed(b, zip_of(signed(ak, man, line(twin))))

    def chain() -> bytes:
        stray = make_event(ak, seq=last.seq + 1, prev_hash="1" * 64, hlc=last.hlc,
                           entity="concern", entity_id=rid, op="upsert",
                           fields={"theme": "x"}, base={})
        man = {**m, "vector": {**m["vector"], ak.info.device_id: last.seq + 1},
               "counts": {"events": len(a_events) + 1, "blobs": 0}}
        return sealed(b, zip_of(signed(ak, man, evs + line(stray))))

    def own_events() -> bytes:
        bk = b.keys
        with b.store.engine.connect() as conn:
            mine = store_vector(conn)[bk.info.device_id]
        clone = make_event(bk, seq=mine + 1, prev_hash="2" * 64, hlc=last.hlc, entity="concern",
                           entity_id=rid, op="upsert", fields={"theme": "clone"}, base={})
        man = {**m, "vector": {**m["vector"], bk.info.device_id: mine + 1},
               "base": {**m["base"], bk.info.device_id: mine},
               "counts": {"events": len(a_events) + 1, "blobs": 0}}
        return sealed(b, zip_of(signed(ak, man, evs + line(clone))))

    def forged_event() -> bytes:
        body = dict(last.body)
        body["fields"] = {"theme": "falsifié"}
        raw = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        fake = fmt.event_line(raw, last.signature_b64)
        return sealed(b, zip_of(signed(ak, m, evs.replace(line(last), fake))))

    def unknown_key() -> bytes:
        sk = stranger.keys
        ev = make_event(sk, seq=1, prev_hash="0" * 64, hlc=last.hlc, entity="concern",
                        entity_id=rid, op="upsert", fields={"theme": "inconnu"}, base={})
        man = {**m, "vector": {**m["vector"], sk.info.device_id: 1},
               "counts": {"events": len(a_events) + 1, "blobs": 0}}
        return sealed(b, zip_of(signed(ak, man, evs + line(ev))))

    zeros = bytes(20 << 20)
    zeros_name = "blobs/" + hashlib.sha256(zeros).hexdigest()

    def bomb_declared(manifest_size: int) -> Callable[[], bytes]:
        # 20 MB of zeros (20 kB deflated) whose zip headers claim 2 GiB: refused unread.
        def make() -> bytes:
            members = {n: {"sha256": x.sha256, "size": x.size}
                       for n, x in fmt.member_table(evs, {}).items()}
            members[zeros_name] = {"sha256": zeros_name[6:], "size": manifest_size}
            man = {**m, "members": members, "counts": {"events": len(a_events), "blobs": 1}}
            z = zip_of(signed(ak, man, evs, fix_members=False,
                              extra=[entry(zeros_name, zeros)]))
            return sealed(b, patch_sizes(z, zeros_name, 2 << 30))

        return make

    def bomb_lying() -> bytes:
        # A 40 MB stream whose headers (and a manifest agreeing with them) claim 100 bytes.
        big = bytes(40 << 20)
        small = big[:100]
        man = {**m, "members": {"events.jsonl": {"sha256": hashlib.sha256(small).hexdigest(),
                                                 "size": 100}}}
        z = zip_of(signed(ak, man, big, fix_members=False))
        return sealed(b, patch_sizes(z, "events.jsonl", 100, zlib.crc32(small)))

    def oversize_manifest() -> bytes:
        man = {**m, "padding": "x" * (17 << 20)}
        return sealed(b, zip_of(signed(ak, man, evs)))

    def oversize_line() -> bytes:
        body = dict(last.body)
        body["fields"] = {"theme": "y" * (5 << 20)}
        raw = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        return sealed(b, zip_of(signed(ak, m, evs.replace(line(last), fmt.event_line(
            raw, last.signature_b64)))))

    def deep_manifest() -> bytes:
        raw = ('{"format":"jsd-bundle/1","x":' + nested(50_000) + "}").encode()
        return sealed(b, zip_of([entry("manifest.json", raw),
                                 entry("manifest.sig", base64.b64encode(ak.sign(raw)))]))

    def deep_event() -> bytes:
        text = ('{"event":' + nested(100_000) + ',"sig":"' + "A" * 86 + '=="}\n').encode()
        return sealed(b, zip_of(signed(ak, {**m, "counts": {"events": 1, "blobs": 0}}, text)))

    def with_entries(extra: list[tuple[zipfile.ZipInfo, bytes]]) -> Callable[[], bytes]:
        return lambda: sealed(b, zip_of(signed(ak, m, evs, extra=extra)))

    blob = b"photo"
    blob_name = "blobs/" + hashlib.sha256(blob).hexdigest()

    corpus: list[tuple[str, Callable[[], bytes], str]] = [
        ("truncated", lambda: genuine.read_bytes()[: len(genuine.read_bytes()) // 2],
         "damaged or incomplete"),
        ("truncated header", lambda: genuine.read_bytes()[:40], "damaged|not a JSD Desk bundle"),
        ("bit flipped", lambda: (lambda d: d[:-500] + bytes([d[-500] ^ 0x10]) + d[-499:])(
            genuine.read_bytes()), "damaged or incomplete"),
        ("random bytes", lambda: bytes(range(256)) * 16, "not a JSD Desk bundle"),
        ("a zip, not encrypted", lambda: zip_of(signed(ak, m, evs)), "not a JSD Desk bundle"),
        ("wrong recipient", lambda: sealed(c, zip_of(signed(ak, m, evs))), "not addressed"),
        ("not for B in the manifest", lambda: sealed(b, zip_of(signed(
            ak, {**m, "recipients": [c.keys.info.device_id]}, evs))), "not addressed"),
        ("unknown future format", lambda: sealed(b, zip_of(signed(
            ak, {**m, "format": "jsd-bundle/2"}, evs))), "newer format"),
        ("not a bundle's manifest", lambda: sealed(b, zip_of(signed(
            ak, {**m, "format": "other/1"}, evs))), "not a JSD Desk bundle"),
        ("no manifest", lambda: sealed(b, zip_of([entry("events.jsonl", evs)])), "no manifest"),
        ("path traversal", with_entries([entry("../../evil.sh", b"rm -rf /")]), "unsafe name"),
        ("traversal inside", with_entries([entry("blobs/../../x", b"x")]), "unsafe name"),
        ("absolute name", with_entries([entry("/etc/passwd", b"root")]), "unsafe name"),
        ("windows drive", with_entries([entry("C:/evil", b"x")]), "unsafe name"),
        ("duplicate names", with_entries([entry("events.jsonl", b"")]), "twice"),
        ("symlink", with_entries([entry("blobs/link", b"/etc/passwd",
                                        mode=stat.S_IFLNK | 0o777)]), "is a link"),
        ("folder entry", with_entries([entry("blobs/", b"")]), "folder"),
        ("unlisted member", with_entries([entry(blob_name, blob)]), "not listed"),
        ("listed member missing", lambda: sealed(b, zip_of(signed(
            ak, m, evs, {hashlib.sha256(blob).hexdigest(): blob})[:-1])), "missing"),
        ("member size disagrees", lambda: sealed(b, zip_of([
            *signed(ak, m, evs, fix_members=False)[:2],
            entry("events.jsonl", evs + line(last))])), "size of its member"),
        ("events altered under a valid size", lambda: sealed(b, zip_of([
            *signed(ak, m, evs, fix_members=False)[:2],
            entry("events.jsonl", evs.replace(b'"theme"', b'"THEME"'))])), "checksum"),
        ("count disagrees", lambda: sealed(b, zip_of(signed(
            ak, {**m, "counts": {"events": 1, "blobs": 0}}, evs))), "disagrees"),
        ("event outside the manifest's vector", lambda: sealed(b, zip_of(signed(
            ak, {**m, "vector": {**m["vector"], ak.info.device_id: last.seq - 1}}, evs))),
         "disagrees"),
        ("manifest malformed", lambda: sealed(b, zip_of(signed(
            ak, {**m, "vector": {"x": -1}}, evs))), "malformed"),
        ("manifest signed by another key", lambda: sealed(b, zip_of(signed(c.keys, m, evs))),
         "not signed by the key"),
        ("manifest unsigned", lambda: sealed(b, zip_of(signed(ak, m, evs)[:1] + signed(
            ak, m, evs)[2:])), "not signed"),
        ("unknown sender", lambda: sealed(b, zip_of(signed(stranger.keys, {
            **m, "sender": stranger.keys.info.to_json()}, evs))), "does not know"),
        ("forged event", forged_event, "signature of event"),
        ("signature by an unknown key", unknown_key, "key this device does not know"),
        ("fork", fork, "two different events"),
        ("broken chain", chain, "hash chain"),
        ("events of this very device", own_events, "never wrote"),
        ("decompression bomb, declared in the manifest", bomb_declared(2 << 30), "too large"),
        ("decompression bomb, headers disagree", bomb_declared(len(zeros)), "size of its member"),
        ("decompression bomb, lying headers", bomb_lying, "cut short|cannot be read|checksum"),
        ("oversize manifest", oversize_manifest, "larger than allowed"),
        ("oversize event", oversize_line, "too large"),
        ("deeply nested manifest", deep_manifest, "nested too deeply"),
        ("deeply nested event", deep_event, "malformed|nested"),
    ]
    before = state(b)
    problems = []
    for name, make, expected in corpus:
        path = tmp_path / f"{name.replace(' ', '_')}.jsdb"
        path.write_bytes(make())
        started = time.monotonic()
        try:
            receive(b, path)
        except JsdError as exc:
            text = exc.message()
            if not isinstance(exc, InputRefused) or not re.search(expected, text):
                problems.append(f"{name}: refused with “{text}”, expected /{expected}/")
            elif "\n" in text or text.count(". ") > 1:
                problems.append(f"{name}: more than one sentence: {text}")
            if name == "fork" and not isinstance(exc, ForkRefused):
                problems.append("fork: no evidence attached")
        else:
            problems.append(f"{name}: imported")
        if time.monotonic() - started > 20:
            problems.append(f"{name}: took {time.monotonic() - started:.0f} s")
        if state(b) != before:
            problems.append(f"{name}: the store changed")
            before = state(b)
    assert not problems, "\n".join(problems)

    # The genuine bundle still imports, and replaying it is no error.
    assert receive(b, genuine).new > 0
    assert receive(b, genuine).new == 0


def test_a_fork_is_refused_with_its_evidence(receiver_url: str | None,
                                             make_workspace: MakeWorkspace,
                                             tmp_path: Path) -> None:
    a, b = make_workspace("ana"), make_workspace("bako", database_url=receiver_url)
    introduce(a, b)
    rid = add_concern(a, "Racket")
    receive(b, send(a, b, tmp_path))
    parts = open_parts(send(a, b, tmp_path), b)
    last = events_of(parts.events)[-1]
    twin = make_event(a.keys, seq=last.seq, prev_hash=last.prev_hash, hlc=last.hlc,
                      entity="concern", entity_id=rid, op="upsert", fields={"theme": "x"}, base={})
    man = {**parts.manifest, "base": {**parts.manifest["base"], a.keys.info.device_id: last.seq - 1},
           "counts": {"events": 1, "blobs": 0}}
    path = tmp_path / "fork.jsdb"
    path.write_bytes(sealed(b, zip_of(signed(a.keys, man, line(twin)))))
    with pytest.raises(ForkRefused) as refused:
        sync.import_bundles(b, [path])
    evidence = refused.value.evidence
    assert (evidence.device_id, evidence.seq) == (a.keys.info.device_id, last.seq)
    assert evidence.held == (last.raw.decode(), last.signature_b64)
    assert evidence.received == (twin.raw.decode(), twin.signature_b64)
    # Both are signed by A's key: that is what makes it evidence.
    assert a.keys.info.verify(twin.signature, twin.raw) and a.keys.info.verify(last.signature,
                                                                                last.raw)
