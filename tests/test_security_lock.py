"""The GUI's idle lock (issue 7) on real widgets, offscreen: after the idle time the window's
contents are hidden and its shortcuts off until the store's passphrase is given again."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow
from pytestqt.qtbot import QtBot

from jsd_desk.services.workspace import init_workspace
from jsd_desk.ui.lock import install_idle_lock

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")
PASS = "lock passphrase 3"


def test_idle_window_locks_and_unlocks_with_the_passphrase(qtbot: QtBot, tmp_path: Path) -> None:
    init_workspace(tmp_path / "s", "Diffa fac", "facilitator", PASS)[0].close()
    window = QMainWindow()
    qtbot.addWidget(window)
    secret = QLabel("Aminatou, témoin, 96 11 22 33")
    window.setCentralWidget(secret)
    action = QAction("New", window)
    action.setObjectName("action_new_session")
    window.addAction(action)
    window.resize(640, 480)
    window.show()
    lock = install_idle_lock(window, tmp_path / "s", interval_ms=150)

    qtbot.waitUntil(lambda: lock.locked, timeout=5000)
    panel = lock.panel
    assert panel is not None and panel.isVisible()
    assert not secret.isVisible() and not action.isEnabled()
    assert panel.geometry() == window.rect()

    qtbot.keyClicks(panel.passphrase, "wrong passphrase")
    qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
    assert lock.locked and panel.error.isVisible()
    assert panel.error.text() == "The passphrase is wrong."

    panel.passphrase.clear()
    qtbot.keyClicks(panel.passphrase, PASS)
    qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)
    assert not lock.locked
    assert secret.isVisible() and action.isEnabled()

    # Input keeps it open; stillness locks it again; 0 minutes turns it off.
    lock.set_minutes(0)
    qtbot.wait(300)
    assert not lock.locked
