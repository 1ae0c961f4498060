"""What an import refuses from a police liaison officer's device (issue 12): the same rule as
``domain.complaint_rights``, applied to received events, so a tampered or outdated liaison
device cannot change what its role may not — whatever its own software let it sign.

A liaison device may write on a complaint only once the complaint was referred, to it or to
the police without naming a device, and only the answer (status, referral, response,
outcome) — never the facts, the need-to-know fields it was not given or an identity. A
complaint it recorded itself is its own. Called inside the import's transaction after the
events are applied, so a referral travelling in the same bundle counts; a refusal rolls the
whole import back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, select

from jsd_desk.domain.complaint_rights import ANSWER_FIELDS
from jsd_desk.domain.records import DELETED
from jsd_desk.i18n import N_
from jsd_desk.store import models
from jsd_desk.store.eventlog import SignedEvent
from jsd_desk.store.projection import FW
from jsd_desk.sync.bundle import BundleRefused

DEVICE = models.tbl(models.Device)
EVENT = models.tbl(models.Event)
C = models.tbl(models.Complaint)
CSC = models.tbl(models.ComplaintStatusChange)
ATT = models.tbl(models.Attachment)
# What a liaison device writes on a complaint referred to it.
LIAISON_COMPLAINT_FIELDS = ANSWER_FIELDS | {"status"}


def _complaint_of(conn: Connection, ev: SignedEvent) -> str | None:
    """The complaint an event is about (the complaint itself, a status move, an attachment)."""
    if ev.entity == "complaint":
        return ev.entity_id
    if ev.entity == "complaint_status_change":
        cid = ev.fields.get("complaint_id") or conn.execute(
            select(CSC.c.complaint_id).where(CSC.c.id == ev.entity_id)).scalar_one_or_none()
        return str(cid) if cid else None
    if ev.entity == "attachment":
        row = conn.execute(select(ATT.c.entity, ATT.c.entity_id)
                           .where(ATT.c.id == ev.entity_id)).one_or_none()
        if row is not None and row.entity == "complaint":
            return str(row.entity_id)
    return None


def _created_by(conn: Connection, entity: str, record_id: str, device_id: str) -> bool:
    first = conn.execute(select(EVENT.c.device_id).where(
        EVENT.c.entity == entity, EVENT.c.entity_id == record_id)
        .order_by(EVENT.c.hlc, EVENT.c.device_id).limit(1)).scalar_one_or_none()
    return first == device_id


def _referred_to(conn: Connection, complaint_id: str, device_id: str) -> tuple[bool, str]:
    """Whether a device that is not a liaison officer's ever referred the complaint, to this
    device or to the police without naming one — read from the merge state, so neither the
    order events came in nor the liaison device's own writes decide it. And the complaint's
    reference, for the message."""
    row = conn.execute(select(C.c.reference, C.c.liaison_device_id)
                       .where(C.c.id == complaint_id, C.c.deleted.is_(False))).one_or_none()
    if row is None:
        return False, complaint_id[:8]
    reference = row.reference or complaint_id[:8]
    if row.liaison_device_id not in (None, "", device_id):
        return False, reference
    liaisons = select(DEVICE.c.device_id).where(DEVICE.c.role == "liaison")
    referral = conn.execute(select(FW.c.stamp).where(
        FW.c.entity == "complaint", FW.c.entity_id == complaint_id, FW.c.field == "status",
        FW.c.value == json.dumps("referred"), FW.c.device_id.not_in(liaisons)).limit(1)).first()
    return referral is not None, reference


def check_liaison_events(conn: Connection, events: Sequence[SignedEvent]) -> None:
    """Refuse (``BundleRefused``) the first event of a liaison device that its role forbids."""
    authors = {ev.device_id for ev in events}
    if not authors:
        return
    liaisons = dict(conn.execute(select(DEVICE.c.device_id, DEVICE.c.name).where(
        DEVICE.c.device_id.in_(sorted(authors)), DEVICE.c.role == "liaison")).all())
    for ev in events:
        name = liaisons.get(ev.device_id)
        if name is None:
            continue
        if ev.entity == "complainant":
            raise BundleRefused(N_("The bundle is refused: the liaison officer's device “{device}” "
                                   "wrote a complainant's identity, which its role never does."),
                                device=name)
        cid = _complaint_of(conn, ev)
        if cid is None or _created_by(conn, "complaint", cid, ev.device_id):
            continue  # not about a complaint, or about one it recorded itself
        referred, reference = _referred_to(conn, cid, ev.device_id)
        if not referred:
            raise BundleRefused(N_("The bundle is refused: the liaison officer's device “{device}” "
                                   "changed complaint {reference}, which is not referred to it."),
                                device=name, reference=reference)
        if ev.entity != "complaint":
            continue
        fields = {DELETED} if ev.op == "delete" else set(ev.fields)
        bad = sorted(fields - LIAISON_COMPLAINT_FIELDS)
        if bad:
            raise BundleRefused(N_("The bundle is refused: the liaison officer's device “{device}” "
                                   "changed “{field}” of complaint {reference}, which its role "
                                   "may not change."),
                                device=name, field=bad[0], reference=reference)
