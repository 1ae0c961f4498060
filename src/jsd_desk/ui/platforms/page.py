"""The Platforms & places page: the tree of places, the dialogue platforms at a place (and
below it) with their activity, and a platform's priority problems with the story of each one
across sessions."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import (
    QModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
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
from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import _
from jsd_desk.services import places as place_service
from jsd_desk.services import platforms as service
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import flush_all
from jsd_desk.ui.kit.page import Page
from jsd_desk.ui.kit.roles import ID_ROLE, ROW_ROLE
from jsd_desk.ui.kit.widgets import (
    error_label,
    fill_vocab_combo,
    heading_label,
    muted,
    show_error,
)
from jsd_desk.ui.platforms.dialogs import FormDialog, PlaceDialog, PlatformDialog
from jsd_desk.ui.platforms.editor import PlatformEditor
from jsd_desk.ui.platforms.models import PlaceTreeModel, PlatformTableModel, ProblemTableModel, StoryModel


class PlatformsPage(Page):
    WATCHED = frozenset({"place", "platform", "priority_problem", "session", "action_item",
                         "concern"})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("platforms_page")
        self.editable = ctx.role != "liaison"
        self.platform_id: str | None = None
        self.problem_id: str | None = None
        self.dialog: FormDialog | None = None

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
        for column in range(1, len(PlatformTableModel.COLUMNS)):
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
        for column in range(1, len(ProblemTableModel.COLUMNS)):
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

        self.retranslate_ui()
        self.platform_none.setVisible(True)
        self.reload_places()

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
        self.place_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                                len(PlaceTreeModel.HEADERS) - 1)
        self.platform_model.retranslate()
        self.problem_model.retranslate()
        self.story_model.retranslate()
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
        row = self.platform_model.row_of(self.platform_id) if self.platform_id else -1
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
        row = self.problem_model.row_of(self.problem_id) if self.problem_id else -1
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
        self.story_model.set_rows(lines)
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
            row = self.platform_model.row_of(platform_id)
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

    def _refresh(self) -> None:
        self.reload_places()
