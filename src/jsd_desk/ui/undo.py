"""Ctrl+Z for edits made in the running app.

Each saved edit becomes a command holding the old and the new value and a function that writes
a value through the service. Undo writes the old value back (a new event: the log keeps both),
redo writes the new one again. The first ``redo`` that ``QUndoStack.push`` performs does nothing:
the edit was already saved when the command was made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from jsd_desk.domain.errors import JsdError

Writer = Callable[[Any], None]


class ValueEditCommand(QUndoCommand):
    """One saved change of one value. ``write`` stores a value; ``shown`` updates the editor."""

    def __init__(self, text: str, write: Writer, old: Any, new: Any,
                 shown: Callable[[Any], None] | None = None,
                 on_error: Callable[[JsdError], None] | None = None) -> None:
        super().__init__(text)
        self._write = write
        self.old = old
        self.new = new
        self._shown = shown
        self._on_error = on_error
        self._first = True

    def _apply(self, value: Any) -> None:
        try:
            self._write(value)
        except JsdError as exc:
            # The record moved on (finalized, deleted, a rule now refuses the value): say so
            # rather than pretend the undo happened.
            self.setObsolete(True)
            if self._on_error is not None:
                _notify(self._on_error, exc)
            return
        if self._shown is not None:
            _notify(self._shown, value)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


def _notify(fn: Callable[[Any], None], value: Any) -> None:
    # The editor that made the edit may be gone (another record is open): the value is written
    # all the same; there is just nothing to show it in.
    try:
        fn(value)
    except RuntimeError as exc:
        if "already deleted" not in str(exc):
            raise


def push_edit(stack: QUndoStack | None, text: str, write: Writer, old: Any, new: Any,
              shown: Callable[[Any], None] | None = None,
              on_error: Callable[[JsdError], None] | None = None) -> None:
    """Record an edit that is already saved, so Ctrl+Z can take it back."""
    if stack is None or old == new:
        return
    stack.push(ValueEditCommand(text, write, old, new, shown, on_error))
