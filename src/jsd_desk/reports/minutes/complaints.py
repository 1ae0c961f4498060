"""The complaints a session received, with the due date of each one's next step (issue 12).

Reference, category, status and deadline only: never the identity, the description or whom it
is against — the minutes go to people who must not read those.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_
from jsd_desk.reports.minutes.layout import Builder, data_table
from jsd_desk.reports.pdfdoc import text


class ComplaintSections(Builder):
    def complaints(self) -> None:
        t = self.t
        self.heading("complaints", t(N_("Complaints received")))
        self.story.append(self.p(text(t(N_(
            "Reference, category, status and deadline only: neither the identity of "
            "complainants nor what they said is ever printed."))),
            self.s.muted))
        if not self.d.complaints:
            self.none(t(N_("No complaint was received in this session.")))
            return
        rows: list[list[Flowable | str]] = [[
            self.head(t(N_("Reference"))), self.head(t(N_("Category"))),
            self.head(t(N_("Status"))), self.head(t(N_("Next step"))),
            self.head(t(N_("Due by")))]]
        for c in self.d.complaints:
            step = t.term(vocab.COMPLAINT_STEP, c.next_step) if c.next_step else None
            rows.append([self.cell(c.reference),
                         self.cell(t.term(vocab.COMPLAINT_CATEGORY, c.category)),
                         self.cell(t.term(vocab.COMPLAINT_STATUS, c.status)), self.cell(step),
                         t.short_date(c.due_on)])
        self.story.append(data_table(rows, [34 * mm, 50 * mm, 28 * mm, 36 * mm, 26 * mm]))
