"""The Sync page's "Trusted devices" panel: the other devices' cards, and adding one once its
fingerprint was checked."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import _
from jsd_desk.services import sync as sync_service
from jsd_desk.services.sync import PeerView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.table import RowsTableModel
from jsd_desk.ui.sync.columns import peer_columns
from jsd_desk.ui.sync.device_panel import CARD_FILTER
from jsd_desk.ui.sync.jobs import SyncJobs
from jsd_desk.ui.sync.panel import SyncPanel
from jsd_desk.ui.sync.peer_card import PeerCardDialog
from jsd_desk.ui.sync.widgets import hint, sync_table


class PeersPanel(SyncPanel):
    def __init__(self, ctx: UiContext, jobs: SyncJobs, parent: QWidget | None = None) -> None:
        super().__init__("peers_box", ctx, jobs, parent)
        self.action_add_peer = self._action("action_add_peer", self.add_peer,
                                            QStyle.StandardPixmap.SP_FileDialogNewFolder)
        self.peers_model: RowsTableModel[PeerView] = RowsTableModel(
            peer_columns(), lambda p: p.info.device_id, self)
        self.peers_table = sync_table("peers_table")
        self.peers_table.setModel(self.peers_model)
        self.peers_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.peers_table.horizontalHeader().setStretchLastSection(True)
        self.peers_empty = hint(QLabel())
        self.peers_empty.setObjectName("peers_empty")
        layout = QVBoxLayout(self)
        layout.addWidget(self.peers_table)
        layout.addWidget(self.peers_empty)
        row = QHBoxLayout()
        row.addWidget(self._button(self.action_add_peer))
        row.addStretch(1)
        layout.addLayout(row)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Trusted devices"))
        self.peers_table.setAccessibleName(_("Trusted devices"))
        self.peers_empty.setText(_("No other device yet. Exchange contact cards with the devices "
                                   "you sync with: each one adds the other's card."))
        self.action_add_peer.setText(_("Add a peer's card…"))
        self.action_add_peer.setToolTip(_("Trust another device after checking its fingerprint"))
        self.peers_model.retranslate()

    def show_peers(self, others: list[PeerView]) -> None:
        """The other devices this one knows (not itself)."""
        self.peers_model.set_rows(others)
        self.peers_table.setVisible(bool(others))
        self.peers_empty.setVisible(not others)

    def set_busy(self, busy: bool) -> None:
        self.action_add_peer.setEnabled(not busy)

    def add_peer(self) -> bool:
        """Read a card, show its fingerprint, and trust it only once the user confirmed it."""
        title = _("Add a peer's card")
        paths = self.jobs.open_paths(self, title, _(CARD_FILTER))
        if not paths:
            return False
        try:
            info = sync_service.read_card(paths[0])
        except JsdError as exc:
            QMessageBox.warning(self, title, exc.message())
            return False
        dialog = PeerCardDialog(info, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()
        try:
            added = sync_service.add_peer(self.ws, info, fingerprint=info.fingerprint())
        except JsdError as exc:
            QMessageBox.warning(self, title, exc.message())
            return False
        if added.status == "already":
            message = _("“{name}” was already trusted.", name=info.name)
        else:
            message = _("“{name}” is now trusted: bundles can be exchanged with it.",
                        name=info.name)
        self.reported.emit(message, _("This is a ministry device: every bundle will also be "
                                      "encrypted to it.") if added.ministry else "")
        self.ctx.signals.status_message.emit(message)
        self.changed.emit()
        return True
