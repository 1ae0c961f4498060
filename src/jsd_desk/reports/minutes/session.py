"""The sections about the session itself: title block, attendance, the public summary, agenda,
minutes text and the concerns raised."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_
from jsd_desk.reports import fonts
from jsd_desk.reports.minutes.data import AttendanceTable
from jsd_desk.reports.minutes.layout import CONTENT_WIDTH, Builder, data_table
from jsd_desk.reports.pdfdoc import ALERT, ALERT_BACKGROUND, RULE, SHADE, Heading, text


class SessionSections(Builder):
    def title_block(self) -> None:
        t, d = self.t, self.d
        self.story.append(self.p(text(t(N_("Justice and Security Dialogue")).upper()), self.s.muted))
        title = (t(N_("Public summary of the dialogue session")) if self.profile == "public"
                 else t(N_("Minutes of the dialogue session")))
        self.story.append(Heading(title, self.s.title, "title"))
        self.story.append(self.p(text(d.title), self.s.subtitle))
        if d.is_draft:
            banner = Table([[self.p(text(t(N_("DRAFT — the session is not finalized; these "
                                              "minutes may still change."))), self.s.banner)]],
                           colWidths=[CONTENT_WIDTH], hAlign="LEFT")
            banner.setStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                             ("BOX", (0, 0), (-1, -1), 0.8, ALERT),
                             ("BACKGROUND", (0, 0), (-1, -1), ALERT_BACKGROUND),
                             ("TOPPADDING", (0, 0), (-1, -1), 4),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 5)])
            self.story += [banner, Spacer(1, 3 * mm)]
        date, times = t.when(d.starts_at, d.ends_at)
        status = (t(N_("Finalized on {date}"), date=t.date(d.finalized_at.date()))
                  if not d.is_draft and d.finalized_at else t.term(vocab.SESSION_STATUS, d.status))
        pairs = [
            (t(N_("Platform")), d.platform), (t(N_("Place")), " › ".join(d.place_path) or None),
            (t(N_("Kind of session")), t.term(vocab.SESSION_KIND, d.kind)),
            (t(N_("Venue")), d.venue),
            (t(N_("Date")), date), (t(N_("Time")), times),
            (t(N_("Facilitator")), d.facilitator), (t(N_("Status")), status),
        ]
        rows: list[list[Flowable | str]] = []
        for i in range(0, len(pairs), 2):
            row: list[Flowable | str] = []
            for label, value in pairs[i:i + 2]:
                row += [Paragraph(text(label), self.s.cell_head), self.cell(value)]
            rows.append(row)
        table = Table(rows, colWidths=[30 * mm, 57 * mm, 30 * mm, 57 * mm], hAlign="LEFT")
        table.setStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (2, 0), (2, -1), SHADE),
            ("BOX", (0, 0), (-1, -1), 0.6, RULE), ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
        ])
        self.story += [table, Spacer(1, 2 * mm)]

    def attendance(self) -> None:
        t = self.t
        self.heading("attendance", t(N_("Attendance")))
        grid = AttendanceTable.of(self.d.attendance)
        if grid.total == 0:
            self.none(t(N_("No attendance was recorded.")))
            return
        head: list[Flowable | str] = [self.head(t(N_("Category")))]
        head += [self.head(t.term(vocab.GENDER, g), right=True) for g in grid.genders]
        head.append(self.head(t(N_("Total")), right=True))
        rows: list[list[Flowable | str]] = [head]
        for category in grid.categories:
            row: list[Flowable | str] = [self.cell(t.term(vocab.PARTICIPANT_CATEGORY, category))]
            row += [t.number(grid.cell(category, g)) for g in grid.genders]
            row.append(Paragraph(t.number(grid.row_total(category)), self.s.cell_right))
            rows.append(row)
        total: list[Flowable | str] = [self.cell(t(N_("Total")), bold=True)]
        total += [Paragraph(f"<b>{t.number(grid.column_total(g))}</b>", self.s.cell_right)
                  for g in grid.genders]
        total.append(Paragraph(f"<b>{t.number(grid.total)}</b>", self.s.cell_right))
        rows.append(total)
        n = len(grid.genders) + 1
        widths = [62 * mm] + [(CONTENT_WIDTH - 62 * mm) / n] * n
        self.story.append(data_table(rows, widths, total_row=True, right=range(1, n + 1)))
        women = grid.column_total("f")
        self.story += [Spacer(1, 2 * mm), self.p(text(t(
            N_("{total} participants, of whom {women} women ({share})."),
            total=t.number(grid.total), women=t.number(women),
            share=t.percent(women / grid.total))), self.s.muted)]

    def in_brief(self) -> None:
        t, d = self.t, self.d
        self.heading("summary", t(N_("In brief")))
        rows: list[list[Flowable | str]] = [
            [self.cell(t(N_("Concerns raised"))), self.cell(t.number(len(d.concerns)), right=True)],
            [self.cell(t(N_("Complaints received"))),
             self.cell(t.number(len(d.complaints)), right=True)],
            [self.cell(t(N_("New action items"))),
             self.cell(t.number(len(d.new_actions)), right=True)],
            [self.cell(t(N_("Earlier action items followed up"))),
             self.cell(t.number(len(d.follow_ups)), right=True)],
        ]
        table = Table(rows, colWidths=[80 * mm, 20 * mm], hAlign="LEFT")
        table.setStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                        ("TOPPADDING", (0, 0), (-1, -1), 3),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5)])
        self.story.append(table)

    def agenda(self) -> None:
        t = self.t
        self.heading("agenda", t(N_("Agenda")))
        if not self.d.agenda:
            self.none(t(N_("No agenda was recorded.")))
            return
        rows: list[list[Flowable | str]] = []
        for n, item in enumerate(self.d.agenda, start=1):
            body = f"<b>{text(item.title)}</b>"
            if item.notes:
                body += f"<br/>{text(item.notes)}"
            rows.append([Paragraph(f"{n}.", self.s.cell_right), Paragraph(body, self.s.cell)])
        table = Table(rows, colWidths=[9 * mm, CONTENT_WIDTH - 9 * mm], hAlign="LEFT")
        table.setStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 3),
                        ("TOPPADDING", (0, 0), (-1, -1), 2),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])
        self.story.append(table)

    def minutes_text(self) -> None:
        t = self.t
        self.heading("minutes", t(N_("Minutes")))
        body = (self.d.minutes_text or "").strip()
        if not body:
            self.none(t(N_("No minutes text was recorded.")))
            return
        # One paragraph per block of text, so a long record splits across pages cheaply.
        for block in body.replace("\r\n", "\n").split("\n\n"):
            if block.strip():
                self.story.append(self.p(text(block.strip())))

    def concerns(self) -> None:
        t = self.t
        self.heading("concerns", t(N_("Concerns raised")))
        if not self.d.concerns:
            self.none(t(N_("No concern was recorded.")))
            return
        rows: list[list[Flowable | str]] = [[
            self.head("#", right=True), self.head(t(N_("Theme"))),
            self.head(t(N_("Description"))), self.head(t(N_("Raised by")))]]
        for n, c in enumerate(self.d.concerns, start=1):
            description = text(c.description)
            if c.priority_problem:
                description += "<br/><i>" + text(t(N_("Priority problem: {title}"),
                                                   title=c.priority_problem)) + "</i>"
            rows.append([str(n), self.cell(c.theme),
                         Paragraph(description, self.s.cell),
                         self.cell(t.term(vocab.PARTICIPANT_CATEGORY, c.raised_by))])
        self.story.append(data_table(rows, [9 * mm, 38 * mm, 95 * mm, 32 * mm], right=[0]))
