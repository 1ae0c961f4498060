"""Settings → Security (issue 7): the idle lock, the passphrase, the recovery key, backups and
re-keying. Everything goes through ``services.security`` and ``services.backup``.

Restore and re-key need the store closed: after a confirmation the window closes, the store is
closed, the work runs with the passphrase in ``ui.maintenance.ExclusiveDialog`` and the store
opens again in a new window (``ui.main.run``). Nothing else here closes the store.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain.errors import InputRefused, JsdError
from jsd_desk.i18n import N_, _
from jsd_desk.services import backup, security
from jsd_desk.services.settings import read_settings, write_settings
from jsd_desk.services.workspace import Workspace
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import ErrorLabel
from jsd_desk.ui.kit.widgets import ok_cancel
from jsd_desk.ui.language import Retranslatable
from jsd_desk.ui.lock import DEFAULT_MINUTES, SETTING, IdleLock
from jsd_desk.ui.maintenance import REKEY, RESTORE, RecoveryCardDialog, ReopenRequest, request_reopen
from jsd_desk.ui.operations import Operation, Progress, error_text, run_operation

MAX_LOCK_MINUTES = 240


def lock_minutes(ws: Workspace) -> int:
    """The idle-lock delay of this device (its store's settings); 0 = never."""
    value = read_settings(ws.data_dir).get(SETTING, DEFAULT_MINUTES)
    return value if isinstance(value, int) and 0 <= value <= MAX_LOCK_MINUTES else DEFAULT_MINUTES


def set_lock_minutes(ws: Workspace, minutes: int) -> None:
    settings = read_settings(ws.data_dir)
    settings[SETTING] = int(minutes)
    write_settings(ws.data_dir, settings)


def _secret(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(1000)
    return edit


class PassphrasePrompt(QDialog):
    """Asks for the current passphrase before a sensitive action; checked by the service."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphrase_prompt")
        self.setWindowTitle(title)
        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.passphrase = _secret("prompt_passphrase")
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.error = ErrorLabel()
        buttons = ok_cancel(self, self.accept)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Continue"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        layout = QVBoxLayout(self)
        for w in (self.prompt, self.passphrase, self.error, buttons):
            layout.addWidget(w)
        self.setMinimumWidth(420)


class SecurityPanel(Retranslatable, QGroupBox):
    """The Security section of the Settings page."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("security_panel")
        self.ctx = ctx
        self.operation: Operation | None = None
        self.recovery_dialog: RecoveryCardDialog | None = None
        local = not ctx.workspace.database_url

        # The idle lock.
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setObjectName("lock_minutes")
        self.lock_minutes.setRange(0, MAX_LOCK_MINUTES)
        self.lock_minutes.setValue(lock_minutes(ctx.workspace))
        self.lock_minutes.valueChanged.connect(self._lock_minutes_changed)
        self.lock_label = QLabel()
        self.lock_label.setBuddy(self.lock_minutes)
        lock_row = QHBoxLayout()
        lock_row.addWidget(self.lock_label)
        lock_row.addWidget(self.lock_minutes)
        lock_row.addStretch(1)

        # The passphrase.
        self.passphrase_title = QLabel()
        self.passphrase_title.setObjectName("security_heading")
        self.old_passphrase = _secret("old_passphrase")
        self.new_passphrase = _secret("new_passphrase")
        self.new_passphrase_again = _secret("new_passphrase_again")
        self.passphrase_labels = [QLabel() for _i in range(3)]
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for label, edit in zip(self.passphrase_labels, (self.old_passphrase, self.new_passphrase,
                                                        self.new_passphrase_again), strict=True):
            label.setBuddy(edit)
            form.addRow(label, edit)
        self.passphrase_error = ErrorLabel()
        self.passphrase_error.setObjectName("passphrase_error")
        self.passphrase_result = QLabel()
        self.passphrase_result.setObjectName("passphrase_result")
        self.passphrase_result.setWordWrap(True)
        self.change_button = QPushButton()
        self.change_button.setObjectName("action_change_passphrase")
        self.change_button.clicked.connect(lambda: self.change_passphrase())
        self.new_passphrase_again.returnPressed.connect(self.change_button.click)
        self.recovery_button = QPushButton()
        self.recovery_button.setObjectName("action_new_recovery_key")
        self.recovery_button.clicked.connect(lambda: self.new_recovery_key())
        keys_row = QHBoxLayout()
        keys_row.addWidget(self.change_button)
        keys_row.addWidget(self.recovery_button)
        keys_row.addStretch(1)

        # Backups.
        self.backups_title = QLabel()
        self.backups_title.setObjectName("security_heading")
        self.backups = QTableWidget(0, 3)
        self.backups.setObjectName("backups")
        self.backups.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backups.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backups.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backups.verticalHeader().setVisible(False)
        header = self.backups.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.backups.setMaximumHeight(180)
        self.backup_button = QPushButton()
        self.backup_button.setObjectName("action_backup_now")
        self.backup_button.clicked.connect(lambda: self.back_up_now())
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("action_restore_backup")
        self.restore_button.clicked.connect(lambda: self.restore())
        self.backup_result = QLabel()
        self.backup_result.setObjectName("backup_result")
        self.backup_result.setWordWrap(True)
        backup_row = QHBoxLayout()
        backup_row.addWidget(self.backup_button)
        backup_row.addWidget(self.restore_button)
        backup_row.addStretch(1)
        for w in (self.backup_button, self.restore_button):
            w.setEnabled(local)  # a hub's database is backed up with PostgreSQL's tools

        # Re-keying.
        self.rekey_explain = QLabel()
        self.rekey_explain.setWordWrap(True)
        self.rekey_button = QPushButton()
        self.rekey_button.setObjectName("action_rekey")
        self.rekey_button.clicked.connect(lambda: self.rekey())
        rekey_row = QHBoxLayout()
        rekey_row.addWidget(self.rekey_explain, 1)
        rekey_row.addWidget(self.rekey_button, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.addLayout(lock_row)
        layout.addWidget(self.passphrase_title)
        layout.addLayout(form)
        layout.addWidget(self.passphrase_error)
        layout.addWidget(self.passphrase_result)
        layout.addLayout(keys_row)
        layout.addWidget(self.backups_title)
        layout.addWidget(self.backups)
        layout.addLayout(backup_row)
        layout.addWidget(self.backup_result)
        layout.addLayout(rekey_row)
        self.refresh_backups()
        self.retranslate_ui()

    @property
    def root(self) -> Any:
        return self.ctx.workspace.data_dir.root

    def retranslate_ui(self) -> None:
        self.setTitle(_("Security"))
        self.lock_label.setText(_("&Lock after this many idle minutes:"))
        self.lock_minutes.setSpecialValueText(_("Never"))
        self.lock_minutes.setSuffix(_(" min"))
        self.lock_minutes.setAccessibleName(_("Minutes of inactivity before the app locks"))
        self.passphrase_title.setText(_("Passphrase and recovery key"))
        for label, edit, text in zip(self.passphrase_labels,
                                     (self.old_passphrase, self.new_passphrase,
                                      self.new_passphrase_again),
                                     (_("C&urrent passphrase:"), _("Ne&w passphrase:"),
                                      _("New passphrase a&gain:")), strict=True):
            label.setText(text)
            edit.setAccessibleName(text.replace("&", "").rstrip(":"))
        self.change_button.setText(_("Change the passphrase"))
        self.change_button.setAccessibleName(_("Change the passphrase"))
        self.recovery_button.setText(_("New recovery key…"))
        self.recovery_button.setAccessibleName(_("Issue a new recovery key"))
        self.recovery_button.setToolTip(_("The old recovery key card stops working."))
        self.backups_title.setText(_("Backups (encrypted, one a day, the last seven kept)"))
        self.backups.setHorizontalHeaderLabels([_("Made (UTC)"), _("Name"), _("Size")])
        self.backups.setAccessibleName(_("Backups"))
        self.backup_button.setText(_("Back up now"))
        self.backup_button.setAccessibleName(_("Back up now"))
        self.restore_button.setText(_("Restore…"))
        self.restore_button.setAccessibleName(_("Restore the selected backup"))
        self.rekey_explain.setText(_("After a suspected compromise (a stolen laptop, a passphrase "
                                     "seen by someone), re-key the store: new keys, a new "
                                     "recovery key, backups replaced."))
        self.rekey_button.setText(_("Re-key the store…"))
        self.rekey_button.setAccessibleName(_("Re-key the store after a suspected compromise"))

    # -- the idle lock -----------------------------------------------------------------------------

    def _lock_minutes_changed(self, minutes: int) -> None:
        set_lock_minutes(self.ctx.workspace, minutes)
        lock = self.window().findChild(IdleLock)
        if isinstance(lock, IdleLock):
            lock.set_minutes(minutes)

    # -- passphrase and recovery key ---------------------------------------------------------------

    def change_passphrase(self) -> Operation | None:
        self.passphrase_result.clear()
        old, new = self.old_passphrase.text(), self.new_passphrase.text()
        if new != self.new_passphrase_again.text():
            self.passphrase_error.show_error(InputRefused(N_("The two passphrases differ.")))
            self.new_passphrase_again.setFocus()
            return None
        root = self.root
        self.change_button.setEnabled(False)
        self.passphrase_error.show_error(None)

        def done(_result: Any) -> None:
            for edit in (self.old_passphrase, self.new_passphrase, self.new_passphrase_again):
                edit.clear()
            self.passphrase_result.setText(_("The passphrase was changed; the recovery key "
                                             "still works."))

        def failed(exc: BaseException) -> None:
            self._show_failure(self.passphrase_error, self.passphrase_result, exc)
            self.old_passphrase.selectAll()
            self.old_passphrase.setFocus()

        op = run_operation(self, _("Changing the passphrase"),
                           lambda _p: security.change_passphrase(root, old, new),
                           on_success=done, on_failure=failed, show_progress=False)
        op.finished.connect(lambda: self.change_button.setEnabled(True))
        self.operation = op
        return op

    @staticmethod
    def _show_failure(error: ErrorLabel, result: QLabel, exc: BaseException) -> None:
        if isinstance(exc, JsdError):
            error.show_error(exc)
        else:
            error.show_error(None)
            result.setText(error_text(exc))

    def new_recovery_key(self, passphrase: str | None = None) -> str | None:
        """Issue a new recovery key and show it once (with its PDF card)."""
        if passphrase is None:
            prompt = PassphrasePrompt(_("New recovery key"),
                                      _("A new recovery key replaces the current one: the old "
                                        "card stops working. Enter the passphrase to continue."),
                                      self)
            if prompt.exec() != QDialog.DialogCode.Accepted:
                return None
            passphrase = prompt.passphrase.text()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            key = security.issue_recovery_key(self.root, passphrase)
        except JsdError as exc:
            self.passphrase_error.show_error(exc)
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.passphrase_error.show_error(None)
        self.passphrase_result.setText(_("A new recovery key was issued; the old one no longer "
                                         "works."))
        dialog = RecoveryCardDialog(key, self.ctx.workspace.data_dir, self)
        self.recovery_dialog = dialog
        dialog.open()
        return key

    # -- backups -----------------------------------------------------------------------------------

    def refresh_backups(self) -> None:
        items = backup.list_backups(self.ctx.workspace.data_dir)
        self.backups.setRowCount(len(items))
        for row, b in enumerate(items):
            for col, text in enumerate((f"{b.created:%Y-%m-%d %H:%M}", b.name,
                                        f"{b.size / 1024:,.0f} KiB")):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, b.name)
                if col == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.backups.setItem(row, col, item)
        if items:
            self.backups.selectRow(0)
        self.restore_button.setEnabled(bool(items) and not self.ctx.workspace.database_url)

    def selected_backup(self) -> str | None:
        row = self.backups.currentRow()
        item = self.backups.item(row, 1) if row >= 0 else None
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def back_up_now(self) -> Operation:
        data_dir, engine = self.ctx.workspace.data_dir, self.ctx.store.engine
        self.backup_button.setEnabled(False)
        self.backup_result.setText(_("Backing up…"))

        def work(_progress: Progress) -> Any:
            return backup.backup_now(data_dir, engine)

        def done(made: Any) -> None:
            self.refresh_backups()
            self.backup_result.setText(_("Backup {name} written.", name=made.name))

        def failed(exc: BaseException) -> None:
            self.backup_result.setText(error_text(exc))

        op = run_operation(self, _("Backing up"), work, on_success=done, on_failure=failed)
        op.finished.connect(lambda: self.backup_button.setEnabled(True))
        self.operation = op
        return op

    def _confirm(self, title: str, text: str, yes: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("security_confirm")
        accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.button(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is accept

    def restore(self) -> bool:
        name = self.selected_backup()
        if name is None:
            return False
        if not self._confirm(_("Restore a backup"),
                             _("Restore {name}? JSD Desk closes the store, restores the backup "
                               "(the current database is kept aside) and opens it again. "
                               "Changes made since the backup are lost unless a peer has them.",
                               name=name), _("Close and restore")):
            return False
        request_reopen(self, ReopenRequest(RESTORE, name))
        return True

    def rekey(self) -> bool:
        if not self._confirm(_("Re-key the store"),
                             _("Re-key the store? JSD Desk closes the store, encrypts it again "
                               "under new keys and opens it again. Write down the new recovery "
                               "key it shows; the old card and the old backups stop working."),
                             _("Close and re-key")):
            return False
        request_reopen(self, ReopenRequest(REKEY))
        return True
