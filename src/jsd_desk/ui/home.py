"""Home: what needs attention today, at a glance.

Upcoming sessions, overdue action items, the open complaints most urgent first (on a liaison
officer's device: what the police owe, and by when), the last sync, and two
small charts: participants by gender over the recent sessions, complaints by status.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.i18n import _, ngettext
from jsd_desk.services import complaint_standing, queries, sync
from jsd_desk.services.complaint_detail import identity_hidden
from jsd_desk.ui.complaints.deadline import due_text, flags_text, state_icon, state_label
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.page import Page

# Colours readable on light and dark backgrounds alike.
GENDER_COLOURS = {"f": "#c0569b", "m": "#3f7fbf", "unspecified": "#9a9a9a"}
STATUS_COLOURS = {"received": "#8e7cc3", "under_review": "#e69138", "referred": "#3d85c6",
                  "resolved": "#6aa84f", "closed_unresolved": "#a64d4d", "withdrawn": "#999999"}


def is_dark() -> bool:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        # Some desktops hand Qt a dark palette without announcing a dark colour scheme: trust
        # whichever says dark, so chart labels never go dark-on-dark.
        dark_palette = app.palette().color(QPalette.ColorRole.Window).lightness() < 128
        return dark_palette or app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    return False


def _chart() -> QChart:
    chart = QChart()
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if is_dark() else QChart.ChartTheme.ChartThemeLight)
    chart.setBackgroundVisible(False)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


class HomePage(Page):
    WATCHED = frozenset({"session", "attendance", "complaint", "action_item", "platform",
                         "complaint_status_change", "complaint_target"})
    REFRESH_DELAY_MS = 0

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.mark_stale()  # read when first shown

        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.sync_label = QLabel()
        self.sync_label.setObjectName("last_sync")

        self.upcoming_box, self.upcoming = self._list_box("upcoming_sessions")
        self.overdue_box, self.overdue = self._list_box("overdue_action_items")
        self.waiting_box, self.waiting = self._list_box("complaints_waiting")
        self.upcoming.itemActivated.connect(self._open)
        self.overdue.itemActivated.connect(self._open)
        self.waiting.itemActivated.connect(self._open)

        self.attendance_box = QGroupBox()
        self.attendance_view = QChartView()
        self.attendance_view.setObjectName("chart_attendance_by_gender")
        self.attendance_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.attendance_view.setMinimumHeight(240)
        QVBoxLayout(self.attendance_box).addWidget(self.attendance_view)
        self.status_box = QGroupBox()
        self.status_view = QChartView()
        self.status_view.setObjectName("chart_complaints_by_status")
        self.status_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.status_view.setMinimumHeight(240)
        QVBoxLayout(self.status_box).addWidget(self.status_view)

        grid = QGridLayout()
        grid.setSpacing(12)
        grid.addWidget(self.upcoming_box, 0, 0)
        grid.addWidget(self.overdue_box, 0, 1)
        grid.addWidget(self.waiting_box, 0, 2)
        grid.addWidget(self.attendance_box, 1, 0, 1, 2)
        grid.addWidget(self.status_box, 1, 2)
        for col in range(3):
            grid.setColumnStretch(col, 1)
        grid.setRowStretch(1, 1)

        inner = QWidget()
        outer = QVBoxLayout(inner)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.addWidget(self.heading)
        outer.addWidget(self.sync_label)
        outer.addLayout(grid, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.styleHints().colorSchemeChanged.connect(lambda _s: self.refresh())
        self.retranslate_ui()

    def _list_box(self, name: str) -> tuple[QGroupBox, QListWidget]:
        box = QGroupBox()
        box.setObjectName(f"{name}_box")
        widget = QListWidget()
        widget.setObjectName(name)
        widget.setWordWrap(True)
        widget.setAlternatingRowColors(True)
        widget.setMinimumHeight(150)
        QVBoxLayout(box).addWidget(widget)
        return box, widget

    # -- language ----------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.heading.setText(_("Today, {date}", date=dt.date.today().isoformat()))
        self.upcoming_box.setTitle(_("Upcoming sessions"))
        self.overdue_box.setTitle(_("Overdue action items"))
        self.waiting_box.setTitle(_("What the police owe complainants")
                                  if identity_hidden(self.ctx.store)
                                  else _("Complaints, most urgent first"))
        self.attendance_box.setTitle(_("Participants by gender, recent sessions"))
        self.status_box.setTitle(_("Complaints by status"))
        for box, widget in ((self.upcoming_box, self.upcoming), (self.overdue_box, self.overdue),
                            (self.waiting_box, self.waiting)):
            widget.setAccessibleName(box.title())
        self.attendance_view.setAccessibleName(self.attendance_box.title())
        self.status_view.setAccessibleName(self.status_box.title())
        self.refresh()

    # -- data ------------------------------------------------------------------------------------

    def _refresh(self) -> None:
        store = self.ctx.store
        last = sync.last_sync(store)
        self.sync_label.setText(_("Last sync: {when}", when=last.strftime("%Y-%m-%d %H:%M"))
                                if last else _("Last sync: never"))
        self.sync_label.setAccessibleName(self.sync_label.text())

        self.upcoming.clear()
        for row in queries.upcoming_sessions(store):
            when = row.starts_at.strftime("%Y-%m-%d %H:%M") if row.starts_at else ""
            self._item(self.upcoming, f"{when} — {row.title}\n{row.platform}", "session", row.id)
        if self.upcoming.count() == 0:
            self._empty(self.upcoming, _("No session planned."))

        self.overdue.clear()
        lines, total = queries.overdue_action_items(store)
        today = dt.date.today()
        for line in lines:
            late = (today - line.due_on).days if line.due_on else 0
            self._item(self.overdue, "{desc}\n{who} · {late}".format(
                desc=_short(line.description),
                who=vocab.RESPONSIBLE_PARTY.label(line.responsible_party or ""),
                late=ngettext("{n} day late", "{n} days late", late)), "action_item", line.id)
        if total > len(lines):
            self._empty(self.overdue, _("… and {n} more", n=total - len(lines)))
        if total == 0:
            self._empty(self.overdue, _("Nothing overdue."))

        self.waiting.clear()
        # The most urgent first: overdue (longest first), at risk, then by due date; on a
        # liaison officer's device, what the police owe and by when.
        complaints, open_total = complaint_standing.by_urgency(
            store, liaison_only=identity_hidden(store))
        for st in complaints:
            rows = ["{ref} · {cat}".format(ref=st.reference,
                                           cat=vocab.COMPLAINT_CATEGORY.label(st.category or "")),
                    " · ".join(x for x in (state_label(st), due_text(st)) if x)]
            if st.flags:
                rows.append(flags_text(st))
            item = self._item(self.waiting, "\n".join(rows), "complaint", st.id)
            item.setIcon(state_icon(st.state))
        if open_total > len(complaints):
            self._empty(self.waiting, _("… and {n} more open", n=open_total - len(complaints)))
        if open_total == 0:
            self._empty(self.waiting, _("Nothing owed to complainants.") if identity_hidden(store)
                        else _("No open complaint."))

        self._attendance_chart()
        self._status_chart()

    def _item(self, widget: QListWidget, text: str, entity: str,
              record_id: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, (entity, record_id))
        item.setToolTip(text)
        widget.addItem(item)
        return item

    def _empty(self, widget: QListWidget, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = item.font()
        font.setItalic(True)
        item.setFont(font)
        widget.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(data, tuple):
            self.ctx.signals.open_requested.emit(data[0], data[1])

    def _attendance_chart(self) -> None:
        recent = queries.attendance_by_gender_recent(self.ctx.store)
        chart = _chart()
        series = QStackedBarSeries()
        for gender in vocab.GENDER.codes():
            bar = QBarSet(vocab.GENDER.label(gender))
            bar.setColor(QColor(GENDER_COLOURS[gender]))
            bar.setBorderColor(QColor(GENDER_COLOURS[gender]))
            for s in recent:
                bar.append(s.by_gender.get(gender, 0))
            series.append(bar)
        chart.addSeries(series)
        categories = [s.starts_at.strftime("%d/%m") if s.starts_at else "?" for s in recent]
        axis_x = QBarCategoryAxis()
        axis_x.append(categories or [""])
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        top = max((sum(s.by_gender.values()) for s in recent), default=0)
        axis_y.setRange(0, max(top, 5))
        axis_y.applyNiceNumbers()
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        self._set_chart(self.attendance_view, chart)
        total = sum(sum(s.by_gender.values()) for s in recent)
        women = sum(s.by_gender.get("f", 0) for s in recent)
        share = round(100 * women / total) if total else 0
        self.attendance_view.setToolTip(_("{n} participants in the last {k} sessions, "
                                          "{share} % women", n=total, k=len(recent), share=share))
        self.attendance_view.setAccessibleDescription(self.attendance_view.toolTip())

    def _status_chart(self) -> None:
        counts = queries.complaints_by_status(self.ctx.store)
        chart = _chart()
        chart.legend().setVisible(False)
        series = QHorizontalBarSeries()
        bar = QBarSet(_("Complaints"))
        bar.setColor(QColor("#3d85c6"))
        codes = list(reversed(vocab.COMPLAINT_STATUS.codes()))
        for code in codes:
            bar.append(counts.get(code, 0))
        series.append(bar)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        bar.setLabelColor(self.palette().color(QPalette.ColorRole.WindowText))
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append([vocab.COMPLAINT_STATUS.label(c) for c in codes])
        axis_x = QValueAxis()
        axis_x.setLabelFormat("%d")
        axis_x.setRange(0, max(max(counts.values(), default=0) * 1.15, 5))
        axis_x.applyNiceNumbers()
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        series.attachAxis(axis_x)
        self._set_chart(self.status_view, chart)
        self.status_view.setAccessibleDescription(", ".join(
            f"{vocab.COMPLAINT_STATUS.label(c)}: {counts.get(c, 0)}"
            for c in vocab.COMPLAINT_STATUS.codes()))

    def _set_chart(self, view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"
