"""Handing a referred complaint's need-to-know fields to its police liaison device (issue 12).

At referral the referring device writes the current description, *against whom* and outcome
again, sealed to the usual readers and to the liaison device (``store.disclosure``), as DESIGN
§4 re-seals identities for a new reader. A device can hand on only what it can open itself;
a value in conflict keeps its conflict (only the winning write is replaced).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from jsd_desk.domain.complaint_rights import LIAISON_STATUSES
from jsd_desk.domain.records import REFERRAL_DISCLOSED
from jsd_desk.security.sealing import SEALED_MARKER_JSON
from jsd_desk.store import models
from jsd_desk.store.projection import FW
from jsd_desk.store.writer import Tx

COMPLAINT = models.tbl(models.Complaint)
DISCLOSED_FIELDS = tuple(sorted(f for e, f in REFERRAL_DISCLOSED if e == "complaint"))


def disclose_to_liaison(tx: Tx, complaint_id: str) -> bool:
    """Re-seal the complaint's need-to-know fields so its liaison device can open them (the
    write path adds that reader while the complaint stands referred). Whether anything was
    written."""
    winners: dict[str, tuple[str, str]] = {}
    for field, stamp, value in tx.conn.execute(
            select(FW.c.field, FW.c.stamp, FW.c.value).where(
                FW.c.entity == "complaint", FW.c.entity_id == complaint_id,
                FW.c.superseded.is_(False), FW.c.field.in_(DISCLOSED_FIELDS))):
        if field not in winners or stamp > winners[field][0]:
            winners[field] = (stamp, value)
    values: dict[str, Any] = {}
    base: dict[str, list[str]] = {}
    for field, (stamp, value) in sorted(winners.items()):
        if value == SEALED_MARKER_JSON:
            continue  # sealed to others than this device: it cannot hand it on
        plain = json.loads(value)
        if plain is None:
            continue
        values[field], base[field] = plain, [stamp]
    if not values:
        return False
    tx.append_upsert("complaint", complaint_id, values, base)
    return True


def disclose_all_to(tx: Tx, liaison_device_id: str) -> int:
    """After trusting a liaison device: hand it the complaints already referred to it."""
    ids = tx.conn.execute(select(COMPLAINT.c.id).where(
        COMPLAINT.c.liaison_device_id == liaison_device_id, COMPLAINT.c.deleted.is_(False),
        COMPLAINT.c.status.in_(LIAISON_STATUSES)).order_by(COMPLAINT.c.id)).scalars().all()
    return sum(disclose_to_liaison(tx, cid) for cid in ids)
