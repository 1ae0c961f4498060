"""What every page of the GUI is given: the open workspace (services take its store)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from PySide6.QtGui import QUndoStack

from jsd_desk.services.workspace import Workspace
from jsd_desk.store.writer import Store
from jsd_desk.ui.events import StoreSignals


@dataclass
class UiContext:
    workspace: Workspace

    @property
    def store(self) -> Store:
        return self.workspace.store

    @property
    def role(self) -> str:
        return self.workspace.role

    @cached_property
    def signals(self) -> StoreSignals:
        """Store commits as a Qt signal on the GUI thread; record-open requests between pages."""
        return StoreSignals(self.store)

    @cached_property
    def undo_stack(self) -> QUndoStack:
        """Ctrl+Z for the field edits of the running app (see ``ui.undo``)."""
        return QUndoStack()
