"""The Dashboard's filter bar: place (region → commune → quartier), platform, session kind, period
(all time, a month, a quarter, a year or a date range) and the grain of the trend."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, _
from jsd_desk.services import dashboard
from jsd_desk.services import indicators as ind

PERIOD_KINDS = (("all", N_("All time")), ("month", N_("Month")), ("quarter", N_("Quarter")),
                ("year", N_("Year")), ("range", N_("Date range")))
GRAIN_NAMES = {"month": N_("by month"), "quarter": N_("by quarter"), "year": N_("by year")}
PLACE_DEPTH = 3  # region → commune (or department) → quartier (or village)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class FilterBar(QWidget):
    """Emits ``changed`` when any choice changes; ``filters()`` and ``grain()`` read them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = dashboard.Choices((), ())
        self.place_boxes = [QComboBox() for _ in range(PLACE_DEPTH)]
        for n, box in enumerate(self.place_boxes):
            box.setObjectName(f"filter_place_{n + 1}")
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(10)
            box.currentIndexChanged.connect(lambda _i, n=n: self._place_changed(n))
        self.platform = QComboBox()
        self.platform.setObjectName("filter_platform")
        self.platform.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.platform.setMinimumContentsLength(14)
        self.kind = QComboBox()
        self.kind.setObjectName("filter_kind")
        self.kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind.setMinimumContentsLength(12)
        self.period = QComboBox()
        self.period.setObjectName("filter_period")
        today = dt.date.today()
        self.date_from = QDateEdit(_qdate(today.replace(day=1)))
        self.date_from.setObjectName("filter_date_from")
        self.date_to = QDateEdit(_qdate(today))
        self.date_to.setObjectName("filter_date_to")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.grain_box = QComboBox()
        self.grain_box.setObjectName("filter_grain")
        for box in (self.platform, self.kind, self.grain_box):
            box.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.period.currentIndexChanged.connect(self._period_changed)

        self.place_label, self.platform_label, self.kind_label = QLabel(), QLabel(), QLabel()
        self.period_label, self.trend_label = QLabel(), QLabel()
        self.to_label = QLabel()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.place_label, 0, 0)
        for n, box in enumerate(self.place_boxes):
            grid.addWidget(box, 0, 1 + n)
        grid.addWidget(self.platform_label, 0, 4)
        grid.addWidget(self.platform, 0, 5, 1, 2)
        grid.addWidget(self.kind_label, 1, 0)
        grid.addWidget(self.kind, 1, 1)
        grid.addWidget(self.period_label, 1, 2)
        grid.addWidget(self.period, 1, 3)
        grid.addWidget(self.date_from, 1, 4)
        grid.addWidget(self.to_label, 1, 5)
        grid.addWidget(self.date_to, 1, 6)
        grid.addWidget(self.trend_label, 1, 7)
        grid.addWidget(self.grain_box, 1, 8)
        grid.setColumnStretch(9, 1)
        for label, buddy in ((self.place_label, self.place_boxes[0]),
                             (self.platform_label, self.platform), (self.kind_label, self.kind),
                             (self.period_label, self.period), (self.trend_label, self.grain_box),
                             (self.to_label, self.date_to)):
            label.setBuddy(buddy)
        self.retranslate_ui()
        self._period_changed()

    # -- language --------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.place_label.setText(_("&Place"))
        self.platform_label.setText(_("Pla&tform"))
        self.kind_label.setText(_("&Kind"))
        self.period_label.setText(_("P&eriod"))
        self.to_label.setText(_("to"))
        self.trend_label.setText(_("T&rend"))
        for n, box in enumerate(self.place_boxes):
            box.setAccessibleName(_("Place, level {n}", n=n + 1))
        self.platform.setAccessibleName(_("Platform"))
        self.kind.setAccessibleName(_("Kind of session"))
        self.period.setAccessibleName(_("Period"))
        self.date_from.setAccessibleName(_("From"))
        self.date_to.setAccessibleName(_("To"))
        self.grain_box.setAccessibleName(_("Trend"))
        with QSignalBlocker(self.period), QSignalBlocker(self.grain_box), \
                QSignalBlocker(self.kind):
            self._fill(self.period, [(code, _(name)) for code, name in PERIOD_KINDS],
                       self.period.currentData() or "all")
            self._fill(self.grain_box, [(g, _(GRAIN_NAMES[g])) for g in dashboard.TREND_GRAINS],
                       self.grain_box.currentData() or "month")
            kinds: list[tuple[object, str]] = [(None, _("All kinds"))]
            kinds.extend((c, vocab.SESSION_KIND.label(c)) for c in vocab.SESSION_KIND.codes())
            self._fill(self.kind, kinds, self.kind.currentData())
        self.set_choices(self._choices, quiet=True)

    # -- choices ---------------------------------------------------------------------------------

    def set_choices(self, choices: dashboard.Choices, *, quiet: bool = False) -> None:
        """The places and platforms to offer (read off the GUI thread by the page)."""
        self._choices = choices
        blockers = [QSignalBlocker(b) for b in (*self.place_boxes, self.platform)]
        selected = [b.currentData() for b in self.place_boxes]
        self._fill_place(0, None, selected[0])
        for n in range(1, PLACE_DEPTH):
            self._fill_place(n, self.place_boxes[n - 1].currentData(), selected[n])
        self._fill_platforms(self.platform.currentData())
        del blockers
        if not quiet:
            self.changed.emit()

    def _fill_place(self, n: int, parent: str | None, keep: object) -> None:
        box = self.place_boxes[n]
        if n > 0 and parent is None:
            self._fill(box, [(None, "—")], None)
            box.setEnabled(False)
            return
        kids = sorted(self._choices.children(parent), key=lambda p: p.name.lower())
        everywhere = _("All regions") if n == 0 else _("All of it")
        items: list[tuple[object, str]] = [(None, everywhere)]
        items.extend((p.id, p.name) for p in kids)
        self._fill(box, items, keep)
        box.setEnabled(bool(kids))

    def _fill_platforms(self, keep: object) -> None:
        place = self.place_id()
        allowed = self._choices.under(place) if place is not None else None
        rows: list[tuple[object, str]] = [(None, _("All platforms"))]
        rows.extend((pid, name) for pid, name, at in self._choices.platforms
                    if allowed is None or at in allowed)
        self._fill(self.platform, rows, keep)

    @staticmethod
    def _fill(box: QComboBox, items: list[tuple[object, str]], keep: object) -> None:
        box.clear()
        for data, text in items:
            box.addItem(text, data)
        index = box.findData(keep) if keep is not None else 0
        box.setCurrentIndex(max(index, 0))

    def _place_changed(self, n: int) -> None:
        blockers = [QSignalBlocker(b) for b in (*self.place_boxes, self.platform)]
        for k in range(n + 1, PLACE_DEPTH):
            self._fill_place(k, self.place_boxes[k - 1].currentData(), None)
        self._fill_platforms(self.platform.currentData())
        del blockers
        self.changed.emit()

    def _period_changed(self) -> None:
        kind = self.period.currentData() or "all"
        self.date_from.setVisible(kind != "all")
        self.date_to.setVisible(kind == "range")
        self.to_label.setVisible(kind == "range")
        formats = {"month": "yyyy-MM", "year": "yyyy"}
        self.date_from.setDisplayFormat(formats.get(kind, "yyyy-MM-dd"))
        self.changed.emit()

    # -- reading ---------------------------------------------------------------------------------

    def place_id(self) -> str | None:
        for box in reversed(self.place_boxes):
            if box.isEnabled() and box.currentData() is not None:
                return str(box.currentData())
        return None

    def select_place(self, *path: str) -> None:
        """Choose a place by the ids from the region down (tests, and a click on a bar)."""
        for n, place_id in enumerate(path[:PLACE_DEPTH]):
            self.place_boxes[n].setCurrentIndex(max(self.place_boxes[n].findData(place_id), 0))

    def grain(self) -> ind.Grain:
        value = self.grain_box.currentData()
        return value if value in dashboard.TREND_GRAINS else "month"

    def filters(self) -> ind.Filters:
        """The filters as chosen; an inverted range raises ``UsageError`` (shown by the page)."""
        kind = str(self.period.currentData() or "all")
        start, end = dashboard.period_filters(kind, _pydate(self.date_from.date()),
                                              _pydate(self.date_to.date()))
        platform = self.platform.currentData()
        kind_code = self.kind.currentData()
        return ind.Filters(place_id=self.place_id(),
                           platform_id=str(platform) if platform else None,
                           kind=str(kind_code) if kind_code else None,
                           date_from=start, date_to=end)
