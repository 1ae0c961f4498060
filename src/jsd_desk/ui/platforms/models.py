"""Item models of the Platforms & places page: the tree of places, the platforms at a place,
a platform's priority problems and the story of one problem."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QFont

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, _
from jsd_desk.i18n.formats import format_date
from jsd_desk.services import platforms as service
from jsd_desk.ui.actions.model import ACTION_STATUS_COLOURS
from jsd_desk.ui.kit.roles import ID_ROLE, RIGHT, ROW_ROLE, Index
from jsd_desk.ui.kit.table import Column, RowsTableModel

PROBLEM_COLOURS = {"active": "#e69138", "addressed": "#6aa84f", "dropped": "#999999"}


# -- the place tree ------------------------------------------------------------------------------


class _Node:
    __slots__ = ("children", "parent", "place", "row")

    def __init__(self, place: service.PlaceNode | None, parent: _Node | None, row: int) -> None:
        self.place = place
        self.parent = parent
        self.row = row
        self.children: list[_Node] = []


class PlaceTreeModel(QAbstractItemModel):
    """Places as a tree: name, level, and how many platforms sit at each one.

    Not the kit's list model: places nest (region › department › commune › quartier), so
    this is a tree with parent links; it answers the kit's ID_ROLE and ROW_ROLE all the same."""

    NAME, LEVEL, PLATFORMS = range(3)
    HEADERS = (N_("Place"), N_("Level"), N_("Platforms"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = _Node(None, None, 0)
        self._by_id: dict[str, _Node] = {}
        self.nodes: list[service.PlaceNode] = []

    def set_nodes(self, nodes: list[service.PlaceNode]) -> None:
        self.beginResetModel()
        self.nodes = list(nodes)
        self._root = _Node(None, None, 0)
        self._by_id = {}
        for place in nodes:  # parents come before their children
            parent = self._by_id.get(place.parent_id or "", self._root)
            node = _Node(place, parent, len(parent.children))
            parent.children.append(node)
            self._by_id[place.id] = node
        self.endResetModel()

    def index_of(self, place_id: str) -> QModelIndex:
        node = self._by_id.get(place_id)
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def _node(self, index: Index) -> _Node:
        if index.isValid():
            node = index.internalPointer()
            assert isinstance(node, _Node)
            return node
        return self._root

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(self.HEADERS) or row < 0:
            return QModelIndex()
        node = self._node(parent)
        if row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self._node(index)
        up = node.parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS)
                and role == Qt.ItemDataRole.DisplayRole):
            return _(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        place = self._node(index).place
        if place is None:
            return None
        col = index.column()
        if role == ID_ROLE:
            return place.id
        if role == ROW_ROLE:
            return place
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == self.NAME:
                return place.name
            if col == self.LEVEL:
                return vocab.PLACE_LEVEL.label(place.level) if place.level else ""
            if col == self.PLATFORMS:
                return str(place.platforms) if place.platforms else ""
        if role == Qt.ItemDataRole.ToolTipRole and col == self.NAME:
            level = vocab.PLACE_LEVEL.label(place.level) if place.level else ""
            return " · ".join(p for p in (level, _("code {code}", code=place.code)
                                          if place.code else "") if p) or None
        if role == Qt.ItemDataRole.FontRole and col == self.NAME and place.platforms:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.PLATFORMS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


# -- platforms and problems ---------------------------------------------------------------------


# -- platforms and problems ---------------------------------------------------------------------


def _last_session(r: service.PlatformRow) -> str:
    return format_date(r.last_session, "medium") if r.last_session else ""


class PlatformTableModel(RowsTableModel[service.PlatformRow]):
    NAME, PLACE, SESSIONS, LAST, OPEN_ACTIONS, PROBLEMS = range(6)
    COLUMNS: tuple[Column[service.PlatformRow], ...] = (
        Column(N_("Platform"), lambda r: r.name),
        Column(N_("Place"), lambda r: r.place),
        Column(N_("Sessions"), lambda r: str(r.sessions), alignment=RIGHT),
        Column(N_("Last session"), _last_session),
        Column(N_("Open action items"), lambda r: str(r.open_actions), alignment=RIGHT),
        Column(N_("Priority problems"), lambda r: str(r.problems), alignment=RIGHT),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(self.COLUMNS, lambda r: r.id, parent)


def _problem_status(r: service.ProblemRow) -> str:
    return vocab.PRIORITY_STATUS.label(r.status) if r.status else ""


def _problem_colour(r: service.ProblemRow) -> QColor | None:
    colour = PROBLEM_COLOURS.get(r.status or "")
    return QColor(colour) if colour else None


def _problem_actions(r: service.ProblemRow) -> str:
    return _("{n} ({open} open)", n=r.actions, open=r.open_actions) if r.open_actions \
        else str(r.actions)


class ProblemTableModel(RowsTableModel[service.ProblemRow]):
    TITLE, STATUS, CONCERNS, ACTIONS = range(4)
    COLUMNS: tuple[Column[service.ProblemRow], ...] = (
        Column(N_("Priority problem"), lambda r: r.title,
               tooltip=lambda r: r.description[:1000] if r.description else None),
        Column(N_("Status"), _problem_status, decoration=_problem_colour),
        Column(N_("Concerns"), lambda r: str(r.concerns)),
        Column(N_("Action items"), _problem_actions),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(self.COLUMNS, lambda r: r.id, parent)


def _story_text(line: service.StoryLine) -> str:
    when = format_date(line.when, "medium") if line.when else _("date unknown")
    if line.entity == "concern":
        kind = _("Concern raised")
    else:
        status = vocab.ACTION_STATUS.label(line.status) if line.status else "?"
        kind = _("Action item ({status})", status=status)
    head = " · ".join(p for p in (when, line.session_title) if p)
    text = line.text if len(line.text) <= 240 else line.text[:239] + "…"
    return f"{head}\n{kind} — {text}"  # a dash reads the same in French and English


def _story_colour(line: service.StoryLine) -> QColor:
    if line.entity == "action_item" and line.status:
        return QColor(ACTION_STATUS_COLOURS.get(line.status, "#777777"))
    return QColor("#8e7cc3")


class StoryModel(RowsTableModel[service.StoryLine]):
    """A priority problem's story: concerns raised and action items agreed, by session (one
    two-line entry each, shown in a list view)."""

    COLUMNS: tuple[Column[service.StoryLine], ...] = (
        Column(N_("Story"), _story_text, tooltip=lambda line: line.text[:2000] or None,
               decoration=_story_colour, one_line=False),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(self.COLUMNS, lambda line: line.id, parent)
