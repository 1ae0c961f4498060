"""Complaints received during the session (never the complainant's identity); a new one is
taken by the Complaints page's intake form, with this session chosen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, _
from jsd_desk.services import queries
from jsd_desk.services.views import SessionView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.table import Column
from jsd_desk.ui.sessions.part import ListPart, fit_headers, italic


class ComplaintsPart(ListPart[queries.ComplaintLine]):
    TITLE = N_("Comp&laints ({n})")
    LIST_NAME = N_("Complaints received")

    def __init__(self, ctx: UiContext, session_id: str, saved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, session_id, saved, [
            Column(N_("Reference"), lambda c: c.reference),
            Column(N_("Category"), lambda c: vocab.COMPLAINT_CATEGORY.label(c.category or "")),
            Column(N_("Status"), lambda c: vocab.COMPLAINT_STATUS.label(c.status or "")),
            Column(N_("Description"), lambda c: c.description),
        ], "session_complaints", parent)
        fit_headers(self.view, stretch=3, contents=(0, 1, 2))
        self.view.activated.connect(lambda index: self.open_row("complaint", self.model, index))
        self.hint = italic(QLabel())
        self.new_button = QPushButton()
        self.new_button.setObjectName("action_new_session_complaint")
        self.new_button.clicked.connect(self.new_complaint)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.new_button)
        self.lay_out(below=buttons)

    def show_record(self, record: SessionView) -> None:
        super().show_record(record)
        self.model.set_rows(queries.session_complaints(self.store, self.session_id))

    def set_editable(self, editable: bool, *, facilitator: bool, finalized: bool) -> None:
        super().set_editable(editable, facilitator=facilitator, finalized=finalized)
        self.new_button.setEnabled(editable)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.hint.setText(_("Complaints received during this session. The complainant's "
                            "identity is never shown in this list."))
        self.new_button.setText(_("New complaint in this session…"))
        self.new_button.setAccessibleName(self.new_button.text().rstrip("…"))

    def new_complaint(self) -> None:
        """The full intake (with the confidential identity fields), on the Complaints page:
        the window switches to it; this list shows the complaint once it is recorded."""
        if self.record is not None:
            self.ctx.signals.intake_requested.emit(self.record.id)
