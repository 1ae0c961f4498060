"""The sections about commitments: the action items agreed in the session and the follow-up
of earlier ones."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_
from jsd_desk.reports.localize import DASH
from jsd_desk.reports.minutes.layout import Builder, data_table
from jsd_desk.reports.pdfdoc import text


class CommitmentSections(Builder):
    def new_actions(self) -> None:
        t = self.t
        self.heading("actions", t(N_("New action items")))
        if not self.d.new_actions:
            self.none(t(N_("No action item was agreed in this session.")))
            return
        rows: list[list[Flowable | str]] = [[
            self.head("#", right=True), self.head(t(N_("Action item"))),
            self.head(t(N_("Responsible party"))), self.head(t(N_("Owner"))),
            self.head(t(N_("Due date")))]]
        for n, a in enumerate(self.d.new_actions, start=1):
            description = text(a.description)
            if a.priority_problem:
                description += "<br/><i>" + text(t(N_("Priority problem: {title}"),
                                                   title=a.priority_problem)) + "</i>"
            rows.append([str(n), Paragraph(description, self.s.cell),
                         self.cell(t.term(vocab.RESPONSIBLE_PARTY, a.party)), self.cell(a.owner),
                         t.short_date(a.due_on)])
        self.story.append(data_table(rows, [9 * mm, 78 * mm, 30 * mm, 32 * mm, 25 * mm], right=[0]))

    def follow_ups(self) -> None:
        t = self.t
        self.heading("follow_up", t(N_("Follow-up of earlier action items")))
        if not self.d.follow_ups:
            self.none(t(N_("No earlier action item was open or followed up.")))
            return
        rows: list[list[Flowable | str]] = [[
            self.head(t(N_("Action item"))), self.head(t(N_("Responsible"))),
            self.head(t(N_("Due date"))), self.head(t(N_("Status"))),
            self.head(t(N_("Follow-up")))]]
        for f in self.d.follow_ups:
            what = text(f.description)
            if f.agreed_on:
                what += "<br/><font color='#5A6470'>" + text(t(N_("agreed on {date}"),
                                                               date=t.date(f.agreed_on))) + "</font>"
            who = text(t.term(vocab.RESPONSIBLE_PARTY, f.party))
            if f.owner:
                who += "<br/>" + text(f.owner)
            before = text(t.term(vocab.ACTION_STATUS, f.status_before))
            after = text(t.term(vocab.ACTION_STATUS, f.status_after))
            unchanged = text(t(N_("unchanged")))
            status = (f"{before} → <b>{after}</b>" if f.changed
                      else f"{after}<br/><font color='#5A6470'>{unchanged}</font>")
            notes = "<br/>".join(
                (f"<font color='#5A6470'>{text(t.short_date(n.recorded_on))}</font> "
                 if n.recorded_on else "") + text(n.note) for n in f.notes)
            rows.append([Paragraph(what, self.s.cell), Paragraph(who, self.s.cell),
                         self.cell(t.short_date(f.due_on)), Paragraph(status, self.s.cell),
                         Paragraph(notes or DASH, self.s.cell)])
        self.story.append(data_table(rows, [54 * mm, 30 * mm, 22 * mm, 28 * mm, 40 * mm]))
