"""Concerns raised in the session: the list, and a form to record one (theme, who raised it,
what was said, the platform's priority problem it belongs to)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, _
from jsd_desk.services import choices, queries
from jsd_desk.services import sessions as session_service
from jsd_desk.services.views import ConcernView, SessionView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import LINE_MAX
from jsd_desk.ui.kit.table import Column
from jsd_desk.ui.kit.widgets import fill_combo
from jsd_desk.ui.sessions.part import ListPart, fit_headers, short_text, vocab_items


class ConcernsPart(ListPart[ConcernView]):
    TITLE = N_("C&oncerns ({n})")
    LIST_NAME = N_("Concerns raised")
    ADD_NAME = "concern"
    BOX_TITLE = N_("Record a concern raised")
    ADD_TEXT = N_("Add concern")

    def __init__(self, ctx: UiContext, session_id: str, saved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, session_id, saved, [
            Column(N_("Theme"), lambda c: c.theme or ""),
            Column(N_("Raised by"), lambda c: vocab.PARTICIPANT_CATEGORY.label(c.raised_by)
                   if c.raised_by else ""),
            Column(N_("Description"), lambda c: c.description or ""),
        ], "concerns", parent)
        self.platform_id: str | None = None
        fit_headers(self.view, stretch=2, contents=(1,))
        self.theme = QLineEdit()
        self.theme.setObjectName("theme")
        self.theme.setMaxLength(LINE_MAX)
        self.raised_by = QComboBox()
        self.raised_by.setObjectName("raised_by")
        self.description = short_text(QPlainTextEdit())
        self.description.setObjectName("description")
        self.problem = QComboBox()
        self.problem.setObjectName("priority_problem_id")
        self.problem.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.problem.setMinimumContentsLength(16)
        self.lay_out([(N_("T&heme:"), self.theme), (N_("Raised &by:"), self.raised_by),
                      (N_("&Description:"), self.description),
                      (N_("Priority &problem:"), self.problem)])

    def show_record(self, record: SessionView) -> None:
        super().show_record(record)
        self.model.set_rows(queries.concerns(self.store, self.session_id))
        if record.platform_id != self.platform_id:
            self.platform_id = record.platform_id
            self._fill_problems()

    def _fill_problems(self) -> None:
        problems: list[tuple[str | None, str]] = [(None, _("(none)"))]
        problems += [(p.id, p.label) for p in choices.priority_problem_choices(
            self.store, self.platform_id)]
        fill_combo(self.problem, problems)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        fill_combo(self.raised_by, vocab_items(vocab.PARTICIPANT_CATEGORY, _("(not recorded)")))
        self._fill_problems()

    def add(self) -> None:
        self.record_new(lambda: session_service.add_concern(
            self.store, self.session_id, description=self.description.toPlainText(),
            theme=self.theme.text().strip() or None, raised_by=self.raised_by.currentData(),
            priority_problem_id=self.problem.currentData()),
            self.theme, self.description)
