"""The Platforms & places page: the tree of places, the dialogue platforms at a place (and
below it) with their activity, and a platform's priority problems with the story of each one
across sessions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError, ValidationError
from jsd_desk.i18n import N_, _
from jsd_desk.i18n.formats import format_date
from jsd_desk.services import places as place_service
from jsd_desk.services import platforms as service
from jsd_desk.ui.actions.model import ACTION_STATUS_COLOURS
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import AutosaveField, flush_all
from jsd_desk.ui.kit.widgets import (
    error_label,
    fill_combo,
    fill_vocab_combo,
    heading_label,
    muted,
    show_error,
)
from jsd_desk.ui.language import Retranslatable

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
WATCHED = frozenset({"place", "platform", "priority_problem", "session", "action_item",
                     "concern"})
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
    """Places as a tree: name, level, and how many platforms sit at each one."""

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


class PlatformTableModel(QAbstractTableModel):
    NAME, PLACE, SESSIONS, LAST, OPEN_ACTIONS, PROBLEMS = range(6)
    HEADERS = (N_("Platform"), N_("Place"), N_("Sessions"), N_("Last session"),
               N_("Open action items"), N_("Priority problems"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[service.PlatformRow] = []

    def set_rows(self, rows: list[service.PlatformRow]) -> None:
        if [r.id for r in rows] == [r.id for r in self._rows]:
            changed = [i for i, (a, b) in enumerate(zip(rows, self._rows, strict=True)) if a != b]
            self._rows = list(rows)
            if changed:
                self.dataChanged.emit(self.index(min(changed), 0),
                                      self.index(max(changed), len(self.HEADERS) - 1))
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> service.PlatformRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of_id(self, platform_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == platform_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS)
                and role == Qt.ItemDataRole.DisplayRole):
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
            return {self.NAME: r.name, self.PLACE: r.place, self.SESSIONS: str(r.sessions),
                    self.LAST: format_date(r.last_session, "medium") if r.last_session else "",
                    self.OPEN_ACTIONS: str(r.open_actions),
                    self.PROBLEMS: str(r.problems)}.get(col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.SESSIONS,
                                                                 self.OPEN_ACTIONS,
                                                                 self.PROBLEMS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ProblemTableModel(QAbstractTableModel):
    TITLE, STATUS, CONCERNS, ACTIONS = range(4)
    HEADERS = (N_("Priority problem"), N_("Status"), N_("Concerns"), N_("Action items"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[service.ProblemRow] = []

    def set_rows(self, rows: list[service.ProblemRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> service.ProblemRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of_id(self, problem_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == problem_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS)
                and role == Qt.ItemDataRole.DisplayRole):
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
            if col == self.TITLE:
                return r.title
            if col == self.STATUS:
                return vocab.PRIORITY_STATUS.label(r.status) if r.status else ""
            if col == self.CONCERNS:
                return str(r.concerns)
            if col == self.ACTIONS:
                return _("{n} ({open} open)", n=r.actions, open=r.open_actions) \
                    if r.open_actions else str(r.actions)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.TITLE and r.description:
            return r.description[:1000]
        if role == Qt.ItemDataRole.DecorationRole and col == self.STATUS and r.status:
            colour = PROBLEM_COLOURS.get(r.status)
            return QColor(colour) if colour else None
        return None


class StoryModel(QAbstractListModel):
    """A priority problem's story: concerns raised and action items agreed, by session."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[service.StoryLine] = []

    def set_lines(self, lines: list[service.StoryLine]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._lines)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        if role == ID_ROLE:
            return line.id
        if role == ROW_ROLE:
            return line
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            when = format_date(line.when, "medium") if line.when else _("date unknown")
            if line.entity == "concern":
                kind = _("Concern raised")
            else:
                status = vocab.ACTION_STATUS.label(line.status) if line.status else "?"
                kind = _("Action item ({status})", status=status)
            head = " · ".join(p for p in (when, line.session_title) if p)
            text = line.text if len(line.text) <= 240 else line.text[:239] + "…"
            return f"{head}\n{kind} — {text}"  # a dash reads the same in French and English
        if role == Qt.ItemDataRole.DecorationRole:
            if line.entity == "action_item" and line.status:
                return QColor(ACTION_STATUS_COLOURS.get(line.status, "#777777"))
            return QColor("#8e7cc3")
        if role == Qt.ItemDataRole.ToolTipRole:
            return line.text[:2000] or None
        return None


# -- dialogs ---------------------------------------------------------------------------------------


class _FormDialog(Retranslatable, QDialog):
    """A small form with OK/Cancel; ``submit`` saves and raises JsdError to refuse."""

    def __init__(self, parent: QWidget | None, object_name: str) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error = error_label(f"{object_name}_error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.result_id: str | None = None
        self.resize(460, self.sizeHint().height())

    def submit(self) -> str:
        raise NotImplementedError

    def _ok(self) -> None:
        show_error(self.error, None)
        try:
            self.result_id = self.submit()
        except JsdError as exc:
            show_error(self.error, exc.message())
            return
        self.accept()

    def retranslate_ui(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setObjectName("action_ok")
        ok.setAccessibleName(ok.text())


class PlaceDialog(_FormDialog):
    def __init__(self, ctx: UiContext, parent_place: service.PlaceNode | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, "place_dialog")
        self.ctx = ctx
        self.parent_place = parent_place
        self.under = QLabel()
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.level = QComboBox()
        self.level.setObjectName("level")
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.labels = [QLabel(), QLabel(), QLabel(), QLabel()]
        for label, widget in zip(self.labels, (self.under, self.name, self.level, self.code),
                                 strict=True):
            if widget is not self.under:
                label.setBuddy(widget)
            self.form.addRow(label, widget)
        self.retranslate_ui()
        # The level below the parent's is the likely one.
        codes = vocab.PLACE_LEVEL.codes()
        if parent_place is not None and parent_place.level in codes:
            below = codes[min(codes.index(parent_place.level) + 1, len(codes) - 1)]
            self.level.setCurrentIndex(max(self.level.findData(below), 0))

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("New place"))
        for label, text in zip(self.labels, (_("Inside:"), _("Name:"), _("Level:"), _("Code:")),
                               strict=True):
            label.setText(text)
        self.under.setText(self.parent_place.name if self.parent_place else _("(top level)"))
        self.name.setAccessibleName(_("Name of the place"))
        self.level.setAccessibleName(_("Level of the place"))
        self.code.setAccessibleName(_("Code of the place"))
        self.code.setPlaceholderText(_("Optional: an official code"))
        fill_vocab_combo(self.level, vocab.PLACE_LEVEL)

    def submit(self) -> str:
        name = self.name.text().strip()
        if not name:
            raise ValidationError("name", N_("This field is required."))
        return place_service.add_place(
            self.ctx.store, name=name, level=self.level.currentData(),
            parent_id=self.parent_place.id if self.parent_place else None,
            code=self.code.text().strip() or None)


class PlatformDialog(_FormDialog):
    def __init__(self, ctx: UiContext, place_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent, "platform_dialog")
        self.ctx = ctx
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.place = QComboBox()
        self.place.setObjectName("place_id")
        self.place.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.place.setMinimumContentsLength(24)
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.description.fontMetrics().lineSpacing() * 4 + 14)
        self.labels = [QLabel(), QLabel(), QLabel()]
        for label, widget in zip(self.labels, (self.name, self.place, self.description),
                                 strict=True):
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        from jsd_desk.services.choices import place_choices

        items: list[tuple[Any, str]] = [(None, _("(no place)"))]
        items.extend((c.id, c.label) for c in place_choices(ctx.store))
        fill_combo(self.place, items)
        self.place.setCurrentIndex(max(self.place.findData(place_id), 0))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("New platform"))
        for label, text in zip(self.labels, (_("Name:"), _("Place:"), _("Description:")),
                               strict=True):
            label.setText(text)
        self.name.setAccessibleName(_("Name of the platform"))
        self.name.setPlaceholderText(_("e.g. Plateforme de dialogue de Talladjé"))
        self.place.setAccessibleName(_("Place of the platform"))
        self.description.setAccessibleName(_("Description of the platform"))
        if self.place.count():
            self.place.setItemText(0, _("(no place)"))

    def submit(self) -> str:
        name = self.name.text().strip()
        if not name:
            raise ValidationError("name", N_("This field is required."))
        return place_service.add_platform(
            self.ctx.store, name=name, place_id=self.place.currentData(),
            description=self.description.toPlainText().strip() or None)


class PlatformEditor(Retranslatable, QWidget):
    """Name, place and description of one platform, saved as they are edited."""

    def __init__(self, ctx: UiContext, detail: service.PlatformDetail, editable: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("platform_editor")
        self.ctx = ctx
        self.platform_id = detail.id
        self.editable = editable
        self.name = QLineEdit()
        self.place = QComboBox()
        self.place.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.place.setMinimumContentsLength(18)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(self.description.fontMetrics().lineSpacing() * 3 + 14)
        from jsd_desk.services.choices import place_choices

        places: list[tuple[Any, str]] = [(None, _("(no place)"))]
        places.extend((c.id, c.label) for c in place_choices(ctx.store))
        fill_combo(self.place, places)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.bindings: dict[str, AutosaveField] = {}
        self.labels: dict[str, QLabel] = {}
        store, pid = ctx.store, detail.id
        for key, editor in (("name", self.name), ("place_id", self.place),
                            ("description", self.description)):
            def write(value: Any, k: str = key) -> None:
                service.update_platform(store, pid, **{k: value})

            self.bindings[key] = AutosaveField(editor, key, write, undo_stack=ctx.undo_stack,
                                               describe=self._describer(key))
            label = QLabel()
            label.setBuddy(editor)
            self.labels[key] = label
            form.addRow(label, self.bindings[key].container)
        self.retranslate_ui()
        self.show_detail(detail)

    def _titles(self) -> dict[str, str]:
        return {"name": _("Name"), "place_id": _("Place"), "description": _("Description")}

    def _describer(self, key: str) -> Callable[[], str]:
        return lambda: self._titles()[key]

    def retranslate_ui(self) -> None:
        titles = self._titles()
        for key, label in self.labels.items():
            label.setText(titles[key] + ":")
        self.name.setAccessibleName(_("Name of the platform"))
        self.place.setAccessibleName(_("Place of the platform"))
        self.description.setAccessibleName(_("Description of the platform"))
        self.description.setPlaceholderText(_("Who takes part, how often it meets"))
        if self.place.count():
            self.place.setItemText(0, _("(no place)"))

    def show_detail(self, detail: service.PlatformDetail) -> None:
        values = {"name": detail.name, "place_id": detail.place_id,
                  "description": detail.description}
        for key, binding in self.bindings.items():
            binding.load(values[key])
            binding.set_read_only(not self.editable)
        if not self.name.hasFocus():
            self.name.setCursorPosition(0)  # a long name shows its beginning


# -- the page --------------------------------------------------------------------------------------


class PlatformsPage(Retranslatable, QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("platforms_page")
        self.ctx = ctx
        self.editable = ctx.role != "liaison"
        self._stale = False
        self.platform_id: str | None = None
        self.problem_id: str | None = None
        self.dialog: _FormDialog | None = None

        self.toolbar = QToolBar()
        self.toolbar.setObjectName("platforms_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.action_add_place = self._action("action_add_place", self.add_place,
                                             QStyle.StandardPixmap.SP_FileDialogNewFolder)
        self.action_new_platform = self._action("action_new_platform", self.new_platform,
                                                QStyle.StandardPixmap.SP_FileIcon)
        self.toolbar.addAction(self.action_add_place)
        self.toolbar.addAction(self.action_new_platform)

        # -- places ----------------------------------------------------------------------------
        self.place_model = PlaceTreeModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("places_tree")
        self.tree.setModel(self.place_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(PlaceTreeModel.NAME,
                                                QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(PlaceTreeModel.PLATFORMS,
                                                QHeaderView.ResizeMode.ResizeToContents)
        # The level is in each place's tooltip; its column is there for those who want it.
        self.tree.setColumnHidden(PlaceTreeModel.LEVEL, True)
        self.tree.selectionModel().currentChanged.connect(self._place_changed)

        # -- platforms -------------------------------------------------------------------------
        self.platforms_title = heading_label(1.1)
        self.platforms_title.setObjectName("platforms_title")
        self.platform_model = PlatformTableModel(self)
        self.platforms = QTableView()
        self.platforms.setObjectName("platforms_table")
        self.platforms.setModel(self.platform_model)
        self.platforms.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.platforms.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.platforms.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.platforms.verticalHeader().setVisible(False)
        self.platforms.setAlternatingRowColors(True)
        header = self.platforms.horizontalHeader()
        header.setSectionResizeMode(PlatformTableModel.NAME, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(PlatformTableModel.HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.platforms.selectionModel().currentRowChanged.connect(self._platform_changed)
        self.platforms_empty = muted(QLabel())
        self.platforms_empty.setObjectName("platforms_empty")
        self.platforms_empty.setWordWrap(True)
        platforms_box = QWidget()
        pb = QVBoxLayout(platforms_box)
        pb.setContentsMargins(0, 0, 0, 0)
        pb.addWidget(self.platforms_title)
        pb.addWidget(self.platforms_empty)
        pb.addWidget(self.platforms)

        # -- one platform (its editor is rebuilt for each platform shown) ----------------------
        self.platform_box = QGroupBox()
        self.platform_box.setObjectName("platform_detail")
        self.platform_layout = QVBoxLayout(self.platform_box)
        self.platform_editor: PlatformEditor | None = None
        self.platform_none = muted(QLabel())
        self.platform_none.setObjectName("platform_none")
        self.platform_none.setWordWrap(True)
        self.platform_layout.addWidget(self.platform_none)

        # -- problems --------------------------------------------------------------------------
        self.problems_box = QGroupBox()
        self.problems_box.setObjectName("priority_problems")
        self.problem_model = ProblemTableModel(self)
        self.problems = QTableView()
        self.problems.setObjectName("problems_table")
        self.problems.setModel(self.problem_model)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.verticalHeader().setVisible(False)
        ph = self.problems.horizontalHeader()
        ph.setSectionResizeMode(ProblemTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(ProblemTableModel.HEADERS)):
            ph.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.problems.selectionModel().currentRowChanged.connect(self._problem_changed)
        self.new_problem = QLineEdit()
        self.new_problem.setObjectName("title")
        self.new_problem.returnPressed.connect(self.add_priority_problem)
        self.action_add_priority_problem = self._action(
            "action_add_priority_problem", self.add_priority_problem,
            QStyle.StandardPixmap.SP_FileDialogNewFolder)
        self.add_problem_button = QPushButton()
        self.add_problem_button.setObjectName("button_add_priority_problem")
        self.add_problem_button.clicked.connect(self.action_add_priority_problem.trigger)
        self.problem_error = error_label("title_error")
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_problem, 1)
        add_row.addWidget(self.add_problem_button)
        self.problem_status = QComboBox()
        self.problem_status.setObjectName("status")
        self.problem_status.activated.connect(self._problem_status_chosen)
        self.problem_status_label = QLabel()
        self.problem_status_label.setBuddy(self.problem_status)
        status_row = QHBoxLayout()
        status_row.addWidget(self.problem_status_label)
        status_row.addWidget(self.problem_status)
        status_row.addStretch(1)
        self.story_label = QLabel()
        self.story_model = StoryModel(self)
        self.story = QListView()
        self.story.setObjectName("problem_story")
        self.story.setModel(self.story_model)
        self.story.setWordWrap(True)
        self.story.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.story.activated.connect(self._open_story_line)
        self.story_empty = muted(QLabel())
        self.story_empty.setObjectName("story_empty")
        self.story_empty.setWordWrap(True)
        problems = QVBoxLayout(self.problems_box)
        problems.addWidget(self.problems, 2)
        problems.addLayout(add_row)
        problems.addWidget(self.problem_error)
        problems.addLayout(status_row)
        problems.addWidget(self.story_label)
        problems.addWidget(self.story_empty)
        problems.addWidget(self.story, 3)

        self.lower_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.lower_splitter.setObjectName("platform_lower_splitter")
        self.lower_splitter.addWidget(self.platform_box)
        self.lower_splitter.addWidget(self.problems_box)
        self.lower_splitter.setChildrenCollapsible(False)
        self.lower_splitter.setSizes([340, 480])
        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.setObjectName("platforms_right_splitter")
        self.right_splitter.addWidget(platforms_box)
        self.right_splitter.addWidget(self.lower_splitter)
        self.right_splitter.setChildrenCollapsible(False)
        self.right_splitter.setSizes([220, 480])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("platforms_splitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.right_splitter)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([250, 830])
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.splitter, 1)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(150)
        self._refresh_timer.timeout.connect(self.refresh)
        ctx.signals.records_changed.connect(self._records_changed)

        self.retranslate_ui()
        self.platform_none.setVisible(True)
        self.reload_places()

    def _action(self, name: str, slot: Callable[[], Any], icon: QStyle.StandardPixmap) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(lambda _c=False: slot())
        self.addAction(action)
        return action

    # -- texts -----------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.action_add_place.setText(_("Add place…"))
        self.action_add_place.setToolTip(_("Add a place inside the selected one"))
        self.action_new_platform.setText(_("New platform…"))
        self.action_new_platform.setToolTip(_("A dialogue platform at the selected place"))
        self.action_add_priority_problem.setText(_("Add"))
        self.action_add_priority_problem.setToolTip(_("Add this priority problem"))
        self.add_problem_button.setText(_("Add problem"))
        self.add_problem_button.setAccessibleName(_("Add the priority problem"))
        self.toolbar.setAccessibleName(_("Platform actions"))
        self.tree.setAccessibleName(_("Places"))
        self.platforms.setAccessibleName(_("Platforms"))
        self.platform_box.setTitle(_("Platform"))
        self.platform_none.setText(_("Select a platform to see and edit it."))
        self.problems_box.setTitle(_("Priority problems"))
        self.problems.setAccessibleName(_("Priority problems"))
        self.new_problem.setPlaceholderText(_("A problem the platform agreed to work on"))
        self.new_problem.setAccessibleName(_("New priority problem"))
        self.problem_status_label.setText(_("Status of the selected problem:"))
        self.problem_status.setAccessibleName(_("Status of the priority problem"))
        fill_vocab_combo(self.problem_status, vocab.PRIORITY_STATUS)
        self.story_label.setText(_("Its story, session after session:"))
        self.story.setAccessibleName(_("Story of the priority problem"))
        self.story_empty.setText(_("No concern or action item is linked to this problem yet."))
        self.platforms_empty.setText(_("No platform at this place or below it."))
        for model, count in ((self.place_model, len(PlaceTreeModel.HEADERS)),
                             (self.platform_model, len(PlatformTableModel.HEADERS)),
                             (self.problem_model, len(ProblemTableModel.HEADERS))):
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, count - 1)
        self._show_platforms_title()

    # -- places ----------------------------------------------------------------------------------

    def reload_places(self) -> None:
        current = self.selected_place_id()
        expanded = {self.place_model.data(self.place_model.index_of(n.id), ID_ROLE)
                    for n in self.place_model.nodes
                    if self.tree.isExpanded(self.place_model.index_of(n.id))}
        self.place_model.set_nodes(service.place_nodes(self.ctx.store))
        for place_id in expanded:
            if isinstance(place_id, str):
                self.tree.setExpanded(self.place_model.index_of(place_id), True)
        if not expanded:
            # The country and its regions open: what a user looks for first.
            for node in self.place_model.nodes:
                if node.parent_id is None:
                    self.tree.setExpanded(self.place_model.index_of(node.id), True)
        target = self.place_model.index_of(current) if current else QModelIndex()
        if not target.isValid() and self.place_model.rowCount():
            target = self.place_model.index(0, 0)
        if target.isValid():
            self.tree.setCurrentIndex(target)
        self._reload_platforms()

    def selected_place(self) -> service.PlaceNode | None:
        index = self.tree.currentIndex()
        value = self.place_model.data(index.siblingAtColumn(0), ROW_ROLE) \
            if index.isValid() else None
        return value if isinstance(value, service.PlaceNode) else None

    def selected_place_id(self) -> str | None:
        place = self.selected_place()
        return place.id if place else None

    def _place_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._reload_platforms()

    def _show_platforms_title(self) -> None:
        place = self.selected_place()
        self.platforms_title.setText(_("Platforms in {place}", place=place.name) if place
                                     else _("All platforms"))

    def _reload_platforms(self) -> None:
        place = self.selected_place()
        ids = service.descendants(self.place_model.nodes, place.id) if place else None
        rows = service.platform_rows(self.ctx.store, ids)
        self.platform_model.set_rows(rows)
        self.platforms_empty.setVisible(not rows)
        self.platforms.setVisible(bool(rows))
        self._show_platforms_title()
        row = self.platform_model.row_of_id(self.platform_id) if self.platform_id else -1
        if row < 0 and rows:
            row = 0
        if row < 0:
            self._show_platform(None)
            return
        self.platforms.selectRow(row)
        chosen = self.platform_model.row_at(row)
        # Selecting the row that was already current emits nothing: show it regardless.
        if chosen is not None and (self.platform_editor is None
                                   or self.platform_editor.platform_id != chosen.id):
            self._show_platform(chosen.id)

    def select_first_platform(self) -> None:
        """Select the first place that has a platform, and its first platform."""
        for node in self.place_model.nodes:
            if node.platforms:
                index = self.place_model.index_of(node.id)
                parent = index.parent()
                while parent.isValid():
                    self.tree.setExpanded(parent, True)
                    parent = parent.parent()
                self.tree.setCurrentIndex(index)
                break
        if self.platform_model.rowCount():
            self.platforms.selectRow(0)

    # -- one platform ----------------------------------------------------------------------------

    def _platform_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.platform_model.row_at(current.row()) if current.isValid() else None
        self._show_platform(row.id if row else None)

    def _show_platform(self, platform_id: str | None) -> None:
        if self.platform_editor is not None and shiboken6.isValid(self.platform_editor):
            flush_all(self.platform_editor)
        detail = None
        if platform_id is not None:
            try:
                detail = service.platform_detail(self.ctx.store, platform_id)
            except JsdError:
                detail = None
        self.platform_id = detail.id if detail else None
        editor = self.platform_editor
        if editor is not None and detail is not None and editor.platform_id == detail.id:
            editor.show_detail(detail)
        else:
            if self.platform_editor is not None:
                self.platform_layout.removeWidget(self.platform_editor)
                self.platform_editor.hide()
                self.platform_editor.deleteLater()
                self.platform_editor = None
            if detail is not None:
                self.platform_editor = PlatformEditor(self.ctx, detail, self.editable)
                self.platform_layout.addWidget(self.platform_editor)
        self.platform_none.setVisible(detail is None)
        self.problems_box.setEnabled(detail is not None)
        if detail is None:
            self.problem_model.set_rows([])
            self._show_problem(None)
            return
        self._reload_problems()

    def _reload_problems(self) -> None:
        if self.platform_id is None:
            return
        rows = service.problem_rows(self.ctx.store, self.platform_id)
        self.problem_model.set_rows(rows)
        row = self.problem_model.row_of_id(self.problem_id) if self.problem_id else -1
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.problems.selectRow(row)
        else:
            self._show_problem(None)
        for widget in (self.new_problem, self.add_problem_button):
            widget.setEnabled(self.editable)
        self.action_add_priority_problem.setEnabled(self.editable)

    def _problem_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.problem_model.row_at(current.row()) if current.isValid() else None
        self._show_problem(row)

    def _show_problem(self, row: service.ProblemRow | None) -> None:
        self.problem_id = row.id if row else None
        self.problem_status.setEnabled(row is not None and self.editable)
        if row is not None:
            self.problem_status.setCurrentIndex(max(self.problem_status.findData(row.status), 0))
        lines = service.problem_story(self.ctx.store, row.id) if row else []
        self.story_model.set_lines(lines)
        self.story.setVisible(bool(lines))
        self.story_empty.setVisible(row is not None and not lines)

    def _problem_status_chosen(self, _index: int) -> None:
        if self.problem_id is None:
            return
        try:
            service.update_priority_problem(self.ctx.store, self.problem_id,
                                            status=self.problem_status.currentData())
        except JsdError as exc:
            show_error(self.problem_error, exc.message())
            return
        show_error(self.problem_error, None)
        self._reload_problems()

    def _open_story_line(self, index: QModelIndex) -> None:
        line = self.story_model.data(index, ROW_ROLE)
        if isinstance(line, service.StoryLine):
            self.ctx.signals.open_requested.emit(line.entity, line.id)

    # -- adding ----------------------------------------------------------------------------------

    def add_place(self) -> PlaceDialog | None:
        if not self.editable:
            return None
        dialog = PlaceDialog(self.ctx, self.selected_place(), self)
        dialog.accepted.connect(lambda: self._added_place(dialog.result_id))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _added_place(self, place_id: str | None) -> None:
        self.reload_places()
        if place_id:
            index = self.place_model.index_of(place_id)
            self.tree.setExpanded(index.parent(), True)
            self.tree.setCurrentIndex(index)

    def new_platform(self) -> PlatformDialog | None:
        if not self.editable:
            return None
        dialog = PlatformDialog(self.ctx, self.selected_place_id(), self)
        dialog.accepted.connect(lambda: self._added_platform(dialog.result_id))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _added_platform(self, platform_id: str | None) -> None:
        self.platform_id = platform_id
        self.reload_places()
        if platform_id:
            row = self.platform_model.row_of_id(platform_id)
            if row >= 0:
                self.platforms.selectRow(row)

    def add_priority_problem(self) -> str | None:
        show_error(self.problem_error, None)
        if self.platform_id is None or not self.editable:
            return None
        title = self.new_problem.text().strip()
        if not title:
            show_error(self.problem_error, _("Give the problem a title."))
            return None
        try:
            problem_id = place_service.add_priority_problem(
                self.ctx.store, platform_id=self.platform_id, title=title)
        except JsdError as exc:
            show_error(self.problem_error, exc.message())
            return None
        self.new_problem.clear()
        self.problem_id = problem_id
        self._reload_problems()
        return problem_id

    # -- the main window's hooks ------------------------------------------------------------------

    def open_record(self, entity: str, record_id: str) -> None:
        if entity == "place":
            index = self.place_model.index_of(record_id)
            if index.isValid():
                self.tree.setCurrentIndex(index)
            return
        if entity == "priority_problem":
            self.problem_id = record_id
            record_id = service.platform_of_problem(self.ctx.store, record_id) or ""
        if entity in ("platform", "priority_problem") and record_id:
            # Show every platform, so the one asked for is in the list.
            self.platform_id = record_id
            self.tree.setCurrentIndex(QModelIndex())
            self._reload_platforms()

    def _records_changed(self, entities: frozenset[str]) -> None:
        if entities & WATCHED:
            if self.isVisible():
                self._refresh_timer.start()
            else:
                self._stale = True

    def refresh(self) -> None:
        self._stale = False
        self.reload_places()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()
