"""The Sync page's "Import a folder" panel: a ministry imports a whole folder of bundles (a USB
stick from a region, a shared drive) with a progress bar and Cancel, off the GUI thread.

The work is ``services.folder_import.import_folder``, the same as ``jsd-desk bundle import DIR``:
each bundle all or nothing, the files it cannot import listed with their reason, the rest
imported; cancelled or interrupted, it is simply run again (finished bundles are recognised).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.i18n import _
from jsd_desk.services import folder_import as fi
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.language import Retranslatable
from jsd_desk.ui.operations import Operation, error_text, run_operation


class _Relay(QObject):
    """Carries the worker's per-file results and progress to the GUI thread (queued)."""

    file_done = Signal(object)
    progressed = Signal(int, int)


class FolderImportPanel(Retranslatable, QGroupBox):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("folder_import_box")
        self.operation: Operation | None = None
        self.report: fi.FolderImportReport | None = None
        self._cancel = threading.Event()
        self._last_dir = QDir.homePath()
        self._relay = _Relay(self)
        self._relay.file_done.connect(self._file_done)
        self._relay.progressed.connect(self._progressed)

        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.choose_button = QPushButton()
        self.choose_button.setObjectName("action_import_folder")
        self.choose_button.clicked.connect(lambda _checked=False: self.choose_folder())
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("action_cancel_folder_import")
        self.cancel_button.clicked.connect(lambda _checked=False: self.cancel())
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setObjectName("folder_import_progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.summary = QLabel()
        self.summary.setObjectName("folder_import_summary")
        self.summary.setWordWrap(True)
        self.files = QListWidget()
        self.files.setObjectName("folder_import_files")
        self.files.setWordWrap(True)
        self.files.setAlternatingRowColors(True)
        self.files.setMinimumHeight(90)

        row = QHBoxLayout()
        row.addWidget(self.choose_button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.files, 1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Import a folder of bundles"))
        self.hint.setText(_("Every bundle in the folder and its subfolders is imported, each one "
                            "whole or not at all. Files that are not bundles, cannot be read or "
                            "are meant for other devices are listed and left aside. Stopped "
                            "midway, it can simply be run again: nothing is lost or doubled."))
        self.choose_button.setText(_("Choose a folder…"))
        self.choose_button.setAccessibleName(_("Import a folder of bundles"))
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel the folder import"))
        self.progress.setAccessibleName(_("Folder import progress"))
        self.files.setAccessibleName(_("Files of the folder"))
        if self.report is not None:
            self.summary.setText(fi.describe(self.report))

    # -- running ---------------------------------------------------------------------------------

    def busy(self) -> bool:
        return self.operation is not None and not self.operation.is_finished()

    def choose_folder(self) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self, _("Import a folder of bundles"),
                                                  self._last_dir)
        if not folder:
            return None
        self._last_dir = folder
        self.import_folder(Path(folder))
        return Path(folder)

    def import_folder(self, folder: Path) -> Operation | None:
        """Import ``folder`` in the background (tests call this directly)."""
        if self.busy():
            return None
        self._cancel = threading.Event()
        cancel, relay, ws = self._cancel, self._relay, self.ctx.workspace
        self.files.clear()
        self.report = None
        self.summary.setText(_("Importing {path}…", path=str(folder)))
        self.progress.setRange(0, 0)  # busy until the files are counted
        self.choose_button.setEnabled(False)
        self.cancel_button.setEnabled(True)

        def work(_progress: Any) -> fi.FolderImportReport:
            return fi.import_folder(ws, [folder], cancel=cancel, on_file=relay.file_done.emit,
                                    progress=relay.progressed.emit)

        self.operation = run_operation(self, _("Import a folder of bundles"), work,
                                       show_progress=False, on_success=self._finished,
                                       on_failure=self._failed)
        self.operation.finished.connect(self._idle)
        return self.operation

    def cancel(self) -> None:
        """Stop after the bundle being imported (or inside it: it is rolled back)."""
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.summary.setText(_("Stopping…"))

    # -- results (GUI thread) ------------------------------------------------------------------------

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))

    def _file_done(self, result: fi.FileResult) -> None:
        if result.outcome == fi.IMPORTED and result.report is not None:
            r = result.report
            text = _("imported: {new} new · {known} already known · {conflicts} conflicts · "
                     "{held} held aside", new=r.new, known=r.known, conflicts=r.conflicts,
                     held=r.held)
        elif result.outcome == fi.ALREADY:
            text = _("already imported")
        else:
            text = _("skipped: {reason}", reason=result.reason_text())
        item = QListWidgetItem(f"{result.path.name} — {text}")
        item.setToolTip(f"{result.path}\n{text}")
        item.setData(Qt.ItemDataRole.UserRole, result.outcome)
        self.files.addItem(item)
        self.files.scrollToBottom()

    def _finished(self, report: fi.FolderImportReport) -> None:
        self.report = report
        text = fi.describe(report)
        if report.cancelled:
            text = _("Cancelled; the bundles already imported are kept.") + " " + text
        self.summary.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(error_text(exc))

    def _idle(self) -> None:
        self.choose_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
