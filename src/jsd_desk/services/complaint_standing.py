"""Where each complaint stands (issue 12): its next step's due date, on time / at risk /
overdue, its escalation flags and the dates of the measured steps — computed when read from
the complaint, its status history and the targets, never stored (``domain.deadlines``).

Nothing here opens a sealed field: a liaison officer's device gets the same deadlines as
everyone (they depend on category, severity, dates and statuses only) and no repeat-complainant
flag, which needs identities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jsd_desk.domain import deadlines, escalation
from jsd_desk.domain.deadlines import Deadline, Move, StepTimes, Target
from jsd_desk.security.sealing import READER_ROLES
from jsd_desk.services.targets import target_rules
from jsd_desk.store import models
from jsd_desk.store.writer import Store

C = models.Complaint
CSC = models.ComplaintStatusChange
S = models.DialogueSession
OPEN_STATUSES = tuple(s for s in deadlines.NEXT_STEP)


@dataclass(frozen=True)
class Standing:
    id: str
    reference: str
    category: str | None
    severity: str
    status: str | None
    received_on: dt.date | None
    platform_id: str | None
    target: Target
    target_source: str
    deadline: Deadline | None
    steps: StepTimes
    flags: tuple[str, ...]  # ``escalation.ESCALATION`` codes
    liaison_device_id: str | None

    @property
    def state(self) -> str | None:
        return None if self.deadline is None else self.deadline.state

    @property
    def due_on(self) -> dt.date | None:
        return None if self.deadline is None else self.deadline.due_on


def reads_identities(store: Store) -> bool:
    return store.keys.info.role in READER_ROLES


def _repeat_flags(store: Store, s: Session,
                  dates: tuple[dt.date, dt.date] | None = None) -> frozenset[str]:
    """The third-complaint-in-six-months rule, over every complaint this device can match
    (received within ``dates``, widened by six months before, when given: a page of the list
    needs only the complaints that can count for it)."""
    if not reads_identities(store):
        return frozenset()
    query = (select(C.id, C.received_on, models.Complainant.name, models.Complainant.contact)
             .join(models.Complainant, models.Complainant.id == C.id)
             .where(C.deleted.is_(False), models.Complainant.deleted.is_(False)))
    if dates is not None:
        first = escalation.months_before(dates[0], escalation.REPEAT_MONTHS)
        query = query.where(C.received_on >= first, C.received_on <= dates[1])
    rows = s.execute(query).all()
    return escalation.repeat_complaints(
        escalation.Filed(cid, received, escalation.identity_keys(name, contact))
        for cid, received, name, contact in rows)


def standings(store: Store, ids: Collection[str] | None = None, *, open_only: bool = False,
              today: dt.date | None = None) -> dict[str, Standing]:
    """The standing of the complaints ``ids`` (all when None; only open ones if asked)."""
    today = today or dt.date.today()
    rules = target_rules(store)
    query = (
        select(C.id, C.reference, C.category, C.severity, C.status, C.received_on,
               S.platform_id, C.liaison_device_id)
        .outerjoin(S, S.id == C.session_id).where(C.deleted.is_(False)))
    if open_only:
        query = query.where(C.status.in_(OPEN_STATUSES))
    if ids is not None:
        query = query.where(C.id.in_(list(ids)))
    with store.reading() as s:
        rows = s.execute(query).all()
        wanted = [r[0] for r in rows]
        moves: dict[str, list[Move]] = {}
        moves_of = select(CSC.complaint_id, CSC.to_status, CSC.changed_at).where(
            CSC.deleted.is_(False))
        if ids is None:  # every (open) complaint: one join, not thousands of ids
            batches = [moves_of.join(C, C.id == CSC.complaint_id).where(
                C.deleted.is_(False), *([C.status.in_(OPEN_STATUSES)] if open_only else []))]
        else:  # SQLite's bound-parameter limit
            batches = [moves_of.where(CSC.complaint_id.in_(wanted[i:i + 900]))
                       for i in range(0, len(wanted), 900)]
        for batch in batches:
            for cid, to_status, at in s.execute(batch):
                if cid is not None:
                    moves.setdefault(cid, []).append(Move(to_status, at))
        dated = [r[5] for r in rows if r[5] is not None]
        repeats = _repeat_flags(store, s, (min(dated), max(dated)) if ids is not None and dated
                                else None)
    out: dict[str, Standing] = {}
    for cid, reference, category, severity, status, received, platform_id, liaison in rows:
        target, source = deadlines.pick_target(rules, platform_id=platform_id,
                                               category=category, severity=severity)
        steps = deadlines.step_times(received, moves.get(cid, ()))
        deadline = deadlines.assess(received_on=received, status=status, target=target,
                                    today=today, closed_at=steps.closed)
        flags = escalation.escalations(category=category, deadline=deadline,
                                       repeat=cid in repeats)
        out[cid] = Standing(cid, reference or "", category, severity or "normal", status,
                            received, platform_id, target, source, deadline, steps, flags,
                            liaison)
    return out


def needing_attention(store: Store, *, today: dt.date | None = None,
                      liaison_only: bool = False) -> list[Standing]:
    """Open complaints that are at risk, overdue or flagged, the most urgent first. On a
    liaison officer's device (``liaison_only``): what the police owe — the complaints referred
    to it, late or not."""
    found = standings(store, open_only=True, today=today).values()
    if liaison_only:
        me = store.device_id
        chosen = [st for st in found if st.status == "referred"
                  and st.liaison_device_id in (None, "", me)]
    else:
        chosen = [st for st in found if (st.deadline is not None and st.deadline.late)
                  or st.flags]
    return sorted(chosen, key=lambda st: (deadlines.urgency_key(st.deadline),
                                          -len(st.flags), st.reference, st.id))


def by_urgency(store: Store, *, limit: int = 8, liaison_only: bool = False,
               today: dt.date | None = None) -> tuple[list[Standing], int]:
    """Open complaints, the most urgent first (overdue, longest overdue first; at risk; then
    by due date), at most ``limit``, and how many are open. ``liaison_only``: what the police
    owe — the complaints referred to this device (or to the police without naming one)."""
    found = list(standings(store, open_only=True, today=today).values())
    if liaison_only:
        me = store.device_id
        found = [st for st in found if st.status == "referred"
                 and st.liaison_device_id in (None, "", me)]
    found.sort(key=lambda st: (deadlines.urgency_key(st.deadline), -len(st.flags),
                               st.reference, st.id))
    return found[:limit], len(found)


def standing_of(store: Store, complaint_id: str, *, today: dt.date | None = None
                ) -> Standing | None:
    """One complaint's standing (None when there is no such complaint)."""
    return standings(store, [complaint_id], today=today).get(complaint_id)
