"""The confidential section of a complaint's editor: the complainant's identity (name,
contact, gender, age group) in a red frame, or, for an anonymous complaint, its receipt code.
On a liaison officer's device it says "Confidential" and nothing else: the service never even
returns the identity there."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.i18n import _
from jsd_desk.services.complaint_detail import ComplaintDetail
from jsd_desk.ui.fields import AutosaveField
from jsd_desk.ui.kit.flow import FlowLayout
from jsd_desk.ui.kit.widgets import fill_vocab_combo, monospace
from jsd_desk.ui.language import Retranslatable

CONFIDENTIAL_COLOUR = "#b3261e"
IDENTITY_KEYS = ("name", "contact", "gender", "age_group")


class ConfidentialBox(QGroupBox):
    """A group box that looks different: a red frame and title, so nobody misses that what is
    inside is the complainant's identity."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confidential_identity")
        self.setStyleSheet(
            f"QGroupBox#confidential_identity {{ border: 2px solid {CONFIDENTIAL_COLOUR};"
            " border-radius: 6px; margin-top: 1.4em; padding: 8px 6px 6px 6px; }"
            "QGroupBox#confidential_identity::title { subcontrol-origin: margin; left: 10px;"
            f" padding: 0 4px; color: {CONFIDENTIAL_COLOUR}; font-weight: bold; }}")


class IdentityBox(Retranslatable, ConfidentialBox):
    """``bind(editor, key)`` makes an identity field save itself (the editor's bindings).
    ``print_receipt_requested``: the user asked for the receipt slip."""

    print_receipt_requested = Signal()

    def __init__(self, detail: ComplaintDetail,
                 bind: Callable[[QLineEdit | QComboBox, str], AutosaveField],
                 title: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail = detail
        self.liaison = detail.identity_hidden
        self._title = title
        self._requested = False
        layout = QVBoxLayout(self)
        self.identity_note = QLabel()
        self.identity_note.setObjectName("identity_note")
        self.identity_note.setWordWrap(True)
        layout.addWidget(self.identity_note)
        self.receipt_row = QWidget()
        self.receipt_row.setObjectName("receipt_row")
        self.receipt_caption = QLabel()
        self.receipt_code = QLabel()
        self.receipt_code.setObjectName("receipt_code")
        monospace(self.receipt_code, 1.3)
        self.receipt_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.print_button = QPushButton()
        self.print_button.setObjectName("action_print_receipt_detail")
        self.print_button.clicked.connect(lambda: self.print_receipt_requested.emit())
        receipt = FlowLayout(self.receipt_row, spacing=10)
        receipt.addWidget(self.receipt_caption)
        receipt.addWidget(self.receipt_code)
        receipt.addWidget(self.print_button)
        layout.addWidget(self.receipt_row)
        self.identity_form_widget = QWidget()
        self.identity_form = QFormLayout(self.identity_form_widget)
        self.identity_form.setContentsMargins(0, 0, 0, 0)
        self.identity_labels: list[QLabel] = []
        self.add_identity_button = QPushButton()
        self.add_identity_button.setObjectName("action_record_identity")
        self.add_identity_button.clicked.connect(self._show_fields)
        layout.addWidget(self.identity_form_widget)
        layout.addWidget(self.add_identity_button, 0, Qt.AlignmentFlag.AlignLeft)
        if not self.liaison:
            self.name = QLineEdit()
            self.contact = QLineEdit()
            self.gender = QComboBox()
            self.age_group = QComboBox()
            editors: tuple[QLineEdit | QComboBox, ...] = (self.name, self.contact, self.gender,
                                                          self.age_group)
            for editor, key in zip(editors, IDENTITY_KEYS, strict=True):
                field = bind(editor, key)
                label = QLabel()
                label.setBuddy(editor)
                self.identity_labels.append(label)
                self.identity_form.addRow(label, field.container)

    def retranslate_ui(self) -> None:
        self.setTitle(_("Confidential — the complainant's identity"))
        self.setAccessibleName(_("Complainant's identity, confidential"))
        self.receipt_caption.setText(_("Receipt code:"))
        self.receipt_code.setAccessibleName(_("Receipt code"))
        self.print_button.setText(_("Print receipt…"))
        self.print_button.setAccessibleName(_("Print the receipt slip"))
        self.print_button.setToolTip(_("A slip the complainant keeps to ask about the case "
                                       "later, without giving a name"))
        self.add_identity_button.setText(_("Record the complainant's identity…"))
        self.add_identity_button.setAccessibleName(_("Record the complainant's identity"))
        if not self.liaison:
            fill_vocab_combo(self.gender, vocab.GENDER, empty=_("(not given)"))
            fill_vocab_combo(self.age_group, vocab.AGE_GROUP, empty=_("(not given)"))
            for label, key in zip(self.identity_labels, IDENTITY_KEYS, strict=True):
                label.setText(self._title(key) + ":")
            self.name.setPlaceholderText(_("Full name"))
            self.contact.setPlaceholderText(_("Phone number or how to reach them"))
        self.show_detail(self.detail)

    def show_detail(self, d: ComplaintDetail) -> None:
        self.detail = d
        show_receipt = bool(d.anonymous and d.receipt_code)
        self.receipt_row.setVisible(show_receipt)
        self.receipt_code.setText(d.receipt_code if show_receipt else "")
        self.add_identity_button.setEnabled(d.may_edit_identity)
        if self.liaison:
            self.identity_note.setText(
                "<b>" + _("Confidential") + "</b><br>"
                + _("A complainant's identity is never shown on a liaison officer's device."))
            self.identity_form_widget.setVisible(False)
            self.add_identity_button.setVisible(False)
            return
        named = d.identity is not None or not d.anonymous
        if named or self._requested:
            self.identity_note.setText(
                _("Seen only on facilitator and ministry devices; never by the police liaison "
                  "officer. Do not copy it into the description."))
        else:
            self.identity_note.setText(
                _("Anonymous complaint. The complainant asks about the case with the receipt "
                  "code."))
        self.identity_form_widget.setVisible(named or self._requested)
        self.add_identity_button.setVisible(not named and not self._requested)

    def _show_fields(self) -> None:
        self._requested = True
        self.show_detail(self.detail)
        if not self.liaison:
            self.name.setFocus(Qt.FocusReason.OtherFocusReason)
