"""What the demo does on a liaison officer's device: answer for the complaints referred to the
security forces and for the commitments they owe. No sessions, no complainants."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, or_, select

from jsd_desk.domain.errors import PermissionDenied
from jsd_desk.i18n import N_
from jsd_desk.services import actions, complaints
from jsd_desk.services.demo.corpus import OUTCOMES, STATUS_NOTES, pick_weighted
from jsd_desk.services.demo.options import DemoSummary, Progress
from jsd_desk.store import models
from jsd_desk.store.writer import Store

_FORCE_WORDS = ("police", "commissariat", "gendarmerie", "brigade", "garde", "ocrtis", "terroris",
                "inspection")


class LiaisonRun:
    """What a liaison officer does: answer for complaints referred to the security forces and for
    the commitments they owe. No sessions, no complainants."""

    def __init__(self, store: Store, rng: random.Random, summary: DemoSummary,
                 today: dt.date | None, progress: Progress | None) -> None:
        self.store, self.rng, self.summary, self.progress = store, rng, summary, progress
        self.today = today or dt.date.today()

    def run(self) -> None:
        rng = self.rng
        m = models
        last_change = (select(func.max(m.ComplaintStatusChange.changed_at))
                       .where(m.ComplaintStatusChange.complaint_id == m.Complaint.id)
                       .scalar_subquery())
        with self.store.reading() as s:
            cases = [row for row in s.execute(
                select(m.Complaint.id, m.Complaint.referred_to, m.Complaint.language, last_change)
                .where(m.Complaint.status == "referred", m.Complaint.deleted.is_(False),
                       # referred to this device, or to the police without naming one
                       or_(m.Complaint.liaison_device_id.is_(None),
                           m.Complaint.liaison_device_id == self.store.device_id))
                .order_by(m.Complaint.received_on, m.Complaint.reference))
                if row[1] and any(w in row[1].lower() for w in _FORCE_WORDS)]
            items = list(s.execute(
                select(m.ActionItem.id, m.ActionItem.status, m.DialogueSession.starts_at)
                .outerjoin(m.DialogueSession, m.DialogueSession.id == m.ActionItem.session_id)
                .where(m.ActionItem.status.in_(actions.OPEN_STATUSES),
                       m.ActionItem.responsible_party.in_(actions.SECURITY_FORCES),
                       m.ActionItem.deleted.is_(False))
                .order_by(m.ActionItem.due_on, m.ActionItem.description)))
        if not cases and not items:
            raise PermissionDenied(N_("On a liaison officer's device the demo only updates complaints "
                                      "and action items of the security forces, and this device holds "
                                      "none yet."))
        total = len(cases) + len(items)
        # Each answer comes after what is already recorded (demo periods may lie ahead).
        now = dt.datetime.combine(self.today, dt.time(10))
        changed: set[str] = set()
        with self.store.transaction():
            for done, (cid, _to, language, last) in enumerate(cases, start=1):
                li = 1 if language == "en" else 0
                when = now if last is None else max(now, last + dt.timedelta(days=1))
                roll = rng.random()
                moved = True  # False when the same answer was already recorded
                if roll < 0.6:
                    complaints.change_status(self.store, cid, "resolved", at=when,
                                             note=rng.choice(STATUS_NOTES["resolved"])[li])
                    complaints.update_complaint(self.store, cid, outcome=rng.choice(OUTCOMES["resolved"])[li])
                    self.summary.status_changes += 1
                elif roll < 0.75:
                    complaints.change_status(self.store, cid, "closed_unresolved", at=when,
                                             note=rng.choice(STATUS_NOTES["closed_unresolved"])[li])
                    complaints.update_complaint(self.store, cid,
                                                outcome=rng.choice(OUTCOMES["closed_unresolved"])[li])
                    self.summary.status_changes += 1
                else:
                    moved = complaints.update_complaint(self.store, cid, response=(
                        "Enquête en cours ; le plaignant sera informé." if li == 0
                        else "Investigation under way; the complainant will be informed."))
                if moved:
                    changed.add(cid)
                if self.progress:
                    self.progress(done, total)
            for done, (aid, status, agreed) in enumerate(items, start=len(cases) + 1):
                if status == "open":
                    after = pick_weighted(rng, (("in_progress", 50), ("done", 25), ("", 25)))
                else:
                    after = pick_weighted(rng, (("done", 55), ("", 45)))
                note = {"in_progress": "Mise en œuvre commencée par le service.",
                        "done": "Engagement réalisé, compte rendu transmis à la plateforme.",
                        "": "Pas encore de moyens ; le point sera fait à la prochaine séance."}[after]
                day = self.today if agreed is None else max(self.today, agreed.date())
                actions.add_follow_up(self.store, aid, note=note, status_after=after or None,
                                      recorded_on=day)
                self.summary.follow_ups += 1
                if after:
                    changed.add(aid)
                if self.progress:
                    self.progress(done, total)
        self.summary.changed = len(changed)
