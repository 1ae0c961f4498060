"""Long work off the GUI thread, with progress and cancel (DESIGN §3).

A service call runs in a ``QThreadPool`` worker; its progress callback, its result and its error
come back as signals delivered on the GUI thread, so the caller never touches a widget from a
worker. Cancelling is cooperative: the next progress report raises ``Cancelled`` inside the work,
so a service that reports progress inside its transaction rolls back and leaves nothing half done.

    op = run_operation(self, _("Loading demo data"), lambda progress: add_demo_activity(
        store, options, progress=progress), on_success=self.show_summary)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import _


class Cancelled(Exception):
    """Raised inside the work by its progress callback once the user asked to cancel."""


class Progress:
    """Given to the work: call it with (done, total); ``cancelled()`` tells whether the user
    asked to stop, for services that take a cancel check of their own."""

    def __init__(self, op: Operation) -> None:
        self._op = op

    def __call__(self, done: int, total: int) -> None:
        self._op._progress(done, total)

    def cancelled(self) -> bool:
        return self._op.is_cancel_requested


Work = Callable[[Progress], Any]


class Operation(QObject):
    """One background call. Signals arrive on the thread that created the operation (the GUI)."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal()
    _deliver_signal = Signal(object)  # worker → GUI thread

    # Operations still running, so Python does not collect one whose caller dropped it.
    _running: ClassVar[set[Operation]] = set()

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        self.was_cancelled = False
        self.progress_view: _ProgressView | None = None
        self._deliver_signal.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def start(self, pool: QThreadPool | None = None) -> Operation:
        Operation._running.add(self)
        (pool or QThreadPool.globalInstance()).start(_Runner(self))
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def is_finished(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until the worker is done (tests, shutdown); signals still need the event loop."""
        return self._done.wait(timeout_ms / 1000)

    # -- called in the worker thread -------------------------------------------------------------

    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.progressed.emit(done, total)

    def _execute(self) -> None:
        outcome: tuple[str, Any]
        try:
            if self._cancel.is_set():
                raise Cancelled
            outcome = ("ok", self._work(Progress(self)))
        except Cancelled:
            outcome = ("cancelled", None)
        except Exception as exc:
            outcome = ("error", exc)
        self._done.set()
        # Signals emitted from the worker are queued to the GUI thread's receivers.
        self._deliver_signal.emit(outcome)

    def _deliver(self, outcome: tuple[str, Any]) -> None:
        kind, value = outcome
        if kind == "ok":
            self.result = value
            self.succeeded.emit(value)
        elif kind == "cancelled":
            self.was_cancelled = True
            self.cancelled.emit()
        else:
            self.error = value
            self.failed.emit(value)
        self.finished.emit()
        Operation._running.discard(self)


class _Runner(QRunnable):
    def __init__(self, op: Operation) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._op = op

    def run(self) -> None:
        self._op._execute()


def error_text(exc: BaseException) -> str:
    """One sentence for a person: our errors carry it; anything else is an unexpected fault."""
    if isinstance(exc, JsdError):
        return exc.message()
    return _("Something went wrong: {reason}", reason=str(exc) or type(exc).__name__)


class _ProgressView:
    """The progress dialog of one operation, safe against its own re-entrancy.

    A modal ``QProgressDialog.setValue`` runs ``processEvents()``: the queued progress reports
    and the operation's ``finished`` are delivered *inside* it. Deleting the dialog there (its
    ``deleteLater`` is honoured by the next, shallower ``processEvents``) returned into a
    ``setValue`` of a deleted object: the segmentation fault in libQt6Widgets some seconds after
    start-up with ``--demo``, in one launch of a few. So reports that arrive while a
    ``setValue`` is running only update the latest value, and the dialog is deleted only once
    no ``setValue`` of it is on the stack.
    """

    def __init__(self, op: Operation, title: str, parent: QWidget, delay_ms: int) -> None:
        self._op = op
        self._busy = False
        self._closed = False
        self._latest: tuple[int, int] | None = None
        dialog = self._dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
        dialog.setObjectName("operation_progress")
        dialog.setWindowTitle(title)
        dialog.setAccessibleName(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(delay_ms)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(op.cancel)
        op.progressed.connect(self.on_progress)
        op.finished.connect(self.close)

    def on_progress(self, done: int, total: int) -> None:
        if self._closed:
            return
        self._latest = (done, total)
        if self._busy:  # delivered from inside our own setValue: the outer call shows it
            return
        self._busy = True
        try:
            while self._latest is not None and not self._closed:
                done, total = self._latest
                self._latest = None
                self._dialog.setMaximum(max(total, 0))
                self._dialog.setValue(min(done, total) if total > 0 else 0)
        finally:
            self._busy = False
        if self._closed:  # the operation finished while setValue was processing events
            self._dialog.deleteLater()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._op.progressed.disconnect(self.on_progress)
        self._dialog.canceled.disconnect(self._op.cancel)
        self._dialog.hide()
        if not self._busy:
            self._dialog.deleteLater()


def run_operation(parent: QWidget, title: str, work: Work, *,
                  on_success: Callable[[Any], None] | None = None,
                  on_failure: Callable[[BaseException], None] | None = None,
                  show_progress: bool = True, delay_ms: int = 400) -> Operation:
    """Start ``work`` in the background; a progress dialog with Cancel appears if it takes
    longer than ``delay_ms``. Failures go to ``on_failure`` (default: the parent's status bar
    or a message box)."""
    op = Operation(work, parent)
    if show_progress:
        # Held by the operation: the connections alone would not keep it alive.
        op.progress_view = _ProgressView(op, title, parent, delay_ms)
    if on_success is not None:
        op.succeeded.connect(on_success)

    def failed(exc: BaseException) -> None:
        if on_failure is not None:
            on_failure(exc)
        else:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(parent, title, error_text(exc))

    op.failed.connect(failed)
    # Start on the next turn of the event loop, after the caller has connected its own slots.
    QTimer.singleShot(0, op.start)
    return op
