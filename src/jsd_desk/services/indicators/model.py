"""The values indicators are asked with and answer with: filters, breakdown, tidy values."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from jsd_desk.domain.errors import UsageError
from jsd_desk.i18n import N_
from jsd_desk.services.indicators.definitions import ORDER, TOTAL

Grain = Literal["month", "quarter", "year", "all"]
GRAINS: tuple[Grain, ...] = ("month", "quarter", "year", "all")
# Levels of the place tree a breakdown can use (domain.vocab.PLACE_LEVEL), coarse to fine.
PLACE_LEVELS = ("country", "region", "department", "commune", "quartier", "village")
LEVEL_RANK = {level: n for n, level in enumerate(PLACE_LEVELS)}
LEVEL_RANK["village"] = LEVEL_RANK["quartier"]  # a village is a quartier's rural counterpart


@dataclass(frozen=True)
class Filters:
    """Which records count. Every field None means no restriction.

    ``place_id`` keeps records at that place or anywhere below it in the place tree; dates are
    inclusive (a session's start date, a complaint's date received)."""

    place_id: str | None = None
    platform_id: str | None = None
    kind: str | None = None  # session kind (domain.vocab.SESSION_KIND)
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise UsageError(N_("The date range is inverted: {start} is after {end}."),
                             start=self.date_from.isoformat(), end=self.date_to.isoformat())


@dataclass(frozen=True)
class Breakdown:
    """How values are split: by place at one level of the tree (None: all places together) and
    by period (``all``: the whole date range as one period)."""

    place_level: str | None = "region"
    period: Grain = "month"

    def __post_init__(self) -> None:
        if self.place_level is not None and self.place_level not in LEVEL_RANK:
            raise UsageError(N_("Unknown place level “{level}”."), level=self.place_level)
        if self.period not in GRAINS:
            raise UsageError(N_("Unknown period “{period}”: use month, quarter, year or all."),
                             period=self.period)


@dataclass(frozen=True, order=True)
class IndicatorValue:
    """One figure of the tidy long form.

    ``place`` is a place code at the breakdown's level (``_T``: all places together, ``_U``: not
    recorded); ``period`` is ``2026-11``, ``2026-Q4``, ``2026`` or, for the whole range,
    ``2026-01-01/2026-03-31`` (``..`` for an open end, ``_T`` for all time); ``category`` and
    ``option`` are codes of the indicator's dimensions (``_T`` the total over that dimension,
    ``_U`` not recorded, ``""`` when the indicator has no such dimension). ``value`` is an int for
    counts and a float already rounded (definitions.DECIMALS) for shares and days."""

    indicator: str
    place: str
    period: str
    category: str
    option: str
    value: int | float

    def sort_key(self) -> tuple[int, str, str, str, str]:
        return (ORDER.get(self.indicator, len(ORDER)), self.place, self.period, self.category,
                self.option)


@dataclass(frozen=True)
class PlaceInfo:
    id: str
    code: str
    name: str
    level: str | None
    parent_id: str | None


@dataclass(frozen=True)
class IndicatorSet:
    """Every indicator computed for one (filters, breakdown, reference date), sorted.

    ``names`` gives readable names for data-driven codes: ``names["place"][code]``,
    ``names["place_ids"][id]`` (a place id's code),
    ``names["platform"][id]``, ``names["priority_problem"][id]``, ``names["theme"][key]``."""

    filters: Filters
    breakdown: Breakdown
    as_of: dt.date
    values: tuple[IndicatorValue, ...]
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __iter__(self) -> Iterator[IndicatorValue]:
        return iter(self.values)

    def of(self, code: str) -> tuple[IndicatorValue, ...]:
        return tuple(v for v in self.values if v.indicator == code)

    def get(self, code: str, *, place: str | None = None, period: str | None = None,
            category: str = TOTAL, option: str | None = None) -> int | float | None:
        """The one value of ``code`` at these coordinates (None: no such value). ``place`` and
        ``period`` default to the only ones present when there is one."""
        hits = [v for v in self.values if v.indicator == code and v.category in (category, "")
                and (place is None or v.place == place) and (period is None or v.period == period)
                and (option is None or v.option == option)]
        if option is None:
            hits = [v for v in hits if v.option in (TOTAL, "")]
        if len(hits) != 1:
            return None
        return hits[0].value

    def places(self) -> tuple[str, ...]:
        return tuple(sorted({v.place for v in self.values}))

    def periods(self) -> tuple[str, ...]:
        return tuple(sorted({v.period for v in self.values}))

    def name(self, dimension: str, code: str) -> str | None:
        return self.names.get(dimension, {}).get(code)


# -- periods --------------------------------------------------------------------------------------

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def period_of(month: str, grain: Grain, filters: Filters) -> str:
    """The label of the period a month (``YYYY-MM``) belongs to at ``grain``."""
    if grain == "month":
        return month
    if grain == "quarter":
        return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"
    if grain == "year":
        return month[:4]
    return range_label(filters)


def range_label(filters: Filters) -> str:
    if filters.date_from is None and filters.date_to is None:
        return TOTAL
    start = filters.date_from.isoformat() if filters.date_from else ".."
    end = filters.date_to.isoformat() if filters.date_to else ".."
    return f"{start}/{end}"


def period_bounds(label: str) -> tuple[dt.date | None, dt.date | None]:
    """First and last day (inclusive) of a period label; None for an open end."""
    if m := _MONTH.match(label):
        start = dt.date(int(m[1]), int(m[2]), 1)
        return start, _next_month(start) - dt.timedelta(days=1)
    if m := _QUARTER.match(label):
        start = dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
        return start, _next_month(_next_month(_next_month(start))) - dt.timedelta(days=1)
    if m := _YEAR.match(label):
        return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
    if label == TOTAL:
        return None, None
    start_text, sep, end_text = label.partition("/")
    if sep:
        try:
            return (None if start_text == ".." else dt.date.fromisoformat(start_text),
                    None if end_text == ".." else dt.date.fromisoformat(end_text))
        except ValueError:
            pass
    raise UsageError(N_("“{period}” is not a period (expected 2026-11, 2026-Q4, 2026 or "
                        "a date range)."), period=label)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def last_full_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last quarter that ended before ``today``: the default span of a quarterly report."""
    start, _end = period_bounds(quarter_of(today))
    assert start is not None
    prev_end = start - dt.timedelta(days=1)
    prev_start, _ = period_bounds(quarter_of(prev_end))
    assert prev_start is not None
    return prev_start, prev_end
