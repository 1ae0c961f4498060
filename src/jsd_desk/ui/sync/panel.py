"""The base of the Sync page's panels: a titled box that retranslates itself, with named
actions shown as buttons, and a way to report one result (a line and its details) that the
page shows in the Bundles panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QGroupBox, QStyle, QWidget

from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.widgets import add_action
from jsd_desk.ui.language import Retranslatable
from jsd_desk.ui.sync.jobs import SyncJobs
from jsd_desk.ui.sync.widgets import ActionButton


class SyncPanel(Retranslatable, QGroupBox):
    """``reported(line, details)``: the outcome of something done here, for the page's
    summary. ``changed``: records changed here; the page re-reads."""

    reported = Signal(str, str)
    changed = Signal()

    def __init__(self, name: str, ctx: UiContext, jobs: SyncJobs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.ctx = ctx
        self.ws = ctx.workspace
        self.jobs = jobs

    def _action(self, name: str, slot: Callable[[], Any],
                icon: QStyle.StandardPixmap) -> QAction:
        return add_action(self, name, slot, icon)

    @staticmethod
    def _button(action: QAction) -> ActionButton:
        return ActionButton(action)

    def set_busy(self, busy: bool) -> None:
        """A background call of the page started (or ended): disable what would start another."""
