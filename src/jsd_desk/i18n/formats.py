"""Dates, times, numbers and percentages for people, by babel (CLDR), in the current locale.

The format locale is one of ``fr_NE``, ``fr_CI`` (French as written in Niger and Côte
d'Ivoire: ``5 mars 2026``, ``05/03/2026``, ``1 234,5``, weeks from Monday) or ``en``. English is
written day-month-year with a 24-hour clock (``5 Mar 2026``, ``05/03/2026``, ``14:30``,
``1,234.5``, weeks from Monday), as partners in the Sahel write it: CLDR's ``en_GB`` data (see
:data:`CLDR_DATA`), the same as the printed minutes and Qt's date pickers use. US month-day
order next to French dates would be misread. The locale follows the interface language
(:func:`jsd_desk.i18n.set_language`) unless given: a document in another language passes
``locale=lang``.

Plurals are gettext's: ``ngettext("{n} complaint", "{n} complaints", n)`` picks the form by the
catalog's rule (French: 0 and 1 singular). Pass ``count=format_number(n)`` when a large number
must be grouped.
"""

from __future__ import annotations

import datetime as dt
import decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from jsd_desk.i18n import current_locale, locale_for

__all__ = [
    "CLDR_DATA",
    "cldr_code",
    "first_week_day",
    "format_date",
    "format_datetime",
    "format_decimal",
    "format_number",
    "format_percent",
    "format_time",
    "locale_for",
    "month_names",
    "weekday_names",
]

Number = int | float | decimal.Decimal
# The CLDR data behind a format locale, for babel and Qt alike (the others are their own).
CLDR_DATA = {"en": "en_GB"}


def cldr_code(locale: str) -> str:
    """The CLDR locale whose data formats ``locale`` (``en`` → ``en_GB``)."""
    return CLDR_DATA.get(locale, locale)


@lru_cache(maxsize=32)
def _babel_locale(code: str) -> Locale:
    try:
        return Locale.parse(cldr_code(code))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(cldr_code("en"))


def _loc(locale: str | None) -> Locale:
    return _babel_locale(locale_for(locale) if locale else current_locale())


def format_date(value: dt.date, format: str = "medium", *, locale: str | None = None) -> str:
    """``short`` 05/03/2026 · ``medium`` 5 mars 2026 · ``long`` · ``full`` jeudi 5 mars 2026."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return babel_dates.format_date(value, format=format, locale=_loc(locale))


def format_time(value: dt.time | dt.datetime, format: str = "short", *,
                locale: str | None = None) -> str:
    """14:30. A naive value is shown as it is (no zone shift)."""
    if isinstance(value, dt.datetime):
        value = value.time() if value.tzinfo is None else value.timetz()
    return babel_dates.format_time(value, format=format, locale=_loc(locale))


def format_datetime(value: dt.datetime, format: str = "medium", *,
                    locale: str | None = None) -> str:
    """``short`` 05/03/2026 14:30. A naive value is shown as it is (no zone shift)."""
    # babel takes a naive datetime for UTC and shows it in UTC: the wall-clock time stays.
    return babel_dates.format_datetime(value, format=format, locale=_loc(locale))


def format_number(value: Number, *, locale: str | None = None) -> str:
    """1 234 in French (narrow no-break space), 1,234 in English."""
    return babel_numbers.format_decimal(value, locale=_loc(locale))


def format_decimal(value: Number, digits: int = 1, *, locale: str | None = None) -> str:
    """A number with exactly ``digits`` decimals: 42,5 in French, 42.5 in English."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=_loc(locale),
                                        decimal_quantization=True)


def format_percent(fraction: Number, digits: int = 0, *, locale: str | None = None) -> str:
    """0.425 → ``42 %`` in French (no-break space), ``42%`` in English (digits=1: 42,5 %)."""
    loc = _loc(locale)
    pattern = loc.percent_formats[None].pattern
    if digits > 0:
        pattern = pattern.replace("0", "0." + "0" * digits, 1) if "." not in pattern else pattern
    return babel_numbers.format_percent(fraction, format=pattern, locale=loc)


def first_week_day(locale: str | None = None) -> int:
    """The first day of the week: 0 Monday … 6 Sunday (Monday in French)."""
    return _loc(locale).first_week_day


def weekday_names(width: str = "wide", *, locale: str | None = None) -> list[str]:
    """Monday first: ``lundi`` … ``dimanche``."""
    names = _loc(locale).days["format"][width]
    return [names[i] for i in range(7)]


def month_names(width: str = "wide", *, locale: str | None = None) -> list[str]:
    """January first: ``janvier`` … ``décembre``."""
    names = _loc(locale).months["format"][width]
    return [names[i] for i in range(1, 13)]
