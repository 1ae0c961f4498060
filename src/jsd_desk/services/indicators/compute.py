"""From the GROUP BY cells of ``facts`` to the tidy values of every indicator.

All arithmetic is on integers and exact fractions, rounded once at the end (``DECIMALS``), so the
same cells give the same values, bytes included, whichever database they came from.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy.engine import Connection

from jsd_desk.domain.errors import NotFound
from jsd_desk.i18n import N_
from jsd_desk.services.indicators import facts
from jsd_desk.services.indicators.definitions import (
    DECIMALS,
    FAMILIES,
    TOTAL,
    UNKNOWN,
    Family,
    indicator,
)
from jsd_desk.services.indicators.model import (
    LEVEL_RANK,
    Breakdown,
    Filters,
    IndicatorSet,
    IndicatorValue,
    PlaceInfo,
    period_of,
)
from jsd_desk.store.writer import Store

Key = tuple[str, str, str, str, str]  # indicator, place, period, category, option


class PlaceTree:
    """The place tree as loaded once per computation (places are few: thousands at most)."""

    def __init__(self, rows: Iterable[tuple[str, str | None, str | None, str | None, str | None]]) -> None:
        self.by_id: dict[str, PlaceInfo] = {
            pid: PlaceInfo(pid, code or pid, name or code or pid, level, parent)
            for pid, code, name, level, parent in rows}
        self.by_code: dict[str, PlaceInfo] = {}
        for info in self.by_id.values():  # the rows' order: a live place wins a shared code
            self.by_code.setdefault(info.code, info)
        self.children: dict[str, list[str]] = defaultdict(list)
        for info in self.by_id.values():
            if info.parent_id:
                self.children[info.parent_id].append(info.id)
        self._at: dict[tuple[str | None, str], str] = {}

    def descendants(self, place_id: str) -> frozenset[str]:
        """The place and every place below it."""
        out: set[str] = set()
        todo = [place_id]
        while todo:
            pid = todo.pop()
            if pid not in out:
                out.add(pid)
                todo.extend(self.children.get(pid, ()))
        return frozenset(out)

    def ancestors(self, place_id: str) -> list[PlaceInfo]:
        """The place itself, then its parent, up to the root (a cycle stops the walk)."""
        chain: list[PlaceInfo] = []
        seen: set[str] = set()
        current: str | None = place_id
        while current and current not in seen and current in self.by_id:
            seen.add(current)
            chain.append(self.by_id[current])
            current = self.by_id[current].parent_id
        return chain

    def code_at(self, place_id: str | None, level: str) -> str:
        """The code of the place's ancestor (or itself) at ``level``. A place coarser than the
        level, or a branch that skips it, counts at its closest coarser ancestor, so no record
        is lost from a breakdown; an unknown place is ``_U``."""
        key = (place_id, level)
        hit = self._at.get(key)
        if hit is not None:
            return hit
        chain = self.ancestors(place_id) if place_id else []
        code = UNKNOWN
        if chain:
            rank = LEVEL_RANK[level]
            exact = [p for p in chain if p.level == level]
            coarser = [p for p in chain if p.level in LEVEL_RANK and LEVEL_RANK[p.level] < rank]
            code = (exact[0] if exact else coarser[0] if coarser else chain[0]).code
        self._at[key] = code
        return code


def load_tree(conn: Connection) -> PlaceTree:
    return PlaceTree(facts.places(conn))


def place_tree(store: Store) -> PlaceTree:
    """The place tree of this store, for choosing a place filter."""
    with store.reading() as s:
        return load_tree(s.connection())


def place_id_for(store: Store, code: str) -> str:
    """The id of the place with this code; NotFound when no place has it."""
    with store.reading() as s:
        tree = load_tree(s.connection())
    info = tree.by_code.get(code)
    if info is None:
        raise NotFound(N_("No place has the code “{code}”."), code=code)
    return info.id


def rounded(value: Fraction, unit: str) -> float:
    digits = DECIMALS["share" if unit == "share" else "days"]
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def percentile(histogram: Mapping[int, int], p: Fraction) -> Fraction:
    """The p-quantile of the values a histogram holds, interpolating linearly between closest
    ranks (Hyndman–Fan type 7: numpy's default, PostgreSQL's ``percentile_cont``)."""
    n = sum(histogram.values())
    h = (n - 1) * p
    lo = h.numerator // h.denominator
    frac = h - lo
    below, at_lo, at_hi = 0, None, None
    for value in sorted(histogram):
        count = histogram[value]
        if at_lo is None and lo < below + count:
            at_lo = value
        if lo + 1 < below + count:
            at_hi = value
            break
        below += count
    assert at_lo is not None
    if at_hi is None:
        at_hi = at_lo
    return at_lo + frac * (at_hi - at_lo)


class _Acc:
    """Counters for one family, keyed by the tidy coordinates."""

    def __init__(self, place: Callable[[Any], str], period: Callable[[str], str]) -> None:
        self.place = place
        self.period = period
        self.counts: Counter[Key] = Counter()
        self.present = self.counts.keys()  # every key counted or touched (zero included)

    def where(self, place_id: Any, month: str) -> tuple[str, str]:
        return self.place(place_id), self.period(month)

    def collapse(self, rows: Iterable[tuple[Any, ...]], place_at: int, month_at: int,
                 keys: Sequence[int], sums: Sequence[int]) -> list[tuple[Any, ...]]:
        """The GROUP BY cells summed up to the breakdown's places and periods, once, before
        any indicator is counted: ``(place, period, *row[keys], *sum(row[sums]))``. A hub's
        cells are many (a complaint's days to resolve are nearly one cell each) but few
        remain once grouped by region and month, or all places and all time."""
        at: dict[tuple[Any, str], tuple[str, str]] = {}
        totals: dict[tuple[Any, ...], list[int]] = {}
        width = len(sums)
        for row in rows:
            where = (row[place_at], row[month_at])
            pl_pe = at.get(where)
            if pl_pe is None:
                pl_pe = at[where] = self.where(*where)
            key = (*pl_pe, *(row[k] for k in keys))
            acc = totals.get(key)
            if acc is None:
                acc = totals[key] = [0] * width
            for i, k in enumerate(sums):
                acc[i] += int(row[k] or 0)
        return [(*key, *acc) for key, acc in totals.items()]

    def add(self, key: Key, n: int) -> None:
        self.counts[key] += n

    def touch(self, key: Key) -> None:
        self.counts.setdefault(key, 0)

    def values(self) -> list[IndicatorValue]:
        return [IndicatorValue(*k, value=int(n)) for k, n in self.counts.items()]


def _code(value: Any) -> str:
    return str(value) if value not in (None, "") else UNKNOWN


def theme_key(theme: str | None) -> str:
    text = " ".join((theme or "").split())
    return text.casefold() if text else UNKNOWN


def _share(num: int, den: int) -> float | None:
    return rounded(Fraction(num, den), "share") if den else None


def _sessions(acc: _Acc, rows: list[tuple[Any, ...]]) -> list[IndicatorValue]:
    for pl, pe, platform, kind, n in acc.collapse(rows, 1, 2, (0, 3), (4,)):
        for cat in (_code(kind), TOTAL):
            acc.add(("sessions_held", pl, pe, cat, ""), int(n))
        for cat in (_code(platform), TOTAL):
            acc.add(("sessions_by_platform", pl, pe, cat, ""), int(n))
    return acc.values()


def _participants(acc: _Acc, rows: list[tuple[Any, ...]]) -> list[IndicatorValue]:
    for pl, pe, category, gender, n in acc.collapse(rows, 0, 1, (2, 3), (4,)):
        for cat in (_code(category), TOTAL):
            for opt in (_code(gender), TOTAL):
                acc.add(("participants", pl, pe, cat, opt), int(n))
    out = acc.values()
    groups = {(k[1], k[2]) for k in acc.present}
    for pl, pe in sorted(groups):
        total = acc.counts[("participants", pl, pe, TOTAL, TOTAL)]
        for code, num in (("participants_share_women", acc.counts[("participants", pl, pe, TOTAL, "f")]),
                          ("participants_share_youth", acc.counts[("participants", pl, pe, "youth", TOTAL)])):
            share = _share(num, total)
            if share is not None:
                out.append(IndicatorValue(code, pl, pe, TOTAL, "", share))
    return out


def _concerns(acc: _Acc, rows: list[tuple[Any, ...]], themes: dict[str, str]) -> list[IndicatorValue]:
    for pl, pe, theme, problem, n in acc.collapse(rows, 0, 1, (2, 3), (4,)):
        key = theme_key(theme)
        if key != UNKNOWN:
            shown = " ".join(str(theme).split())
            # The name shown for a theme written several ways: the first in code-point order.
            themes[key] = min(themes.get(key, shown), shown)
        for cat in (key, TOTAL):
            acc.add(("concerns_by_theme", pl, pe, cat, ""), int(n))
        for cat in (_code(problem), TOTAL):
            acc.add(("concerns_by_priority_problem", pl, pe, cat, ""), int(n))
    return acc.values()


def _complaints(acc: _Acc, rows: list[tuple[Any, ...]]) -> list[IndicatorValue]:
    hist: dict[tuple[str, str, str], Counter[int]] = defaultdict(Counter)
    open_counts: Counter[tuple[str, str, int, str]] = Counter()
    cells = acc.collapse(rows, 0, 1, (2, 3, 4, 5), (6, 7, 8, 9, 10))
    for pl, pe, category, channel, status, days, n, e30, o30, e90, o90 in cells:
        cat = _code(category)
        for c in (cat, TOTAL):
            acc.add(("complaints_by_category", pl, pe, c, ""), n)
            acc.touch(("complaints_resolved", pl, pe, c, ""))
        for c in (_code(channel), TOTAL):
            acc.add(("complaints_by_channel", pl, pe, c, ""), n)
        for c in (_code(status), TOTAL):
            acc.add(("complaints_by_status", pl, pe, c, ""), n)
        if days is not None:
            for c in (cat, TOTAL):
                acc.add(("complaints_resolved", pl, pe, c, ""), n)
                hist[(pl, pe, c)][max(int(days), 0)] += n
        for after, eligible, still in ((30, e30, o30), (90, e90, o90)):
            open_counts[(pl, pe, after, "eligible")] += int(eligible or 0)
            open_counts[(pl, pe, after, "open")] += int(still or 0)
    out = acc.values()
    for (pl, pe, c), h in sorted(hist.items()):
        out.append(IndicatorValue("complaints_days_to_resolve_median", pl, pe, c, "",
                                  rounded(percentile(h, Fraction(1, 2)), "days")))
        out.append(IndicatorValue("complaints_days_to_resolve_p90", pl, pe, c, "",
                                  rounded(percentile(h, Fraction(9, 10)), "days")))
    for pl, pe in sorted({(k[1], k[2]) for k in acc.present}):
        total = acc.counts[("complaints_by_category", pl, pe, TOTAL, "")]
        police = acc.counts[("complaints_by_category", pl, pe, "police_conduct", "")]
        shares = [("complaints_share_police_conduct", _share(police, total))]
        for after in (30, 90):
            shares.append((f"complaints_share_open_{after}",
                           _share(open_counts[(pl, pe, after, "open")],
                                  open_counts[(pl, pe, after, "eligible")])))
        out.extend(IndicatorValue(code, pl, pe, TOTAL, "", v) for code, v in shares if v is not None)
    return out


def _actions(acc: _Acc, rows: list[tuple[Any, ...]]) -> list[IndicatorValue]:
    for pl, pe, party, status, late, n in acc.collapse(rows, 0, 1, (2, 3, 4), (5,)):
        for c in (_code(party), TOTAL):
            acc.add(("actions_made", pl, pe, c, ""), n)
            acc.touch(("actions_done", pl, pe, c, ""))
            acc.touch(("actions_overdue", pl, pe, c, ""))
            if status == "done":
                acc.add(("actions_done", pl, pe, c, ""), n)
            if int(late):
                acc.add(("actions_overdue", pl, pe, c, ""), n)
    out = acc.values()
    for k in sorted(k for k in acc.present if k[0] == "actions_made"):
        share = _share(acc.counts[("actions_done", *k[1:])], acc.counts[k])
        if share is not None:
            out.append(IndicatorValue("actions_completion_rate", *k[1:], value=share))
    return out


def compute(store: Store, filters: Filters | None = None, breakdown: Breakdown | None = None, *,
            as_of: dt.date | None = None,
            families: Collection[Family] | None = None) -> IndicatorSet:
    """Every indicator of ``families`` (default: all), filtered and broken down as asked.

    ``as_of`` is the reference date (default: today): sessions held are those started by then,
    overdue action items and complaints still open are judged on that day."""
    return compute_many(store, filters, [breakdown or Breakdown()], as_of=as_of,
                        families=families)[0]


def compute_many(store: Store, filters: Filters | None, breakdowns: Sequence[Breakdown], *,
                 as_of: dt.date | None = None,
                 families: Collection[Family] | None = None,
                 each: Sequence[Collection[Family] | None] | None = None) -> list[IndicatorSet]:
    """``compute`` for several breakdowns of the same filters, from one read of the facts (the
    dashboard shows a trend, bars by place and totals: the rows are fetched once). ``each``
    narrows the families rolled up for each breakdown (None: all those fetched)."""
    filters = filters or Filters()
    as_of = as_of or dt.date.today()
    wanted = tuple(f for f in FAMILIES if families is None or f in families)
    with store.reading() as s:
        conn = s.connection()
        tree = load_tree(conn)
        place_ids = None
        if filters.place_id is not None:
            if filters.place_id not in tree.by_id:
                raise NotFound(N_("No such place."))
            place_ids = tree.descendants(filters.place_id)
        scope = facts.Scope(filters, place_ids, as_of)
        rows: dict[Family, list[tuple[Any, ...]]] = {
            family: getattr(facts, family)(conn, scope) for family in wanted}
        platform_names = {pid: name or "" for pid, name, _place in facts.platforms(conn)}
        problem_names = {pid: title or "" for pid, title in facts.priority_problems(conn)}

    out = []
    for n, breakdown in enumerate(breakdowns):
        themes: dict[str, str] = {}
        keep = each[n] if each is not None else None
        values = rollup(rows if keep is None else {f: r for f, r in rows.items() if f in keep},
                        tree, filters, breakdown, themes)
        names = {"place": {p.code: p.name for p in tree.by_code.values()},
                 "place_ids": {p.id: p.code for p in tree.by_id.values()},
                 "platform": platform_names, "priority_problem": problem_names,
                 "theme": themes}
        out.append(IndicatorSet(filters, breakdown, as_of, values, names))
    return out


def rollup(rows: dict[Family, list[tuple[Any, ...]]], tree: PlaceTree, filters: Filters,
           breakdown: Breakdown, themes: dict[str, str] | None = None) -> tuple[IndicatorValue, ...]:
    """The values of every family in ``rows`` (``facts`` cells), rolled up to the breakdown's
    place level and period, sorted. Pure arithmetic: no database. ``themes`` receives the name
    shown for each theme key."""
    level = breakdown.place_level
    scope_code = tree.by_id[filters.place_id].code if filters.place_id else TOTAL

    def place_of(place_id: Any) -> str:
        return scope_code if level is None else tree.code_at(place_id, level)

    def period(month: str) -> str:
        return period_of(month, breakdown.period, filters)

    themes = {} if themes is None else themes
    values: list[IndicatorValue] = []
    for family in FAMILIES:
        if family not in rows:
            continue
        acc = _Acc(place_of, period)
        if family == "sessions":
            values += _sessions(acc, rows[family])
        elif family == "participants":
            values += _participants(acc, rows[family])
        elif family == "concerns":
            values += _concerns(acc, rows[family], themes)
        elif family == "complaints":
            values += _complaints(acc, rows[family])
        else:
            values += _actions(acc, rows[family])
    for v in values:
        indicator(v.indicator)  # every value belongs to a defined indicator
    return tuple(sorted(values, key=IndicatorValue.sort_key))
