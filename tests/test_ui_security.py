"""Issue 7 in the desktop app, on real widgets offscreen: the idle lock wired to the main
window, the start-up check with its way forward (a restore), Settings → Security (passphrase,
backups) and a record's history."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import WrongPassphrase
from jsd_desk.i18n import _, set_language
from jsd_desk.services import audit, backup, complaints, places, unlock
from jsd_desk.services.workspace import Workspace, open_workspace
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.history_dialog import HistoryButton, HistoryDialog
from jsd_desk.ui.lock import IdleLock
from jsd_desk.ui.main import open_main_window
from jsd_desk.ui.maintenance import ExclusiveDialog, check_at_startup, offer_restore
from jsd_desk.ui.security_panel import SecurityPanel, lock_minutes
from tests.conftest import PASSPHRASE
from tests.replicas import copy_events, events_of, introduce
from tests.ui_helpers import (  # noqa: F401 - fixtures
    COMPLAINANT_NAME,
    WindowFactory,
    all_texts,
    answer_next_dialog,
    make_window_fixture,
    seed,
    ui_settings_fixture,
)

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")
Make = Callable[..., Workspace]


def test_the_main_window_locks_when_idle_and_opens_with_the_passphrase_only(
        workspace: Workspace, qtbot: QtBot, ui_settings: QSettings) -> None:
    seed(workspace.store)
    ctx = UiContext(workspace)
    window = open_main_window(ctx, ui_settings)
    qtbot.addWidget(window)
    lock = window.findChild(IdleLock)
    assert isinstance(lock, IdleLock)
    assert lock.timer.interval() == 10 * 60_000  # the default
    panel = window.go_to("settings").findChild(SecurityPanel)
    assert isinstance(panel, SecurityPanel)
    panel.lock_minutes.setValue(3)  # the Settings spin box drives the lock, and is kept
    assert lock.timer.interval() == 3 * 60_000 and lock_minutes(workspace) == 3
    window.go_to("complaints")
    lock.set_minutes(1, interval_ms=100)  # a tiny timeout
    qtbot.waitUntil(lambda: lock.locked, timeout=5000)
    assert lock.panel is not None
    assert not window.centralWidget().isVisible()
    assert not window.action_new_session.isEnabled()
    qtbot.keyClicks(lock.panel.passphrase, "not the passphrase")
    qtbot.keyClick(lock.panel.passphrase, Qt.Key.Key_Return)
    assert lock.locked and lock.panel.error.isVisible()
    lock.panel.passphrase.clear()
    qtbot.keyClicks(lock.panel.passphrase, PASSPHRASE)
    qtbot.keyClick(lock.panel.passphrase, Qt.Key.Key_Return)
    assert not lock.locked
    assert window.centralWidget().isVisible() and window.action_new_session.isEnabled()
    lock.set_minutes(0)
    ctx.signals.detach()


def _damage(db: Path) -> None:
    data = bytearray(db.read_bytes())
    for offset in range(8192, len(data), 4096):
        data[offset + 100:offset + 200] = bytes(100)
    db.write_bytes(bytes(data))


def test_startup_backs_up_and_a_damaged_store_is_restored_from_the_dialog(
        make_workspace: Make, qtbot: QtBot) -> None:
    ws = make_workspace()
    root = ws.data_dir.root
    places.add_platform(ws.store, name="Plateforme sauvegardée", place_id=None)
    checked, warning = check_at_startup(ws)
    assert checked is ws and warning is None
    assert len(backup.list_backups(ws.data_dir)) == 1  # the day's backup
    ws.close()
    _damage(root / "jsd.db")

    def restore_dialog(widget: QWidget) -> None:
        assert isinstance(widget, ExclusiveDialog)
        assert "damaged" in widget.explain.text()
        widget.passphrase.setText(PASSPHRASE)
        widget.buttons.button(widget.buttons.StandardButton.Ok).click()

    def damaged_box(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        assert "backup" in widget.text()
        answer_next_dialog(qtbot, restore_dialog)
        button = widget.findChild(QWidget, "action_restore_after_damage")
        assert button is not None and button.isEnabled()
        button.click()  # type: ignore[attr-defined]

    answer_next_dialog(qtbot, damaged_box)
    try:
        opened = open_workspace(root, PASSPHRASE)
    except backup.DamagedStore as exc:  # the file no longer opens
        restored = offer_restore(None, root, exc)
    else:  # it opens, and the quick check finds the damage
        restored, _warning = check_at_startup(opened)
    assert restored is not None
    try:
        assert "Plateforme sauvegardée" in [p.name for p in places.platforms(restored.store)]
        assert backup.quick_check(restored.store.engine) == []
    finally:
        restored.close()


def test_settings_changes_the_passphrase_and_backs_up(workspace: Workspace,
                                                      make_window: WindowFactory,
                                                      qtbot: QtBot) -> None:
    window = make_window(workspace)
    panel = window.go_to("settings").findChild(SecurityPanel)
    assert isinstance(panel, SecurityPanel)
    root = workspace.data_dir.root
    # The two new passphrases differ: said inline, nothing changes.
    qtbot.keyClicks(panel.old_passphrase, PASSPHRASE)
    qtbot.keyClicks(panel.new_passphrase, "nouvelle phrase 2026")
    qtbot.keyClicks(panel.new_passphrase_again, "nouvelle phrase 2027")
    qtbot.mouseClick(panel.change_button, Qt.MouseButton.LeftButton)
    assert panel.passphrase_error.text() == "The two passphrases differ."
    # A wrong current passphrase: said inline.
    panel.old_passphrase.setText("pas la bonne phrase")
    panel.new_passphrase_again.setText("nouvelle phrase 2026")
    op = panel.change_passphrase()
    assert op is not None
    qtbot.waitUntil(lambda: not panel.passphrase_error.isHidden(), timeout=10_000)
    qtbot.waitUntil(op.is_finished)
    assert panel.passphrase_error.text() == "The passphrase is wrong."
    assert panel.passphrase_error.isVisible()
    # The right one.
    panel.old_passphrase.setText(PASSPHRASE)
    op = panel.change_passphrase()
    assert op is not None
    with qtbot.waitSignal(op.finished, timeout=15_000):
        pass
    assert panel.passphrase_error.isHidden()
    assert "changed" in panel.passphrase_result.text() and not panel.old_passphrase.text()
    unlock.verify_passphrase(root, "nouvelle phrase 2026")
    with pytest.raises(WrongPassphrase):
        unlock.verify_passphrase(root, PASSPHRASE)

    assert panel.backups.rowCount() == 0 and not panel.restore_button.isEnabled()
    for expected in (1, 2):
        op = panel.back_up_now()
        with qtbot.waitSignal(op.finished, timeout=15_000):
            pass
        assert panel.backups.rowCount() == expected
    names = [b.name for b in backup.list_backups(workspace.data_dir)]
    assert [panel.backups.item(r, 1).text() for r in range(2)] == names
    assert panel.selected_backup() == names[0] and panel.restore_button.isEnabled()
    assert any(n in panel.backup_result.text() for n in names)


def test_a_record_history_and_its_export(make_workspace: Make, qtbot: QtBot, qtmodeltester: object,
                                         tmp_path: Path) -> None:
    fac = make_workspace("fatouma", "facilitator")
    liaison = make_workspace("lamine", "liaison")
    introduce(liaison, fac)
    new = complaints.receive_complaint(
        fac.store, received_on="2026-07-01", channel="walk_in", category="sgbv",
        description="Agression", complainant={"name": COMPLAINANT_NAME, "contact": "96 00"})
    complaints.change_status(fac.store, new.id, "under_review")
    copy_events(liaison, events_of(fac))

    mine = HistoryDialog(fac.store, new.id)
    qtbot.addWidget(mine)
    qtmodeltester.check(mine.model)  # type: ignore[attr-defined]
    texts = all_texts(mine)
    # Codes are shown by their labels, never as stored (DESIGN §2).
    assert COMPLAINANT_NAME in texts and "Under review" in texts and "fatouma" in texts
    assert "under_review" not in texts and "sgbv" not in texts and "Category" in texts
    assert mine.export_csv(tmp_path / "h.csv") == len(mine.entries)
    assert (tmp_path / "h.csv").read_bytes() == audit.to_csv(mine.entries)

    theirs = HistoryDialog(liaison.store, new.id)
    qtbot.addWidget(theirs)
    qtmodeltester.check(theirs.model)  # type: ignore[attr-defined]
    texts = all_texts(theirs)
    assert COMPLAINANT_NAME not in texts and "96 00" not in texts
    assert "Confidential" in texts and "Under review" in texts and "under_review" not in texts

    set_language("fr")
    try:
        french = HistoryDialog(fac.store, new.id)
        qtbot.addWidget(french)
        texts = all_texts(french)
        assert _("Under review") != "Under review"  # the catalog has it
        for label in (_("Under review"), _("Category"), vocab.COMPLAINT_CATEGORY.label("sgbv")):
            assert label in texts, label
        assert "Under review" not in texts and "under_review" not in texts and "sgbv" not in texts
    finally:
        set_language("en")


def test_the_history_action_opens_from_the_complaint_and_the_session(
        workspace: Workspace, make_window: WindowFactory, qtbot: QtBot) -> None:
    ids = seed(workspace.store)
    window = make_window(workspace)
    for entity, record in (("complaint", ids.complaint), ("session", ids.past)):
        window.open_record(entity, record)
        button = next(b for b in window.findChildren(HistoryButton) if b.isVisible())
        assert button.defaultAction().objectName() == "action_record_history"
        assert button.text() and button.accessibleName()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        dialog = window.findChild(HistoryDialog)
        assert isinstance(dialog, HistoryDialog) and dialog.record_id == record
        assert dialog.model.rowCount() > 0
        dialog.done(QDialog.DialogCode.Rejected)
        qtbot.waitUntil(lambda: window.findChild(HistoryDialog) is None)
