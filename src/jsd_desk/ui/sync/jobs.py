"""What the Sync page's panels share: one background operation at a time (an import, an
export, a folder pass) and the folder the file dialogs last opened.

A panel starts its work through ``SyncJobs.run``; while it runs every panel disables what
would start another (``busy_changed``), and the page re-reads everything when it ends.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from jsd_desk.i18n import _
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.minutes_dialog import message_box
from jsd_desk.ui.operations import Operation, error_text, run_operation


class SyncJobs(QObject):
    busy_changed = Signal(bool)

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.operation: Operation | None = None
        self.last_dir = QDir.homePath()
        self._running = False

    def busy(self) -> bool:
        """Whether a background call started here has not yet delivered its outcome."""
        return self._running

    def _set_busy(self, busy: bool) -> None:
        self._running = busy
        self.busy_changed.emit(busy)

    def run(self, owner: QWidget, title: str, work: Any, on_success: Any, *,
            quiet: bool = False,
            on_failure: Callable[[BaseException], None] | None = None) -> Operation:
        """Run ``work`` off the GUI thread with progress (unless ``quiet``) and cancel; a
        failure is one sentence in a message box over ``owner`` unless ``on_failure`` says."""
        self._set_busy(True)

        def failed(exc: BaseException) -> None:
            if on_failure is not None:
                on_failure(exc)
            else:
                # A refused bundle (or file) says so in one sentence, and nothing else happens.
                message_box(owner, title, error_text(exc), warning=True)

        op = run_operation(owner, title, work, on_success=on_success, on_failure=failed,
                           show_progress=not quiet)
        op.cancelled.connect(lambda: self.ctx.signals.status_message.emit(
            _("Cancelled; nothing was changed.")))
        op.finished.connect(lambda: self._set_busy(False))
        self.operation = op
        return op

    def save_path(self, owner: QWidget, title: str, name: str, file_filter: str) -> Path | None:
        """Ask where to save ``name`` (``file_filter`` already translated)."""
        path, _filter = QFileDialog.getSaveFileName(owner, title, str(Path(self.last_dir) / name),
                                                    file_filter)
        if not path:
            return None
        self.last_dir = str(Path(path).parent)
        return Path(path)

    def open_paths(self, owner: QWidget, title: str, file_filter: str, *,
                   many: bool = False) -> list[Path]:
        """Ask for one file (or several with ``many``); nothing chosen is an empty list."""
        if many:
            chosen, _filter = QFileDialog.getOpenFileNames(owner, title, self.last_dir,
                                                           file_filter)
        else:
            one, _filter = QFileDialog.getOpenFileName(owner, title, self.last_dir, file_filter)
            chosen = [one] if one else []
        if not chosen:
            return []
        self.last_dir = str(Path(chosen[0]).parent)
        return [Path(p) for p in chosen]
