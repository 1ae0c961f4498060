"""The one table model of the GUI: a list of rows (frozen dataclasses from the query services)
shown through a list of :class:`Column`.

Every page's list is this model, configured by its columns: a page says *what* a column shows
(text, tooltip, colour swatch, alignment, font) and the model answers Qt. ``set_rows`` compares
the new rows with the shown ones by row id and tells the view exactly what changed (rows
removed, rows inserted, rows whose values changed, a new order), never a reset: the selection,
the scroll position and an open editor survive a refresh caused by another page's save or a
sync import.

Paged lists (thousands of complaints or sessions) use :class:`PagedRowsModel`, which adds
Qt's ``canFetchMore``/``fetchMore`` on top of the same diffing, reading pages by keyset or by
offset.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon

from jsd_desk.i18n import _
from jsd_desk.ui.kit.roles import ID_ROLE, ROW_ROLE, Index

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

# Display text is one line, and no longer than a cell can show; the tooltip keeps the rest.
DISPLAY_LIMIT = 300
TOOLTIP_LIMIT = 2000

Alignment = Qt.AlignmentFlag | Callable[[Any], Qt.AlignmentFlag | None]


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: its header (an ``N_`` msgid, translated when Qt asks) and what it shows.

    ``text`` is the cell's text (collapsed to one line for display). The optional callables
    answer the other roles; ``None`` from one means "nothing special for this row".
    ``tooltip`` defaults to the cell's full text; ``accessible`` to the text.
    ``short_header``, when given, is what the header shows (the full header becomes its
    tooltip and accessible name): "People" for "Participants" in a narrow column.
    """

    header: str
    text: Callable[[T], str]
    tooltip: Callable[[T], str | None] | None = None
    decoration: Callable[[T], QColor | QIcon | None] | None = None
    alignment: Qt.AlignmentFlag | Callable[[T], Qt.AlignmentFlag | None] | None = None
    font: Callable[[T], QFont | None] | None = None
    foreground: Callable[[T], QBrush | QColor | None] | None = None
    background: Callable[[T], QBrush | QColor | None] | None = None
    accessible: Callable[[T], str] | None = None
    short_header: str | None = None
    edit: Callable[[T], str] | None = None  # the EditRole value of an editable column
    one_line: bool = True  # False: the text keeps its line breaks (a list of two-line entries)

    def display(self, row: T) -> str:
        if not self.one_line:
            return self.text(row)[:DISPLAY_LIMIT]
        return " ".join(self.text(row).split())[:DISPLAY_LIMIT]

    def tip(self, row: T) -> str | None:
        if self.tooltip is not None:
            return self.tooltip(row)
        return self.text(row)[:TOOLTIP_LIMIT] or None

    def align(self, row: T) -> int | None:
        if self.alignment is None:
            return None
        flag = self.alignment if isinstance(self.alignment, Qt.AlignmentFlag) \
            else self.alignment(row)
        return None if flag is None else int(flag)


def bold_font(bold: bool = True, italic: bool = False) -> QFont:
    font = QFont()
    font.setBold(bold)
    font.setItalic(italic)
    return font


class RowsTableModel(QAbstractTableModel, Generic[T]):
    """Rows of one kind shown read-only through columns (subclasses may make a column
    editable: see ``Column.edit``). Row ids must be unique within the list."""

    def __init__(self, columns: Sequence[Column[T]], row_id: Callable[[T], Hashable],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._row_id = row_id
        self._rows: list[T] = []
        self._pos: dict[Hashable, int] = {}
        self.emphasis: Callable[[T], bool] | None = None  # rows drawn in bold (e.g. overdue)
        # Model-wide extras: a row background (overdue), a custom role (OVERDUE_ROLE)…
        self.row_background: Callable[[T], QBrush | QColor | None] | None = None
        self.extra_roles: dict[int, Callable[[T], Any]] = {}
        self.numbered = False  # the vertical header numbers the rows (an audit trail)

    @property
    def columns(self) -> list[Column[T]]:
        return list(self._columns)

    # -- the rows -------------------------------------------------------------------------------

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, row_id: Hashable) -> int:
        """The row showing ``row_id``, or -1."""
        return self._pos.get(row_id, -1)

    def id_at(self, row: int) -> Hashable | None:
        found = self.row_at(row)
        return None if found is None else self._row_id(found)

    def set_rows(self, rows: Sequence[T]) -> None:
        """Show ``rows``, announcing only what differs from the rows shown now: removed runs,
        a new order of the rows kept (as a layout change, which moves the selection with its
        row), inserted runs, then changed values. Duplicate ids cannot be told apart, so a
        list holding some is shown through a reset."""
        new = list(rows)
        new_ids = [self._row_id(r) for r in new]
        if len(set(new_ids)) != len(new_ids):
            self._reset(new, new_ids)
            return
        wanted = set(new_ids)
        self._remove_missing(wanted)
        self._reorder_kept(new_ids)
        self._insert_new(new, new_ids)
        self._update_values(new)

    def _reset(self, rows: list[T], ids: list[Hashable]) -> None:
        if not rows and not self._rows:
            return
        self.beginResetModel()
        self._rows = rows
        self._pos = {row_id: i for i, row_id in enumerate(ids)}
        self.endResetModel()

    def _reindex(self) -> None:
        self._pos = {self._row_id(r): i for i, r in enumerate(self._rows)}

    def _remove_missing(self, wanted: set[Hashable]) -> None:
        # From the end, so the indices of the runs still to remove do not move.
        i = len(self._rows) - 1
        while i >= 0:
            if self._row_id(self._rows[i]) in wanted:
                i -= 1
                continue
            last = i
            while i >= 0 and self._row_id(self._rows[i]) not in wanted:
                i -= 1
            self.beginRemoveRows(QModelIndex(), i + 1, last)
            del self._rows[i + 1:last + 1]
            self.endRemoveRows()
        self._reindex()

    def _reorder_kept(self, new_ids: list[Hashable]) -> None:
        rank = {row_id: n for n, row_id in enumerate(new_ids)}
        order = sorted(range(len(self._rows)), key=lambda i: rank[self._row_id(self._rows[i])])
        if order == list(range(len(self._rows))):
            return
        self.layoutAboutToBeChanged.emit()
        moved_to = {old: new for new, old in enumerate(order)}
        persistent = self.persistentIndexList()
        self._rows = [self._rows[i] for i in order]
        self._reindex()
        self.changePersistentIndexList(
            persistent,
            [self.index(moved_to[p.row()], p.column()) if p.isValid() else QModelIndex()
             for p in persistent])
        self.layoutChanged.emit()

    def _insert_new(self, new: list[T], new_ids: list[Hashable]) -> None:
        # The kept rows are now in the new order: the new ones slot in between, run by run.
        i = 0
        while i < len(new):
            if new_ids[i] in self._pos:
                i += 1
                continue
            first = i
            while i < len(new) and new_ids[i] not in self._pos:
                i += 1
            self.beginInsertRows(QModelIndex(), first, i - 1)
            self._rows[first:first] = new[first:i]
            self.endInsertRows()
            self._reindex()

    def _update_values(self, new: list[T]) -> None:
        changed = [i for i, (a, b) in enumerate(zip(self._rows, new, strict=True)) if a != b]
        self._rows = new
        last_col = len(self._columns) - 1
        start = 0
        while start < len(changed):  # one dataChanged per run of neighbouring rows
            end = start
            while end + 1 < len(changed) and changed[end + 1] == changed[end] + 1:
                end += 1
            self.dataChanged.emit(self.index(changed[start], 0),
                                  self.index(changed[end], last_col))
            start = end + 1

    # -- Qt model interface ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) \
                or not 0 <= index.column() < len(self._columns):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return column.accessible(row) if column.accessible else column.display(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip(row)
        if role == ID_ROLE:
            return self._row_id(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.EditRole:
            return column.edit(row) if column.edit else column.display(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align(row)
        if role == Qt.ItemDataRole.DecorationRole:
            return column.decoration(row) if column.decoration else None
        if role == Qt.ItemDataRole.FontRole:
            return self._font(column, row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return column.foreground(row) if column.foreground else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if column.background is not None:
                return column.background(row)
            return self.row_background(row) if self.row_background else None
        extra = self.extra_roles.get(role)
        return extra(row) if extra is not None else None

    def _font(self, column: Column[T], row: T) -> QFont | None:
        font = column.font(row) if column.font else None
        if font is None and self.emphasis is not None and self.emphasis(row):
            font = bold_font()
        return font

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if self.numbered and role == Qt.ItemDataRole.DisplayRole \
                    and 0 <= section < len(self._rows):
                return str(section + 1)
            return None
        if not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _(column.short_header or column.header)
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return _(column.header)
        return None

    def retranslate(self) -> None:
        """Headers and vocabulary labels are translated when asked: tell the views to ask."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self._columns) - 1))


@dataclass(frozen=True)
class RowsPage(Generic[T]):
    """One page read from a query service: its rows, and where the page after it starts
    (``None``: nothing after). A service's own page type with ``rows`` and ``next`` serves
    as well (``complaint_queries.ComplaintPage``)."""

    rows: Sequence[T]
    next: Any = None


class PageOf(Protocol[T_co]):
    @property
    def rows(self) -> Sequence[T_co]: ...

    @property
    def next(self) -> Any: ...


# ``read(after, limit)``: the ``limit`` rows after the position ``after`` (None: the start).
PageReader = Callable[[Any, int], PageOf[T]]


def offset_pages(fetch: Callable[[int, int], Sequence[T]]) -> PageReader[T]:
    """Pages by offset, from ``fetch(offset, limit)``: where a page ends is a row count."""
    def read(after: Any, limit: int) -> RowsPage[T]:
        offset = int(after or 0)
        rows = list(fetch(offset, limit))
        return RowsPage(rows, offset + len(rows) if len(rows) >= limit else None)
    return read


class PagedRowsModel(RowsTableModel[T]):
    """A long list read a page at a time as the view scrolls.

    ``read(after, limit)`` reads a page from the query service: by keyset (``after`` is the
    key of the last row shown, so a deep page costs what the first does: the complaints) or by
    offset (``offset_pages``). ``reload()`` re-reads as many rows as are shown (at least a
    page) in one read and diffs them in, so a refresh keeps the selection and the scroll
    position; ``set_reader`` (a new filter) starts over from the first page, and
    ``show_first_page`` shows a first page read elsewhere (off the GUI thread)."""

    def __init__(self, columns: Sequence[Column[T]], row_id: Callable[[T], Hashable],
                 read: PageReader[T], page_size: int = 200,
                 parent: QObject | None = None) -> None:
        super().__init__(columns, row_id, parent)
        self._reader = read
        self.page_size = page_size
        self._next: Any = None
        self._exhausted = False
        self._fetching = False
        self._loaded = False

    def _ensure_loaded(self) -> None:
        # The first page is read when a view first asks, not when the page is built.
        if not self._loaded:
            self._loaded = True
            page = self._reader(None, self.page_size)
            # Asked from rowCount: the view has seen no rows yet, so no signal is due.
            self._rows = list(page.rows)
            self._ended_at(page.next)
            self._reindex()

    def _ended_at(self, after: Any) -> None:
        self._next = after
        self._exhausted = after is None

    def set_reader(self, read: PageReader[T]) -> None:
        """Another filter: the list starts over from its first page. Diffed in like any
        refresh (rows matching both filters keep their selection), never a reset: a view
        fetching more while a reset is in flight would break Qt's model contract."""
        self.show_first_page(read, read(None, self.page_size))

    def show_first_page(self, read: PageReader[T], page: PageOf[T]) -> None:
        """Show ``page``, the first page of ``read`` (read elsewhere, e.g. off the GUI
        thread); scrolling reads on with ``read``."""
        self._reader = read
        self._show(page)

    def reload(self) -> None:
        self._show(self._reader(None, max(len(self._rows), self.page_size)))

    def _show(self, page: PageOf[T]) -> None:
        self._loaded = True
        self._ended_at(page.next)
        # No page is fetched while the rows are diffed in: a view (or Qt's model tester)
        # reacting to a removal would append rows in the middle of the diff. The view asks
        # again once it lays the rows out.
        self._fetching = True
        try:
            self.set_rows(page.rows)
        finally:
            self._fetching = False

    @property
    def exhausted(self) -> bool:
        """Every row of the list is shown (nothing more to fetch)."""
        self._ensure_loaded()
        return self._exhausted

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        if parent.isValid():
            return 0
        self._ensure_loaded()
        return len(self._rows)

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        if parent.isValid():
            return False
        self._ensure_loaded()
        return not self._exhausted and not self._fetching

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        # Not re-entered: a view (or Qt's model tester) reacting to the rows being inserted
        # may ask for more before this page is in; it gets the next page once this one is.
        if parent.isValid() or self._exhausted or self._fetching:
            return
        self._fetching = True
        try:
            page = self._reader(self._next, self.page_size)
            # A row written meanwhile shifts the pages (an offset moves, a keyset passes a
            # row twice): skip ids already shown.
            more = [r for r in page.rows if self._row_id(r) not in self._pos]
            self._ended_at(page.next)
            if more:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
                self._rows.extend(more)
                self._pos.update((self._row_id(r), first + n) for n, r in enumerate(more))
                self.endInsertRows()
        finally:
            self._fetching = False
