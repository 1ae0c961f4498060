"""One complaint: details, the confidential identity, the workflow, referral, response and
outcome, the timeline of its status history, its attachments.

Every field saves itself (``ui.fields.AutosaveField``). A panel is built for one complaint and
replaced when another is selected, so each saved edit — and its undo — belongs to the record it
was made on. On a liaison officer's device the identity section says "Confidential" and nothing
else: the service never even returns the identity there.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError, ValidationError
from jsd_desk.i18n import _
from jsd_desk.services import complaint_queries as cq
from jsd_desk.services import complaints as service
from jsd_desk.services.choices import place_choices
from jsd_desk.services.complaint_detail import ComplaintDetail, complaint_detail
from jsd_desk.ui.attachments import AttachmentsWidget
from jsd_desk.ui.complaints.deadline import STATE_COLOURS, due_text, flags_text, state_label
from jsd_desk.ui.complaints.model import STATUS_COLOURS, StatusHistoryModel, short_date
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import AutosaveField
from jsd_desk.ui.history_dialog import HistoryButton
from jsd_desk.ui.kit.flow import FlowLayout
from jsd_desk.ui.kit.widgets import (
    error_label,
    fill_combo,
    fill_vocab_combo,
    fit_to_choice,
    heading_label,
    monospace,
    muted,
    select_data,
    show_error,
)
from jsd_desk.ui.language import Retranslatable

CONFIDENTIAL_COLOUR = "#b3261e"
# Statuses after which the workflow ends: the button asks for a confirmation first.
FINAL = frozenset(cq.FINAL_STATUSES)


# The facts of a complaint, in the order the form shows them.
FACT_KEYS = ("category", "severity", "against", "place_id", "language", "description")


def _plain(lines: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)  # Tab moves on, as in every other field (keyboard route)
    metrics = edit.fontMetrics()
    edit.setMinimumHeight(metrics.lineSpacing() * lines + 14)
    edit.setMaximumHeight(metrics.lineSpacing() * (lines + 4) + 14)
    return edit


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


class ComplaintDetailPanel(Retranslatable, QWidget):
    """The editor of one complaint."""

    print_receipt_requested = Signal(str)  # complaint id

    def __init__(self, ctx: UiContext, detail: ComplaintDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaint_detail")
        self.ctx = ctx
        self.detail = detail
        self.complaint_id = detail.id
        self.liaison = detail.identity_hidden
        self._pending_final: str | None = None
        self._identity_requested = False
        self.bindings: dict[str, AutosaveField] = {}
        self.status_buttons: dict[str, QPushButton] = {}

        # -- header ------------------------------------------------------------------------------
        self.reference = heading_label(1.45)
        self.reference.setObjectName("reference")
        monospace(self.reference, 1.45)
        self.status_chip = QLabel()
        self.status_chip.setObjectName("status")
        self.status_chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.received_line = muted(QLabel())
        self.received_line.setObjectName("received_line")
        self.received_line.setWordWrap(True)
        # Where it stands against its targets, and when each measured step happened.
        self.deadline_line = QLabel()
        self.deadline_line.setObjectName("deadline_line")
        self.deadline_line.setWordWrap(True)
        self.steps_line = muted(QLabel())
        self.steps_line.setObjectName("step_times")
        self.steps_line.setWordWrap(True)
        top = FlowLayout(spacing=12)
        top.addWidget(self.reference)
        top.addWidget(self.status_chip)
        self.history_button = HistoryButton(self, lambda: (self.ctx.store, self.complaint_id))
        top.addWidget(self.history_button)

        # -- workflow ----------------------------------------------------------------------------
        self.workflow_box = QGroupBox()
        self.workflow_box.setObjectName("workflow")
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
        wf = QVBoxLayout(self.workflow_box)
        wf.addWidget(self.move_label)
        wf.addLayout(self.status_buttons_row)
        wf.addWidget(self.status_note)
        wf.addWidget(self.confirm_frame)
        wf.addWidget(self.final_label)
        wf.addWidget(self.workflow_error)

        # -- details -----------------------------------------------------------------------------
        self.details_box = QGroupBox()
        self.details_box.setObjectName("details")
        # Read-only fields (on a liaison device) must not look editable.
        self.setStyleSheet("QLineEdit:read-only, QPlainTextEdit[readOnly=\"true\"] "
                           "{ background: palette(window); }")
        self.details_form = QFormLayout(self.details_box)
        self.details_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.category = QComboBox()
        self.against = QLineEdit()
        self.place = QComboBox()
        for combo in (self.category, self.place):
            # The choice shows whole ("Comportement des forces de défense et de sécurité").
            fit_to_choice(combo)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.language = QComboBox()
        self.severity = QComboBox()
        self.description = _plain(4)
        self._bind(self.category, "category", self._writer("category"))
        self._bind(self.severity, "severity", self._writer("severity"))
        self._bind(self.against, "against", self._writer("against"))
        self._bind(self.place, "place_id", self._writer("place_id"))
        self._bind(self.language, "language", self._writer("language"))
        self._bind(self.description, "description", self._writer("description"))
        self.details_labels = [QLabel() for _ in FACT_KEYS]
        for label, key in zip(self.details_labels,
                              FACT_KEYS,
                              strict=True):
            label.setBuddy(self.bindings[key].editor)
            self.details_form.addRow(label, self.bindings[key].container)

        # -- identity ----------------------------------------------------------------------------
        self.identity_box = ConfidentialBox()
        self.identity_layout = QVBoxLayout(self.identity_box)
        self.identity_note = QLabel()
        self.identity_note.setObjectName("identity_note")
        self.identity_note.setWordWrap(True)
        self.identity_layout.addWidget(self.identity_note)
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
        self.print_button.clicked.connect(
            lambda: self.print_receipt_requested.emit(self.complaint_id))
        receipt = FlowLayout(self.receipt_row, spacing=10)
        receipt.addWidget(self.receipt_caption)
        receipt.addWidget(self.receipt_code)
        receipt.addWidget(self.print_button)
        self.identity_layout.addWidget(self.receipt_row)
        self.identity_form_widget = QWidget()
        self.identity_form = QFormLayout(self.identity_form_widget)
        self.identity_form.setContentsMargins(0, 0, 0, 0)
        self.identity_labels: list[QLabel] = []
        self.add_identity_button = QPushButton()
        self.add_identity_button.setObjectName("action_record_identity")
        self.add_identity_button.clicked.connect(self._show_identity_fields)
        self.identity_layout.addWidget(self.identity_form_widget)
        self.identity_layout.addWidget(self.add_identity_button, 0, Qt.AlignmentFlag.AlignLeft)
        if not self.liaison:
            self.name = QLineEdit()
            self.contact = QLineEdit()
            self.gender = QComboBox()
            self.age_group = QComboBox()
            for editor, key in ((self.name, "name"), (self.contact, "contact"),
                                (self.gender, "gender"), (self.age_group, "age_group")):
                self._bind(editor, key, self._identity_writer(key))
                label = QLabel()
                label.setBuddy(editor)
                self.identity_labels.append(label)
                self.identity_form.addRow(label, self.bindings[key].container)

        # -- referral, response, outcome ---------------------------------------------------------
        self.answer_box = QGroupBox()
        self.answer_box.setObjectName("referral_response_outcome")
        answer = QFormLayout(self.answer_box)
        answer.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.referred_to = QLineEdit()
        self.response = _plain(3)
        self.outcome = _plain(3)
        self._bind(self.referred_to, "referred_to", self._writer("referred_to"))
        self._bind(self.response, "response", self._writer("response"))
        self._bind(self.outcome, "outcome", self._writer("outcome"))
        # The police liaison device a referral goes to (it alone then reads the description,
        # against whom and the outcome; never the identity).
        self.liaison_device = QComboBox()
        self.liaison_device.setObjectName("liaison_device_id")
        self.liaison_device_label = QLabel()
        self.liaison_device_label.setBuddy(self.liaison_device)
        self.answer_labels = [QLabel() for _ in range(3)]
        for label, key in zip(self.answer_labels, ("referred_to", "response", "outcome"),
                              strict=True):
            label.setBuddy(self.bindings[key].editor)
            answer.addRow(label, self.bindings[key].container)
            if key == "referred_to":
                answer.addRow(self.liaison_device_label, self.liaison_device)
        self.liaison_choices = [] if self.liaison else service.liaison_choices(ctx.store)

        # -- history -----------------------------------------------------------------------------
        self.history_box = QGroupBox()
        self.history_box.setObjectName("status_history")
        self.history_model = StatusHistoryModel(self)
        self.history = QListView()
        self.history.setObjectName("history")
        self.history.setModel(self.history_model)
        self.history.setWordWrap(True)
        self.history.setUniformItemSizes(False)
        self.history.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.history.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        QVBoxLayout(self.history_box).addWidget(self.history)

        # -- attachments -------------------------------------------------------------------------
        self.attachments_box = QGroupBox()
        self.attachments_box.setObjectName("attachments_box")
        self.attachments = AttachmentsWidget(ctx)
        QVBoxLayout(self.attachments_box).addWidget(self.attachments)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.received_line)
        layout.addWidget(self.deadline_line)
        layout.addWidget(self.steps_line)
        layout.addWidget(self.workflow_box)
        layout.addWidget(self.identity_box)
        layout.addWidget(self.details_box)
        layout.addWidget(self.answer_box)
        layout.addWidget(self.history_box)
        layout.addWidget(self.attachments_box)
        layout.addStretch(1)

        self._placeholders: dict[str, str] = {}
        self.retranslate_ui()
        self._fill_places()
        self.show_detail(detail)

    # -- building blocks -------------------------------------------------------------------------

    def _bind(self, editor: QLineEdit | QPlainTextEdit | QComboBox, key: str,
              write: Callable[[Any], None]) -> None:
        self.bindings[key] = AutosaveField(editor, key, write, undo_stack=self.ctx.undo_stack,
                                           describe=lambda: self._field_title(key))

    def _writer(self, key: str) -> Callable[[Any], None]:
        # The id is captured now: an undo after another complaint was opened still writes here.
        store, cid = self.ctx.store, self.complaint_id

        def write(value: Any) -> None:
            service.update_complaint(store, cid, **{key: value})

        return write

    def _identity_writer(self, key: str) -> Callable[[Any], None]:
        store, cid = self.ctx.store, self.complaint_id

        def write(value: Any) -> None:
            service.set_complainant(store, cid, **{key: value})

        return write

    def _field_title(self, key: str) -> str:
        return {
            "category": _("Category"), "severity": _("Severity"), "against": _("Against"),
            "place_id": _("Place"),
            "language": _("Language"), "description": _("Description"),
            "referred_to": _("Referred to"), "response": _("Response"), "outcome": _("Outcome"),
            "name": _("Name"), "contact": _("Contact"), "gender": _("Gender"),
            "age_group": _("Age group"),
        }.get(key, key)

    def _fill_places(self) -> None:
        items: list[tuple[Any, str]] = [(None, _("(no place)"))]
        items.extend((c.id, c.label) for c in place_choices(self.ctx.store))
        fill_combo(self.place, items)

    # -- texts -----------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.workflow_box.setTitle(_("Workflow"))
        self.move_label.setText(_("Move to:"))
        self.status_note.setPlaceholderText(_("Note for the status history (optional)"))
        self.status_note.setAccessibleName(_("Note for the status change"))
        self.confirm_button.setText(_("Confirm"))
        self.confirm_button.setAccessibleName(_("Confirm the status change"))
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel the status change"))
        self.details_box.setTitle(_("Complaint"))
        for label, key in zip(self.details_labels,
                              FACT_KEYS,
                              strict=True):
            label.setText(self._field_title(key) + ":")
        self.answer_box.setTitle(_("Referral, response and outcome"))
        for label, key in zip(self.answer_labels, ("referred_to", "response", "outcome"),
                              strict=True):
            label.setText(self._field_title(key) + ":")
        self.referred_to.setPlaceholderText(_("e.g. Commissariat central, Brigade de Diffa"))
        self.response.setPlaceholderText(_("What the service concerned answered"))
        self._placeholders = {
            "outcome": _("How the case ended, what the complainant was told"),
            "against": _("A service, a unit, a person (optional)")}
        self.outcome.setPlaceholderText(self._placeholders["outcome"])
        self.against.setPlaceholderText(self._placeholders["against"])
        for key, binding in self.bindings.items():
            binding.editor.setAccessibleName(self._field_title(key))
        fill_vocab_combo(self.category, vocab.COMPLAINT_CATEGORY)
        fill_vocab_combo(self.severity, vocab.COMPLAINT_SEVERITY)
        self.liaison_device_label.setText(_("Liaison device:"))
        self.liaison_device.setAccessibleName(_("Police liaison device the complaint is referred to"))
        self.liaison_device.setToolTip(_("Only this device of the police will read the "
                                         "description, against whom and the outcome; never the "
                                         "identity."))
        fill_combo(self.liaison_device, [(None, _("(no device: the police read nothing)"))]
                   + [(c.device_id, c.name) for c in self.liaison_choices])
        fill_vocab_combo(self.language, vocab.CONTENT_LANGUAGE)
        if self.place.count():
            self.place.setItemText(0, _("(no place)"))
        self.identity_box.setTitle(_("Confidential — the complainant's identity"))
        self.identity_box.setAccessibleName(_("Complainant's identity, confidential"))
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
            for label, key in zip(self.identity_labels, ("name", "contact", "gender", "age_group"),
                                  strict=True):
                label.setText(self._field_title(key) + ":")
            self.name.setPlaceholderText(_("Full name"))
            self.contact.setPlaceholderText(_("Phone number or how to reach them"))
        self.history_box.setTitle(_("Status history"))
        self.history.setAccessibleName(_("Status history"))
        self.attachments_box.setTitle(_("Attachments"))
        self.history_model.layoutChanged.emit()
        self._show_header()
        self._show_identity()
        self._show_workflow()

    # -- showing the complaint -------------------------------------------------------------------

    def refresh(self) -> bool:
        """Re-read the complaint (after a change); False when it no longer exists."""
        try:
            detail = complaint_detail(self.ctx.store, self.complaint_id)
        except JsdError:
            return False
        self.show_detail(detail)
        return True

    def show_detail(self, d: ComplaintDetail) -> None:
        self.detail = d
        values: dict[str, Any] = {
            "category": d.category, "severity": d.severity or "normal",
            "against": d.against, "place_id": d.place_id,
            "language": d.language, "description": d.description,
            "referred_to": d.referred_to, "response": d.response, "outcome": d.outcome}
        if d.identity is not None:
            values.update(name=d.identity.name, contact=d.identity.contact,
                          gender=d.identity.gender, age_group=d.identity.age_group)
        for key, value in values.items():
            if key in self.bindings:
                self.bindings[key].load(value)
                editor = self.bindings[key].editor
                if isinstance(editor, QLineEdit) and not editor.hasFocus():
                    editor.setCursorPosition(0)  # a long value shows its beginning
        # What this device may change (the service's rules): a liaison officer answers
        # (referral, response, outcome) once a complaint is referred; the facts are the
        # facilitator's record; a ministry device changes only the complaints it recorded.
        for key in FACT_KEYS:
            self.bindings[key].set_read_only(not d.may_edit_facts)
        # A need-to-know field sealed to others: "confidential", not an empty field to fill.
        for key, editor in (("against", self.against), ("description", self.description),
                            ("outcome", self.outcome)):
            sealed = key in d.sealed
            editor.setPlaceholderText(_("Confidential: not referred to this device") if sealed
                                      else self._placeholders.get(key, ""))
            if sealed:
                self.bindings[key].set_read_only(True)
        self.liaison_device.setVisible(bool(self.liaison_choices) and d.may_answer)
        self.liaison_device_label.setVisible(self.liaison_device.isVisible())
        if d.liaison_device_id or d.status == "referred":
            select_data(self.liaison_device, d.liaison_device_id)
        elif len(self.liaison_choices) == 1:
            select_data(self.liaison_device, self.liaison_choices[0].device_id)
        self.liaison_device.setEnabled(d.status != "referred")
        for key in ("referred_to", "response", "outcome"):
            self.bindings[key].set_read_only(not d.may_answer)
        for key in ("name", "contact", "gender", "age_group"):
            if key in self.bindings:
                self.bindings[key].set_read_only(not d.may_edit_identity)
        self.add_identity_button.setEnabled(d.may_edit_identity)
        self.attachments.set_record("complaint", d.id,
                                    read_only=not (d.may_edit_facts or d.may_answer))
        self.history_model.set_history(d.received_on, d.history)
        rows = self.history_model.rowCount()
        spacing = self.history.fontMetrics().lineSpacing()
        self.history.setMinimumHeight(min(rows, 6) * (spacing * 2 + 6) + 8)
        self._show_header()
        self._show_identity()
        self._show_workflow()

    def _show_header(self) -> None:
        d = self.detail
        self.reference.setText(d.reference or _("(no reference yet)"))
        status = d.status or ""
        colour = STATUS_COLOURS.get(status, "#777777")
        self.status_chip.setText(vocab.COMPLAINT_STATUS.label(status) if status else "?")
        self.status_chip.setStyleSheet(
            f"QLabel {{ background: {colour}; color: white; border-radius: 9px;"
            " padding: 2px 10px; font-weight: bold; }")
        self.status_chip.setAccessibleName(_("Status: {status}", status=self.status_chip.text()))
        parts = [_("Received {date}", date=short_date(d.received_on) or "?")]
        if d.channel and not d.session_title:
            parts.append(vocab.COMPLAINT_CHANNEL.label(d.channel))
        if d.session_title:
            parts.append(_("in session {title}", title=d.session_title))
        if d.place_path:
            parts.append(" › ".join(d.place_path))
        self.received_line.setText(" · ".join(parts))
        st = d.standing
        if st is None or st.deadline is None:
            self.deadline_line.setText("")
        else:
            text = " · ".join(x for x in (state_label(st), due_text(st)) if x)
            colour = STATE_COLOURS.get(st.state or "", "")
            flags = flags_text(st)
            self.deadline_line.setText(
                f"<b style='color:{colour}'>{html.escape(text)}</b>"
                + (f"<br><b>⚑ {html.escape(flags)}</b>" if flags else ""))
        self.deadline_line.setVisible(bool(self.deadline_line.text()))
        steps = [] if st is None else [
            (_("First contact"), st.steps.first_contact), (_("Referred"), st.steps.referred),
            (_("Closed"), st.steps.closed)]
        self.steps_line.setText(" · ".join(f"{label} {short_date(when.date())}"
                                           for label, when in steps if when))
        self.steps_line.setVisible(bool(self.steps_line.text()))

    def _show_identity(self) -> None:
        d = self.detail
        show_receipt = bool(d.anonymous and d.receipt_code)
        self.receipt_row.setVisible(show_receipt)
        self.receipt_code.setText(d.receipt_code if show_receipt else "")
        if self.liaison:
            self.identity_note.setText(
                "<b>" + _("Confidential") + "</b><br>"
                + _("A complainant's identity is never shown on a liaison officer's device."))
            self.identity_form_widget.setVisible(False)
            self.add_identity_button.setVisible(False)
            return
        named = d.identity is not None or not d.anonymous
        if named or self._identity_requested:
            self.identity_note.setText(
                _("Seen only on facilitator and ministry devices; never by the police liaison "
                  "officer. Do not copy it into the description."))
        else:
            self.identity_note.setText(
                _("Anonymous complaint. The complainant asks about the case with the receipt "
                  "code."))
        self.identity_form_widget.setVisible(named or self._identity_requested)
        self.add_identity_button.setVisible(not named and not self._identity_requested)

    def _show_identity_fields(self) -> None:
        self._identity_requested = True
        self._show_identity()
        if not self.liaison:
            self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_workflow(self) -> None:
        d = self.detail
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

    # -- workflow --------------------------------------------------------------------------------

    def move_to(self, status: str) -> bool:
        """A workflow button: final statuses ask for a confirmation first."""
        if status not in self.detail.moves:
            return False
        if status in FINAL:
            self._pending_final = status
            self.confirm_frame.setVisible(True)
            self._show_workflow()
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

    def _change(self, status: str) -> bool:
        # Whatever was typed in the referral field goes with the move.
        referral = self.bindings["referred_to"]
        referral.flush()
        referred_to = self.referred_to.text().strip() or None
        note = self.status_note.text().strip() or None
        show_error(self.workflow_error, None)
        try:
            device = self.liaison_device.currentData() if self.liaison_device.isVisible() else None
            service.change_status(self.ctx.store, self.complaint_id, status, note=note,
                                  referred_to=referred_to if status == "referred" else None,
                                  liaison_device_id=device if status == "referred" else None)
        except ValidationError as exc:
            if exc.field == "referred_to":
                referral.error_label.show_error(exc)
                self.referred_to.setFocus(Qt.FocusReason.OtherFocusReason)
            show_error(self.workflow_error, exc.message())
            return False
        except JsdError as exc:
            show_error(self.workflow_error, exc.message())
            return False
        referral.error_label.show_error(None)
        self.status_note.clear()
        label = vocab.COMPLAINT_STATUS.label(status)
        self.ctx.signals.status_message.emit(
            _("Complaint {reference} is now “{status}”.", reference=self.detail.reference,
              status=label))
        self.refresh()
        return True
