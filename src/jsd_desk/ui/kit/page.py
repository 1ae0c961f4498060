"""The base of every page of the main window: what it watches, when it refreshes, its actions.

A commit anywhere (another page's save, an import on a worker thread, demo data) arrives as
``records_changed(entities)``. A page that shows none of those entities ignores it. A page
that does is marked stale; if it is on screen it refreshes once the burst of commits is over
(one refresh after a 10 000-event import, not 10 000); if it is hidden it refreshes when next
shown. A page only writes ``_refresh()`` (and may narrow when it can run, see
``can_refresh_now``); ``refresh()``, called by the window's Refresh action or the page itself,
clears the stale mark so that showing the page next does not read everything twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QStyle, QWidget

from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.widgets import add_action
from jsd_desk.ui.language import Retranslatable


class Page(Retranslatable, QWidget):
    """``WATCHED``: the record kinds the page shows (empty: every commit concerns it).
    ``REFRESH_DELAY_MS``: how long the page waits for a burst of commits to end; 0 refreshes
    at once (a page whose refresh is a few labels)."""

    WATCHED: ClassVar[frozenset[str]] = frozenset()
    REFRESH_DELAY_MS: ClassVar[int] = 150

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(self.REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh_if_stale)
        ctx.signals.records_changed.connect(self._records_changed)

    # -- what a page writes -----------------------------------------------------------------------

    def _refresh(self) -> None:
        """Re-read what the page shows from the services."""
        raise NotImplementedError(f"{type(self).__name__} must define _refresh()")

    def can_refresh_now(self) -> bool:
        """False while the page must not re-read (an operation of its own is running); it
        stays stale and refreshes when next shown or when the page calls ``refresh_if_stale()``."""
        return True

    def records_changed(self, entities: frozenset[str]) -> None:
        """Called for every commit that concerns the page, before any refresh (hook)."""

    # -- the lifecycle ----------------------------------------------------------------------------

    @property
    def stale(self) -> bool:
        return self._stale

    def mark_stale(self) -> None:
        self._stale = True

    def watches(self, entities: frozenset[str]) -> bool:
        return not self.WATCHED or bool(entities & self.WATCHED)

    def _records_changed(self, entities: frozenset[str]) -> None:
        if not self.watches(entities):
            return
        self._stale = True
        self.records_changed(entities)
        if not self.isVisible() or not self.can_refresh_now():
            return  # showEvent (or the page itself) refreshes later
        if self.REFRESH_DELAY_MS <= 0:
            self.refresh_if_stale()
        else:
            self._refresh_timer.start()  # restarted by each commit of a burst

    def refresh(self) -> None:
        self._stale = False
        self._refresh_timer.stop()
        self._refresh()

    def refresh_if_stale(self) -> None:
        if self._stale and self.can_refresh_now():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh_if_stale()

    # -- what the window asks of a page -------------------------------------------------------

    def focus_search(self) -> bool:
        """Put the focus in the page's own search box (Ctrl+F); False when it has none, and the
        window's search takes it."""
        return False

    def open_record(self, entity: str, record_id: str) -> None:
        """Show one record: the pages that ``ui.pages.PAGE_OF_ENTITY`` names for a kind of
        record override this (a test checks they all do)."""
        raise NotImplementedError(f"{type(self).__name__} does not show {entity} records")

    # -- actions ----------------------------------------------------------------------------------

    def _action(self, name: str, slot: Callable[[], Any],
                icon: QStyle.StandardPixmap | None = None) -> QAction:
        """A named action of the page (its shortcut works wherever the focus is on the page);
        the text is set in ``retranslate_ui``."""
        return add_action(self, name, slot, icon)
