"""Item models of the Sessions page. They read through ``services.queries`` and write through
``services.sessions``; headers and vocabulary labels are translated whenever Qt asks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError, ValidationError
from jsd_desk.i18n import N_, _
from jsd_desk.services import queries
from jsd_desk.services import sessions as session_service
from jsd_desk.store.writer import Store
from jsd_desk.ui.kit.roles import ID_ROLE, RIGHT, Index
from jsd_desk.ui.kit.table import Column, PagedRowsModel, bold_font, offset_pages

INVALID_COLOUR = QColor("#d0342c")


def fmt_datetime(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def fmt_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


# -- the sessions list: lazy, paged ----------------------------------------------------------------


def _session_kind(row: queries.SessionRow) -> str:
    return vocab.SESSION_KIND.label(row.kind or "")


def _session_tip(row: queries.SessionRow) -> str:
    # Every cell tells the whole row: the kind and the platform are hidden columns on a
    # small laptop, beside the editor.
    return "\n".join((fmt_datetime(row.starts_at), row.title, row.platform, _session_kind(row)))


def _draft_font(row: queries.SessionRow) -> QFont | None:
    return bold_font(False, italic=True) if row.status == "draft" else None


class SessionsTableModel(PagedRowsModel[queries.SessionRow]):
    """Sessions matching a filter, fetched a page at a time as the view scrolls."""

    DATE, TITLE, PLATFORM, KIND, STATUS, PARTICIPANTS = range(6)
    COLUMNS: tuple[Column[queries.SessionRow], ...] = (
        Column(N_("Date"), lambda r: fmt_date(r.starts_at.date()) if r.starts_at else "",
               tooltip=_session_tip),
        Column(N_("Title"), lambda r: r.title, tooltip=_session_tip),
        Column(N_("Platform"), lambda r: r.platform, tooltip=_session_tip),
        Column(N_("Kind"), _session_kind, tooltip=_session_tip),
        Column(N_("Status"), lambda r: vocab.SESSION_STATUS.label(r.status or ""),
               tooltip=_session_tip, font=_draft_font),
        Column(N_("Participants"), lambda r: str(r.participants), tooltip=_session_tip,
               alignment=RIGHT, short_header=N_("People")),
    )
    PAGE = 200

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        self._store = store
        self._filter = queries.SessionFilter()
        self._total: int | None = None
        super().__init__(self.COLUMNS, lambda r: r.id, offset_pages(self._rows_at), self.PAGE,
                         parent)

    def _rows_at(self, offset: int, limit: int) -> list[queries.SessionRow]:
        return queries.session_rows(self._store, self._filter, offset, limit)

    @property
    def filter(self) -> queries.SessionFilter:
        return self._filter

    @property
    def total(self) -> int:
        """How many sessions match the filter (counted once per filter or refresh)."""
        if self._total is None:
            self._total = queries.count_sessions(self._store, self._filter)
        return self._total

    def set_filter(self, f: queries.SessionFilter) -> None:
        self._filter = f
        self._total = None
        self.set_reader(offset_pages(self._rows_at))

    def reload(self) -> None:
        """Re-read after the store changed, keeping as many rows as were fetched."""
        self._total = None
        super().reload()


# -- the agenda: ordered, reorderable by drag and drop or Alt+Up/Down ------------------------------------

AGENDA_MIME = "application/x-jsd-agenda-row"


class AgendaModel(QAbstractListModel):
    """The agenda items of one session in order. Moving rows saves the new order.

    Not the kit's list model: its rows move by drag and drop (mime data, ``beginMoveRows``)
    and each move is written through the service at once, with an undo step; the kit's
    models show rows a query read, they do not reorder them."""

    reordered = Signal(list, list)  # old ids, new ids (for the undo stack)
    failed = Signal(object)  # JsdError

    def __init__(self, store: Store, session_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._session_id = session_id
        self._items: list[tuple[str, str]] = []
        self.editable = True

    def reload(self) -> None:
        self.beginResetModel()
        self._items = [(a.id, a.title or "") for a in queries.agenda_items(self._store,
                                                                           self._session_id)]
        self.endResetModel()

    def ids(self) -> list[str]:
        return [i for i, _t in self._items]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item_id, title = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.AccessibleTextRole):
            return f"{index.row() + 1}. {title}"
        if role == ID_ROLE:
            return item_id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not self.editable:
            return base
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [AGENDA_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime.setData(AGENDA_MIME, QByteArray(",".join(map(str, rows)).encode()))
        return mime

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,  # noqa: N802
                     parent: Index) -> bool:
        if action != Qt.DropAction.MoveAction or not data.hasFormat(AGENDA_MIME):
            return False
        raw = bytes(data.data(AGENDA_MIME).data()).decode()
        rows = [int(r) for r in raw.split(",") if r.isdigit()]
        if len(rows) != 1:
            return False
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(self._items))
        self.move_row(rows[0], target)
        # The move is done here; returning False stops the view from removing the source row.
        return False

    def move_row(self, source: int, destination: int) -> bool:
        """Move ``source`` before ``destination`` (as Qt's moveRows counts) and save."""
        if not self.editable or not 0 <= source < len(self._items):
            return False
        destination = max(0, min(destination, len(self._items)))
        if destination in (source, source + 1):
            return False
        old = self.ids()
        new_items = list(self._items)
        item = new_items.pop(source)
        new_items.insert(destination - 1 if destination > source else destination, item)
        try:
            session_service.reorder_agenda(self._store, self._session_id, [i for i, _t in new_items])
        except JsdError as exc:
            self.failed.emit(exc)
            return False
        self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), destination)
        self._items = new_items
        self.endMoveRows()
        self.reordered.emit(old, self.ids())
        return True

    def set_order(self, ids: list[str]) -> None:
        """Write a whole order (undo/redo) and show it."""
        session_service.reorder_agenda(self._store, self._session_id, ids)
        self.reload()


# -- the attendance grid ---------------------------------------------------------------------------------


class AttendanceModel(QAbstractTableModel):
    """Participant category × gender counts, with a totals row and column.

    A value the service refuses (not a number, negative) stays in its cell, drawn in red with
    the reason, until the user corrects it; the stored count is unchanged meanwhile.

    Not the kit's list model: this is a grid (a category a row, a gender a column, each cell
    its own record), editable cell by cell, with computed totals; the kit's models show a list
    of rows through columns."""

    cell_saved = Signal(str, str, int, int)  # category, gender, old, new
    error_changed = Signal(object)  # JsdError | None

    def __init__(self, store: Store, session_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._session_id = session_id
        self.categories = vocab.PARTICIPANT_CATEGORY.codes()
        self.genders = vocab.GENDER.codes()
        self._cells: dict[tuple[str, str], queries.AttendanceCell] = {}
        self._pending: dict[tuple[int, int], tuple[str, JsdError]] = {}
        self.editable = True

    def reload(self) -> None:
        # The grid's shape never changes: new values are announced, not a reset, so the cell
        # being typed into keeps its editor and the cursor stays where it is.
        cells = queries.attendance_cells(self._store, self._session_id)
        if cells == self._cells:
            return
        self._cells = cells
        self.dataChanged.emit(self.index(0, 0),
                              self.index(self.rowCount() - 1, self.columnCount() - 1))

    def count(self, category: str, gender: str) -> int:
        cell = self._cells.get((category, gender))
        return cell.count if cell else 0

    def names(self, category: str, gender: str) -> str | None:
        cell = self._cells.get((category, gender))
        return cell.names if cell else None

    def total(self) -> int:
        return sum(c.count for c in self._cells.values())

    def total_of_gender(self, gender: str) -> int:
        return sum(c.count for (_c, g), c in self._cells.items() if g == gender)

    def total_of_category(self, category: str) -> int:
        return sum(c.count for (cat, _g), c in self._cells.items() if cat == category)

    def cell_key(self, index: Index) -> tuple[str, str] | None:
        if (index.isValid() and index.row() < len(self.categories)
                and index.column() < len(self.genders)):
            return self.categories[index.row()], self.genders[index.column()]
        return None

    def first_error(self) -> JsdError | None:
        return next(iter(self._pending.values()))[1] if self._pending else None

    # -- Qt model interface ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.categories) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.genders) + 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and self.cell_key(index) is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        key = self.cell_key(index)
        pending = self._pending.get((r, c))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if pending is not None:
                return pending[0]
            return str(self._value(r, c))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self._row_label(r)}, {self._col_label(c)}: " + (
                pending[0] if pending else str(self._value(r, c)))
        if role == Qt.ItemDataRole.ToolTipRole:
            if pending is not None:
                return pending[1].message()
            if key is not None and self.names(*key):
                return self.names(*key)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and pending is not None:
            return QBrush(INVALID_COLOUR)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and key is None:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _value(self, r: int, c: int) -> int:
        ncat, ngen = len(self.categories), len(self.genders)
        if r < ncat and c < ngen:
            return self.count(self.categories[r], self.genders[c])
        if r < ncat:
            return self.total_of_category(self.categories[r])
        if c < ngen:
            return self.total_of_gender(self.genders[c])
        return self.total()

    def _row_label(self, r: int) -> str:
        if r < len(self.categories):
            return vocab.PARTICIPANT_CATEGORY.label(self.categories[r])
        return _("Total")

    def _col_label(self, c: int) -> str:
        if c < len(self.genders):
            return vocab.GENDER.label(self.genders[c])
        return _("Total")

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self.columnCount():
            return self._col_label(section)
        if orientation == Qt.Orientation.Vertical and 0 <= section < self.rowCount():
            return self._row_label(section)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        key = self.cell_key(index)
        if key is None or role != Qt.ItemDataRole.EditRole or not self.editable:
            return False
        text = str(value if value is not None else "").strip()
        r, c = index.row(), index.column()
        old = self.count(*key)
        try:
            count = parse_count(text)
            if count != old or (r, c) in self._pending:
                session_service.set_attendance(self._store, self._session_id, key[0], key[1], count)
        except JsdError as exc:
            self._pending[(r, c)] = (text, exc)
            self.dataChanged.emit(index, index)
            self.error_changed.emit(exc)
            return True  # the typed text is kept (shown in red), not the record
        self._pending.pop((r, c), None)
        self._set_cell(key, count)
        self.error_changed.emit(self.first_error())
        if count != old:
            self.cell_saved.emit(key[0], key[1], old, count)
        return True

    def _set_cell(self, key: tuple[str, str], count: int) -> None:
        prev = self._cells.get(key)
        self._cells[key] = queries.AttendanceCell(count, prev.names if prev else None)
        r = self.categories.index(key[0])
        c = self.genders.index(key[1])
        last_r, last_c = len(self.categories), len(self.genders)
        # The cell, its row total, its column total and the grand total.
        self.dataChanged.emit(self.index(r, c), self.index(r, c))
        self.dataChanged.emit(self.index(r, last_c), self.index(r, last_c))
        self.dataChanged.emit(self.index(last_r, 0), self.index(last_r, last_c))

    def show_count(self, category: str, gender: str, count: int) -> None:
        """Show a count saved elsewhere (undo/redo)."""
        self._pending.pop((self.categories.index(category), self.genders.index(gender)), None)
        self._set_cell((category, gender), count)
        self.error_changed.emit(self.first_error())

    def write_names(self, category: str, gender: str, names: str | None) -> None:
        session_service.set_attendance(self._store, self._session_id, category, gender,
                                       self.count(category, gender), names=names or "")
        self.show_names(category, gender, names)

    def show_names(self, category: str, gender: str, names: str | None) -> None:
        self._cells[(category, gender)] = queries.AttendanceCell(self.count(category, gender),
                                                                 names or None)
        r, c = self.categories.index(category), self.genders.index(gender)
        self.dataChanged.emit(self.index(r, c), self.index(r, c))

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, self.rowCount() - 1)


def parse_count(text: str) -> int:
    """A head count typed in a cell: empty is 0; anything but a whole number is refused."""
    if not text:
        return 0
    body = text[1:] if text[:1] in "+-" else text
    if not body.isascii() or not body.isdigit():
        raise ValidationError("count", N_("“{value}” is not a whole number."),
                              value=text if len(text) <= 40 else text[:39] + "…")
    return int(text)
