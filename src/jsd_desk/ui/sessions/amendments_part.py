"""Amendments: corrections recorded once the session is finalized (it can no longer be edited),
listed with the minutes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from jsd_desk.i18n import N_, _
from jsd_desk.services import queries
from jsd_desk.services import sessions as session_service
from jsd_desk.services.views import AmendmentView, SessionView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.table import Column
from jsd_desk.ui.kit.widgets import fill_combo
from jsd_desk.ui.sessions.models import fmt_datetime
from jsd_desk.ui.sessions.part import ListPart, fit_headers, italic, short_text

# Parts of a session an amendment may correct (stored as the code, shown translated).
AMENDED_PARTS = (("", N_("General")), ("details", N_("Details")), ("agenda", N_("Agenda")),
                 ("attendance", N_("Attendance")), ("minutes", N_("Minutes")),
                 ("concerns", N_("Concerns")), ("complaints", N_("Complaints")),
                 ("action_items", N_("Action items")))


class AmendmentsPart(ListPart[AmendmentView]):
    TITLE = N_("Amendme&nts ({n})")
    LIST_NAME = N_("Amendments")
    ADD_NAME = "amendment"
    BOX_TITLE = N_("Record a correction")
    ADD_TEXT = N_("Add amendment")

    def __init__(self, ctx: UiContext, session_id: str, saved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, session_id, saved, [
            Column(N_("Recorded"), lambda a: fmt_datetime(a.recorded_at)),
            Column(N_("Part"), lambda a: _(dict(AMENDED_PARTS).get(a.field or "", a.field or ""))),
            Column(N_("Correction"), lambda a: a.text or ""),
        ], "amendments", parent)
        self.finalized = False
        fit_headers(self.view, stretch=2, contents=(0, 1))
        self.hint = italic(QLabel())
        self.part = QComboBox()
        self.part.setObjectName("field")
        self.text = short_text(QPlainTextEdit(), 3)
        self.text.setObjectName("text")
        self.lay_out([(N_("&Part:"), self.part), (N_("&Correction:"), self.text)], hint=self.hint)

    def show_record(self, record: SessionView) -> None:
        super().show_record(record)
        self.finalized = record.status == "finalized"
        self.model.set_rows(queries.amendments(self.store, self.session_id))
        self._hint()

    def set_editable(self, editable: bool, *, facilitator: bool, finalized: bool) -> None:
        # Corrections are for a finalized session, by its facilitators.
        super().set_editable(editable, facilitator=facilitator, finalized=finalized)
        assert self.box is not None
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
        self._hint()

    def add(self) -> None:
        self.record_new(lambda: session_service.add_amendment(
            self.store, self.session_id, text=self.text.toPlainText(),
            field=self.part.currentData() or None), self.text)
