"""The Sync page's "This device" panel: the name, role, id and fingerprint others check, and
the export of this device's contact card."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QStyle, QVBoxLayout, QWidget

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import N_, _
from jsd_desk.services import sync as sync_service
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.sync.jobs import SyncJobs
from jsd_desk.ui.sync.panel import SyncPanel
from jsd_desk.ui.sync.widgets import big_mono, hint, selectable

CARD_FILTER = N_("Contact cards (*.jsdcard);;All files (*)")


class DevicePanel(SyncPanel):
    def __init__(self, ctx: UiContext, jobs: SyncJobs, parent: QWidget | None = None) -> None:
        super().__init__("this_device_box", ctx, jobs, parent)
        self.me = self.ws.keys.info
        self.action_export_card = self._action("action_export_card", self.export_card,
                                               QStyle.StandardPixmap.SP_DialogSaveButton)
        self.device_name = selectable(QLabel(self.me.name))
        self.device_name.setObjectName("device_name")
        font = QFont(self.device_name.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.device_name.setFont(font)
        self.device_name.setWordWrap(True)
        self.device_role = QLabel()
        self.device_role.setObjectName("device_role")
        self.device_id = selectable(QLabel())
        self.device_id.setObjectName("device_id")
        self.device_id.setWordWrap(True)
        self.fingerprint_caption = QLabel()
        self.fingerprint = selectable(QLabel(self.me.fingerprint()))
        self.fingerprint.setObjectName("device_fingerprint")
        self.fingerprint.setFont(big_mono(self.font(), 2.0))
        self.fingerprint_caption.setBuddy(self.fingerprint)
        self.fingerprint_hint = hint(QLabel())
        layout = QVBoxLayout(self)
        layout.addWidget(self.device_name)
        layout.addWidget(self.device_role)
        layout.addWidget(self.device_id)
        layout.addSpacing(4)
        layout.addWidget(self.fingerprint_caption)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.fingerprint_hint)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self._button(self.action_export_card))
        row.addStretch(1)
        layout.addLayout(row)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("This device"))
        self.device_name.setAccessibleName(_("Device name: {name}", name=self.me.name))
        self.device_role.setText(vocab.ROLE.label(self.me.role))
        self.device_role.setAccessibleName(_("Role: {role}", role=self.device_role.text()))
        self.device_id.setText(_("Device id: {id}", id=self.me.device_id))
        self.device_id.setAccessibleName(self.device_id.text())
        self.fingerprint_caption.setText(_("Fingerprint:"))
        self.fingerprint.setAccessibleName(_("Fingerprint: {fp}", fp=self.me.fingerprint()))
        self.fingerprint_hint.setText(_("Read it aloud to the people who import your card, by "
                                        "phone or in person: they check that it matches."))
        self.action_export_card.setText(_("Export my card…"))
        self.action_export_card.setToolTip(_("Save this device's contact card to a file, for "
                                             "the devices you sync with"))

    def export_card(self) -> Path | None:
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in self.me.name).strip("-")
        out = self.jobs.save_path(self, _("Export my card"), f"{safe or 'device'}.jsdcard",
                                  _(CARD_FILTER))
        if out is None:
            return None
        try:
            sync_service.export_card(self.ws, out)
        except JsdError as exc:
            QMessageBox.warning(self, _("Export my card"), exc.message())
            return None
        self.reported.emit(_("Contact card saved."),
                           _("Give {file} to the other device's owner, then read out the "
                             "fingerprint {fp} to them.", file=out.name,
                             fp=self.me.fingerprint()))
        self.ctx.signals.status_message.emit(_("Contact card saved to {path}.", path=str(out)))
        return out
