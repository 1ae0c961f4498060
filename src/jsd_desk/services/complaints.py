"""Complaints: intake (named or anonymous), the status workflow with its history, referral,
response and outcome, lookup by receipt code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from jsd_desk.domain.errors import NotFound, PermissionDenied, ValidationError
from jsd_desk.domain.refs import complaint_reference, new_receipt_code, normalize_receipt_code
from jsd_desk.domain.validation import check_transition, parse_date
from jsd_desk.i18n import N_
from jsd_desk.services.security import check_may_change
from jsd_desk.store import models
from jsd_desk.store.writer import Record, Store, Tx

IDENTITY_FIELDS = ("name", "contact", "gender", "age_group")
# A liaison officer answers for complaints once referred to the security forces, and closes them.
LIAISON_STATUSES = ("referred", "resolved", "closed_unresolved")
LIAISON_MOVES = ("resolved", "closed_unresolved")


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
                      complainant: dict[str, Any] | None = None) -> NewComplaint:
    """Record a complaint. ``complainant`` None (or empty) makes it anonymous."""
    if store.keys.info.role == "liaison" and complainant:
        raise PermissionDenied(N_("A liaison officer's device does not record complainants' identities."))
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
            "language": language, "anonymous": not identity, "status": "received"})
        if identity:
            tx.create("complainant", {"complaint_id": cid, **identity}, record_id=cid)
    return NewComplaint(cid, reference, receipt)


def _complaint(tx: Tx, complaint_id: str) -> Record:
    rec = tx.get("complaint", complaint_id)
    if rec is None or rec["deleted"]:
        raise NotFound(N_("No such complaint."))
    check_may_change(tx, "complaint", complaint_id)  # a ministry device: only its own complaints
    if tx.store.keys.info.role == "liaison" and rec["status"] not in LIAISON_STATUSES:
        raise PermissionDenied(N_("A liaison officer acts only on complaints referred to the "
                                  "security forces."))
    return rec


def change_status(store: Store, complaint_id: str, new_status: str, *, note: str | None = None,
                  referred_to: str | None = None, at: dt.datetime | None = None) -> str:
    """Move a complaint along its workflow; the move is kept in its history."""
    with store.transaction() as tx:
        rec = _complaint(tx, complaint_id)
        check_transition(rec["status"], new_status)
        if store.keys.info.role == "liaison" and new_status not in LIAISON_MOVES:
            raise PermissionDenied(N_("A liaison officer can only close a referred complaint, "
                                      "resolved or not."))
        if new_status == "referred" and not (referred_to or rec.get("referred_to")):
            raise ValidationError("referred_to", N_("Say to whom the complaint is referred."))
        fields: dict[str, Any] = {"status": new_status}
        if referred_to is not None:
            fields["referred_to"] = referred_to
        tx.put("complaint", complaint_id, fields)
        return tx.create("complaint_status_change", {
            "complaint_id": complaint_id, "from_status": rec["status"], "to_status": new_status,
            "changed_at": at or dt.datetime.now().replace(microsecond=0), "note": note})


def update_complaint(store: Store, complaint_id: str, **fields: Any) -> bool:
    """Change details, response or outcome. Status moves go through ``change_status``."""
    allowed = {"category", "against", "description", "place_id", "referred_to", "response",
               "outcome", "language"}
    if store.keys.info.role == "liaison":
        allowed = {"response", "outcome", "referred_to"}
    bad = set(fields) - allowed
    if bad:
        raise PermissionDenied(N_("This field cannot be changed here."))
    with store.transaction() as tx:
        _complaint(tx, complaint_id)
        return tx.put("complaint", complaint_id, fields) is not None


def set_complainant(store: Store, complaint_id: str, **identity: Any) -> None:
    if store.keys.info.role == "liaison":
        raise PermissionDenied(N_("A liaison officer's device does not record complainants' identities."))
    with store.transaction() as tx:
        _complaint(tx, complaint_id)
        tx.put("complainant", complaint_id, {"complaint_id": complaint_id, **identity})
        tx.put("complaint", complaint_id, {"anonymous": False})


def status_history(store: Store, complaint_id: str) -> list[models.ComplaintStatusChange]:
    """The moves of a complaint in the order they were made.

    Two moves in the same second are ordered by the clock stamp of the event that created
    them, which every replica agrees on.
    """
    csc, fw = models.ComplaintStatusChange, models.FieldWrite
    created = (select(func.min(fw.stamp)).where(
        fw.entity == "complaint_status_change", fw.entity_id == csc.id, fw.field == "complaint_id")
        .correlate(csc).scalar_subquery())
    with store.reading() as s:
        return list(s.scalars(select(csc).where(
            csc.complaint_id == complaint_id, csc.deleted.is_(False))
            .order_by(csc.changed_at, created, csc.id)))


def find_by_receipt(store: Store, code: str) -> models.Complaint:
    normalized = normalize_receipt_code(code)
    if not normalized:
        raise ValidationError("receipt_code", N_("A receipt code has 12 letters and digits."))
    with store.reading() as s:
        found = s.scalars(select(models.Complaint).where(
            models.Complaint.receipt_code == normalized, models.Complaint.deleted.is_(False))).first()
    if found is None:
        raise NotFound(N_("No complaint has this receipt code."))
    return found
