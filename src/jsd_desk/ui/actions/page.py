"""The Action items page: the commitments of every session, filtered by responsible party,
owner, due date and status, overdue ones highlighted, and the follow-up history of the one
selected."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import N_, _, ngettext
from jsd_desk.i18n.formats import format_number
from jsd_desk.services import action_queries as aq
from jsd_desk.ui.actions.detail import ActionDetailPanel
from jsd_desk.ui.actions.model import ActionTableModel
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import flush_all
from jsd_desk.ui.kit.page import Page
from jsd_desk.ui.kit.widgets import current_id, fill_combo, fill_vocab_combo, fit_to_choice

DUE_LABELS = {"overdue": N_("Overdue"), "next_7": N_("Due within 7 days"),
              "next_30": N_("Due within 30 days"), "none": N_("No due date")}


class ActionItemsPage(Page):
    WATCHED = frozenset({"action_item", "follow_up", "session", "platform", "attachment"})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("actions_page")
        self.detail: ActionDetailPanel | None = None

        self.search = QLineEdit()
        self.search.setObjectName("action_search")
        self.search.setClearButtonEnabled(True)
        self.filter_responsible = QComboBox()
        self.filter_responsible.setObjectName("filter_responsible_party")
        self.filter_owner = QComboBox()
        self.filter_owner.setObjectName("filter_owner")
        self.filter_due = QComboBox()
        self.filter_due.setObjectName("filter_due")
        self.filter_status = QComboBox()
        self.filter_status.setObjectName("filter_status")
        for combo in (self.filter_responsible, self.filter_owner, self.filter_due,
                      self.filter_status):
            fit_to_choice(combo)  # what is chosen shows whole ("Toutes les parties responsables")
            combo.currentIndexChanged.connect(self._filters_changed)
        self.count_label = QLabel()
        self.count_label.setObjectName("action_count")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._filters_changed)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        # The search keeps room for a few words; the count goes on the line below, so that
        # the combos (as wide as their choice) never squeeze it.
        self.search.setMinimumWidth(180)
        filters.addWidget(self.search, 1)
        for combo in (self.filter_status, self.filter_due, self.filter_responsible,
                      self.filter_owner):
            filters.addWidget(combo)


        self.model = ActionTableModel(ctx.store, self)
        self.table = QTableView()
        self.table.setObjectName("actions_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in ((ActionTableModel.DUE, 105), (ActionTableModel.STATUS, 115),
                              (ActionTableModel.DESCRIPTION, 260),
                              (ActionTableModel.RESPONSIBLE, 120), (ActionTableModel.OWNER, 130),
                              (ActionTableModel.PLATFORM, 140),
                              (ActionTableModel.FOLLOW_UPS, 80)):
            header.resizeSection(column, width)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        for column in (ActionTableModel.PLATFORM, ActionTableModel.FOLLOW_UPS):
            self.table.setColumnHidden(column, True)
        # The commitment takes the room the others leave: the list never scrolls sideways.
        header.setSectionResizeMode(ActionTableModel.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.empty_list = QLabel()
        self.empty_list.setObjectName("actions_empty")
        self.empty_list.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_list.setWordWrap(True)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.table)
        left_box.addWidget(self.empty_list)

        self.side = QStackedWidget()
        self.side.setObjectName("action_side")
        self.placeholder = QLabel()
        self.placeholder.setObjectName("action_placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setObjectName("action_detail_scroll")
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side.addWidget(self.placeholder)
        self.side.addWidget(self.detail_scroll)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("actions_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.side)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([580, 460])
        # Until an action item is opened the list has the whole width (its commitments readable
        # on a 1280-pixel screen), not half of it beside an empty panel.
        self.side.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(filters)
        layout.addWidget(self.count_label)
        layout.addWidget(self.splitter, 1)


        self.retranslate_ui()
        self._fill_owners()
        self.model.set_filter(self.current_filter())
        self._after_list_change()

    # -- texts -----------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(_("Search action items…"))
        self.search.setAccessibleName(_("Search action items"))
        self.filter_responsible.setAccessibleName(_("Filter by responsible party"))
        self.filter_owner.setAccessibleName(_("Filter by owner"))
        self.filter_due.setAccessibleName(_("Filter by due date"))
        self.filter_status.setAccessibleName(_("Filter by status"))
        self.table.setAccessibleName(_("Action items"))
        self.placeholder.setText(_("Select an action item to see its follow-up history."))
        fill_vocab_combo(self.filter_responsible, vocab.RESPONSIBLE_PARTY,
                         empty=_("All responsible parties"))
        statuses: list[tuple[Any, str]] = [(aq.OPEN, _("Open or in progress")),
                                           (None, _("All statuses"))]
        statuses.extend((c, vocab.ACTION_STATUS.label(c)) for c in vocab.ACTION_STATUS.codes())
        fill_combo(self.filter_status, statuses)
        dues: list[tuple[Any, str]] = [(None, _("Any due date"))]
        dues.extend((code, _(label)) for code, label in DUE_LABELS.items())
        fill_combo(self.filter_due, dues)
        if self.filter_owner.count():
            self.filter_owner.setItemText(0, _("All owners"))
        self.model.retranslate()
        self._show_count()

    def _fill_owners(self) -> None:
        items: list[tuple[Any, str]] = [(None, _("All owners"))]
        items.extend((name, name) for name in aq.owners(self.ctx.store))
        fill_combo(self.filter_owner, items)

    def _show_count(self) -> None:
        f = self.model.filter
        total = aq.count_actions(self.ctx.store, f, today=self.model.today)
        overdue = aq.count_overdue(self.ctx.store, f, today=self.model.today)
        text = ngettext("{count} action item", "{count} action items", total,
                        count=format_number(total))
        if overdue:
            text += " · " + ngettext("{count} overdue", "{count} overdue", overdue,
                                     count=format_number(overdue))
        self.count_label.setText(text)
        self.count_label.setAccessibleName(text)

    # -- filters ---------------------------------------------------------------------------------

    def current_filter(self) -> aq.ActionFilter:
        return aq.ActionFilter(
            text=self.search.text(), responsible_party=self.filter_responsible.currentData(),
            owner=self.filter_owner.currentData(), status=self.filter_status.currentData(),
            due=self.filter_due.currentData())

    def _filters_changed(self, *_args: Any) -> None:
        self._search_timer.stop()
        f = self.current_filter()
        if f == self.model.filter:
            return
        selected = self.selected_id()
        self.model.set_filter(f)
        self._after_list_change(reselect=selected)

    def set_filter(self, **choices: Any) -> None:
        """Choose filters as the combo boxes would: ``status=``, ``due=``,
        ``responsible_party=``, ``owner=``."""
        combos = {"status": self.filter_status, "due": self.filter_due,
                  "responsible_party": self.filter_responsible, "owner": self.filter_owner}
        for key, value in choices.items():
            combo = combos[key]
            index = combo.findData(value)
            combo.setCurrentIndex(index if index >= 0 else 0)
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
        self.empty_list.setText(_("No action item matches these filters."))
        self._show_count()

    # -- selection -------------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        return current_id(self.table, self.model)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            value = self.model.id_at(current.row())
            if value:
                self.open_action(str(value), select_in_list=False)

    def open_action(self, action_id: str, *, select_in_list: bool = True) -> bool:
        if self.detail is not None and shiboken6.isValid(self.detail) \
                and self.detail.action_id == action_id:
            self._show_side(self.detail_scroll)
            return True
        try:
            detail = aq.action_detail(self.ctx.store, action_id, today=self.model.today)
        except JsdError as exc:
            self.ctx.signals.status_message.emit(exc.message())
            return False
        if self.detail is not None and shiboken6.isValid(self.detail):
            flush_all(self.detail)
        panel = ActionDetailPanel(self.ctx, detail)
        old = self.detail_scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.detail_scroll.setWidget(panel)
        self.detail = panel
        self._show_side(self.detail_scroll)
        if select_in_list:
            row = self.model.row_of(action_id)
            self.table.selectionModel().blockSignals(True)
            if row >= 0:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
            else:
                self.table.clearSelection()
            self.table.selectionModel().blockSignals(False)
        return True

    def _show_side(self, widget: QWidget | None) -> None:
        """The side panel with ``widget`` in it, or (None) no side panel: the list alone."""
        if widget is None:
            self.side.setCurrentWidget(self.placeholder)
            self.side.hide()
            return
        self.side.setCurrentWidget(widget)
        if self.side.isHidden():
            self.side.show()
            total = sum(self.splitter.sizes()) or self.splitter.width()
            self.splitter.setSizes([total * 5 // 9, total - total * 5 // 9])

    # -- the main window's hooks ------------------------------------------------------------------

    def focus_search(self) -> bool:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    def open_record(self, entity: str, record_id: str) -> None:
        if entity == "action_item":
            self.open_action(record_id)

    def _refresh(self) -> None:
        selected = self.selected_id()
        self._fill_owners()
        self.model.reload()
        self._after_list_change(reselect=selected)
        if self.detail is not None and shiboken6.isValid(self.detail):
            if self.detail.refresh():
                self.detail.attachments.refresh()
            else:
                self.detail_scroll.takeWidget()
                self.detail.deleteLater()
                self.detail = None
                self._show_side(None)
