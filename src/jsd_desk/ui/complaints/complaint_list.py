"""The Complaints page's list: a lazy table of complaints under the filter bar, its columns
sized to what they can hold, and the reads behind it.

The list reads one page at a time (``ComplaintTableModel``); the counts in the filter bar are
computed off the GUI thread, so typing in the search box never waits for a count over 100,000
complaints, and a text search's first page is read off the GUI thread too.

The columns whose values come from a vocabulary (status, deadline, category, channel) and the
reference and date columns are as wide as their longest possible value in the current
language, so they are never cut; the summary takes the rest. Beside an open complaint the
list is *compact*: reference, status and deadline (and the summary), the rest being in the
complaint shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.i18n import _
from jsd_desk.services import complaint_queries as cq
from jsd_desk.ui.complaints.filter_bar import ComplaintFilterBar
from jsd_desk.ui.complaints.model import ComplaintTableModel, short_date
from jsd_desk.ui.complaints.reads import start_held, wait_for
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.widgets import current_id
from jsd_desk.ui.language import Retranslatable
from jsd_desk.ui.operations import Operation, error_text

M = ComplaintTableModel
# Shown unless the user hides them (the header's context menu); the others start hidden.
HIDDEN_AT_FIRST = frozenset({M.CHANNEL, M.AGAINST})
# Beside an open complaint (the rest is in the complaint shown).
COMPACT = frozenset({M.REFERENCE, M.STATUS, M.DEADLINE, M.SUMMARY})
SUMMARY_MIN = 160  # the stretching column's least width
# Categories run to "Comportement des forces de défense et de sécurité": beyond this many
# average characters such a value is cut in the list (whole in its tooltip and the editor),
# so that the summary keeps some room.
CAPPED = {M.CATEGORY: 28, M.CHANNEL: 20}


def _texts(column: int) -> list[str]:
    """Every text ``column`` can show, in the current language."""
    if column == M.REFERENCE:
        return ["NAMS-2026-00000"]
    if column == M.RECEIVED:
        return [short_date(dt.date(2026, month, 28)) for month in range(1, 13)]
    if column == M.STATUS:
        return [vocab.COMPLAINT_STATUS.label(c) for c in vocab.COMPLAINT_STATUS.codes()]
    if column == M.DEADLINE:
        return [f"{vocab.DEADLINE_STATE.label(c)} ⚑" for c in vocab.DEADLINE_STATE.codes()]
    if column == M.CATEGORY:
        return [vocab.COMPLAINT_CATEGORY.label(c) for c in vocab.COMPLAINT_CATEGORY.codes()]
    if column == M.CHANNEL:
        return [vocab.COMPLAINT_CHANNEL.label(c) for c in vocab.COMPLAINT_CHANNEL.codes()]
    return []


class ComplaintList(Retranslatable, QWidget):
    """``chosen(complaint_id)``: the user moved to a complaint in the list. ``shown`` says which
    complaint the page shows (the one to keep selected when the rows change)."""

    chosen = Signal(str)

    def __init__(self, ctx: UiContext, filters: ComplaintFilterBar,
                 shown: Callable[[], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filters = filters
        self._shown = shown
        self._compact = False
        self._hidden = {False: set(HIDDEN_AT_FIRST), True: set(range(len(M.HEADERS))) - COMPACT}
        self._count_generation = 0
        self._page_generation = 0
        self.counting: Operation | None = None
        self.loading: Operation | None = None  # a text search's first page, off the GUI thread
        self._wanted = cq.ComplaintFilter()  # the filter asked for (its rows may be on the way)

        self.model = ComplaintTableModel(ctx.store, self)
        self.table = QTableView()
        self.table.setObjectName("complaints_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self._apply_hidden()
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.empty = QLabel()
        self.empty.setObjectName("complaints_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        filters.changed.connect(self._filters_changed)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.table.setAccessibleName(_("Complaints"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(M.HEADERS) - 1)
        if self.model.rowCount():
            self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(
                self.model.rowCount() - 1, len(M.HEADERS) - 1))
        self._size_columns()
        self.filters.show_count(self.model.total)

    def _fit(self) -> None:
        self.setMinimumWidth(self.needed_width())

    # -- columns -----------------------------------------------------------------------------------

    def column_width(self, column: int) -> int:
        """What ``column`` needs for its header and its longest possible value."""
        table = self.table
        style = table.style()
        pad = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1) + 8
        header = table.horizontalHeader()
        header_needed = header.fontMetrics().horizontalAdvance(_(M.HEADERS[column])) + 2 * (
            style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)) + 8
        font = QFont(table.font())
        if column == M.REFERENCE:  # the model's monospace font
            font.setStyleHint(QFont.StyleHint.Monospace)
            font.setFamilies(["DejaVu Sans Mono", "Consolas", "Menlo", "monospace"])
        metrics = QFontMetrics(font)
        texts = _texts(column)
        if not texts:
            return header_needed
        icon = table.iconSize().width() if table.iconSize().width() > 0 else \
            style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, table)
        decoration = icon + 4 if column in (M.STATUS, M.DEADLINE) else 0
        widest = max(metrics.horizontalAdvance(t) for t in texts)
        if column in CAPPED:
            widest = min(widest, CAPPED[column] * metrics.averageCharWidth())
        return max(header_needed, widest + decoration + pad)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        for column in range(len(M.HEADERS) - 1):  # the last one (the summary) stretches
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, self.column_width(column))
        self._fit()

    def needed_width(self) -> int:
        """The list's width with every shown column whole and some summary."""
        shown = [c for c in range(len(M.HEADERS) - 1) if not self.table.isColumnHidden(c)]
        bar = self.table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None,
                                             self.table)
        return sum(self.table.horizontalHeader().sectionSize(c) for c in shown) + SUMMARY_MIN \
            + bar + 2 * self.table.frameWidth()

    def set_compact(self, compact: bool) -> None:
        """Beside an open complaint (True), or alone (False)."""
        if compact != self._compact:
            self._compact = compact
            self._apply_hidden()
            self._fit()

    def _apply_hidden(self) -> None:
        hidden = self._hidden[self._compact]
        for column in range(len(M.HEADERS)):
            self.table.setColumnHidden(column, column in hidden)

    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setObjectName("complaint_columns_menu")
        hidden = self._hidden[self._compact]
        for column, title in enumerate(M.HEADERS):
            if column == M.REFERENCE:
                continue
            action = menu.addAction(_(title))
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(lambda shown, c=column: self._show_column(hidden, c, shown))
        menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    def _show_column(self, hidden: set[int], column: int, shown: bool) -> None:
        (hidden.discard if shown else hidden.add)(column)
        self._apply_hidden()
        self._fit()

    # -- selection ---------------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        return current_id(self.table, self.model)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        complaint_id = self.model.id_at(current.row())
        if complaint_id:
            self.chosen.emit(str(complaint_id))

    def select(self, complaint_id: str | None, *, scroll: bool = False) -> bool:
        """Select the complaint's row without announcing it; False when it is not listed."""
        row = self.model.row_of(complaint_id) if complaint_id else -1
        if row < 0:
            return False
        self.table.selectionModel().blockSignals(True)
        self.table.selectRow(row)
        if scroll:
            self.table.scrollTo(self.model.index(row, 0))
        self.table.selectionModel().blockSignals(False)
        return True

    def clear_selection(self) -> None:
        self.table.clearSelection()

    # -- reading -----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the rows (keeping selection and scroll when they are the same) and counts."""
        if self.loading is None:  # else the rows on the way are fresh anyway
            self.model.reload()
            self.after_change(reselect=self._shown())

    def _filters_changed(self) -> None:
        self.filters.stop_typing_timer()
        f = self.filters.current_filter()
        if f == self._wanted:
            return
        self._wanted = f
        self._page_generation += 1
        if f.text.strip():
            # A text search reads the full-text index and maps its hits to complaints: on a
            # large store that can take a moment, so it runs off the GUI thread and the rows
            # shown stay until the new ones arrive; typing never waits for it.
            self._load_in_background(f)
        else:
            self.loading = None  # a text search still on its way is superseded
            self.model.set_filter(f)
            self.after_change(reselect=self._shown())

    def _load_in_background(self, f: cq.ComplaintFilter) -> None:
        generation = self._page_generation
        store = self.ctx.store
        op = Operation(lambda _progress: cq.complaint_page(store, f))

        def done(page: object) -> None:
            if not shiboken6.isValid(self) or generation != self._page_generation:
                return
            self.loading = None
            assert isinstance(page, cq.ComplaintPage)
            self.model.show_page(f, page)
            self.after_change(reselect=self._shown())

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self) and generation == self._page_generation:
                self.loading = None
                self.filters.set_count_text(error_text(exc))

        op.succeeded.connect(done)
        op.failed.connect(failed)
        self.loading = op
        self.filters.set_count_text(_("Searching…"))
        start_held(op)

    def after_change(self, reselect: str | None = None) -> None:
        if reselect:
            self.select(reselect)
        empty = self.model.rowCount() == 0
        self.empty.setVisible(empty)
        if empty:
            self.empty.setText(_("No complaint matches these filters.")
                               if self.filters.current_filter() != cq.ComplaintFilter()
                               else _("No complaint recorded yet."))
        self._start_count()

    def _start_count(self) -> None:
        """Count (and count by status) off the GUI thread; a newer filter wins."""
        self._count_generation += 1
        generation = self._count_generation
        f = self.model.filter
        store = self.ctx.store
        self.filters.show_count(self.model.total)

        def work(_progress: Any) -> tuple[int, dict[str, int]]:
            counts = cq.counts_by_status(store, f)
            return cq.total_for(counts, f.status), counts

        op = Operation(work)

        def done(result: object) -> None:
            if not shiboken6.isValid(self) or generation != self._count_generation:
                return
            self.counting = None
            assert isinstance(result, tuple)
            total, by_status = result
            self.model.total = int(total)
            self.filters.set_status_counts(by_status)
            self.filters.show_count(self.model.total)

        def failed(_exc: BaseException) -> None:
            if shiboken6.isValid(self) and generation == self._count_generation:
                self.counting = None
                self.filters.set_count_text("")

        op.succeeded.connect(done)
        op.failed.connect(failed)
        self.counting = op
        start_held(op)

    def wait_until_rows(self, deadline: dt.datetime) -> None:
        wait_for(lambda: self.loading, deadline)

    def wait_until_counted(self, deadline: dt.datetime) -> None:
        wait_for(lambda: self.counting, deadline)
