"""Attachments: a photo, a scan or a letter added to any record (DESIGN §2).

The file's bytes are stored once, by SHA-256, in the ``blob`` table of the encrypted store (so
they are encrypted at rest like every record), in the same transaction as the event that
records the attachment. Blobs are immutable: removing an attachment is a tombstone on the
attachment record; the bytes stay, since another attachment (or another device's copy of this
one) may point to the same content, and tombstones are never purged.

The GUI gives a path; only this module opens the file.
"""

from __future__ import annotations

import hashlib
import mimetypes
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from jsd_desk.domain.complaint_rights import hidden_entities
from jsd_desk.domain.errors import InputRefused, NotFound, PermissionDenied, StoreError
from jsd_desk.domain.records import ENTITIES, SHORT_TEXT_MAX
from jsd_desk.files import atomic_write
from jsd_desk.i18n import N_
from jsd_desk.services.actions import SECURITY_FORCES
from jsd_desk.services.security import check_complaint_rights, check_may_change
from jsd_desk.store import models
from jsd_desk.store.writer import Record, Store, Tx

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
# Records a liaison officer may attach files to (a police answer, a letter): never a session's.
LIAISON_ENTITIES = frozenset({"complaint", "action_item", "follow_up"})

# Magic numbers of the kinds people attach; the file's own bytes beat its name's extension.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"ID3", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
    (b"fLaC", "audio/flac"),
)


@dataclass(frozen=True)
class AttachmentInfo:
    id: str
    entity: str
    entity_id: str
    filename: str
    media_type: str
    size: int
    caption: str
    sha256: str
    available: bool  # False while the bytes have not arrived on this device (sync)

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


@dataclass(frozen=True)
class AttachmentData:
    info: AttachmentInfo
    data: bytes


def sniff_media_type(data: bytes, filename: str) -> str:
    for magic, media_type in _SIGNATURES:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data[4:8] == b"ftyp":
        return "audio/mp4" if data[8:11] == b"M4A" else "video/mp4"
    guessed, _encoding = mimetypes.guess_type(filename, strict=False)
    return guessed or "application/octet-stream"


def _clean_name(path: Path) -> str:
    # Only the base name is kept: the folder it came from says nothing useful and may say
    # too much (a user name in /home/…).
    name = unicodedata.normalize("NFC", path.name).replace("\x00", "").strip()
    name = "".join(c for c in name if c.isprintable()) or "file"
    return name if len(name) <= 200 else name[:190] + path.suffix[:10]


def _check_target(tx: Tx, entity: str, entity_id: str) -> Record:
    if entity not in ENTITIES or entity == "attachment":
        raise InputRefused(N_("Files cannot be attached to this kind of record."))
    rec = tx.get(entity, entity_id)
    if rec is None or rec["deleted"]:
        raise NotFound(N_("The record to attach the file to does not exist."))
    if entity == "complaint":
        check_complaint_rights(tx, rec)  # the one rule of who may change a complaint
    else:
        check_may_change(tx, entity, entity_id)  # a ministry device: only its own records
    role = tx.store.keys.info.role
    if role == "liaison":
        if entity not in LIAISON_ENTITIES:
            raise PermissionDenied(N_("A liaison officer's device cannot attach files here."))
        action = rec
        if entity == "follow_up":
            action = tx.get("action_item", rec.get("action_item_id") or "") or {}
        if entity in ("action_item", "follow_up") and \
                action.get("responsible_party") not in SECURITY_FORCES:
            raise PermissionDenied(
                N_("A liaison officer updates only the security forces' action items."))
    return rec


def _read_file(path: Path) -> bytes:
    name = path.name
    try:
        info = path.stat()
    except OSError as exc:
        raise InputRefused(N_("The file “{name}” cannot be read: {reason}"), name=name,
                           reason=exc.strerror or type(exc).__name__) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputRefused(N_("“{name}” is not a file."), name=name)
    if info.st_size > MAX_ATTACHMENT_BYTES:
        raise InputRefused(_too_large(), name=name, size=_megabytes(info.st_size),
                           limit=MAX_ATTACHMENT_BYTES // (1024 * 1024))
    try:
        with path.open("rb") as fh:
            # Read at most one byte past the limit: a file that grows while we read is caught.
            data = fh.read(MAX_ATTACHMENT_BYTES + 1)
    except OSError as exc:
        raise InputRefused(N_("The file “{name}” cannot be read: {reason}"), name=name,
                           reason=exc.strerror or type(exc).__name__) from None
    if len(data) > MAX_ATTACHMENT_BYTES:
        # Grew while being read: it is at least this large.
        raise InputRefused(_too_large(), name=name, size=_megabytes(len(data)),
                           limit=MAX_ATTACHMENT_BYTES // (1024 * 1024))
    if not data:
        raise InputRefused(N_("The file “{name}” is empty."), name=name)
    return data


def _too_large() -> str:
    return N_("The file “{name}” is too large ({size} MB); an attachment can be at most "
              "{limit} MB. Scan or photograph it at a lower resolution.")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def add_attachment(store: Store, entity: str, entity_id: str, path: Path | str,
                   caption: str | None = None) -> str:
    """Attach the file at ``path`` to a record; returns the attachment's id."""
    path = Path(path)
    data = _read_file(path)
    filename = _clean_name(path)
    media_type = sniff_media_type(data, filename)
    with store.transaction() as tx:
        _check_target(tx, entity, entity_id)
        digest = tx.put_blob(data)
        return tx.create("attachment", {
            "entity": entity, "entity_id": entity_id, "filename": filename,
            "media_type": media_type, "sha256": digest, "size": len(data),
            "caption": (caption or "").strip()[:SHORT_TEXT_MAX] or None})


def _info(row: models.Attachment, available: bool) -> AttachmentInfo:
    return AttachmentInfo(
        id=row.id, entity=row.entity or "", entity_id=row.entity_id or "",
        filename=row.filename or "", media_type=row.media_type or "application/octet-stream",
        size=row.size or 0, caption=row.caption or "", sha256=row.sha256 or "",
        available=available)


def _hidden(store: Store, entity: str | None) -> bool:
    # A complainant's record is an identity: a liaison device never shows what is attached to it.
    return entity in hidden_entities(store.keys.info.role)


def attachments_for(store: Store, entity: str, entity_id: str) -> list[AttachmentInfo]:
    """The attachments of one record, oldest first."""
    if _hidden(store, entity):
        return []
    a, b = models.Attachment, models.Blob
    with store.reading() as s:
        rows = s.execute(
            select(a, b.sha256.is_not(None))
            .outerjoin(b, b.sha256 == a.sha256)
            .where(a.entity == entity, a.entity_id == entity_id, a.deleted.is_(False))
            .order_by(a.filename, a.id)).all()
        return [_info(row, bool(available)) for row, available in rows]


def count_attachments(store: Store, entity: str, entity_id: str) -> int:
    return len(attachments_for(store, entity, entity_id))


def attachment_info(store: Store, attachment_id: str) -> AttachmentInfo:
    with store.reading() as s:
        row = s.get(models.Attachment, attachment_id)
        if row is None or row.deleted or _hidden(store, row.entity):
            raise NotFound(N_("No such attachment."))
        available = s.scalar(select(models.Blob.sha256).where(
            models.Blob.sha256 == row.sha256)) is not None
        return _info(row, available)


def read_attachment(store: Store, attachment_id: str) -> AttachmentData:
    """The attachment's bytes, checked against their SHA-256."""
    info = attachment_info(store, attachment_id)
    with store.reading() as s:
        data = s.scalar(select(models.Blob.data).where(models.Blob.sha256 == info.sha256))
    if data is None:
        raise NotFound(N_("The file of this attachment has not arrived on this device yet."))
    if hashlib.sha256(data).hexdigest() != info.sha256:
        raise StoreError(N_("The stored file of this attachment is damaged."))
    return AttachmentData(info, bytes(data))


def update_caption(store: Store, attachment_id: str, caption: str | None) -> bool:
    with store.transaction() as tx:
        rec = tx.get("attachment", attachment_id)
        if rec is None or rec["deleted"]:
            raise NotFound(N_("No such attachment."))
        _check_target(tx, rec["entity"], rec["entity_id"])
        return tx.put("attachment", attachment_id, {"caption": caption or None}) is not None


def remove_attachment(store: Store, attachment_id: str) -> bool:
    """Remove an attachment from its record (a tombstone); returns whether it was there."""
    with store.transaction() as tx:
        rec = tx.get("attachment", attachment_id)
        if rec is None or rec["deleted"]:
            return False
        _check_target(tx, rec["entity"], rec["entity_id"])
        return tx.delete("attachment", attachment_id) is not None


def restore_attachment(store: Store, attachment_id: str) -> bool:
    """Undo a removal (Ctrl+Z in the GUI)."""
    with store.transaction() as tx:
        rec = tx.get("attachment", attachment_id)
        if rec is None or not rec["deleted"]:
            return False
        _check_target(tx, rec["entity"], rec["entity_id"])
        return tx.undelete("attachment", attachment_id) is not None


def save_attachment_copy(store: Store, attachment_id: str, out_path: Path | str) -> Path:
    """Write a copy of the file where the user asked (the user's choice to take it out of the
    encrypted store); written atomically."""
    content = read_attachment(store, attachment_id)
    out = Path(out_path)
    try:
        atomic_write(out, content.data, 0o600)
    except OSError as exc:
        raise InputRefused(N_("The file “{name}” cannot be written: {reason}"), name=out.name,
                           reason=exc.strerror or type(exc).__name__) from None
    return out
