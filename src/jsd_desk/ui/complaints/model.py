"""Item models of the Complaints page.

``ComplaintTableModel`` is lazy: it holds the pages fetched so far and asks
``services.complaint_queries`` for the next one when the view scrolls near the end
(``canFetchMore``/``fetchMore``), by keyset, so a deep page costs what the first does. Labels
are translated whenever Qt asks, never cached. No row ever carries a complainant's identity.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, _, current_locale
from jsd_desk.i18n.formats import format_date, format_datetime
from jsd_desk.services import complaint_queries as cq
from jsd_desk.services.complaint_detail import StatusStep
from jsd_desk.store.writer import Store
from jsd_desk.ui.complaints.deadline import due_line, flags_line, state_icon
from jsd_desk.ui.kit.roles import ID_ROLE, ROW_ROLE, Index

CODE_ROLE = Qt.ItemDataRole.UserRole + 3  # the stored code behind a vocabulary label

# Readable on light and dark backgrounds alike (the Home chart uses the same).
STATUS_COLOURS = {"received": "#8e7cc3", "under_review": "#e69138", "referred": "#3d85c6",
                  "resolved": "#6aa84f", "closed_unresolved": "#a64d4d", "withdrawn": "#999999"}


def short_date(value: dt.date | None) -> str:
    return _date_text(value, current_locale()) if value else ""


@lru_cache(maxsize=4096)
def _date_text(value: dt.date, locale: str) -> str:
    # Formatting through CLDR costs far more than a list row: a list repeats few dates.
    return format_date(value, "medium", locale=locale)


class ComplaintTableModel(QAbstractTableModel):
    """Complaints matching a filter, newest first, fetched a page at a time."""

    REFERENCE, RECEIVED, STATUS, DEADLINE, CATEGORY, CHANNEL, AGAINST, SUMMARY = range(8)
    HEADERS = (N_("Reference"), N_("Received"), N_("Status"), N_("Deadline"), N_("Category"),
               N_("Channel"), N_("Against"), N_("Description"))

    def __init__(self, store: Store, parent: QObject | None = None,
                 page_size: int = cq.PAGE_SIZE) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = page_size
        self._filter = cq.ComplaintFilter()
        self._rows: list[cq.ComplaintRow] = []
        self._next: cq.Cursor | None = None
        self._exhausted = True
        self._fetching = False
        self.total: int | None = None  # set by the page once counted (off the GUI thread)

    # -- loading ---------------------------------------------------------------------------------

    @property
    def filter(self) -> cq.ComplaintFilter:
        return self._filter

    def set_filter(self, f: cq.ComplaintFilter) -> None:
        """Show the complaints matching ``f``: the first page is read at once."""
        page = cq.complaint_page(self._store, f, None, self._page_size)
        self.beginResetModel()
        self._filter = f
        self._rows = list(page.rows)
        self._next = page.next
        self._exhausted = page.next is None
        self.total = None
        self.endResetModel()

    def show_page(self, f: cq.ComplaintFilter, page: cq.ComplaintPage) -> None:
        """Show the first page of ``f``, read elsewhere (off the GUI thread)."""
        self.beginResetModel()
        self._filter = f
        self._rows = list(page.rows)
        self._next = page.next
        self._exhausted = page.next is None
        self.total = None
        self.endResetModel()

    def reload(self) -> None:
        """Re-read after the store changed, keeping as many rows as were fetched; a targeted
        ``dataChanged`` when the same complaints are still there, so selection and scroll stay."""
        keep = max(len(self._rows), self._page_size)
        page = cq.complaint_page(self._store, self._filter, None, keep)
        rows = list(page.rows)
        if [r.id for r in rows] == [r.id for r in self._rows]:
            changed = [i for i, (a, b) in enumerate(zip(rows, self._rows, strict=True)) if a != b]
            self._rows = rows
            self._next = page.next
            self._exhausted = page.next is None
            if changed:
                self.dataChanged.emit(self.index(min(changed), 0),
                                      self.index(max(changed), len(self.HEADERS) - 1))
            return
        self.beginResetModel()
        self._rows, self._next, self._exhausted = rows, page.next, page.next is None
        self.endResetModel()

    def row_at(self, row: int) -> cq.ComplaintRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of_id(self, complaint_id: str) -> int:
        for i, r in enumerate(self._rows):
            if r.id == complaint_id:
                return i
        return -1

    # -- Qt model interface ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and not self._exhausted and not self._fetching

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        # Not re-entered: a view or a model tester reacting to the rows being inserted may ask
        # for more before this page is in; it gets the next page once this one is.
        if parent.isValid() or self._exhausted or self._fetching:
            return
        self._fetching = True
        try:
            page = cq.complaint_page(self._store, self._filter, self._next, self._page_size)
            # A complaint added since the last page can come twice (a keyset moves past it);
            # keep each once.
            known = {r.id for r in self._rows}
            more = [r for r in page.rows if r.id not in known]
            if more:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
                self._rows.extend(more)
                self._next = page.next
                self._exhausted = page.next is None
                self.endInsertRows()
            else:
                self._next = page.next
                self._exhausted = page.next is None
        finally:
            self._fetching = False

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS)
                and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)):
            return _(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == ID_ROLE:
            return r.id
        if role == ROW_ROLE:
            return r
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(r, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.SUMMARY:
            return r.summary or None
        if role == Qt.ItemDataRole.ToolTipRole and col == self.RECEIVED and r.received_on:
            return r.received_on.isoformat()
        if role == Qt.ItemDataRole.ToolTipRole and col == self.DEADLINE:
            return "\n".join(x for x in (due_line(r.next_step, r.due_on, r.days_left),
                                          flags_line(r.flags)) if x) or None
        if role == CODE_ROLE:
            return {self.STATUS: r.status, self.CATEGORY: r.category,
                    self.CHANNEL: r.channel, self.DEADLINE: r.deadline_state}.get(col)
        if role == Qt.ItemDataRole.DecorationRole and col == self.DEADLINE:
            return state_icon(r.deadline_state) if r.deadline_state else None
        if role == Qt.ItemDataRole.DecorationRole and col == self.STATUS and r.status:
            colour = STATUS_COLOURS.get(r.status)
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.FontRole and col == self.REFERENCE:
            font = QFont()
            font.setStyleHint(QFont.StyleHint.Monospace)
            font.setFamilies(["DejaVu Sans Mono", "Consolas", "Menlo", "monospace"])
            return font
        return None

    def _text(self, r: cq.ComplaintRow, col: int) -> str:
        if col == self.REFERENCE:
            return r.reference
        if col == self.RECEIVED:
            return short_date(r.received_on)
        if col == self.STATUS:
            return vocab.COMPLAINT_STATUS.label(r.status) if r.status else ""
        if col == self.DEADLINE:
            # The state in a word (the due date is in the tooltip, the detail and the strip of
            # late complaints above the list); a flag: escalated, repeat complainant, SGBV.
            text = vocab.DEADLINE_STATE.label(r.deadline_state) if r.deadline_state else ""
            return f"{text} ⚑" if r.flags else text
        if col == self.CATEGORY:
            return vocab.COMPLAINT_CATEGORY.label(r.category) if r.category else ""
        if col == self.CHANNEL:
            return vocab.COMPLAINT_CHANNEL.label(r.channel) if r.channel else ""
        if col == self.AGAINST:
            return r.against
        if col == self.SUMMARY:
            return r.summary
        return ""


class StatusHistoryModel(QAbstractListModel):
    """The timeline of one complaint's status changes, oldest first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: list[StatusStep] = []
        self._received: dt.date | None = None

    def set_history(self, received_on: dt.date | None, steps: tuple[StatusStep, ...]) -> None:
        self.beginResetModel()
        self._received = received_on
        self._steps = list(steps)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        # The first line is the reception itself, then each move.
        return 0 if parent.isValid() else len(self._steps) + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        if index.row() == 0:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                when = short_date(self._received) or _("date unknown")
                return _("{when} — Received", when=when)
            if role == Qt.ItemDataRole.DecorationRole:
                return QColor(STATUS_COLOURS["received"])
            return None
        step = self._steps[index.row() - 1]
        if role == ID_ROLE:
            return step.id
        if role == ROW_ROLE:
            return step
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            when = format_datetime(step.changed_at, "short") if step.changed_at else ""
            old = vocab.COMPLAINT_STATUS.label(step.from_status) if step.from_status else "?"
            new = vocab.COMPLAINT_STATUS.label(step.to_status) if step.to_status else "?"
            line = _("{when} — {old} → {new}", when=when, old=old, new=new)
            if step.note:
                line += "\n    " + " ".join(step.note.split())[:300]
            return line
        if role == Qt.ItemDataRole.ToolTipRole and step.note:
            return step.note[:2000]
        if role == Qt.ItemDataRole.DecorationRole and step.to_status:
            colour = STATUS_COLOURS.get(step.to_status)
            return QColor(colour) if colour else None
        return None
