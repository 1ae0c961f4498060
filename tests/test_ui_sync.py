"""The Sync page and the Conflicts view on real widgets, offscreen, between two real stores (a
facilitator's and a ministry analyst's): contact cards checked by fingerprint, bundles written and
read through Qt's own file dialogs in the background, a refused bundle, a conflict settled from the
view on both devices, and the sync folder found by its timer."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from jsd_desk.domain.clock import now_ms
from jsd_desk.services import sync
from jsd_desk.services.demo import DemoOptions, add_demo_activity
from jsd_desk.services.workspace import Workspace
from jsd_desk.ui.conflicts import FIELD_LABELS
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.language import apply_language
from jsd_desk.ui.sync.page import SyncPage
from jsd_desk.ui.sync.peer_card import PeerCardDialog
from tests.sync_support import MakeWorkspace, add_concern, concern, edit, introduce, receive, send, state
from tests.ui_helpers import WindowFactory, make_window_fixture, ui_settings_fixture  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

DAY_MS = 24 * 3600 * 1000
SCREENS = Path(__file__).resolve().parent.parent / "build" / "screens"
PageFactory = Callable[[Workspace], SyncPage]


@pytest.fixture
def make_page(qtbot: QtBot) -> Iterator[PageFactory]:
    pages: list[SyncPage] = []

    def make(ws: Workspace) -> SyncPage:
        page = SyncPage(UiContext(ws))
        qtbot.addWidget(page)
        page.resize(1100, 760)
        page.show()
        qtbot.waitExposed(page)
        pages.append(page)
        return page

    yield make
    for page in pages:  # nothing may run once the stores close
        page.folder.timer.stop()
        if page.operation is not None:
            page.operation.wait()
        page.ctx.signals.detach()


def when_shown(kind: type[QWidget], handler: Callable[[Any], None]) -> None:
    """Run ``handler`` on the next modal dialog of type ``kind`` as soon as it is shown."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            handler(widget)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def choose_file(path: Path) -> Callable[[QFileDialog], None]:
    def handler(dialog: QFileDialog) -> None:
        dialog.selectFile(str(path))
        dialog.accept()

    return handler


def message_boxes(parent: QWidget) -> list[QMessageBox]:
    return [b for b in parent.findChildren(QMessageBox) if b.isVisible()]


def done(page: SyncPage) -> bool:
    return page.operation is not None and not page.busy()


def test_cards_bundles_and_a_refused_bundle_between_two_devices(
        make_workspace: MakeWorkspace, make_page: PageFactory, qtbot: QtBot,
        tmp_path: Path) -> None:
    fac, ana = make_workspace("fati"), make_workspace("mina", "analyst")
    add_concern(fac, "Vols de motos au marché de Yantala")
    add_concern(fac, "Racket au poste de contrôle")
    pf, pa = make_page(fac), make_page(ana)
    assert pf.device.fingerprint.text() == fac.keys.info.fingerprint()
    assert pa.peers.peers_empty.isVisible() and not pa.peers.peers_table.isVisible()
    assert not pf.bundles.action_export_bundle.isEnabled()  # nobody to send to yet

    # The facilitator saves her card through Qt's save dialog.
    card = tmp_path / "fati.jsdcard"
    when_shown(QFileDialog, choose_file(card))
    pf.device.action_export_card.trigger()
    assert card.is_file() and "fati.jsdcard" in pf.bundles.summary_detail.text()

    # The analyst opens it: the fingerprint is shown, and trust waits for the confirmation.
    seen: dict[str, Any] = {}

    def confirm(dialog: PeerCardDialog) -> None:
        seen["fingerprint"] = dialog.values["peer_fingerprint"].text()
        seen["enabled_before"] = dialog.trust_button.isEnabled()
        QTest.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
        QTest.mouseClick(dialog.trust_button, Qt.MouseButton.LeftButton)

    def pick_card(dialog: QFileDialog) -> None:
        when_shown(PeerCardDialog, confirm)
        choose_file(card)(dialog)

    when_shown(QFileDialog, pick_card)
    pa.peers.action_add_peer.trigger()
    assert seen == {"fingerprint": fac.keys.info.fingerprint(), "enabled_before": False}
    assert [p.info.name for p in pa.peers.peers_model.rows()] == ["fati"]
    assert pa.peers.peers_table.isVisible() and "now trusted" in pa.bundles.summary.text()
    sync.add_peer(fac, ana.keys.info, fingerprint=ana.keys.info.fingerprint())
    pf.refresh()

    # A bundle for the analyst, written in the background.
    pf.bundles.recipient.setCurrentIndex(pf.bundles.recipient.findData(ana.keys.info.device_id))
    bundle = tmp_path / "to-mina.jsdb"
    when_shown(QFileDialog, choose_file(bundle))
    pf.bundles.action_export_bundle.trigger()
    qtbot.waitUntil(lambda: done(pf), timeout=20_000)
    events = pf.operation.result.events  # type: ignore[union-attr]
    assert bundle.is_file() and events > 0
    assert pf.bundles.summary.text() == f"Bundle written: {events} events"
    [pending] = pf.outbox.outbox_model.rows()
    assert pending.to == (ana.keys.info.device_id,) and pending.acked_at is None

    # The analyst imports it: the summary counts what it brought; a second import changes nothing.
    when_shown(QFileDialog, choose_file(bundle))
    pa.bundles.action_import_bundles.trigger()
    qtbot.waitUntil(lambda: done(pa), timeout=20_000)
    assert pa.bundles.summary.text() == f"{events} new · 0 already known · 0 conflicts · 0 held aside"
    assert "From fati, 1 bundle." in pa.bundles.summary_detail.text()
    assert sync.last_sync(ana.store) is not None and "never" not in pa.bundles.last_sync.text()
    pa.bundles.import_bundles([bundle])
    qtbot.waitUntil(lambda: done(pa), timeout=20_000)
    assert pa.bundles.summary.text() == f"0 new · {events} already known · 0 conflicts · 0 held aside"

    # Random bytes: one sentence in a message box, and nothing else changes.
    junk = tmp_path / "junk.jsdb"
    junk.write_bytes(os.urandom(3000))
    before, summary = state(ana), pa.bundles.summary.text()
    pa.bundles.import_bundles([junk])
    qtbot.waitUntil(lambda: bool(message_boxes(pa)), timeout=20_000)
    [box] = message_boxes(pa)
    sentence = box.text()
    assert "\n" not in sentence and sentence.endswith(".") and sentence.count(". ") == 0
    assert box.icon() == QMessageBox.Icon.Warning
    box.close()
    assert pa.bundles.summary.text() == summary and state(ana) == before


def test_a_conflict_is_shown_and_settled_on_both_devices(
        make_workspace: MakeWorkspace, make_page: PageFactory, qtbot: QtBot,
        qtmodeltester: Any, tmp_path: Path) -> None:
    fac, ana = make_workspace("fati"), make_workspace("mina", "analyst")
    introduce(fac, ana)
    add_demo_activity(fac.store, DemoOptions(seed=1, sessions=3))
    rid = add_concern(fac, "Vols de motos la nuit")
    edit(fac, rid, theme="Vols")
    receive(ana, send(fac, ana, tmp_path))
    # Both change the theme before they sync again.
    edit(fac, rid, theme="Vols de motos")
    edit(ana, rid, theme="Banditisme au marché")
    receive(ana, send(fac, ana, tmp_path))
    to_fac = send(ana, fac, tmp_path)
    assert receive(fac, to_fac).conflicts == 1

    page = make_page(fac)
    assert page.tabs.tabText(1) == "Conflicts (1)" and page.bundles.conflicts_button.isVisible()
    view = page.conflicts
    for model in (view.model, view.heads_model, page.peers.peers_model, page.outbox.outbox_model):
        qtmodeltester.check(model)
    page.grab().save(str(_screen("sync-page.png")))

    page.bundles.conflicts_button.click()
    assert page.tabs.currentWidget() is view and view.model.rowCount() == 1
    row = [view.model.index(0, c).data() for c in range(view.model.columnCount())]
    assert row[0] == "Concern" and row[2] == "Theme"
    assert {row[3], row[4]} == {"Vols de motos", "Banditisme au marché"}
    heads = [[view.heads_model.index(r, c).data() for c in range(4)]
             for r in range(view.heads_model.rowCount())]
    assert {(h[0], h[1]) for h in heads} == {("Vols de motos", "fati"),
                                            ("Banditisme au marché", "mina")}
    assert sorted(h[3] for h in heads) == ["", "shown now"]
    assert not view.action_keep.isEnabled()  # nothing chosen yet
    loser = next(r for r in range(2) if not heads[r][3])
    view.heads.selectRow(loser)
    kept = heads[loser][0]
    page.grab().save(str(_screen("sync-conflicts.png")))

    QTest.mouseClick(view.keep_button, Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == 0 and view.empty.isVisible()
    assert page.tabs.tabText(1) == "Conflicts (0)" and not page.bundles.conflicts_button.isVisible()
    assert concern(fac, rid)["theme"] == kept  # type: ignore[index]
    # The choice is an event: once the analyst receives it, the conflict is gone there too.
    receive(ana, send(fac, ana, tmp_path))
    other = make_page(ana)
    assert other.conflicts.model.rowCount() == 0 and other.tabs.tabText(1) == "Conflicts (0)"
    assert concern(ana, rid)["theme"] == kept  # type: ignore[index]

    # Every control has an accessible name, and the page follows a change of language.
    controls = [w for w in page.findChildren(QWidget)
                if isinstance(w, (QAbstractButton, QComboBox, QAbstractItemView))
                and w.objectName() and not w.objectName().startswith("qt_")]
    assert len(controls) > 15
    assert [w.objectName() for w in controls if not w.accessibleName()] == []
    apply_language("fr")
    try:
        qtbot.waitUntil(lambda: page.tabs.tabText(1) == "Conflits (0)")  # LanguageChange
        assert page.bundles.action_import_bundles.text() == "Importer des paquets…"
        assert view.model.headerData(2, Qt.Orientation.Horizontal) == "Champ"
    finally:
        apply_language("en")


def test_events_stamped_in_the_future_are_held_aside_until_released(
        make_workspace: MakeWorkspace, make_page: PageFactory, qtbot: QtBot,
        tmp_path: Path) -> None:
    skew = {"fast": 0, "mine": 0}
    fast = make_workspace("ana", clock=lambda: now_ms() + skew["fast"])
    mine = make_workspace("bako", clock=lambda: now_ms() + skew["mine"])
    introduce(fast, mine)
    rid = add_concern(fast, "Litige foncier")
    receive(mine, send(fast, mine, tmp_path))
    skew["fast"] = 3 * DAY_MS  # its clock is three days fast
    edit(fast, rid, theme="foncier")
    page = make_page(mine)
    assert page.held.held_label.text() == "No event is held aside."
    assert not page.held.action_release_held.isEnabled()

    page.bundles.import_bundles([send(fast, mine, tmp_path)])
    qtbot.waitUntil(lambda: done(page), timeout=20_000)
    assert re.fullmatch(r"0 new · \d+ already known · 0 conflicts · 1 held aside",
                        page.bundles.summary.text())
    assert page.held.held_label.text() == "1 event held aside"
    assert "stamped too far in the future" in page.held.held_label.toolTip()
    release = page.findChild(QPushButton, "release_held_button")
    assert release is not None and release.isEnabled()
    QTest.mouseClick(release, Qt.MouseButton.LeftButton)
    assert page.bundles.summary.text() == "No held event can be applied yet."
    skew["mine"] = 3 * DAY_MS  # this clock reaches the stamp
    page.held.action_release_held.trigger()
    assert page.bundles.summary.text() == "1 held event applied."
    assert page.held.held_label.text() == "No event is held aside."
    assert concern(mine, rid)["theme"] == "foncier"  # type: ignore[index]


def test_the_sync_folder_is_found_by_its_timer_and_synced_in_the_background(
        make_workspace: MakeWorkspace, make_page: PageFactory, qtbot: QtBot,
        tmp_path: Path) -> None:
    fac, ana = make_workspace("fati"), make_workspace("mina", "analyst")
    introduce(fac, ana)
    rid = add_concern(fac, "Bagarres au marché de Wadata")
    usb = tmp_path / "usb"
    pf, pa = make_page(fac), make_page(ana)
    assert pf.folder.folder_state.text().startswith("Choose a folder")

    pf.folder.set_sync_folder(usb)  # the stick is not plugged in yet
    pf.folder.timer.setInterval(50)
    assert pf.folder.folder_state.text().startswith("Not connected") and pf.folder.timer.isActive()
    usb.mkdir()
    qtbot.waitUntil(lambda: any(usb.glob("*.jsdb")) and done(pf), timeout=20_000)
    assert pf.folder.folder_state.text().startswith("Connected")
    assert "1 written" in pf.folder.folder_result.text()

    pa.folder.set_sync_folder(usb)  # already there: a pass starts at once
    qtbot.waitUntil(lambda: done(pa), timeout=20_000)
    assert concern(ana, rid) is not None
    assert re.fullmatch(r"[1-9]\d* new · 0 already known · 0 conflicts · 0 held aside",
                        pa.bundles.summary.text())
    assert "1 bundle imported" in pa.folder.folder_result.text()


def test_every_field_has_a_label() -> None:
    from jsd_desk.domain.records import ENTITIES

    missing = {f for spec in ENTITIES.values() for f in spec.fields} - set(FIELD_LABELS)
    assert missing == set()


def _screen(name: str) -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    return SCREENS / name



def test_the_sync_folder_is_watched_from_start_up(
        make_workspace: MakeWorkspace, make_window: WindowFactory, tmp_path: Path) -> None:
    # The folder watcher lives on the Sync page: with a folder chosen, the window builds that
    # page at start-up instead of waiting for the user to visit it.
    from jsd_desk.services.sync import set_sync_folder

    ws = make_workspace("fati")
    assert "sync" not in make_window(ws)._pages
    set_sync_folder(ws, tmp_path / "usb")
    window = make_window(ws)
    assert window._pages["sync"].folder.timer.isActive()
