"""Follow-up of the platform's earlier commitments: the open items agreed in earlier sessions
(bold when overdue), and what was said about the selected one today, with its new status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QComboBox, QHeaderView, QLabel, QPlainTextEdit, QWidget

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import ValidationError
from jsd_desk.i18n import N_, _
from jsd_desk.services import actions as action_service
from jsd_desk.services import queries
from jsd_desk.services.views import ActionItemView, FollowUpView, SessionView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.table import Column
from jsd_desk.ui.kit.widgets import fill_combo
from jsd_desk.ui.sessions.part import (
    ListPart,
    action_columns,
    fit_headers,
    italic,
    short_text,
    vocab_items,
)


class FollowUpPart(ListPart[ActionItemView]):
    TITLE = N_("Follo&w-up ({n})")
    LIST_NAME = N_("Commitments carried over")
    ADD_NAME = "follow_up"
    BOX_TITLE = N_("Follow-up of the selected commitment")
    ADD_TEXT = N_("Record follow-up")

    def __init__(self, ctx: UiContext, session_id: str, saved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, session_id, saved, [
            *action_columns(), Column(N_("What was said"),
                                      lambda a: self._follow_up_text(a.id))],
            "carried_over_action_items", parent)
        self.follow_ups: dict[str, list[FollowUpView]] = {}
        today = dt.date.today()
        # Bold: still open and past its due date.
        self.model.emphasis = lambda a: (a.status in action_service.OPEN_STATUSES
                                         and a.due_on is not None and a.due_on < today)
        fit_headers(self.view, stretch=0, contents=(3, 4))
        # What was said shares the room with the commitment (at a fixed width beside it, the
        # table scrolled sideways on a small screen).
        self.view.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        # Who is responsible and the person in charge are on the item's page (Commitments):
        # beside the session list the commitment and what was said need the room.
        self.view.setColumnHidden(1, True)
        self.view.setColumnHidden(2, True)
        self.hint = italic(QLabel())
        self.note = short_text(QPlainTextEdit(), 2)
        self.note.setObjectName("note")
        self.status = QComboBox()
        self.status.setObjectName("status_after")
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        self.lay_out([(N_("What was &said:"), self.note), (N_("&Status now:"), self.status)],
                     hint=self.hint)

    def show_record(self, record: SessionView) -> None:
        super().show_record(record)
        self.follow_ups = queries.follow_ups_in_session(self.store, self.session_id)
        selected = self._selected_id()
        carried = action_service.open_items_for_session(self.store, self.session_id)
        # Items followed up here stay listed even once done, so the session shows its follow-up.
        listed = {a.id for a in carried}
        extra = [a for a in (queries.action_item(self.store, i)
                             for i in sorted(set(self.follow_ups) - listed)) if a is not None]
        self.model.set_rows(carried + extra)
        self._select(selected)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        fill_combo(self.status, vocab_items(vocab.ACTION_STATUS))
        self.hint.setText(_("Open commitments of this platform from earlier sessions: record "
                            "what was said about each one today."))

    def _follow_up_text(self, action_id: str) -> str:
        notes = self.follow_ups.get(action_id, [])
        return " · ".join(f"{n.note} → {vocab.ACTION_STATUS.label(n.status_after or '')}"
                          for n in notes)

    def _selected_id(self) -> str | None:
        found = self.model.id_at(self.view.currentIndex().row())
        return None if found is None else str(found)

    def _select(self, record_id: str | None) -> None:
        row = self.model.row_of(record_id) if record_id else -1
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.model.row_at(current.row())
        if item is not None:
            index = self.status.findData(item.status)
            if index >= 0:
                self.status.setCurrentIndex(index)

    def add(self) -> None:
        item = self.model.row_at(self.view.currentIndex().row())
        if item is None:
            self.error.show_error(ValidationError(
                "action_item_id", N_("Choose the commitment this follow-up is about.")))
            return
        status: Any = self.status.currentData()
        shown = self.record
        day = shown.starts_at.date() if shown is not None and shown.starts_at else dt.date.today()
        self.record_new(lambda: action_service.add_follow_up(
            self.store, item.id, note=self.note.toPlainText(), session_id=self.session_id,
            status_after=status if status != item.status else None, recorded_on=day),
            self.note)
