"""The commitments agreed in the session: the list, and a form to record a new one (what, who
is responsible, the person in charge, by when)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, _
from jsd_desk.services import actions as action_service
from jsd_desk.services import queries
from jsd_desk.services.views import ActionItemView, SessionView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import LINE_MAX
from jsd_desk.ui.kit.widgets import fill_combo
from jsd_desk.ui.sessions.part import (
    ListPart,
    action_columns,
    fit_headers,
    short_text,
    vocab_items,
)


class ActionsPart(ListPart[ActionItemView]):
    TITLE = N_("Action &items ({n})")
    LIST_NAME = N_("Action items agreed")
    ADD_NAME = "action_item"
    BOX_TITLE = N_("Record a new commitment")
    ADD_TEXT = N_("Add action item")

    def __init__(self, ctx: UiContext, session_id: str, saved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, session_id, saved, action_columns(), "session_action_items",
                         parent)
        fit_headers(self.view, stretch=0, contents=(1, 3, 4))
        # The person in charge is in the form and the item's page; the commitment needs the room.
        self.view.setColumnHidden(2, True)
        self.view.activated.connect(lambda index: self.open_row("action_item", self.model, index))
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
        self.lay_out([(N_("&Commitment:"), self.description), (N_("&Responsible:"), self.party),
                      (N_("&Owner:"), self.owner), (N_("D&ue date:"), self.due)])

    def show_record(self, record: SessionView) -> None:
        super().show_record(record)
        self.model.set_rows(queries.session_action_items(self.store, self.session_id))

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        fill_combo(self.party, vocab_items(vocab.RESPONSIBLE_PARTY))
        self.due.setPlaceholderText(_("YYYY-MM-DD"))

    def focus_new(self) -> None:
        self.description.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def add(self) -> None:
        self.record_new(lambda: action_service.add_action_item(
            self.store, self.session_id, description=self.description.toPlainText(),
            responsible_party=str(self.party.currentData()),
            owner=self.owner.text().strip() or None, due_on=self.due.text().strip() or None),
            self.description, self.owner, self.due)
