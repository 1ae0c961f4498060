"""Committed changes of the store, delivered to widgets on the GUI thread.

``Store.listeners`` are called in whatever thread committed (a background import, demo data);
this bridge turns them into a Qt signal, so a view refreshes on the GUI thread and only when an
entity it shows has changed (the Anki idea: announce *what* changed, let each view decide).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from jsd_desk.store.eventlog import Committed
from jsd_desk.store.writer import Store


class StoreSignals(QObject):
    """``records_changed(frozenset[str])``: the entities written by one commit.
    ``open_requested(entity, id)``: a page asks the window to show a record.
    ``intake_requested(session_id)``: a page asks for the complaint intake ("" for none)."""

    records_changed = Signal(object)
    open_requested = Signal(str, str)
    intake_requested = Signal(str)
    status_message = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        store.listeners.append(self._on_commit)

    def _on_commit(self, events: Sequence[Committed]) -> None:
        # Emitted from the committing thread; Qt queues it to receivers living in the GUI thread.
        self.records_changed.emit(frozenset(ev.entity for ev in events))

    def detach(self) -> None:
        if self._on_commit in self._store.listeners:
            self._store.listeners.remove(self._on_commit)
