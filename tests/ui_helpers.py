"""Shared by the GUI tests: a small, known set of records made through the services, a main
window with its settings in a temporary file, and helpers to drive real widgets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from jsd_desk.services import actions, complaints, places, sessions
from jsd_desk.services.workspace import Workspace
from jsd_desk.store.writer import Store
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.main_window import MainWindow

COMPLAINANT_NAME = "Zeinabou Secret-Identité"


@dataclass(frozen=True)
class Seed:
    platform: str
    other_platform: str
    past: str  # finalized session 30 days ago with attendance, a concern, a complaint, an item
    upcoming: str  # draft session in 5 days
    overdue_item: str
    complaint: str


def seed(store: Store, now: dt.datetime | None = None) -> Seed:
    now = (now or dt.datetime.now()).replace(second=0, microsecond=0)
    platform = places.add_platform(store, name="Plateforme de Talladjé", place_id=None)
    other = places.add_platform(store, name="Cadre de concertation de Diffa", place_id=None)
    past = sessions.create_session(store, platform_id=platform, kind="neighbourhood_dialogue",
                                   title="Réunion mensuelle de Talladjé",
                                   starts_at=now - dt.timedelta(days=30), venue="École de Talladjé")
    sessions.set_attendance(store, past, "women", "f", 12)
    sessions.set_attendance(store, past, "police", "m", 3)
    sessions.set_attendance(store, past, "youth", "m", 9)
    sessions.add_concern(store, past, description="Vols de motos près du marché", theme="Vols")
    item = actions.add_action_item(store, past, description="Patrouilles de nuit au marché",
                                   responsible_party="police", owner="Commissariat",
                                   due_on=(now - dt.timedelta(days=10)).date())
    complaint = complaints.receive_complaint(
        store, received_on=(now - dt.timedelta(days=30)).date(), channel="session",
        category="police_conduct", description="Racket au poste de contrôle", session_id=past,
        complainant={"name": COMPLAINANT_NAME, "contact": "+227 90 00 00 00"})
    sessions.finalize_session(store, past)
    upcoming = sessions.create_session(store, platform_id=platform, kind="neighbourhood_dialogue",
                                       title="Réunion de suivi", starts_at=now + dt.timedelta(days=5))
    sessions.create_session(store, platform_id=other, kind="radio_call_in",
                            title="Émission radio sur la sécurité routière",
                            starts_at=now - dt.timedelta(days=3))
    return Seed(platform, other, past, upcoming, item, complaint.id)


# Test modules import these fixtures under their function names; pytest knows them by ``name``.


@pytest.fixture(name="ui_settings")
def ui_settings_fixture(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui-settings.ini"), QSettings.Format.IniFormat)


WindowFactory = Callable[[Workspace], MainWindow]


@pytest.fixture(name="make_window")
def make_window_fixture(qtbot: QtBot, ui_settings: QSettings) -> Iterator[WindowFactory]:
    contexts: list[UiContext] = []

    def make(ws: Workspace) -> MainWindow:
        ctx = UiContext(ws)
        contexts.append(ctx)
        window = MainWindow(ctx, ui_settings)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        activate(qtbot, window)
        return window

    yield make
    for ctx in contexts:
        ctx.signals.detach()


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type ``text`` key by key. QTest only knows ASCII keys; any other character (é, ï, Arabic,
    emoji) arrives as a key event that carries the character, as an input method sends it."""
    for ch in text:
        if ch == "\n":
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        elif ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                         ch))


def activate(qtbot: QtBot, window: QWidget) -> None:
    """Make ``window`` the active window (window shortcuts only reach the active window)."""
    handle = window.windowHandle()
    assert handle is not None
    handle.requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def answer_next_dialog(qtbot: QtBot, handler: Callable[[QWidget], None]) -> None:
    """Run ``handler`` on the next modal dialog or message box as soon as it is shown."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, (QDialog, QMessageBox)):
            handler(widget)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def click_message_button(box: QWidget, button: QMessageBox.StandardButton) -> None:
    assert isinstance(box, QMessageBox)
    target = box.button(button)
    assert target is not None
    target.click()


def all_texts(root: QWidget) -> str:
    """Every text a person (or a screen reader) could get from the widgets under ``root``,
    including what item views show."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
    )

    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        out += [w.accessibleName(), w.toolTip(), w.windowTitle()]
        if isinstance(w, (QLabel, QAbstractButton, QLineEdit)):
            out.append(w.text())
        elif isinstance(w, QPlainTextEdit):
            out.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            for r in range(min(model.rowCount(QModelIndex()), 500)):
                # A list model's columnCount is private in PySide: it has one column.
                columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(
                    QModelIndex())
                for c in range(columns):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = model.data(model.index(r, c), role)
                        if value:
                            out.append(str(value))
    return "\n".join(t for t in out if t)
