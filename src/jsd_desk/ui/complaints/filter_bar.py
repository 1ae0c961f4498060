"""The Complaints page's filter bar: search-as-you-type, status (with counts), category,
channel and period, "Clear filters", and how many complaints the list holds."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QStyle, QToolBar, QWidget

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, _, ngettext
from jsd_desk.i18n.formats import format_number
from jsd_desk.services import complaint_queries as cq
from jsd_desk.ui.kit.widgets import add_action, fill_combo, fill_vocab_combo, fit_to_choice
from jsd_desk.ui.language import Retranslatable

SEARCH_PAUSE_MS = 250
PERIOD_LABELS = {
    "last_7": N_("Last 7 days"), "last_30": N_("Last 30 days"), "last_90": N_("Last 90 days"),
    "last_365": N_("Last 12 months"), "this_year": N_("This year"), "last_year": N_("Last year"),
}


class ComplaintFilterBar(Retranslatable, QWidget):
    """``changed``: a filter was chosen, or typing in the search box paused."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaint_filters")
        self._status_counts: dict[str, int] = {}
        self.search = QLineEdit()
        self.search.setObjectName("complaint_search")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(cq.SEARCH_MAX * 50)  # a long paste is cut by the query, safely
        self.search.setMinimumWidth(200)
        self.filter_status = QComboBox()
        self.filter_status.setObjectName("filter_status")
        self.filter_category = QComboBox()
        self.filter_category.setObjectName("filter_category")
        self.filter_channel = QComboBox()
        self.filter_channel.setObjectName("filter_channel")
        self.filter_period = QComboBox()
        self.filter_period.setObjectName("filter_period")
        for combo in self.combos():
            # As wide as what is chosen: "Toutes les catégories" is never cut, and the search
            # box keeps the room the longest category would take.
            fit_to_choice(combo)
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.action_clear_filters = add_action(self, "action_clear_filters", self.clear,
                                               QStyle.StandardPixmap.SP_DialogResetButton)
        self.count_label = QLabel()
        self.count_label.setObjectName("complaint_count")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self.changed.emit)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.changed.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 1)
        for combo in self.combos():
            layout.addWidget(combo)
        clear_button = QToolBar()
        clear_button.setObjectName("filters_toolbar")
        clear_button.addAction(self.action_clear_filters)
        layout.addWidget(clear_button)
        layout.addWidget(self.count_label)
        self.retranslate_ui()

    def combos(self) -> tuple[QComboBox, ...]:
        return (self.filter_status, self.filter_category, self.filter_channel, self.filter_period)

    def retranslate_ui(self) -> None:
        self.action_clear_filters.setText(_("Clear filters"))
        self.action_clear_filters.setToolTip(_("Show every complaint again"))
        self.search.setPlaceholderText(_("Search reference, description, against…"))
        self.search.setAccessibleName(_("Search complaints"))
        self.filter_status.setAccessibleName(_("Filter by status"))
        self.filter_category.setAccessibleName(_("Filter by category"))
        self.filter_channel.setAccessibleName(_("Filter by channel"))
        self.filter_period.setAccessibleName(_("Filter by period received"))
        self._fill_status_filter()
        fill_vocab_combo(self.filter_category, vocab.COMPLAINT_CATEGORY, empty=_("All categories"))
        fill_vocab_combo(self.filter_channel, vocab.COMPLAINT_CHANNEL, empty=_("All channels"))
        periods: list[tuple[Any, str]] = [(None, _("Any time"))]
        periods.extend((code, _(label)) for code, label in PERIOD_LABELS.items())
        fill_combo(self.filter_period, periods)

    # -- what is chosen ----------------------------------------------------------------------------

    def current_filter(self) -> cq.ComplaintFilter:
        start, end = cq.period_range(self.filter_period.currentData())
        return cq.ComplaintFilter(
            text=self.search.text(), status=self.filter_status.currentData(),
            category=self.filter_category.currentData(),
            channel=self.filter_channel.currentData(), received_from=start, received_to=end)

    def set_filter(self, *, status: str | object | None = ..., category: str | object | None = ...,
                   channel: str | object | None = ..., period: str | object | None = ...) -> None:
        """Choose filters as the combo boxes would, announcing one change."""
        blocked = self.blockSignals(True)
        try:
            for combo, value in ((self.filter_status, status), (self.filter_category, category),
                                 (self.filter_channel, channel), (self.filter_period, period)):
                if value is not ...:
                    index = combo.findData(value)
                    combo.setCurrentIndex(index if index >= 0 else 0)
        finally:
            self.blockSignals(blocked)
        self.changed.emit()

    def set_search_text(self, text: str) -> None:
        self.search.setText(text)
        self.changed.emit()

    def clear(self) -> None:
        for combo in self.combos():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.changed.emit()

    def stop_typing_timer(self) -> None:
        self._search_timer.stop()

    # -- what the list says back -------------------------------------------------------------------

    def set_status_counts(self, counts: dict[str, int]) -> None:
        self._status_counts = counts
        self._fill_status_filter()

    def _fill_status_filter(self) -> None:
        counts = self._status_counts

        def label(text: str, key: str) -> str:
            n = counts.get(key)
            return text if n is None else f"{text} ({format_number(n)})"

        items: list[tuple[Any, str]] = [(None, _("All statuses")),
                                        (cq.OPEN, label(_("Open (not closed)"), cq.OPEN))]
        items.extend((code, label(vocab.COMPLAINT_STATUS.label(code), code))
                     for code in vocab.COMPLAINT_STATUS.codes())
        fill_combo(self.filter_status, items)

    def show_count(self, total: int | None) -> None:
        if total is None:
            self.set_count_text(_("Counting…"))
        else:
            self.set_count_text(ngettext("{count} complaint", "{count} complaints", total,
                                         count=format_number(total)))

    def set_count_text(self, text: str) -> None:
        self.count_label.setText(text)
        self.count_label.setAccessibleName(text)
