"""How the quarterly report writes: the figures it is made from (``QuarterlyData``), its
styles, numbers and dates in the document's language, headings kept with what follows them,
and its tables. ``quarterly`` says what the report contains, section by section."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table

from jsd_desk.i18n import translator
from jsd_desk.i18n.formats import format_decimal, format_number, format_percent
from jsd_desk.reports import fonts
from jsd_desk.reports import indicator_text as words
from jsd_desk.reports.localize import DASH, Tr
from jsd_desk.reports.pdfdoc import (
    ACCENT,
    INK,
    RULE,
    SHADE,
    SHADE_LIGHT,
    Heading,
    Styles,
    make_styles,
    text,
)
from jsd_desk.services.indicators import (
    IndicatorSet,
    indicator,
)


@dataclass(frozen=True)
class QuarterlyData:
    headline: IndicatorSet  # all places together, the whole period
    by_place: IndicatorSet  # by region (or the level asked), the whole period
    by_month: IndicatorSet  # all places together, by month
    previous: IndicatorSet | None  # the period just before, of the same length


class ReportWriter:
    """The story of one PDF in one language, and the pieces it is written with."""

    def __init__(self, data: QuarterlyData, lang: str) -> None:
        self.d = data
        self.t = Tr(lang)
        self.s: Styles = make_styles()
        self.story: list[Flowable] = []

    # -- small helpers ---------------------------------------------------------------------------

    def p(self, value: str, style: object | None = None) -> Paragraph:
        return Paragraph(value, style or self.s.body)

    def ngettext(self, singular: str, plural: str, count: int, /, **params: object) -> str:
        """A sentence in the document's language whose form follows ``n`` (French: 0 and 1 are
        singular)."""
        return translator(self.t.lang).ngettext(singular, plural, count).format(**params)

    def num(self, value: float) -> str:
        return format_number(int(value), locale=self.t.locale)

    def pct(self, value: float | None) -> str:
        return DASH if value is None else format_percent(value, 0, locale=self.t.locale)

    def days(self, value: float | None) -> str:
        return DASH if value is None else format_decimal(value, 1, locale=self.t.locale)

    def value(self, code: str, result: IndicatorSet | None = None, **where: str) -> int | float | None:
        return (result or self.d.headline).get(code, **where)

    def shown(self, code: str, value: int | float | None) -> str:
        return words.value_text(self.t, indicator(code), value)

    def label(self, dimension: str | None, code: str) -> str:
        return words.label(self.t, self.d.headline, dimension, code)

    def heading(self, msgid: str, key: str) -> None:
        self.story.append(CondPageBreak(60 * mm))
        self.story.append(Heading(self.t(msgid), self.s.h1, key))

    def block(self, *flowables: Flowable) -> None:
        """Flowables that stay on one page with the heading just before them."""
        heading = self.story.pop() if self.story and isinstance(self.story[-1], Heading) else None
        self.story.append(KeepTogether([f for f in (heading, *flowables) if f is not None]))

    def note(self, value: str) -> None:
        self.story.append(self.p(text(value), self.s.muted))

    def table(self, rows: list[list[Flowable | str]], widths: Sequence[float], *,
              right_from: int = 1, total_row: bool = False, compact: bool = False) -> Table:
        # Header cells wrap rather than run into their neighbours (long French headers).
        head_right, head = self.s.cell_head_right, self.s.cell_head
        if compact:  # many narrow columns: a smaller header, so that no word is cut
            head_right = ParagraphStyle("head_small_r", parent=head_right, fontSize=7, leading=9)
            head = ParagraphStyle("head_small", parent=head, fontSize=7, leading=9)
        rows = [[Paragraph(text(c), head_right if n >= right_from else head)
                 if isinstance(c, str) else c for n, c in enumerate(rows[0])], *rows[1:]]
        table = Table(rows, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
        style: list[tuple[object, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
            ("FONTNAME", (0, 0), (-1, 0), fonts.BOLD),
            ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ("LEADING", (0, 0), (-1, -1), 11),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("TEXTCOLOR", (0, 0), (-1, 0), ACCENT),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (right_from, 0), (-1, -1), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SHADE_LIGHT]),
        ]
        if compact:
            style += [("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
        if total_row:
            style += [("FONTNAME", (0, -1), (-1, -1), fonts.BOLD),
                      ("BACKGROUND", (0, -1), (-1, -1), SHADE),
                      ("LINEABOVE", (0, -1), (-1, -1), 0.6, ACCENT)]
        table.setStyle(style)
        return table
