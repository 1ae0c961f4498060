"""Follow-up of the platform's earlier commitments: the open items agreed in earlier sessions
(bold when overdue), and what was said about the selected one today, with its new status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QComboBox, QHeaderView, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError, ValidationError
from jsd_desk.i18n import N_, _
from jsd_desk.services import actions as action_service
from jsd_desk.services import queries
from jsd_desk.services.views import ActionItemView, FollowUpView, SessionView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.roles import ID_ROLE
from jsd_desk.ui.kit.table import Column, RowsTableModel
from jsd_desk.ui.kit.widgets import fill_combo
from jsd_desk.ui.sessions.part import (
    EditorPart,
    action_columns,
    add_form,
    button_row,
    fit_headers,
    italic,
    short_text,
    table,
    vocab_items,
)


class FollowUpPart(EditorPart):
    TITLE = N_("Follo&w-up ({n})")

    def __init__(self, ctx: UiContext, session_id: str, saved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, session_id, saved, parent)
        self.record: SessionView | None = None
        self.follow_ups: dict[str, list[FollowUpView]] = {}
        self.model: RowsTableModel[ActionItemView] = RowsTableModel(
            [*action_columns(), Column(N_("What was said"),
                                       lambda a: self._follow_up_text(a.id))],
            lambda a: a.id, self)
        today = dt.date.today()
        # Bold: still open and past its due date.
        self.model.emphasis = lambda a: (a.status in action_service.OPEN_STATUSES
                                         and a.due_on is not None and a.due_on < today)
        self.view = table("carried_over_action_items")
        self.view.setModel(self.model)
        fit_headers(self.view, stretch=0, contents=(3, 4))
        # What was said shares the room with the commitment (at a fixed width beside it, the
        # table scrolled sideways on a small screen).
        self.view.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        # Who is responsible and the person in charge are on the item's page (Commitments):
        # beside the session list the commitment and what was said need the room.
        self.view.setColumnHidden(1, True)
        self.view.setColumnHidden(2, True)
        self.hint = italic(QLabel())
        self.box, form, self.error, self.add_button = add_form("follow_up")
        self.note = short_text(QPlainTextEdit(), 2)
        self.note.setObjectName("note")
        self.status = QComboBox()
        self.status.setObjectName("status_after")
        form.addRow(self.label(N_("What was &said:"), self.note), self.note)
        form.addRow(self.label(N_("&Status now:"), self.status), self.status)
        form.addRow(self.error)
        button_row(form, self.add_button)
        self.add_button.clicked.connect(self.add_follow_up)
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.box)

    def count(self) -> int:
        return self.model.rowCount()

    def show_record(self, record: SessionView) -> None:
        super().show_record(record)
        self.record = record
        self.follow_ups = queries.follow_ups_in_session(self.store, self.session_id)
        selected = self._selected_id()
        carried = action_service.open_items_for_session(self.store, self.session_id)
        # Items followed up here stay listed even once done, so the session shows its follow-up.
        listed = {a.id for a in carried}
        extra = [a for a in (queries.action_item(self.store, i)
                             for i in sorted(set(self.follow_ups) - listed)) if a is not None]
        self.model.set_rows(carried + extra)
        self._select(selected)

    def set_editable(self, editable: bool, *, facilitator: bool, finalized: bool) -> None:
        super().set_editable(editable, facilitator=facilitator, finalized=finalized)
        self.box.setEnabled(editable)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        fill_combo(self.status, vocab_items(vocab.ACTION_STATUS))
        self.hint.setText(_("Open commitments of this platform from earlier sessions: record "
                            "what was said about each one today."))
        self.box.setTitle(_("Follow-up of the selected commitment"))
        self.add_button.setText(_("Record follow-up"))
        self.add_button.setAccessibleName(self.add_button.text())
        self.view.setAccessibleName(_("Commitments carried over"))
        self.model.retranslate()

    def _follow_up_text(self, action_id: str) -> str:
        notes = self.follow_ups.get(action_id, [])
        return " · ".join(f"{n.note} → {vocab.ACTION_STATUS.label(n.status_after or '')}"
                          for n in notes)

    def _selected_id(self) -> str | None:
        index = self.view.currentIndex()
        value = self.model.data(self.model.index(index.row(), 0), ID_ROLE) if index.isValid() else None
        return str(value) if value else None

    def _select(self, record_id: str | None) -> None:
        for row in range(self.model.rowCount()):
            if self.model.data(self.model.index(row, 0), ID_ROLE) == record_id:
                self.view.setCurrentIndex(self.model.index(row, 0))
                return

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.model.row_at(current.row())
        if item is not None:
            index = self.status.findData(item.status)
            if index >= 0:
                self.status.setCurrentIndex(index)

    def add_follow_up(self) -> None:
        item = self.model.row_at(self.view.currentIndex().row())
        if item is None:
            self.error.show_error(ValidationError(
                "action_item_id", N_("Choose the commitment this follow-up is about.")))
            return
        status: Any = self.status.currentData()
        record = self.record
        day = record.starts_at.date() if record is not None and record.starts_at else dt.date.today()
        try:
            action_service.add_follow_up(self.store, item.id, note=self.note.toPlainText(),
                                         session_id=self.session_id,
                                         status_after=status if status != item.status else None,
                                         recorded_on=day)
        except JsdError as exc:
            self.error.show_error(exc)
            return
        self.error.show_error(None)
        self.note.clear()
        self.saved()
