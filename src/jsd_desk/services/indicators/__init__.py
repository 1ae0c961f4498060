"""National indicators, defined once: every output (dashboard, XLSX, CSV, PDF, DHIS2) reads these.

API (stable; the dashboard and the reports rely on it)
------------------------------------------------------

``compute(store, filters=Filters(), breakdown=Breakdown(), *, as_of=None, families=None)``
    → ``IndicatorSet``: every indicator of the chosen families (``FAMILIES``: sessions,
    participants, concerns, complaints, actions; default all), as tidy ``IndicatorValue`` rows
    ``(indicator, place, period, category, option, value)``, sorted. Computed with one SQL
    GROUP BY per family (``facts``), identical on SQLite and PostgreSQL. ``as_of`` (default
    today) is the reference date: sessions held are those started by then; overdue and "still
    open" are judged on that day.

``compute_many(store, filters, breakdowns, *, as_of=None, families=None, each=None)``
    → one ``IndicatorSet`` per breakdown, from a single read of the facts (the dashboard);
    ``each[n]`` narrows the families rolled up for the n-th breakdown.

``Filters(place_id, platform_id, kind, date_from, date_to)``
    Which records count. ``place_id`` takes the place and everything below it in the place tree
    (region → department/commune → quartier); dates are inclusive; an inverted range raises
    ``UsageError``. Use ``place_id_for(store, code)`` to go from a place code to its id.

``Breakdown(place_level="region", period="month")``
    ``place_level``: a ``PLACE_LEVELS`` level, or None for all places together (the place
    column is then the filter place's code, or ``_T``). ``period``: ``month`` (``2026-11``),
    ``quarter`` (``2026-Q4``), ``year`` (``2026``) or ``all`` (the range, ``2026-01-01/2026-03-31``,
    or ``_T`` for all time).

``IndicatorSet``
    ``.values`` (tuple), ``.of(code)``, ``.get(code, place=, period=, category="_T", option=)``,
    ``.places()``, ``.periods()``, ``.name(dimension, code)`` for data-driven codes (place,
    platform, priority_problem, theme), ``.filters``, ``.breakdown``, ``.as_of``.

``INDICATORS`` / ``indicator(code)`` → ``Indicator(code, family, unit, title, meaning, category,
option)``: ``unit`` is count | share (0–1) | days; ``title`` and ``meaning`` are msgids (translate
with ``_`` or ``Tr``); ``category``/``option`` name the dimension of those columns (a
``domain.vocab`` vocabulary name, or platform, theme, priority_problem).

Dimension values: codes of the dimension; ``_T`` is the total over it, ``_U`` not recorded,
``""`` the indicator has no such dimension. Counts are ints; shares and days are floats rounded
once (``DECIMALS``). Values exist only where something was counted: a missing cell is zero for
counts and undefined for shares and delays.

``records_behind(store, code, filters=, breakdown=, place=, period=, category=, option=,
as_of=, limit=500)`` → ``list[RecordRef(entity, id, date, label, code)]``: the records one
figure counts (for a share or a delay, those it is computed over).

``rollup(rows, tree, filters, breakdown)``: the pure arithmetic half of ``compute`` (GROUP BY
cells in, sorted values out), tested with Hypothesis for additivity across places and periods.

``period_bounds(label)`` → (first day, last day) of a period label; ``last_full_quarter(today)``.

``place_tree(store)`` → ``PlaceTree``: ``.by_id``/``.by_code`` (``PlaceInfo(id, code, name, level,
parent_id)``), ``.children``, ``.descendants(id)``, ``.code_at(id, level)`` — for place filters
(region → commune → quartier) chosen in the ui.
"""

from __future__ import annotations

from jsd_desk.services.indicators.compute import (
    PlaceTree,
    compute,
    compute_many,
    load_tree,
    place_id_for,
    place_tree,
    rollup,
)
from jsd_desk.services.indicators.definitions import (
    DECIMALS,
    FAMILIES,
    INDICATORS,
    TOTAL,
    UNKNOWN,
    Family,
    Indicator,
    Unit,
    indicator,
    of_family,
)
from jsd_desk.services.indicators.model import (
    GRAINS,
    PLACE_LEVELS,
    Breakdown,
    Filters,
    Grain,
    IndicatorSet,
    IndicatorValue,
    last_full_quarter,
    period_bounds,
    quarter_of,
    range_label,
)
from jsd_desk.services.indicators.records import RecordRef, records_behind

__all__ = [
    "DECIMALS", "FAMILIES", "GRAINS", "INDICATORS", "PLACE_LEVELS", "TOTAL", "UNKNOWN",
    "Breakdown", "Family", "Filters", "Grain", "Indicator", "IndicatorSet", "IndicatorValue",
    "PlaceTree", "RecordRef", "Unit", "compute", "compute_many", "indicator", "last_full_quarter",
    "load_tree",
    "of_family", "period_bounds", "place_id_for", "place_tree", "quarter_of", "range_label",
    "records_behind", "rollup",
]
