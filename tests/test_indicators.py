"""Indicators on a hand-built dataset (tests/indicator_data.py), on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from jsd_desk.domain.errors import UsageError
from jsd_desk.services import places
from jsd_desk.services.indicators import (
    INDICATORS,
    Breakdown,
    Filters,
    IndicatorValue,
    PlaceTree,
    compute,
    indicator,
    period_bounds,
    place_id_for,
    place_tree,
    quarter_of,
    records_behind,
)
from jsd_desk.services.indicators.compute import percentile, rollup
from jsd_desk.services.workspace import Workspace
from tests import indicator_data
from tests.indicator_data import AS_OF, BY_REGION, NATIONAL, Dataset, T, U


@pytest.fixture(params=["sqlite", "postgresql"])
def hub(request: pytest.FixtureRequest) -> tuple[Workspace, Dataset]:
    # The database first, so that it outlives the workspaces opened on it.
    url = request.getfixturevalue("pg_database") if request.param == "postgresql" else None
    make: Callable[..., Workspace] = request.getfixturevalue("make_workspace")
    ws = make(database_url=url)
    return ws, indicator_data.build(ws.store)


def _cells(ws: Workspace, breakdown: Breakdown, filters: Filters | None = None
           ) -> dict[tuple[str, str, str, str, str], int | float]:
    result = compute(ws.store, filters, breakdown, as_of=AS_OF)
    return {(v.indicator, v.place, v.period, v.category, v.option): v.value for v in result}


def test_every_indicator_equals_the_hand_computed_values(hub: tuple[Workspace, Dataset]) -> None:
    ws, data = hub
    by_region = _cells(ws, Breakdown("region", "all"))
    assert {(i, p, c, o): by_region.get((i, p, T, c, o)) for i, p, c, o in BY_REGION} == BY_REGION
    national = _cells(ws, Breakdown(None, "all"))
    assert {k: national.get((k[0], T, T, k[1], k[2])) for k in NATIONAL} == NATIONAL
    assert {v.indicator for v in compute(ws.store, as_of=AS_OF)} == {i.code for i in INDICATORS}
    # Every count of the national table is the sum of the regions' (no record lost or doubled).
    for (ind, _pl, _pe, cat, opt), value in national.items():
        if isinstance(value, int) and ind != "complaints_resolved":
            assert value == sum(v for (i, _p, _e, c, o), v in by_region.items()
                                if (i, c, o) == (ind, cat, opt)), ind
    assert by_region[("sessions_by_platform", "NE-8", T, data.p1, "")] == 2
    assert by_region[("concerns_by_priority_problem", "NE-8", T, data.problem, "")] == 1
    # No value at all where nothing can be computed: no resolved complaint, none 30 days old.
    assert ("complaints_days_to_resolve_median", U, T, T, "") not in by_region
    assert ("complaints_share_open_30", U, T, T, "") not in by_region

    months = _cells(ws, Breakdown(None, "month"))
    assert {k[2]: v for k, v in months.items() if k[0] == "sessions_held" and k[3] == T} == {
        "2026-01": 1, "2026-02": 1, "2026-03": 1, "2026-04": 1}
    assert months[("complaints_by_category", T, "2026-01", T, "")] == 2
    quarters = _cells(ws, Breakdown(None, "quarter"))
    assert quarters[("sessions_held", T, "2026-Q1", T, "")] == 3
    assert quarters[("complaints_days_to_resolve_median", T, "2026-Q1", T, "")] == 10.0
    assert quarters[("participants", T, "2026-Q2", T, T)] == 3
    assert _cells(ws, Breakdown(None, "year"))[("actions_made", T, "2026", T, "")] == 5


def test_filters_by_place_platform_kind_and_dates(hub: tuple[Workspace, Dataset]) -> None:
    ws, data = hub
    niamey = place_id_for(ws.store, "NE-8")
    communes = _cells(ws, Breakdown("commune", "all"), Filters(place_id=niamey))
    assert communes[("sessions_held", "NE-8-C1", T, T, "")] == 2
    assert communes[("complaints_by_category", "NE-8-C1", T, T, "")] == 3
    assert {k[1] for k in communes} == {"NE-8-C1"}
    quartiers = _cells(ws, Breakdown("quartier", "all"), Filters(place_id=niamey))
    assert quartiers[("participants", "NE-8-C1-Q1", T, T, T)] == 18
    # A place coarser than the level asked counts at its own level, never lost.
    assert _cells(ws, Breakdown("commune", "all"))[("sessions_held", "NE-2", T, T, "")] == 1
    tree = place_tree(ws.store)
    quartier = place_id_for(ws.store, "NE-8-C1-Q1")
    assert tree.code_at(quartier, "region") == "NE-8" and tree.code_at(quartier, "commune") == "NE-8-C1"
    assert quartier in tree.descendants(niamey) and niamey not in tree.descendants(quartier)
    whole = _cells(ws, Breakdown(None, "all"), Filters(place_id=niamey))
    assert whole[("participants_share_youth", "NE-8", T, T, "")] == 0.5556

    platform = _cells(ws, Breakdown(None, "all"), Filters(platform_id=data.p2))
    assert platform[("sessions_held", T, T, T, "")] == 1
    assert platform[("complaints_by_category", T, T, T, "")] == 1  # c4; c6 has no session
    radio = _cells(ws, Breakdown(None, "all"), Filters(kind="radio_call_in"))
    assert radio[("sessions_held", T, T, T, "")] == 1
    assert radio[("complaints_by_channel", T, T, "radio", "")] == 1
    assert radio[("actions_made", T, T, T, "")] == 1
    january = Filters(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 1, 31))
    jan = _cells(ws, Breakdown(None, "all"), january)
    assert jan[("sessions_held", T, "2026-01-01/2026-01-31", T, "")] == 1
    assert jan[("complaints_by_category", T, "2026-01-01/2026-01-31", T, "")] == 2
    assert jan[("complaints_days_to_resolve_p90", T, "2026-01-01/2026-01-31", T, "")] == 37.0
    spring = _cells(ws, Breakdown(None, "all"), Filters(date_from=dt.date(2026, 3, 1)))
    assert spring[("participants", T, "2026-03-01/..", T, T)] == 5  # s3 and s5

    with pytest.raises(UsageError):
        Filters(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 1, 1))


def test_records_behind_a_figure(hub: tuple[Workspace, Dataset]) -> None:
    ws, data = hub
    region = Breakdown("region", "month")

    def ids(code: str, **cell: str) -> list[str]:
        return [r.id for r in records_behind(ws.store, code, breakdown=region, as_of=AS_OF, **cell)]

    s, c, a = data.sessions, data.complaints, data.actions
    assert ids("sessions_held", place="NE-8", period="2026-02") == [s["s2"]]
    assert ids("sessions_held", place=U) == [s["s5"]]
    assert ids("participants", category="youth", option="f") == [s["s1"]]
    assert ids("complaints_by_category", place="NE-8", category="police_conduct") == [c["c1"], c["c3"]]
    assert ids("complaints_share_open_30", place="NE-8") == [c["c1"], c["c2"], c["c3"]]
    assert ids("complaints_days_to_resolve_median") == [c["c1"], c["c2"], c["c6"]]
    assert ids("actions_overdue") == [a["a1"], a["a4"]]
    assert [r.id for r in records_behind(ws.store, "actions_overdue", as_of=AS_OF, limit=1)] == [a["a1"]]
    assert ids("actions_done", category="community") == [a["a2"]]
    themes = records_behind(ws.store, "concerns_by_theme", category="vol", as_of=AS_OF)
    assert len(themes) == 2 and {r.entity for r in themes} == {"concern"}
    waiting = records_behind(ws.store, "complaints_by_status", category="received", as_of=AS_OF)
    assert [(r.id, r.code, r.date) for r in waiting] == [
        (c["c3"], "received", dt.date(2026, 2, 10)), (c["c5"], "received", dt.date(2026, 6, 15))]


def test_postgres_percentile_cont_agrees(pg_database: str, make_workspace: Callable[..., Workspace]) -> None:
    ws = make_workspace(database_url=pg_database)
    indicator_data.build(ws.store)
    national = _cells(ws, Breakdown(None, "all"))
    with ws.store.engine.connect() as conn:
        median, p90 = conn.execute(text(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d), "
            "percentile_cont(0.9) WITHIN GROUP (ORDER BY d) FROM ("
            " SELECT min(s.changed_at)::date - c.received_on AS d FROM complaint c"
            " JOIN complaint_status_change s ON s.complaint_id = c.id AND s.to_status = 'resolved'"
            " GROUP BY c.id, c.received_on) t")).one()
    assert national[("complaints_days_to_resolve_median", T, T, T, "")] == round(median, 1) == 10.0
    assert national[("complaints_days_to_resolve_p90", T, T, T, "")] == round(p90, 1) == 34.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=400), min_size=2, max_size=60))
def test_percentile_from_a_histogram_is_type_7(days: list[int]) -> None:
    histogram: dict[int, int] = {}
    for d in days:
        histogram[d] = histogram.get(d, 0) + 1
    assert percentile(histogram, Fraction(1, 2)) == Fraction(statistics.median(days)).limit_denominator(2)
    deciles = statistics.quantiles(days, n=10, method="inclusive")
    assert float(percentile(histogram, Fraction(9, 10))) == pytest.approx(deciles[8], abs=1e-9)
    assert min(days) <= percentile(histogram, Fraction(9, 10)) <= max(days)


def test_period_labels_and_bad_breakdowns() -> None:
    assert period_bounds("2026-11") == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert period_bounds("2026-Q4") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert period_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert period_bounds("2026") == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert period_bounds("2026-03-01/..") == (dt.date(2026, 3, 1), None)
    for bad in ("2026-13x", "Q4"):
        with pytest.raises(UsageError):
            period_bounds(bad)
    with pytest.raises(UsageError):
        Breakdown("galaxy", "month")
    with pytest.raises(UsageError):
        Breakdown("region", "week")  # type: ignore[arg-type]
    assert places.place_id_for_code("NE-8")  # the reference regions carry the codes used above


# -- the roll-up algebra, on random GROUP BY cells (no database) ---------------------------------

_TREE = PlaceTree([("ne", "NE", "Niger", "country", None), ("r1", "R1", "R1", "region", "ne"),
                   ("r2", "R2", "R2", "region", "ne"), ("c1", "C1", "C1", "commune", "r1"),
                   ("c2", "C2", "C2", "commune", "r2"), ("q1", "Q1", "Q1", "quartier", "c1")])
_PLACES = st.sampled_from(["r1", "r2", "c1", "c2", "q1", None, "gone"])
_MONTHS = st.sampled_from(["2026-01", "2026-02", "2026-03", "2026-04", "2026-12"])
_N = st.integers(min_value=0, max_value=30)


@st.composite
def _complaint_cell(draw: st.DrawFn) -> tuple[object, ...]:
    n = draw(st.integers(min_value=1, max_value=20))
    e30 = draw(st.integers(min_value=0, max_value=n))
    e90 = draw(st.integers(min_value=0, max_value=e30))
    return (draw(_PLACES), draw(_MONTHS), draw(st.sampled_from(["theft", "police_conduct", None])),
            draw(st.sampled_from(["radio", "session"])), draw(st.sampled_from(["received", "resolved"])),
            draw(st.none() | st.integers(min_value=0, max_value=200)), n,
            e30, draw(st.integers(min_value=0, max_value=e30)),
            e90, draw(st.integers(min_value=0, max_value=e90)))


_CELLS = st.fixed_dictionaries({
    "participants": st.lists(st.tuples(_PLACES, _MONTHS, st.sampled_from(["youth", "police", None]),
                                       st.sampled_from(["f", "m", None]), _N), max_size=25),
    "complaints": st.lists(_complaint_cell(), max_size=25),
    "actions": st.lists(st.tuples(_PLACES, _MONTHS, st.sampled_from(["police", "community"]),
                                  st.sampled_from(["open", "done", "dropped"]),
                                  st.sampled_from([0, 1]), st.integers(min_value=1, max_value=9)),
                        max_size=25),
})


def _half_up(num: object, den: object) -> float:
    # Shares keep 4 decimals, halves rounded up (0.28125 → 0.2813), as definitions.DECIMALS says.
    exact = Decimal(int(num)) / Decimal(int(den))  # type: ignore[call-overload]
    return float(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


@settings(max_examples=200, deadline=None)
@given(_CELLS)
def test_counts_add_up_across_places_and_periods(rows: dict[str, list[tuple[object, ...]]]) -> None:
    everything = Filters()
    cells = rollup(rows, _TREE, everything, Breakdown("region", "month"))  # type: ignore[arg-type]
    national = rollup(rows, _TREE, everything, Breakdown(None, "month"))  # type: ignore[arg-type]
    quarters = rollup(rows, _TREE, everything, Breakdown(None, "quarter"))  # type: ignore[arg-type]
    counts = {i.code for i in INDICATORS if i.unit == "count"}

    def total(values: tuple[IndicatorValue, ...], *, by_quarter: bool = False) -> dict[tuple[str, ...], int]:
        out: dict[tuple[str, ...], int] = {}
        for v in values:
            if v.indicator in counts:
                period = quarter_of(dt.date.fromisoformat(v.period + "-01")) if by_quarter else v.period
                key = (v.indicator, period, v.category, v.option)
                out[key] = out.get(key, 0) + int(v.value)
        return out

    assert {v.place for v in cells} <= {"R1", "R2", "_U"}  # communes and quartiers roll up
    assert total(cells) == total(national)  # no record lost or doubled across places
    quarter_totals = {k: v for k, v in total(quarters).items()}
    assert total(national, by_quarter=True) == quarter_totals  # months add up to quarters
    for v in (*cells, *national, *quarters):
        if indicator(v.indicator).unit == "share":
            assert 0 <= v.value <= 1
    by_key = {(v.indicator, v.place, v.period, v.category, v.option): v.value for v in quarters}
    for (code, place, period, category, option), value in by_key.items():
        if code == "complaints_days_to_resolve_median":
            assert value <= by_key[("complaints_days_to_resolve_p90", place, period, category, option)]
        if code == "participants_share_women":
            people = by_key[("participants", place, period, "_T", "_T")]
            assert value == _half_up(by_key.get(("participants", place, period, "_T", "f"), 0), people)
        if code == "actions_completion_rate":
            made = by_key[("actions_made", place, period, category, option)]
            assert value == _half_up(by_key[("actions_done", place, period, category, option)], made)
