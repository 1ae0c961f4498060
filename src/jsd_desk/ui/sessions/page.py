"""The Sessions page: a searchable, filterable list and the editor of the selected session."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError, NotFound
from jsd_desk.i18n import N_, _, ngettext
from jsd_desk.services import choices, queries
from jsd_desk.services import sessions as session_service
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import LINE_MAX, ErrorLabel, flush_all
from jsd_desk.ui.kit.page import Page
from jsd_desk.ui.kit.widgets import ok_cancel
from jsd_desk.ui.language import Retranslatable
from jsd_desk.ui.sessions.editor import SessionEditor
from jsd_desk.ui.sessions.models import SessionsTableModel

PERIOD_LABELS = {"upcoming": N_("Upcoming"), "last_30": N_("Last 30 days"),
                 "last_90": N_("Last 90 days"), "this_year": N_("This year")}
SEARCH_DELAY_MS = 200


class SessionsPage(Page):
    WATCHED = frozenset({"session", "attendance", "agenda_item", "concern", "complaint",
                         "action_item", "follow_up", "amendment", "platform", "priority_problem"})
    REFRESH_DELAY_MS = 50

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.editor: SessionEditor | None = None

        self.search = QLineEdit()
        self.search.setObjectName("session_search")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(500)
        self.platform_filter = QComboBox()
        self.platform_filter.setObjectName("session_filter_platform")
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("session_filter_kind")
        self.period_filter = QComboBox()
        self.period_filter.setObjectName("session_filter_period")
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("session_filter_status")
        self.count_label = QLabel()
        self.count_label.setObjectName("session_count")

        self.model = SessionsTableModel(ctx.store, self)
        self.table = QTableView()
        self.table.setObjectName("sessions_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        # Titles on up to two lines (the last one elided): beside the editor on a small laptop
        # the list is narrow, and a title cut after a few words does not say which session.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(
            2 * self.table.fontMetrics().lineSpacing() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(SessionsTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(SessionsTableModel.PLATFORM, 120)
        for col in (SessionsTableModel.DATE, SessionsTableModel.STATUS,
                    SessionsTableModel.PARTICIPANTS):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        # The kind and the platform are filters and in the row's tooltip: on a small laptop
        # the title needs the room, beside the editor.
        self.table.setColumnHidden(SessionsTableModel.KIND, True)
        self.table.setColumnHidden(SessionsTableModel.PLATFORM, True)
        # The editor follows the current row (arrow keys move it even with nothing selected).
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        for combo in (self.platform_filter, self.kind_filter, self.period_filter,
                      self.status_filter):
            combo.activated.connect(lambda _i: self.apply_filter())
            # Long platform names must not widen the list pane.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        # Statuses are short words in every language: show them whole.
        self.status_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        filters = QGridLayout()
        filters.addWidget(self.platform_filter, 0, 0, 1, 2)
        filters.addWidget(self.kind_filter, 1, 0)
        filters.addWidget(self.period_filter, 1, 1)
        filters.addWidget(self.status_filter, 0, 2)
        filters.setColumnStretch(0, 1)
        filters.setColumnStretch(1, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 0, 8)
        left_layout.addWidget(self.search)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count_label)

        self.empty = QLabel()
        self.empty.setObjectName("session_editor_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.editor_stack = QStackedWidget()
        self.editor_stack.addWidget(self.empty)

        self.splitter = QSplitter()
        self.splitter.setObjectName("sessions_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.editor_stack)
        # The editor, with its list of sections, gets the larger share.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([440, 840])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.retranslate_ui()
        self.apply_filter()

    # -- language --------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(_("Search sessions (title, venue, minutes)…"))
        self.search.setAccessibleName(_("Search sessions"))
        self._fill_filters()
        self.platform_filter.setAccessibleName(_("Filter by platform"))
        self.kind_filter.setAccessibleName(_("Filter by kind"))
        self.period_filter.setAccessibleName(_("Filter by period"))
        self.status_filter.setAccessibleName(_("Filter by status"))
        self.table.setAccessibleName(_("Sessions"))
        self.empty.setText(_("Select a session in the list, or create one with "
                             "“New session” (Ctrl+N)."))
        self.model.retranslate()
        self._update_count()

    def _fill_filters(self) -> None:
        def fill(combo: QComboBox, items: list[tuple[str | None, str]]) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for data, label in items:
                combo.addItem(label, data)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)

        platforms = choices.platform_choices(self.ctx.store)
        fill(self.platform_filter, [(None, _("All platforms"))] + [(p.id, p.label) for p in platforms])
        fill(self.kind_filter, [(None, _("All kinds"))]
             + [(c, vocab.SESSION_KIND.label(c)) for c in vocab.SESSION_KIND.codes()])
        fill(self.period_filter, [(None, _("Any time"))]
             + [(p, _(PERIOD_LABELS[p])) for p in queries.PERIODS])
        fill(self.status_filter, [(None, _("Any status"))]
             + [(c, vocab.SESSION_STATUS.label(c)) for c in vocab.SESSION_STATUS.codes()])

    # -- list --------------------------------------------------------------------------------------

    def current_filter(self) -> queries.SessionFilter:
        return queries.SessionFilter(
            text=self.search.text(), platform_id=self.platform_filter.currentData(),
            kind=self.kind_filter.currentData(), status=self.status_filter.currentData(),
            period=self.period_filter.currentData())

    def apply_filter(self) -> None:
        self._search_timer.stop()
        selected = self.current_session_id()
        self.model.set_filter(self.current_filter())
        self._update_count()
        if selected:
            self._select_row_of(selected, open_editor=False)

    def _update_count(self) -> None:
        total = self.model.total
        self.count_label.setText(ngettext("{n} session", "{n} sessions", total))
        self.count_label.setAccessibleName(self.count_label.text())

    def current_session_id(self) -> str | None:
        return self.editor.session_id if self.editor is not None else None

    def _select_row_of(self, session_id: str, *, open_editor: bool = True) -> bool:
        row = self.model.row_of(session_id)
        while row < 0 and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
            row = self.model.row_of(session_id)
        if row < 0:
            return False
        blocked = open_editor is False
        if blocked:
            self.table.selectionModel().blockSignals(True)
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        if blocked:
            self.table.selectionModel().blockSignals(False)
            self.table.viewport().update()
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        row = self.model.row_at(current.row())
        if row is not None and row.id != self.current_session_id():
            self.open_session(row.id, select=False)

    # -- editor ------------------------------------------------------------------------------------

    def open_session(self, session_id: str, *, select: bool = True) -> SessionEditor | None:
        if self.editor is not None:
            flush_all(self.editor)
            if self.editor.session_id == session_id:
                return self.editor
        try:
            editor = SessionEditor(self.ctx, session_id)
        except JsdError:
            return None
        editor.changed.connect(self._editor_changed)
        old = self.editor
        self.editor = editor
        self.editor_stack.addWidget(editor)
        self.editor_stack.setCurrentWidget(editor)
        if old is not None:
            self.editor_stack.removeWidget(old)
            old.deleteLater()
        if select and not self._select_row_of(session_id):
            # Not in the filtered list: clear the filters so the list shows it.
            self.search.clear()
            for combo in (self.platform_filter, self.kind_filter, self.period_filter,
                          self.status_filter):
                combo.setCurrentIndex(0)
            self.apply_filter()
            self._select_row_of(session_id, open_editor=False)
        return editor

    def open_record(self, entity: str, record_id: str) -> None:
        if entity == "session":
            self.open_session(record_id)

    def new_session(self) -> SessionEditor | None:
        dialog = NewSessionDialog(self.ctx, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.session_id is None:
            return None
        editor = self.open_session(dialog.session_id)
        if editor is not None:
            editor.tabs.setCurrentIndex(0)
            editor.details.title_edit.setFocus()
        return editor

    def new_action_item(self) -> None:
        if self.editor is not None and self.editor.can_edit:
            self.editor.focus_new_action_item()
        else:
            self.ctx.signals.status_message.emit(
                _("Open a draft session first: action items are agreed in a session."))

    def focus_search(self) -> bool:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    def _editor_changed(self) -> None:
        self.model.reload()
        self._update_count()

    def _refresh(self) -> None:
        self._fill_filters()
        self.model.reload()
        self._update_count()
        if self.editor is not None:
            self.editor.reload()


class NewSessionDialog(Retranslatable, QDialog):
    """The few details a session needs to exist; the editor takes it from there."""

    LABELS = (N_("&Platform:"), N_("&Kind:"), N_("&Title:"), N_("&Starts:"), N_("&Venue:"))

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new_session_dialog")
        self.ctx = ctx
        self.session_id: str | None = None
        self.platform = QComboBox()
        self.platform.setObjectName("platform_id")
        for choice in choices.platform_choices(ctx.store):
            self.platform.addItem(choice.label, choice.id)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        self.title = QLineEdit()
        self.title.setObjectName("title")
        self.title.setMaxLength(LINE_MAX)
        self.starts = QLineEdit()
        self.starts.setObjectName("starts_at")
        self.starts.setMaxLength(LINE_MAX)
        start = (dt.datetime.now() + dt.timedelta(hours=1)).replace(minute=0, second=0,
                                                                    microsecond=0)
        self.starts.setText(start.strftime("%Y-%m-%d %H:%M"))
        self.venue = QLineEdit()
        self.venue.setObjectName("venue")
        self.venue.setMaxLength(LINE_MAX)
        self.error = ErrorLabel()
        self.error.setObjectName("new_session_error")
        self.labels = [QLabel() for _i in self.LABELS]
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for label, editor in zip(self.labels, (self.platform, self.kind, self.title, self.starts,
                                               self.venue), strict=True):
            label.setBuddy(editor)
            form.addRow(label, editor)
        self.buttons = ok_cancel(self, self.create_session)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("New session"))
        for label, msgid in zip(self.labels, self.LABELS, strict=True):
            label.setText(_(msgid))
            label.buddy().setAccessibleName(label.text().replace("&", "").rstrip(":"))
        current = self.kind.currentData()
        self.kind.clear()
        for code in vocab.SESSION_KIND.codes():
            self.kind.addItem(vocab.SESSION_KIND.label(code), code)
        self.kind.setCurrentIndex(max(self.kind.findData(current), 0))
        self.starts.setPlaceholderText(_("YYYY-MM-DD HH:MM"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Create"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def create_session(self) -> None:
        platform_id = self.platform.currentData()
        if platform_id is None:
            self.error.show_error(NotFound(N_("Create a platform first (Platforms & places).")))
            return
        try:
            self.session_id = session_service.create_session(
                self.ctx.store, platform_id=str(platform_id), kind=str(self.kind.currentData()),
                title=self.title.text(), starts_at=self.starts.text().strip(),
                venue=self.venue.text().strip() or None)
        except JsdError as exc:
            self.error.show_error(exc)
            return
        self.accept()
