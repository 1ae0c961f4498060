"""Target times of complaints as synced records (issue 12): the ministry's, for every platform,
and a platform's own, each per category and optionally per severity.

A target's record id is derived from what it targets (scope, category, severity), so two
devices that set the same target offline write the same record and their edits merge (or show
as a conflict) instead of leaving two rival targets.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from jsd_desk.domain import deadlines
from jsd_desk.domain.deadlines import Target, TargetRule
from jsd_desk.domain.errors import NotFound, PermissionDenied
from jsd_desk.domain.vocab import COMPLAINT_CATEGORY, COMPLAINT_SEVERITY
from jsd_desk.i18n import N_
from jsd_desk.services.security import check_may_change
from jsd_desk.store import models
from jsd_desk.store.writer import Store

T = models.ComplaintTarget
TARGET_NAMESPACE = uuid.UUID("3b0f7f4e-8d0a-4c6e-b7f2-0c9a51d2e6a4")


def target_id(platform_id: str | None, category: str, severity: str | None) -> str:
    return str(uuid.uuid5(TARGET_NAMESPACE, f"{platform_id or '*'}|{category}|{severity or '*'}"))


def _check_role(store: Store, platform_id: str | None) -> None:
    role = store.keys.info.role
    if role == "liaison":
        raise PermissionDenied(N_("A liaison officer's device does not set complaint targets."))
    if platform_id is None and role != "analyst":
        raise PermissionDenied(N_("Only a ministry device sets the ministry's targets; a "
                                  "platform sets its own."))


def set_target(store: Store, *, category: str, review_days: int, referral_days: int,
               resolution_days: int, severity: str | None = None,
               platform_id: str | None = None) -> str:
    """Set the target of a category (and severity, or every severity) for a platform or, on a
    ministry device, for every platform. Returns the target's record id."""
    deadlines.check_target(category, severity, (review_days, referral_days, resolution_days))
    _check_role(store, platform_id)
    tid = target_id(platform_id, category, severity)
    with store.transaction() as tx:
        if platform_id is not None:
            platform = tx.get("platform", platform_id)
            if platform is None or platform["deleted"]:
                raise NotFound(N_("No such platform."))
        current = tx.get("complaint_target", tid)
        if current is not None:
            check_may_change(tx, "complaint_target", tid)
        fields = {"platform_id": platform_id, "category": category, "severity": severity,
                  "review_days": review_days, "referral_days": referral_days,
                  "resolution_days": resolution_days}
        if current is None:
            tx.create("complaint_target", fields, record_id=tid)
        else:
            if current["deleted"]:
                tx.undelete("complaint_target", tid)
            tx.put("complaint_target", tid, fields)
    return tid


def clear_target(store: Store, *, category: str, severity: str | None = None,
                 platform_id: str | None = None) -> bool:
    """Go back to the target that applies without this one. Whether there was one."""
    deadlines.check_target(category, severity, (1, 1, 1))
    _check_role(store, platform_id)
    tid = target_id(platform_id, category, severity)
    with store.transaction() as tx:
        if tx.get("complaint_target", tid) is None:
            return False
        check_may_change(tx, "complaint_target", tid)
        return tx.delete("complaint_target", tid) is not None


def target_rules(store: Store) -> list[TargetRule]:
    """Every target set as a record (valid ones: a damaged or half-arrived one is skipped)."""
    with store.reading() as s:
        rows = s.execute(select(T.platform_id, T.category, T.severity, T.review_days,
                                T.referral_days, T.resolution_days)
                         .where(T.deleted.is_(False))).all()
    out = []
    for platform_id, category, severity, review, referral, resolution in rows:
        if category is None or category not in COMPLAINT_CATEGORY or (
                severity is not None and severity not in COMPLAINT_SEVERITY):
            continue
        days = [d for d in (review, referral, resolution) if isinstance(d, int) and d >= 1]
        if len(days) != 3:
            continue  # half-arrived (some fields' events not here yet) or damaged
        out.append(TargetRule(platform_id, category, severity, Target(*days)))
    return out


@dataclass(frozen=True)
class TargetLine:
    """One line of the targets table a settings screen or report shows."""

    category: str
    severity: str
    target: Target
    source: str  # platform, ministry or default


def effective_targets(store: Store, platform_id: str | None = None) -> list[TargetLine]:
    """The target in force for each category and severity (for a platform, or everywhere)."""
    rules = target_rules(store)
    return [TargetLine(c, s, *deadlines.pick_target(rules, platform_id=platform_id, category=c,
                                                     severity=s))
            for c in COMPLAINT_CATEGORY.codes() for s in COMPLAINT_SEVERITY.codes()]
