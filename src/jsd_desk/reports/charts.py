"""Charts for printed reports (reportlab graphics), in the embedded fonts only.

reportlab's charts default to Helvetica for every label, which would put an unembedded font in
the PDF: every text-bearing part is given our family explicitly here, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.graphics import shapes
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from jsd_desk.reports import fonts
from jsd_desk.reports.pdfdoc import ACCENT, INK, MUTED, RULE

PALETTE: tuple[Color, ...] = (
    ACCENT, colors.HexColor("#2A9D8F"), colors.HexColor("#E9A23B"), colors.HexColor("#C8553D"),
    colors.HexColor("#6C5B7B"), colors.HexColor("#9AA5B1"))
GENDER_COLOURS = {"f": colors.HexColor("#B5477A"), "m": ACCENT,
                  "unspecified": colors.HexColor("#9AA5B1"), "_U": colors.HexColor("#C9D1DA")}

Formatter = Callable[[float], str]


def _drawing(width: float, height: float) -> Drawing:
    # The renderer starts every drawing by setting the default state's font, used or not:
    # left as Helvetica it lands in the PDF unembedded. Our family is the only font we draw with.
    shapes.STATE_DEFAULTS["fontName"] = fonts.REGULAR
    return Drawing(width, height)


def _axis_fonts(chart: HorizontalBarChart | VerticalBarChart, fmt: Formatter) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = fonts.REGULAR
        axis.labels.fontSize = 7.5
        axis.labels.fillColor = INK
        axis.strokeColor = RULE
    chart.valueAxis.labelTextFormat = fmt
    chart.valueAxis.gridStrokeColor = colors.HexColor("#E3E8EE")
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.forceZero = True
    chart.categoryAxis.visibleTicks = False
    chart.barLabels.fontName = fonts.REGULAR
    chart.barLabels.fontSize = 7
    chart.barLabels.fillColor = MUTED


def _scale(axis: object, values: Sequence[float], *, whole: bool = True) -> None:
    """A value axis from zero to a round maximum, in at most six round steps."""
    top = max([*values, 1.0 if whole else 0.01])
    step = 1.0
    for magnitude in (0.01, 0.1, 1, 10, 100, 1000, 10000, 100000):
        for unit in (1, 2, 2.5, 5):
            step = unit * magnitude
            if (whole and step < 1) or (whole and step != int(step)):
                continue
            if top / step <= 6:
                break
        else:
            continue
        break
    ticks = int(top / step) + (0 if top % step == 0 else 1)
    axis.valueMin = 0  # type: ignore[attr-defined]
    axis.valueMax = step * max(ticks, 1)  # type: ignore[attr-defined]
    axis.valueStep = step  # type: ignore[attr-defined]


def fit(label: str, width: float, size: float = 7.5) -> str:
    """A one-line label shortened with an ellipsis to fit ``width`` points."""
    if stringWidth(label, fonts.REGULAR, size) <= width:
        return label
    while label and stringWidth(label + "…", fonts.REGULAR, size) > width:
        label = label[:-1]
    return label.rstrip() + "…"


def empty(width: float, height: float, message: str) -> Drawing:
    d = _drawing(width, height)
    d.add(String(width / 2, height / 2, message, fontName=fonts.REGULAR, fontSize=9,
                 fillColor=MUTED, textAnchor="middle"))
    return d


def _legend(d: Drawing, names: Sequence[str], palette: Sequence[Color], x: float, y: float) -> None:
    legend = Legend()
    legend.fontName = fonts.REGULAR
    legend.fontSize = 7.5
    legend.fillColor = INK
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.x, legend.y = x, y
    legend.columnMaximum = 1
    legend.dx = legend.dy = 7
    legend.deltax = 14
    legend.dxTextSpace = 4
    legend.strokeColor = None
    legend.colorNamePairs = list(zip(palette, names, strict=False))
    d.add(legend)


def hbars(labels: Sequence[str], series: Sequence[Sequence[float]], *, width: float,
          names: Sequence[str] = (), palette: Sequence[Color] = PALETTE, stacked: bool = False,
          fmt: Formatter = lambda v: f"{v:g}", label_width: float = 110, bar_labels: bool = True,
          ) -> Drawing:
    """Horizontal bars, one row per label (top to bottom in the order given)."""
    rows = len(labels)
    legend_h = 16 if names else 0
    height = max(rows * (15 if stacked or len(series) == 1 else 9 * len(series) + 6), 30) + 24 + legend_h
    d = _drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 16
    chart.width, chart.height = width - label_width - 24, height - 22 - legend_h
    # reportlab draws the first category, and a group's first bar, at the bottom: reverse both
    # so that rows and bars read downwards in the order given (and in the legend's order).
    order = list(range(len(series))) if stacked else list(reversed(range(len(series))))
    chart.data = [list(reversed(series[i])) for i in order]
    chart.categoryAxis.categoryNames = [fit(x, label_width - 8) for x in reversed(labels)]
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    if stacked:
        chart.categoryAxis.style = "stacked"
    chart.barSpacing = 1
    chart.groupSpacing = 4
    for n, i in enumerate(order):
        chart.bars[n].fillColor = palette[i % len(palette)]
        chart.bars[n].strokeColor = None
    _axis_fonts(chart, fmt)
    totals = [sum(s[i] for s in series) for i in range(rows)] if stacked else [v for s in series for v in s]
    _scale(chart.valueAxis, totals)
    if bar_labels and not stacked:
        chart.barLabelFormat = fmt
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
    d.add(chart)
    if names:
        _legend(d, names, palette, label_width, height - 2)
    return d


def vbars(labels: Sequence[str], series: Sequence[Sequence[float]], *, width: float,
          height: float = 130, names: Sequence[str] = (), palette: Sequence[Color] = PALETTE,
          fmt: Formatter = lambda v: f"{v:g}", bar_labels: bool = True) -> Drawing:
    """Vertical grouped bars, one group per label (months), one bar per series."""
    legend_h = 16 if names else 0
    d = _drawing(width, height + legend_h)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 20
    chart.width, chart.height = width - 44, height - 30
    chart.data = [list(s) for s in series]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -3
    chart.barSpacing = 2
    chart.groupSpacing = 12
    for i, colour in enumerate(palette[:len(series)]):
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = None
    _axis_fonts(chart, fmt)
    _scale(chart.valueAxis, [v for s in series for v in s])
    if bar_labels:
        chart.barLabelFormat = fmt
        chart.barLabels.boxAnchor = "s"
        chart.barLabels.dy = 2
    d.add(chart)
    if names:
        _legend(d, names, palette, chart.x, height + legend_h - 2)
    return d
