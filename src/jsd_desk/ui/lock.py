"""The idle lock (issue 7): after some minutes without keyboard or mouse input the main window's
contents are hidden behind an opaque panel that asks for the passphrase again.

The store stays open (a sync or an export in the background goes on), pending edits are saved
before locking, and nothing of the records stays on screen or in the accessibility tree while
locked. The passphrase is checked by ``services.unlock.verify_passphrase``, which slows down
repeated failures exactly as at start-up.

Wiring (the composition root does it once the main window exists)::

    lock = install_idle_lock(window, workspace.data_dir.root, minutes=10)

``minutes=0`` turns it off; ``lock.lock_now()`` locks at once (e.g. for a "Lock" action).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMainWindow, QPushButton, QVBoxLayout, QWidget

from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import _
from jsd_desk.services.unlock import verify_passphrase
from jsd_desk.ui.fields import ErrorLabel, flush_all
from jsd_desk.ui.language import Retranslatable

DEFAULT_MINUTES = 10
SETTING = "lock_minutes"

_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})


class LockPanel(Retranslatable, QWidget):
    """What covers the window while it is locked."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lock_panel")
        self.setAutoFillBackground(True)
        self.title = QLabel()
        self.title.setObjectName("lock_title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("lock_passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setMaximumWidth(360)
        self.error = ErrorLabel()
        self.error.setObjectName("lock_error")
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("action_unlock")
        self.unlock_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (self.title, self.passphrase, self.error, self.unlock_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("JSD Desk is locked. Enter the passphrase to continue."))
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.unlock_button.setText(_("Unlock"))
        self.unlock_button.setAccessibleName(_("Unlock"))
        self.setAccessibleName(_("Locked"))


class IdleLock(QObject):
    """Watches the application's input; locks ``window`` after ``minutes`` without any."""

    def __init__(self, window: QMainWindow, data_dir: Path, minutes: float = DEFAULT_MINUTES,
                 *, interval_ms: int | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.data_dir = Path(data_dir)
        self.panel: LockPanel | None = None
        self._hidden: list[QWidget] = []
        self._disabled: list[QAction] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock_now)
        self.set_minutes(minutes, interval_ms=interval_ms)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def locked(self) -> bool:
        return self.panel is not None

    def set_minutes(self, minutes: float, *, interval_ms: int | None = None) -> None:
        ms = interval_ms if interval_ms is not None else int(minutes * 60_000)
        self.timer.setInterval(max(ms, 0))
        if ms > 0 and not self.locked:
            self.timer.start()
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _INPUT_EVENTS and not self.locked and self.timer.interval() > 0:
            self.timer.start()  # restarts the countdown
        return False

    def lock_now(self) -> None:
        if self.locked:
            return
        flush_all(self.window)  # nothing typed is lost by locking
        # Hide what shows records, so neither the screen nor assistive tools can read them.
        self._hidden = [w for w in (self.window.centralWidget(), self.window.menuBar(),
                                    *self.window.findChildren(QWidget, options=Qt.FindChildOption
                                                              .FindDirectChildrenOnly))
                        if w is not None and w.isVisible()]
        for widget in self._hidden:
            widget.setVisible(False)
        panel = LockPanel(self.window)
        panel.setGeometry(self.window.rect())
        panel.unlock_button.clicked.connect(self._try_unlock)
        panel.passphrase.returnPressed.connect(self._try_unlock)
        panel.show()
        panel.raise_()
        panel.passphrase.setFocus()
        self.panel = panel
        # Shortcuts would still reach the hidden window's actions: off while locked.
        self._disabled = [a for a in self.window.findChildren(QAction) if a.isEnabled()]
        for action in self._disabled:
            action.setEnabled(False)

    def _try_unlock(self) -> None:
        panel = self.panel
        if panel is None:
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            verify_passphrase(self.data_dir, panel.passphrase.text())
        except JsdError as exc:
            panel.error.show_error(exc)
            panel.passphrase.selectAll()
            panel.passphrase.setFocus()
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.unlock()

    def unlock(self) -> None:
        if self.panel is None:
            return
        self.panel.passphrase.clear()
        self.panel.hide()
        self.panel.deleteLater()
        self.panel = None
        for widget in self._hidden:
            widget.setVisible(True)
        for action in self._disabled:
            action.setEnabled(True)
        self._hidden, self._disabled = [], []
        if self.timer.interval() > 0:
            self.timer.start()


def install_idle_lock(window: QMainWindow, data_dir: Path, minutes: float = DEFAULT_MINUTES,
                      *, interval_ms: int | None = None) -> IdleLock:
    lock = IdleLock(window, data_dir, minutes, interval_ms=interval_ms)

    def keep_covering() -> None:
        if lock.panel is not None:
            lock.panel.setGeometry(window.rect())

    resize_watch = _ResizeWatch(window, keep_covering)
    resize_watch.setParent(lock)
    return lock


class _ResizeWatch(QObject):
    """Keeps the panel covering the whole window when it is resized."""

    def __init__(self, window: QWidget, callback: Callable[[], None]) -> None:
        super().__init__()
        self._callback = callback
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            self._callback()
        return False
