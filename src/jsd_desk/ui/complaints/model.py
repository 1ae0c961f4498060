"""Item models of the Complaints page.

Both are the kit's list model configured by their columns. ``ComplaintTableModel`` is lazy:
it holds the pages fetched so far and asks ``services.complaint_queries`` for the next one when
the view scrolls near the end, by keyset, so a deep page costs what the first does. Labels are
translated whenever Qt asks, never cached. No row ever carries a complainant's identity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QFont

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, _, current_locale
from jsd_desk.i18n.formats import format_date, format_datetime
from jsd_desk.services import complaint_queries as cq
from jsd_desk.services.views import StatusStep
from jsd_desk.store.writer import Store
from jsd_desk.ui.complaints.deadline import due_line, flags_line, state_icon
from jsd_desk.ui.kit.table import Column, PagedRowsModel, RowsTableModel

# Readable on light and dark backgrounds alike (the Home chart uses the same).
STATUS_COLOURS = {"received": "#8e7cc3", "under_review": "#e69138", "referred": "#3d85c6",
                  "resolved": "#6aa84f", "closed_unresolved": "#a64d4d", "withdrawn": "#999999"}


def short_date(value: dt.date | None) -> str:
    return _date_text(value, current_locale()) if value else ""


@lru_cache(maxsize=4096)
def _date_text(value: dt.date, locale: str) -> str:
    # Formatting through CLDR costs far more than a list row: a list repeats few dates.
    return format_date(value, "medium", locale=locale)


def status_colour(status: str | None) -> QColor | None:
    colour = STATUS_COLOURS.get(status or "")
    return QColor(colour) if colour else None


def _monospace() -> QFont:
    font = QFont()
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFamilies(["DejaVu Sans Mono", "Consolas", "Menlo", "monospace"])
    return font


def _deadline(r: cq.ComplaintRow) -> str:
    # The state in a word (the due date is in the tooltip, the detail and the strip of late
    # complaints above the list); a flag: escalated, repeat complainant, SGBV.
    text = vocab.DEADLINE_STATE.label(r.deadline_state) if r.deadline_state else ""
    return f"{text} ⚑" if r.flags else text


def _no_tip(_r: cq.ComplaintRow) -> None:
    return None


class ComplaintTableModel(PagedRowsModel[cq.ComplaintRow]):
    """Complaints matching a filter, newest first, fetched a page at a time (by keyset)."""

    REFERENCE, RECEIVED, STATUS, DEADLINE, CATEGORY, CHANNEL, AGAINST, SUMMARY = range(8)
    COLUMNS: tuple[Column[cq.ComplaintRow], ...] = (
        Column(N_("Reference"), lambda r: r.reference, tooltip=_no_tip,
               font=lambda _r: _monospace()),
        Column(N_("Received"), lambda r: short_date(r.received_on),
               tooltip=lambda r: r.received_on.isoformat() if r.received_on else None),
        Column(N_("Status"), lambda r: vocab.COMPLAINT_STATUS.label(r.status) if r.status
               else "", tooltip=_no_tip, decoration=lambda r: status_colour(r.status)),
        Column(N_("Deadline"), _deadline,
               tooltip=lambda r: "\n".join(x for x in (due_line(r.next_step, r.due_on,
                                                                 r.days_left),
                                                        flags_line(r.flags)) if x) or None,
               decoration=lambda r: state_icon(r.deadline_state) if r.deadline_state
               else None),
        # The full text as tooltip: the list may be narrower than the longest category.
        Column(N_("Category"), lambda r: vocab.COMPLAINT_CATEGORY.label(r.category)
               if r.category else ""),
        Column(N_("Channel"), lambda r: vocab.COMPLAINT_CHANNEL.label(r.channel)
               if r.channel else ""),
        Column(N_("Against"), lambda r: r.against),
        Column(N_("Description"), lambda r: r.summary),
    )
    HEADERS = tuple(c.header for c in COLUMNS)

    def __init__(self, store: Store, parent: QObject | None = None,
                 page_size: int = cq.PAGE_SIZE) -> None:
        self._store = store
        self._filter = cq.ComplaintFilter()
        super().__init__(self.COLUMNS, lambda r: r.id, self._page, page_size, parent)
        self.total: int | None = None  # set by the page once counted (off the GUI thread)

    def _page(self, after: cq.Cursor | None, limit: int) -> cq.ComplaintPage:
        return cq.complaint_page(self._store, self._filter, after, limit)

    @property
    def filter(self) -> cq.ComplaintFilter:
        return self._filter

    def set_filter(self, f: cq.ComplaintFilter) -> None:
        """Show the complaints matching ``f``: the first page is read at once."""
        self._filter = f
        self.total = None
        self.set_reader(self._page)

    def show_page(self, f: cq.ComplaintFilter, page: cq.ComplaintPage) -> None:
        """Show the first page of ``f``, read elsewhere (off the GUI thread)."""
        self._filter = f
        self.total = None
        self.show_first_page(self._page, page)


# -- one complaint's status history ------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """A line of the status history: the reception itself (``step`` None), then each move."""

    id: str
    received_on: dt.date | None = None
    step: StatusStep | None = None


def _timeline_text(entry: TimelineEntry) -> str:
    step = entry.step
    if step is None:
        return _("{when} — Received", when=short_date(entry.received_on) or _("date unknown"))
    when = format_datetime(step.changed_at, "short") if step.changed_at else ""
    old = vocab.COMPLAINT_STATUS.label(step.from_status) if step.from_status else "?"
    new = vocab.COMPLAINT_STATUS.label(step.to_status) if step.to_status else "?"
    line = _("{when} — {old} → {new}", when=when, old=old, new=new)
    if step.note:
        line += "\n    " + " ".join(step.note.split())[:240]
    return line


class StatusHistoryModel(RowsTableModel[TimelineEntry]):
    """The timeline of one complaint's status changes, oldest first (one column, shown in a
    list view)."""

    COLUMNS: tuple[Column[TimelineEntry], ...] = (
        Column(N_("Status history"), _timeline_text, one_line=False,
               tooltip=lambda e: (e.step.note[:2000] or None) if e.step else None,
               decoration=lambda e: status_colour(e.step.to_status if e.step else "received")),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(self.COLUMNS, lambda e: e.id, parent)

    def set_history(self, received_on: dt.date | None, steps: tuple[StatusStep, ...]) -> None:
        # The reception's id is no record's (the moves' ids are UUIDs).
        self.set_rows([TimelineEntry("received", received_on=received_on),
                       *(TimelineEntry(s.id, step=s) for s in steps)])
