"""One complaint's editor: the header (``detail_header``), the workflow (``workflow_box``),
the confidential identity (``identity_box``), then here the facts, referral, response and
outcome, the timeline of its status history and its attachments.

Every field saves itself (``ui.fields.AutosaveField``). A panel is built for one complaint and
replaced when another is selected, so each saved edit — and its undo — belongs to the record it
was made on. On a liaison officer's device the identity section says "Confidential" and nothing
else: the service never even returns the identity there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError, ValidationError
from jsd_desk.i18n import _
from jsd_desk.services import complaints as service
from jsd_desk.services.choices import place_choices
from jsd_desk.services.complaint_detail import ComplaintDetail, complaint_detail
from jsd_desk.ui.attachments import AttachmentsBox
from jsd_desk.ui.complaints.detail_header import ComplaintHeader
from jsd_desk.ui.complaints.identity_box import IdentityBox
from jsd_desk.ui.complaints.model import StatusHistoryModel
from jsd_desk.ui.complaints.workflow_box import WorkflowBox
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import AutosaveField
from jsd_desk.ui.kit.widgets import (
    fill_combo,
    fill_vocab_combo,
    select_data,
    show_error,
)
from jsd_desk.ui.language import Retranslatable

# The facts of a complaint, in the order the form shows them.
FACT_KEYS = ("category", "severity", "against", "place_id", "language", "description")


def _plain(lines: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)  # Tab moves on, as in every other field (keyboard route)
    metrics = edit.fontMetrics()
    edit.setMinimumHeight(metrics.lineSpacing() * lines + 14)
    edit.setMaximumHeight(metrics.lineSpacing() * (lines + 4) + 14)
    return edit


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
        self.bindings: dict[str, AutosaveField] = {}

        self.header = ComplaintHeader(self, lambda: (self.ctx.store, self.complaint_id))
        self.workflow = WorkflowBox(detail, self._change)

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
            # As wide as the form ("Comportement des forces de défense et de sécurité" shows
            # whole), yet not widening the editor beyond the room beside the list.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
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

        self.identity_box = IdentityBox(detail, self._bind_identity, self._field_title)
        self.identity_box.print_receipt_requested.connect(
            lambda: self.print_receipt_requested.emit(self.complaint_id))

        # -- referral, response, outcome ---------------------------------------------------------
        self.answer_box = QGroupBox()
        self.answer_box.setObjectName("referral_response_outcome")
        answer = QFormLayout(self.answer_box)
        answer.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        # Beside the list the editor is narrow: a label goes above its field rather than
        # squeezing it.
        answer.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
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
        # Not as wide as "(no device: the police read nothing)": the form wraps it instead.
        self.liaison_device.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.liaison_device.setMinimumContentsLength(12)
        self.liaison_device.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
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
        self.attachments_box = AttachmentsBox(ctx)
        self.attachments = self.attachments_box.attachments

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(10)
        layout.addWidget(self.header)
        layout.addWidget(self.workflow)
        layout.addWidget(self.identity_box)
        layout.addWidget(self.details_box)
        layout.addWidget(self.answer_box)
        layout.addWidget(self.history_box)
        layout.addWidget(self.attachments_box)
        layout.addStretch(1)

        self._placeholders: dict[str, str] = {}
        self.workflow.retranslate_ui()
        self.identity_box.retranslate_ui()
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

    def _bind_identity(self, editor: QLineEdit | QComboBox, key: str) -> AutosaveField:
        self._bind(editor, key, self._identity_writer(key))
        return self.bindings[key]

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
        self.history_box.setTitle(_("Status history"))
        self.history.setAccessibleName(_("Status history"))
        self.history_model.layoutChanged.emit()
        self.header.show_detail(self.detail)

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
        self.attachments.set_record("complaint", d.id,
                                    read_only=not (d.may_edit_facts or d.may_answer))
        self.history_model.set_history(d.received_on, d.history)
        rows = self.history_model.rowCount()
        spacing = self.history.fontMetrics().lineSpacing()
        self.history.setMinimumHeight(min(rows, 6) * (spacing * 2 + 6) + 8)
        self.header.show_detail(d)
        self.identity_box.show_detail(d)
        self.workflow.show_detail(d)

    # -- workflow --------------------------------------------------------------------------------

    def _change(self, status: str) -> bool:
        # Whatever was typed in the referral field goes with the move.
        referral = self.bindings["referred_to"]
        referral.flush()
        referred_to = self.referred_to.text().strip() or None
        note = self.workflow.note()
        show_error(self.workflow.workflow_error, None)
        try:
            device = self.liaison_device.currentData() if self.liaison_device.isVisible() else None
            service.change_status(self.ctx.store, self.complaint_id, status, note=note,
                                  referred_to=referred_to if status == "referred" else None,
                                  liaison_device_id=device if status == "referred" else None)
        except ValidationError as exc:
            if exc.field == "referred_to":
                referral.error_label.show_error(exc)
                self.referred_to.setFocus(Qt.FocusReason.OtherFocusReason)
            show_error(self.workflow.workflow_error, exc.message())
            return False
        except JsdError as exc:
            show_error(self.workflow.workflow_error, exc.message())
            return False
        referral.error_label.show_error(None)
        self.workflow.status_note.clear()
        label = vocab.COMPLAINT_STATUS.label(status)
        self.ctx.signals.status_message.emit(
            _("Complaint {reference} is now “{status}”.", reference=self.detail.reference,
              status=label))
        self.refresh()
        return True
