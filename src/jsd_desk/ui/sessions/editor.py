"""The session editor: details and agenda, attendance, minutes, concerns, complaints received,
new action items, follow-up of the platform's earlier commitments, and amendments.

Fields save themselves (``ui.fields``); new records (a concern, an action item…) are added with
a button. Finalizing locks the session: every editor turns read-only and corrections are
recorded as amendments, listed in their own tab.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError, ValidationError
from jsd_desk.i18n import N_, _
from jsd_desk.services import actions as action_service
from jsd_desk.services import choices, queries
from jsd_desk.services import sessions as session_service
from jsd_desk.services.views import ActionItemView, AmendmentView, ConcernView, FollowUpView, SessionView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import LINE_MAX, AutosaveField, ErrorLabel, flush_all
from jsd_desk.ui.history_dialog import HistoryButton
from jsd_desk.ui.kit.roles import ID_ROLE
from jsd_desk.ui.kit.table import Column, RowsTableModel
from jsd_desk.ui.language import Retranslatable
from jsd_desk.ui.operations import error_text
from jsd_desk.ui.sessions.attendance import AttendanceGrid
from jsd_desk.ui.sessions.models import AgendaModel, fmt_date, fmt_datetime
from jsd_desk.ui.undo import push_edit

# Parts of a session an amendment may correct (stored as the code, shown translated).
AMENDED_PARTS = (("", N_("General")), ("details", N_("Details")), ("agenda", N_("Agenda")),
                 ("attendance", N_("Attendance")), ("minutes", N_("Minutes")),
                 ("concerns", N_("Concerns")), ("complaints", N_("Complaints")),
                 ("action_items", N_("Action items")))


def _table(name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


def _fill_combo(combo: QComboBox, items: list[tuple[str | None, str]]) -> None:
    """(Re)label a combo's items, keeping the current choice."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for data, label in items:
        combo.addItem(label, data)
    index = combo.findData(current)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


def _vocab_items(v: vocab.Vocabulary, blank: str | None = None) -> list[tuple[str | None, str]]:
    items: list[tuple[str | None, str]] = [(None, blank)] if blank is not None else []
    return items + [(c, v.label(c)) for c in v.codes()]


def _short_text(editor: QPlainTextEdit, lines: int = 3) -> QPlainTextEdit:
    editor.setTabChangesFocus(True)  # Tab moves on: a keyboard route through the form
    height = editor.fontMetrics().lineSpacing() * lines + 14
    editor.setFixedHeight(height)
    return editor


def _italic(label: QLabel) -> QLabel:
    font = QFont(label.font())
    font.setItalic(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


class SessionEditor(Retranslatable, QWidget):
    """Edits one session. ``changed`` is emitted after this editor saved something."""

    changed = Signal()

    def __init__(self, ctx: UiContext, session_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("session_editor")
        self.ctx = ctx
        self.store = ctx.store
        self.session_id = session_id
        record = queries.session(self.store, session_id)
        if record is None:
            raise ValidationError("session", N_("No such session."))
        self.record: SessionView = record
        self.fields: list[AutosaveField] = []
        self._labels: list[tuple[QLabel, str]] = []

        self._build_header()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("session_tabs")
        self.tabs.setDocumentMode(True)
        self._build_details()
        self.attendance = AttendanceGrid(ctx, session_id)
        self.tabs.addTab(self.attendance, "")
        self._build_minutes()
        self._build_concerns()
        self._build_complaints()
        self._build_actions()
        self._build_follow_up()
        self._build_amendments()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(self.header)
        layout.addWidget(self.tabs, 1)

        self.reload()
        self.retranslate_ui()

    # == building ====================================================================================

    def _label(self, msgid: str, buddy: QWidget | None = None) -> QLabel:
        label = QLabel()
        if buddy is not None:
            label.setBuddy(buddy)
        self._labels.append((label, msgid))
        return label

    def _field(self, editor: Any, name: str, write: Callable[[Any], None], *,
               kind: str = "text", describe: str = "") -> AutosaveField:
        field = AutosaveField(editor, name, write, kind=kind,  # type: ignore[arg-type]
                              undo_stack=self.ctx.undo_stack,
                              describe=lambda: _(describe) if describe else name)
        field.saved.connect(lambda _o, _n: self.changed.emit())
        self.fields.append(field)
        return field

    def _session_writer(self, name: str) -> Callable[[Any], None]:
        store, session_id = self.store, self.session_id

        def write(value: Any) -> None:
            session_service.update_session(store, session_id, **{name: value})

        return write

    def _build_header(self) -> None:
        self.title_label = QLabel()
        self.title_label.setObjectName("session_heading")
        font = QFont(self.title_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title_label.setWordWrap(True)  # a long title wraps instead of widening the page
        self.title_label.setMinimumWidth(120)
        self.status_label = QLabel()
        self.status_label.setObjectName("session_status")
        self.action_finalize = QAction(self)
        self.action_finalize.setObjectName("action_finalize_session")
        self.action_finalize.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.action_finalize.triggered.connect(lambda _c=False: self.finalize())
        self.addAction(self.action_finalize)
        self.action_export = QAction(self)
        self.action_export.setObjectName("action_export_minutes")
        self.action_export.setShortcut(QKeySequence("Ctrl+E"))
        self.action_export.triggered.connect(lambda _c=False: self.export_minutes())
        self.addAction(self.action_export)
        self.finalize_button = QToolButton()
        self.finalize_button.setObjectName("finalize_button")
        self.finalize_button.setDefaultAction(self.action_finalize)
        self.finalize_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.export_button = QToolButton()
        self.export_button.setObjectName("export_minutes_button")
        self.export_button.setDefaultAction(self.action_export)
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.header = QHBoxLayout()
        self.header.addWidget(self.title_label, 1)
        self.header.addWidget(self.status_label)
        self.history_button = HistoryButton(self, lambda: (self.store, self.session_id))
        self.header.addWidget(self.history_button)
        self.header.addWidget(self.export_button)
        self.header.addWidget(self.finalize_button)

    def _build_details(self) -> None:
        page = QWidget()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.title_edit = QLineEdit()
        self.platform_combo = QComboBox()
        self.kind_combo = QComboBox()
        self.starts_edit = QLineEdit()
        self.ends_edit = QLineEdit()
        self.venue_edit = QLineEdit()
        self.language_combo = QComboBox()
        self.facilitator_edit = QLineEdit()
        specs: list[tuple[QWidget, str, str, str]] = [
            (self.title_edit, "title", N_("&Title:"), "text"),
            (self.platform_combo, "platform_id", N_("&Platform:"), "code"),
            (self.kind_combo, "kind", N_("&Kind:"), "code"),
            (self.starts_edit, "starts_at", N_("&Starts:"), "datetime"),
            (self.ends_edit, "ends_at", N_("&Ends:"), "datetime"),
            (self.venue_edit, "venue", N_("&Venue:"), "text"),
            (self.language_combo, "language", N_("&Language:"), "code"),
            (self.facilitator_edit, "facilitator", N_("&Facilitator:"), "text"),
        ]
        self.detail_fields: dict[str, AutosaveField] = {}
        for combo in (self.platform_combo, self.kind_combo, self.language_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
        for editor, name, label, kind in specs:
            field = self._field(editor, name, self._session_writer(name), kind=kind,
                                describe=label.replace("&", "").rstrip(":"))
            self.detail_fields[name] = field
            form.addRow(self._label(label, editor), field.container)
        self.platform_combo.clear()
        for choice in choices.platform_choices(self.store):
            self.platform_combo.addItem(choice.label, choice.id)

        # The agenda: ordered items, reordered by dragging or Alt+Up / Alt+Down.
        self.agenda_model = AgendaModel(self.store, self.session_id, self)
        self.agenda_model.reordered.connect(self._agenda_reordered)
        self.agenda_model.failed.connect(self._agenda_failed)
        self.agenda_view = QListView()
        self.agenda_view.setObjectName("agenda")
        self.agenda_view.setModel(self.agenda_model)
        self.agenda_view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.agenda_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.agenda_view.setMinimumHeight(120)
        self.action_agenda_up = QAction(self)
        self.action_agenda_up.setObjectName("action_agenda_up")
        self.action_agenda_up.setShortcut(QKeySequence("Alt+Up"))
        self.action_agenda_up.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action_agenda_up.triggered.connect(lambda _c=False: self._move_agenda(-1))
        self.action_agenda_down = QAction(self)
        self.action_agenda_down.setObjectName("action_agenda_down")
        self.action_agenda_down.setShortcut(QKeySequence("Alt+Down"))
        self.action_agenda_down.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action_agenda_down.triggered.connect(lambda _c=False: self._move_agenda(1))
        self.agenda_view.addAction(self.action_agenda_up)
        self.agenda_view.addAction(self.action_agenda_down)
        self.agenda_up_button = QToolButton()
        self.agenda_up_button.setDefaultAction(self.action_agenda_up)
        self.agenda_down_button = QToolButton()
        self.agenda_down_button.setDefaultAction(self.action_agenda_down)
        self.agenda_title = QLineEdit()
        self.agenda_title.setObjectName("agenda_title")
        self.agenda_title.setMaxLength(LINE_MAX)
        self.agenda_title.returnPressed.connect(self.add_agenda_item)
        self.action_add_agenda = QAction(self)
        self.action_add_agenda.setObjectName("action_add_agenda_item")
        self.action_add_agenda.triggered.connect(lambda _c=False: self.add_agenda_item())
        self.agenda_add_button = QToolButton()
        self.agenda_add_button.setDefaultAction(self.action_add_agenda)
        self.agenda_add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.agenda_error = ErrorLabel()
        self.agenda_error.setObjectName("agenda_error")
        moves = QVBoxLayout()
        moves.addWidget(self.agenda_up_button)
        moves.addWidget(self.agenda_down_button)
        moves.addStretch(1)
        rows = QHBoxLayout()
        rows.addWidget(self.agenda_view, 1)
        rows.addLayout(moves)
        add = QHBoxLayout()
        add.addWidget(self.agenda_title, 1)
        add.addWidget(self.agenda_add_button)
        self.agenda_box = QGroupBox()
        box = QVBoxLayout(self.agenda_box)
        box.addLayout(rows)
        box.addLayout(add)
        box.addWidget(self.agenda_error)

        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.agenda_box, 1)
        self.tabs.addTab(page, "")

    def _build_minutes(self) -> None:
        page = QWidget()
        self.minutes_edit = QPlainTextEdit()
        self.minutes_field = self._field(self.minutes_edit, "minutes", self._session_writer("minutes"),
                                         describe=N_("Minutes"))
        self.minutes_hint = _italic(QLabel())
        layout = QVBoxLayout(page)
        layout.addWidget(self.minutes_hint)
        layout.addWidget(self.minutes_field.container, 1)
        self.tabs.addTab(page, "")

    def _add_form(self, name: str) -> tuple[QGroupBox, QFormLayout, ErrorLabel, QPushButton]:
        box = QGroupBox()
        box.setObjectName(f"{name}_form")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        error = ErrorLabel()
        error.setObjectName(f"{name}_error")
        button = QPushButton()
        button.setObjectName(f"action_add_{name}")
        button.setAutoDefault(False)
        return box, form, error, button

    @staticmethod
    def _button_row(form: QFormLayout, button: QPushButton) -> None:
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(button)
        form.addRow(row)

    def _build_concerns(self) -> None:
        page = QWidget()
        self.concerns_model: RowsTableModel[ConcernView] = RowsTableModel([
            Column(N_("Theme"), lambda c: c.theme or ""),
            Column(N_("Raised by"), lambda c: vocab.PARTICIPANT_CATEGORY.label(c.raised_by)
                   if c.raised_by else ""),
            Column(N_("Description"), lambda c: c.description or ""),
        ], lambda c: c.id, self)
        self.concerns_view = _table("concerns")
        self.concerns_view.setModel(self.concerns_model)
        self.concerns_view.setColumnWidth(0, 200)
        self.concerns_view.setColumnWidth(1, 150)
        box, form, self.concern_error, self.add_concern_button = self._add_form("concern")
        self.concern_box = box
        self.concern_theme = QLineEdit()
        self.concern_theme.setObjectName("theme")
        self.concern_theme.setMaxLength(LINE_MAX)
        self.concern_raised_by = QComboBox()
        self.concern_raised_by.setObjectName("raised_by")
        self.concern_description = _short_text(QPlainTextEdit())
        self.concern_description.setObjectName("description")
        self.concern_problem = QComboBox()
        self.concern_problem.setObjectName("priority_problem_id")
        form.addRow(self._label(N_("T&heme:"), self.concern_theme), self.concern_theme)
        form.addRow(self._label(N_("Raised &by:"), self.concern_raised_by), self.concern_raised_by)
        form.addRow(self._label(N_("&Description:"), self.concern_description),
                    self.concern_description)
        form.addRow(self._label(N_("Priority &problem:"), self.concern_problem),
                    self.concern_problem)
        form.addRow(self.concern_error)
        self._button_row(form, self.add_concern_button)
        self.add_concern_button.clicked.connect(self.add_concern)
        layout = QVBoxLayout(page)
        layout.addWidget(self.concerns_view, 1)
        layout.addWidget(box)
        self.tabs.addTab(page, "")

    def _build_complaints(self) -> None:
        page = QWidget()
        self.complaints_model: RowsTableModel[queries.ComplaintLine] = RowsTableModel([
            Column(N_("Reference"), lambda c: c.reference),
            Column(N_("Category"), lambda c: vocab.COMPLAINT_CATEGORY.label(c.category or "")),
            Column(N_("Status"), lambda c: vocab.COMPLAINT_STATUS.label(c.status or "")),
            Column(N_("Description"), lambda c: c.description),
        ], lambda c: c.id, self)
        self.complaints_view = _table("session_complaints")
        self.complaints_view.setModel(self.complaints_model)
        self.complaints_view.setColumnWidth(0, 140)
        self.complaints_view.setColumnWidth(1, 220)
        self.complaints_view.setColumnWidth(2, 120)
        self.complaints_view.activated.connect(
            lambda index: self._open("complaint", self.complaints_model, index))
        self.complaints_hint = _italic(QLabel())
        self.new_complaint_button = QPushButton()
        self.new_complaint_button.setObjectName("action_new_session_complaint")
        self.new_complaint_button.clicked.connect(self.new_complaint)
        buttons = QHBoxLayout()
        buttons.addWidget(self.complaints_hint, 1)
        buttons.addWidget(self.new_complaint_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.complaints_view, 1)
        layout.addLayout(buttons)
        self.tabs.addTab(page, "")

    def _build_actions(self) -> None:
        page = QWidget()
        self.actions_model: RowsTableModel[ActionItemView] = RowsTableModel(
            _action_columns(), lambda a: a.id, self)
        self.actions_view = _table("session_action_items")
        self.actions_view.setModel(self.actions_model)
        self.actions_view.setColumnWidth(0, 320)
        self.actions_view.activated.connect(
            lambda index: self._open("action_item", self.actions_model, index))
        box, form, self.action_error, self.add_action_button = self._add_form("action_item")
        self.action_box = box
        self.action_description = _short_text(QPlainTextEdit(), 2)
        self.action_description.setObjectName("description")
        self.action_party = QComboBox()
        self.action_party.setObjectName("responsible_party")
        self.action_owner = QLineEdit()
        self.action_owner.setObjectName("owner")
        self.action_owner.setMaxLength(LINE_MAX)
        self.action_due = QLineEdit()
        self.action_due.setObjectName("due_on")
        self.action_due.setMaxLength(LINE_MAX)
        form.addRow(self._label(N_("&Commitment:"), self.action_description),
                    self.action_description)
        form.addRow(self._label(N_("&Responsible:"), self.action_party), self.action_party)
        form.addRow(self._label(N_("&Owner:"), self.action_owner), self.action_owner)
        form.addRow(self._label(N_("D&ue date:"), self.action_due), self.action_due)
        form.addRow(self.action_error)
        self._button_row(form, self.add_action_button)
        self.add_action_button.clicked.connect(self.add_action_item)
        layout = QVBoxLayout(page)
        layout.addWidget(self.actions_view, 1)
        layout.addWidget(box)
        self.tabs.addTab(page, "")

    def _build_follow_up(self) -> None:
        page = QWidget()
        self.carried_model: RowsTableModel[ActionItemView] = RowsTableModel(
            [*_action_columns(), Column(N_("Follow-up in this session"),
                                        lambda a: self._follow_up_text(a.id))],
            lambda a: a.id, self)
        today = dt.date.today()
        # Bold: still open and past its due date.
        self.carried_model.emphasis = lambda a: (a.status in action_service.OPEN_STATUSES
                                                 and a.due_on is not None and a.due_on < today)
        self.carried_view = _table("carried_over_action_items")
        self.carried_view.setModel(self.carried_model)
        self.carried_view.setColumnWidth(0, 280)
        self.carried_hint = _italic(QLabel())
        box, form, self.follow_up_error, self.add_follow_up_button = self._add_form("follow_up")
        self.follow_up_box = box
        self.follow_up_note = _short_text(QPlainTextEdit(), 2)
        self.follow_up_note.setObjectName("note")
        self.follow_up_status = QComboBox()
        self.follow_up_status.setObjectName("status_after")
        form.addRow(self._label(N_("What was &said:"), self.follow_up_note), self.follow_up_note)
        form.addRow(self._label(N_("&Status now:"), self.follow_up_status), self.follow_up_status)
        form.addRow(self.follow_up_error)
        self._button_row(form, self.add_follow_up_button)
        self.add_follow_up_button.clicked.connect(self.add_follow_up)
        self.carried_view.selectionModel().currentRowChanged.connect(self._carried_selected)
        layout = QVBoxLayout(page)
        layout.addWidget(self.carried_hint)
        layout.addWidget(self.carried_view, 1)
        layout.addWidget(box)
        self.tabs.addTab(page, "")
        self._follow_ups: dict[str, list[FollowUpView]] = {}

    def _build_amendments(self) -> None:
        page = QWidget()
        self.amendments_model: RowsTableModel[AmendmentView] = RowsTableModel([
            Column(N_("Recorded"), lambda a: fmt_datetime(a.recorded_at)),
            Column(N_("Part"), lambda a: _(dict(AMENDED_PARTS).get(a.field or "", a.field or ""))),
            Column(N_("Correction"), lambda a: a.text or ""),
        ], lambda a: a.id, self)
        self.amendments_view = _table("amendments")
        self.amendments_view.setModel(self.amendments_model)
        self.amendments_view.setColumnWidth(0, 140)
        self.amendments_view.setColumnWidth(1, 120)
        self.amendments_hint = _italic(QLabel())
        box, form, self.amendment_error, self.add_amendment_button = self._add_form("amendment")
        self.amendment_box = box
        self.amendment_part = QComboBox()
        self.amendment_part.setObjectName("field")
        self.amendment_text = _short_text(QPlainTextEdit(), 3)
        self.amendment_text.setObjectName("text")
        form.addRow(self._label(N_("&Part:"), self.amendment_part), self.amendment_part)
        form.addRow(self._label(N_("&Correction:"), self.amendment_text), self.amendment_text)
        form.addRow(self.amendment_error)
        self._button_row(form, self.add_amendment_button)
        self.add_amendment_button.clicked.connect(self.add_amendment)
        layout = QVBoxLayout(page)
        layout.addWidget(self.amendments_hint)
        layout.addWidget(self.amendments_view, 1)
        layout.addWidget(box)
        self.tabs.addTab(page, "")

    # == language ===================================================================================

    TAB_TITLES = (N_("&Details"), N_("&Attendance"), N_("&Minutes"), N_("C&oncerns ({n})"),
                  N_("Comp&laints ({n})"), N_("Action &items ({n})"), N_("Follo&w-up ({n})"),
                  N_("Amendme&nts ({n})"))

    def retranslate_ui(self) -> None:
        for label, msgid in self._labels:
            label.setText(_(msgid))
            buddy = label.buddy()
            if buddy is not None:
                buddy.setAccessibleName(label.text().replace("&", "").rstrip(": "))
        self._retitle_tabs()
        _fill_combo(self.kind_combo, _vocab_items(vocab.SESSION_KIND))
        _fill_combo(self.language_combo, _vocab_items(vocab.CONTENT_LANGUAGE))
        _fill_combo(self.concern_raised_by, _vocab_items(vocab.PARTICIPANT_CATEGORY,
                                                         _("(not recorded)")))
        _fill_combo(self.action_party, _vocab_items(vocab.RESPONSIBLE_PARTY))
        _fill_combo(self.follow_up_status, _vocab_items(vocab.ACTION_STATUS))
        _fill_combo(self.amendment_part, [(c, _(label)) for c, label in AMENDED_PARTS])
        problems: list[tuple[str | None, str]] = [(None, _("(none)"))]
        problems += [(p.id, p.label) for p in choices.priority_problem_choices(
            self.store, self.record.platform_id)]
        _fill_combo(self.concern_problem, problems)
        for field in self.fields:
            field.load(getattr(self.record, field.field))
        self.starts_edit.setPlaceholderText(_("YYYY-MM-DD HH:MM"))
        self.ends_edit.setPlaceholderText(_("YYYY-MM-DD HH:MM"))
        self.action_due.setPlaceholderText(_("YYYY-MM-DD"))
        self.agenda_box.setTitle(_("Agenda"))
        self.agenda_view.setAccessibleName(_("Agenda items, in order"))
        self.agenda_title.setPlaceholderText(_("New agenda item, then Enter"))
        self.agenda_title.setAccessibleName(_("New agenda item"))
        self.action_agenda_up.setText(_("Move up"))
        self.action_agenda_up.setToolTip(_("Move the selected item up (Alt+Up)"))
        self.action_agenda_down.setText(_("Move down"))
        self.action_agenda_down.setToolTip(_("Move the selected item down (Alt+Down)"))
        self.action_add_agenda.setText(_("Add"))
        self.action_add_agenda.setToolTip(_("Add the item at the end of the agenda"))
        self.agenda_up_button.setAccessibleName(_("Move up"))
        self.agenda_down_button.setAccessibleName(_("Move down"))
        self.agenda_add_button.setAccessibleName(_("Add agenda item"))
        self.minutes_hint.setText(_("What was said and decided. Saved as you type."))
        self.minutes_edit.setAccessibleName(_("Minutes"))
        self.concern_box.setTitle(_("Record a concern raised"))
        self.add_concern_button.setText(_("Add concern"))
        self.complaints_hint.setText(_("Complaints received during this session. The "
                                       "complainant's identity is never shown in this list."))
        self.new_complaint_button.setText(_("New complaint in this session…"))
        self.action_box.setTitle(_("Record a new commitment"))
        self.add_action_button.setText(_("Add action item"))
        self.carried_hint.setText(_("Open commitments of this platform from earlier sessions: "
                                    "record what was said about each one today."))
        self.follow_up_box.setTitle(_("Follow-up of the selected commitment"))
        self.add_follow_up_button.setText(_("Record follow-up"))
        self.amendment_box.setTitle(_("Record a correction"))
        self.add_amendment_button.setText(_("Add amendment"))
        for button in (self.add_concern_button, self.new_complaint_button, self.add_action_button,
                       self.add_follow_up_button, self.add_amendment_button):
            button.setAccessibleName(button.text().rstrip("…"))
        for view, name in ((self.concerns_view, N_("Concerns raised")),
                           (self.complaints_view, N_("Complaints received")),
                           (self.actions_view, N_("Action items agreed")),
                           (self.carried_view, N_("Commitments carried over")),
                           (self.amendments_view, N_("Amendments"))):
            view.setAccessibleName(_(name))
        for model in (self.concerns_model, self.complaints_model, self.actions_model,
                      self.carried_model, self.amendments_model):
            model.retranslate()
        self.tabs.setAccessibleName(_("Parts of the session"))
        self._update_header()

    def _retitle_tabs(self) -> None:
        counts = [None, None, None, self.concerns_model.rowCount(),
                  self.complaints_model.rowCount(), self.actions_model.rowCount(),
                  self.carried_model.rowCount(), self.amendments_model.rowCount()]
        for i, (msgid, n) in enumerate(zip(self.TAB_TITLES, counts, strict=True)):
            self.tabs.setTabText(i, _(msgid, n=n) if n is not None else _(msgid))

    def _update_header(self) -> None:
        rec = self.record
        when = fmt_datetime(rec.starts_at)
        self.title_label.setText(f"{rec.title or _('(untitled)')}")
        self.title_label.setToolTip(when)
        finalized = rec.status == "finalized"
        status = vocab.SESSION_STATUS.label(rec.status or "draft")
        if finalized and rec.finalized_at:
            status = _("{status} on {date}", status=status, date=fmt_datetime(rec.finalized_at))
        self.status_label.setText(status)
        self.status_label.setAccessibleName(_("Status: {status}", status=status))
        self.action_finalize.setText(_("Finalize…"))
        self.action_finalize.setToolTip(_("Lock the session; later corrections become "
                                          "amendments (Ctrl+Shift+F)"))
        self.action_export.setText(_("Export minutes…"))
        available = _minutes_exporter() is not None
        self.action_export.setEnabled(available)
        self.action_export.setToolTip(_("Save the minutes as a PDF (Ctrl+E)") if available else
                                      _("Minutes export is not available in this build yet."))
        self.finalize_button.setAccessibleName(_("Finalize the session"))
        self.export_button.setAccessibleName(_("Export minutes"))
        self.amendments_hint.setText(
            _("This session is finalized: it can no longer be edited. Record any correction "
              "here; amendments are listed with the minutes.") if finalized else
            _("While the session is a draft, correct it directly. Once it is finalized, "
              "corrections are recorded here as amendments."))

    # == state ======================================================================================

    @property
    def finalized(self) -> bool:
        return self.record.status == "finalized"

    @property
    def can_edit(self) -> bool:
        return self.ctx.role != "liaison" and not self.finalized

    def _apply_state(self) -> None:
        editable = self.can_edit
        for field in self.fields:
            field.set_read_only(not editable)
        self.attendance.set_read_only(not editable)
        self.agenda_model.editable = editable
        self.agenda_view.setDragEnabled(editable)
        for w in (self.agenda_title, self.action_add_agenda, self.action_agenda_up,
                  self.action_agenda_down, self.concern_box, self.action_box,
                  self.new_complaint_button, self.follow_up_box):
            w.setEnabled(editable)
        facilitator = self.ctx.role != "liaison"
        self.action_finalize.setEnabled(editable)
        self.finalize_button.setVisible(facilitator)
        self.amendment_box.setEnabled(facilitator and self.finalized)
        self.amendment_box.setVisible(facilitator)

    def reload(self) -> None:
        """Re-read the session and its lists (after a save here or elsewhere)."""
        record = queries.session(self.store, self.session_id)
        if record is None:
            return
        self.record = record
        for field in self.fields:
            field.load(getattr(record, field.field))
        self.agenda_model.reload()
        self.attendance.reload()
        self.concerns_model.set_rows(queries.concerns(self.store, self.session_id))
        self.complaints_model.set_rows(queries.session_complaints(self.store, self.session_id))
        self.actions_model.set_rows(queries.session_action_items(self.store, self.session_id))
        self._follow_ups = queries.follow_ups_in_session(self.store, self.session_id)
        selected = self._selected_id(self.carried_view, self.carried_model)
        carried = action_service.open_items_for_session(self.store, self.session_id)
        # Items followed up here stay listed even once done, so the session shows its follow-up.
        followed = {a.id for a in carried}
        extra = [a for a in _items_by_id(self.store, set(self._follow_ups) - followed)]
        self.carried_model.set_rows(carried + extra)
        self._select_id(self.carried_view, self.carried_model, selected)
        self.amendments_model.set_rows(queries.amendments(self.store, self.session_id))
        self._apply_state()
        self._retitle_tabs()
        self._update_header()

    def flush(self) -> bool:
        return flush_all(self)

    # == actions ====================================================================================

    def _saved(self) -> None:
        self.changed.emit()
        self.reload()

    def add_agenda_item(self) -> None:
        title = self.agenda_title.text()
        if not title.strip():
            self.agenda_error.show_error(ValidationError("title", N_("This field is required.")))
            return
        try:
            session_service.add_agenda_item(self.store, self.session_id, title.strip())
        except JsdError as exc:
            self.agenda_error.show_error(exc)
            return
        self.agenda_error.show_error(None)
        self.agenda_title.clear()
        self._saved()
        self.agenda_view.setCurrentIndex(self.agenda_model.index(self.agenda_model.rowCount() - 1))

    def _agenda_failed(self, exc: JsdError) -> None:
        self.agenda_error.show_error(exc)

    def _move_agenda(self, step: int) -> None:
        row = self.agenda_view.currentIndex().row()
        if row < 0:
            return
        target = row + step
        if not 0 <= target < self.agenda_model.rowCount():
            return
        # moveRows counts the destination before removal: down by one is "before row + 2".
        if self.agenda_model.move_row(row, target + 1 if step > 0 else target):
            self.agenda_view.setCurrentIndex(self.agenda_model.index(target))

    def _agenda_reordered(self, old: list[str], new: list[str]) -> None:
        self.agenda_error.show_error(None)
        store, session_id, model = self.store, self.session_id, self.agenda_model

        def write(ids: list[str]) -> None:
            session_service.reorder_agenda(store, session_id, ids)

        push_edit(self.ctx.undo_stack, _("Reorder the agenda"), write, old, new,
                  shown=lambda _ids: model.reload(), on_error=self.agenda_error.show_error)
        self.changed.emit()

    def add_concern(self) -> None:
        try:
            session_service.add_concern(
                self.store, self.session_id, description=self.concern_description.toPlainText(),
                theme=self.concern_theme.text().strip() or None,
                raised_by=self.concern_raised_by.currentData(),
                priority_problem_id=self.concern_problem.currentData())
        except JsdError as exc:
            self.concern_error.show_error(exc)
            return
        self.concern_error.show_error(None)
        self.concern_theme.clear()
        self.concern_description.clear()
        self._saved()

    def add_action_item(self) -> None:
        due = self.action_due.text().strip() or None
        try:
            action_service.add_action_item(
                self.store, self.session_id, description=self.action_description.toPlainText(),
                responsible_party=str(self.action_party.currentData()),
                owner=self.action_owner.text().strip() or None, due_on=due)
        except JsdError as exc:
            self.action_error.show_error(exc)
            return
        self.action_error.show_error(None)
        self.action_description.clear()
        self.action_owner.clear()
        self.action_due.clear()
        self._saved()

    def focus_new_action_item(self) -> None:
        self.tabs.setCurrentIndex(5)
        self.action_description.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _carried_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.carried_model.row_at(current.row())
        if item is not None:
            index = self.follow_up_status.findData(item.status)
            if index >= 0:
                self.follow_up_status.setCurrentIndex(index)

    def add_follow_up(self) -> None:
        item = self.carried_model.row_at(self.carried_view.currentIndex().row())
        if item is None:
            self.follow_up_error.show_error(ValidationError(
                "action_item_id", N_("Choose the commitment this follow-up is about.")))
            return
        note = self.follow_up_note.toPlainText()
        status = self.follow_up_status.currentData()
        try:
            action_service.add_follow_up(self.store, item.id, note=note, session_id=self.session_id,
                                         status_after=status if status != item.status else None,
                                         recorded_on=_session_day(self.record))
        except JsdError as exc:
            self.follow_up_error.show_error(exc)
            return
        self.follow_up_error.show_error(None)
        self.follow_up_note.clear()
        self._saved()

    def _follow_up_text(self, action_id: str) -> str:
        notes = self._follow_ups.get(action_id, [])
        return " · ".join(f"{n.note} → {vocab.ACTION_STATUS.label(n.status_after or '')}"
                          for n in notes)

    def add_amendment(self) -> None:
        try:
            session_service.add_amendment(self.store, self.session_id,
                                          text=self.amendment_text.toPlainText(),
                                          field=self.amendment_part.currentData() or None)
        except JsdError as exc:
            self.amendment_error.show_error(exc)
            return
        self.amendment_error.show_error(None)
        self.amendment_text.clear()
        self._saved()

    def finalize(self, *, confirm: bool = True) -> bool:
        if not self.can_edit:
            return False
        if not self.flush():
            QMessageBox.warning(self, _("Finalize the session"),
                                _("Some fields hold values that were refused. Correct them "
                                  "before finalizing."))
            return False
        if confirm:
            box = QMessageBox(QMessageBox.Icon.Question, _("Finalize the session"),
                              _("Finalize “{title}”? It can then no longer be edited; later "
                                "corrections are recorded as amendments.",
                                title=self.record.title or ""),
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                              self)
            box.setObjectName("confirm_finalize")
            box.button(QMessageBox.StandardButton.Yes).setText(_("Finalize"))
            box.button(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            if box.exec() != QMessageBox.StandardButton.Yes:
                return False
        try:
            session_service.finalize_session(self.store, self.session_id)
        except JsdError as exc:
            QMessageBox.warning(self, _("Finalize the session"), exc.message())
            return False
        self._saved()
        self.ctx.signals.status_message.emit(_("Session finalized."))
        return True

    def new_complaint(self) -> None:
        from jsd_desk.ui.sessions.complaint_dialog import record_complaint_in_session

        if record_complaint_in_session(self.ctx, self.record, self):
            self._saved()
            self.tabs.setCurrentIndex(4)

    def export_minutes(self) -> None:
        """Minutes as PDF through ``services.minutes.export_minutes``, in the background."""
        exporter = _minutes_exporter()
        if exporter is None:
            self.ctx.signals.status_message.emit(
                _("Minutes export is not available in this build yet."))
            return
        from jsd_desk.ui.minutes_dialog import export_minutes_dialog

        self.flush()
        # Language (the session's by default), audience and file; exports off the GUI thread.
        export_minutes_dialog(self.ctx, self.session_id, self)

    def _export_failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, _("Export minutes"), error_text(exc))

    # == helpers ====================================================================================

    def _open(self, entity: str, model: RowsTableModel[Any], index: QModelIndex) -> None:
        record_id = model.data(model.index(index.row(), 0), ID_ROLE)
        if record_id:
            self.ctx.signals.open_requested.emit(entity, str(record_id))

    @staticmethod
    def _selected_id(view: QTableView, model: RowsTableModel[Any]) -> str | None:
        index = view.currentIndex()
        value = model.data(model.index(index.row(), 0), ID_ROLE) if index.isValid() else None
        return str(value) if value else None

    @staticmethod
    def _select_id(view: QTableView, model: RowsTableModel[Any], record_id: str | None) -> None:
        for row in range(model.rowCount()):
            if model.data(model.index(row, 0), ID_ROLE) == record_id:
                view.setCurrentIndex(model.index(row, 0))
                return

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        QTimer.singleShot(0, self._retitle_tabs)


def _action_columns() -> list[Column[ActionItemView]]:
    return [
        Column(N_("Commitment"), lambda a: a.description or ""),
        Column(N_("Responsible"), lambda a: vocab.RESPONSIBLE_PARTY.label(a.responsible_party or "")),
        Column(N_("Owner"), lambda a: a.owner or ""),
        Column(N_("Due"), lambda a: fmt_date(a.due_on)),
        Column(N_("Status"), lambda a: vocab.ACTION_STATUS.label(a.status or "")),
    ]


def _items_by_id(store: Any, ids: set[str]) -> list[ActionItemView]:
    if not ids:
        return []
    found = [queries.action_item(store, i) for i in sorted(ids)]
    return [a for a in found if a is not None]


def _session_day(record: SessionView) -> dt.date:
    return record.starts_at.date() if record.starts_at else dt.date.today()


def _minutes_exporter() -> Callable[..., Any] | None:
    """``services.minutes.export_minutes(store, session, lang, profile, out_path, *, progress,
    cancelled)`` when that service is part of the build."""
    try:
        module = importlib.import_module("jsd_desk.services.minutes")
    except ModuleNotFoundError:
        return None
    fn = getattr(module, "export_minutes", None)
    return fn if callable(fn) else None
