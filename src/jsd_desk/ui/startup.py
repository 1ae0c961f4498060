"""First run and later runs: create the device's store (then show the recovery key once), or
unlock it with the passphrase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import N_, _
from jsd_desk.services.backup import DamagedStore
from jsd_desk.services.workspace import MIN_PASSPHRASE, Workspace, init_workspace, open_workspace
from jsd_desk.ui.fields import ErrorLabel
from jsd_desk.ui.kit.widgets import ok_cancel
from jsd_desk.ui.language import Retranslatable


class _Refused(JsdError):
    pass


class SetupDialog(Retranslatable, QDialog):
    """Creates the store: device name, role, passphrase twice."""

    def __init__(self, data_dir: Path, database_url: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup_dialog")
        self.data_dir = data_dir
        self.database_url = database_url
        self.workspace: Workspace | None = None
        self.recovery_key: str | None = None

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.device_name = QLineEdit()
        self.device_name.setObjectName("device_name")
        self.device_name.setMaxLength(100)
        self.role = QComboBox()
        self.role.setObjectName("role")
        for code in vocab.ROLE.codes():
            self.role.addItem("", code)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again = QLineEdit()
        self.passphrase_again.setObjectName("passphrase_again")
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = ErrorLabel()
        self.error.setObjectName("setup_error")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.labels = [QLabel() for _i in range(4)]
        for label, editor in zip(self.labels, (self.device_name, self.role, self.passphrase,
                                               self.passphrase_again), strict=True):
            label.setBuddy(editor)
            self.form.addRow(label, editor)
        self.buttons = ok_cancel(self, self.create_store)
        self.buttons.setObjectName("setup_buttons")
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Set up JSD Desk"))
        self.intro.setText(_("This device has no store yet. Give it a name, say who uses it and "
                             "choose a passphrase of at least {n} characters. Everything is "
                             "encrypted with it.", n=MIN_PASSPHRASE))
        for label, text in zip(self.labels, (_("Device &name:"), _("&Role:"), _("&Passphrase:"),
                                             _("Passphrase &again:")), strict=True):
            label.setText(text)
        for editor, label in zip((self.device_name, self.role, self.passphrase,
                                  self.passphrase_again), self.labels, strict=True):
            editor.setAccessibleName(label.text().replace("&", "").rstrip(":"))
        for i, code in enumerate(vocab.ROLE.codes()):
            self.role.setItemText(i, vocab.ROLE.label(code))
        self.device_name.setPlaceholderText(_("e.g. Niamey 3 facilitator laptop"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Create the store"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def create_store(self) -> None:
        if self.passphrase.text() != self.passphrase_again.text():
            self.error.show_error(_Refused(N_("The two passphrases differ.")))
            self.passphrase_again.setFocus()
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            ws, recovery = init_workspace(self.data_dir, self.device_name.text(),
                                          str(self.role.currentData()), self.passphrase.text(),
                                          database_url=self.database_url)
        except JsdError as exc:
            self.error.show_error(exc)
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.workspace, self.recovery_key = ws, recovery
        self.accept()


class RecoveryKeyDialog(Retranslatable, QDialog):
    """Shows the recovery key once; the user confirms having written it down."""

    def __init__(self, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recovery_key_dialog")
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.key = QLabel(recovery_key)
        self.key.setObjectName("recovery_key")
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                         | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        font: QFont = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.key.setFont(font)
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key.setWordWrap(True)
        self.confirm = QCheckBox()
        self.confirm.setObjectName("recovery_key_written")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.confirm.toggled.connect(self.ok.setEnabled)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addWidget(self.key)
        layout.addWidget(self.confirm)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Recovery key"))
        self.explain.setText(_("Write this recovery key on paper and keep it somewhere safe. It "
                               "opens the store if the passphrase is forgotten. It is shown only "
                               "this once."))
        self.key.setAccessibleName(_("Recovery key"))
        self.confirm.setText(_("I have written the recovery key down"))
        self.confirm.setAccessibleName(self.confirm.text())
        self.ok.setText(_("Continue"))

    def reject(self) -> None:
        # Closing without confirming would lose the only copy: stay until confirmed.
        if self.confirm.isChecked():
            super().reject()


class UnlockDialog(Retranslatable, QDialog):
    """Opens the store with its passphrase; a wrong one is said inline, the dialog stays."""

    def __init__(self, data_dir: Path, database_url: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlock_dialog")
        self.data_dir = data_dir
        self.database_url = database_url
        self.workspace: Workspace | None = None
        self.damaged: JsdError | None = None  # the key is right but the database is damaged
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = ErrorLabel()
        self.error.setObjectName("unlock_error")
        self.buttons = ok_cancel(self, self.unlock)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Unlock JSD Desk"))
        self.prompt.setText(_("Enter the passphrase of this device's store."))
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Unlock"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def unlock(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.workspace = open_workspace(self.data_dir, self.passphrase.text(),
                                            database_url=self.database_url)
        except DamagedStore as exc:
            self.damaged = exc  # the caller offers a restore
            self.accept()
            return
        except JsdError as exc:
            self.error.show_error(exc)
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.accept()
