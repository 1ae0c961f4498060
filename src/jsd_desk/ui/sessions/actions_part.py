"""The commitments agreed in the session: the list, and a form to record a new one (what, who
is responsible, the person in charge, by when)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import N_, _
from jsd_desk.services import actions as action_service
from jsd_desk.services import queries
from jsd_desk.services.views import ActionItemView, SessionView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import LINE_MAX
from jsd_desk.ui.kit.table import RowsTableModel
from jsd_desk.ui.kit.widgets import fill_combo
from jsd_desk.ui.sessions.part import (
    EditorPart,
    action_columns,
    add_form,
    button_row,
    fit_headers,
    short_text,
    table,
    vocab_items,
)


class ActionsPart(EditorPart):
    TITLE = N_("Action &items ({n})")

    def __init__(self, ctx: UiContext, session_id: str, saved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, session_id, saved, parent)
        self.model: RowsTableModel[ActionItemView] = RowsTableModel(
            action_columns(), lambda a: a.id, self)
        self.view = table("session_action_items")
        self.view.setModel(self.model)
        fit_headers(self.view, stretch=0, contents=(1, 3, 4))
        # The person in charge is in the form and the item's page; the commitment needs the room.
        self.view.setColumnHidden(2, True)
        self.view.activated.connect(lambda index: self.open_row("action_item", self.model, index))
        self.box, form, self.error, self.add_button = add_form("action_item")
        self.description = short_text(QPlainTextEdit(), 2)
        self.description.setObjectName("description")
        self.party = QComboBox()
        self.party.setObjectName("responsible_party")
        self.owner = QLineEdit()
        self.owner.setObjectName("owner")
        self.owner.setMaxLength(LINE_MAX)
        self.due = QLineEdit()
        self.due.setObjectName("due_on")
        self.due.setMaxLength(LINE_MAX)
        form.addRow(self.label(N_("&Commitment:"), self.description), self.description)
        form.addRow(self.label(N_("&Responsible:"), self.party), self.party)
        form.addRow(self.label(N_("&Owner:"), self.owner), self.owner)
        form.addRow(self.label(N_("D&ue date:"), self.due), self.due)
        form.addRow(self.error)
        button_row(form, self.add_button)
        self.add_button.clicked.connect(self.add_action_item)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.box)

    def count(self) -> int:
        return self.model.rowCount()

    def show_record(self, record: SessionView) -> None:
        super().show_record(record)
        self.model.set_rows(queries.session_action_items(self.store, self.session_id))

    def set_editable(self, editable: bool, *, facilitator: bool, finalized: bool) -> None:
        super().set_editable(editable, facilitator=facilitator, finalized=finalized)
        self.box.setEnabled(editable)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        fill_combo(self.party, vocab_items(vocab.RESPONSIBLE_PARTY))
        self.due.setPlaceholderText(_("YYYY-MM-DD"))
        self.box.setTitle(_("Record a new commitment"))
        self.add_button.setText(_("Add action item"))
        self.add_button.setAccessibleName(self.add_button.text())
        self.view.setAccessibleName(_("Action items agreed"))
        self.model.retranslate()

    def focus_new(self) -> None:
        self.description.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def add_action_item(self) -> None:
        due = self.due.text().strip() or None
        try:
            action_service.add_action_item(
                self.store, self.session_id, description=self.description.toPlainText(),
                responsible_party=str(self.party.currentData()),
                owner=self.owner.text().strip() or None, due_on=due)
        except JsdError as exc:
            self.error.show_error(exc)
            return
        self.error.show_error(None)
        self.description.clear()
        self.owner.clear()
        self.due.clear()
        self.saved()
