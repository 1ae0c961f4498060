"""Item models of the Action items page: the list across sessions (lazy, paged) and one item's
follow-up history, both kit models configured by their columns."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject
from PySide6.QtGui import QBrush, QColor, QFont

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, _, ngettext
from jsd_desk.i18n.formats import format_date
from jsd_desk.services import action_queries as aq
from jsd_desk.store.writer import Store
from jsd_desk.ui.kit.roles import FIRST_CUSTOM_ROLE, RIGHT
from jsd_desk.ui.kit.table import (
    Column,
    PagedRowsModel,
    RowsTableModel,
    bold_font,
    offset_pages,
)

OVERDUE_ROLE = FIRST_CUSTOM_ROLE

OVERDUE_TEXT = QColor("#c0392b")
# A translucent red: a tint on light and dark themes alike.
OVERDUE_BACKGROUND = QColor(220, 60, 50, 46)
ACTION_STATUS_COLOURS = {"open": "#3d85c6", "in_progress": "#e69138", "done": "#6aa84f",
                         "dropped": "#999999"}


def date_text(value: dt.date | None) -> str:
    return format_date(value, "medium") if value else ""


def status_colour(status: str | None) -> QColor | None:
    colour = ACTION_STATUS_COLOURS.get(status or "")
    return QColor(colour) if colour else None


class ActionTableModel(PagedRowsModel[aq.ActionRow]):
    """Action items matching a filter, soonest due first, a page at a time."""

    DUE, STATUS, DESCRIPTION, RESPONSIBLE, OWNER, PLATFORM, FOLLOW_UPS = range(7)

    def __init__(self, store: Store, parent: QObject | None = None,
                 page_size: int = aq.PAGE_SIZE) -> None:
        self._store = store
        self._filter = aq.ActionFilter()
        self.today: dt.date | None = None  # None: the real today (tests pin it)
        super().__init__(self._columns_list(), lambda r: r.id, offset_pages(self._read), page_size,
                         parent)
        self.row_background = lambda r: QBrush(OVERDUE_BACKGROUND) if r.overdue else None
        self.extra_roles[OVERDUE_ROLE] = lambda r: r.overdue

    def _columns_list(self) -> list[Column[aq.ActionRow]]:
        def due(r: aq.ActionRow) -> str:
            return date_text(r.due_on) if r.due_on else _("no date")

        def due_tip(r: aq.ActionRow) -> str | None:
            if r.overdue and r.due_on:
                days = ((self.today or dt.date.today()) - r.due_on).days
                return ngettext("Overdue by {n} day", "Overdue by {n} days", days)
            return None

        def overdue_font(r: aq.ActionRow) -> QFont | None:
            return bold_font() if r.overdue else None

        return [
            Column(N_("Due"), due, tooltip=due_tip, font=overdue_font,
                   foreground=lambda r: QBrush(OVERDUE_TEXT) if r.overdue else None,
                   accessible=lambda r: _("{due}, overdue", due=due(r)) if r.overdue
                   else due(r)),
            Column(N_("Status"), lambda r: vocab.ACTION_STATUS.label(r.status) if r.status
                   else "", tooltip=lambda _r: None,
                   decoration=lambda r: status_colour(r.status)),
            Column(N_("Action item"), lambda r: r.description,
                   tooltip=lambda r: r.description[:1000] or None),
            Column(N_("Responsible"), lambda r: vocab.RESPONSIBLE_PARTY.label(
                r.responsible_party) if r.responsible_party else "", tooltip=lambda _r: None),
            Column(N_("Owner"), lambda r: r.owner, tooltip=lambda _r: None),
            Column(N_("Platform"), lambda r: r.platform,
                   tooltip=lambda r: _("Agreed in: {session}", session=r.session_title)
                   if r.session_title else None),
            Column(N_("Follow-ups"), lambda r: str(r.follow_ups), alignment=RIGHT,
                   tooltip=lambda _r: None),
        ]

    def _read(self, offset: int, limit: int) -> list[aq.ActionRow]:
        return aq.action_rows(self._store, self._filter, offset, limit, today=self.today)

    @property
    def filter(self) -> aq.ActionFilter:
        return self._filter

    def set_filter(self, f: aq.ActionFilter) -> None:
        self._filter = f
        self.set_reader(offset_pages(self._read))


def _session(line: aq.FollowUpLine) -> str:
    return line.session_title or _("outside a session")


class FollowUpModel(RowsTableModel[aq.FollowUpLine]):
    """What was said about one action item, session after session, oldest first."""

    DATE, STATUS, NOTE, SESSION = range(4)
    COLUMNS: tuple[Column[aq.FollowUpLine], ...] = (
        Column(N_("Date"), lambda line: date_text(line.recorded_on), tooltip=_session),
        Column(N_("Status after"), lambda line: vocab.ACTION_STATUS.label(line.status_after)
               if line.status_after else "", tooltip=_session,
               decoration=lambda line: status_colour(line.status_after)),
        Column(N_("What was said"), lambda line: line.note,
               tooltip=lambda line: f"{line.note[:2000]}\n— {_session(line)}"),
        Column(N_("Session"), _session, tooltip=_session),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(self.COLUMNS, lambda line: line.id, parent)
