"""The Dashboard's charts, drawn from ``services.dashboard.Figures`` (the indicator values).

Each builder returns a QChart whose bars or points call ``pick`` with the coordinates of the
figure clicked, so the page can list the records behind it. No figure is computed here: every
number drawn is one ``IndicatorValue``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPalette, QPen
from PySide6.QtWidgets import QApplication

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, _
from jsd_desk.services import indicators as ind
from jsd_desk.services.dashboard import Figures
from jsd_desk.ui.home import GENDER_COLOURS, STATUS_COLOURS, _chart

TOTAL, UNKNOWN = ind.TOTAL, ind.UNKNOWN
TREND_SERIES = (("sessions_held", "#3d85c6"), ("complaints_by_category", "#e69138"),
                ("actions_made", "#6aa84f"))
PLACE_SETS = (("sessions_held", "#3d85c6"), ("complaints_by_category", "#e69138"))
ACTION_SETS = (("actions_made", "#8e7cc3"), ("actions_done", "#6aa84f"),
               ("actions_overdue", "#a64d4d"))
MAX_PLACES = 14  # more bars than this stop being readable at 1280 pixels


@dataclass(frozen=True)
class Pick:
    """The coordinates of one figure, as ``indicators.records_behind`` takes them."""

    part: str  # trend, by_place, overall (which breakdown of Figures)
    code: str
    place: str = TOTAL
    period: str = TOTAL
    category: str = TOTAL
    option: str = TOTAL
    caption: str = ""


PickFn = Callable[[Pick], None]


def value(figures: ind.IndicatorSet, code: str, *, place: str | None = None,
          period: str | None = None, category: str = TOTAL, option: str | None = None) -> float:
    found = figures.get(code, place=place, period=period, category=category, option=option)
    return float(found) if found is not None else 0.0


def _place_name(figures: ind.IndicatorSet, code: str) -> str:
    if code == UNKNOWN:
        return _("No place")
    return figures.name("place", code) or code


def _value_axis(top: float) -> QValueAxis:
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setRange(0, max(top * 1.1, 5))
    axis.applyNiceNumbers()
    return axis


def _category_axis(labels: list[str]) -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append(labels or [""])
    axis.setTruncateLabels(False)  # our labels are short already; "…" alone says nothing
    return axis


# A shorter name where the definition's title says more than a legend has room for.
SERIES_NAMES = {"complaints_by_category": N_("Complaints received"),
                "actions_made": N_("Made"), "actions_done": N_("Done"),
                "actions_overdue": N_("Overdue")}


def _small(axis: QBarCategoryAxis) -> QBarCategoryAxis:
    """Category labels a little smaller: nine participant categories must all show."""
    font = QFont(axis.labelsFont())
    font.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
    axis.setLabelsFont(font)
    return axis


def title(code: str) -> str:
    """The name of an indicator in a legend or a caption."""
    return _(SERIES_NAMES.get(code, ind.indicator(code).title))


def trend_chart(figures: Figures, pick: PickFn) -> QChart:
    """Sessions held, complaints received and action items made, period by period."""
    data = figures.trend
    periods = list(data.periods())
    chart = _chart()
    top = 0.0
    for code, colour in TREND_SERIES:
        series = QLineSeries()
        series.setName(title(code))
        series.setPointsVisible(True)
        pen = QPen(QColor(colour))
        pen.setWidth(2)
        series.setPen(pen)
        for n, period in enumerate(periods):
            v = value(data, code, period=period)
            top = max(top, v)
            series.append(QPointF(n, v))
        name = title(code)

        def clicked(point: QPointF, code: str = code, name: str = name) -> None:
            n = round(point.x())
            if 0 <= n < len(periods):
                pick(Pick("trend", code, place=_scope_place(data), period=periods[n],
                          caption=f"{name} · {periods[n]}"))

        series.clicked.connect(clicked)
        chart.addSeries(series)
    axis_x = _category_axis(periods)
    axis_y = _value_axis(top)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    for drawn in chart.series():
        drawn.attachAxis(axis_x)
        drawn.attachAxis(axis_y)
    return chart


def _scope_place(data: ind.IndicatorSet) -> str:
    places = data.places()
    return places[0] if len(places) == 1 else TOTAL


def place_chart(figures: Figures, pick: PickFn) -> QChart:
    """Sessions held and complaints received in each place one level below the chosen one."""
    data = figures.by_place
    totals: dict[str, float] = {}
    for figure in data.of("sessions_held") + data.of("complaints_by_category"):
        if figure.category == TOTAL:
            totals[figure.place] = totals.get(figure.place, 0.0) + float(figure.value)
    places = sorted(totals, key=lambda p: (-totals[p], _place_name(data, p)))[:MAX_PLACES]
    places.sort(key=lambda p: _place_name(data, p))
    chart = _chart()
    series = QBarSeries()
    top = 0.0
    for code, colour in PLACE_SETS:
        name = title(code)
        bar = QBarSet(name)
        bar.setColor(QColor(colour))
        bar.setBorderColor(QColor(colour))
        for place in places:
            v = value(data, code, place=place)
            top = max(top, v)
            bar.append(v)

        def clicked(index: int, code: str = code, name: str = name) -> None:
            if 0 <= index < len(places):
                pick(Pick("by_place", code, place=places[index], period=_only_period(data),
                          caption=f"{name} · {_place_name(data, places[index])}"))

        bar.clicked.connect(clicked)
        series.append(bar)
    chart.addSeries(series)
    axis_x = _category_axis([_short(_place_name(data, p), 18) for p in places])
    axis_y = _value_axis(top)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)
    return chart


def _only_period(data: ind.IndicatorSet) -> str:
    periods = data.periods()
    return periods[0] if len(periods) == 1 else TOTAL


def status_chart(figures: Figures, pick: PickFn) -> QChart:
    """Complaints received, by the status they have today."""
    data = figures.overall
    codes = list(reversed(vocab.COMPLAINT_STATUS.codes()))
    chart = _chart()
    chart.legend().setVisible(False)
    series = QHorizontalBarSeries()
    bar = QBarSet(_(ind.indicator("complaints_by_status").title))
    bar.setColor(QColor(STATUS_COLOURS["referred"]))
    values = [value(data, "complaints_by_status", category=c) for c in codes]
    for v in values:
        bar.append(v)
    series.append(bar)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
    bar.setLabelColor(QApplication.palette().color(QPalette.ColorRole.WindowText))

    def clicked(index: int) -> None:
        if 0 <= index < len(codes):
            pick(Pick("overall", "complaints_by_status", period=_only_period(data),
                      category=codes[index], caption="{} · {}".format(
                          _("Complaints"), vocab.COMPLAINT_STATUS.label(codes[index]))))

    bar.clicked.connect(clicked)
    chart.addSeries(series)
    axis_y = _small(_category_axis([vocab.COMPLAINT_STATUS.label(c) for c in codes]))
    axis_x = _value_axis(max(values, default=0))
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_y)
    series.attachAxis(axis_x)
    return chart


def actions_chart(figures: Figures, pick: PickFn) -> QChart:
    """Action items made, done and overdue, by responsible party."""
    data = figures.overall
    parties = [c for c in reversed(vocab.RESPONSIBLE_PARTY.codes())
               if value(data, "actions_made", category=c) > 0]
    chart = _chart()
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)  # the height is for the bars
    series = QHorizontalBarSeries()
    top = 0.0
    for code, colour in ACTION_SETS:
        name = title(code)
        bar = QBarSet(name)
        bar.setColor(QColor(colour))
        bar.setBorderColor(QColor(colour))
        for party in parties:
            v = value(data, code, category=party)
            top = max(top, v)
            bar.append(v)

        def clicked(index: int, code: str = code) -> None:
            if 0 <= index < len(parties):
                pick(Pick("overall", code, period=_only_period(data), category=parties[index],
                          caption=f"{_(ind.indicator(code).title)} · "
                                  f"{vocab.RESPONSIBLE_PARTY.label(parties[index])}"))

        bar.clicked.connect(clicked)
        series.append(bar)
    chart.addSeries(series)
    axis_y = _small(_category_axis([_short(vocab.RESPONSIBLE_PARTY.label(p), 21)
                                    for p in parties]))
    axis_x = _value_axis(top)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_y)
    series.attachAxis(axis_x)
    return chart


def participants_chart(figures: Figures, pick: PickFn) -> QChart:
    """Participants by category and gender (who takes part)."""
    data = figures.overall
    categories = [c for c in reversed(vocab.PARTICIPANT_CATEGORY.codes())
                  if value(data, "participants", category=c, option=TOTAL) > 0]
    chart = _chart()
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)  # the height is for the bars
    series = QHorizontalStackedBarSeries()
    top = 0.0
    for gender in vocab.GENDER.codes():
        bar = QBarSet(vocab.GENDER.label(gender))
        bar.setColor(QColor(GENDER_COLOURS[gender]))
        bar.setBorderColor(QColor(GENDER_COLOURS[gender]))
        for category in categories:
            bar.append(value(data, "participants", category=category, option=gender))

        def clicked(index: int, gender: str = gender) -> None:
            if 0 <= index < len(categories):
                pick(Pick("overall", "participants", period=_only_period(data),
                          category=categories[index], option=gender,
                          caption="{} · {} · {}".format(
                              _(ind.indicator("participants").title),
                              vocab.PARTICIPANT_CATEGORY.label(categories[index]),
                              vocab.GENDER.label(gender))))

        bar.clicked.connect(clicked)
        series.append(bar)
    for category in categories:
        top = max(top, value(data, "participants", category=category, option=TOTAL))
    chart.addSeries(series)
    axis_y = _small(_category_axis([_short(vocab.PARTICIPANT_CATEGORY.label(c), 21)
                                    for c in categories]))
    axis_x = _value_axis(top)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_y)
    series.attachAxis(axis_x)
    return chart


def _short(text: str, n: int = 14) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"
