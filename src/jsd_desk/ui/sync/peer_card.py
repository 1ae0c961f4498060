"""Checking a peer's contact card before trusting it: its fingerprint, read aloud."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.i18n import _
from jsd_desk.security.device import DeviceInfo
from jsd_desk.sync.cards import is_ministry
from jsd_desk.ui.language import Retranslatable
from jsd_desk.ui.sync.widgets import big_mono, selectable


class PeerCardDialog(Retranslatable, QDialog):
    """Shows a contact card and asks the user to confirm its fingerprint before trusting it."""

    def __init__(self, info: DeviceInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("peer_card_dialog")
        self.info = info
        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)

        self.labels: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for key, value in (("peer_name", info.name), ("peer_role", ""),
                           ("peer_device_id", info.device_id),
                           ("peer_fingerprint", info.fingerprint())):
            # One line each: a long name is cut, in full in its tooltip.
            label = QLabel()
            shown = selectable(QLabel(value if len(value) <= 60 else value[:59] + "…"))
            shown.setToolTip(value)
            shown.setObjectName(key)
            label.setBuddy(shown)
            self.labels[key], self.values[key] = label, shown
            form.addRow(label, shown)
        self.values["peer_fingerprint"].setFont(big_mono(self.font(), 1.9))
        self.ministry = QLabel()
        self.ministry.setWordWrap(True)
        self.ministry.setVisible(is_ministry(info))
        self.instructions = QLabel()
        self.instructions.setWordWrap(True)
        self.confirm = QCheckBox()
        self.confirm.setObjectName("fingerprint_matches")
        self.buttons = QDialogButtonBox()
        self.trust_button = QPushButton()
        self.trust_button.setObjectName("trust_peer_button")
        self.trust_button.setEnabled(False)
        self.buttons.addButton(self.trust_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.confirm.toggled.connect(self.trust_button.setEnabled)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.ministry)
        layout.addWidget(self.instructions)
        layout.addWidget(self.confirm)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Add a peer's card"))
        self.setAccessibleName(self.windowTitle())
        self.heading.setText(_("Check this card before you trust it"))
        texts = {"peer_name": _("Device name:"), "peer_role": _("Role:"),
                 "peer_device_id": _("Device id:"), "peer_fingerprint": _("Fingerprint:")}
        for key, text in texts.items():
            self.labels[key].setText(text)
            self.values[key].setAccessibleName(text.rstrip(":"))
        self.values["peer_role"].setText(vocab.ROLE.label(self.info.role))
        self.ministry.setText(_("This is a ministry device: every bundle will also be encrypted "
                                "to it."))
        self.instructions.setText(_("Call or meet the owner of this device and ask them to read "
                                    "out the fingerprint shown on their Sync page. Trust it only "
                                    "if every group of characters is the same: otherwise the card "
                                    "may have been altered on the way."))
        self.confirm.setText(_("The fingerprint matches what its owner read out"))
        self.confirm.setAccessibleName(self.confirm.text())
        self.trust_button.setText(_("&Trust this device"))
        self.trust_button.setAccessibleName(_("Trust this device"))
