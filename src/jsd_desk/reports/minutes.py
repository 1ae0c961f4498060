"""Meeting minutes (*procès-verbal*) of a dialogue session as PDF.

``render_minutes`` is a pure function of a ``MinutesData`` snapshot (made by
``services.minutes``), the document language, the audience profile and the moment of
generation. The snapshot holds nothing about complainants and nothing the minutes do not print:
complaints come as reference, category and status only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_
from jsd_desk.reports import fonts
from jsd_desk.reports.localize import DASH, Tr
from jsd_desk.reports.pdfdoc import (
    ACCENT,
    ALERT,
    ALERT_BACKGROUND,
    INK,
    RULE,
    SHADE,
    SHADE_LIGHT,
    CancelCheck,
    DocMeta,
    Heading,
    PageDecor,
    Progress,
    RenderedPdf,
    Styles,
    build_pdf,
    make_styles,
    text,
)

PROFILES = ("platform", "public")
# What an amendment corrects, when it names a field or a part of the minutes by its code.
AMENDED_FIELDS = {
    "title": N_("Title"), "kind": N_("Kind of session"), "starts_at": N_("Date"),
    "ends_at": N_("Time"), "venue": N_("Venue"), "facilitator": N_("Facilitator"),
    "minutes": N_("Minutes"), "agenda": N_("Agenda"), "attendance": N_("Attendance"),
    "concerns": N_("Concerns raised"), "complaints": N_("Complaints received"),
    "action_items": N_("New action items"), "follow_up": N_("Follow-up of earlier action items"),
}
CONTENT_WIDTH = 174 * mm  # A4 less 18 mm margins


@dataclass(frozen=True)
class AgendaEntry:
    id: str
    position: int
    title: str
    notes: str | None


@dataclass(frozen=True)
class ConcernEntry:
    id: str
    theme: str | None
    description: str
    raised_by: str | None
    priority_problem: str | None


@dataclass(frozen=True)
class ComplaintEntry:
    id: str
    reference: str
    category: str | None
    status: str | None


@dataclass(frozen=True)
class ActionEntry:
    id: str
    description: str
    party: str | None
    owner: str | None
    due_on: dt.date | None
    priority_problem: str | None


@dataclass(frozen=True)
class FollowUpNote:
    recorded_on: dt.date | None
    note: str


@dataclass(frozen=True)
class FollowUpEntry:
    """An action item agreed in an earlier session, as it stands in this one."""

    id: str
    description: str
    party: str | None
    owner: str | None
    due_on: dt.date | None
    agreed_on: dt.date | None
    status_before: str
    status_after: str
    notes: tuple[FollowUpNote, ...]

    @property
    def changed(self) -> bool:
        return self.status_before != self.status_after


@dataclass(frozen=True)
class AmendmentEntry:
    id: str
    field: str | None
    text: str
    recorded_at: dt.datetime | None


@dataclass(frozen=True)
class MinutesData:
    session_id: str
    title: str
    kind: str | None
    status: str | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    venue: str | None
    facilitator: str | None
    finalized_at: dt.datetime | None
    platform: str | None
    place_path: tuple[str, ...]
    minutes_text: str | None
    agenda: tuple[AgendaEntry, ...]
    attendance: tuple[tuple[str, str, int], ...]  # (category, gender, count), one per cell
    concerns: tuple[ConcernEntry, ...]
    complaints: tuple[ComplaintEntry, ...]
    new_actions: tuple[ActionEntry, ...]
    follow_ups: tuple[FollowUpEntry, ...]
    amendments: tuple[AmendmentEntry, ...]

    @property
    def is_draft(self) -> bool:
        return self.status != "finalized"


@dataclass(frozen=True)
class AttendanceTable:
    """The category × gender grid with its totals, all computed from the same cells."""

    categories: tuple[str, ...]
    genders: tuple[str, ...]
    cells: dict[tuple[str, str], int]

    @classmethod
    def of(cls, rows: Sequence[tuple[str, str, int]]) -> AttendanceTable:
        cells: dict[tuple[str, str], int] = {}
        for category, gender, count in rows:
            cells[(category, gender)] = cells.get((category, gender), 0) + count
        known_c = vocab.PARTICIPANT_CATEGORY.codes()
        known_g = vocab.GENDER.codes()
        # Codes from a newer version (arriving by sync) get their own row or column.
        extra_c = sorted({c for c, _g in cells} - set(known_c))
        extra_g = sorted({g for _c, g in cells} - set(known_g))
        return cls(known_c + tuple(extra_c), known_g + tuple(extra_g), cells)

    def cell(self, category: str, gender: str) -> int:
        return self.cells.get((category, gender), 0)

    def row_total(self, category: str) -> int:
        return sum(self.cell(category, g) for g in self.genders)

    def column_total(self, gender: str) -> int:
        return sum(self.cell(c, gender) for c in self.categories)

    @property
    def total(self) -> int:
        return sum(self.cells.values())


def _table(rows: list[list[Flowable | str]], widths: Sequence[float], *, header_rows: int = 1,
           total_row: bool = False, zebra: bool = True, right: Sequence[int] = ()) -> Table:
    """A data table. Cells that are plain strings (numbers, dates: one short line) are drawn
    directly, much faster than a Paragraph; ``right`` lists the columns aligned right."""
    table = Table(rows, colWidths=list(widths), repeatRows=header_rows, hAlign="LEFT")
    style: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("LEADING", (0, 0), (-1, -1), 11),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, ACCENT),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
    ]
    if zebra and len(rows) > header_rows + 1:
        style.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [None, SHADE_LIGHT]))
    style += [("ALIGN", (col, 0), (col, -1), "RIGHT") for col in right]
    if total_row:
        style += [("BACKGROUND", (0, -1), (-1, -1), SHADE),
                  ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT)]
    table.setStyle(style)
    return table


class _Minutes:
    """Builds the story of one document; one instance per rendering."""

    def __init__(self, data: MinutesData, tr: Tr, profile: str, styles: Styles) -> None:
        self.d = data
        self.t = tr
        self.profile = profile
        self.s = styles
        self.number = 0
        self.story: list[Flowable] = []

    # -- small helpers --------------------------------------------------------------------------

    def p(self, value: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(value, style or self.s.body)

    def cell(self, value: str | None, *, bold: bool = False, right: bool = False) -> Paragraph:
        style = self.s.cell_bold if bold else self.s.cell_right if right else self.s.cell
        return Paragraph(text(value) if value else DASH, style)

    def head(self, value: str, *, right: bool = False) -> Paragraph:
        return Paragraph(text(value), self.s.cell_head_right if right else self.s.cell_head)

    def heading(self, key: str, label: str) -> None:
        self.number += 1
        self.story.append(CondPageBreak(30 * mm))
        self.story.append(Heading(f"{self.number}. {label}", self.s.h1, key))

    def none(self, label: str) -> None:
        self.story.append(self.p(text(label), self.s.muted))

    # -- sections -------------------------------------------------------------------------------

    def build(self) -> list[Flowable]:
        self.title_block()
        self.attendance()
        if self.profile == "public":
            self.in_brief()
            self.new_actions()
            self.follow_ups()
        else:
            self.agenda()
            self.minutes_text()
            self.concerns()
            self.complaints()
            self.new_actions()
            self.follow_ups()
            if self.d.amendments:
                self.amendments()
        self.signatures()
        return self.story

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
        self.story.append(_table(rows, widths, total_row=True, right=range(1, n + 1)))
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
        self.story.append(_table(rows, [9 * mm, 38 * mm, 95 * mm, 32 * mm], right=[0]))

    def complaints(self) -> None:
        t = self.t
        self.heading("complaints", t(N_("Complaints received")))
        self.story.append(self.p(text(t(N_(
            "Only the reference, category and status of each complaint are given here; the "
            "identity of complainants is never printed."))), self.s.muted))
        if not self.d.complaints:
            self.none(t(N_("No complaint was received in this session.")))
            return
        rows: list[list[Flowable | str]] = [[
            self.head(t(N_("Reference"))), self.head(t(N_("Category"))),
            self.head(t(N_("Status")))]]
        for c in self.d.complaints:
            rows.append([self.cell(c.reference), self.cell(t.term(vocab.COMPLAINT_CATEGORY,
                                                                  c.category)),
                         self.cell(t.term(vocab.COMPLAINT_STATUS, c.status))])
        self.story.append(_table(rows, [42 * mm, 82 * mm, 50 * mm]))

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
        self.story.append(_table(rows, [9 * mm, 78 * mm, 30 * mm, 32 * mm, 25 * mm], right=[0]))

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
        self.story.append(_table(rows, [54 * mm, 30 * mm, 22 * mm, 28 * mm, 40 * mm]))

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
        self.story.append(_table(rows, [26 * mm, 36 * mm, 112 * mm]))

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


def document_title(data: MinutesData, tr: Tr) -> str:
    date, _times = tr.when(data.starts_at, data.ends_at)
    return tr(N_("Minutes: {title}, {date}"), title=data.title, date=date)


def render_minutes(data: MinutesData, *, lang: str, profile: str, fingerprint: str,
                   keywords: str, generated_at: dt.datetime, progress: Progress | None = None,
                   cancelled: CancelCheck | None = None) -> RenderedPdf:
    """The minutes as PDF bytes. ``fingerprint`` is printed in every footer (its short form);
    ``keywords`` go into the metadata for ``verify-minutes``."""
    tr = Tr(lang)
    styles = make_styles()
    story = _Minutes(data, tr, profile, styles).build()
    date, _times = tr.when(data.starts_at, data.ends_at)
    place = " › ".join(data.place_path)
    meta = DocMeta(
        title=document_title(data, tr),
        author=data.facilitator or data.platform or "JSD Desk",
        subject=tr(N_("Minutes of a dialogue session of the platform {platform} ({place})"),
                   platform=data.platform or DASH, place=place or DASH),
        keywords=keywords,
        lang={"fr": "fr-FR", "en": "en-GB"}.get(tr.lang, tr.lang),
    )
    header = " — ".join(x for x in (data.platform, data.title, date) if x)
    decor = PageDecor(
        footer_left=tr(N_("Generated on {date} by JSD Desk"), date=tr.date(generated_at.date())),
        footer_center=tr(N_("Session {session} · fingerprint {fingerprint}"),
                         session=data.session_id[:8], fingerprint=fingerprint),
        page_of=tr(N_("Page {page} of {pages}")),
        header=header,
        watermark=tr(N_("DRAFT")) if data.is_draft else None,
    )
    return build_pdf(story, meta, decor, progress=progress, cancelled=cancelled)
