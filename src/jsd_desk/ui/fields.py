"""Autosaving field editors: no Save button to forget (issue 3, "Editing").

An ``AutosaveField`` binds one editor widget to one record field. It saves through a service
call when the user leaves the field or pauses typing for ``PAUSE_MS``, so the event log records
finished edits, not keystrokes, and a power cut loses at most the last second of typing.

A refused value (a date that does not parse, a negative count, a text too long) is explained
under the field in the user's language; the typed text stays in the editor until the user fixes
it, and the record keeps its previous value. Each saved edit is pushed on the undo stack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QSizePolicy, QVBoxLayout, QWidget

from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import _
from jsd_desk.ui.undo import push_edit

PAUSE_MS = 1000
# QLineEdit silently cuts a paste at 32,767 characters; a longer paste must reach the service
# so that it is refused with a reason instead of being truncated behind the user's back.
LINE_MAX = 1_000_000

Kind = Literal["text", "date", "datetime", "code"]
Editor = QLineEdit | QPlainTextEdit | QComboBox


class ErrorLabel(QLabel):
    """The inline message under a field; re-renders itself when the language changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error: JsdError | None = None
        self.setWordWrap(True)
        self.setVisible(False)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.WindowText, QColor("#d0342c"))
        self.setPalette(pal)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def show_error(self, error: JsdError | None) -> None:
        self.error = error
        self.setText(error.message() if error is not None else "")
        self.setAccessibleName(self.text())
        self.setVisible(error is not None)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange and self.error is not None:
            self.setText(self.error.message())
            self.setAccessibleName(self.text())
        super().changeEvent(event)


def to_text(value: Any, kind: Kind) -> str:
    """A stored value as the editor shows it."""
    if value is None:
        return ""
    if kind == "datetime" and isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if kind == "datetime" and isinstance(value, str):
        return value.replace("T", " ")[:16]
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class AutosaveField(QObject):
    """Binds ``editor`` to one field. ``write(value)`` saves through a service and raises a
    ``JsdError`` to refuse it; ``describe()`` names the field for the undo menu."""

    saved = Signal(object, object)  # old text, new text

    def __init__(self, editor: Editor, field: str, write: Callable[[Any], None], *,
                 kind: Kind = "text", undo_stack: Any = None,
                 describe: Callable[[], str] | None = None, pause_ms: int = PAUSE_MS) -> None:
        super().__init__(editor)
        self.editor = editor
        self.field = field
        self.kind: Kind = "code" if isinstance(editor, QComboBox) else kind
        self._write = write
        self._undo = undo_stack
        self._describe = describe or (lambda: field)
        self._saved_text = self._current()
        self._dirty = False
        self._loading = False
        editor.setObjectName(field)
        if isinstance(editor, QLineEdit):
            editor.setMaxLength(LINE_MAX)
        self.error_label = ErrorLabel()
        self.error_label.setObjectName(f"{field}_error")
        # Editor and message travel together in forms.
        self.container = QWidget()
        box = QVBoxLayout(self.container)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(editor)
        box.addWidget(self.error_label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(pause_ms)
        self._timer.timeout.connect(self.flush)
        if isinstance(editor, QComboBox):
            editor.activated.connect(self._combo_chosen)
        elif isinstance(editor, QLineEdit):
            editor.textEdited.connect(self._edited)
            editor.editingFinished.connect(self.flush)
        else:
            editor.textChanged.connect(self._edited)
        editor.installEventFilter(self)

    # -- reading and writing the editor ----------------------------------------------------------

    def _current(self) -> str:
        e = self.editor
        if isinstance(e, QComboBox):
            data = e.currentData()
            return "" if data is None else str(data)
        if isinstance(e, QLineEdit):
            return e.text()
        return e.toPlainText()

    def _show(self, text: str) -> None:
        if not shiboken6.isValid(self.editor):
            return
        self._loading = True
        try:
            e = self.editor
            if isinstance(e, QComboBox):
                index = e.findData(text if text else None)
                e.setCurrentIndex(index)
            elif isinstance(e, QLineEdit):
                if e.text() != text:
                    e.setText(text)
            elif e.toPlainText() != text:
                e.setPlainText(text)
        finally:
            self._loading = False

    def _parse(self, text: str) -> Any:
        return text if text.strip() else None

    # -- public ----------------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self._dirty or self.error_label.error is not None

    def load(self, value: Any) -> None:
        """Show the stored value, unless the user has typed something not yet accepted: what
        was typed is never thrown away by a refresh."""
        if self.dirty:
            return
        text = to_text(value, self.kind)
        self._saved_text = text
        self._show(text)

    def set_read_only(self, read_only: bool) -> None:
        e = self.editor
        if isinstance(e, QComboBox):
            e.setEnabled(not read_only)
        else:
            e.setReadOnly(read_only)

    def flush(self) -> bool:
        """Save now if there is an unsaved edit. True when the field holds a saved value."""
        self._timer.stop()
        if not shiboken6.isValid(self.editor):
            return True
        text = self._current()
        if text == self._saved_text and self.error_label.error is None:
            self._dirty = False
            return True
        old = self._saved_text
        try:
            self._write(self._parse(text))
        except JsdError as exc:
            self._dirty = False  # not retried until the user edits again
            self.error_label.show_error(exc)
            return False
        self._dirty = False
        self._saved_text = text
        self.error_label.show_error(None)
        write, parse = self._write, self._parse  # not the editor: it may be gone at undo time
        push_edit(self._undo, _("Edit “{field}”", field=self._describe()),
                  lambda t: write(parse(t)), old, text,
                  shown=self.load_saved, on_error=self.error_label.show_error)
        self.saved.emit(old, text)
        return True

    def load_saved(self, text: str) -> None:
        """Show a value just written elsewhere (undo/redo) as the saved one."""
        self._saved_text = text
        self._dirty = False
        if shiboken6.isValid(self.error_label):
            self.error_label.show_error(None)
        self._show(text)

    # -- signals ---------------------------------------------------------------------------------

    def _edited(self, *_args: Any) -> None:
        if self._loading:
            return
        self._dirty = True
        self._timer.start()

    def _combo_chosen(self, _index: int) -> None:
        self._dirty = True
        self.flush()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False


def flush_all(root: QWidget) -> bool:
    """Save every pending edit under ``root`` (before closing, switching record or page)."""
    ok = True
    for binding in root.findChildren(AutosaveField):
        ok = binding.flush() and ok
    return ok
