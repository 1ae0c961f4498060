"""Complaints: intake (named or anonymous), the status workflow with its history, referral,
response and outcome, lookup by receipt code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jsd_desk.domain.complaint_rights import (
    FIELD_REFUSED,
    IDENTITY_REFUSED,
    LIAISON_MOVE,
    LIAISON_MOVES,
    LIAISON_STATUSES,
    ComplaintRights,
    sees_identity,
)
from jsd_desk.domain.errors import NotFound, PermissionDenied, ValidationError
from jsd_desk.domain.refs import complaint_reference, new_receipt_code, normalize_receipt_code
from jsd_desk.domain.validation import check_transition, parse_date
from jsd_desk.i18n import N_
from jsd_desk.services.disclosure import disclose_to_liaison
from jsd_desk.services.security import check_complaint_rights
from jsd_desk.services.views import StatusStep
from jsd_desk.store import models
from jsd_desk.store.writer import DEVICE, Record, Store, Tx

IDENTITY_FIELDS = ("name", "contact", "gender", "age_group")
__all__ = ["LIAISON_MOVES", "LIAISON_STATUSES"]  # who may do what: domain.complaint_rights


@dataclass(frozen=True)
class NewComplaint:
    id: str
    reference: str
    receipt_code: str


def _next_reference(tx: Tx, year: int) -> str:
    # The sequence is this device's own (its feed, its short code): unique without a server.
    key = f"complaint_seq:{year}"
    seq = int(tx.state(key) or "0") + 1
    tx.set_state(key, str(seq))
    return complaint_reference(tx.store.keys.info.short_code, year, seq)


def receive_complaint(store: Store, *, received_on: dt.date | str, channel: str, category: str,
                      description: str, session_id: str | None = None, against: str | None = None,
                      place_id: str | None = None, language: str = "fr",
                      complainant: dict[str, Any] | None = None,
                      severity: str = "normal") -> NewComplaint:
    """Record a complaint. ``complainant`` None (or empty) makes it anonymous."""
    if complainant and not sees_identity(store.keys.info.role):
        raise PermissionDenied(IDENTITY_REFUSED)
    identity = {k: v for k, v in (complainant or {}).items() if v not in (None, "")}
    unknown = set(identity) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], N_("Unknown field “{name}” for this record."),
                              name=sorted(unknown)[0])
    received = parse_date(received_on, "received_on")
    with store.transaction() as tx:
        if session_id is not None and tx.get("session", session_id) is None:
            raise NotFound(N_("No such session."))
        reference = _next_reference(tx, received.year)
        receipt = new_receipt_code()
        cid = tx.create("complaint", {
            "reference": reference, "receipt_code": receipt, "received_on": received,
            "channel": channel, "session_id": session_id, "category": category,
            "against": against, "description": description, "place_id": place_id,
            "language": language, "anonymous": not identity, "status": "received",
            "severity": severity})
        if identity:
            tx.create("complainant", {"complaint_id": cid, **identity}, record_id=cid)
    return NewComplaint(cid, reference, receipt)


def _complaint(tx: Tx, complaint_id: str) -> tuple[Record, ComplaintRights]:
    rec = tx.get("complaint", complaint_id)
    if rec is None or rec["deleted"]:
        raise NotFound(N_("No such complaint."))
    return rec, check_complaint_rights(tx, rec)


_LIAISON_DEVICES = select(DEVICE.c.device_id).where(
    DEVICE.c.trusted.is_(True), DEVICE.c.is_self.is_(False), DEVICE.c.role == "liaison"
).order_by(DEVICE.c.name, DEVICE.c.device_id)


def liaison_devices(tx: Tx) -> list[str]:
    """The police liaison devices this one trusts (to refer a complaint to), by id."""
    return list(tx.local_conn.execute(_LIAISON_DEVICES).scalars())


@dataclass(frozen=True)
class LiaisonChoice:
    device_id: str
    name: str


def liaison_choices(store: Store) -> list[LiaisonChoice]:
    """The police liaison devices a referral can go to (those this device trusts)."""
    with store.engine.connect() as conn:
        tx = Tx(store, conn)  # reads only
        ids = liaison_devices(tx)
        names = dict(conn.execute(select(DEVICE.c.device_id, DEVICE.c.name)
                                     .where(DEVICE.c.device_id.in_(ids))).all())
    return [LiaisonChoice(d, names.get(d, d[:8])) for d in ids]


def _liaison_for(tx: Tx, rec: Record, chosen: str | None) -> str | None:
    """The liaison device a referral goes to: the one chosen, else the one it went to before,
    else the only liaison device this one trusts (none when it trusts several or none)."""
    trusted = liaison_devices(tx)
    if chosen:
        if chosen not in trusted:
            raise ValidationError("liaison_device_id", N_("This device does not trust a police "
                                                          "liaison device with this id."))
        return chosen
    if rec.get("liaison_device_id"):
        return str(rec["liaison_device_id"])
    return trusted[0] if len(trusted) == 1 else None


def change_status(store: Store, complaint_id: str, new_status: str, *, note: str | None = None,
                  referred_to: str | None = None, at: dt.datetime | None = None,
                  liaison_device_id: str | None = None) -> str:
    """Move a complaint along its workflow; the move is kept in its history. A referral names
    the police liaison device it goes to, which can then read the complaint's description,
    *against whom* and outcome (never the identity)."""
    with store.transaction() as tx:
        rec, rights = _complaint(tx, complaint_id)
        check_transition(rec["status"], new_status)
        if new_status not in rights.moves:
            raise PermissionDenied(LIAISON_MOVE)
        if new_status == "referred" and not (referred_to or rec.get("referred_to")):
            raise ValidationError("referred_to", N_("Say to whom the complaint is referred."))
        fields: dict[str, Any] = {"status": new_status}
        if referred_to is not None:
            fields["referred_to"] = referred_to
        if new_status == "referred":
            fields["liaison_device_id"] = _liaison_for(tx, rec, liaison_device_id)
        tx.put("complaint", complaint_id, fields)
        if new_status == "referred" and fields["liaison_device_id"]:
            disclose_to_liaison(tx, complaint_id)
        return tx.create("complaint_status_change", {
            "complaint_id": complaint_id, "from_status": rec["status"], "to_status": new_status,
            "changed_at": at or dt.datetime.now().replace(microsecond=0), "note": note})


def update_complaint(store: Store, complaint_id: str, **fields: Any) -> bool:
    """Change details, response or outcome. Status moves go through ``change_status``."""
    with store.transaction() as tx:
        _rec, rights = _complaint(tx, complaint_id)
        if set(fields) - rights.fields:
            raise PermissionDenied(FIELD_REFUSED)
        return tx.put("complaint", complaint_id, fields) is not None


def set_complainant(store: Store, complaint_id: str, **identity: Any) -> None:
    if not sees_identity(store.keys.info.role):
        raise PermissionDenied(IDENTITY_REFUSED)
    with store.transaction() as tx:
        _rec, rights = _complaint(tx, complaint_id)
        if not rights.may_edit_identity:
            raise PermissionDenied(FIELD_REFUSED)
        tx.put("complainant", complaint_id, {"complaint_id": complaint_id, **identity})
        tx.put("complaint", complaint_id, {"anonymous": False})


def history_steps(s: Session, complaint_id: str) -> tuple[StatusStep, ...]:
    """The moves of a complaint in the order they were made, read in the session ``s``.

    ``changed_at`` is kept to the minute, so two moves in one minute tie: the clock stamp
    (hybrid logical clock) of the event that created each move orders them as they happened,
    and every replica agrees on it.
    """
    csc, fw = models.ComplaintStatusChange, models.FieldWrite
    created = (select(func.min(fw.stamp)).where(
        fw.entity == "complaint_status_change", fw.entity_id == csc.id, fw.field == "complaint_id")
        .correlate(csc).scalar_subquery())
    return tuple(StatusStep(h.id, h.from_status, h.to_status, h.changed_at, h.note or "")
                 for h in s.scalars(select(csc).where(
                     csc.complaint_id == complaint_id, csc.deleted.is_(False))
                     .order_by(csc.changed_at, created, csc.id)))


def status_history(store: Store, complaint_id: str) -> tuple[StatusStep, ...]:
    """The moves of a complaint in the order they were made."""
    with store.reading() as s:
        return history_steps(s, complaint_id)


def find_by_receipt(store: Store, code: str) -> str:
    """The id of the complaint with this receipt code, forgiving what people type (case,
    spaces, dashes); ``NotFound`` or ``ValidationError`` with one sentence when there is none."""
    normalized = normalize_receipt_code(code)
    if not normalized:
        raise ValidationError("receipt_code", N_("A receipt code has 12 letters and digits."))
    with store.reading() as s:
        found = s.scalars(select(models.Complaint.id).where(
            models.Complaint.receipt_code == normalized, models.Complaint.deleted.is_(False))).first()
    if found is None:
        raise NotFound(N_("No complaint has this receipt code."))
    return found
