"""The Sync page (DESIGN §5): contact cards, trusted devices, bundles in and out, the outbox,
events held aside, the sync folder and the conflicts.

The page assembles one panel per box (``*_panel.py``) beside the Conflicts tab and wires
them: each panel does its own work through ``services.sync``; what one reports is shown in the
Bundles panel; one background operation runs at a time (``jobs.SyncJobs``), and when it ends,
or a panel changed records, the page re-reads every panel.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from jsd_desk.i18n import _
from jsd_desk.services import sync as sync_service
from jsd_desk.ui.conflicts import ConflictsView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.folder_import_panel import FolderImportPanel
from jsd_desk.ui.kit.page import Page
from jsd_desk.ui.operations import Operation
from jsd_desk.ui.sync.bundles_panel import BundlesPanel
from jsd_desk.ui.sync.device_panel import DevicePanel
from jsd_desk.ui.sync.folder_panel import FolderPanel
from jsd_desk.ui.sync.held_panel import HeldPanel
from jsd_desk.ui.sync.jobs import SyncJobs
from jsd_desk.ui.sync.outbox_panel import OutboxPanel
from jsd_desk.ui.sync.panel import SyncPanel
from jsd_desk.ui.sync.peers_panel import PeersPanel
from jsd_desk.ui.sync.verify_panel import VerifyPanel


class SyncPage(Page):
    REFRESH_DELAY_MS = 0  # a few small reads; every commit concerns it (WATCHED empty)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.ws = ctx.workspace
        self.mark_stale()  # read when first shown
        self._names: dict[str, str] = {}  # device id → name, for the outbox
        self._conflicts = 0
        self.jobs = SyncJobs(ctx, self)
        self.device = DevicePanel(ctx, self.jobs)
        self.bundles = BundlesPanel(ctx, self.jobs)
        self.peers = PeersPanel(ctx, self.jobs)
        self.folder = FolderPanel(ctx, self.jobs)
        self.outbox = OutboxPanel(ctx, self.jobs, self._names)
        self.held = HeldPanel(ctx, self.jobs)
        self.verify = VerifyPanel(ctx, self.jobs)
        self.folder_import = FolderImportPanel(ctx)  # a ministry's whole folder of bundles
        self.panels: tuple[SyncPanel, ...] = (self.device, self.bundles, self.peers,
                                              self.folder, self.outbox, self.held, self.verify)
        for panel in self.panels:
            panel.reported.connect(self.bundles.show_result)
            panel.changed.connect(self.refresh)
        self.jobs.busy_changed.connect(self._busy_changed)

        grid = QGridLayout()
        grid.setSpacing(12)
        grid.addWidget(self.device, 0, 0)
        grid.addWidget(self.bundles, 0, 1)
        grid.addWidget(self.peers, 1, 0, 1, 2)
        grid.addWidget(self.folder, 2, 0)
        grid.addWidget(self.outbox, 2, 1)
        grid.addWidget(self.held, 3, 0)
        grid.addWidget(self.verify, 3, 1)
        grid.addWidget(self.folder_import, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        inner = QWidget()
        inner.setObjectName("sync_overview")
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(16, 12, 16, 12)
        inner_layout.addLayout(grid)
        inner_layout.addStretch(1)
        self.overview = QScrollArea()
        self.overview.setWidgetResizable(True)
        self.overview.setFrameShape(QFrame.Shape.NoFrame)
        # Wrapped labels make QScrollArea offer a horizontal bar it never needs (the page is
        # narrower than any window it lives in): vertical scrolling only.
        self.overview.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.overview.setWidget(inner)

        self.conflicts = ConflictsView(ctx)
        self.conflicts.count_changed.connect(self._conflicts_counted)
        self.bundles.conflicts_requested.connect(self.show_conflicts)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("sync_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.overview, "")
        self.tabs.addTab(self.conflicts, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.retranslate_ui()
        self.refresh()
        self.folder.start_watching()

    # -- what the tests and the window reach -------------------------------------------------------

    @property
    def operation(self) -> Operation | None:
        """The last background operation started on the page."""
        return self.jobs.operation

    def busy(self) -> bool:
        return self.jobs.busy()

    # -- language and data -------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.tabs.setTabText(0, _("Devices and bundles"))
        self.tabs.setTabText(1, _("Conflicts ({n})", n=self._conflicts))

    def _refresh(self) -> None:
        peers = sync_service.list_peers(self.ws)
        self._names.clear()
        self._names.update({p.info.device_id: p.info.name for p in peers})
        others = [p for p in peers if not p.is_self]
        self.peers.show_peers(others)
        self.outbox.refresh()
        self.held.refresh()
        self.conflicts.refresh()
        self.bundles.update_last_sync()
        self.folder.update_texts()
        self.bundles.set_peers(others)

    def records_changed(self, entities: frozenset[str]) -> None:
        self.folder.mark_dirty()  # the next folder pass has something to send

    def can_refresh_now(self) -> bool:
        return not self.busy()  # the page re-reads when its operation ends (_busy_changed)

    def _busy_changed(self, busy: bool) -> None:
        for panel in self.panels:
            panel.set_busy(busy)
        if not busy:
            self.refresh()

    def _conflicts_counted(self, n: int) -> None:
        self._conflicts = n
        self.bundles.set_conflicts(n)
        self.tabs.setTabText(1, _("Conflicts ({n})", n=n))

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.conflicts:
            self.conflicts.refresh()

    def show_conflicts(self) -> None:
        self.tabs.setCurrentWidget(self.conflicts)
