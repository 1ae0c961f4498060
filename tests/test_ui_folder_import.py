"""The Sync page's folder import under pytest-qt: in the background with a progress bar, the
files it cannot import listed with their reason; cancelled, it keeps what it did and runs again."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from jsd_desk.services import folder_import as fi
from jsd_desk.ui.folder_import_panel import FolderImportPanel
from jsd_desk.ui.sync.page import SyncPage
from tests.sync_support import MakeWorkspace, add_concern, dump, introduce, send
from tests.ui_helpers import WindowFactory, make_window_fixture, ui_settings_fixture  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


def finish(qtbot: QtBot, panel: FolderImportPanel) -> None:
    assert panel.operation is not None
    qtbot.waitUntil(lambda: not panel.busy() and panel.choose_button.isEnabled(),
                    timeout=60_000)


def test_a_folder_is_imported_in_the_background_and_cancel_keeps_what_was_done(
        make_workspace: MakeWorkspace, make_window: WindowFactory, qtbot: QtBot,
        tmp_path: Path) -> None:
    hub, fati = make_workspace("office", "analyst"), make_workspace("fati")
    introduce(fati, hub)
    folder = tmp_path / "cle-usb"
    folder.mkdir()
    for n in range(2):
        add_concern(fati, f"Préoccupation {n} de la plateforme")
        send(fati, hub, folder)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a bundle")

    window = make_window(hub)
    page = window.go_to("sync")
    assert isinstance(page, SyncPage)
    panel = page.folder_import
    assert panel.choose_button.objectName() == "action_import_folder"

    # Cancelled before the first file: nothing imported, the panel says so and is free again.
    panel.import_folder(folder)
    assert panel.cancel_button.isEnabled() and not panel.choose_button.isEnabled()
    panel.cancel_button.click()
    finish(qtbot, panel)
    assert panel.report is not None and panel.report.cancelled and panel.files.count() == 0
    assert panel.summary.text().startswith("Cancelled; the bundles already imported are kept.")

    panel.import_folder(folder)
    finish(qtbot, panel)
    lines = [panel.files.item(i).text() for i in range(panel.files.count())]
    assert len(lines) == 3
    assert sum(" — imported: " in line for line in lines) == 2
    (junk,) = [line for line in lines if line.startswith("photo.jpg")]
    assert "skipped: This file is not a JSD Desk bundle." in junk
    assert panel.summary.text().startswith("3 files — imported: 2, already imported: 0, skipped: 1")
    assert panel.progress.value() == panel.progress.maximum() == 3
    assert dump(hub) == dump(fati)

    panel.import_folder(folder)  # again: every bundle recognised, nothing new
    finish(qtbot, panel)
    assert panel.report is not None and panel.report.count(fi.ALREADY) == 2
    assert panel.report.new == 0
