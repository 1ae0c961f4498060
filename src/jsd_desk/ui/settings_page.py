"""Settings: interface language, this device (name, role, id, fingerprint), demo data."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.i18n import _, current_language
from jsd_desk.i18n.settings import available_languages
from jsd_desk.ui.complaints.targets_panel import TargetsPanel
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.language import Retranslatable, apply_language
from jsd_desk.ui.operations import Operation, Progress, error_text, run_operation
from jsd_desk.ui.security_panel import SecurityPanel


class SettingsPage(Retranslatable, QWidget):
    """``language_changed(code)``: the user chose a language (the window saves the choice)."""

    language_changed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.operation: Operation | None = None

        self.language_box = QGroupBox()
        self.language = QComboBox()
        self.language.setObjectName("ui_language")
        for code, name in available_languages():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(current_language()), 0))
        self.language.activated.connect(self._language_chosen)
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        form = QFormLayout(self.language_box)
        form.addRow(self.language_label, self.language)

        self.device_box = QGroupBox()
        info = ctx.workspace.keys.info
        self.device_values: dict[str, QLabel] = {}
        self.device_labels: dict[str, QLabel] = {}
        device_form = QFormLayout(self.device_box)
        for key, value in (("device_name", info.name), ("device_role", ""),
                           ("device_id", info.device_id), ("device_short_code", info.short_code),
                           ("device_fingerprint", info.fingerprint()),
                           ("data_folder", str(ctx.workspace.data_dir.root))):
            label, shown = QLabel(), QLabel(value)
            shown.setObjectName(key)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            shown.setWordWrap(True)
            label.setBuddy(shown)
            self.device_labels[key], self.device_values[key] = label, shown
            device_form.addRow(label, shown)

        self.demo_box = QGroupBox()
        self.demo_explain = QLabel()
        self.demo_explain.setWordWrap(True)
        self.demo_sessions = QSpinBox()
        self.demo_sessions.setObjectName("demo_sessions")
        self.demo_sessions.setRange(1, 2000)
        self.demo_sessions.setValue(24)
        self.demo_sessions_label = QLabel()
        self.demo_sessions_label.setBuddy(self.demo_sessions)
        self.demo_button = QPushButton()
        self.demo_button.setObjectName("action_load_demo_data")
        self.demo_button.clicked.connect(self.load_demo_data)
        self.demo_result = QLabel()
        self.demo_result.setObjectName("demo_result")
        self.demo_result.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.demo_sessions_label)
        row.addWidget(self.demo_sessions)
        row.addStretch(1)
        row.addWidget(self.demo_button)
        demo_layout = QVBoxLayout(self.demo_box)
        demo_layout.addWidget(self.demo_explain)
        demo_layout.addLayout(row)
        demo_layout.addWidget(self.demo_result)

        # The sections scroll: with the Security section they are taller than a small window.
        content = QWidget()
        content.setObjectName("settings_content")
        scroll = QScrollArea()
        scroll.setObjectName("settings_scroll")
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.language_box)
        layout.addWidget(self.device_box)
        self.security = SecurityPanel(ctx)
        layout.addWidget(self.security)
        # A liaison officer's device sets no targets; it sees them on each complaint.
        self.targets = TargetsPanel(ctx) if ctx.role != "liaison" else None
        if self.targets is not None:
            layout.addWidget(self.targets)
        layout.addWidget(self.demo_box)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.language_box.setTitle(_("Language"))
        self.language_label.setText(_("&Interface language:"))
        self.language.setAccessibleName(_("Interface language"))
        self.device_box.setTitle(_("This device"))
        texts = {"device_name": _("Name:"), "device_role": _("Role:"), "device_id": _("Device id:"),
                 "device_short_code": _("Short code:"),
                 "device_fingerprint": _("Fingerprint:"), "data_folder": _("Data folder:")}
        for key, text in texts.items():
            self.device_labels[key].setText(text)
            self.device_values[key].setAccessibleName(text.rstrip(":"))
        self.device_values["device_role"].setText(vocab.ROLE.label(self.ctx.role))
        self.device_values["device_fingerprint"].setToolTip(
            _("Read it aloud to check this device's contact card with a peer."))
        self.demo_box.setTitle(_("Demo data"))
        self.demo_explain.setText(_("Adds a realistic period of activity (sessions, attendance, "
                                    "concerns, complaints, commitments and their follow-up), to "
                                    "try the app or train facilitators. Do not use it on a store "
                                    "that holds real records."))
        self.demo_sessions_label.setText(_("&Sessions to add:"))
        self.demo_sessions.setAccessibleName(_("Number of demo sessions to add"))
        self.demo_button.setText(_("Load demo data"))
        self.demo_button.setAccessibleName(_("Load demo data"))

    # -- language --------------------------------------------------------------------------------

    def _language_chosen(self, _index: int) -> None:
        code = self.language.currentData()
        if not code:
            return
        self.language_changed.emit(apply_language(str(code)))

    # -- demo data -------------------------------------------------------------------------------

    def load_demo_data(self) -> Operation:
        """Add demo activity in the background, with progress and cancel."""
        from jsd_desk.services.demo import DemoOptions, add_demo_activity

        store, sessions = self.ctx.store, self.demo_sessions.value()
        self.demo_button.setEnabled(False)
        self.demo_result.setText(_("Adding demo data…"))

        def work(progress: Progress) -> Any:
            return add_demo_activity(store, DemoOptions(sessions=sessions), progress=progress)

        def done(summary: Any) -> None:
            self.demo_result.setText(summary.describe())
            self.ctx.signals.status_message.emit(summary.describe())

        def failed(exc: BaseException) -> None:
            self.demo_result.setText(error_text(exc))

        def finished() -> None:
            self.demo_button.setEnabled(True)

        op = run_operation(self, _("Loading demo data"), work, on_success=done, on_failure=failed)
        op.cancelled.connect(lambda: self.demo_result.setText(
            _("Cancelled: the sessions added before the cancel are kept.")))
        op.finished.connect(finished)
        self.operation = op
        return op
