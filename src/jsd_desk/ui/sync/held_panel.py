"""The Sync page's "Held aside" panel: events stamped too far in the future, or that follow
a missing one, and releasing those that can be applied now."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QStyle, QVBoxLayout, QWidget

from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import _, ngettext
from jsd_desk.services import sync as sync_service
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.sync.columns import held_reason
from jsd_desk.ui.sync.jobs import SyncJobs
from jsd_desk.ui.sync.panel import SyncPanel
from jsd_desk.ui.sync.widgets import hint


class HeldPanel(SyncPanel):
    def __init__(self, ctx: UiContext, jobs: SyncJobs, parent: QWidget | None = None) -> None:
        super().__init__("held_aside_box", ctx, jobs, parent)
        self._held = 0
        self.action_release_held = self._action("action_release_held", self.release_held,
                                                QStyle.StandardPixmap.SP_MediaPlay)
        self.held_label = QLabel()
        self.held_label.setObjectName("held_count")
        self.held_hint = hint(QLabel())
        row = QHBoxLayout()
        row.addWidget(self.held_label, 1)
        row.addWidget(self._button(self.action_release_held))
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.held_hint)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Held aside"))
        self.held_hint.setText(_("Events stamped too far in the future, or that follow a "
                                 "missing one, wait here. Release applies those whose time has "
                                 "come or whose gap is filled."))
        self.action_release_held.setText(_("Release"))
        self.action_release_held.setToolTip(_("Apply the held events that can be applied now"))
        self._update_count()

    def _update_count(self) -> None:
        self.held_label.setText(ngettext("{n} event held aside", "{n} events held aside",
                                         self._held) if self._held else
                                _("No event is held aside."))
        self.held_label.setAccessibleName(self.held_label.text())

    def refresh(self) -> None:
        self._held = sync_service.held_count(self.ws)
        self.action_release_held.setEnabled(self._held > 0 and not self.jobs.busy())
        self.held_label.setToolTip("\n".join(
            _("{device} #{seq}: {reason}", device=h.device_name or h.device_id[:8], seq=h.seq,
              reason=held_reason(h.reason))
            for h in sync_service.held_aside(self.ws)[:12]))
        self._update_count()

    def set_busy(self, busy: bool) -> None:
        self.action_release_held.setEnabled(not busy)

    def release_held(self) -> int:
        try:
            n = sync_service.release_held(self.ws)
        except JsdError as exc:
            QMessageBox.warning(self, _("Release"), exc.message())
            return 0
        message = ngettext("{n} held event applied.", "{n} held events applied.", n) if n else \
            _("No held event can be applied yet.")
        self.ctx.signals.status_message.emit(message)
        self.reported.emit(message, "")
        self.changed.emit()
        return n
