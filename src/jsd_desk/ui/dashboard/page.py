"""The analyst's Dashboard: national indicators as charts, filtered, with the records behind each
figure a click away.

Every query runs off the GUI thread (``ui.operations``): a hub holding a million events stays
responsive while the figures are computed, and a result that arrives after the filters changed
again is dropped (each request carries a generation number).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import _, ngettext
from jsd_desk.i18n.formats import format_decimal, format_number, format_percent
from jsd_desk.services import dashboard
from jsd_desk.services import indicators as ind
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.dashboard import charts
from jsd_desk.ui.dashboard.filters import FilterBar
from jsd_desk.ui.dashboard.records import RecordsModel
from jsd_desk.ui.kit.page import Page
from jsd_desk.ui.kit.widgets import table_view
from jsd_desk.ui.operations import Operation, error_text, run_operation

# The headline figures, left to right: (indicator code, category, option).
KPIS = (("sessions_held", ind.TOTAL, None), ("participants", ind.TOTAL, ind.TOTAL),
        ("participants_share_women", ind.TOTAL, None),
        ("participants_share_youth", ind.TOTAL, None),
        ("complaints_by_category", ind.TOTAL, None),
        ("complaints_days_to_resolve_median", ind.TOTAL, None),
        ("complaints_share_open_30", ind.TOTAL, None),
        ("actions_completion_rate", ind.TOTAL, None))
WATCHED = frozenset({"session", "attendance", "concern", "complaint", "complaint_status",
                     "action_item", "platform", "place", "priority_problem"})
RECORDS_SHOWN = 500


def _shown(unit: str, v: float | int | None) -> str:
    if v is None:
        return "—"
    if unit == "share":
        return format_percent(v)
    if unit == "days":
        return format_decimal(v, 1)
    return format_number(v)


class DashboardPage(Page):
    WATCHED = WATCHED

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.figures: dashboard.Figures | None = None
        self.records: list[ind.RecordRef] = []
        self._choices: dashboard.Choices | None = None
        self._generation = 0
        self.drawn = 0  # the generation on screen (tests wait for it to catch up)
        self._requested: tuple[object, ...] | None = None
        self.mark_stale()  # the figures are asked for when the page is first shown
        self.operation: Operation | None = None  # the latest figures request (tests wait on it)
        self.records_operation: Operation | None = None
        self.records_pending = False

        self.filters = FilterBar()
        self.filters.setObjectName("dashboard_filters")
        self.filters.changed.connect(self._filters_changed)
        self.status = QLabel()
        self.status.setObjectName("dashboard_status")
        self.status.setWordWrap(True)
        # While figures are computed (seconds on a national hub): a busy bar, the page still
        # answers (the work runs in the background) and the last figures stay on screen.
        self.busy = QProgressBar()
        self.busy.setObjectName("dashboard_busy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.setVisible(False)
        status_box = QVBoxLayout()
        status_box.setSpacing(2)
        status_box.addWidget(self.status)
        status_box.addWidget(self.busy)
        # Beside the filters it answers (room to spare there), so no figure moves when it
        # comes and goes.
        grid = self.filters.layout()
        assert isinstance(grid, QGridLayout)
        grid.addLayout(status_box, 0, 7, 1, 3)

        self.kpi_labels: dict[str, tuple[QLabel, QLabel]] = {}
        kpi_row = QHBoxLayout()
        kpi_row.setSpacing(6)
        for code, _cat, _opt in KPIS:
            frame = QFrame()
            frame.setObjectName(f"kpi_{code}")
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            number, caption = QLabel("—"), QLabel()
            number.setObjectName(f"kpi_{code}_value")
            font = QFont(number.font())
            font.setPointSizeF(font.pointSizeF() * 1.2)
            font.setBold(True)
            number.setFont(font)
            caption.setWordWrap(True)
            box = QVBoxLayout(frame)
            box.setContentsMargins(6, 3, 6, 3)
            box.setSpacing(0)
            box.addWidget(number)
            box.addWidget(caption)
            kpi_row.addWidget(frame, 1)
            self.kpi_labels[code] = (number, caption)

        self.trend_box, self.trend_view = self._chart_box("chart_trend")
        self.place_box, self.place_view = self._chart_box("chart_by_place")
        self.people_box, self.people_view = self._chart_box("chart_participants")
        self.status_box = QGroupBox()
        self.status_tabs = QTabWidget()
        self.status_tabs.setObjectName("status_tabs")
        self.status_view = self._view("chart_complaints_status")
        self.actions_view = self._view("chart_actions")
        self.status_tabs.addTab(self.status_view, "")
        self.status_tabs.addTab(self.actions_view, "")
        QVBoxLayout(self.status_box).addWidget(self.status_tabs)

        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        grid.addWidget(self.trend_box, 0, 0)
        grid.addWidget(self.place_box, 0, 1)
        grid.addWidget(self.status_box, 1, 0)
        grid.addWidget(self.people_box, 1, 1)
        for n in range(2):
            grid.setColumnStretch(n, 1)
        # The breakdowns below list up to nine categories each: they get the taller row.
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)

        self.records_box = QGroupBox()
        self.records_box.setObjectName("records_behind_box")
        self.records_caption = QLabel()
        self.records_caption.setObjectName("records_caption")
        self.records_caption.setWordWrap(True)
        self.records_model = RecordsModel(self)
        self.records_list = table_view("records_behind")
        self.records_list.setModel(self.records_model)
        header = self.records_list.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setVisible(False)  # one column, named by the box's title
        # Two lines an entry: the record, then its date and code (the tooltip has it all).
        line = self.records_list.fontMetrics().lineSpacing()
        self.records_list.verticalHeader().setDefaultSectionSize(2 * line + 8)
        self.records_list.activated.connect(self._open)
        side = QVBoxLayout(self.records_box)
        side.addWidget(self.records_caption)
        side.addWidget(self.records_list, 1)

        self.splitter = QSplitter()
        self.splitter.setObjectName("dashboard_splitter")
        self.splitter.addWidget(grid_widget)
        self.splitter.addWidget(self.records_box)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self.filters)
        layout.addLayout(kpi_row)
        layout.addWidget(self.splitter, 1)

        # Several quick filter changes (a place cascade) make one request, not three.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.retranslate_ui()

    def _view(self, name: str) -> QChartView:
        view = QChartView()
        view.setObjectName(name)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumSize(260, 150)
        return view

    def _chart_box(self, name: str) -> tuple[QGroupBox, QChartView]:
        box = QGroupBox()
        box.setObjectName(f"{name}_box")
        view = self._view(name)
        QVBoxLayout(box).addWidget(view)
        return box, view

    # -- language ----------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.filters.retranslate_ui()
        self.trend_box.setTitle(_("Over time"))
        self.place_box.setTitle(_("By place"))
        self.people_box.setTitle(_("Who takes part"))
        self.status_box.setTitle(_("Where things stand"))
        self.status_tabs.setTabText(0, _("Complaints"))
        self.status_tabs.setTabText(1, _("Action items"))
        self.records_box.setTitle(_("Records behind a figure"))
        # A group box's title is never wrapped nor elided: the box is as wide as its title.
        title_width = QFontMetrics(self.records_box.font()).horizontalAdvance(
            self.records_box.title())
        self.records_box.setMinimumWidth(max(200, title_width + 28))
        self.records_list.setAccessibleName(self.records_box.title())
        self.records_model.retranslate()
        for view, name in ((self.trend_view, self.trend_box.title()),
                           (self.place_view, self.place_box.title()),
                           (self.people_view, self.people_box.title()),
                           (self.status_view, _("Complaints by current status")),
                           (self.actions_view, _("Action items by responsible party"))):
            view.setAccessibleName(name)
        for code, (number, caption) in self.kpi_labels.items():
            caption.setText(charts.title(code))
            number.setAccessibleName(caption.text())
        if not self.records:
            self.records_caption.setText(_("Click a bar or a point to list the records it "
                                           "counts."))
        self._draw()

    # -- requests ----------------------------------------------------------------------------------

    def records_changed(self, entities: frozenset[str]) -> None:
        # The page's own refresh (kit Page) follows; the choices and a request in flight may
        # predate the change.
        self._choices = None
        self._requested = None

    def _filters_changed(self) -> None:
        self._debounce.start()

    def _refresh(self) -> None:
        """Ask for the figures of the current filters, in the background."""
        self._debounce.stop()
        try:
            filters = self.filters.filters()
        except JsdError as exc:  # an inverted range: say so, keep the last figures
            self.status.setText(exc.message())
            return
        grain = self.filters.grain()
        request = (filters, grain, self._choices is None)
        if request == self._requested and self.operation is not None \
                and not self.operation.is_finished():
            return  # the same question is being answered (first show: shown, then selected)
        self._requested = request
        self._generation += 1
        generation = self._generation
        store, known = self.ctx.store, self._choices
        as_of = dt.date.today()

        def work(_progress: Any) -> tuple[dashboard.Choices, dashboard.Figures]:
            choices = known or dashboard.choices(store)
            return choices, dashboard.figures(store, filters, grain, as_of=as_of, known=choices)

        if self.operation is not None and not self.operation.is_finished():
            self.operation.cancel()  # not started yet: it never will; running: dropped
        self.status.setText(_("Computing the figures…"))
        self.busy.setVisible(True)
        self.operation = run_operation(
            self, _("Dashboard"), work, show_progress=False,
            on_success=lambda result: self._arrived(generation, result),
            on_failure=lambda exc: self._failed(generation, exc))

    def _arrived(self, generation: int, result: tuple[dashboard.Choices,
                                                       dashboard.Figures]) -> None:
        if generation != self._generation:
            return  # the filters changed meanwhile; a newer request is on its way
        choices, figures = result
        if choices is not self._choices:
            self._choices = choices
            self.filters.set_choices(choices, quiet=True)
        self.figures = figures
        self.status.setText("")
        self.busy.setVisible(False)
        self._draw()
        self.drawn = generation

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.status.setText(error_text(exc))
            self.busy.setVisible(False)
            self.drawn = generation

    def settled(self) -> bool:
        """No request pending: what is drawn answers the current filters."""
        return not self._debounce.isActive() and self.drawn == self._generation

    # -- drawing -----------------------------------------------------------------------------------

    def _draw(self) -> None:
        figures = self.figures
        if figures is None:
            return
        for code, category, option in KPIS:
            number, _caption = self.kpi_labels[code]
            found = figures.overall.get(code, category=category, option=option)
            number.setText(_shown(ind.indicator(code).unit, found))
        pick = self.show_records
        self._set(self.trend_view, charts.trend_chart(figures, pick))
        self._set(self.place_view, charts.place_chart(figures, pick))
        self._set(self.status_view, charts.status_chart(figures, pick))
        self._set(self.actions_view, charts.actions_chart(figures, pick))
        self._set(self.people_view, charts.participants_chart(figures, pick))

    @staticmethod
    def _set(view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()

    # -- the records behind a figure -----------------------------------------------------------------

    def show_records(self, pick: charts.Pick) -> None:
        """List the records a figure counts (in the background: a national figure may count
        thousands)."""
        figures = self.figures
        if figures is None:
            return
        store = self.ctx.store
        breakdown = figures.breakdown(pick.part)
        as_of = figures.trend.as_of

        def work(_progress: Any) -> list[ind.RecordRef]:
            return ind.records_behind(store, pick.code, filters=figures.filters,
                                      breakdown=breakdown, place=pick.place, period=pick.period,
                                      category=pick.category, option=pick.option, as_of=as_of,
                                      limit=RECORDS_SHOWN)

        self.records_caption.setText(pick.caption)
        self.records_pending = True
        self.records_operation = run_operation(
            self, _("Dashboard"), work, show_progress=False,
            on_success=lambda refs: self._list(pick, refs),
            on_failure=lambda exc: self.records_caption.setText(error_text(exc)))

    def _list(self, pick: charts.Pick, refs: list[ind.RecordRef]) -> None:
        self.records_pending = False
        self.records = refs
        self.records_model.set_rows(refs)
        self.records_list.scrollToTop()
        if len(refs) >= RECORDS_SHOWN:
            text = _("{what}: the first {n} records", what=pick.caption, n=len(refs))
        else:
            text = ngettext("{what}: {n} record", "{what}: {n} records", len(refs),
                            what=pick.caption)
        self.records_caption.setText(text)

    def _open(self, index: QModelIndex) -> None:
        ref = self.records_model.row_at(index.row())
        if ref is not None:
            self.ctx.signals.open_requested.emit(ref.entity, ref.id)
