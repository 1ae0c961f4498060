"""Indicators on a hand-built dataset (tests/indicator_data.py), on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
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
    compute,
    period_bounds,
    place_id_for,
    place_tree,
    records_behind,
)
from jsd_desk.services.indicators.compute import percentile
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
