"""Need to know on the write path (issue 12): to whom, beyond the usual readers, the sealed
need-to-know fields of a record are sealed — the police liaison device a complaint is referred
to, once it is referred (DESIGN §1: the liaison sees the complaints referred to police)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select

from jsd_desk.domain.complaint_rights import LIAISON_STATUSES
from jsd_desk.store import models

COMPLAINT = models.tbl(models.Complaint)
DEVICE = models.tbl(models.Device)


def referral_recipients(conn: Connection, entity: str, record_id: str,
                        record: Mapping[str, Any] | None = None) -> list[str]:
    """The age recipient of the trusted liaison device a complaint is referred to, if any.
    ``record``: the complaint as the caller already knows it (not read again)."""
    if entity != "complaint":
        return []
    if record is None:
        row = conn.execute(select(COMPLAINT.c.status, COMPLAINT.c.liaison_device_id)
                           .where(COMPLAINT.c.id == record_id)).one_or_none()
        if row is None:
            return []
        record = {"status": row.status, "liaison_device_id": row.liaison_device_id}
    if record.get("status") not in LIAISON_STATUSES or not record.get("liaison_device_id"):
        return []
    recipient = conn.execute(select(DEVICE.c.age_recipient).where(
        DEVICE.c.device_id == record["liaison_device_id"], DEVICE.c.trusted.is_(True),
        DEVICE.c.role == "liaison")).scalar_one_or_none()
    return [recipient] if recipient else []
