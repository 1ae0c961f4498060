"""The analyst's Dashboard under pytest-qt: the figures come from the indicator definitions,
off the GUI thread; the filters change the charts; a click on a bar or a point lists the records
behind it; an inverted range is one sentence."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QChartView, QLineSeries
from PySide6.QtCore import QPointF
from pytestqt.qtbot import QtBot

from jsd_desk.services import indicators, places
from jsd_desk.services.workspace import Workspace
from jsd_desk.ui.dashboard import DashboardPage, charts
from jsd_desk.ui.dashboard.records import RecordsModel
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
    # Computed in the background: the page says so and shows a busy bar meanwhile.
    assert page.operation is not None and page.busy.isVisibleTo(page)
    assert page.status.text() == "Computing the figures…"
    settle(qtbot, page)
    assert not page.busy.isVisibleTo(page) and page.status.text() == ""

    expected = indicators.compute(hub.store, breakdown=indicators.Breakdown("region", "all"))
    by_region = bars(page.place_view)["Sessions held"]
    assert by_region == {"Niamey": expected.get("sessions_held", place="NE-8"),
                         "Diffa": expected.get("sessions_held", place="NE-2"),
                         "No place": expected.get("sessions_held", place="_U")}
    assert page.kpi_labels["sessions_held"][0].text() == "5"
    assert sum(lines(page.trend_view)["Sessions"]) == 5
    # The trend's legend names what each line counts ("Made" alone read "Pris" in French).
    assert list(lines(page.trend_view)) == ["Sessions", "Complaints", "Action items"]
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
    assert sum(lines(page.trend_view)["Sessions"]) == 2
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
    assert lines(page.trend_view)["Sessions"] == [1, 1, 1]

    # A click on the February point of the sessions line lists the session behind it.
    (sessions_line,) = [s for s in trend.series() if s.name() == "Sessions"]
    sessions_line.clicked.emit(QPointF(1, 1))
    qtbot.waitUntil(lambda: not page.records_pending, timeout=20_000)
    assert [r.id for r in page.records] == [data.sessions["s2"]]
    first = page.records_model.index(0, 0)
    assert "Émission de février" in first.data()
    assert page.records_list.model() is page.records_model
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
    page.records_list.activated.emit(page.records_model.index(0, 0))
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


def test_the_records_model_passes_qtmodeltester(qtmodeltester: Any) -> None:
    model = RecordsModel()
    qtmodeltester.check(model)
    refs = [indicators.RecordRef("session", "s1", dt.date(2026, 2, 14), "Émission", "radio_call_in"),
            indicators.RecordRef("complaint", "c1", None, "NIA3-2026-0001", "resolved"),
            indicators.RecordRef("action_item", "a1", dt.date(2026, 3, 1), "", None)]
    model.set_rows(refs)
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert model.index(0, 0).data() == "Émission\n2026-02-14 · Radio call-in show"
    assert model.index(1, 0).data() == "NIA3-2026-0001\nResolved"
    assert model.index(2, 0).data() == "—\n2026-03-01"
    model.set_rows(refs[1:])
    qtmodeltester.check(model)
    assert model.row_at(0) == refs[1]


@pytest.mark.parametrize(("top", "slots", "step"), [(0, 4, 1), (3, 4, 1), (14, 4, 5), (14, 2, 10),
                                                    (540, 3, 200), (12_345, 5, 5000)])
def test_value_axes_step_on_round_numbers_that_fit(top: float, slots: int, step: int) -> None:
    assert charts.nice_step(top, slots) == step
    assert top / step <= slots


def test_no_axis_label_is_an_ellipsis_in_a_short_chart(
        make_workspace: MakeWorkspace, make_window: WindowFactory, qtbot: QtBot) -> None:
    """The defect seen at 1280x720 in French: five ticks in a 60-pixel plot drew "…" for every
    number of the bars by place. The ticks are fitted to the plot's height."""
    hub: Workspace = make_workspace("hub", "analyst")
    indicator_data.build(hub.store)
    window = make_window(hub)
    window.resize(1280, 720)
    page = window.go_to("dashboard")
    assert isinstance(page, DashboardPage)
    settle(qtbot, page)
    for view in (page.place_view, page.trend_view):
        view.resize(view.width(), 170)
        qtbot.waitUntil(lambda view=view: view.chart().plotArea().height() < 90)
        from PySide6.QtCharts import QValueAxis
        from PySide6.QtGui import QFontMetricsF

        (axis,) = [a for a in view.chart().axes() if isinstance(a, QValueAxis)]
        ticks = round(axis.max() / axis.tickInterval()) + 1
        room = view.chart().plotArea().height() / (ticks - 1)
        assert room >= QFontMetricsF(axis.labelsFont()).height(), (ticks, room)
