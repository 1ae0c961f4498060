"""Item models of the Action items page: the list across sessions (lazy, paged) and one item's
follow-up history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, _, ngettext
from jsd_desk.i18n.formats import format_date
from jsd_desk.services import action_queries as aq
from jsd_desk.store.writer import Store

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 3

OVERDUE_TEXT = QColor("#c0392b")
# A translucent red: a tint on light and dark themes alike.
OVERDUE_BACKGROUND = QColor(220, 60, 50, 46)
ACTION_STATUS_COLOURS = {"open": "#3d85c6", "in_progress": "#e69138", "done": "#6aa84f",
                         "dropped": "#999999"}


def date_text(value: dt.date | None) -> str:
    return format_date(value, "medium") if value else ""


class ActionTableModel(QAbstractTableModel):
    """Action items matching a filter, soonest due first, a page at a time."""

    DUE, STATUS, DESCRIPTION, RESPONSIBLE, OWNER, PLATFORM, FOLLOW_UPS = range(7)
    HEADERS = (N_("Due"), N_("Status"), N_("Action item"), N_("Responsible"), N_("Owner"),
               N_("Platform"), N_("Follow-ups"))

    def __init__(self, store: Store, parent: QObject | None = None,
                 page_size: int = aq.PAGE_SIZE) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = page_size
        self._filter = aq.ActionFilter()
        self._rows: list[aq.ActionRow] = []
        self._exhausted = True
        self._fetching = False
        self.today: dt.date | None = None  # None: the real today (tests pin it)

    @property
    def filter(self) -> aq.ActionFilter:
        return self._filter

    def set_filter(self, f: aq.ActionFilter) -> None:
        rows = aq.action_rows(self._store, f, 0, self._page_size, today=self.today)
        self.beginResetModel()
        self._filter = f
        self._rows = rows
        self._exhausted = len(rows) < self._page_size
        self.endResetModel()

    def reload(self) -> None:
        keep = max(len(self._rows), self._page_size)
        rows = aq.action_rows(self._store, self._filter, 0, keep, today=self.today)
        if [r.id for r in rows] == [r.id for r in self._rows]:
            changed = [i for i, (a, b) in enumerate(zip(rows, self._rows, strict=True)) if a != b]
            self._rows = rows
            self._exhausted = len(rows) < keep
            if changed:
                self.dataChanged.emit(self.index(min(changed), 0),
                                      self.index(max(changed), len(self.HEADERS) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self._exhausted = len(rows) < keep
        self.endResetModel()

    def row_at(self, row: int) -> aq.ActionRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of_id(self, action_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == action_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and not self._exhausted and not self._fetching

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        # Not re-entered (see the complaints model): the next page waits for this one.
        if parent.isValid() or self._exhausted or self._fetching:
            return
        self._fetching = True
        try:
            page = aq.action_rows(self._store, self._filter, len(self._rows), self._page_size,
                                  today=self.today)
            known = {r.id for r in self._rows}
            more = [r for r in page if r.id not in known]
            exhausted = len(page) < self._page_size
            if more:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
                self._rows.extend(more)
                self._exhausted = exhausted
                self.endInsertRows()
            else:
                self._exhausted = exhausted
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
        if role == OVERDUE_ROLE:
            return r.overdue
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._text(r, col)
            return _("{due}, overdue", due=text) if col == self.DUE and r.overdue else text
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.DESCRIPTION:
                return r.description[:1000] or None
            if col == self.DUE and r.overdue and r.due_on:
                days = ((self.today or dt.date.today()) - r.due_on).days
                return ngettext("Overdue by {n} day", "Overdue by {n} days", days)
            if col == self.PLATFORM and r.session_title:
                return _("Agreed in: {session}", session=r.session_title)
        if role == Qt.ItemDataRole.BackgroundRole and r.overdue:
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and r.overdue and col == self.DUE:
            return QBrush(OVERDUE_TEXT)
        if role == Qt.ItemDataRole.FontRole and r.overdue and col == self.DUE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and col == self.STATUS and r.status:
            colour = ACTION_STATUS_COLOURS.get(r.status)
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.FOLLOW_UPS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, r: aq.ActionRow, col: int) -> str:
        if col == self.DUE:
            return date_text(r.due_on) if r.due_on else _("no date")
        if col == self.STATUS:
            return vocab.ACTION_STATUS.label(r.status) if r.status else ""
        if col == self.DESCRIPTION:
            return r.description
        if col == self.RESPONSIBLE:
            return vocab.RESPONSIBLE_PARTY.label(r.responsible_party) if r.responsible_party \
                else ""
        if col == self.OWNER:
            return r.owner
        if col == self.PLATFORM:
            return r.platform
        if col == self.FOLLOW_UPS:
            return str(r.follow_ups)
        return ""


class FollowUpModel(QAbstractTableModel):
    """What was said about one action item, session after session, oldest first."""

    DATE, STATUS, NOTE, SESSION = range(4)
    HEADERS = (N_("Date"), N_("Status after"), N_("What was said"), N_("Session"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[aq.FollowUpLine] = []

    def set_lines(self, lines: tuple[aq.FollowUpLine, ...]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS)
                and role == Qt.ItemDataRole.DisplayRole):
            return _(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        col = index.column()
        if role == ID_ROLE:
            return line.id
        if role == ROW_ROLE:
            return line
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == self.DATE:
                return date_text(line.recorded_on)
            if col == self.STATUS:
                return vocab.ACTION_STATUS.label(line.status_after) if line.status_after else ""
            if col == self.NOTE:
                return " ".join(line.note.split())
            if col == self.SESSION:
                return line.session_title or _("outside a session")
        if role == Qt.ItemDataRole.ToolTipRole:
            session = line.session_title or _("outside a session")
            return f"{line.note[:2000]}\n— {session}" if col == self.NOTE else session
        if role == Qt.ItemDataRole.DecorationRole and col == self.STATUS and line.status_after:
            colour = ACTION_STATUS_COLOURS.get(line.status_after)
            return QColor(colour) if colour else None
        return None
