"""What the analyst's Dashboard shows, read from the indicator definitions (services.indicators).

Nothing is computed here that the indicators module does not define: this module only decides
which breakdowns the dashboard asks for — a trend over time, bars by the places one level below
the chosen one, and the totals of the whole selection — and lists the choices its filters
offer. The GUI calls ``figures`` off its thread; the benchmark times the same call.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from jsd_desk.services import indicators as ind
from jsd_desk.services.platforms import PlaceNode, descendants, place_nodes, platform_rows
from jsd_desk.store.writer import Store

# The levels a place filter offers, coarse to fine (region → commune → quartier, with the
# department and the village where a country's tree has them).
FILTER_LEVELS = ("region", "department", "commune", "quartier", "village")
TREND_GRAINS: tuple[ind.Grain, ...] = ("month", "quarter", "year")


@dataclass(frozen=True)
class Choices:
    """What the filters offer: the place tree and the platforms (names, by id)."""

    places: tuple[PlaceNode, ...]
    platforms: tuple[tuple[str, str, str | None], ...]  # id, name, place id

    def children(self, place_id: str | None) -> list[PlaceNode]:
        """Places right below ``place_id`` (None: the regions)."""
        if place_id is None:
            return [p for p in self.places if p.level == "region"]
        return [p for p in self.places if p.parent_id == place_id]

    def under(self, place_id: str) -> set[str]:
        """The place and every place below it."""
        return descendants(list(self.places), place_id)

    def place(self, place_id: str) -> PlaceNode | None:
        return next((p for p in self.places if p.id == place_id), None)


def choices(store: Store) -> Choices:
    nodes = tuple(place_nodes(store))
    rows = tuple((r.id, r.name, r.place_id) for r in platform_rows(store))
    return Choices(nodes, rows)


@dataclass(frozen=True)
class Figures:
    """One dashboard's figures: three breakdowns of the same filters."""

    filters: ind.Filters
    grain: ind.Grain
    place_level: str  # the level of the bars by place
    trend: ind.IndicatorSet  # all places together, by period (``grain``)
    by_place: ind.IndicatorSet  # by place at ``place_level``, the whole range as one period
    overall: ind.IndicatorSet  # all places together, the whole range: totals and breakdowns

    def breakdown(self, part: str) -> ind.Breakdown:
        """The breakdown a part was computed with (to ask for the records behind a figure)."""
        return {"trend": self.trend, "by_place": self.by_place,
                "overall": self.overall}[part].breakdown


def bar_level(store: Store, place_id: str | None, known: Choices | None = None) -> str:
    """The level of the places one step below ``place_id``: the bars of the chosen place's
    regions, communes or quartiers (the most common level among its children)."""
    known = known or choices(store)
    if place_id is None:
        return "region"
    kids = [p.level for p in known.children(place_id) if p.level in ind.PLACE_LEVELS]
    if kids:
        return Counter(kids).most_common(1)[0][0]
    own = known.place(place_id)
    return own.level if own is not None and own.level in ind.PLACE_LEVELS else "region"


def figures(store: Store, filters: ind.Filters, grain: ind.Grain = "month", *,
            as_of: dt.date | None = None, known: Choices | None = None) -> Figures:
    """Every figure of the dashboard for these filters (``indicators.compute_many``)."""
    level = bar_level(store, filters.place_id, known)
    # One read of the facts, three roll-ups: the database is asked once per family.
    trend, by_place, overall = ind.compute_many(
        store, filters, [ind.Breakdown(None, grain), ind.Breakdown(level, "all"),
                         ind.Breakdown(None, "all")], as_of=as_of,
        each=[("sessions", "complaints", "actions"), ("sessions", "complaints"), None])
    return Figures(filters, grain, level, trend, by_place, overall)


def period_filters(kind: str, anchor: dt.date, end: dt.date | None = None) -> tuple[
        dt.date | None, dt.date | None]:
    """The dates a period choice stands for: the month, quarter or year holding ``anchor``, a
    range from ``anchor`` to ``end``, or all time (``all``)."""
    if kind == "all":
        return None, None
    if kind == "range":
        return anchor, end
    label = {"month": f"{anchor:%Y-%m}", "quarter": ind.quarter_of(anchor),
             "year": f"{anchor:%Y}"}[kind]
    return ind.period_bounds(label)
