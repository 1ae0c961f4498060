"""Indicator figures in words, in a document's language: titles, dimension labels, periods,
formatted values. Shared by the XLSX and the PDF so both say the same thing the same way."""

from __future__ import annotations

import datetime as dt

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_
from jsd_desk.i18n.formats import format_decimal, format_number, format_percent, month_names
from jsd_desk.reports.localize import Tr
from jsd_desk.services.indicators import (
    TOTAL,
    UNKNOWN,
    Filters,
    Indicator,
    IndicatorSet,
    period_bounds,
)

# Column headers of the dimensions, by dimension name.
DIMENSION_TITLES: dict[str, str] = {
    "session_kind": N_("Kind of session"),
    "platform": N_("Platform"),
    "participant_category": N_("Participant category"),
    "gender": N_("Gender"),
    "theme": N_("Theme"),
    "priority_problem": N_("Priority problem"),
    "complaint_category": N_("Category"),
    "complaint_channel": N_("Channel"),
    "complaint_status": N_("Status"),
    "responsible_party": N_("Responsible party"),
}

UNITS: dict[str, str] = {"count": N_("number"), "share": N_("share (%)"), "days": N_("days")}


def dimension_title(tr: Tr, dimension: str | None) -> str:
    return tr(DIMENSION_TITLES.get(dimension or "", N_("Category")))


def label(tr: Tr, result: IndicatorSet, dimension: str | None, code: str) -> str:
    """What a dimension code stands for: a vocabulary term, a platform's or problem's name."""
    if code == TOTAL:
        return tr(N_("Total"))
    if code == UNKNOWN:
        return tr(N_("Not recorded"))
    if not code:
        return ""
    if dimension in vocab.ALL:
        return tr.term(vocab.ALL[dimension], code)
    if dimension == "gender":
        return tr.term(vocab.GENDER, code)
    name = result.name(dimension or "", code)
    if dimension == "theme" and name:
        return name[:1].upper() + name[1:]
    return name or code


def place_label(tr: Tr, result: IndicatorSet, code: str) -> str:
    if code == TOTAL:
        return tr(N_("All places"))
    if code == UNKNOWN:
        return tr(N_("Place not recorded"))
    return result.name("place", code) or code


def period_label(tr: Tr, period: str) -> str:
    """``2026-11`` → "novembre 2026" / "November 2026"; ``2026-Q4`` → "T4 2026" / "Q4 2026"."""
    if period == TOTAL:
        return tr(N_("All time"))
    start, end = period_bounds(period)
    if "-Q" in period:
        return tr(N_("Q{quarter} {year}"), quarter=period[-1], year=period[:4])
    if len(period) == 7 and start is not None:
        return f"{month_names(locale=tr.locale)[start.month - 1]} {start.year}"
    if len(period) == 4:
        return period
    return date_range(tr, start, end)


def date_range(tr: Tr, start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return tr(N_("{start} to {end}"), start=tr.date(start), end=tr.date(end))
    if start:
        return tr(N_("from {start}"), start=tr.date(start))
    if end:
        return tr(N_("until {end}"), end=tr.date(end))
    return tr(N_("All time"))


def value_text(tr: Tr, ind: Indicator, value: int | float | None) -> str:
    if value is None:
        return "—"
    if ind.unit == "share":
        return format_percent(value, 1, locale=tr.locale)
    if ind.unit == "days":
        return format_decimal(value, 1, locale=tr.locale)
    return format_number(int(value), locale=tr.locale)


_GRAINS = {"month": N_("by month"), "quarter": N_("by quarter"), "year": N_("by year"),
           "all": N_("over the whole period")}


def breakdown_text(tr: Tr, result: IndicatorSet) -> str:
    level = result.breakdown.place_level
    where = (tr(N_("by {level}"), level=tr.term(vocab.PLACE_LEVEL, level).lower()) if level
             else tr(N_("all places together")))
    return f"{where}, {tr(_GRAINS[result.breakdown.period])}"


def filter_lines(tr: Tr, result: IndicatorSet) -> list[tuple[str, str]]:
    """(what, value) pairs that say which records the figures cover."""
    f: Filters = result.filters
    place = tr(N_("All places"))
    if f.place_id:
        code = result.name("place_ids", f.place_id) or f.place_id
        place = f"{result.name('place', code) or code} ({code})"
    platform = result.name("platform", f.platform_id) if f.platform_id else None
    return [
        (tr(N_("Period")), date_range(tr, f.date_from, f.date_to)),
        (tr(N_("Place")), place),
        (tr(N_("Platform")), platform or (f.platform_id or tr(N_("All platforms")))),
        (tr(N_("Kind of session")), tr.term(vocab.SESSION_KIND, f.kind) if f.kind else tr(N_("All kinds"))),
        (tr(N_("Reference date")), tr.date(result.as_of)),
    ]
