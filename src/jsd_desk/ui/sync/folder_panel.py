"""The Sync page's "Sync folder" panel: the USB stick or shared folder devices visit in turn.

A timer asks the service every few seconds whether the folder is there, and runs a pass in
the background when it appears, when this device has changed something since the last pass,
or once a minute.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import _
from jsd_desk.services import sync as sync_service
from jsd_desk.sync.folder import FolderMemory, FolderReport
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.minutes_dialog import message_box
from jsd_desk.ui.operations import Operation, Progress, error_text
from jsd_desk.ui.sync.columns import folder_summary, import_summary
from jsd_desk.ui.sync.jobs import SyncJobs
from jsd_desk.ui.sync.panel import SyncPanel
from jsd_desk.ui.sync.widgets import hint


class FolderPanel(SyncPanel):
    # How often the folder's presence is checked, and how often a pass runs while it stays.
    FOLDER_CHECK_MS = 5000
    FOLDER_REPASS_S = 60.0

    def __init__(self, ctx: UiContext, jobs: SyncJobs, parent: QWidget | None = None) -> None:
        super().__init__("sync_folder_box", ctx, jobs, parent)
        self._memory = FolderMemory()
        self._present: bool | None = None
        self._dirty = True
        self._last_pass = 0.0
        self._message = ""
        sp = QStyle.StandardPixmap
        self.action_choose_folder = self._action("action_choose_sync_folder",
                                                 self.choose_sync_folder, sp.SP_DirOpenIcon)
        self.action_forget_folder = self._action("action_forget_sync_folder",
                                                 self.forget_sync_folder, sp.SP_DialogCloseButton)
        self.action_sync_now = self._action("action_sync_now", self.sync_now,
                                            sp.SP_BrowserReload)
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.folder_hint)
        layout.addWidget(self.folder_path)
        layout.addWidget(self.folder_state)
        layout.addWidget(self.folder_result)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.timer = QTimer(self)
        self.timer.setObjectName("sync_folder_timer")
        self.timer.setInterval(self.FOLDER_CHECK_MS)
        self.timer.timeout.connect(self.check_folder)
        self.retranslate_ui()

    def start_watching(self) -> None:
        """Watch the chosen folder from now on (it may be there already)."""
        if sync_service.sync_folder(self.ws) is not None:
            self.timer.start()
            QTimer.singleShot(0, self.check_folder)

    def mark_dirty(self) -> None:
        """This device changed something: the next pass has something to send."""
        self._dirty = True

    def set_busy(self, busy: bool) -> None:
        self.action_sync_now.setEnabled(not busy)

    def retranslate_ui(self) -> None:
        self.setTitle(_("Sync folder"))
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
        self.update_texts()

    def update_texts(self) -> None:
        folder = sync_service.sync_folder(self.ws)
        shown = str(folder) if folder else _("none chosen")
        # A path has no spaces: let it wrap after each separator instead of being cut.
        self.folder_path.setText(_("Folder: {path}", path=shown.replace(
            "/", "/\u200b").replace("\\", "\\\u200b")))
        self.folder_path.setToolTip(shown)
        self.folder_path.setAccessibleName(_("Folder: {path}", path=shown))
        busy = self.jobs.busy()
        if folder is None:
            state = _("Choose a folder to sync through a USB stick or a shared drive.")
        elif busy and self._present:
            state = _("Syncing…")
        elif self._present:
            state = _("Connected: checked every few seconds.")
        elif self._present is False:
            state = _("Not connected. Plug in the USB stick or connect the drive; the sync "
                      "starts by itself.")
        else:
            state = ""
        self.folder_state.setText(state)
        self.folder_state.setAccessibleName(state)
        self.folder_result.setText(self._message)
        self.action_sync_now.setEnabled(folder is not None and not busy)
        self.action_forget_folder.setEnabled(folder is not None)

    def choose_sync_folder(self) -> Path | None:
        current = sync_service.sync_folder(self.ws)
        path = QFileDialog.getExistingDirectory(self, _("Choose the sync folder"),
                                                str(current) if current else self.jobs.last_dir)
        if not path:
            return None
        return self.set_sync_folder(Path(path))

    def set_sync_folder(self, folder: Path | None) -> Path | None:
        try:
            sync_service.set_sync_folder(self.ws, folder)
        except (JsdError, OSError) as exc:
            QMessageBox.warning(self, _("Sync folder"), error_text(exc))
            return None
        self._present = None
        self._message = ""
        self._memory = FolderMemory()
        if folder is None:
            self.timer.stop()
        else:
            self.timer.start()
            self.check_folder()
        self.update_texts()
        return sync_service.sync_folder(self.ws)

    def forget_sync_folder(self) -> None:
        self.set_sync_folder(None)

    def check_folder(self) -> bool:
        """Timer tick: is the folder there (a service call)? Run a pass when it just appeared,
        when this device changed something, or once a minute. True when a pass was started."""
        if sync_service.sync_folder(self.ws) is None:
            self.timer.stop()
            return False
        present = sync_service.sync_folder_available(self.ws)
        appeared = present and not self._present
        self._present = present
        due = time.monotonic() - self._last_pass >= self.FOLDER_REPASS_S
        started = False
        if present and not self.jobs.busy() and (appeared or self._dirty or due):
            started = self.sync_now(quiet=True) is not None
        self.update_texts()
        return started

    def sync_now(self, *, quiet: bool = False) -> Operation | None:
        if sync_service.sync_folder(self.ws) is None or self.jobs.busy():
            return None
        ws, memory = self.ws, self._memory
        self._dirty = False
        self._last_pass = time.monotonic()

        def work(progress: Progress) -> FolderReport:
            return sync_service.run_sync_folder(ws, memory=memory, progress=progress)

        def done(report: FolderReport) -> None:
            self._present = True
            self._message = folder_summary(report)
            if report.imported:
                reports = [r for _p, r in report.imported]
                self.reported.emit(import_summary(reports), _("From the sync folder."))
            if not quiet:
                self.ctx.signals.status_message.emit(self._message)

        def failed(exc: BaseException) -> None:
            self._message = error_text(exc)
            self._present = sync_service.sync_folder_available(self.ws)
            if not quiet:
                message_box(self, _("Sync folder"), self._message, warning=True)

        op = self.jobs.run(self, _("Syncing through the folder"), work, done, quiet=quiet,
                           on_failure=failed)
        self.update_texts()
        return op
