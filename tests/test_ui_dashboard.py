"""The analyst's Dashboard under pytest-qt: the figures come from the indicator definitions,
off the GUI thread; the filters change the charts; a click on a bar or a point lists the records
behind it; an inverted range is one sentence."""

from __future__ import annotations

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QChartView, QLineSeries
from PySide6.QtCore import QPointF
from pytestqt.qtbot import QtBot

from jsd_desk.services import indicators, places
from jsd_desk.services.workspace import Workspace
from jsd_desk.ui.dashboard import DashboardPage
from tests import indicator_data
from tests.sync_support import MakeWorkspace
from tests.ui_helpers import WindowFactory, make_window_fixture, ui_settings_fixture  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


def settle(qtbot: QtBot, page: DashboardPage) -> None:
    qtbot.waitUntil(page.settled, timeout=20_000)


def bars(view: QChartView) -> dict[str, dict[str, float]]:
    """{bar set label: {category label: value}} of a bar chart."""
    chart = view.chart()
    (series,) = chart.series()
    assert isinstance(series, QAbstractBarSeries)
    axis = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis))
    labels = axis.categories()
    return {s.label(): {labels[i]: s.at(i) for i in range(s.count())} for s in series.barSets()}


def lines(view: QChartView) -> dict[str, list[float]]:
    return {s.name(): [p.y() for p in s.points()] for s in view.chart().series()
            if isinstance(s, QLineSeries)}


def test_filters_change_the_charts_and_a_click_lists_the_records(
        make_workspace: MakeWorkspace, make_window: WindowFactory, qtbot: QtBot) -> None:
    hub: Workspace = make_workspace("hub", "analyst")
    data = indicator_data.build(hub.store)
    window = make_window(hub)
    assert not window.navigation.item(1).isHidden()  # an analyst's device lists the Dashboard
    page = window.go_to("dashboard")
    assert isinstance(page, DashboardPage)
    settle(qtbot, page)

    expected = indicators.compute(hub.store, breakdown=indicators.Breakdown("region", "all"))
    by_region = bars(page.place_view)["Sessions held"]
    assert by_region == {"Niamey": expected.get("sessions_held", place="NE-8"),
                         "Diffa": expected.get("sessions_held", place="NE-2"),
                         "No place": expected.get("sessions_held", place="_U")}
    assert page.kpi_labels["sessions_held"][0].text() == "5"
    assert sum(lines(page.trend_view)["Sessions held"]) == 5
    status = bars(page.status_view)["Complaints by current status"]
    assert status["Resolved"] == 3 and status["Withdrawn"] == 1 and status["Received"] == 2

    # Niamey, then its commune: the bars go one level down, the totals follow.
    niamey = places.place_id_for_code("NE-8")
    page.filters.select_place(niamey)
    settle(qtbot, page)
    assert bars(page.place_view)["Sessions held"] == {"Niamey I": 2}
    assert page.kpi_labels["sessions_held"][0].text() == "2"
    assert page.kpi_labels["participants"][0].text() == "18"
    assert page.filters.platform.count() == 2  # all, and the one platform under Niamey

    # Kind of session: workshops only (both in Diffa).
    page.filters.select_place()
    page.filters.place_boxes[0].setCurrentIndex(0)
    page.filters.kind.setCurrentIndex(page.filters.kind.findData("workshop"))
    settle(qtbot, page)
    assert sum(lines(page.trend_view)["Sessions held"]) == 2
    assert bars(page.place_view)["Sessions held"] == {"Diffa": 2}

    # A period: the first quarter of 2026, by month.
    page.filters.kind.setCurrentIndex(0)
    page.filters.period.setCurrentIndex(page.filters.period.findData("quarter"))
    from PySide6.QtCore import QDate

    page.filters.date_from.setDate(QDate(2026, 2, 14))
    settle(qtbot, page)
    trend = page.trend_view.chart()
    axis = next(a for a in trend.axes() if isinstance(a, QBarCategoryAxis))
    assert axis.categories() == ["2026-01", "2026-02", "2026-03"]
    assert lines(page.trend_view)["Sessions held"] == [1, 1, 1]

    # A click on the February point of the sessions line lists the session behind it.
    (sessions_line,) = [s for s in trend.series() if s.name() == "Sessions held"]
    sessions_line.clicked.emit(QPointF(1, 1))
    qtbot.waitUntil(lambda: not page.records_pending, timeout=20_000)
    assert [r.id for r in page.records] == [data.sessions["s2"]]
    assert "Émission de février" in page.records_list.item(0).text()
    assert page.records_caption.text().endswith(": 1 record")

    # A click on the "Resolved" bar lists the complaints resolved in that quarter.
    status_series = page.status_view.chart().series()[0]
    assert isinstance(status_series, QAbstractBarSeries)
    labels = next(a for a in page.status_view.chart().axes()
                  if isinstance(a, QBarCategoryAxis)).categories()
    status_series.barSets()[0].clicked.emit(labels.index("Resolved"))
    qtbot.waitUntil(lambda: not page.records_pending, timeout=20_000)
    assert {r.id for r in page.records} == {data.complaints["c1"], data.complaints["c2"],
                                            data.complaints["c6"]}
    opened: list[tuple[str, str]] = []
    page.ctx.signals.open_requested.connect(lambda e, i: opened.append((e, i)))
    page.records_list.itemActivated.emit(page.records_list.item(0))
    assert opened == [("complaint", data.complaints["c1"])]

    # An inverted range: one sentence, the figures kept.
    page.filters.period.setCurrentIndex(page.filters.period.findData("range"))
    page.filters.date_from.setDate(QDate(2026, 5, 1))
    page.filters.date_to.setDate(QDate(2026, 4, 1))
    qtbot.waitUntil(lambda: not page._debounce.isActive())
    assert "inverted" in page.status.text()


def test_the_dashboard_is_listed_for_analysts_only(make_workspace: MakeWorkspace,
                                                   make_window: WindowFactory) -> None:
    window = make_window(make_workspace("fati"))
    assert window.navigation.item(1).isHidden()
    assert not window.go_actions["dashboard"].isVisible()
    assert window.go_actions["sessions"].shortcut().toString() == "Ctrl+2"
