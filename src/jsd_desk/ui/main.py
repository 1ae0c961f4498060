"""Starting the GUI: the application object, the store (setup or unlock), the main window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import _
from jsd_desk.i18n.settings import choose_language
from jsd_desk.paths import DataDir, default_data_dir
from jsd_desk.services.workspace import Workspace, open_workspace
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.language import apply_language, desktop_locales
from jsd_desk.ui.main_window import LANGUAGE_SETTING, MainWindow

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
    return app


def startup_language(settings: QSettings) -> str | None:
    """Apply the saved interface language (or the system's at first run, then saved).
    Returns a sentence to show when the saved choice could not be honoured."""
    saved = settings.value(LANGUAGE_SETTING)
    choice = choose_language(saved if isinstance(saved, str) else None,
                             desktop=desktop_locales())
    chosen = apply_language(choice.language, locale=choice.locale)
    if choice.first_run:
        settings.setValue(LANGUAGE_SETTING, chosen)
    return choice.notice()


def obtain_workspace(args: argparse.Namespace) -> Workspace | None:
    """Open the store, creating it on first run. None when the user cancels."""
    root = Path(args.data_dir) if getattr(args, "data_dir", None) else default_data_dir()
    database_url = getattr(args, "database", None)
    passphrase = getattr(args, "passphrase", None)
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
        except JsdError as exc:
            QMessageBox.critical(None, _("JSD Desk"), exc.message())
            return None
    unlock = UnlockDialog(root, database_url)
    if unlock.exec() != QDialog.DialogCode.Accepted:
        return None
    return unlock.workspace


def load_demo_if_empty(window: MainWindow) -> None:
    from jsd_desk.services.queries import has_sessions

    if has_sessions(window.ctx.store):
        window.show_message(_("The store already has sessions; demo data not added."))
        return
    settings_page = window.page("settings")
    load = getattr(settings_page, "load_demo_data", None)
    if callable(load):
        load()


def run(args: argparse.Namespace) -> int:
    app = make_application()
    settings = QSettings()
    notice = startup_language(settings)
    workspace = obtain_workspace(args)
    if workspace is None:
        return 0
    try:
        window = MainWindow(UiContext(workspace), settings)
        window.show()
        if notice:
            window.show_message(notice, 15000)
        if getattr(args, "demo", False):
            load_demo_if_empty(window)
        return app.exec()
    finally:
        workspace.close()
