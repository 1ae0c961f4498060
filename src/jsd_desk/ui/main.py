"""Starting the GUI: the application object, the store (setup or unlock), the main window."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from jsd_desk.domain.errors import JsdError
from jsd_desk.faults import new_folder_fault
from jsd_desk.i18n import _, current_locale
from jsd_desk.i18n.settings import choose_language
from jsd_desk.paths import DataDir, default_data_dir
from jsd_desk.services.workspace import Workspace, open_workspace
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.language import apply_language, desktop_locales
from jsd_desk.ui.main_window import LANGUAGE_SETTING, LOCALE_SETTING, MainWindow

ORGANIZATION = "jsd-desk"
APPLICATION = "JSD Desk"


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication (reused when it exists, as under pytest-qt)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Fractional scale factors (125 %, 150 %) as the system sets them, not rounded.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName(APPLICATION)
    app.setDesktopFileName("jsd-desk")
    from jsd_desk.ui.about_dialog import app_icon

    app.setWindowIcon(app_icon())
    return app


def startup_language(settings: QSettings) -> str | None:
    """Apply the saved interface language (or the system's at first run, then saved).
    Returns a sentence to show when the saved choice could not be honoured."""
    saved = settings.value(LANGUAGE_SETTING)
    choice = choose_language(saved if isinstance(saved, str) else None,
                             settings.value(LOCALE_SETTING), desktop=desktop_locales())
    chosen = apply_language(choice.language, locale=choice.locale)
    if choice.first_run:
        settings.setValue(LANGUAGE_SETTING, chosen)
        settings.setValue(LOCALE_SETTING, current_locale())
    return choice.notice()


def data_folder(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if getattr(args, "data_dir", None) else default_data_dir()


def data_folder_fault(args: argparse.Namespace) -> JsdError | None:
    """Why the data folder cannot be used at all, said before any dialog: a path through a
    file, a folder on a USB stick that is not plugged in (making a new store in its place would
    split the device's data in two), or a read-only place for a first store."""
    root = data_folder(args)
    if DataDir(root).exists():
        return None
    named = bool(getattr(args, "data_dir", None) or os.environ.get("JSD_DESK_DATA_DIR"))
    return new_folder_fault(root, named=named)


def obtain_workspace(args: argparse.Namespace) -> Workspace | None:
    """Open the store, creating it on first run. None when the user cancels."""
    root = data_folder(args)
    database_url = getattr(args, "database", None)
    passphrase = getattr(args, "passphrase", None)
    from jsd_desk.services.backup import DamagedStore
    from jsd_desk.ui.maintenance import offer_restore
    from jsd_desk.ui.startup import RecoveryKeyDialog, SetupDialog, UnlockDialog

    if not DataDir(root).exists():
        setup = SetupDialog(root, database_url)
        if setup.exec() != QDialog.DialogCode.Accepted or setup.workspace is None:
            return None
        assert setup.recovery_key is not None
        RecoveryKeyDialog(setup.recovery_key).exec()
        return setup.workspace
    if passphrase is not None:
        try:
            return open_workspace(root, passphrase, database_url=database_url)
        except DamagedStore as exc:
            return offer_restore(None, root, exc, database_url)
        except JsdError as exc:
            QMessageBox.critical(None, _("JSD Desk"), exc.message())
            args.exit_status = exc.exit_status
            return None
    unlock = UnlockDialog(root, database_url)
    if unlock.exec() != QDialog.DialogCode.Accepted:
        return None
    if unlock.damaged is not None:  # the key is right but the database is damaged
        return offer_restore(None, root, unlock.damaged, database_url)
    return unlock.workspace


def load_demo_if_empty(window: MainWindow) -> None:
    from jsd_desk.services.queries import has_sessions
    from jsd_desk.ui.settings_page import SettingsPage

    if has_sessions(window.ctx.store):
        window.show_message(_("The store already has sessions; demo data not added."))
        return
    settings_page = window.page("settings")
    assert isinstance(settings_page, SettingsPage)
    settings_page.load_demo_data()


def open_main_window(ctx: UiContext, settings: QSettings) -> MainWindow:
    """The main window, shown, with its idle lock (the delay from Settings → Security)."""
    from jsd_desk.ui.lock import install_idle_lock
    from jsd_desk.ui.security_panel import lock_minutes

    window = MainWindow(ctx, settings)
    # The lock is the window's child (``window.findChild(IdleLock)``).
    install_idle_lock(window, ctx.workspace.data_dir.root, lock_minutes(ctx.workspace))
    window.show()
    return window


def run(args: argparse.Namespace) -> int:
    from jsd_desk.ui.maintenance import ExclusiveDialog, check_at_startup, take_request

    app = make_application()
    settings = QSettings()
    notice = startup_language(settings)
    fault = data_folder_fault(args)
    if fault is not None:  # one message in the user's language; nothing is made or changed
        QMessageBox.critical(None, _("JSD Desk"), fault.message())
        return fault.exit_status
    workspace = obtain_workspace(args)
    if workspace is None:
        return int(getattr(args, "exit_status", 0))
    while workspace is not None:
        # The integrity check and the day's backup; a damaged store offers a restore.
        workspace, warning = check_at_startup(workspace)
        if workspace is None:
            return 0
        ctx = UiContext(workspace)
        try:
            window = open_main_window(ctx, settings)
            for message in (warning, notice):
                if message:
                    window.show_message(message, 15000)
            notice = None
            if getattr(args, "demo", False):
                args.demo = False
                load_demo_if_empty(window)
            code = app.exec()
        finally:
            ctx.signals.detach()
            workspace.close()
        # Restore and re-key (asked for in Settings) run here, with the store closed.
        request = take_request()
        if request is None:
            return code
        window.deleteLater()
        dialog = ExclusiveDialog(workspace.data_dir.root, request.kind,
                                 backup_name=request.backup_name,
                                 database_url=workspace.database_url)
        dialog.exec()
        workspace = dialog.workspace or obtain_workspace(args)
    return 0
