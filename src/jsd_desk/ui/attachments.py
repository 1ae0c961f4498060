"""Attachments of any record: add a photo or a scan, preview it, remove it.

The file dialog gives a path; ``services.attachments`` reads the file (off the GUI thread: a
25 MB scan takes a moment to hash and store). Images are previewed from the bytes in memory,
never from a temporary file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPixmap, QUndoCommand
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import N_, _
from jsd_desk.i18n.formats import format_decimal
from jsd_desk.services import attachments as service
from jsd_desk.services.attachments import AttachmentInfo
from jsd_desk.store.writer import Store
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.flow import FlowLayout
from jsd_desk.ui.kit.roles import ID_ROLE, RIGHT, Index
from jsd_desk.ui.kit.table import Column, RowsTableModel
from jsd_desk.ui.kit.widgets import add_action, error_label, muted, show_error
from jsd_desk.ui.language import Retranslatable
from jsd_desk.ui.operations import Operation, error_text, run_operation

PREVIEW_HEIGHT = 180


def human_size(size: int) -> str:
    if size < 1024:
        return _("{n} bytes", n=size)
    if size < 1024 * 1024:
        return _("{n} KB", n=format_decimal(size / 1024, 0))
    return _("{n} MB", n=format_decimal(size / (1024 * 1024), 1))


def _file_text(a: AttachmentInfo) -> str:
    return a.filename if a.available else _("{name} (not on this device yet)", name=a.filename)


class AttachmentListModel(RowsTableModel[AttachmentInfo]):
    """The attachments of one record. The caption is edited in place (saved at once)."""

    FILE, CAPTION, SIZE = range(3)
    COLUMNS: tuple[Column[AttachmentInfo], ...] = (
        Column(N_("File"), _file_text,
               tooltip=lambda a: f"{a.filename}\n{a.media_type}\nSHA-256 {a.sha256}",
               decoration=lambda a: _file_icon(a)),
        Column(N_("Caption"), lambda a: a.caption, tooltip=lambda _a: None,
               edit=lambda a: a.caption),
        Column(N_("Size"), lambda a: human_size(a.size), tooltip=lambda _a: None,
               alignment=RIGHT),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(self.COLUMNS, lambda a: a.id, parent)
        self.editable = False
        # Saves a caption; raises JsdError to refuse it.
        self.save_caption: Callable[[str, str | None], None] | None = None
        self.last_error: JsdError | None = None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.editable and index.column() == self.CAPTION:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        a = self.row_at(index.row()) if index.isValid() else None
        if (a is None or index.column() != self.CAPTION
                or role != Qt.ItemDataRole.EditRole or self.save_caption is None):
            return False
        caption = str(value or "").strip() or None
        try:
            self.save_caption(a.id, caption)
        except JsdError as exc:
            self.last_error = exc
            return False
        self.last_error = None
        rows = self.rows()
        rows[index.row()] = replace(a, caption=caption or "")
        self.set_rows(rows)  # that row's dataChanged
        return True


def _file_icon(a: AttachmentInfo) -> QIcon | None:
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return None
    from PySide6.QtWidgets import QApplication

    style = QApplication.style() if isinstance(app, QApplication) else None
    if style is None:
        return None
    if not a.available:
        return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    return style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)


def image_from_bytes(data: bytes) -> QImage:
    image = QImage()
    image.loadFromData(data)
    return image


class _RemoveCommand(QUndoCommand):
    """Removing an attachment, undoable with Ctrl+Z (a new event each way: the log keeps all)."""

    def __init__(self, store: Store, attachment_id: str, text: str,
                 after: Callable[[], None]) -> None:
        super().__init__(text)
        self._store = store
        self._id = attachment_id
        self._after = after
        self._first = True

    def redo(self) -> None:
        if self._first:  # already removed when the command was pushed
            self._first = False
            return
        self._run(service.remove_attachment)

    def undo(self) -> None:
        self._run(service.restore_attachment)

    def _run(self, fn: Callable[[Store, str], bool]) -> None:
        try:
            fn(self._store, self._id)
        except JsdError:
            self.setObsolete(True)
        self._after()


class AttachmentViewer(Retranslatable, QDialog):
    """One attachment at full size (images), or what can be said about it (other files)."""

    def __init__(self, content: service.AttachmentData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachment_viewer")
        self.content = content
        self.image = image_from_bytes(content.data) if content.info.is_image else QImage()
        self.picture = QLabel()
        self.picture.setObjectName("attachment_image")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.picture)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setObjectName("attachment_caption")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.buttons)
        if not self.image.isNull():
            screen = QGuiApplication.primaryScreen()
            avail = screen.availableGeometry().size() if screen is not None else None
            width = min(self.image.width() + 40, int(avail.width() * 0.8) if avail else 1000)
            height = min(self.image.height() + 120, int(avail.height() * 0.8) if avail else 800)
            self.resize(max(width, 420), max(height, 320))
            self._fit()
        else:
            self.resize(480, 240)
        self.retranslate_ui()

    def _fit(self) -> None:
        if self.image.isNull():
            return
        room = self.scroll_area.viewport().size()
        pixmap = QPixmap.fromImage(self.image)
        if pixmap.width() > room.width() or pixmap.height() > room.height():
            pixmap = pixmap.scaled(room, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        self.picture.setPixmap(pixmap)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def retranslate_ui(self) -> None:
        info = self.content.info
        self.setWindowTitle(info.filename)
        self.setAccessibleName(_("Attachment: {name}", name=info.filename))
        if self.image.isNull():
            self.picture.setText(
                _("No preview for this kind of file ({kind}). Use “Save a copy…” to open it "
                  "with another program.", kind=info.media_type) if not info.is_image
                else _("This image cannot be shown; the file may be damaged."))
            self.picture.setWordWrap(True)
        details = f"{info.filename} · {human_size(info.size)}"
        self.caption.setText(f"{info.caption}\n{details}" if info.caption else details)
        self.picture.setAccessibleName(info.caption or info.filename)


class AttachmentsWidget(Retranslatable, QWidget):
    """The attachments of one record, with Add, View, Remove and Save a copy."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachments")
        self.ctx = ctx
        self.entity: str | None = None
        self.entity_id: str | None = None
        self._read_only = False
        self.pending: list[Operation] = []  # adds still running (tests wait on them)

        self.model = AttachmentListModel(self)
        self.model.save_caption = lambda aid, caption: self._save_caption(aid, caption)
        self.table = QTableView()
        self.table.setObjectName("attachments_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableView.EditTrigger.DoubleClicked
                                   | QTableView.EditTrigger.EditKeyPressed
                                   | QTableView.EditTrigger.SelectedClicked)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(AttachmentListModel.FILE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(AttachmentListModel.CAPTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(AttachmentListModel.SIZE,
                                    QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(AttachmentListModel.FILE, 200)
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(170)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.activated.connect(lambda _i: self.view_selected())

        self.action_add = add_action(self, "action_add_attachment", self.choose_and_add,
                                       QStyle.StandardPixmap.SP_FileDialogNewFolder)
        self.action_view = add_action(self, "action_view_attachment", self.view_selected,
                                        QStyle.StandardPixmap.SP_FileDialogContentsView)
        self.action_save = add_action(self, "action_save_attachment", self.save_selected_copy,
                                        QStyle.StandardPixmap.SP_DialogSaveButton)
        self.action_remove = add_action(self, "action_remove_attachment", self.remove_selected,
                                          QStyle.StandardPixmap.SP_TrashIcon)
        buttons = FlowLayout()
        self.buttons: list[QToolButton] = []
        for action in (self.action_add, self.action_view, self.action_save, self.action_remove):
            button = QToolButton()
            self.buttons.append(button)
            button.setDefaultAction(action)
            button.setObjectName(action.objectName().replace("action_", "button_"))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            buttons.addWidget(button)

        self.preview = QLabel()
        self.preview.setObjectName("attachment_preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.preview.setVisible(False)
        self.empty = muted(QLabel())
        self.empty.setObjectName("attachments_empty")
        self.empty.setWordWrap(True)
        self.error = error_label("attachments_error")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addWidget(self.preview)
        self.retranslate_ui()
        self._update_actions()

    def retranslate_ui(self) -> None:
        self.action_add.setText(_("Add file…"))
        self.action_add.setToolTip(_("Attach a photo, a scan or a letter (at most 25 MB)"))
        self.action_view.setText(_("View"))
        self.action_view.setToolTip(_("Show the selected attachment"))
        self.action_save.setText(_("Save a copy…"))
        self.action_save.setToolTip(_("Write a copy of the selected file outside the "
                                      "encrypted store"))
        self.action_remove.setText(_("Remove"))
        self.action_remove.setToolTip(_("Remove the selected attachment (Ctrl+Z undoes it)"))
        for action in (self.action_add, self.action_view, self.action_save, self.action_remove):
            action.setStatusTip(action.toolTip())
        for button in self.buttons:
            button.setAccessibleName(button.defaultAction().text().rstrip("…"))
        self.table.setAccessibleName(_("Attachments"))
        self.preview.setAccessibleName(_("Preview of the selected attachment"))
        self.empty.setText(_("No attachment yet. Add a photo of a signed sheet, a scanned "
                             "letter…"))
        self.setAccessibleName(_("Attachments"))
        self.model.retranslate()

    # -- the record shown ----------------------------------------------------------------------

    def set_record(self, entity: str | None, entity_id: str | None, *,
                   read_only: bool = False) -> None:
        if (entity, entity_id) != (self.entity, self.entity_id):
            show_error(self.error, None)  # a message about another record no longer applies
        self.entity, self.entity_id = entity, entity_id
        self._read_only = read_only
        self.model.editable = not read_only
        self.refresh()

    def refresh(self) -> None:
        if not self.entity or not self.entity_id:
            items: list[AttachmentInfo] = []
        else:
            items = service.attachments_for(self.ctx.store, self.entity, self.entity_id)
        self.model.set_rows(items)
        self.empty.setVisible(not items)
        self.table.setVisible(bool(items))
        if not items:
            self.preview.clear()
            self.preview.setVisible(False)
        self._update_actions()

    def selected(self) -> AttachmentInfo | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_actions(self) -> None:
        has_record = bool(self.entity and self.entity_id)
        chosen = self.selected()
        self.action_add.setEnabled(has_record and not self._read_only)
        self.action_view.setEnabled(chosen is not None and chosen.available)
        self.action_save.setEnabled(chosen is not None and chosen.available)
        self.action_remove.setEnabled(chosen is not None and not self._read_only)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_actions()
        chosen = self.model.row_at(current.row()) if current.isValid() else None
        self._show_preview(chosen)

    def _show_preview(self, chosen: AttachmentInfo | None) -> None:
        if chosen is None or not chosen.is_image or not chosen.available:
            self.preview.clear()
            self.preview.setVisible(False)
            return
        try:
            content = service.read_attachment(self.ctx.store, chosen.id)
        except JsdError as exc:
            show_error(self.error, exc.message())
            self.preview.setVisible(False)
            return
        image = image_from_bytes(content.data)
        if image.isNull():
            self.preview.setText(_("This image cannot be shown; the file may be damaged."))
        else:
            self.preview.setPixmap(QPixmap.fromImage(image.scaledToHeight(
                min(PREVIEW_HEIGHT, image.height()), Qt.TransformationMode.SmoothTransformation)))
        self.preview.setVisible(True)

    # -- actions ---------------------------------------------------------------------------------

    def choose_and_add(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Attach a file"), "",
            _("Photos and scans (*.jpg *.jpeg *.png *.gif *.tif *.tiff *.bmp *.webp *.pdf);;"
              "All files (*)"))
        if path:
            self.add_file(Path(path))

    def add_file(self, path: Path, caption: str | None = None) -> Operation | None:
        """Attach the file at ``path`` (read and stored off the GUI thread)."""
        if not self.entity or not self.entity_id or self._read_only:
            return None
        entity, entity_id, store = self.entity, self.entity_id, self.ctx.store
        show_error(self.error, None)

        def done(attachment_id: object) -> None:
            self.pending = [op for op in self.pending if not op.is_finished()]
            if shiboken6.isValid(self) and (self.entity, self.entity_id) == (entity, entity_id):
                self.refresh()
                self._select(str(attachment_id))
                self.ctx.signals.status_message.emit(_("Attached “{name}”.", name=path.name))

        def failed(exc: BaseException) -> None:
            self.pending = [op for op in self.pending if not op.is_finished()]
            if shiboken6.isValid(self):
                show_error(self.error, error_text(exc))

        op = run_operation(self, _("Attaching {name}", name=path.name),
                           lambda _progress: service.add_attachment(store, entity, entity_id,
                                                                    path, caption),
                           on_success=done, on_failure=failed)
        self.pending.append(op)
        return op

    def _select(self, attachment_id: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.data(self.model.index(row, 0), ID_ROLE) == attachment_id:
                self.table.selectRow(row)
                self.table.setCurrentIndex(self.model.index(row, 0))
                return

    def view_selected(self) -> AttachmentViewer | None:
        chosen = self.selected()
        if chosen is None:
            return None
        try:
            content = service.read_attachment(self.ctx.store, chosen.id)
        except JsdError as exc:
            show_error(self.error, exc.message())
            return None
        viewer = AttachmentViewer(content, self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.show()
        return viewer

    def remove_selected(self) -> bool:
        chosen = self.selected()
        if chosen is None or self._read_only:
            return False
        try:
            removed = service.remove_attachment(self.ctx.store, chosen.id)
        except JsdError as exc:
            show_error(self.error, exc.message())
            return False
        if removed:
            self.ctx.undo_stack.push(_RemoveCommand(
                self.ctx.store, chosen.id, _("Remove “{name}”", name=chosen.filename),
                lambda: self.refresh() if shiboken6.isValid(self) else None))
            self.ctx.signals.status_message.emit(
                _("Removed “{name}”. Ctrl+Z brings it back.", name=chosen.filename))
        self.refresh()
        return removed

    def save_selected_copy(self) -> Path | None:
        chosen = self.selected()
        if chosen is None:
            return None
        path, _filter = QFileDialog.getSaveFileName(self, _("Save a copy"), chosen.filename)
        if not path:
            return None
        try:
            out = service.save_attachment_copy(self.ctx.store, chosen.id, Path(path))
        except JsdError as exc:
            show_error(self.error, exc.message())
            return None
        self.ctx.signals.status_message.emit(_("Saved a copy to {path}.", path=str(out)))
        return out

    def _save_caption(self, attachment_id: str, caption: str | None) -> None:
        try:
            service.update_caption(self.ctx.store, attachment_id, caption)
        except JsdError as exc:
            show_error(self.error, exc.message())
            raise
        show_error(self.error, None)


class AttachmentsBox(Retranslatable, QGroupBox):
    """The titled group of a record's attachments in an editor (a complaint, an action item)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachments_box")
        self.attachments = AttachmentsWidget(ctx)
        QVBoxLayout(self).addWidget(self.attachments)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Attachments"))
