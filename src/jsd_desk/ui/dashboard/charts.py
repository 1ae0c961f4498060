"""The Dashboard's charts, drawn from ``services.dashboard.Figures`` (the indicator values).

Each builder returns a QChart whose bars or points call ``pick`` with the coordinates of the
figure clicked, so the page can list the records behind it. No figure is computed here: every
number drawn is one ``IndicatorValue``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QAbstractSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette, QPen
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
SIDE_LABEL_WIDTH = 140.0  # pixels: the widest category label beside horizontal bars
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


def nice_step(top: float, slots: int) -> int:
    """The smallest step of 1, 2 or 5 × 10ⁿ (at least 1: the axes count things) that covers
    ``top`` in at most ``slots`` intervals."""
    raw = max(top, 1.0) / max(slots, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step: float = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return max(round(step), 1)


def _value_axis(chart: QChart, top: float, *, vertical: bool) -> QValueAxis:
    """The counting axis of a chart, its ticks fitted to the room the plot has: as many labels
    as fit without overlapping (never Qt's "…" in place of a number), on round steps.
    Re-fitted whenever the plot area changes (a window resized, a language switched)."""
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setTruncateLabels(False)  # should a label still not fit, Qt skips it rather than "…"
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    top = max(top, 1.0)

    def fit(area: QRectF, slots: int | None = None) -> None:
        if slots is None:
            metrics = QFontMetricsF(axis.labelsFont())
            if vertical:
                room, per_label = area.height(), metrics.height() * 1.8
            else:
                widest = metrics.horizontalAdvance(str(int(top * 1.2) + 1))
                room, per_label = area.width(), widest + metrics.height() * 2
            slots = int(room // per_label) if per_label > 0 else 4
        step = nice_step(top, max(slots, 1))
        high = step * max(math.ceil(top / step), 1)
        if high < top * 1.05:  # a little air above the longest bar
            high += step
        if (axis.tickInterval(), axis.max()) != (step, high):
            axis.setTickInterval(step)
            axis.setRange(0, high)

    fit(QRectF(), slots=4)  # until the chart is laid out
    chart.plotAreaChanged.connect(fit)
    return axis


def _category_axis(labels: list[str]) -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append(labels or [""])
    axis.setTruncateLabels(False)  # our labels are short already; "…" alone says nothing
    return axis


# A shorter name where the definition's title says more than a legend has room for.
SERIES_NAMES = {"complaints_by_category": N_("Complaints received")}
# The lines of the trend: three legends side by side under a chart half the page wide, so
# the shortest names (what they count is in the chart's title; a click's caption says it all).
TREND_NAMES = {"sessions_held": N_("Sessions"), "complaints_by_category": N_("Complaints"),
               "actions_made": N_("Action items")}
# The bars of the action items chart, whose title already says "Action items".
ACTION_NAMES = {"actions_made": N_("Made"), "actions_done": N_("Done"),
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
        series.setName(_(TREND_NAMES[code]))
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
    _axes(chart, chart.series(), _category_axis(periods), top, horizontal=False)
    return chart


def _axes(chart: QChart, series: list[QAbstractSeries], categories: QBarCategoryAxis,
          top: float, *, horizontal: bool) -> None:
    """The category axis and the counting axis of a chart (categories down the left side for
    horizontal bars, along the bottom otherwise), attached to every series."""
    counts = _value_axis(chart, top, vertical=not horizontal)
    left, bottom = (categories, counts) if horizontal else (counts, categories)
    chart.addAxis(bottom, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(left, Qt.AlignmentFlag.AlignLeft)
    for drawn in series:
        drawn.attachAxis(bottom)
        drawn.attachAxis(left)


def _bar_chart(series: QAbstractBarSeries, sets: list[tuple[str, str]], labels: list[str],
               value_at: Callable[[int, int], float], clicked: Callable[[int, int], None], *,
               horizontal: bool, legend: Qt.AlignmentFlag | None = Qt.AlignmentFlag.AlignBottom,
               top: float | None = None) -> QChart:
    """A bar chart: one bar set per ``(name, colour)`` of ``sets`` over the ``labels``;
    ``value_at(set, label)`` is a bar's height, ``clicked(set, label)`` is called when it is
    clicked. ``top`` is the longest bar (default: the highest value; stacked bars give the
    stack's)."""
    chart = _chart()
    if legend is None:
        chart.legend().setVisible(False)
    else:
        chart.legend().setAlignment(legend)
    highest = 0.0
    for s, (name, colour) in enumerate(sets):
        bar = QBarSet(name)
        bar.setColor(QColor(colour))
        bar.setBorderColor(QColor(colour))
        for n in range(len(labels)):
            v = value_at(s, n)
            highest = max(highest, v)
            bar.append(v)

        def on_click(index: int, s: int = s) -> None:
            if 0 <= index < len(labels):
                clicked(s, index)

        bar.clicked.connect(on_click)
        series.append(bar)
    chart.addSeries(series)
    axis = _category_axis(labels)
    if horizontal:
        _small(axis)  # the bars run across: their labels stack down the side
        # …and would take the chart's width from the bars: a long name ends in "…" at a
        # quarter of the chart's width (the click's caption names it whole).
        _elide_to_chart(chart, axis, labels)
    _axes(chart, [series], axis, highest if top is None else top, horizontal=horizontal)
    return chart


def _elide_to_chart(chart: QChart, axis: QBarCategoryAxis, labels: list[str]) -> None:
    metrics = QFontMetricsF(axis.labelsFont())
    shown: list[float] = []

    def fit() -> None:
        width = chart.size().width()
        room = min(SIDE_LABEL_WIDTH, width * 0.25) if width > 0 else SIDE_LABEL_WIDTH
        if shown and abs(shown[0] - room) < 2:
            return
        shown[:] = [room]
        elided = [metrics.elidedText(t, Qt.TextElideMode.ElideRight, room) for t in labels]
        if elided != axis.categories():
            axis.clear()
            axis.append(elided or [""])

    fit()
    chart.geometryChanged.connect(fit)


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
    codes = [code for code, _colour in PLACE_SETS]

    def clicked(s: int, n: int) -> None:
        pick(Pick("by_place", codes[s], place=places[n], period=_only_period(data),
                  caption=f"{title(codes[s])} · {_place_name(data, places[n])}"))

    return _bar_chart(QBarSeries(), [(title(c), colour) for c, colour in PLACE_SETS],
                      [_short(_place_name(data, p), 18) for p in places],
                      lambda s, n: value(data, codes[s], place=places[n]), clicked,
                      horizontal=False)


def _only_period(data: ind.IndicatorSet) -> str:
    periods = data.periods()
    return periods[0] if len(periods) == 1 else TOTAL


def status_chart(figures: Figures, pick: PickFn) -> QChart:
    """Complaints received, by the status they have today."""
    data = figures.overall
    codes = list(reversed(vocab.COMPLAINT_STATUS.codes()))

    def clicked(_s: int, n: int) -> None:
        pick(Pick("overall", "complaints_by_status", period=_only_period(data),
                  category=codes[n], caption="{} · {}".format(
                      _("Complaints"), vocab.COMPLAINT_STATUS.label(codes[n]))))

    series = QHorizontalBarSeries()
    chart = _bar_chart(series, [(_(ind.indicator("complaints_by_status").title),
                                 STATUS_COLOURS["referred"])],
                       [vocab.COMPLAINT_STATUS.label(c) for c in codes],
                       lambda _s, n: value(data, "complaints_by_status", category=codes[n]),
                       clicked, horizontal=True, legend=None)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
    for bar in series.barSets():
        bar.setLabelColor(QApplication.palette().color(QPalette.ColorRole.WindowText))
    return chart


def actions_chart(figures: Figures, pick: PickFn) -> QChart:
    """Action items made, done and overdue, by responsible party."""
    data = figures.overall
    parties = [c for c in reversed(vocab.RESPONSIBLE_PARTY.codes())
               if value(data, "actions_made", category=c) > 0]
    codes = [code for code, _colour in ACTION_SETS]

    def clicked(s: int, n: int) -> None:
        pick(Pick("overall", codes[s], period=_only_period(data), category=parties[n],
                  caption=f"{_(ind.indicator(codes[s]).title)} · "
                          f"{vocab.RESPONSIBLE_PARTY.label(parties[n])}"))

    # The legend on the right: the height is for the bars.
    return _bar_chart(QHorizontalBarSeries(),
                      [(_(ACTION_NAMES[c]), colour) for c, colour in ACTION_SETS],
                      [vocab.RESPONSIBLE_PARTY.label(p) for p in parties],
                      lambda s, n: value(data, codes[s], category=parties[n]), clicked,
                      horizontal=True, legend=Qt.AlignmentFlag.AlignRight)


def participants_chart(figures: Figures, pick: PickFn) -> QChart:
    """Participants by category and gender (who takes part)."""
    data = figures.overall
    categories = [c for c in reversed(vocab.PARTICIPANT_CATEGORY.codes())
                  if value(data, "participants", category=c, option=TOTAL) > 0]
    genders = vocab.GENDER.codes()

    def clicked(s: int, n: int) -> None:
        pick(Pick("overall", "participants", period=_only_period(data),
                  category=categories[n], option=genders[s],
                  caption="{} · {} · {}".format(
                      _(ind.indicator("participants").title),
                      vocab.PARTICIPANT_CATEGORY.label(categories[n]),
                      vocab.GENDER.label(genders[s]))))

    top = max((value(data, "participants", category=c, option=TOTAL) for c in categories),
              default=0.0)
    return _bar_chart(QHorizontalStackedBarSeries(),
                      [(vocab.GENDER.label(g), GENDER_COLOURS[g]) for g in genders],
                      [vocab.PARTICIPANT_CATEGORY.label(c) for c in categories],
                      lambda s, n: value(data, "participants", category=categories[n],
                                         option=genders[s]),
                      clicked, horizontal=True, legend=Qt.AlignmentFlag.AlignRight, top=top)


def _short(text: str, n: int = 14) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"
