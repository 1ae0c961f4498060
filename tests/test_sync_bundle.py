"""Contact cards, export and import of real bundles (age-encrypted with pyrage, opened by the
real ``age`` tool), proven vectors, outbox and acknowledgements, attachments by hash."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from jsd_desk.cli import main
from jsd_desk.domain.errors import InputRefused
from jsd_desk.services import sync
from jsd_desk.services.attachments import add_attachment, read_attachment
from jsd_desk.sync.cards import parse_card
from tests.conftest import PASSPHRASE
from tests.sync_support import (
    MakeWorkspace,
    add_concern,
    dump,
    edit,
    introduce,
    receive,
    send,
    state,
)


def test_contact_card_round_trip_and_fingerprint_check(make_workspace: MakeWorkspace,
                                                       tmp_path: Path) -> None:
    a, m = make_workspace("ana"), make_workspace("mina", "analyst")
    card = tmp_path / "mina.jsdcard"
    info = sync.export_card(m, card)
    assert sync.read_card(card) == info == m.keys.info
    assert json.loads(card.read_text())["fingerprint"] == info.fingerprint()

    before = state(a)
    with pytest.raises(InputRefused, match="does not match this card"):
        sync.add_peer(a, card, fingerprint="0000 0000 0000 0000 0000")
    with pytest.raises(InputRefused, match="own card"):
        sync.add_peer(m, card)
    assert state(a) == before

    added = sync.add_peer(a, card, fingerprint=info.fingerprint().lower().replace(" ", ""))
    assert (added.status, added.ministry) == ("added", True)
    assert sync.add_peer(a, card).status == "already"
    peers = {p.info.device_id: p for p in sync.list_peers(a)}
    assert peers[info.device_id].trusted and peers[info.device_id].ministry

    # Same id, other keys: refused, whatever the card says of itself.
    forged = json.loads(card.read_text())
    forged["device"]["sign_public"] = a.keys.info.sign_public
    forged.pop("fingerprint")
    (tmp_path / "forged.jsdcard").write_text(json.dumps(forged))
    with pytest.raises(InputRefused, match="already known with other keys"):
        sync.add_peer(a, tmp_path / "forged.jsdcard")
    for bad in (b"", b"{}", b"not json", json.dumps({"format": "jsd-card/9"}).encode()):
        with pytest.raises(InputRefused):
            parse_card(bad)


def test_a_bundle_brings_the_records_and_a_second_import_changes_nothing(
        make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    rid = add_concern(a, "Racket au poste de contrôle")
    edit(a, rid, theme="racket")
    bundle = send(a, b, tmp_path)

    first = receive(b, bundle)
    assert first.new > 0 and first.known == 0 and first.conflicts == 0 and first.held == 0
    assert dump(b) == dump(a)
    after_first = state(b)

    again = receive(b, bundle)  # the same bundle once more: already known, not an error
    assert (again.new, again.known, again.held) == (0, first.new, 0)
    assert state(b)[:2] == after_first[:2]


def test_export_starts_from_the_proven_vector_and_exporting_never_advances_it(
        make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    add_concern(a, "Vol de bétail")
    lost = sync.export_bundle(a, tmp_path / "lost.jsdb", to=b.keys.info.device_id)
    add_concern(a, "Circulation dangereuse")
    second = sync.export_bundle(a, tmp_path / "second.jsdb", to=b.keys.info.device_id)
    # The first bundle was lost on the way: the second still carries everything it did.
    assert second.events == lost.events + 1
    assert len(sync.outbox(a)) == 1  # the second supersedes the first in the outbox

    receive(b, tmp_path / "second.jsdb")
    assert dump(b) == dump(a)
    # B answers: its bundle proves what it holds and acknowledges A's bundle.
    receive(a, send(b, a, tmp_path))
    assert sync.outbox(a) == []
    third = sync.export_bundle(a, tmp_path / "third.jsdb", to=b.keys.info.device_id)
    assert third.events == 0  # nothing B lacks


def test_every_bundle_is_also_encrypted_to_the_ministry_and_to_no_one_else(
        make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    a, b, m = make_workspace("ana"), make_workspace("bako"), make_workspace("mina", "analyst")
    c = make_workspace("chaibou")
    introduce(a, b, m)
    add_concern(a, "Drogue près de l'école")
    bundle = tmp_path / "a.jsdb"
    summary = sync.export_bundle(a, bundle, to=b.keys.info.device_id)
    assert [d.name for d in summary.to] == ["bako"]
    assert {d.name for d in summary.recipients} == {"bako", "mina"}
    receive(m, bundle)
    assert dump(m) == dump(a)
    introduce(c, a)
    before = state(c)
    with pytest.raises(InputRefused, match="not addressed to this device"):
        receive(c, bundle)
    assert state(c) == before


def test_the_age_tool_opens_a_bundle_and_standard_tools_read_it(
        make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    age = shutil.which("age")
    assert age, "the Debian package age must be installed"
    a, m = make_workspace("ana"), make_workspace("mina", "analyst")
    introduce(a, m)
    add_concern(a, "Réunion du quartier : éclairage public")
    bundle = send(a, None, tmp_path)
    identity = tmp_path / "mina.agekey"
    recipient = sync.export_age_identity(m, identity)
    assert recipient == m.keys.info.age_recipient
    assert identity.stat().st_mode & 0o077 == 0

    plain = subprocess.run([age, "-d", "-i", str(identity), str(bundle)], check=True,
                           capture_output=True).stdout
    zf = zipfile.ZipFile(io.BytesIO(plain))
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["format"] == "jsd-bundle/1"
    assert manifest["sender"]["device_id"] == a.keys.info.device_id
    assert m.keys.info.device_id in manifest["recipients"]
    events = zf.read("events.jsonl")
    assert hashlib.sha256(events).hexdigest() == manifest["members"]["events.jsonl"]["sha256"]
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(manifest["sender"]["sign_public"]))
    lines = [json.loads(line) for line in events.splitlines()]
    assert len(lines) == manifest["counts"]["events"] > 0
    for line in lines:
        raw = json.dumps(line["event"], sort_keys=True, separators=(",", ":"),
                         ensure_ascii=False).encode()
        key.verify(base64.b64decode(line["sig"]), raw)  # raises if not signed by the sender
    assert any(line["event"]["fields"].get("description", "").startswith("Réunion")
               for line in lines)
    # The manifest itself is signed by the sender.
    key.verify(base64.b64decode(zf.read("manifest.sig")), zf.read("manifest.json"))


def test_attachments_travel_by_hash(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    rid = add_concern(a, "Photo de la feuille de présence")
    photo = tmp_path / "feuille.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    att = add_attachment(a.store, "concern", rid, photo)
    bundle = send(a, b, tmp_path)
    receive(b, bundle)
    assert read_attachment(b.store, att).data == photo.read_bytes()
    # Sent again, the blob is only stored once.
    receive(b, send(a, b, tmp_path))
    assert read_attachment(b.store, att).data == photo.read_bytes()


def test_outboxes_empty_once_acknowledged(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    add_concern(a, "Litige foncier")
    receive(b, send(a, b, tmp_path))
    assert [i.to for i in sync.outbox(a)] == [(b.keys.info.device_id,)]
    receive(a, send(b, a, tmp_path))  # carries B's acknowledgement of A's bundle
    assert sync.outbox(a) == []
    receive(b, send(a, b, tmp_path))
    assert sync.outbox(b) == []


def test_several_files_are_imported_all_or_nothing(make_workspace: MakeWorkspace,
                                                   tmp_path: Path) -> None:
    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    add_concern(a, "Vol de moto")
    good = send(a, b, tmp_path)
    bad = tmp_path / "bad.jsdb"
    bad.write_bytes(good.read_bytes()[:-100])
    before = state(b)
    with pytest.raises(InputRefused, match=r"^bad\.jsdb: .*damaged"):
        sync.import_bundles(b, [good, bad])
    assert state(b) == before


def test_export_all_needs_a_trusted_peer(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    a = make_workspace("ana")
    with pytest.raises(InputRefused, match="trusts no other device"):
        sync.export_bundle(a, tmp_path / "x.jsdb", everything=True)
    assert not (tmp_path / "x.jsdb").exists()
    with pytest.raises(InputRefused, match="No known device"):
        sync.export_bundle(a, tmp_path / "x.jsdb", to="ffffffff")


def test_cli_prints_the_counts_and_refuses_with_one_sentence(
        make_workspace: MakeWorkspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    add_concern(a, "Agression au marché")
    monkeypatch.setenv("JSD_DESK_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "a.jsdb"
    assert main(["bundle", "export", "--data-dir", str(a.data_dir.root), "--to",
                 b.keys.info.device_id[:8], "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["bundle", "import", "--data-dir", str(b.data_dir.root), str(out)]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    new = receive(b, out).known
    assert line == f"{new} new · 0 already known · 0 conflicts · 0 held aside"

    junk = tmp_path / "junk.jsdb"
    junk.write_bytes(b"age-encryption.org/v1\n" + bytes(300))
    before = state(b)
    assert main(["bundle", "import", "--data-dir", str(b.data_dir.root), str(junk)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "damaged" in err[0]
    assert state(b) == before
    with pytest.raises(SystemExit) as usage:  # neither --to nor --all: wrong usage
        main(["bundle", "export", "--data-dir", str(b.data_dir.root), "--out",
              str(tmp_path / "y.jsdb")])
    assert usage.value.code == 2
