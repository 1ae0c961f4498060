"""The Complaints page: a lazy list with filters and search-as-you-type, the complaint editor,
the intake form, receipt-code lookup and the printable receipt slip.

The list reads one page at a time (``ComplaintTableModel``); the counts in the filter bar are
computed off the GUI thread, so typing in the search box never waits for a count over 100,000
complaints.
"""

from __future__ import annotations

import datetime as dt
import weakref
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QModelIndex, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import N_, _, current_language, ngettext
from jsd_desk.i18n.formats import format_number
from jsd_desk.services import complaint_queries as cq
from jsd_desk.services.complaint_detail import complaint_detail, identity_hidden
from jsd_desk.services.complaint_standing import Standing, needing_attention
from jsd_desk.services.complaints import NewComplaint, find_by_receipt
from jsd_desk.services.minutes import export_receipt
from jsd_desk.services.receipts import receipt_message, receipt_status
from jsd_desk.ui.complaints.deadline import due_text, flags_text, state_icon, state_label
from jsd_desk.ui.complaints.detail import ComplaintDetailPanel
from jsd_desk.ui.complaints.intake import IntakePanel
from jsd_desk.ui.complaints.model import ComplaintTableModel
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import flush_all
from jsd_desk.ui.kit.page import Page
from jsd_desk.ui.kit.roles import ID_ROLE
from jsd_desk.ui.kit.widgets import error_label, fill_combo, fill_vocab_combo, show_error
from jsd_desk.ui.operations import Operation, error_text, run_operation

SEARCH_PAUSE_MS = 250
ATTENTION_MAX = 30  # the strip lists the most urgent; the list below holds them all
PERIOD_LABELS = {
    "last_7": N_("Last 7 days"), "last_30": N_("Last 30 days"), "last_90": N_("Last 90 days"),
    "last_365": N_("Last 12 months"), "this_year": N_("This year"), "last_year": N_("Last year"),
}
# Shown unless the user hides them (the header's context menu); the others start hidden.
HIDDEN_AT_FIRST = (ComplaintTableModel.CHANNEL, ComplaintTableModel.AGAINST)


# Background reads of this page, kept alive until a turn of the event loop after they finished.
# An Operation without a parent is deleted when its last Python reference goes; the last one
# is dropped while it is still delivering its own signals, and a QObject deleted inside its own
# signal emission is a crash waiting to happen. Held here, each goes on a clean turn instead.
_held: set[Operation] = set()


def start_held(op: Operation) -> None:
    _held.add(op)
    ref = weakref.ref(op)

    def release() -> None:
        finished = ref()
        if finished is not None:
            QTimer.singleShot(0, lambda: _held.discard(finished))

    op.finished.connect(release)
    op.start()


class ComplaintsPage(Page):
    WATCHED = frozenset({"complaint_target", "complaint", "complaint_status_change",
                         "complainant", "attachment", "session", "place"})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("complaints_page")
        self._count_generation = 0
        self._counting: Operation | None = None
        self._loading: Operation | None = None  # a text search's first page, off the GUI thread
        self._page_generation = 0
        self._attention_generation = 0
        self._attention_op: Operation | None = None  # what is late, read off the GUI thread
        self._wanted = cq.ComplaintFilter()  # the filter asked for (its rows may be on the way)
        self._status_counts: dict[str, int] = {}
        self.detail: ComplaintDetailPanel | None = None
        self.exports: list[Operation] = []

        # -- toolbar ---------------------------------------------------------------------------
        self.receipt_error = error_label("receipt_lookup_error")
        self.receipt_error.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("complaints_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.action_new_complaint = self._action("action_new_complaint", self.new_complaint,
                                                 QStyle.StandardPixmap.SP_FileIcon)
        self.action_print_receipt = self._action("action_print_receipt",
                                                 lambda: self.print_receipt(),
                                                 QStyle.StandardPixmap.SP_DialogSaveButton)
        self.toolbar.addAction(self.action_new_complaint)
        self.toolbar.addAction(self.action_print_receipt)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.receipt_label = QLabel()
        self.receipt_lookup = QLineEdit()
        self.receipt_lookup.setObjectName("receipt_lookup")
        self.receipt_lookup.setMaxLength(40)
        self.receipt_lookup.setClearButtonEnabled(True)
        self.receipt_lookup.setFixedWidth(self.receipt_lookup.fontMetrics().horizontalAdvance(
            "XXXX-XXXX-XXXX") + 48)
        self.receipt_lookup.returnPressed.connect(self._lookup_typed)
        self.receipt_lookup.textEdited.connect(lambda _t: show_error(self.receipt_error, None))
        self.receipt_label.setBuddy(self.receipt_lookup)
        self.action_find_receipt = self._action("action_find_receipt", self._lookup_typed,
                                                QStyle.StandardPixmap.SP_FileDialogContentsView)
        self.toolbar.addWidget(self.receipt_label)
        self.toolbar.addWidget(self.receipt_lookup)
        self.toolbar.addAction(self.action_find_receipt)

        # -- filter bar ------------------------------------------------------------------------
        self.search = QLineEdit()
        self.search.setObjectName("complaint_search")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(cq.SEARCH_MAX * 50)  # a long paste is cut by the query, safely
        self.search.setMinimumWidth(180)
        self.filter_status = QComboBox()
        self.filter_status.setObjectName("filter_status")
        self.filter_category = QComboBox()
        self.filter_category.setObjectName("filter_category")
        self.filter_channel = QComboBox()
        self.filter_channel.setObjectName("filter_channel")
        self.filter_period = QComboBox()
        self.filter_period.setObjectName("filter_period")
        for combo in (self.filter_status, self.filter_category, self.filter_channel,
                      self.filter_period):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            combo.currentIndexChanged.connect(self._filters_changed)
        self.action_clear_filters = self._action("action_clear_filters", self.clear_filters,
                                                 QStyle.StandardPixmap.SP_DialogResetButton)
        self.count_label = QLabel()
        self.count_label.setObjectName("complaint_count")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self._filters_changed)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._filters_changed)
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.search, 2)
        for combo in (self.filter_status, self.filter_category, self.filter_channel,
                      self.filter_period):
            filters.addWidget(combo)
        clear_button = QToolBar()
        clear_button.setObjectName("filters_toolbar")
        clear_button.addAction(self.action_clear_filters)
        filters.addWidget(clear_button)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        # -- list ------------------------------------------------------------------------------
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
        widths = {ComplaintTableModel.REFERENCE: 128, ComplaintTableModel.RECEIVED: 100,
                  ComplaintTableModel.STATUS: 130, ComplaintTableModel.DEADLINE: 120,
                  ComplaintTableModel.CATEGORY: 150,
                  ComplaintTableModel.CHANNEL: 110, ComplaintTableModel.AGAINST: 130}
        for column, width in widths.items():
            header.resizeSection(column, width)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        for column in HIDDEN_AT_FIRST:
            self.table.setColumnHidden(column, True)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.empty_list = QLabel()
        self.empty_list.setObjectName("complaints_empty")
        self.empty_list.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_list.setWordWrap(True)
        self.empty_list.setVisible(False)
        # What is late comes first (issue 12): above the list, the open complaints at risk,
        # overdue or flagged, the most urgent first.
        self.attention_label = QLabel()
        self.attention_label.setObjectName("complaints_attention_label")
        self.attention = QListWidget()
        self.attention.setObjectName("complaints_attention")
        self.attention.setAlternatingRowColors(True)
        # One line per complaint, cut to the strip's width (the tooltip has it all).
        self.attention.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.attention.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.attention.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.attention.setMaximumHeight(4 * (self.fontMetrics().height() + 8) + 6)
        self.attention.itemActivated.connect(self._attention_activated)
        self.attention.itemClicked.connect(self._attention_activated)
        self.attention_label.setBuddy(self.attention)
        self.attention.setVisible(False)  # until the first reading arrives
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.attention_label)
        left_box.addWidget(self.attention)
        left_box.addWidget(self.table)
        left_box.addWidget(self.empty_list)

        # -- side: nothing / a complaint / the intake form -------------------------------------
        self.side = QStackedWidget()
        self.side.setObjectName("complaint_side")
        self.placeholder = QLabel()
        self.placeholder.setObjectName("complaint_placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setObjectName("complaint_detail_scroll")
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        # The intake form is built the first time it is needed: opening the list stays quick.
        self._intake: IntakePanel | None = None
        self.intake_scroll = QScrollArea()
        self.intake_scroll.setObjectName("complaint_intake_scroll")
        self.intake_scroll.setWidgetResizable(True)
        self.intake_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.intake_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.side.addWidget(self.placeholder)
        self.side.addWidget(self.detail_scroll)
        self.side.addWidget(self.intake_scroll)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("complaints_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([560, 480])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.receipt_error)
        # What a complainant who gave a receipt code is told, in French and in English.
        self.receipt_answer = QLabel()
        self.receipt_answer.setObjectName("receipt_answer")
        self.receipt_answer.setWordWrap(True)
        self.receipt_answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.receipt_answer.setVisible(False)
        layout.addWidget(self.receipt_answer)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)


        self.retranslate_ui()
        self.refresh_attention()
        self.model.set_filter(self.current_filter())
        self._after_list_change()
        self._update_actions()

    # -- texts -----------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.action_new_complaint.setText(_("New complaint"))
        self.action_new_complaint.setToolTip(_("Record a complaint, anonymous or named (Ctrl+K)"))
        self.action_print_receipt.setText(_("Print receipt…"))
        self.action_print_receipt.setToolTip(
            _("The receipt slip of the selected complaint, as a PDF to print"))
        self.action_find_receipt.setText(_("Find"))
        self.action_find_receipt.setToolTip(_("Find the complaint with this receipt code"))
        self.action_clear_filters.setText(_("Clear filters"))
        self.action_clear_filters.setToolTip(_("Show every complaint again"))
        self.receipt_label.setText(_("Receipt code:"))
        self.receipt_lookup.setPlaceholderText("XXXX-XXXX-XXXX")
        self.receipt_lookup.setAccessibleName(_("Look up a complaint by its receipt code"))
        self.receipt_lookup.setToolTip(_("Type the code from a receipt slip and press Enter"))
        self.search.setPlaceholderText(_("Search reference, description, against…"))
        self.search.setAccessibleName(_("Search complaints"))
        self.filter_status.setAccessibleName(_("Filter by status"))
        self.filter_category.setAccessibleName(_("Filter by category"))
        self.filter_channel.setAccessibleName(_("Filter by channel"))
        self.filter_period.setAccessibleName(_("Filter by period received"))
        self.table.setAccessibleName(_("Complaints"))
        self.toolbar.setAccessibleName(_("Complaint actions"))
        self.toolbar.setWindowTitle(_("Complaint actions"))
        self.placeholder.setText(_("Select a complaint to see it here, or press “New "
                                   "complaint”."))
        self._fill_status_filter()
        fill_vocab_combo(self.filter_category, vocab.COMPLAINT_CATEGORY, empty=_("All categories"))
        fill_vocab_combo(self.filter_channel, vocab.COMPLAINT_CHANNEL, empty=_("All channels"))
        periods: list[tuple[Any, str]] = [(None, _("Any time"))]
        periods.extend((code, _(label)) for code, label in PERIOD_LABELS.items())
        fill_combo(self.filter_period, periods)
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                          len(ComplaintTableModel.HEADERS) - 1)
        if self.model.rowCount():
            self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(
                self.model.rowCount() - 1, len(ComplaintTableModel.HEADERS) - 1))
        self._show_count()

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

    def _show_count(self) -> None:
        total = self.model.total
        if total is None:
            self.count_label.setText(_("Counting…"))
        else:
            self.count_label.setText(ngettext("{count} complaint", "{count} complaints", total,
                                              count=format_number(total)))
        self.count_label.setAccessibleName(self.count_label.text())

    # -- filters ---------------------------------------------------------------------------------

    def current_filter(self) -> cq.ComplaintFilter:
        start, end = cq.period_range(self.filter_period.currentData())
        return cq.ComplaintFilter(
            text=self.search.text(), status=self.filter_status.currentData(),
            category=self.filter_category.currentData(),
            channel=self.filter_channel.currentData(), received_from=start, received_to=end)

    def _filters_changed(self, *_args: Any) -> None:
        self._search_timer.stop()
        f = self.current_filter()
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
            self._loading = None  # a text search still on its way is superseded
            self.model.set_filter(f)
            self._after_list_change(reselect=self._shown_id())

    def _load_in_background(self, f: cq.ComplaintFilter) -> None:
        generation = self._page_generation
        store = self.ctx.store
        op = Operation(lambda _progress: cq.complaint_page(store, f))

        def done(page: object) -> None:
            if not shiboken6.isValid(self) or generation != self._page_generation:
                return
            self._loading = None
            assert isinstance(page, cq.ComplaintPage)
            self.model.show_page(f, page)
            self._after_list_change(reselect=self._shown_id())

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self) and generation == self._page_generation:
                self._loading = None
                self.count_label.setText(error_text(exc))

        op.succeeded.connect(done)
        op.failed.connect(failed)
        self._loading = op
        self.count_label.setText(_("Searching…"))
        start_held(op)

    def _shown_id(self) -> str | None:
        """The complaint in the side panel: the one to keep selected when the list changes."""
        if self.detail is not None and shiboken6.isValid(self.detail):
            return self.detail.complaint_id
        return self.selected_id()

    def set_filter(self, *, status: str | object | None = ..., category: str | object | None = ...,
                   channel: str | object | None = ..., period: str | object | None = ...) -> None:
        """Choose filters as the combo boxes would (used by scripts and tests)."""
        for combo, value in ((self.filter_status, status), (self.filter_category, category),
                             (self.filter_channel, channel), (self.filter_period, period)):
            if value is not ...:
                index = combo.findData(value)
                combo.setCurrentIndex(index if index >= 0 else 0)
        self._filters_changed()

    def set_search_text(self, text: str) -> None:
        self.search.setText(text)
        self._filters_changed()

    def clear_filters(self) -> None:
        for combo in (self.filter_status, self.filter_category, self.filter_channel,
                      self.filter_period):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._filters_changed()

    def _after_list_change(self, reselect: str | None = None) -> None:
        if reselect:
            row = self.model.row_of(reselect)
            if row >= 0:
                self.table.selectionModel().blockSignals(True)
                self.table.selectRow(row)
                self.table.selectionModel().blockSignals(False)
        empty = self.model.rowCount() == 0
        self.empty_list.setVisible(empty)
        if empty:
            self.empty_list.setText(_("No complaint matches these filters.")
                                    if self.current_filter() != cq.ComplaintFilter()
                                    else _("No complaint recorded yet."))
        self._start_count()

    def _start_count(self) -> None:
        """Count (and count by status) off the GUI thread; a newer filter wins."""
        self._count_generation += 1
        generation = self._count_generation
        f = self.model.filter
        store = self.ctx.store
        self._show_count()

        def work(_progress: Any) -> tuple[int, dict[str, int]]:
            counts = cq.counts_by_status(store, f)
            return cq.total_for(counts, f.status), counts

        op = Operation(work)

        def done(result: object) -> None:
            if not shiboken6.isValid(self) or generation != self._count_generation:
                return
            self._counting = None
            assert isinstance(result, tuple)
            total, by_status = result
            self.model.total = int(total)
            self._status_counts = by_status
            self._fill_status_filter()
            self._show_count()

        def failed(_exc: BaseException) -> None:
            if shiboken6.isValid(self) and generation == self._count_generation:
                self._counting = None
                self.count_label.setText("")

        op.succeeded.connect(done)
        op.failed.connect(failed)
        self._counting = op
        start_held(op)

    def wait_until_loaded(self, timeout_ms: int = 30_000) -> None:
        """Process events until the rows and the counts of the current filter arrived (tests,
        benchmarks)."""
        deadline = dt.datetime.now() + dt.timedelta(milliseconds=timeout_ms)
        flags = QEventLoop.ProcessEventsFlag.AllEvents
        while self._loading is not None and dt.datetime.now() < deadline:
            # Block in the worker's event (the GIL is free for it), then deliver its signal.
            self._loading.wait(50)
            QCoreApplication.processEvents(flags, 20)
        while self._counting is not None and dt.datetime.now() < deadline:
            self._counting.wait(50)
            QCoreApplication.processEvents(flags, 20)
        while self._attention_op is not None and dt.datetime.now() < deadline:
            self._attention_op.wait(50)
            QCoreApplication.processEvents(flags, 20)

    def wait_until_rows(self, timeout_ms: int = 30_000) -> None:
        """Process events until the rows of the current filter are in the list (a text search
        reads them off the GUI thread)."""
        deadline = dt.datetime.now() + dt.timedelta(milliseconds=timeout_ms)
        while self._loading is not None and dt.datetime.now() < deadline:
            self._loading.wait(50)
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    # -- the list and the side panel -------------------------------------------------------------

    def selected_id(self) -> str | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        value = self.model.data(self.model.index(index.row(), 0), ID_ROLE)
        return str(value) if value else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        complaint_id = self.model.data(self.model.index(current.row(), 0), ID_ROLE)
        if complaint_id:
            self.open_complaint(str(complaint_id), select_in_list=False)

    def open_complaint(self, complaint_id: str, *, select_in_list: bool = True) -> bool:
        """Show a complaint in the side panel (and select it in the list when it is there)."""
        if self.detail is not None and self.detail.complaint_id == complaint_id \
                and shiboken6.isValid(self.detail):
            self.side.setCurrentWidget(self.detail_scroll)
            return True
        try:
            detail = complaint_detail(self.ctx.store, complaint_id)
        except JsdError as exc:
            self.ctx.signals.status_message.emit(exc.message())
            return False
        if self.detail is not None and shiboken6.isValid(self.detail):
            flush_all(self.detail)
        panel = ComplaintDetailPanel(self.ctx, detail)
        panel.print_receipt_requested.connect(lambda cid: self.print_receipt(cid))
        old = self.detail_scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.detail_scroll.setWidget(panel)
        self.detail = panel
        self.side.setCurrentWidget(self.detail_scroll)
        if select_in_list:
            row = self.model.row_of(complaint_id)
            if row >= 0:
                self.table.selectionModel().blockSignals(True)
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                self.table.selectionModel().blockSignals(False)
            else:
                self.table.clearSelection()
        self._update_actions()
        return True

    def _update_actions(self) -> None:
        d = self.detail.detail if self.detail is not None and shiboken6.isValid(self.detail) \
            else None
        showing = self.side.currentWidget() is self.detail_scroll and d is not None
        self.action_print_receipt.setEnabled(
            bool(showing and d is not None and d.anonymous and d.receipt_code))

    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setObjectName("complaint_columns_menu")
        for column, title in enumerate(ComplaintTableModel.HEADERS):
            if column == ComplaintTableModel.REFERENCE:
                continue
            action = menu.addAction(_(title))
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(
                lambda shown, c=column: self.table.setColumnHidden(c, not shown))
        menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    # -- intake ------------------------------------------------------------------------------------

    @property
    def intake(self) -> IntakePanel:
        if self._intake is None:
            self._intake = IntakePanel(self.ctx)
            self._intake.recorded.connect(self._recorded)
            self._intake.cancelled.connect(self._intake_cancelled)
            self.intake_scroll.setWidget(self._intake)
        return self._intake

    def new_complaint(self, session_id: str | None = None) -> None:
        if self.detail is not None and shiboken6.isValid(self.detail):
            flush_all(self.detail)
        self.intake.start(session_id)
        self.side.setCurrentWidget(self.intake_scroll)
        self._update_actions()

    def _recorded(self, new: NewComplaint) -> None:
        self.model.reload()
        self._after_list_change()
        self.open_complaint(new.id)
        self.ctx.signals.status_message.emit(
            _("Complaint {reference} recorded.", reference=new.reference))

    def _intake_cancelled(self) -> None:
        if self.detail is not None and shiboken6.isValid(self.detail):
            self.side.setCurrentWidget(self.detail_scroll)
        else:
            self.side.setCurrentWidget(self.placeholder)
        self._update_actions()

    # -- receipt codes -----------------------------------------------------------------------------

    def _lookup_typed(self) -> None:
        self.lookup_receipt(self.receipt_lookup.text())

    def lookup_receipt(self, code: str) -> str | None:
        """Find the complaint with this receipt code: the list shows it alone, selected."""
        show_error(self.receipt_error, None)
        try:
            complaint_id = find_by_receipt(self.ctx.store, code)
        except JsdError as exc:
            show_error(self.receipt_error, exc.message())
            return None
        self.clear_filters()
        self.set_search_text(code)
        self.open_complaint(complaint_id)
        status = receipt_status(self.ctx.store, code)
        self.receipt_answer.setText("\n".join(
            f"{name} : {receipt_message(status, lang)}"
            for lang, name in (("fr", "Français"), ("en", "English"))))
        self.receipt_answer.setAccessibleName(_("What to tell the complainant"))
        self.receipt_answer.setVisible(True)
        return complaint_id

    # -- what is late ------------------------------------------------------------------------------

    def refresh_attention(self) -> None:
        """Re-read what is late off the GUI thread (every open complaint's deadline is
        computed); a newer refresh wins."""
        self._attention_generation += 1
        generation = self._attention_generation
        store = self.ctx.store
        liaison = identity_hidden(store)
        op = Operation(lambda _progress: needing_attention(store, liaison_only=liaison))

        def done(result: object) -> None:
            if not shiboken6.isValid(self) or generation != self._attention_generation:
                return
            self._attention_op = None
            assert isinstance(result, list)
            self._show_attention(result)

        def failed(_exc: BaseException) -> None:
            if shiboken6.isValid(self) and generation == self._attention_generation:
                self._attention_op = None

        op.succeeded.connect(done)
        op.failed.connect(failed)
        self._attention_op = op
        start_held(op)

    def _show_attention(self, late: list[Standing]) -> None:
        self.attention.clear()
        for st in late[:ATTENTION_MAX]:
            text = " · ".join(x for x in (st.reference, state_label(st), due_text(st),
                                          flags_text(st)) if x)
            item = QListWidgetItem(state_icon(st.state), text)
            item.setData(Qt.ItemDataRole.UserRole, st.id)
            item.setToolTip(vocab.COMPLAINT_CATEGORY.label(st.category or "") + "\n" + text)
            self.attention.addItem(item)
        if len(late) > ATTENTION_MAX:
            more = QListWidgetItem(_("… and {n} more", n=len(late) - ATTENTION_MAX))
            more.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.attention.addItem(more)
        self.attention_label.setText(
            (_("What the police owe ({n})", n=len(late)) if identity_hidden(self.ctx.store)
             else _("At risk or overdue ({n})", n=len(late))) if late
            else _("Nothing at risk or overdue."))
        self.attention.setVisible(bool(late))
        self.attention.setAccessibleName(self.attention_label.text())

    def _attention_activated(self, item: QListWidgetItem) -> None:
        complaint_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(complaint_id, str):
            self.open_complaint(complaint_id)

    def print_receipt(self, complaint_id: str | None = None,
                      out_path: Path | None = None) -> Operation | None:
        """Write the receipt slip (PDF, off the GUI thread); ask where when no path is given."""
        if complaint_id is None and self.detail is not None and shiboken6.isValid(self.detail):
            complaint_id = self.detail.complaint_id
        if complaint_id is None:
            self.ctx.signals.status_message.emit(_("No receipt can be printed here."))
            return None
        reference = ""
        if self.detail is not None and self.detail.complaint_id == complaint_id:
            reference = self.detail.detail.reference
            lang = self.detail.detail.language
        else:
            lang = None
        lang = lang if lang in ("fr", "en") else current_language()
        if out_path is None:
            name, _filter = QFileDialog.getSaveFileName(
                self, _("Save the receipt slip"), f"receipt-{reference or 'complaint'}.pdf",
                _("PDF documents (*.pdf)"))
            if not name:
                return None
            out_path = Path(name)
        store, target = self.ctx.store, out_path

        def done(_result: object) -> None:
            self.ctx.signals.status_message.emit(
                _("Receipt slip saved to {path}.", path=str(target)))
            if QGuiApplication.platformName() not in ("offscreen", "minimal"):
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

        def failed(exc: BaseException) -> None:
            self.ctx.signals.status_message.emit(error_text(exc))

        op = run_operation(self, _("Printing the receipt slip"),
                           lambda _p: export_receipt(store, complaint_id, lang, target),
                           on_success=done, on_failure=failed)
        self.exports.append(op)
        return op

    # -- the main window's hooks ------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def open_record(self, entity: str, record_id: str) -> None:
        if entity == "complaint":
            self.open_complaint(record_id)

    def _refresh(self) -> None:
        """Re-read the list (keeping selection and scroll when the rows are the same), the
        counts, and the complaint shown."""
        if self._loading is None:  # else the rows on the way are fresh anyway
            self.model.reload()
            self._after_list_change(reselect=self._shown_id())
        self.refresh_attention()
        # The panel re-reads its attachments too; a complaint gone meanwhile closes it.
        if (self.detail is not None and shiboken6.isValid(self.detail)
                and not self.detail.refresh()):
            self.detail_scroll.takeWidget()
            self.detail.deleteLater()
            self.detail = None
            self.side.setCurrentWidget(self.placeholder)
        self._update_actions()
