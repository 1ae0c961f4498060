"""The history of one record (issue 7, audit): when, who, which field, old value → new value,
read from the signed events by ``services.audit``. Read-only; exported as CSV.

On a liaison officer's device the complainant's fields show "Confidential" (the service decides).

Hook (the smallest, in an editor's header)::

    self.header.addWidget(HistoryButton(self, lambda: (self.store, self.session_id)))
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain.errors import JsdError, StoreError
from jsd_desk.i18n import N_, _, ngettext
from jsd_desk.services import audit
from jsd_desk.store.writer import Store
from jsd_desk.ui.conflicts import entity_label, field_label, format_value
from jsd_desk.ui.fields import ErrorLabel
from jsd_desk.ui.kit.roles import LEFT
from jsd_desk.ui.kit.table import Column, RowsTableModel
from jsd_desk.ui.language import Retranslatable

COLUMNS = (N_("When (UTC)"), N_("Who"), N_("Field"), N_("Old value"), N_("New value"))


def _shown(entity: str, field: str, value: object) -> str:
    """A value as people read it, in their language: a status or category by its label, a date
    as a date (the store keeps codes, DESIGN §2); a sealed one as "Confidential"."""
    if value is audit.SEALED or value is None:
        return audit.show_value(value)
    return format_value(entity, field, value, {})


def _value(entity: str, field: str, value: object) -> str:
    text = _shown(entity, field, value)
    return text[:200] + "…" if len(text) > 200 else text


class HistoryModel(RowsTableModel[audit.AuditEntry]):
    """The entries of ``audit.record_history``, one row each, oldest first, numbered."""

    def __init__(self, entries: list[audit.AuditEntry], parent: QWidget | None = None) -> None:
        main_entity = entries[0].entity if entries else ""

        def field(e: audit.AuditEntry) -> str:
            # A complaint's history also holds its complainant's fields (same id): say whose.
            label = field_label(e.field)
            return label if e.entity == main_entity else f"{entity_label(e.entity)} · {label}"

        columns: list[Column[audit.AuditEntry]] = [
            Column(COLUMNS[0], lambda e: f"{e.at:%Y-%m-%d %H:%M:%S}", alignment=LEFT),
            Column(COLUMNS[1], lambda e: e.device,
                   tooltip=lambda e: f"{e.device} ({e.device_id})"),
            Column(COLUMNS[2], field),
            Column(COLUMNS[3], lambda e: _value(e.entity, e.field, e.old),
                   tooltip=lambda e: _shown(e.entity, e.field, e.old)),
            Column(COLUMNS[4], lambda e: _value(e.entity, e.field, e.new),
                   tooltip=lambda e: _shown(e.entity, e.field, e.new)),
        ]
        # One change of one field by one event: (device, seq) names the event.
        super().__init__(columns, lambda e: (e.device_id, e.seq, e.entity, e.field), parent)
        self.numbered = True
        self.entries = entries
        self.set_rows(entries)


class HistoryDialog(Retranslatable, QDialog):
    def __init__(self, store: Store, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history_dialog")
        self.store = store
        self.record_id = record_id
        self.entries = audit.record_history(store, record_id)
        self.model = HistoryModel(self.entries, self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableView()
        self.table.setObjectName("history_table")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.error = ErrorLabel()
        self.error.setObjectName("history_error")
        self.result_label = QLabel()
        self.result_label.setObjectName("history_result")
        self.result_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = QPushButton()
        self.export_button.setObjectName("action_export_history")
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        self.resize(900, 480)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Record history"))
        n = len(self.entries)
        self.intro.setText(ngettext("Every change to this record, oldest first, as signed by the "
                                    "device that made it ({n} change).",
                                    "Every change to this record, oldest first, as signed by the "
                                    "device that made it ({n} changes).", n) if n else
                           _("This record has no recorded change yet."))
        self.table.setAccessibleName(_("Changes to this record"))
        self.export_button.setText(_("Export as CSV…"))
        self.export_button.setAccessibleName(_("Export the history as CSV"))
        self.export_button.setEnabled(bool(n))
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setAccessibleName(_("Close"))
        self.model.retranslate()

    def export_csv(self, path: Path | None = None) -> int | None:
        """Write the history as CSV (asking where when ``path`` is None)."""
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Export the history"), f"history-{self.record_id[:8]}.csv",
                _("CSV files (*.csv)"))
            if not chosen:
                return None
            path = Path(chosen)
        try:
            try:
                n = audit.export_audit(self.entries, path, "csv")
            except OSError as exc:
                raise StoreError(N_("The file could not be written: {reason}"),
                                 reason=exc.strerror or type(exc).__name__) from exc
        except JsdError as exc:
            self.error.show_error(exc)
            self.result_label.clear()
            return None
        self.error.show_error(None)
        self.result_label.setText(ngettext("Wrote {n} change to {path}.",
                                           "Wrote {n} changes to {path}.", n, path=str(path)))
        return n


RecordRef = Callable[[], tuple[Store, str]]


class HistoryButton(Retranslatable, QToolButton):
    """A button (and its action ``action_record_history``) that opens the history of the record
    ``ref()`` names, added to ``owner`` (whose keyboard focus reaches it by Ctrl+Shift+H)."""

    def __init__(self, owner: QWidget, ref: RecordRef) -> None:
        super().__init__(owner)
        self.setObjectName("record_history_button")
        self.ref = ref
        self.dialog: HistoryDialog | None = None
        self.action = QAction(owner)
        self.action.setObjectName("action_record_history")
        self.action.setShortcut("Ctrl+Shift+H")
        self.action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action.triggered.connect(lambda _c=False: self.open_history())
        owner.addAction(self.action)
        self.setDefaultAction(self.action)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.action.setText(_("History…"))
        self.action.setToolTip(_("Who changed what, and when (Ctrl+Shift+H)"))
        self.setAccessibleName(_("Record history"))

    def open_history(self) -> HistoryDialog:
        store, record_id = self.ref()
        dialog = HistoryDialog(store, record_id, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.finished.connect(self._forget)
        dialog.open()
        return dialog

    def _forget(self, _result: int) -> None:
        self.dialog = None
