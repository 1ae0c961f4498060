"""The Sync page's "Bundles" panel: the device a bundle is for, export and import, the result
of the last thing done on the page, when this device last synced, and the way to the
conflicts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QStyle, QVBoxLayout, QWidget

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, _, ngettext
from jsd_desk.services import sync as sync_service
from jsd_desk.services.sync import PeerView
from jsd_desk.sync.importer import ImportReport
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.operations import Operation, Progress
from jsd_desk.ui.sync.columns import default_bundle_name, import_summary
from jsd_desk.ui.sync.jobs import SyncJobs
from jsd_desk.ui.sync.panel import SyncPanel
from jsd_desk.ui.sync.widgets import hint, selectable

BUNDLE_FILTER = N_("JSD Desk bundles (*.jsdb);;All files (*)")


class BundlesPanel(SyncPanel):
    """``conflicts_requested``: the user asked to review the conflicts."""

    conflicts_requested = Signal()

    def __init__(self, ctx: UiContext, jobs: SyncJobs, parent: QWidget | None = None) -> None:
        super().__init__("bundles_box", ctx, jobs, parent)
        self.me = self.ws.keys.info
        self._peers: list[PeerView] = []
        self._conflicts = 0
        sp = QStyle.StandardPixmap
        self.action_export_bundle = self._action("action_export_bundle", self.export_bundle,
                                                 sp.SP_ArrowUp)
        self.action_import_bundles = self._action("action_import_bundles", self.import_bundles,
                                                  sp.SP_ArrowDown)
        self.action_show_conflicts = self._action("action_show_conflicts",
                                                  self.conflicts_requested.emit,
                                                  sp.SP_MessageBoxWarning)
        self.recipient_label = QLabel()
        self.recipient = QComboBox()
        self.recipient.setObjectName("bundle_recipient")
        self.recipient.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.recipient_label.setBuddy(self.recipient)
        self.summary = selectable(QLabel())
        self.summary.setObjectName("sync_summary")
        self.summary.setWordWrap(True)
        font = QFont(self.summary.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.summary.setFont(font)
        self.summary_detail = selectable(hint(QLabel()))
        self.summary_detail.setObjectName("sync_summary_detail")
        self.last_sync = QLabel()
        self.last_sync.setObjectName("last_sync")
        self.conflicts_button = self._button(self.action_show_conflicts)
        self.bundle_hint = hint(QLabel())

        target = QHBoxLayout()
        target.addWidget(self.recipient_label)
        target.addWidget(self.recipient, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self._button(self.action_export_bundle))
        buttons.addWidget(self._button(self.action_import_bundles))
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(target)
        layout.addLayout(buttons)
        layout.addWidget(self.bundle_hint)
        layout.addSpacing(6)
        layout.addWidget(self.summary)
        layout.addWidget(self.summary_detail)
        layout.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.last_sync, 1)
        bottom.addWidget(self.conflicts_button)
        layout.addLayout(bottom)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Bundles"))
        self.recipient_label.setText(_("Bundle &for:"))
        self.recipient.setAccessibleName(_("Device the bundle is for"))
        self.action_export_bundle.setText(_("Export a bundle…"))
        self.action_export_bundle.setToolTip(_("Write what the chosen device lacks (or "
                                               "everything) to an encrypted file"))
        self.action_import_bundles.setText(_("Import bundles…"))
        self.action_import_bundles.setToolTip(_("Read bundles other devices wrote for this one"))
        self.bundle_hint.setText(_("A bundle is one encrypted file: carry it on a USB stick or "
                                   "send it by e-mail. It is also encrypted to the ministry "
                                   "devices this one trusts."))
        self.summary.setAccessibleName(_("Result of the last import or export"))
        self.summary_detail.setAccessibleName(_("Details of the last import or export"))
        self.action_show_conflicts.setToolTip(_("Fields two devices changed before they synced"))
        self.set_conflicts(self._conflicts)
        self.update_last_sync()
        self._fill_recipients()

    # -- what the page shows here ------------------------------------------------------------------

    def show_result(self, line: str, details: str) -> None:
        """The outcome of the last thing done on the page."""
        self.summary.setText(line)
        self.summary_detail.setText(details)

    def set_peers(self, others: list[PeerView]) -> None:
        self._peers = others
        self._fill_recipients()

    def set_conflicts(self, n: int) -> None:
        self._conflicts = n
        self.action_show_conflicts.setVisible(n > 0)
        self.action_show_conflicts.setText(_("Review conflicts ({n})", n=n))

    def update_last_sync(self) -> None:
        last = sync_service.last_sync(self.ctx.store)
        self.last_sync.setText(_("Last sync: {when}", when=last.strftime("%Y-%m-%d %H:%M"))
                               if last else _("Last sync: never"))
        self.last_sync.setAccessibleName(self.last_sync.text())

    def set_busy(self, busy: bool) -> None:
        self.action_export_bundle.setEnabled(not busy)
        self.action_import_bundles.setEnabled(not busy)

    def _fill_recipients(self) -> None:
        chosen = self.recipient.currentData()
        peers = [p for p in self._peers if p.trusted]
        self.recipient.blockSignals(True)
        self.recipient.clear()
        self.recipient.addItem(_("All trusted devices"), None)
        for p in peers:
            self.recipient.addItem(_("{name} ({role})", name=p.info.name,
                                     role=vocab.ROLE.label(p.info.role)), p.info.device_id)
        index = self.recipient.findData(chosen) if chosen else -1
        if index < 0:
            index = 1 if len(peers) == 1 else 0
        self.recipient.setCurrentIndex(index)
        self.recipient.blockSignals(False)
        self.action_export_bundle.setEnabled(bool(peers) and not self.jobs.busy())

    # -- export and import -------------------------------------------------------------------------

    def export_bundle(self) -> Operation | None:
        to = self.recipient.currentData()
        peer = next((p.info for p in self._peers if p.info.device_id == to), None)
        name = default_bundle_name(self.me, peer, dt.date.today())
        out = self.jobs.save_path(self, _("Export a bundle"), name, _(BUNDLE_FILTER))
        if out is None:
            return None
        ws = self.ws

        def work(progress: Progress) -> sync_service.ExportSummary:
            if to is None:
                return sync_service.export_bundle(ws, out, everything=True, progress=progress)
            return sync_service.export_bundle(ws, out, to=str(to), progress=progress)

        def done(summary: sync_service.ExportSummary) -> None:
            names = ", ".join(d.name for d in summary.recipients)
            self.show_result(
                ngettext("Bundle written: {n} event", "Bundle written: {n} events",
                         summary.events),
                _("{file}, encrypted to {names}. It stays in the outbox until acknowledged.",
                  file=summary.path.name, names=names))
            self.ctx.signals.status_message.emit(_("Bundle saved to {path}.",
                                                   path=str(summary.path)))

        return self.jobs.run(self, _("Exporting a bundle"), work, done)

    def import_bundles(self, paths: list[Path] | None = None) -> Operation | None:
        if paths is None:
            paths = self.jobs.open_paths(self, _("Import bundles"), _(BUNDLE_FILTER), many=True)
            if not paths:
                return None
        ws, files = self.ws, list(paths)

        def work(progress: Progress) -> list[ImportReport]:
            return sync_service.import_bundles(ws, files, progress=progress)

        def done(reports: list[ImportReport]) -> None:
            line = import_summary(reports)
            senders = ", ".join(dict.fromkeys(r.sender.name for r in reports))
            details = [ngettext("From {senders}, {n} bundle.", "From {senders}, {n} bundles.",
                                len(reports), senders=senders)]
            if any(r.gaps for r in reports):
                details.append(_("Some events are missing from a device's sequence; those after "
                                 "the gap wait until the bundle that carries it arrives."))
            if any(r.conflicts for r in reports):
                details.append(_("Review the conflicts to choose which values to keep."))
            self.show_result(line, " ".join(details))
            self.ctx.signals.status_message.emit(line)

        return self.jobs.run(self, _("Importing bundles"), work, done)
