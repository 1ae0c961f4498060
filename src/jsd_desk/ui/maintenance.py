"""What needs the store closed (issue 7): restoring a backup and re-keying, and the start-up
integrity check whose way forward, when it fails, is a restore.

The app never restores or re-keys under its own open workspace. The Settings page only *asks*
(``request_reopen``): the main window closes, ``ui.main.run`` closes the workspace, runs
``ExclusiveDialog`` (passphrase, work off the GUI thread with step progress) and opens the
restored or re-keyed store in a new main window. The same dialog is the way forward when the
start-up check finds the database damaged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain.errors import InputRefused, JsdError
from jsd_desk.i18n import N_, _
from jsd_desk.paths import DataDir
from jsd_desk.services import backup, security
from jsd_desk.services.startup import check_opened
from jsd_desk.services.workspace import Workspace, open_workspace
from jsd_desk.ui.fields import ErrorLabel
from jsd_desk.ui.kit.widgets import ok_cancel
from jsd_desk.ui.language import Retranslatable
from jsd_desk.ui.operations import Operation, Progress, error_text, run_operation
from jsd_desk.ui.startup import RecoveryKeyDialog

RESTORE, REKEY = "restore", "rekey"
STEP_TEXT = {
    "unlock": N_("Checking the passphrase…"), "choose": N_("Choosing a good backup…"),
    "prepare": N_("Preparing the restored database…"), "export": N_("Copying under the new key…"),
    "check": N_("Checking the copy…"), "stage": N_("Preparing the new keys…"),
    "commit": N_("Switching over…"), "backup": N_("Making a backup under the new key…"),
    "done": N_("Done."),
}


@dataclass(frozen=True)
class ReopenRequest:
    kind: str  # RESTORE or REKEY
    backup_name: str | None = None  # RESTORE: None = the newest good backup


_pending: list[ReopenRequest] = []


def request_reopen(widget: QWidget, request: ReopenRequest) -> None:
    """Close the main window (saving what is typed) so ``ui.main.run`` can close the workspace,
    do ``request`` with the store closed, and reopen."""
    _pending[:] = [request]
    widget.window().close()
    QApplication.quit()


def take_request() -> ReopenRequest | None:
    return _pending.pop() if _pending else None


class RecoveryCardDialog(RecoveryKeyDialog):
    """The new recovery key, shown once, with "Save the card as PDF…"."""

    def __init__(self, recovery_key: str, data_dir: DataDir,
                 parent: QWidget | None = None) -> None:
        self.save_button = QPushButton()
        self.saved = QLabel()
        super().__init__(recovery_key, parent)
        self.recovery_key = recovery_key
        self.data_dir = data_dir
        self.save_button.setObjectName("action_save_recovery_card")
        self.save_button.clicked.connect(lambda: self.save_card())
        self.saved.setObjectName("recovery_card_saved")
        self.saved.setWordWrap(True)
        self.card_error = ErrorLabel()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(2, self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.insertWidget(3, self.saved)
        layout.insertWidget(4, self.card_error)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.save_button.setText(_("Save the card as PDF…"))
        self.save_button.setAccessibleName(_("Save the recovery key card as PDF"))

    def save_card(self, path: Path | None = None) -> bool:
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Save the recovery key card"), "jsd-recovery-key.pdf",
                _("PDF files (*.pdf)"))
            if not chosen:
                return False
            path = Path(chosen)
        from jsd_desk.security.device import load_device_info

        try:
            security.write_card(path, self.recovery_key, load_device_info(self.data_dir.device))
        except (JsdError, OSError) as exc:
            self.card_error.show_error(exc if isinstance(exc, JsdError) else InputRefused(
                N_("The file could not be written: {reason}"),
                reason=exc.strerror or type(exc).__name__))
            return False
        self.card_error.show_error(None)
        self.saved.setText(_("The card is in {path}: print it, then delete the file.",
                             path=str(path)))
        return True


class ExclusiveDialog(Retranslatable, QDialog):
    """Restore a backup or re-key the store, the workspace being closed. On success
    ``workspace`` is the store opened again."""

    def __init__(self, root: Path, kind: str, *, backup_name: str | None = None,
                 problem: str | None = None, database_url: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{kind}_dialog")
        self.data_dir = DataDir(Path(root))
        self.kind = kind
        self.problem = problem
        self.database_url = database_url
        self.workspace: Workspace | None = None
        self.recovery_key: str | None = None
        self.operation: Operation | None = None
        self.explain = QLabel()
        self.explain.setObjectName("exclusive_explain")
        self.explain.setWordWrap(True)
        self.form = QFormLayout()
        self.labels: list[QLabel] = []
        self.choice = QComboBox()
        self.choice.setObjectName("backup_choice")
        if kind == RESTORE:
            self.choice.addItem("", None)
            for b in backup.list_backups(self.data_dir):
                self.choice.addItem(f"{b.created:%Y-%m-%d %H:%M} UTC — {b.name}", b.name)
            if backup_name is not None:
                self.choice.setCurrentIndex(max(self.choice.findData(backup_name), 0))
            self._row(self.choice)
        self.passphrase = self._secret("passphrase")
        self.new_passphrase = self._secret("new_passphrase") if kind == REKEY else None
        self.new_again = self._secret("new_passphrase_again") if kind == REKEY else None
        self.progress = QProgressBar()
        self.progress.setObjectName("exclusive_progress")
        self.progress.setRange(0, len(security.REKEY_STEPS if kind == REKEY
                                      else backup.RESTORE_STEPS))
        self.progress.setVisible(False)
        self.step = QLabel()
        self.step.setObjectName("exclusive_step")
        self.error = ErrorLabel()
        self.error.setObjectName("exclusive_error")
        self.buttons = ok_cancel(self, self.start)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addLayout(self.form)
        layout.addWidget(self.progress)
        layout.addWidget(self.step)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.retranslate_ui()

    def _row(self, editor: QWidget) -> None:
        label = QLabel()
        label.setBuddy(editor)
        self.labels.append(label)
        self.form.addRow(label, editor)

    def _secret(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        self._row(edit)
        return edit

    def retranslate_ui(self) -> None:
        if self.kind == RESTORE:
            self.setWindowTitle(_("Restore a backup"))
            text = _("The database is replaced by the backup you choose; the database it replaces "
                     "is kept aside, never deleted. Changes made after the backup are lost "
                     "unless a peer still has them. This device then continues as a new feed.")
            texts = [_("&Backup:"), _("&Passphrase:")]
            self.choice.setItemText(0, _("The newest good backup"))
            self.choice.setAccessibleName(_("Backup to restore"))
        else:
            self.setWindowTitle(_("Re-key the store"))
            text = _("After a suspected compromise (a stolen laptop, a passphrase seen by "
                     "someone): the store is encrypted again under new keys, a new recovery key "
                     "is shown once and older backups are replaced. Leave the new passphrase "
                     "empty to keep the current one.")
            texts = [_("Current &passphrase:"), _("&New passphrase:"), _("New passphrase &again:")]
        if self.problem:
            text = f"{self.problem}\n\n{text}"
        self.explain.setText(text)
        for label, t in zip(self.labels[-len(texts):], texts, strict=True):
            label.setText(t)
            buddy = label.buddy()
            if buddy is not None and buddy is not self.choice:
                buddy.setAccessibleName(t.replace("&", "").rstrip(":"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Restore") if self.kind == RESTORE else _("Re-key"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def start(self) -> Operation | None:
        passphrase = self.passphrase.text()
        new = self.new_passphrase.text() if self.new_passphrase is not None else ""
        if self.new_again is not None and new != self.new_again.text():
            self.error.show_error(InputRefused(N_("The two passphrases differ.")))
            return None
        name = self.choice.currentData() if self.kind == RESTORE else None
        root, kind, steps = self.data_dir.root, self.kind, (
            security.REKEY_STEPS if self.kind == REKEY else backup.RESTORE_STEPS)

        def work(progress: Progress) -> Any:
            def on_step(step: str) -> None:
                progress(steps.index(step) + 1, len(steps))

            if kind == RESTORE:
                backup.restore_backup(root, passphrase, name, on_step=on_step)
                return None
            return security.rekey(root, passphrase, new_passphrase=new or None,
                                  on_step=on_step).recovery_key

        def succeeded(recovery_key: Any) -> None:
            if recovery_key is not None:
                self.recovery_key = str(recovery_key)
                RecoveryCardDialog(self.recovery_key, self.data_dir, self).exec()
            try:
                self.workspace = open_workspace(root, new or passphrase,
                                                database_url=self.database_url)
            except JsdError as exc:
                self.error.show_error(exc)
                return
            self.accept()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, JsdError):
                self.error.show_error(exc)
            else:
                self.step.setText(error_text(exc))

        def finished() -> None:
            self.buttons.setEnabled(True)
            self.progress.setVisible(False)

        def progressed(done: int, total: int) -> None:
            self.progress.setValue(done)
            self.step.setText(_(STEP_TEXT.get(steps[done - 1], "")) if done else "")

        self.error.show_error(None)
        self.buttons.setEnabled(False)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        # No cancel: once committed, a re-key must run to its end (its new recovery key).
        op = run_operation(self, self.windowTitle(), work, on_success=succeeded,
                           on_failure=failed, show_progress=False)
        op.progressed.connect(progressed)
        op.finished.connect(finished)
        self.operation = op
        return op

    def reject(self) -> None:
        if self.operation is not None and not self.operation.is_finished():
            return  # the work cannot be stopped half-way; it ends by itself
        super().reject()


# -- the start-up check ---------------------------------------------------------------------------


def offer_restore(parent: QWidget | None, root: Path, error: JsdError,
                  database_url: str | None = None) -> Workspace | None:
    """The database is damaged: say so, and offer to restore the latest good backup."""
    box = QMessageBox(QMessageBox.Icon.Critical, _("JSD Desk"), error.message(),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("damaged_store_box")
    has_backup = bool(backup.list_backups(DataDir(Path(root))))
    restore = box.addButton(_("Restore a backup…"), QMessageBox.ButtonRole.AcceptRole)
    restore.setObjectName("action_restore_after_damage")
    restore.setEnabled(has_backup)
    quit_button = box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore if has_backup else quit_button)
    box.exec()
    if box.clickedButton() is not restore:
        return None
    dialog = ExclusiveDialog(root, RESTORE, problem=error.message(), database_url=database_url,
                             parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.workspace


def check_at_startup(workspace: Workspace,
                     parent: QWidget | None = None) -> tuple[Workspace | None, str | None]:
    """Right after unlocking: the integrity check and the day's backup. Returns the workspace
    to use (a restored one after a failed check; None when the user gives up) and a warning for
    the status bar."""
    root, url = workspace.data_dir.root, workspace.database_url
    try:
        started = check_opened(workspace)  # closes the workspace when it fails
    except backup.DamagedStore as exc:
        restored = offer_restore(parent, root, exc, url)
        if restored is None:
            return None, None
        return check_at_startup(restored, parent)
    return started.workspace, started.warning
