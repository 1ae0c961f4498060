"""A complaint received during a session.

The Complaints page's intake form is used when it is part of the build (it records a named
complainant's confidential identity, prints the receipt slip); otherwise a short form records
an anonymous complaint, so a session can always be recorded in full.
"""

from __future__ import annotations

import importlib.util

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import N_, _
from jsd_desk.services import complaints as complaint_service
from jsd_desk.services.views import SessionView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import LINE_MAX, ErrorLabel
from jsd_desk.ui.language import Retranslatable


def record_complaint_in_session(ctx: UiContext, session: SessionView,
                                parent: QWidget | None) -> bool:
    """Take a complaint received in ``session``: the Complaints page's intake when it is part
    of the build (the window switches to it, session chosen), else the short form here. True
    when a complaint was recorded here."""
    if complaints_page_available():
        ctx.signals.intake_requested.emit(session.id)
        return False
    dialog = QuickComplaintDialog(ctx, session, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted


def complaints_page_available() -> bool:
    return importlib.util.find_spec("jsd_desk.ui.complaints.page") is not None


class QuickComplaintDialog(Retranslatable, QDialog):
    """An anonymous complaint received in a session: category, against whom, description."""

    def __init__(self, ctx: UiContext, session: SessionView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quick_complaint_dialog")
        self.ctx = ctx
        self.session = session
        self.receipt: complaint_service.NewComplaint | None = None
        self.category = QComboBox()
        self.category.setObjectName("category")
        self.against = QLineEdit()
        self.against.setObjectName("against")
        self.against.setMaxLength(LINE_MAX)
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setTabChangesFocus(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.error = ErrorLabel()
        self.error.setObjectName("complaint_error")
        self.labels = [QLabel() for _i in range(3)]
        form = QFormLayout()
        for label, editor in zip(self.labels, (self.category, self.against, self.description),
                                 strict=True):
            label.setBuddy(editor)
            form.addRow(label, editor)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.retranslate_ui()

    LABELS = (N_("&Category:"), N_("&Against:"), N_("&Description:"))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Complaint received in the session"))
        self.note.setText(_("Recorded as anonymous. The complainant receives a receipt code to "
                            "ask about the case later."))
        for label, msgid in zip(self.labels, self.LABELS, strict=True):
            label.setText(_(msgid))
            label.buddy().setAccessibleName(label.text().replace("&", "").rstrip(":"))
        current = self.category.currentData()
        self.category.clear()
        for code in vocab.COMPLAINT_CATEGORY.codes():
            self.category.addItem(vocab.COMPLAINT_CATEGORY.label(code), code)
        if current is not None:
            self.category.setCurrentIndex(max(self.category.findData(current), 0))
        self.against.setPlaceholderText(_("e.g. a checkpoint, a unit, a person"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Record"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def save(self) -> None:
        received = self.session.starts_at.date() if self.session.starts_at else None
        try:
            self.receipt = complaint_service.receive_complaint(
                self.ctx.store, received_on=received.isoformat() if received else "",
                channel="session", category=str(self.category.currentData()),
                description=self.description.toPlainText(), session_id=self.session.id,
                against=self.against.text().strip() or None,
                language=self.session.language or "fr")
        except JsdError as exc:
            self.error.show_error(exc)
            return
        self.accept()
