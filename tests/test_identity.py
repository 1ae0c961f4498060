"""Who the app says it is: `--version` from the package metadata, the icon, and the About
dialog's licences, read from the installed distributions rather than typed by hand."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

import pytest
from pytestqt.qtbot import QtBot

import jsd_desk
from jsd_desk import about
from jsd_desk.i18n import set_language
from jsd_desk.services.workspace import Workspace
from jsd_desk.ui.about_dialog import AboutDialog, app_icon
from tests.ui_helpers import (  # noqa: F401 - fixtures
    WindowFactory,
    make_window_fixture,
    ui_settings_fixture,
)

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


def test_version_is_the_metadata_version() -> None:
    out = subprocess.run([sys.executable, "-m", "jsd_desk", "--version"], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert out.strip() == f"jsd-desk {metadata.version('jsd-desk')}"
    assert about.version() == metadata.version("jsd-desk") == jsd_desk.__version__


def test_bundled_distributions_follow_the_requirements() -> None:
    names = {d.metadata["Name"].lower().replace("_", "-") for d in about.bundled_distributions()}
    # Direct requirements, theirs (PySide6 → shiboken6), extras (psycopg[binary]) …
    assert {"jsd-desk", "pyside6", "pyside6-essentials", "shiboken6", "reportlab",
            "sqlcipher3-binary", "psycopg-binary", "cffi"} <= names
    # … and nothing only the developers install.
    assert not names & {"pytest", "mypy", "hypothesis", "pyinstaller", "ruff"}


def test_every_licence_has_a_name_and_the_components_are_attached() -> None:
    entries = about.third_party_licences()
    assert all(e.licence and e.licence != "?" for e in entries), [e.name for e in entries]
    by_name = {e.name: e for e in entries}
    assert by_name["reportlab"].licence.startswith("BSD")
    qt = next(e for e in entries if e.name.startswith("Qt 6"))
    assert qt.licence == "LGPL-3.0-only" and qt.version == metadata.version("PySide6-Essentials")
    dejavu = next(e for e in entries if e.name.startswith("DejaVu"))
    assert "Bitstream" in dejavu.texts[0]
    # A component whose carrier is not installed (sqlcipher3 is the Windows/macOS wheel) is not
    # claimed as bundled.
    assert [e.carrier for e in entries if e.name.startswith("SQLCipher")] == ["sqlcipher3-binary"]


def test_the_icon_has_every_hicolor_size(qtbot: QtBot) -> None:  # qtbot: a QApplication
    sizes = sorted(int(p.parent.parent.name.split("x")[0]) for p in about.icon_files())
    assert sizes == [16, 24, 32, 48, 64, 128, 256, 512]
    icon = app_icon()
    assert not icon.isNull() and {s.width() for s in icon.availableSizes()} >= {16, 48, 256}


def _rows(dialog: AboutDialog) -> list[tuple[str, str]]:
    table = dialog.table
    return [(table.item(r, 0).text(), table.item(r, 2).text()) for r in range(table.rowCount())]


def test_about_dialog_from_the_help_menu(workspace: Workspace, make_window: WindowFactory,
                                         qtbot: QtBot) -> None:
    window = make_window(workspace)
    assert window.action_about in window.bars.menu_help.actions()
    assert window.action_about.objectName() == "action_about"
    window.action_about.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert about.version() in dialog.heading.text() and "Apache-2.0" in dialog.heading.text()
    rows = dict(_rows(dialog))
    assert any(name.startswith("Qt 6") and "LGPL" in lic for name, lic in rows.items())
    assert any(name.startswith("SQLCipher") and "BSD" in lic for name, lic in rows.items())
    assert rows["reportlab"].startswith("BSD")
    assert "PySide6" in rows and "LGPL-3.0-only" in rows["PySide6"]
    # Selecting a line shows its licence text.
    row = next(r for r, (name, _l) in enumerate(_rows(dialog)) if name == "reportlab")
    dialog.table.setCurrentCell(row, 0)
    assert "ReportLab" in dialog.text.toPlainText()
    dialog.close()


def test_about_dialog_in_french(qtbot: QtBot) -> None:
    set_language("fr")
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "À propos de JSD Desk"
    assert "Distribué sous la licence Apache, version 2.0 (Apache-2.0)" in dialog.heading.text()
    assert dialog.table.horizontalHeaderItem(2).text() == "Licence"
