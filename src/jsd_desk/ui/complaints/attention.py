"""The Complaints page's strip of what is late (issue 12): above the list, the open
complaints at risk, overdue or flagged, the most urgent first; for a liaison officer, what
the police owe. It is read off the GUI thread (every open complaint's deadline is computed)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from jsd_desk.domain import vocab
from jsd_desk.i18n import _
from jsd_desk.services.complaint_detail import identity_hidden
from jsd_desk.services.complaint_standing import Standing, needing_attention
from jsd_desk.ui.complaints.deadline import (
    due_text,
    flags_text,
    state_icon,
    state_label,
    strip_line,
)
from jsd_desk.ui.complaints.reads import start_held
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.language import Retranslatable
from jsd_desk.ui.operations import Operation

ATTENTION_MAX = 30  # the strip lists the most urgent; the list below holds them all
ROWS_SHOWN = 5  # whole rows: the strip's height is a multiple of a row's (``_fit``)


class AttentionStrip(Retranslatable, QWidget):
    """``opened(complaint_id)``: the user chose a complaint in the strip."""

    opened = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pending: Operation | None = None  # the reading on its way
        self._generation = 0
        self._late: list[Standing] = []
        self.label = QLabel()
        self.label.setObjectName("complaints_attention_label")
        self.list = QListWidget()
        self.list.setObjectName("complaints_attention")
        self.list.setAlternatingRowColors(True)
        # One line per complaint, how late first (``strip_line``), so what is cut at the
        # strip's width beside an open complaint is the least of it (the tooltip has it all).
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        self.label.setBuddy(self.list)
        self.list.setVisible(False)  # until the first reading arrives
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.list)

    def retranslate_ui(self) -> None:
        if self.pending is None:
            self._show(self._late)

    def refresh(self) -> None:
        """Re-read what is late off the GUI thread; a newer refresh wins."""
        self._generation += 1
        generation = self._generation
        store = self.ctx.store
        liaison = identity_hidden(store)
        op = Operation(lambda _progress: needing_attention(store, liaison_only=liaison))

        def done(result: object) -> None:
            if not shiboken6.isValid(self) or generation != self._generation:
                return
            self.pending = None
            assert isinstance(result, list)
            self._show(result)

        def failed(_exc: BaseException) -> None:
            if shiboken6.isValid(self) and generation == self._generation:
                self.pending = None

        op.succeeded.connect(done)
        op.failed.connect(failed)
        self.pending = op
        start_held(op)

    def _show(self, late: list[Standing]) -> None:
        self._late = late
        self.list.clear()
        for st in late[:ATTENTION_MAX]:
            text = strip_line(st)
            item = QListWidgetItem(state_icon(st.state), text)
            item.setData(Qt.ItemDataRole.UserRole, st.id)
            # The tooltip has it all, the state word too, whatever the strip's width cut.
            whole = " · ".join(x for x in (st.reference, state_label(st), due_text(st),
                                           flags_text(st)) if x)
            item.setToolTip(vocab.COMPLAINT_CATEGORY.label(st.category or "") + "\n" + whole)
            self.list.addItem(item)
        if len(late) > ATTENTION_MAX:
            more = QListWidgetItem(_("… and {n} more", n=len(late) - ATTENTION_MAX))
            more.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(more)
        self.label.setText(
            (_("What the police owe ({n})", n=len(late)) if identity_hidden(self.ctx.store)
             else _("At risk or overdue ({n})", n=len(late))) if late
            else _("Nothing at risk or overdue."))
        self.list.setVisible(bool(late))
        self.list.setAccessibleName(self.label.text())
        self._fit()

    def _fit(self) -> None:
        # As tall as its rows, at most ROWS_SHOWN of them: never a row cut in half at the
        # bottom (the list scrolls by whole rows, so a partial one would always show).
        rows = min(self.list.count(), ROWS_SHOWN)
        if rows:
            row = max(self.list.sizeHintForRow(0), 1)
            self.list.setFixedHeight(rows * row + 2 * self.list.frameWidth())

    def _activated(self, item: QListWidgetItem) -> None:
        complaint_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(complaint_id, str):
            self.opened.emit(complaint_id)
