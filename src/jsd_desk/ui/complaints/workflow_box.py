"""The workflow section of a complaint's editor: a button per status it may move to, a note
for the status history, a confirmation before a final status, or why nothing can move."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.i18n import _
from jsd_desk.services import complaint_queries as cq
from jsd_desk.services.complaint_detail import ComplaintDetail
from jsd_desk.ui.complaints.model import STATUS_COLOURS
from jsd_desk.ui.kit.flow import FlowLayout
from jsd_desk.ui.kit.widgets import error_label, muted
from jsd_desk.ui.language import Retranslatable

# Statuses after which the workflow ends: the button asks for a confirmation first.
FINAL = frozenset(cq.FINAL_STATUSES)


class WorkflowBox(Retranslatable, QGroupBox):
    """``change(status)`` makes the move (the editor's: the referral goes with it); True when
    it was made."""

    def __init__(self, detail: ComplaintDetail, change: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workflow")
        self.detail = detail
        self._change = change
        self.liaison = detail.identity_hidden
        self._pending_final: str | None = None
        self.status_buttons: dict[str, QPushButton] = {}
        self.move_label = QLabel()
        self.status_buttons_row = FlowLayout()
        self.status_note = QLineEdit()
        self.status_note.setObjectName("status_note")
        self.status_note.setMaxLength(2000)
        self.final_label = muted(QLabel())
        self.final_label.setObjectName("workflow_closed")
        self.final_label.setWordWrap(True)
        self.confirm_frame = QFrame()
        self.confirm_frame.setObjectName("confirm_final")
        self.confirm_text = QLabel()
        self.confirm_text.setWordWrap(True)
        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("action_confirm_status")
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("action_cancel_status")
        self.confirm_button.clicked.connect(self._confirm_final)
        self.cancel_button.clicked.connect(self._cancel_final)
        confirm_box = QVBoxLayout(self.confirm_frame)
        confirm_box.setContentsMargins(0, 0, 0, 0)
        confirm_box.addWidget(self.confirm_text)
        confirm_row = QHBoxLayout()
        confirm_row.addStretch(1)
        confirm_row.addWidget(self.cancel_button)
        confirm_row.addWidget(self.confirm_button)
        confirm_box.addLayout(confirm_row)
        self.confirm_frame.setVisible(False)
        self.workflow_error = error_label("workflow_error")
        wf = QVBoxLayout(self)
        wf.addWidget(self.move_label)
        wf.addLayout(self.status_buttons_row)
        wf.addWidget(self.status_note)
        wf.addWidget(self.confirm_frame)
        wf.addWidget(self.final_label)
        wf.addWidget(self.workflow_error)

    def retranslate_ui(self) -> None:
        self.setTitle(_("Workflow"))
        self.move_label.setText(_("Move to:"))
        self.status_note.setPlaceholderText(_("Note for the status history (optional)"))
        self.status_note.setAccessibleName(_("Note for the status change"))
        self.confirm_button.setText(_("Confirm"))
        self.confirm_button.setAccessibleName(_("Confirm the status change"))
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel the status change"))
        self.show_detail(self.detail)

    def note(self) -> str | None:
        return self.status_note.text().strip() or None

    def show_detail(self, d: ComplaintDetail) -> None:
        self.detail = d
        moves = d.moves
        if tuple(self.status_buttons) != moves:
            for button in self.status_buttons.values():
                self.status_buttons_row.removeWidget(button)
                button.hide()
                button.setParent(None)
                button.deleteLater()
            self.status_buttons = {}
            for code in moves:
                button = QPushButton()
                button.setObjectName(f"action_status_{code}")
                button.clicked.connect(lambda _c=False, s=code: self.move_to(s))
                self.status_buttons_row.addWidget(button)
                button.setVisible(True)  # now, not on the next event loop turn
                self.status_buttons[code] = button
        for code, button in self.status_buttons.items():
            label = vocab.COMPLAINT_STATUS.label(code)
            button.setText(label)
            button.setAccessibleName(_("Move the complaint to “{status}”", status=label))
            button.setToolTip(button.accessibleName())
            colour = STATUS_COLOURS.get(code)
            if colour:
                pal = button.palette()
                pal.setColor(QPalette.ColorRole.ButtonText, QColor(colour).darker(130))
                button.setPalette(pal)
        has_moves = bool(moves)
        self.move_label.setVisible(has_moves)
        self.status_note.setVisible(has_moves)
        self.final_label.setVisible(not has_moves)
        if not has_moves:
            status = vocab.COMPLAINT_STATUS.label(d.status) if d.status else "?"
            if not d.next_statuses:
                text = _("This complaint is closed (“{status}”); its status no longer "
                         "changes.", status=status)
            elif self.liaison:
                text = _("A liaison officer acts on a complaint once it is referred to the "
                         "security forces (now “{status}”).", status=status)
            else:
                text = _("A ministry device changes only the complaints it recorded; this one "
                         "belongs to a platform.")
            self.final_label.setText(text)
            self.confirm_frame.setVisible(False)
        if self._pending_final:
            label = vocab.COMPLAINT_STATUS.label(self._pending_final)
            self.confirm_text.setText(_("Mark this complaint as “{status}”? This is final: "
                                        "the status cannot change afterwards.", status=label))

    def move_to(self, status: str) -> bool:
        """A workflow button: final statuses ask for a confirmation first."""
        if status not in self.detail.moves:
            return False
        if status in FINAL:
            self._pending_final = status
            self.confirm_frame.setVisible(True)
            self.show_detail(self.detail)
            self.confirm_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        return self._change(status)

    def _confirm_final(self) -> None:
        status, self._pending_final = self._pending_final, None
        self.confirm_frame.setVisible(False)
        if status:
            self._change(status)

    def _cancel_final(self) -> None:
        self._pending_final = None
        self.confirm_frame.setVisible(False)
