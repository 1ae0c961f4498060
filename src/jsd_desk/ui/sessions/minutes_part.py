"""The session's minutes: what was said and decided, typed freely and saved as it is typed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from jsd_desk.i18n import N_, _
from jsd_desk.services import sessions as session_service
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.sessions.part import EditorPart, italic


class MinutesPart(EditorPart):
    TITLE = N_("&Minutes")

    def __init__(self, ctx: UiContext, session_id: str, saved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, session_id, saved, parent)
        store = self.store

        def write(value: str | None) -> None:
            session_service.update_session(store, session_id, minutes=value)

        self.minutes_edit = QPlainTextEdit()
        self.minutes_field = self.field(self.minutes_edit, "minutes", write, describe=N_("Minutes"))
        self.hint = italic(QLabel())
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.minutes_field.container, 1)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.hint.setText(_("What was said and decided. Saved as you type."))
        self.minutes_edit.setAccessibleName(_("Minutes"))
