"""The quarterly report (PDF) a ministry hands to the minister and to donors: key figures with
the previous period beside them, a summary in sentences, charts and tables per theme, figures by
region, and what each figure means. Every number comes from ``services.indicators``; how it is
written (styles, numbers, tables) is ``quarterly_writer``."""

from __future__ import annotations

import datetime as dt

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_
from jsd_desk.reports import charts, fonts
from jsd_desk.reports import indicator_text as words
from jsd_desk.reports.localize import Tr
from jsd_desk.reports.pdfdoc import (
    ACCENT,
    MUTED,
    RULE,
    SHADE_LIGHT,
    CancelCheck,
    DocMeta,
    Heading,
    PageDecor,
    Progress,
    RenderedPdf,
    build_pdf,
    text,
)
from jsd_desk.reports.quarterly_writer import QuarterlyData, ReportWriter
from jsd_desk.services.indicators import (
    INDICATORS,
    TOTAL,
    UNKNOWN,
    IndicatorSet,
    indicator,
    period_bounds,
    quarter_of,
)

CONTENT_WIDTH = 174 * mm
TOP_THEMES = 10


def _cells(result: IndicatorSet, code: str, *, option: str | None = None) -> dict[str, int | float]:
    """category → value, for one place and period (the result's only ones)."""
    return {v.category: v.value for v in result.of(code)
            if (option is None and v.option in ("", TOTAL)) or v.option == option}


class _Report(ReportWriter):
    """The sections of the report, in the order they are printed."""

    # -- the document ----------------------------------------------------------------------------

    def period_title(self) -> str:
        f = self.d.headline.filters
        if f.date_from and f.date_to and quarter_of(f.date_from) == quarter_of(f.date_to) \
                and period_bounds(quarter_of(f.date_from)) == (f.date_from, f.date_to):
            return words.period_label(self.t, quarter_of(f.date_from))
        return words.date_range(self.t, f.date_from, f.date_to)

    def build(self) -> list[Flowable]:
        self.title_block()
        self.key_figures()
        self.summary()
        self.sessions()
        self.participation()
        self.concerns()
        self.complaints()
        self.actions()
        self.by_place()
        self.definitions()
        return self.story

    def title_block(self) -> None:
        t, f = self.t, self.d.headline.filters
        self.story.append(self.p(text(t(N_("Justice and Security Dialogue")).upper()), self.s.muted))
        self.story.append(Heading(t(N_("Quarterly report on community–police dialogue")),
                                  self.s.title, "title"))
        subtitle = self.period_title()
        if f.date_from and f.date_to and subtitle != words.date_range(t, f.date_from, f.date_to):
            subtitle += " · " + words.date_range(t, f.date_from, f.date_to)
        self.story.append(self.p(text(subtitle), self.s.subtitle))
        scope = [t(N_("{what}: {value}"), what=what, value=value)
                 for what, value in words.filter_lines(t, self.d.headline)[1:]]
        self.story.append(self.p(text("  ·  ".join(scope)), self.s.muted))
        self.story.append(Spacer(1, 4 * mm))

    def key_figures(self) -> None:
        t = self.t
        prev = self.d.previous if self.d.previous is not None and self.d.previous.values else None
        tiles = [
            ("sessions_held", N_("dialogue sessions held")),
            ("participants", N_("participants")),
            ("participants_share_women", N_("of participants were women")),
            ("participants_share_youth", N_("of participants were young people")),
            ("complaints_by_category", N_("complaints received")),
            ("complaints_days_to_resolve_median", N_("median days to resolve a complaint")),
            ("complaints_share_open_30", N_("of complaints still open after 30 days")),
            ("actions_completion_rate", N_("of commitments carried out")),
        ]
        big = ParagraphStyle("tile", parent=self.s.body, fontName=fonts.BOLD, fontSize=19,
                             leading=23, textColor=ACCENT, spaceAfter=1)
        caption_style = ParagraphStyle("tile_caption", parent=self.s.small, spaceAfter=1)
        cells: list[list[object]] = []
        row: list[object] = []
        for code, caption in tiles:
            now = self.value(code)
            if now is None and indicator(code).unit == "count":
                now = 0  # nothing counted is zero; a share or a delay of nothing is undefined
            parts = [Paragraph(text(self.shown(code, now)), big),
                     Paragraph(text(t(caption)), caption_style)]
            if prev is not None:
                before = self.value(code, prev)
                parts.append(Paragraph(text(t(N_("previous period: {value}"),
                                              value=self.shown(code, before))), self.s.muted))
            row.append(parts)
            if len(row) == 4:
                cells.append(row)
                row = []
        table = Table(cells, colWidths=[CONTENT_WIDTH / 4] * 4, hAlign="LEFT")
        table.setStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                        ("BACKGROUND", (0, 0), (-1, -1), SHADE_LIGHT),
                        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                        ("INNERGRID", (0, 0), (-1, -1), 0.6, colors.white),
                        ("LINEABOVE", (0, 0), (-1, 0), 1.4, ACCENT),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 7),
                        ("TOPPADDING", (0, 0), (-1, -1), 6),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 8)])
        self.story += [table, Spacer(1, 4 * mm)]

    def summary(self) -> None:
        t = self.t
        sessions = self.value("sessions_held") or 0
        people = self.value("participants") or 0
        complaints = self.value("complaints_by_category") or 0
        made = self.value("actions_made") or 0
        self.story.append(Heading(t(N_("In brief")), self.s.h1, "brief"))
        if not sessions:
            lines = [t(N_("No session was held in this period."))]
        else:
            lines = [self.ngettext("{n} dialogue session was held.",
                                   "{n} dialogue sessions were held.", int(sessions),
                                   n=self.num(sessions))]
        if people:
            lines.append(self.ngettext(
                "It brought together {n} participant: {women} women and {youth} young people.",
                "They brought together {n} participants: {women} women and {youth} young people.",
                int(sessions), n=self.num(people),
                women=self.pct(self.value("participants_share_women")),
                youth=self.pct(self.value("participants_share_youth"))))
        if complaints:
            lines.append(self.ngettext(
                "{n} complaint was received ({police} about the conduct of security forces).",
                "{n} complaints were received ({police} about the conduct of security forces).",
                int(complaints), n=self.num(complaints),
                police=self.pct(self.value("complaints_share_police_conduct"))))
            median = self.value("complaints_days_to_resolve_median")
            if median is not None:
                lines.append(t(N_("Half of the complaints resolved took {median} days or less."),
                               median=self.days(median)))
        else:
            lines.append(t(N_("No complaint was received in this period.")))
        if made:
            lines.append(self.ngettext(
                "Of {n} commitment made, {done} carried out, {overdue} overdue.",
                "Of {n} commitments made, {done} carried out, {overdue} overdue.",
                int(made), n=self.num(made), done=self.num(self.value("actions_done") or 0),
                overdue=self.num(self.value("actions_overdue") or 0)))
        self.story += [self.p(text(line)) for line in lines]

    def _month_labels(self) -> list[str]:
        """Every month of the period (those without any activity too), or those with data."""
        f = self.d.headline.filters
        months = {v.period for v in self.d.by_month.values}
        if f.date_from and f.date_to:
            day = f.date_from.replace(day=1)
            while day <= f.date_to and len(months) < 36:
                months.add(f"{day.year}-{day.month:02d}")
                day = (day + dt.timedelta(days=32)).replace(day=1)
        return sorted(months)

    def sessions(self) -> None:
        t = self.t
        self.heading(N_("Dialogue sessions"), "sessions")
        kinds = _cells(self.d.headline, "sessions_held")
        total = kinds.get(TOTAL, 0)
        if not total:
            self.note(t(N_("No session was held in this period.")))
            return
        places = self._places("sessions_held")
        chart = charts.hbars([self.place_name(c) for c, _v in places], [[v for _c, v in places]],
                             width=CONTENT_WIDTH, fmt=self.num)
        rows: list[list[Flowable | str]] = [[t(N_("Kind of session")), t(N_("Sessions"))]]
        for code in [c for c in vocab.SESSION_KIND.codes() if c in kinds] + \
                [c for c in kinds if c not in vocab.SESSION_KIND and c != TOTAL]:
            rows.append([self.label("session_kind", code), self.num(kinds[code])])
        rows.append([t(N_("Total")), self.num(total)])
        months = self._month_labels()
        per_month = {v.period: v.value for v in self.d.by_month.of("sessions_held") if v.category == TOTAL}
        trend = charts.vbars([words.period_label(t, m) for m in months],
                             [[per_month.get(m, 0) for m in months]], width=CONTENT_WIDTH * 0.55,
                             height=120, fmt=self.num)
        self.block(self.p(text(t(N_("Sessions held by region"))), self.s.cell_head), chart)
        side = Table([[self.table(rows, [52 * mm, 22 * mm], total_row=True), trend]],
                     colWidths=[CONTENT_WIDTH * 0.45, CONTENT_WIDTH * 0.55], hAlign="LEFT")
        side.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                       ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR)])
        self.story += [Spacer(1, 2 * mm), side]

    def place_name(self, code: str) -> str:
        return words.place_label(self.t, self.d.by_place, code)

    def _places(self, code: str, category: str = TOTAL, option: str | None = None) -> list[tuple[str, float]]:
        values = [(v.place, float(v.value)) for v in self.d.by_place.of(code)
                  if v.category == category and ((option is None and v.option in ("", TOTAL))
                                                 or v.option == option)]
        return sorted(values, key=lambda pv: (-pv[1], pv[0]))

    def participation(self) -> None:
        t = self.t
        self.heading(N_("Participation"), "participation")
        if not self.value("participants"):
            self.note(t(N_("No attendance was recorded in this period.")))
            return
        cells = {(v.category, v.option): int(v.value) for v in self.d.headline.of("participants")}
        cats = [c for c in vocab.PARTICIPANT_CATEGORY.codes() if (c, TOTAL) in cells]
        cats += sorted(c for c, _g in cells if c not in cats and c != TOTAL and _g == TOTAL)
        genders = [g for g in (*vocab.GENDER.codes(), UNKNOWN) if (TOTAL, g) in cells]
        chart = charts.hbars([self.label("participant_category", c) for c in cats],
                             [[cells.get((c, g), 0) for c in cats] for g in genders],
                             names=[self.label("gender", g) for g in genders],
                             palette=[charts.GENDER_COLOURS.get(g, MUTED) for g in genders],
                             stacked=True, width=CONTENT_WIDTH, fmt=self.num)
        head: list[Flowable | str] = [t(N_("Participant category"))]
        head += [self.label("gender", g) for g in genders] + [t(N_("Total"))]
        rows: list[list[Flowable | str]] = [head]
        for c in [*cats, TOTAL]:
            rows.append([self.label("participant_category", c) if c != TOTAL else t(N_("Total")),
                         *[self.num(cells.get((c, g), 0)) for g in genders],
                         self.num(cells.get((c, TOTAL), 0))])
        width = (CONTENT_WIDTH - 60 * mm) / (len(genders) + 1)
        self.block(self.p(text(t(N_("Participants by category and gender"))), self.s.cell_head),
                   chart)
        self.story += [Spacer(1, 2 * mm),
                       self.table(rows, [60 * mm] + [width] * (len(genders) + 1), total_row=True)]

    def concerns(self) -> None:
        t = self.t
        self.heading(N_("Concerns raised"), "concerns")
        themes = _cells(self.d.headline, "concerns_by_theme")
        total = themes.pop(TOTAL, 0)
        if not total:
            self.note(t(N_("No concern was recorded in this period.")))
            return
        top = sorted(themes.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_THEMES]
        chart = charts.hbars([self.label("theme", k) for k, _v in top], [[v for _k, v in top]],
                             width=CONTENT_WIDTH, fmt=self.num, label_width=210)
        self.block(self.p(text(t(N_("The {n} themes raised most often ({total} concerns in "
                                    "all)"), n=len(top), total=self.num(total))), self.s.cell_head),
                   chart)
        problems = _cells(self.d.headline, "concerns_by_priority_problem")
        problems.pop(TOTAL, None)
        linked = sorted(((k, v) for k, v in problems.items() if k != UNKNOWN),
                        key=lambda kv: (-kv[1], kv[0]))[:TOP_THEMES]
        if linked:
            rows: list[list[Flowable | str]] = [[t(N_("Priority problem")), t(N_("Concerns"))]]
            rows += [[self.p(text(self.label("priority_problem", k)), self.s.cell), self.num(v)]
                     for k, v in linked]
            self.story += [Spacer(1, 2 * mm), self.table(rows, [140 * mm, 30 * mm])]
        unlinked = problems.get(UNKNOWN, 0)
        if unlinked:
            self.story.append(Spacer(1, 1.5 * mm))
            self.note(t(N_("{n} concerns are linked to no priority problem."), n=self.num(unlinked)))

    def complaints(self) -> None:
        t = self.t
        self.heading(N_("Complaints"), "complaints")
        by_cat = _cells(self.d.headline, "complaints_by_category")
        total = by_cat.get(TOTAL, 0)
        if not total:
            self.note(t(N_("No complaint was received in this period.")))
            return
        cats = [c for c in vocab.COMPLAINT_CATEGORY.codes() if c in by_cat]
        cats += sorted(c for c in by_cat if c not in cats and c != TOTAL)
        cats.sort(key=lambda c: -by_cat[c])
        chart = charts.hbars([self.label("complaint_category", c) for c in cats],
                             [[by_cat[c] for c in cats]], width=CONTENT_WIDTH, fmt=self.num,
                             label_width=210)
        self.block(self.p(text(t(N_("Complaints received by category"))), self.s.cell_head), chart)
        self.story.append(Spacer(1, 2 * mm))
        tables: list[Flowable] = []
        for code, dim, title in (("complaints_by_channel", "complaint_channel", N_("Channel")),
                                 ("complaints_by_status", "complaint_status", N_("Current status"))):
            cells = _cells(self.d.headline, code)
            vocabulary = vocab.ALL[dim]
            order = [c for c in vocabulary.codes() if c in cells] + \
                sorted(c for c in cells if c not in vocabulary and c != TOTAL)
            rows: list[list[Flowable | str]] = [[t(title), t(N_("Complaints"))]]
            rows += [[self.label(dim, c), self.num(cells[c])] for c in order]
            rows.append([t(N_("Total")), self.num(cells.get(TOTAL, 0))])
            tables.append(self.table(rows, [52 * mm, 26 * mm], total_row=True))
        pair = Table([tables], colWidths=[CONTENT_WIDTH / 2] * 2, hAlign="LEFT")
        pair.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                       ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR)])
        self.story.append(pair)
        # How fast complaints are handled, by category.
        resolved = _cells(self.d.headline, "complaints_resolved")
        median = _cells(self.d.headline, "complaints_days_to_resolve_median")
        p90 = _cells(self.d.headline, "complaints_days_to_resolve_p90")
        rows = [[t(N_("Category")), t(N_("Complaints")), t(N_("Complaints resolved")),
                 t(N_("Median days")),
                 t(N_("90th percentile"))]]
        for c in [*cats, TOTAL]:
            rows.append([self.label("complaint_category", c) if c != TOTAL else t(N_("Total")),
                         self.num(by_cat.get(c, 0)), self.num(resolved.get(c, 0)),
                         self.days(median.get(c)), self.days(p90.get(c))])
        self.story += [Spacer(1, 3 * mm),
                       KeepTogether([self.p(text(t(N_("Time to resolve"))), self.s.cell_head),
                                     self.table(rows, [62 * mm, 26 * mm, 26 * mm, 28 * mm, 28 * mm],
                                                total_row=True)])]
        self.story.append(Spacer(1, 1.5 * mm))
        self.note(t(N_("Still open 30 days after receipt: {open30}; 90 days after receipt: "
                       "{open90} (among complaints old enough to tell)."),
                    open30=self.pct(self.value("complaints_share_open_30")),
                    open90=self.pct(self.value("complaints_share_open_90"))))

    def actions(self) -> None:
        t = self.t
        self.heading(N_("Commitments (action items)"), "actions")
        made = _cells(self.d.headline, "actions_made")
        if not made.get(TOTAL):
            self.note(t(N_("No commitment was made in this period.")))
            return
        done = _cells(self.d.headline, "actions_done")
        late = _cells(self.d.headline, "actions_overdue")
        rate = _cells(self.d.headline, "actions_completion_rate")
        parties = sorted((c for c in made if c != TOTAL), key=lambda c: (-made[c], c))
        chart = charts.hbars([self.label("responsible_party", c) for c in parties],
                             [[made[c] for c in parties], [done.get(c, 0) for c in parties],
                              [late.get(c, 0) for c in parties]],
                             names=[t(N_("made")), t(N_("done")), t(N_("overdue"))],
                             palette=[charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[3]],
                             width=CONTENT_WIDTH, fmt=self.num, label_width=120)
        rows: list[list[Flowable | str]] = [[t(N_("Responsible party")), t(N_("Made")),
                                             t(N_("Done")), t(N_("Overdue")),
                                             t(N_("Completion rate"))]]
        for c in [*parties, TOTAL]:
            rows.append([self.label("responsible_party", c) if c != TOTAL else t(N_("Total")),
                         self.num(made[c]), self.num(done.get(c, 0)), self.num(late.get(c, 0)),
                         self.pct(rate.get(c))])
        self.block(self.p(text(t(N_("Commitments by responsible party"))), self.s.cell_head), chart)
        self.story += [Spacer(1, 2 * mm),
                       self.table(rows, [62 * mm, 24 * mm, 24 * mm, 28 * mm, 32 * mm],
                                  total_row=True)]

    def by_place(self) -> None:
        t = self.t
        level = self.d.by_place.breakdown.place_level or "region"
        self.heading(N_("Figures by place"), "places")
        columns = [("sessions_held", N_("Sessions")), ("participants", N_("Participants")),
                   ("participants_share_women", N_("Women")),
                   ("complaints_by_category", N_("Complaints")),
                   ("complaints_days_to_resolve_median", N_("Median days")),
                   ("actions_made", N_("Commitments")),
                   ("actions_completion_rate", N_("Carried out"))]
        places = sorted({v.place for v in self.d.by_place.values},
                        key=lambda c: (c == UNKNOWN, self.place_name(c)))
        if not places:
            self.note(t(N_("Nothing was recorded in this period.")))
            return
        head: list[Flowable | str] = [t.term(vocab.PLACE_LEVEL, level)]
        head += [t(title) for _c, title in columns]
        rows: list[list[Flowable | str]] = [head]
        for place in places:
            rows.append([self.p(text(self.place_name(place)), self.s.cell)] +
                        [self.shown(code, self.d.by_place.get(code, place=place))
                         for code, _title in columns])
        rows.append([t(N_("Total"))] + [self.shown(code, self.value(code)) for code, _t in columns])
        width = (CONTENT_WIDTH - 28 * mm) / len(columns)
        self.story.append(self.table(rows, [28 * mm] + [width] * len(columns), total_row=True,
                                     compact=True))

    def definitions(self) -> None:
        t = self.t
        self.heading(N_("What the figures mean"), "definitions")
        rows: list[list[Flowable | str]] = []
        for ind in INDICATORS:
            rows.append([self.p(text(t(ind.title)), self.s.cell_bold),
                         self.p(text(t(ind.meaning)), self.s.cell)])
        table = Table(rows, colWidths=[50 * mm, CONTENT_WIDTH - 50 * mm], hAlign="LEFT")
        table.setStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                        ("LEFTPADDING", (0, 0), (-1, -1), 3),
                        ("TOPPADDING", (0, 0), (-1, -1), 2),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])
        self.story += [table, Spacer(1, 2 * mm)]
        self.note(t(N_("Figures as of {date}. Places follow the place tree: a record counts at its "
                       "platform's place (a complaint's own place first). Sessions, participants, "
                       "concerns and commitments are dated by their session; complaints by the "
                       "date received."), date=t.date(self.d.headline.as_of)))


def render_quarterly(data: QuarterlyData, lang: str, *, generated: dt.datetime,
                     progress: Progress | None = None,
                     cancelled: CancelCheck | None = None) -> RenderedPdf:
    t = Tr(lang)
    report = _Report(data, lang)
    story = report.build()
    title = t(N_("Quarterly report on community–police dialogue"))
    period = report.period_title()
    meta = DocMeta(title=f"{title} — {period}", author="JSD Desk",
                   subject=t(N_("Community–police dialogue: indicators")),
                   keywords="jsd-desk quarterly-report", lang=lang)
    decor = PageDecor(footer_left=f"{title} — {period}",
                      footer_center=t(N_("Generated on {date} by JSD Desk."),
                                      date=t.date(generated.date())),
                      page_of=t(N_("Page {page} of {pages}")), header=f"{title} — {period}")
    return build_pdf(story, meta, decor, progress=progress, cancelled=cancelled)


