"""The Sync page's "Outbox" panel: bundles written here, listed until their devices
acknowledge them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget

from jsd_desk.i18n import _
from jsd_desk.services import sync as sync_service
from jsd_desk.sync.outbox import OutboxItem
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.table import RowsTableModel
from jsd_desk.ui.sync.columns import outbox_columns
from jsd_desk.ui.sync.jobs import SyncJobs
from jsd_desk.ui.sync.panel import SyncPanel
from jsd_desk.ui.sync.widgets import hint, sync_table


class OutboxPanel(SyncPanel):
    """``names``: device id → name, kept up to date by the page (the recipients' column)."""

    def __init__(self, ctx: UiContext, jobs: SyncJobs, names: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__("outbox_box", ctx, jobs, parent)
        self.outbox_model: RowsTableModel[OutboxItem] = RowsTableModel(
            outbox_columns(names), lambda i: i.bundle_id, self)
        self.outbox_table = sync_table("outbox_table")
        self.outbox_table.setModel(self.outbox_model)
        header = self.outbox_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The file's name takes what is left, cut in its middle (its date and recipient end
        # it): the half-width box never scrolls sideways.
        header.setStretchLastSection(False)
        header.setSectionResizeMode(self.outbox_model.columnCount() - 1,
                                    QHeaderView.ResizeMode.Stretch)
        self.outbox_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.outbox_hint = hint(QLabel())
        self.outbox_empty = QLabel()
        self.outbox_empty.setObjectName("outbox_empty")
        layout = QVBoxLayout(self)
        layout.addWidget(self.outbox_hint)
        layout.addWidget(self.outbox_table, 1)
        layout.addWidget(self.outbox_empty)
        layout.addStretch(0)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Outbox"))
        self.outbox_table.setAccessibleName(_("Outbox"))
        self.outbox_empty.setText(_("No bundle is waiting for acknowledgement."))
        self.outbox_hint.setText(_("Bundles written here stay listed until their devices "
                                   "acknowledge them by sending a bundle back."))
        self.outbox_model.retranslate()

    def refresh(self) -> None:
        self.outbox_model.set_rows(sync_service.outbox(self.ws, include_acknowledged=True))
        self.outbox_table.setVisible(self.outbox_model.rowCount() > 0)
        self.outbox_empty.setVisible(self.outbox_model.rowCount() == 0)
