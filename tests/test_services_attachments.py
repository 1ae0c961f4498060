"""Attachments through the service, on real encrypted stores: the blob stored once by SHA-256
in the same transaction as the attachment's event, read back intact, removed as a tombstone,
refused when too large, empty or aimed at a record that does not exist, and the liaison
officer's limits."""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jsd_desk.domain.errors import InputRefused, NotFound, PermissionDenied, StoreError
from jsd_desk.services import actions, attachments, complaints, places, sessions
from jsd_desk.services.attachments import MAX_ATTACHMENT_BYTES
from jsd_desk.services.workspace import Workspace
from jsd_desk.store import models
from jsd_desk.store.writer import load_events
from tests.replicas import copy_events, events_of, introduce

Make = Callable[..., Workspace]


def png_bytes(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 30, 40)) -> bytes:
    """A real PNG (Qt and any viewer can decode it), made without any imaging library."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def _complaint(ws: Workspace) -> str:
    return complaints.receive_complaint(ws.store, received_on="2026-03-02", channel="walk_in",
                                        category="theft", description="Vol de moto").id


def _counts(ws: Workspace) -> tuple[int, int, int]:
    with ws.store.engine.connect() as conn:
        return (int(conn.execute(select(func.count()).select_from(models.Blob)).scalar_one()),
                int(conn.execute(select(func.count()).select_from(models.Attachment))
                    .scalar_one()),
                int(conn.execute(select(func.count()).select_from(models.Event)).scalar_one()))


def test_add_stores_the_blob_by_sha256_with_the_event(workspace: Workspace,
                                                      tmp_path: Path) -> None:
    cid = _complaint(workspace)
    data = png_bytes()
    photo = tmp_path / "feuille signée.png"
    photo.write_bytes(data)
    blobs, atts, events = _counts(workspace)

    aid = attachments.add_attachment(workspace.store, "complaint", cid, photo, "Feuille signée")

    assert _counts(workspace) == (blobs + 1, atts + 1, events + 1)
    (info,) = attachments.attachments_for(workspace.store, "complaint", cid)
    assert info.id == aid
    assert info.filename == "feuille signée.png"  # the base name only, never the folder
    assert info.media_type == "image/png" and info.is_image and info.available
    assert info.size == len(data) and info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.caption == "Feuille signée"
    content = attachments.read_attachment(workspace.store, aid)
    assert content.data == data
    with workspace.store.engine.connect() as conn:
        (ev,) = [e for e in load_events(conn) if e.entity == "attachment"]
        blob = conn.execute(select(models.Blob.data, models.Blob.size)
                            .where(models.Blob.sha256 == info.sha256)).one()
    # The event carries the hash, not the bytes: bundles carry blobs beside the events.
    assert ev.fields["sha256"] == info.sha256 and str(tmp_path) not in ev.raw.decode()
    assert bytes(blob.data) == data and blob.size == len(data)


def test_the_same_bytes_twice_are_stored_once(workspace: Workspace, tmp_path: Path) -> None:
    cid = _complaint(workspace)
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    first.write_bytes(png_bytes())
    second.write_bytes(png_bytes())
    blobs, atts, _events = _counts(workspace)
    attachments.add_attachment(workspace.store, "complaint", cid, first)
    attachments.add_attachment(workspace.store, "complaint", cid, second)
    assert _counts(workspace)[:2] == (blobs + 1, atts + 2)
    assert [a.filename for a in attachments.attachments_for(workspace.store, "complaint", cid)] \
        == ["a.png", "b.png"]


def test_remove_is_a_tombstone_the_blob_stays_and_restore_undoes_it(workspace: Workspace,
                                                                    tmp_path: Path) -> None:
    cid = _complaint(workspace)
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    aid = attachments.add_attachment(workspace.store, "complaint", cid, photo)
    blobs = _counts(workspace)[0]

    assert attachments.remove_attachment(workspace.store, aid) is True
    assert attachments.attachments_for(workspace.store, "complaint", cid) == []
    assert attachments.remove_attachment(workspace.store, aid) is False  # already gone
    with pytest.raises(NotFound):
        attachments.read_attachment(workspace.store, aid)
    assert _counts(workspace)[0] == blobs  # content-addressed, immutable: never deleted

    assert attachments.restore_attachment(workspace.store, aid) is True
    assert attachments.read_attachment(workspace.store, aid).data == png_bytes()


def test_a_file_over_25_mb_is_refused_with_its_size_and_nothing_is_written(
        workspace: Workspace, tmp_path: Path) -> None:
    cid = _complaint(workspace)
    big = tmp_path / "scan.tif"
    with big.open("wb") as fh:
        fh.truncate(MAX_ATTACHMENT_BYTES + 1)  # sparse: 25 MB and one byte, instantly
    before = _counts(workspace)
    with pytest.raises(InputRefused) as refused:
        attachments.add_attachment(workspace.store, "complaint", cid, big)
    message = refused.value.message()
    assert "scan.tif" in message and "25.0 MB" in message and "at most 25 MB" in message
    assert _counts(workspace) == before
    # Exactly 25 MB is still accepted.
    limit = tmp_path / "limit.bin"
    with limit.open("wb") as fh:
        fh.truncate(MAX_ATTACHMENT_BYTES)
    attachments.add_attachment(workspace.store, "complaint", cid, limit)
    assert _counts(workspace)[:2] == (before[0] + 1, before[1] + 1)


@pytest.mark.parametrize(("setup", "expected"), [
    (lambda p: p.write_bytes(b""), "is empty"),
    (lambda p: None, "cannot be read"),
    (lambda p: p.mkdir(), "is not a file"),
])
def test_unreadable_input_is_refused_with_a_reason(
        workspace: Workspace, tmp_path: Path, setup: Callable[[Path], object],
        expected: str) -> None:
    cid = _complaint(workspace)
    path = tmp_path / "lettre.pdf"
    setup(path)
    before = _counts(workspace)
    with pytest.raises(InputRefused) as refused:
        attachments.add_attachment(workspace.store, "complaint", cid, path)
    assert expected in refused.value.message() and "lettre.pdf" in refused.value.message()
    assert _counts(workspace) == before


def test_the_record_must_exist_and_be_a_kind_that_takes_files(workspace: Workspace,
                                                              tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    before = _counts(workspace)
    with pytest.raises(NotFound):
        attachments.add_attachment(workspace.store, "complaint",
                                   "00000000-0000-0000-0000-000000000000", photo)
    with pytest.raises(InputRefused):
        attachments.add_attachment(workspace.store, "no_such_kind",
                                   "00000000-0000-0000-0000-000000000000", photo)
    assert _counts(workspace) == before


def test_media_type_comes_from_the_bytes_before_the_name(workspace: Workspace,
                                                         tmp_path: Path) -> None:
    cid = _complaint(workspace)
    disguised = tmp_path / "photo.txt"
    disguised.write_bytes(png_bytes())
    letter = tmp_path / "lettre"
    letter.write_bytes(b"%PDF-1.4\n%...")
    audio = tmp_path / "appel.ogg"
    audio.write_bytes(b"OggS" + b"\x00" * 40)
    for path in (disguised, letter, audio):
        attachments.add_attachment(workspace.store, "complaint", cid, path)
    types = {a.filename: a.media_type
             for a in attachments.attachments_for(workspace.store, "complaint", cid)}
    assert types == {"photo.txt": "image/png", "lettre": "application/pdf",
                     "appel.ogg": "audio/ogg"}


def test_a_damaged_blob_is_reported_not_returned(workspace: Workspace, tmp_path: Path) -> None:
    cid = _complaint(workspace)
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    aid = attachments.add_attachment(workspace.store, "complaint", cid, photo)
    info = attachments.attachment_info(workspace.store, aid)
    with workspace.store.engine.begin() as conn:
        conn.execute(models.Blob.__table__.update().where(  # type: ignore[attr-defined]
            models.Blob.sha256 == info.sha256).values(data=b"tampered"))
    with pytest.raises(StoreError):
        attachments.read_attachment(workspace.store, aid)


def test_save_a_copy_writes_the_exact_bytes(workspace: Workspace, tmp_path: Path) -> None:
    cid = _complaint(workspace)
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes(9, 9))
    aid = attachments.add_attachment(workspace.store, "complaint", cid, photo)
    out = attachments.save_attachment_copy(workspace.store, aid, tmp_path / "copie.png")
    assert out.read_bytes() == png_bytes(9, 9)


def test_captions_change_and_are_bounded(workspace: Workspace, tmp_path: Path) -> None:
    cid = _complaint(workspace)
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    aid = attachments.add_attachment(workspace.store, "complaint", cid, photo, "x" * 2000)
    assert len(attachments.attachment_info(workspace.store, aid).caption) == 500
    assert attachments.update_caption(workspace.store, aid, "Lettre du chef de quartier 🙏")
    assert attachments.attachment_info(workspace.store, aid).caption == \
        "Lettre du chef de quartier 🙏"


def test_liaison_attaches_to_referred_complaints_and_police_items_only(make_workspace: Make,
                                                              tmp_path: Path) -> None:
    fac = make_workspace("fatouma", "facilitator")
    liaison = make_workspace("lamine", "liaison")
    introduce(liaison, fac)
    platform = places.add_platform(fac.store, name="Plateforme de Talladjé", place_id=None)
    session = sessions.create_session(fac.store, platform_id=platform,
                                      kind="neighbourhood_dialogue", title="Réunion",
                                      starts_at="2026-03-02T09:00")
    police = actions.add_action_item(fac.store, session, description="Patrouilles",
                                     responsible_party="police")
    chief = actions.add_action_item(fac.store, session, description="Réunir les familles",
                                    responsible_party="traditional_chief")
    cid = complaints.receive_complaint(
        fac.store, received_on="2026-03-02", channel="walk_in", category="theft",
        description="Vol", complainant={"name": "Zalika Moussa"}).id
    complaints.change_status(fac.store, cid, "referred", referred_to="Commissariat central")
    fresh = _complaint(fac)  # received, not referred to the security forces yet
    copy_events(liaison, events_of(fac))
    photo = tmp_path / "reponse.png"
    photo.write_bytes(png_bytes())

    attachments.add_attachment(liaison.store, "complaint", cid, photo)
    attachments.add_attachment(liaison.store, "action_item", police, photo)
    before = _counts(liaison)
    for entity, record in (("action_item", chief), ("session", session),
                           ("complainant", cid), ("complaint", fresh)):
        with pytest.raises(PermissionDenied):
            attachments.add_attachment(liaison.store, entity, record, photo)
    assert _counts(liaison) == before


def test_attachments_of_a_complainant_are_never_listed_on_a_liaison_device(
        make_workspace: Make, tmp_path: Path) -> None:
    fac = make_workspace("fatouma", "facilitator")
    liaison = make_workspace("lamine", "liaison")
    introduce(liaison, fac)
    cid = complaints.receive_complaint(
        fac.store, received_on="2026-03-02", channel="walk_in", category="sgbv",
        description="…", complainant={"name": "Zalika Moussa"}).id
    card = tmp_path / "carte-identite.png"
    card.write_bytes(png_bytes())
    aid = attachments.add_attachment(fac.store, "complainant", cid, card)
    copy_events(liaison, events_of(fac))
    assert attachments.attachments_for(fac.store, "complainant", cid)
    assert attachments.attachments_for(liaison.store, "complainant", cid) == []
    with pytest.raises(NotFound):
        attachments.attachment_info(liaison.store, aid)


def test_an_attachment_whose_bytes_have_not_arrived_is_listed_as_unavailable(
        make_workspace: Make, tmp_path: Path) -> None:
    fac = make_workspace("fatouma", "facilitator")
    other = make_workspace("issa", "facilitator")
    introduce(other, fac)
    cid = _complaint(fac)
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    aid = attachments.add_attachment(fac.store, "complaint", cid, photo)
    copy_events(other, events_of(fac))  # the events only: no blob moved
    (info,) = attachments.attachments_for(other.store, "complaint", cid)
    assert info.id == aid and not info.available
    with pytest.raises(NotFound) as missing:
        attachments.read_attachment(other.store, aid)
    assert "not arrived" in missing.value.message()
