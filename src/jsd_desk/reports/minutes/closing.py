"""The closing sections: amendments recorded after finalization, and the signatures."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from jsd_desk.i18n import N_
from jsd_desk.reports import fonts
from jsd_desk.reports.minutes.data import AMENDED_FIELDS
from jsd_desk.reports.minutes.layout import CONTENT_WIDTH, Builder, data_table
from jsd_desk.reports.pdfdoc import RULE, SHADE, Heading, text


class ClosingSections(Builder):
    def amendments(self) -> None:
        t = self.t
        self.heading("amendments", t(N_("Amendments")))
        self.story.append(self.p(text(t(N_(
            "Corrections recorded after the session was finalized."))), self.s.muted))
        rows: list[list[Flowable | str]] = [[
            self.head(t(N_("Recorded on"))), self.head(t(N_("About"))),
            self.head(t(N_("Correction")))]]
        for a in self.d.amendments:
            about = t(AMENDED_FIELDS[a.field]) if a.field in AMENDED_FIELDS else a.field
            rows.append([self.cell(t.short_date(a.recorded_at.date() if a.recorded_at else None)),
                         self.cell(about), self.cell(a.text)])
        self.story.append(data_table(rows, [26 * mm, 36 * mm, 112 * mm]))

    def signatures(self) -> None:
        t = self.t
        self.number += 1
        label = t(N_("Signatures"))
        heading = Heading(f"{self.number}. {label}", self.s.h1, "signatures")
        roles = [(t(N_("Facilitator")), self.d.facilitator),
                 (t(N_("Representative of the security forces")), None),
                 (t(N_("Representative of the community")), None)]
        width = CONTENT_WIDTH / 3
        head = [Paragraph(text(role), self.s.cell_head) for role, _name in roles]
        lines: list[Flowable | str] = []
        for _role, name in roles:
            lines.append(Paragraph(
                text(t(N_("Name:"))) + " " + (text(name) if name else "") + "<br/><br/><br/>"
                + text(t(N_("Signature:"))) + "<br/><br/><br/><br/>" + text(t(N_("Date:"))),
                self.s.cell))
        table = Table([head, lines], colWidths=[width] * 3, hAlign="LEFT")
        table.setStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BOX", (0, 0), (0, -1), 0.6, RULE), ("BOX", (1, 0), (1, -1), 0.6, RULE),
                        ("BOX", (2, 0), (2, -1), 0.6, RULE),
                        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                        ("TOPPADDING", (0, 0), (-1, -1), 4),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 8)])
        self.story.append(Spacer(1, 2 * mm))
        self.story.append(KeepTogether([heading, table]))
