"""The attendance grid: category × gender, typed from a paper sheet with the keyboard only.

Type a number in a cell and press Enter or Tab: the count is saved and the cursor moves to the
next cell (women, men, unspecified, then the next category), so a whole sheet is entered as
digits and Enter. Totals follow live. Names, optional, belong to the selected cell.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QItemSelection, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import _
from jsd_desk.i18n.formats import format_percent
from jsd_desk.services import queries
from jsd_desk.services import sessions as session_service
from jsd_desk.store.writer import Store
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import AutosaveField, ErrorLabel
from jsd_desk.ui.language import Retranslatable
from jsd_desk.ui.sessions.models import AttendanceModel
from jsd_desk.ui.undo import push_edit


class AttendanceTable(QTableView):
    """Enter after a number moves on to the next cell, as Tab does; both skip the totals."""

    def moveCursor(self, action: QAbstractItemView.CursorAction,  # noqa: N802 - Qt override
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        if action not in (QAbstractItemView.CursorAction.MoveNext,
                          QAbstractItemView.CursorAction.MovePrevious):
            return super().moveCursor(action, modifiers)
        model, current = self.model(), self.currentIndex()
        step = 1 if action == QAbstractItemView.CursorAction.MoveNext else -1
        columns = model.columnCount()
        position = current.row() * columns + current.column() if current.isValid() else -1
        last = model.rowCount() * columns
        while 0 <= position + step < last:
            position += step
            candidate = model.index(position // columns, position % columns)
            if candidate.flags() & Qt.ItemFlag.ItemIsEditable:
                return candidate
        return current  # the last cell of the sheet: stay there

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:  # noqa: N802
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            hint = QAbstractItemDelegate.EndEditHint.EditNextItem
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # Enter on a cell not being edited starts editing it (a keyboard route without F2).
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.state() != QAbstractItemView.State.EditingState
                and self.currentIndex().flags() & Qt.ItemFlag.ItemIsEditable):
            self.edit(self.currentIndex())
            return
        super().keyPressEvent(event)


class _CountDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: Any,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        editor.setAccessibleName(str(index.data(Qt.ItemDataRole.AccessibleTextRole) or ""))
        return editor


class AttendanceGrid(Retranslatable, QWidget):
    def __init__(self, ctx: UiContext, session_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session_id = session_id
        self.model = AttendanceModel(ctx.store, session_id, self)
        self.model.reload()
        self.table = AttendanceTable()
        self.table.setObjectName("attendance")
        self.table.setModel(self.model)
        self.table.setItemDelegate(_CountDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(True)
        # Each column as wide as its heading ("Non précisé") and counts, the last one taking
        # the rest: the grid fits the editor's width in every language, nothing cut.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.error = ErrorLabel()
        self.error.setObjectName("attendance_error")
        self.summary = QLabel()
        self.summary.setObjectName("attendance_summary")
        self.hint = QLabel()
        self.hint.setWordWrap(True)

        self.names_label = QLabel()
        self.names_editor = QPlainTextEdit()
        # Undo of a names edit is pushed here, bound to its cell (the editor serves every cell).
        self.names_field = AutosaveField(self.names_editor, "names", self._write_names)
        self.names_field.saved.connect(self._names_saved)
        self.names_editor.setEnabled(False)
        self.names_editor.setMaximumHeight(140)

        # The names of the selected cell under the grid, not beside it: the grid keeps the
        # editor's whole width, so no heading ("Non précisé") is cut short on a small screen.
        self.names_editor.setMaximumHeight(self.names_editor.fontMetrics().lineSpacing() * 4 + 14)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addWidget(self.summary)
        layout.addWidget(self.names_label)
        layout.addWidget(self.names_field.container)
        layout.addStretch(1)

        self.model.error_changed.connect(self._error_changed)
        self.model.cell_saved.connect(self._cell_saved)
        self.model.dataChanged.connect(lambda *_a: self._update_summary())
        self.model.modelReset.connect(self._update_summary)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.setCurrentIndex(self.model.index(0, 0))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.table.setAccessibleName(_("Attendance by category and gender"))
        self.hint.setText(_("Type each count and press Enter: the cursor moves to the next cell. "
                            "Totals update as you go."))
        self.names_label.setText(_("Names (optional) for the selected cell:"))
        self.names_editor.setAccessibleName(_("Names of participants in the selected cell"))
        self.names_editor.setPlaceholderText(_("One name per line"))
        self.model.retranslate()
        self._update_summary()
        self._selection_changed()

    def _fit_height(self) -> None:
        # The whole grid without scrolling: a paper sheet's rows all in view.
        rows = sum(self.table.rowHeight(r) for r in range(self.model.rowCount()))
        frame = 2 * self.table.frameWidth()
        self.table.setFixedHeight(rows + self.table.horizontalHeader().height() + frame)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit_height()

    def set_read_only(self, read_only: bool) -> None:
        self.model.editable = not read_only
        self.names_field.set_read_only(read_only)
        self.model.layoutChanged.emit()

    def reload(self) -> None:
        self.names_field.flush()
        current = self.table.currentIndex()
        self.model.reload()
        if current.isValid():
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))

    # -- names -----------------------------------------------------------------------------------

    def _selected_cell(self) -> tuple[str, str] | None:
        return self.model.cell_key(self.table.currentIndex())

    def _selection_changed(self, *_args: QItemSelection) -> None:
        self.names_field.flush()
        key = self._selected_cell()
        self.names_editor.setEnabled(key is not None)
        if key is None:
            self.names_field.load(None)
            self.names_label.setText(_("Names (optional) for the selected cell:"))
            return
        self.names_label.setText(_("Names (optional): {category}, {gender}",
                                   category=vocab.PARTICIPANT_CATEGORY.label(key[0]),
                                   gender=vocab.GENDER.label(key[1])))
        self.names_field.error_label.show_error(None)
        self.names_field.load(self.model.names(*key))

    def _write_names(self, names: str | None) -> None:
        key = self._selected_cell()
        if key is not None:
            self.model.write_names(key[0], key[1], names)

    def _names_saved(self, old: str, new: str) -> None:
        key = self._selected_cell()
        if key is None:
            return
        category, gender = key
        store, session_id, model, field = self.ctx.store, self.session_id, self.model, self.names_field

        def write(names: str) -> None:
            session_service.set_attendance(store, session_id, category, gender,
                                           model.count(category, gender) if shiboken6.isValid(model)
                                           else _stored_count(store, session_id, category, gender),
                                           names=names)

        def shown(names: str) -> None:
            model.show_names(category, gender, names or None)
            if self._selected_cell() == (category, gender):
                field.load_saved(names)

        push_edit(self.ctx.undo_stack,
                  _("Names: {category}, {gender}", category=vocab.PARTICIPANT_CATEGORY.label(category),
                    gender=vocab.GENDER.label(gender)), write, old, new, shown=shown,
                  on_error=self.error.show_error)

    # -- counts ----------------------------------------------------------------------------------

    def _error_changed(self, error: JsdError | None) -> None:
        self.error.show_error(error)

    def _cell_saved(self, category: str, gender: str, old: int, new: int) -> None:
        store, session_id, model = self.ctx.store, self.session_id, self.model

        def write(n: int) -> None:
            session_service.set_attendance(store, session_id, category, gender, int(n))

        push_edit(self.ctx.undo_stack,
                  _("Attendance: {category}, {gender}",
                    category=vocab.PARTICIPANT_CATEGORY.label(category),
                    gender=vocab.GENDER.label(gender)),
                  write, old, new, shown=lambda n: model.show_count(category, gender, int(n)),
                  on_error=self.error.show_error)

    def _update_summary(self) -> None:
        total = self.model.total()
        women = self.model.total_of_gender("f")
        share = format_percent(women / total) if total else "–"
        self.summary.setText(_("Total: {total} participants · women: {women} ({share})",
                               total=total, women=women, share=share))
        self.summary.setAccessibleName(self.summary.text())


def _stored_count(store: Store, session_id: str, category: str, gender: str) -> int:
    cell = queries.attendance_cells(store, session_id).get((category, gender))
    return cell.count if cell else 0
