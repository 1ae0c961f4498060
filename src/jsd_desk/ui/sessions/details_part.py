"""The session's details (title, platform, kind, times, venue, language, facilitator) and its
agenda: ordered items, reordered by dragging or Alt+Up / Alt+Down, undoable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError, ValidationError
from jsd_desk.i18n import N_, _
from jsd_desk.services import choices
from jsd_desk.services import sessions as session_service
from jsd_desk.services.views import SessionView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import LINE_MAX, AutosaveField, ErrorLabel
from jsd_desk.ui.kit.widgets import fill_combo, fit_to_choice
from jsd_desk.ui.sessions.models import AgendaModel
from jsd_desk.ui.sessions.part import EditorPart, vocab_items
from jsd_desk.ui.undo import push_edit


class DetailsPart(EditorPart):
    TITLE = N_("&Details")

    def __init__(self, ctx: UiContext, session_id: str, saved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, session_id, saved, parent)
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
            # As wide as the choice ("Plateforme de dialogue communautaire de Talladjé").
            fit_to_choice(combo)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        for editor, name, label, kind in specs:
            field = self.field(editor, name, self._writer(name), kind=kind,
                               describe=label.replace("&", "").rstrip(":"))
            self.detail_fields[name] = field
            form.addRow(self.label(label, editor), field.container)
        for choice in choices.platform_choices(self.store):
            self.platform_combo.addItem(choice.label, choice.id)
        self._build_agenda()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.agenda_box, 1)

    def _writer(self, name: str) -> Callable[[Any], None]:
        store, session_id = self.store, self.session_id

        def write(value: Any) -> None:
            session_service.update_session(store, session_id, **{name: value})

        return write

    def _build_agenda(self) -> None:
        self.agenda_model = AgendaModel(self.store, self.session_id, self)
        self.agenda_model.reordered.connect(self._agenda_reordered)
        self.agenda_model.failed.connect(self._agenda_failed)
        self.agenda_view = QListView()
        self.agenda_view.setObjectName("agenda")
        self.agenda_view.setModel(self.agenda_model)
        self.agenda_view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.agenda_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.agenda_view.setMinimumHeight(120)
        # A long item wraps within the list instead of making it scroll sideways.
        self.agenda_view.setWordWrap(True)
        self.agenda_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.agenda_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
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

    # -- for the editor ----------------------------------------------------------------------

    def show_record(self, record: SessionView) -> None:
        super().show_record(record)
        self.agenda_model.reload()

    def set_editable(self, editable: bool, *, facilitator: bool, finalized: bool) -> None:
        super().set_editable(editable, facilitator=facilitator, finalized=finalized)
        self.agenda_model.editable = editable
        self.agenda_view.setDragEnabled(editable)
        for w in (self.agenda_title, self.action_add_agenda, self.action_agenda_up,
                  self.action_agenda_down):
            w.setEnabled(editable)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        fill_combo(self.kind_combo, vocab_items(vocab.SESSION_KIND))
        fill_combo(self.language_combo, vocab_items(vocab.CONTENT_LANGUAGE))
        self.starts_edit.setPlaceholderText(_("YYYY-MM-DD HH:MM"))
        self.ends_edit.setPlaceholderText(_("YYYY-MM-DD HH:MM"))
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

    # -- the agenda --------------------------------------------------------------------------

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
        self.saved()
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
        self.edited.emit()
