"""The intake form: a new complaint, anonymous or named.

Nothing is written until "Record complaint": a complaint needs its date, channel and category
before it exists (its reference is taken from the device's sequence at that moment). A refused
value is explained under its field and everything typed stays in the form.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError, ValidationError
from jsd_desk.i18n import _, current_language
from jsd_desk.services import complaints as service
from jsd_desk.services.choices import place_choices, session_choices
from jsd_desk.services.complaint_detail import identity_hidden
from jsd_desk.ui.complaints.identity_box import ConfidentialBox
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import LINE_MAX
from jsd_desk.ui.kit.widgets import (
    error_label,
    fill_combo,
    fill_vocab_combo,
    heading_label,
    muted,
    show_error,
)
from jsd_desk.ui.language import Retranslatable

_DMY = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*$")


def normalize_date_text(text: str) -> str:
    """Dates as people write them here (22/11/2026, 22.11.2026) as ISO; anything else is left
    for the service to accept or refuse with its reason."""
    m = _DMY.match(text)
    if m:
        day, month, year = (int(g) for g in m.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return text
    return text.strip()


class IntakePanel(Retranslatable, QWidget):
    recorded = Signal(object)  # services.complaints.NewComplaint
    cancelled = Signal()

    FIELDS = ("received_on", "channel", "session_id", "category", "severity", "against",
              "place_id",
              "language", "description", "name", "contact", "gender", "age_group")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaint_intake")
        self.ctx = ctx
        self.liaison = identity_hidden(ctx.store)
        self.title = heading_label(1.35)
        self.intro = muted(QLabel())
        self.intro.setWordWrap(True)

        self.received_on = QLineEdit()
        self.received_on.setMaxLength(LINE_MAX)
        self.channel = QComboBox()
        self.session_id = QComboBox()
        self.category = QComboBox()
        self.severity = QComboBox()  # shortens the targets of each step (urgent, critical)
        self.against = QLineEdit()
        self.against.setMaxLength(LINE_MAX)
        self.place_id = QComboBox()
        self.language = QComboBox()
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(self.description.fontMetrics().lineSpacing() * 4 + 14)
        self.errors: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.editors: dict[str, QWidget] = {
            "received_on": self.received_on, "channel": self.channel,
            "session_id": self.session_id, "category": self.category,
            "severity": self.severity, "against": self.against,
            "place_id": self.place_id, "language": self.language,
            "description": self.description}

        for combo in (self.session_id, self.place_id, self.category):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(24)
        self.description.setMaximumHeight(self.description.fontMetrics().lineSpacing() * 5 + 14)
        self.received_on.setMaximumWidth(220)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for key, editor in self.editors.items():
            editor.setObjectName(key)
            form.addRow(self._label(key, editor), self._with_error(key, editor))
        self.channel.currentIndexChanged.connect(self._channel_changed)

        # -- identity ----------------------------------------------------------------------------
        self.identity_box = ConfidentialBox()
        self.anonymous = QRadioButton()
        self.anonymous.setObjectName("anonymous")
        self.named = QRadioButton()
        self.named.setObjectName("named")
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.anonymous)
        self.kind_group.addButton(self.named)
        self.anonymous.setChecked(True)
        self.named.toggled.connect(self._named_toggled)
        self.identity_note = QLabel()
        self.identity_note.setObjectName("identity_note")
        self.identity_note.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setMaxLength(LINE_MAX)
        self.contact = QLineEdit()
        self.contact.setMaxLength(LINE_MAX)
        self.gender = QComboBox()
        self.age_group = QComboBox()
        self.identity_fields = QWidget()
        identity_form = QFormLayout(self.identity_fields)
        identity_form.setContentsMargins(18, 0, 0, 0)
        for key, editor in (("name", self.name), ("contact", self.contact),
                            ("gender", self.gender), ("age_group", self.age_group)):
            editor.setObjectName(key)
            self.editors[key] = editor
            identity_form.addRow(self._label(key, editor), self._with_error(key, editor))
        box = QVBoxLayout(self.identity_box)
        box.addWidget(self.anonymous)
        box.addWidget(self.named)
        box.addWidget(self.identity_fields)
        box.addWidget(self.identity_note)
        if self.liaison:
            self.named.setEnabled(False)
            self.identity_fields.setVisible(False)

        # -- buttons -----------------------------------------------------------------------------
        self.record_button = QPushButton()
        self.record_button.setObjectName("action_record_complaint")
        self.record_button.setDefault(True)
        self.record_button.clicked.connect(self.record)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("action_cancel_intake")
        self.cancel_button.clicked.connect(self.cancel)
        self.form_error = error_label("intake_error")
        buttons = QHBoxLayout()
        buttons.addWidget(self.form_error, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.record_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.identity_box)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.retranslate_ui()
        self.reset()

    def _label(self, key: str, editor: QWidget) -> QLabel:
        label = QLabel()
        label.setBuddy(editor)
        self.labels[key] = label
        return label

    def _with_error(self, key: str, editor: QWidget) -> QWidget:
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(editor)
        label = error_label(f"{key}_error")
        box.addWidget(label)
        self.errors[key] = label
        return holder

    def _titles(self) -> dict[str, str]:
        return {
            "received_on": _("Received on"), "channel": _("Channel"), "session_id": _("Session"),
            "category": _("Category"), "severity": _("Severity"), "against": _("Against"),
            "place_id": _("Place"),
            "language": _("Language"), "description": _("Description"), "name": _("Name"),
            "contact": _("Contact"), "gender": _("Gender"), "age_group": _("Age group")}

    def retranslate_ui(self) -> None:
        self.title.setText(_("New complaint"))
        self.intro.setText(_("Fields marked * are required. Nothing is recorded until you "
                             "press “Record complaint”."))
        titles = self._titles()
        required = {"received_on", "channel", "category"}
        for key, label in self.labels.items():
            label.setText(titles[key] + (" *" if key in required else "") + ":")
            self.editors[key].setAccessibleName(titles[key])
        self.received_on.setPlaceholderText(_("YYYY-MM-DD or DD/MM/YYYY"))
        self.received_on.setToolTip(_("The day the complaint was received"))
        self.against.setPlaceholderText(_("A service, a unit, a person (optional)"))
        self.description.setPlaceholderText(_("What happened, where and when, in the "
                                              "complainant's words"))
        fill_vocab_combo(self.channel, vocab.COMPLAINT_CHANNEL)
        fill_vocab_combo(self.category, vocab.COMPLAINT_CATEGORY, empty=_("(choose)"))
        fill_vocab_combo(self.severity, vocab.COMPLAINT_SEVERITY)
        self.severity.setToolTip(_("Urgent and critical complaints get shorter target times"))
        fill_vocab_combo(self.language, vocab.CONTENT_LANGUAGE)
        if self.session_id.count():
            self.session_id.setItemText(0, _("(choose the session)"))
        if self.place_id.count():
            self.place_id.setItemText(0, _("(no place)"))
        self.identity_box.setTitle(_("Confidential — the complainant's identity"))
        self.identity_box.setAccessibleName(_("Complainant's identity, confidential"))
        self.anonymous.setText(_("Anonymous — the complainant gets a receipt code"))
        self.anonymous.setAccessibleName(_("Anonymous complaint"))
        self.named.setText(_("Named — record who the complainant is"))
        self.named.setAccessibleName(_("Named complaint"))
        fill_vocab_combo(self.gender, vocab.GENDER, empty=_("(not given)"))
        fill_vocab_combo(self.age_group, vocab.AGE_GROUP, empty=_("(not given)"))
        self.name.setPlaceholderText(_("Full name"))
        self.contact.setPlaceholderText(_("Phone number or how to reach them"))
        if self.liaison:
            self.identity_note.setText(_("Complaints recorded on a liaison officer's device are "
                                         "anonymous: an identity is never recorded here."))
        else:
            self.identity_note.setText(_("The identity is confidential: it is seen only on "
                                         "facilitator and ministry devices, never by the police "
                                         "liaison officer."))
        self.record_button.setText(_("Record complaint"))
        self.record_button.setAccessibleName(_("Record complaint"))
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel the new complaint"))

    # -- state -----------------------------------------------------------------------------------

    def reset(self) -> None:
        """An empty form, today's date, the sessions and places as they are now."""
        sessions: list[tuple[Any, str]] = [(None, _("(choose the session)"))]
        sessions.extend((c.id, c.label) for c in session_choices(self.ctx.store))
        fill_combo(self.session_id, sessions)
        places: list[tuple[Any, str]] = [(None, _("(no place)"))]
        places.extend((c.id, c.label) for c in place_choices(self.ctx.store))
        fill_combo(self.place_id, places)
        self.received_on.setText(dt.date.today().isoformat())
        for combo in (self.category, self.severity, self.session_id, self.place_id, self.gender,
                      self.age_group):
            combo.setCurrentIndex(0)
        self.channel.setCurrentIndex(max(self.channel.findData("walk_in"), 0))
        lang = current_language()
        index = self.language.findData(lang if lang in vocab.CONTENT_LANGUAGE else "fr")
        self.language.setCurrentIndex(max(index, 0))
        for edit in (self.against, self.name, self.contact):
            edit.clear()
        self.description.clear()
        self.anonymous.setChecked(True)
        self._named_toggled(False)
        self._channel_changed()
        self._clear_errors()

    def start(self, session_id: str | None = None) -> None:
        self.reset()
        if session_id:
            self.channel.setCurrentIndex(max(self.channel.findData("session"), 0))
            index = self.session_id.findData(session_id)
            if index >= 0:
                self.session_id.setCurrentIndex(index)
        self.received_on.setFocus(Qt.FocusReason.OtherFocusReason)
        self.received_on.selectAll()

    def _channel_changed(self, *_args: Any) -> None:
        in_session = self.channel.currentData() == "session"
        self.session_id.setEnabled(in_session)
        self.labels["session_id"].setEnabled(in_session)

    def _named_toggled(self, named: bool) -> None:
        self.identity_fields.setEnabled(named and not self.liaison)
        self.identity_fields.setVisible(not self.liaison)

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            show_error(label, None)
        show_error(self.form_error, None)

    def values(self) -> dict[str, Any]:
        complainant = None
        if self.named.isChecked() and not self.liaison:
            complainant = {"name": self.name.text().strip() or None,
                           "contact": self.contact.text().strip() or None,
                           "gender": self.gender.currentData(),
                           "age_group": self.age_group.currentData()}
        channel = self.channel.currentData()
        return {
            "received_on": normalize_date_text(self.received_on.text()),
            "channel": channel,
            "session_id": self.session_id.currentData() if channel == "session" else None,
            "category": self.category.currentData(),
            "severity": self.severity.currentData() or "normal",
            "against": self.against.text().strip() or None,
            "place_id": self.place_id.currentData(),
            "language": self.language.currentData() or "fr",
            "description": self.description.toPlainText().strip(),
            "complainant": complainant,
        }

    def record(self) -> service.NewComplaint | None:
        """Record the complaint; on a refused value, say why under the field and keep the form."""
        self._clear_errors()
        values = self.values()
        if not values["category"]:
            self._refuse("category", _("Choose a category."))
            return None
        if values["complainant"] is not None and not values["complainant"]["name"]:
            self._refuse("name", _("Give the complainant's name, or choose “Anonymous”."))
            return None
        try:
            new = service.receive_complaint(self.ctx.store, **values)
        except ValidationError as exc:
            self._refuse(exc.field, exc.message())
            return None
        except JsdError as exc:
            show_error(self.form_error, exc.message())
            return None
        self.recorded.emit(new)
        self.reset()
        return new

    def _refuse(self, field: str, message: str) -> None:
        label = self.errors.get(field)
        if label is None:
            show_error(self.form_error, message)
            return
        show_error(label, message)
        editor = self.editors.get(field)
        if editor is not None:
            editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def cancel(self) -> None:
        self.reset()
        self.cancelled.emit()
