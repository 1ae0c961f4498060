"""The Sync page (DESIGN §5): contact cards, trusted devices, bundles in and out, the outbox,
events held aside, the sync folder and the conflicts.

Everything goes through ``services.sync``; files are chosen in Qt's file dialogs and only their
paths reach the services. Imports, exports and sync-folder passes run off the GUI thread with
progress and cancel (``ui.operations``). A timer asks the service every few seconds whether the
sync folder (a USB stick, a shared drive) is there, and runs a pass in the background when it
appears, when this device has changed something since the last pass, or once a minute.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, Qt, QTimer
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QScrollArea,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import N_, _, ngettext
from jsd_desk.services import sync as sync_service
from jsd_desk.services.sync import PeerView
from jsd_desk.sync.folder import FolderMemory, FolderReport
from jsd_desk.sync.importer import ImportReport
from jsd_desk.sync.outbox import OutboxItem
from jsd_desk.ui.conflicts import ConflictsView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.folder_import_panel import FolderImportPanel
from jsd_desk.ui.kit.page import Page
from jsd_desk.ui.kit.table import RowsTableModel
from jsd_desk.ui.minutes_dialog import message_box, verify_minutes_file
from jsd_desk.ui.operations import Operation, Progress, error_text, run_operation
from jsd_desk.ui.sync.columns import (
    default_bundle_name,
    folder_summary,
    held_reason,
    import_summary,
    outbox_columns,
    peer_columns,
)
from jsd_desk.ui.sync.peer_card import PeerCardDialog
from jsd_desk.ui.sync.widgets import ActionButton, big_mono, hint, selectable, sync_table

BUNDLE_FILTER = N_("JSD Desk bundles (*.jsdb);;All files (*)")
CARD_FILTER = N_("Contact cards (*.jsdcard);;All files (*)")
PDF_FILTER = N_("PDF files (*.pdf)")


class SyncPage(Page):
    REFRESH_DELAY_MS = 0  # a few small reads; every commit concerns it (WATCHED empty)
    # How often the sync folder's presence is checked, and how often a pass runs while it stays.
    FOLDER_CHECK_MS = 5000
    FOLDER_REPASS_S = 60.0

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.ws = ctx.workspace
        self.me = self.ws.keys.info
        self.operation: Operation | None = None
        self._running = False
        self.mark_stale()  # read when first shown
        self._last_dir = QDir.homePath()
        self._names: dict[str, str] = {}
        self._folder_memory = FolderMemory()
        self._folder_present: bool | None = None
        self._folder_dirty = True
        self._folder_last_pass = 0.0
        self._folder_message = ""
        self._conflicts = 0
        self._held = 0
        self._peers: list[PeerView] = []
        sp = QStyle.StandardPixmap

        # Actions: every button is one, findable by its name.
        self.action_export_card = self._action("action_export_card", self.export_card,
                                               sp.SP_DialogSaveButton)
        self.action_add_peer = self._action("action_add_peer", self.add_peer,
                                            sp.SP_FileDialogNewFolder)
        self.action_export_bundle = self._action("action_export_bundle", self.export_bundle,
                                                 sp.SP_ArrowUp)
        self.action_import_bundles = self._action("action_import_bundles", self.import_bundles,
                                                  sp.SP_ArrowDown)
        self.action_show_conflicts = self._action("action_show_conflicts", self.show_conflicts,
                                                  sp.SP_MessageBoxWarning)
        self.action_release_held = self._action("action_release_held", self.release_held,
                                                sp.SP_MediaPlay)
        self.action_choose_folder = self._action("action_choose_sync_folder",
                                                 self.choose_sync_folder, sp.SP_DirOpenIcon)
        self.action_forget_folder = self._action("action_forget_sync_folder",
                                                 self.forget_sync_folder, sp.SP_DialogCloseButton)
        self.action_sync_now = self._action("action_sync_now", self.sync_now,
                                            sp.SP_BrowserReload)
        self.action_verify_minutes = self._action("action_verify_minutes", self.verify_minutes,
                                                  sp.SP_FileDialogContentsView)

        self._build_device_box()
        self._build_bundle_box()
        self._build_peers_box()
        self._build_folder_box()
        self._build_outbox_box()
        self._build_held_box()

        grid = QGridLayout()
        grid.setSpacing(12)
        grid.addWidget(self.device_box, 0, 0)
        grid.addWidget(self.bundle_box, 0, 1)
        grid.addWidget(self.peers_box, 1, 0, 1, 2)
        grid.addWidget(self.folder_box, 2, 0)
        grid.addWidget(self.outbox_box, 2, 1)
        grid.addWidget(self.held_box, 3, 0)
        grid.addWidget(self.verify_box, 3, 1)
        self.folder_import = FolderImportPanel(ctx)  # a ministry's whole folder of bundles
        grid.addWidget(self.folder_import, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        inner = QWidget()
        inner.setObjectName("sync_overview")
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(16, 12, 16, 12)
        inner_layout.addLayout(grid)
        inner_layout.addStretch(1)
        self.overview = QScrollArea()
        self.overview.setWidgetResizable(True)
        self.overview.setFrameShape(QFrame.Shape.NoFrame)
        # Wrapped labels make QScrollArea offer a horizontal bar it never needs (the page is
        # narrower than any window it lives in): vertical scrolling only.
        self.overview.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.overview.setWidget(inner)

        self.conflicts = ConflictsView(ctx)
        self.conflicts.count_changed.connect(self._conflicts_counted)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("sync_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.overview, "")
        self.tabs.addTab(self.conflicts, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.folder_timer = QTimer(self)
        self.folder_timer.setObjectName("sync_folder_timer")
        self.folder_timer.setInterval(self.FOLDER_CHECK_MS)
        self.folder_timer.timeout.connect(self.check_folder)

        self.retranslate_ui()
        self.refresh()
        if sync_service.sync_folder(self.ws) is not None:
            self.folder_timer.start()
            QTimer.singleShot(0, self.check_folder)  # the folder may be there already

    # -- building --------------------------------------------------------------------------------

    @staticmethod
    def _button(action: QAction) -> ActionButton:
        return ActionButton(action)

    def _build_device_box(self) -> None:
        self.device_box = QGroupBox()
        self.device_box.setObjectName("this_device_box")
        self.device_name = selectable(QLabel(self.me.name))
        self.device_name.setObjectName("device_name")
        font = QFont(self.device_name.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.device_name.setFont(font)
        self.device_name.setWordWrap(True)
        self.device_role = QLabel()
        self.device_role.setObjectName("device_role")
        self.device_id = selectable(QLabel())
        self.device_id.setObjectName("device_id")
        self.device_id.setWordWrap(True)
        self.fingerprint_caption = QLabel()
        self.fingerprint = selectable(QLabel(self.me.fingerprint()))
        self.fingerprint.setObjectName("device_fingerprint")
        self.fingerprint.setFont(big_mono(self.font(), 2.0))
        self.fingerprint_caption.setBuddy(self.fingerprint)
        self.fingerprint_hint = hint(QLabel())
        layout = QVBoxLayout(self.device_box)
        layout.addWidget(self.device_name)
        layout.addWidget(self.device_role)
        layout.addWidget(self.device_id)
        layout.addSpacing(4)
        layout.addWidget(self.fingerprint_caption)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.fingerprint_hint)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self._button(self.action_export_card))
        row.addStretch(1)
        layout.addLayout(row)

    def _build_bundle_box(self) -> None:
        self.bundle_box = QGroupBox()
        self.bundle_box.setObjectName("bundles_box")
        self.recipient_label = QLabel()
        self.recipient = QComboBox()
        self.recipient.setObjectName("bundle_recipient")
        self.recipient.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.recipient_label.setBuddy(self.recipient)
        self.summary = selectable(QLabel())
        self.summary.setObjectName("sync_summary")
        self.summary.setWordWrap(True)
        font = QFont(self.summary.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.summary.setFont(font)
        self.summary_detail = selectable(hint(QLabel()))
        self.summary_detail.setObjectName("sync_summary_detail")
        self.last_sync = QLabel()
        self.last_sync.setObjectName("last_sync")
        self.conflicts_button = self._button(self.action_show_conflicts)
        self.bundle_hint = hint(QLabel())

        target = QHBoxLayout()
        target.addWidget(self.recipient_label)
        target.addWidget(self.recipient, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self._button(self.action_export_bundle))
        buttons.addWidget(self._button(self.action_import_bundles))
        buttons.addStretch(1)
        layout = QVBoxLayout(self.bundle_box)
        layout.addLayout(target)
        layout.addLayout(buttons)
        layout.addWidget(self.bundle_hint)
        layout.addSpacing(6)
        layout.addWidget(self.summary)
        layout.addWidget(self.summary_detail)
        layout.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.last_sync, 1)
        bottom.addWidget(self.conflicts_button)
        layout.addLayout(bottom)

    def _build_peers_box(self) -> None:
        self.peers_box = QGroupBox()
        self.peers_box.setObjectName("peers_box")
        self.peers_model: RowsTableModel[PeerView] = RowsTableModel(
            peer_columns(), lambda p: p.info.device_id, self)
        self.peers_table = sync_table("peers_table")
        self.peers_table.setModel(self.peers_model)
        self.peers_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.peers_table.horizontalHeader().setStretchLastSection(True)
        self.peers_empty = hint(QLabel())
        self.peers_empty.setObjectName("peers_empty")
        layout = QVBoxLayout(self.peers_box)
        layout.addWidget(self.peers_table)
        layout.addWidget(self.peers_empty)
        row = QHBoxLayout()
        row.addWidget(self._button(self.action_add_peer))
        row.addStretch(1)
        layout.addLayout(row)

    def _build_folder_box(self) -> None:
        self.folder_box = QGroupBox()
        self.folder_box.setObjectName("sync_folder_box")
        self.folder_path = QLabel()
        self.folder_path.setObjectName("sync_folder")
        self.folder_path.setWordWrap(True)
        self.folder_state = QLabel()
        self.folder_state.setObjectName("sync_folder_state")
        self.folder_state.setWordWrap(True)
        self.folder_result = hint(QLabel())
        self.folder_result.setObjectName("sync_folder_result")
        self.folder_hint = hint(QLabel())
        buttons = QHBoxLayout()
        buttons.addWidget(self._button(self.action_choose_folder))
        buttons.addWidget(self._button(self.action_sync_now))
        buttons.addWidget(self._button(self.action_forget_folder))
        buttons.addStretch(1)
        layout = QVBoxLayout(self.folder_box)
        layout.addWidget(self.folder_hint)
        layout.addWidget(self.folder_path)
        layout.addWidget(self.folder_state)
        layout.addWidget(self.folder_result)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def _build_outbox_box(self) -> None:
        self.outbox_box = QGroupBox()
        self.outbox_box.setObjectName("outbox_box")
        self.outbox_model: RowsTableModel[OutboxItem] = RowsTableModel(
            outbox_columns(self._names), lambda i: i.bundle_id, self)
        self.outbox_table = sync_table("outbox_table")
        self.outbox_table.setModel(self.outbox_model)
        self.outbox_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.outbox_table.horizontalHeader().setStretchLastSection(True)
        self.outbox_hint = hint(QLabel())
        self.outbox_empty = QLabel()
        self.outbox_empty.setObjectName("outbox_empty")
        layout = QVBoxLayout(self.outbox_box)
        layout.addWidget(self.outbox_hint)
        layout.addWidget(self.outbox_table, 1)
        layout.addWidget(self.outbox_empty)
        layout.addStretch(0)

    def _build_held_box(self) -> None:
        self.held_box = QGroupBox()
        self.held_box.setObjectName("held_aside_box")
        self.held_label = QLabel()
        self.held_label.setObjectName("held_count")
        self.held_hint = hint(QLabel())
        held_row = QHBoxLayout()
        held_row.addWidget(self.held_label, 1)
        held_row.addWidget(self._button(self.action_release_held))
        held = QVBoxLayout(self.held_box)
        held.addLayout(held_row)
        held.addWidget(self.held_hint)
        held.addStretch(1)

        self.verify_box = QGroupBox()
        self.verify_box.setObjectName("verify_minutes_box")
        self.verify_result = selectable(QLabel())
        self.verify_result.setObjectName("minutes_check")
        self.verify_result.setWordWrap(True)
        self.verify_hint = hint(QLabel())
        verify_row = QHBoxLayout()
        verify_row.addWidget(self._button(self.action_verify_minutes))
        verify_row.addStretch(1)
        verify = QVBoxLayout(self.verify_box)
        verify.addWidget(self.verify_hint)
        verify.addWidget(self.verify_result)
        verify.addStretch(1)
        verify.addLayout(verify_row)

    # -- language --------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.device_box.setTitle(_("This device"))
        self.device_name.setAccessibleName(_("Device name: {name}", name=self.me.name))
        self.device_role.setText(vocab.ROLE.label(self.me.role))
        self.device_role.setAccessibleName(_("Role: {role}", role=self.device_role.text()))
        self.device_id.setText(_("Device id: {id}", id=self.me.device_id))
        self.device_id.setAccessibleName(self.device_id.text())
        self.fingerprint_caption.setText(_("Fingerprint:"))
        self.fingerprint.setAccessibleName(_("Fingerprint: {fp}", fp=self.me.fingerprint()))
        self.fingerprint_hint.setText(_("Read it aloud to the people who import your card, by "
                                        "phone or in person: they check that it matches."))
        self.action_export_card.setText(_("Export my card…"))
        self.action_export_card.setToolTip(_("Save this device's contact card to a file, for "
                                             "the devices you sync with"))

        self.bundle_box.setTitle(_("Bundles"))
        self.recipient_label.setText(_("Bundle &for:"))
        self.recipient.setAccessibleName(_("Device the bundle is for"))
        self.action_export_bundle.setText(_("Export a bundle…"))
        self.action_export_bundle.setToolTip(_("Write what the chosen device lacks (or "
                                               "everything) to an encrypted file"))
        self.action_import_bundles.setText(_("Import bundles…"))
        self.action_import_bundles.setToolTip(_("Read bundles other devices wrote for this one"))
        self.bundle_hint.setText(_("A bundle is one encrypted file: carry it on a USB stick or "
                                   "send it by e-mail. It is also encrypted to the ministry "
                                   "devices this one trusts."))
        self.summary.setAccessibleName(_("Result of the last import or export"))
        self.summary_detail.setAccessibleName(_("Details of the last import or export"))

        self.peers_box.setTitle(_("Trusted devices"))
        self.peers_table.setAccessibleName(_("Trusted devices"))
        self.peers_empty.setText(_("No other device yet. Exchange contact cards with the devices "
                                   "you sync with: each one adds the other's card."))
        self.action_add_peer.setText(_("Add a peer's card…"))
        self.action_add_peer.setToolTip(_("Trust another device after checking its fingerprint"))

        self.folder_box.setTitle(_("Sync folder"))
        self.folder_hint.setText(_("A USB stick or a shared folder that devices visit in turn. "
                                   "While it is there, JSD Desk imports the bundles in it and "
                                   "writes its own."))
        self.action_choose_folder.setText(_("Choose a folder…"))
        self.action_choose_folder.setToolTip(_("Choose the USB stick or shared folder to sync "
                                               "through"))
        self.action_sync_now.setText(_("Sync now"))
        self.action_sync_now.setToolTip(_("Import the bundles in the sync folder and write "
                                          "this device's"))
        self.action_forget_folder.setText(_("Stop using it"))
        self.action_forget_folder.setToolTip(_("Stop syncing through this folder"))

        self.outbox_box.setTitle(_("Outbox"))
        self.outbox_table.setAccessibleName(_("Outbox"))
        self.outbox_empty.setText(_("No bundle is waiting for acknowledgement."))
        self.outbox_hint.setText(_("Bundles written here stay listed until their devices "
                                   "acknowledge them by sending a bundle back."))

        self.held_box.setTitle(_("Held aside"))
        self.verify_box.setTitle(_("Printed minutes"))
        self.held_hint.setText(_("Events stamped too far in the future, or that follow a "
                                 "missing one, wait here. Release applies those whose time has "
                                 "come or whose gap is filled."))
        self.action_release_held.setText(_("Release"))
        self.action_release_held.setToolTip(_("Apply the held events that can be applied now"))
        self.action_verify_minutes.setText(_("Verify a minutes PDF…"))
        self.action_verify_minutes.setToolTip(_("Check whether printed minutes still match the "
                                                "records"))
        self.verify_hint.setText(_("Checks whether a minutes PDF still matches the records of "
                                   "its session, or what has changed since it was made."))
        self.verify_result.setAccessibleName(_("Result of the minutes check"))
        self.peers_model.retranslate()
        self.outbox_model.retranslate()
        self._update_texts()

    def _update_texts(self) -> None:
        """Texts that depend on the data as well as the language."""
        self.tabs.setTabText(0, _("Devices and bundles"))
        self.tabs.setTabText(1, _("Conflicts ({n})", n=self._conflicts))
        self.action_show_conflicts.setText(_("Review conflicts ({n})", n=self._conflicts))
        self.action_show_conflicts.setToolTip(_("Fields two devices changed before they synced"))
        last = sync_service.last_sync(self.ctx.store)
        self.last_sync.setText(_("Last sync: {when}", when=last.strftime("%Y-%m-%d %H:%M"))
                               if last else _("Last sync: never"))
        self.last_sync.setAccessibleName(self.last_sync.text())
        self.held_label.setText(ngettext("{n} event held aside", "{n} events held aside",
                                         self._held) if self._held else
                                _("No event is held aside."))
        self.held_label.setAccessibleName(self.held_label.text())
        self._update_folder_texts()
        self._fill_recipients()

    def _update_folder_texts(self) -> None:
        folder = sync_service.sync_folder(self.ws)
        shown = str(folder) if folder else _("none chosen")
        # A path has no spaces: let it wrap after each separator instead of being cut.
        self.folder_path.setText(_("Folder: {path}", path=shown.replace(
            "/", "/\u200b").replace("\\", "\\\u200b")))
        self.folder_path.setToolTip(shown)
        self.folder_path.setAccessibleName(_("Folder: {path}", path=shown))
        if folder is None:
            state = _("Choose a folder to sync through a USB stick or a shared drive.")
        elif self.busy() and self._folder_present:
            state = _("Syncing…")
        elif self._folder_present:
            state = _("Connected: checked every few seconds.")
        elif self._folder_present is False:
            state = _("Not connected. Plug in the USB stick or connect the drive; the sync "
                      "starts by itself.")
        else:
            state = ""
        self.folder_state.setText(state)
        self.folder_state.setAccessibleName(state)
        self.folder_result.setText(self._folder_message)
        busy = self.busy()
        self.action_sync_now.setEnabled(folder is not None and not busy)
        self.action_forget_folder.setEnabled(folder is not None)

    # -- data ------------------------------------------------------------------------------------

    def _refresh(self) -> None:
        peers = sync_service.list_peers(self.ws)
        self._names.clear()
        self._names.update({p.info.device_id: p.info.name for p in peers})
        others = [p for p in peers if not p.is_self]
        self.peers_model.set_rows(others)
        self.peers_table.setVisible(bool(others))
        self.peers_empty.setVisible(not others)
        self._peers = others
        self.outbox_model.set_rows(sync_service.outbox(self.ws, include_acknowledged=True))
        self.outbox_table.setVisible(self.outbox_model.rowCount() > 0)
        self.outbox_empty.setVisible(self.outbox_model.rowCount() == 0)
        self._held = sync_service.held_count(self.ws)
        self.action_release_held.setEnabled(self._held > 0 and not self.busy())
        self.held_label.setToolTip("\n".join(
            _("{device} #{seq}: {reason}", device=h.device_name or h.device_id[:8], seq=h.seq,
              reason=held_reason(h.reason))
            for h in sync_service.held_aside(self.ws)[:12]))
        self.conflicts.refresh()
        self._update_texts()

    def _fill_recipients(self) -> None:
        chosen = self.recipient.currentData()
        peers = [p for p in self._peers if p.trusted]
        self.recipient.blockSignals(True)
        self.recipient.clear()
        self.recipient.addItem(_("All trusted devices"), None)
        for p in peers:
            self.recipient.addItem(_("{name} ({role})", name=p.info.name,
                                     role=vocab.ROLE.label(p.info.role)), p.info.device_id)
        index = self.recipient.findData(chosen) if chosen else -1
        if index < 0:
            index = 1 if len(peers) == 1 else 0
        self.recipient.setCurrentIndex(index)
        self.recipient.blockSignals(False)
        self.action_export_bundle.setEnabled(bool(peers) and not self.busy())

    def _conflicts_counted(self, n: int) -> None:
        self._conflicts = n
        self.action_show_conflicts.setVisible(n > 0)
        self.tabs.setTabText(1, _("Conflicts ({n})", n=n))
        self.action_show_conflicts.setText(_("Review conflicts ({n})", n=n))

    def records_changed(self, entities: frozenset[str]) -> None:
        self._folder_dirty = True  # the next folder pass has something to send

    def can_refresh_now(self) -> bool:
        return not self.busy()  # the page re-reads when its operation ends (_set_busy)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.conflicts:
            self.conflicts.refresh()

    def show_conflicts(self) -> None:
        self.tabs.setCurrentWidget(self.conflicts)

    # -- background work ---------------------------------------------------------------------------

    def busy(self) -> bool:
        """Whether a background call started here has not yet delivered its outcome."""
        return self._running

    def _set_busy(self, busy: bool) -> None:
        self._running = busy
        for action in (self.action_export_bundle, self.action_import_bundles,
                       self.action_sync_now, self.action_release_held, self.action_add_peer):
            action.setEnabled(not busy)
        if not busy:
            self.refresh()

    def _run(self, title: str, work: Any, on_success: Any, *, quiet: bool = False,
             on_failure: Any = None) -> Operation:
        self._set_busy(True)

        def failed(exc: BaseException) -> None:
            if on_failure is not None:
                on_failure(exc)
            else:
                # A refused bundle (or file) says so in one sentence, and nothing else happens.
                message_box(self, title, error_text(exc), warning=True)

        op = run_operation(self, title, work, on_success=on_success, on_failure=failed,
                           show_progress=not quiet)
        op.cancelled.connect(lambda: self.ctx.signals.status_message.emit(
            _("Cancelled; nothing was changed.")))
        op.finished.connect(lambda: self._set_busy(False))
        self.operation = op
        return op

    # -- cards and peers -------------------------------------------------------------------------

    def _save_path(self, title: str, name: str, filter_msgid: str) -> Path | None:
        path, _filter = QFileDialog.getSaveFileName(self, title, str(Path(self._last_dir) / name),
                                                    _(filter_msgid))
        if not path:
            return None
        self._last_dir = str(Path(path).parent)
        return Path(path)

    def export_card(self) -> Path | None:
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in self.me.name).strip("-")
        out = self._save_path(_("Export my card"), f"{safe or 'device'}.jsdcard", CARD_FILTER)
        if out is None:
            return None
        try:
            sync_service.export_card(self.ws, out)
        except JsdError as exc:
            QMessageBox.warning(self, _("Export my card"), exc.message())
            return None
        self.summary.setText(_("Contact card saved."))
        self.summary_detail.setText(_("Give {file} to the other device's owner, then read out "
                                      "the fingerprint {fp} to them.", file=out.name,
                                      fp=self.me.fingerprint()))
        self.ctx.signals.status_message.emit(_("Contact card saved to {path}.", path=str(out)))
        return out

    def add_peer(self) -> bool:
        """Read a card, show its fingerprint, and trust it only once the user confirmed it."""
        path, _filter = QFileDialog.getOpenFileName(self, _("Add a peer's card"), self._last_dir,
                                                    _(CARD_FILTER))
        if not path:
            return False
        self._last_dir = str(Path(path).parent)
        title = _("Add a peer's card")
        try:
            info = sync_service.read_card(Path(path))
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
        self.summary.setText(message)
        self.summary_detail.setText(_("This is a ministry device: every bundle will also be "
                                      "encrypted to it.") if added.ministry else "")
        self.ctx.signals.status_message.emit(message)
        self.refresh()
        return True

    # -- bundles ---------------------------------------------------------------------------------

    def export_bundle(self) -> Operation | None:
        to = self.recipient.currentData()
        peer = next((p.info for p in self._peers if p.info.device_id == to), None)
        name = default_bundle_name(self.me, peer, dt.date.today())
        out = self._save_path(_("Export a bundle"), name, BUNDLE_FILTER)
        if out is None:
            return None
        ws = self.ws

        def work(progress: Progress) -> sync_service.ExportSummary:
            if to is None:
                return sync_service.export_bundle(ws, out, everything=True, progress=progress)
            return sync_service.export_bundle(ws, out, to=str(to), progress=progress)

        def done(summary: sync_service.ExportSummary) -> None:
            names = ", ".join(d.name for d in summary.recipients)
            self.summary.setText(ngettext("Bundle written: {n} event", "Bundle written: {n} events",
                                          summary.events))
            self.summary_detail.setText(_("{file}, encrypted to {names}. It stays in the outbox "
                                          "until acknowledged.", file=summary.path.name,
                                          names=names))
            self.ctx.signals.status_message.emit(_("Bundle saved to {path}.",
                                                   path=str(summary.path)))

        return self._run(_("Exporting a bundle"), work, done)

    def import_bundles(self, paths: list[Path] | None = None) -> Operation | None:
        if paths is None:
            chosen, _filter = QFileDialog.getOpenFileNames(self, _("Import bundles"),
                                                           self._last_dir, _(BUNDLE_FILTER))
            if not chosen:
                return None
            self._last_dir = str(Path(chosen[0]).parent)
            paths = [Path(p) for p in chosen]
        ws, files = self.ws, list(paths)

        def work(progress: Progress) -> list[ImportReport]:
            return sync_service.import_bundles(ws, files, progress=progress)

        def done(reports: list[ImportReport]) -> None:
            line = import_summary(reports)
            self.summary.setText(line)
            senders = ", ".join(dict.fromkeys(r.sender.name for r in reports))
            details = [ngettext("From {senders}, {n} bundle.", "From {senders}, {n} bundles.",
                                len(reports), senders=senders)]
            if any(r.gaps for r in reports):
                details.append(_("Some events are missing from a device's sequence; those after "
                                 "the gap wait until the bundle that carries it arrives."))
            if any(r.conflicts for r in reports):
                details.append(_("Review the conflicts to choose which values to keep."))
            self.summary_detail.setText(" ".join(details))
            self.ctx.signals.status_message.emit(line)

        return self._run(_("Importing bundles"), work, done)

    def release_held(self) -> int:
        try:
            n = sync_service.release_held(self.ws)
        except JsdError as exc:
            QMessageBox.warning(self, _("Release"), exc.message())
            return 0
        message = ngettext("{n} held event applied.", "{n} held events applied.", n) if n else \
            _("No held event can be applied yet.")
        self.ctx.signals.status_message.emit(message)
        self.summary.setText(message)
        self.summary_detail.setText("")
        self.refresh()
        return n

    # -- the sync folder -------------------------------------------------------------------------

    def choose_sync_folder(self) -> Path | None:
        current = sync_service.sync_folder(self.ws)
        path = QFileDialog.getExistingDirectory(self, _("Choose the sync folder"),
                                                str(current) if current else self._last_dir)
        if not path:
            return None
        return self.set_sync_folder(Path(path))

    def set_sync_folder(self, folder: Path | None) -> Path | None:
        try:
            sync_service.set_sync_folder(self.ws, folder)
        except (JsdError, OSError) as exc:
            QMessageBox.warning(self, _("Sync folder"), error_text(exc))
            return None
        self._folder_present = None
        self._folder_message = ""
        self._folder_memory = FolderMemory()
        if folder is None:
            self.folder_timer.stop()
        else:
            self.folder_timer.start()
            self.check_folder()
        self._update_folder_texts()
        return sync_service.sync_folder(self.ws)

    def forget_sync_folder(self) -> None:
        self.set_sync_folder(None)

    def check_folder(self) -> bool:
        """Timer tick: is the folder there (a service call)? Run a pass when it just appeared,
        when this device changed something, or once a minute. True when a pass was started."""
        if sync_service.sync_folder(self.ws) is None:
            self.folder_timer.stop()
            return False
        present = sync_service.sync_folder_available(self.ws)
        appeared = present and not self._folder_present
        self._folder_present = present
        due = time.monotonic() - self._folder_last_pass >= self.FOLDER_REPASS_S
        started = False
        if present and not self.busy() and (appeared or self._folder_dirty or due):
            started = self.sync_now(quiet=True) is not None
        self._update_folder_texts()
        return started

    def sync_now(self, *, quiet: bool = False) -> Operation | None:
        if sync_service.sync_folder(self.ws) is None or self.busy():
            return None
        ws, memory = self.ws, self._folder_memory
        self._folder_dirty = False
        self._folder_last_pass = time.monotonic()

        def work(progress: Progress) -> FolderReport:
            return sync_service.run_sync_folder(ws, memory=memory, progress=progress)

        def done(report: FolderReport) -> None:
            self._folder_present = True
            self._folder_message = folder_summary(report)
            if report.imported:
                reports = [r for _p, r in report.imported]
                self.summary.setText(import_summary(reports))
                self.summary_detail.setText(_("From the sync folder."))
            if not quiet:
                self.ctx.signals.status_message.emit(self._folder_message)

        def failed(exc: BaseException) -> None:
            self._folder_message = error_text(exc)
            self._folder_present = sync_service.sync_folder_available(self.ws)
            if not quiet:
                message_box(self, _("Sync folder"), self._folder_message, warning=True)

        op = self._run(_("Syncing through the folder"), work, done, quiet=quiet,
                       on_failure=failed)
        self._update_folder_texts()
        return op

    # -- minutes ---------------------------------------------------------------------------------

    def verify_minutes(self, path: Path | None = None) -> Operation | None:
        def shown(text: str) -> None:
            self.verify_result.setText(text)

        return verify_minutes_file(self, self.ctx, path, on_result=shown)
