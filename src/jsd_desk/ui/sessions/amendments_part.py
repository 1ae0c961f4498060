"""Amendments: corrections recorded once the session is finalized (it can no longer be edited),
listed with the minutes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import N_, _
from jsd_desk.services import queries
from jsd_desk.services import sessions as session_service
from jsd_desk.services.views import AmendmentView, SessionView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.table import Column, RowsTableModel
from jsd_desk.ui.kit.widgets import fill_combo
from jsd_desk.ui.sessions.models import fmt_datetime
from jsd_desk.ui.sessions.part import (
    EditorPart,
    add_form,
    button_row,
    fit_headers,
    italic,
    short_text,
    table,
)

# Parts of a session an amendment may correct (stored as the code, shown translated).
AMENDED_PARTS = (("", N_("General")), ("details", N_("Details")), ("agenda", N_("Agenda")),
                 ("attendance", N_("Attendance")), ("minutes", N_("Minutes")),
                 ("concerns", N_("Concerns")), ("complaints", N_("Complaints")),
                 ("action_items", N_("Action items")))


class AmendmentsPart(EditorPart):
    TITLE = N_("Amendme&nts ({n})")

    def __init__(self, ctx: UiContext, session_id: str, saved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, session_id, saved, parent)
        self.finalized = False
        self.model: RowsTableModel[AmendmentView] = RowsTableModel([
            Column(N_("Recorded"), lambda a: fmt_datetime(a.recorded_at)),
            Column(N_("Part"), lambda a: _(dict(AMENDED_PARTS).get(a.field or "", a.field or ""))),
            Column(N_("Correction"), lambda a: a.text or ""),
        ], lambda a: a.id, self)
        self.view = table("amendments")
        self.view.setModel(self.model)
        fit_headers(self.view, stretch=2, contents=(0, 1))
        self.hint = italic(QLabel())
        self.box, form, self.error, self.add_button = add_form("amendment")
        self.part = QComboBox()
        self.part.setObjectName("field")
        self.text = short_text(QPlainTextEdit(), 3)
        self.text.setObjectName("text")
        form.addRow(self.label(N_("&Part:"), self.part), self.part)
        form.addRow(self.label(N_("&Correction:"), self.text), self.text)
        form.addRow(self.error)
        button_row(form, self.add_button)
        self.add_button.clicked.connect(self.add_amendment)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.box)

    def count(self) -> int:
        return self.model.rowCount()

    def show_record(self, record: SessionView) -> None:
        super().show_record(record)
        self.finalized = record.status == "finalized"
        self.model.set_rows(queries.amendments(self.store, self.session_id))
        self._hint()

    def set_editable(self, editable: bool, *, facilitator: bool, finalized: bool) -> None:
        super().set_editable(editable, facilitator=facilitator, finalized=finalized)
        self.box.setEnabled(facilitator and finalized)
        self.box.setVisible(facilitator)

    def _hint(self) -> None:
        self.hint.setText(
            _("This session is finalized: it can no longer be edited. Record any correction "
              "here; amendments are listed with the minutes.") if self.finalized else
            _("While the session is a draft, correct it directly. Once it is finalized, "
              "corrections are recorded here as amendments."))

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        fill_combo(self.part, [(c, _(label)) for c, label in AMENDED_PARTS])
        self.box.setTitle(_("Record a correction"))
        self.add_button.setText(_("Add amendment"))
        self.add_button.setAccessibleName(self.add_button.text())
        self.view.setAccessibleName(_("Amendments"))
        self.model.retranslate()
        self._hint()

    def add_amendment(self) -> None:
        try:
            session_service.add_amendment(self.store, self.session_id,
                                          text=self.text.toPlainText(),
                                          field=self.part.currentData() or None)
        except JsdError as exc:
            self.error.show_error(exc)
            return
        self.error.show_error(None)
        self.text.clear()
        self.saved()
