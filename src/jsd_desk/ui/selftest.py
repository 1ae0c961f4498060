"""The window part of ``jsd-desk self-test``: the main window on a store, every page shown.

It runs the same code as the desktop app (pages are imported by name at first show, Qt's
platform and image plugins, the fonts, the catalogs), so in a frozen bundle it proves that
everything the window needs was packed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from jsd_desk.services.workspace import Workspace
from jsd_desk.ui.about_dialog import AboutDialog
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.main import make_application
from jsd_desk.ui.main_window import MainWindow
from jsd_desk.ui.pages import PAGES


def show_every_page(workspace: Workspace, settings_file: Path,
                    shot: Path | None = None) -> tuple[list[str], list[str]]:
    """Open the main window, show each page in turn and the About dialog, close them. Returns
    the pages shown and the names the About dialog lists (from the bundled metadata).
    ``settings_file`` keeps the window's settings away from the user's own."""
    app = make_application()
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    ctx = UiContext(workspace)
    window = MainWindow(ctx, settings)
    shown: list[str] = []
    try:
        window.resize(1280, 720)
        window.show()
        for spec in PAGES:
            window.go_to(spec.key)
            app.processEvents()
            shown.append(spec.key)
        window.go_to("home")
        app.processEvents()
        if shot is not None and not window.grab().save(str(shot)):
            raise OSError(f"cannot write {shot}")
        about = AboutDialog(window)
        about.show()
        app.processEvents()
        listed = [item.text() for r in range(about.table.rowCount())
                  if (item := about.table.item(r, 0)) is not None]
        about.close()
    finally:
        window.close()
        ctx.signals.detach()
        window.deleteLater()
        QApplication.processEvents()
    return shown, listed
