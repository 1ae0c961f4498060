"""The app shell on real widgets, offscreen: main window, navigation, actions and shortcuts,
remembered geometry, background operations, autosaving fields, undo, Home, Settings, and the
first-run and unlock dialogs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QProgressDialog
from pytestqt.qtbot import QtBot

from jsd_desk.domain.errors import ValidationError
from jsd_desk.i18n import N_
from jsd_desk.services import queries
from jsd_desk.services.workspace import Workspace
from jsd_desk.ui.fields import AutosaveField
from jsd_desk.ui.kit.page import Page
from jsd_desk.ui.main_window import MainWindow
from jsd_desk.ui.operations import Cancelled, Operation, Progress, run_operation
from jsd_desk.ui.pages import PAGE_OF_ENTITY, PAGES
from jsd_desk.ui.undo import push_edit
from tests.ui_helpers import (  # noqa: F401 - fixtures
    COMPLAINANT_NAME,
    WindowFactory,
    all_texts,
    make_window_fixture,
    seed,
    ui_settings_fixture,
)

# The offscreen platform plugin (no window system) says "This plugin does not support …" for
# window-system features (size hints of every top-level window, raising and grabbing for popup
# menus): about the test platform, not about the app.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


# -- the main window ---------------------------------------------------------------------------------


def test_every_page_opens_and_every_action_is_named(workspace: Workspace,
                                                    make_window: WindowFactory) -> None:
    ids = seed(workspace.store)
    window = make_window(workspace)
    for spec in PAGES:
        page = window.go_to(spec.key)
        assert window.stack.currentWidget() is page
        assert page.objectName() == f"page_{spec.key}"
        assert window.navigation.currentItem().text()
    # Every page is its own class (no stand-in for a page "not built yet" any more).
    assert {type(window.page(spec.key)).__name__ for spec in PAGES} >= {
        "HomePage", "SessionsPage", "ComplaintsPage", "ActionItemsPage", "PlatformsPage",
        "SyncPage", "SettingsPage"}
    # The window opens a record on the page of its kind by a typed call: each of those pages
    # shows records itself (the kit Page's default refuses).
    for key in set(PAGE_OF_ENTITY.values()):
        page = window.page(key)
        assert isinstance(page, Page)
        assert type(page).open_record is not Page.open_record, key
    window.page("sessions").open_session(ids.upcoming)  # type: ignore[attr-defined]
    actions = window.findChildren(QAction)
    named = {a.objectName() for a in actions if a.objectName()}
    for name in ("action_new_session", "action_new_complaint", "action_new_action_item",
                 "action_search", "action_undo", "action_redo", "action_quit",
                 "action_finalize_session", "action_export_minutes"):
        assert name in named, name
    for action in actions:
        if action.objectName().startswith("action_") and not action.isSeparator():
            assert action.text().strip(), action.objectName()
    assert window.action_new_session.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.action_search.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert not window.action_new_complaint.shortcut().isEmpty()
    assert not window.action_new_action_item.shortcut().isEmpty()
    assert window.navigation.accessibleName() and window.bars.search_box.accessibleName()


def test_navigation_by_keyboard_and_ctrl_f(workspace: Workspace, make_window: WindowFactory,
                                           qtbot: QtBot) -> None:
    window = make_window(workspace)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "sessions"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    sessions_page: Any = window.page("sessions")
    assert QApplication.focusWidget() is sessions_page.search
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "home"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.bars.search_box
    # The window's actions reach the pages' own: a new complaint opens the intake, a new action
    # item with no draft session open says where action items are agreed.
    window.action_new_complaint.trigger()
    complaints: Any = window.page("complaints")
    assert window.current_key() == "complaints"
    assert complaints.side.currentWidget() is complaints.side.intake_scroll
    window.action_new_action_item.trigger()
    assert window.current_key() == "sessions"


def test_window_geometry_and_page_are_remembered(workspace: Workspace, qtbot: QtBot,
                                                 ui_settings: QSettings) -> None:
    from jsd_desk.ui.context import UiContext

    ctx = UiContext(workspace)
    first = MainWindow(ctx, ui_settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 500)  # within the offscreen platform's 800 × 600 screen
    first.go_to("settings")
    qtbot.waitUntil(lambda: first.size().width() == 700)
    first.close()
    second = MainWindow(ctx, ui_settings)
    qtbot.addWidget(second)
    second.show()
    assert second.current_key() == "settings"
    assert (second.width(), second.height()) == (700, 500)
    ctx.signals.detach()


def test_a_language_chosen_in_settings_is_saved_by_the_window(workspace: Workspace, qtbot: QtBot,
                                                              ui_settings: QSettings) -> None:
    from jsd_desk.i18n import current_language, set_language
    from jsd_desk.ui.context import UiContext
    from jsd_desk.ui.main_window import LANGUAGE_SETTING

    ctx = UiContext(workspace)
    window = MainWindow(ctx, ui_settings)
    qtbot.addWidget(window)
    settings: Any = window.page("settings")
    before = current_language()
    other = "fr" if before != "fr" else "en"
    try:
        combo = settings.language
        combo.setCurrentIndex(combo.findData(other))
        combo.activated.emit(combo.currentIndex())
        assert current_language() == other
        # The window, not the page, keeps the choice for the next start.
        assert ui_settings.value(LANGUAGE_SETTING) == other
    finally:
        set_language(before)
        ctx.signals.detach()


def test_global_search_lists_records_and_opens_a_session(workspace: Workspace,
                                                         make_window: WindowFactory,
                                                         qtbot: QtBot) -> None:
    ids = seed(workspace.store)
    window = make_window(workspace)
    window.bars.search_box.setText("Talladjé")
    window._global_search()
    menu = window.findChild(type(window.bars.menu_file), "search_results")
    assert menu is not None
    labels = [a.text() for a in menu.actions()]
    assert any("Réunion mensuelle de Talladjé" in t for t in labels)
    target = next(a for a in menu.actions() if "Réunion mensuelle de Talladjé" in a.text())
    target.trigger()
    menu.close()
    page: Any = window.page("sessions")
    assert window.current_key() == "sessions"
    assert page.editor is not None and page.editor.session_id == ids.past


# -- background operations ----------------------------------------------------------------------------


def test_operation_delivers_progress_and_result_on_the_gui_thread(qtbot: QtBot) -> None:
    gui = threading.get_ident()
    seen: dict[str, Any] = {"progress": [], "threads": set()}

    def work(progress: Progress) -> int:
        seen["worker"] = threading.get_ident()
        for i in range(1, 4):
            progress(i, 3)
        return 42

    op = Operation(work)
    op.progressed.connect(lambda d, t: (seen["progress"].append((d, t)),
                                        seen["threads"].add(threading.get_ident())))
    op.succeeded.connect(lambda r: (seen.__setitem__("result", r),
                                    seen["threads"].add(threading.get_ident())))
    with qtbot.waitSignal(op.finished, timeout=10_000):
        op.start()
    assert seen["result"] == 42
    assert seen["progress"] == [(1, 3), (2, 3), (3, 3)]
    assert seen["worker"] != gui
    assert seen["threads"] == {gui}


def test_operation_cancel_and_failure(qtbot: QtBot) -> None:
    started = threading.Event()
    release = threading.Event()

    def slow(progress: Progress) -> None:
        started.set()
        release.wait(10)
        progress(1, 2)  # raises Cancelled: the user asked to stop
        raise AssertionError("not reached")

    op = Operation(slow)
    op.start()
    assert started.wait(10)
    op.cancel()
    release.set()
    with qtbot.waitSignal(op.cancelled, timeout=10_000):
        pass
    assert op.was_cancelled and op.error is None

    def failing(progress: Progress) -> None:
        raise ValidationError("title", N_("This field is required."))

    bad = Operation(failing)
    with qtbot.waitSignal(bad.failed, timeout=10_000) as blocker:
        bad.start()
    assert isinstance(blocker.args[0], ValidationError)
    assert issubclass(Cancelled, Exception)


def test_run_operation_shows_progress_with_cancel(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    release = threading.Event()
    results: list[object] = []

    def work(progress: Progress) -> str:
        progress(1, 10)
        release.wait(10)
        return "done"

    op = run_operation(parent, "Working", work, on_success=results.append, delay_ms=0)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in parent.findChildren(QProgressDialog)))
    dialog = parent.findChild(QProgressDialog, "operation_progress")
    assert dialog is not None and dialog.labelText() == "Working"
    release.set()
    qtbot.waitUntil(lambda: results == ["done"], timeout=10_000)
    assert op.is_finished()


# -- autosaving fields and undo -------------------------------------------------------------------------


class _Record:
    def __init__(self) -> None:
        self.value: str | None = "start"
        self.writes: list[str | None] = []

    def write(self, value: str | None) -> None:
        if value is not None and value.startswith("-"):
            raise ValidationError("title", N_("A negative number is not allowed here."))
        self.value = value
        self.writes.append(value)


_keep: list[Any] = []


def _field(qtbot: QtBot, editor: QLineEdit | QPlainTextEdit, record: _Record,
           stack: Any = None, pause_ms: int = 1000) -> AutosaveField:
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    holder = QWidget()
    other = QLineEdit()
    field = AutosaveField(editor, "title", record.write, undo_stack=stack, pause_ms=pause_ms)
    layout = QVBoxLayout(holder)
    layout.addWidget(field.container)
    layout.addWidget(other)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    field.load(record.value)
    holder.other = other  # type: ignore[attr-defined]
    _keep.append(holder)  # the holder lives as long as the test uses its field
    return field


def test_field_saves_on_pause_and_on_leaving(qtbot: QtBot) -> None:
    record = _Record()
    editor = QLineEdit()
    field = _field(qtbot, editor, record, pause_ms=300)
    editor.setFocus()
    qtbot.keyClicks(editor, " and more")
    assert record.writes == []  # not a keystroke at a time
    qtbot.waitUntil(lambda: record.value == "start and more", timeout=3000)
    assert record.writes == ["start and more"]
    qtbot.keyClicks(editor, "!")
    _keep[-1].other.setFocus()  # leaving the field
    assert record.value == "start and more!"
    assert not field.dirty


def test_refused_value_is_explained_inline_and_kept(qtbot: QtBot) -> None:
    record = _Record()
    editor = QLineEdit()
    field = _field(qtbot, editor, record)
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, "-5")
    assert field.flush() is False
    assert editor.text() == "-5"  # what was typed stays
    assert record.value == "start"  # the record keeps its value
    assert field.error_label.isVisible()
    assert field.error_label.text() == "A negative number is not allowed here."
    field.load("reloaded from the store")  # a refresh never throws the typing away
    assert editor.text() == "-5"
    editor.selectAll()
    qtbot.keyClicks(editor, "5")
    assert field.flush() is True
    assert record.value == "5" and not field.error_label.isVisible()


def test_huge_paste_emoji_and_arabic(qtbot: QtBot) -> None:
    record = _Record()
    editor = QPlainTextEdit()
    field = _field(qtbot, editor, record)
    text = ("سلام عليكم 🙂 sécurité " * 2300)[:50_000]
    editor.setFocus()
    editor.selectAll()
    editor.insertPlainText(text)  # what a paste does
    assert field.flush()
    assert record.value == text and len(text) == 50_000
    # A single-line editor does not silently cut a long paste at Qt's default 32,767.
    line = QLineEdit()
    line_record = _Record()
    _field(qtbot, line, line_record)
    line.setText("x" * 50_000)
    assert len(line.text()) == 50_000


def test_undo_writes_the_old_value_back(qtbot: QtBot) -> None:
    from PySide6.QtGui import QUndoStack

    stack = QUndoStack()
    record = _Record()
    editor = QLineEdit()
    field = _field(qtbot, editor, record, stack)
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, "first")
    field.flush()
    editor.selectAll()
    qtbot.keyClicks(editor, "second")
    field.flush()
    assert stack.count() == 2 and record.value == "second"
    stack.undo()
    assert record.value == "first" and editor.text() == "first"
    stack.undo()
    assert record.value == "start" and editor.text() == "start"
    stack.redo()
    assert record.value == "first" and editor.text() == "first"
    # An edit whose editor is gone is still undone in the record.
    values: list[int] = [1]
    push_edit(stack, "x", lambda v: values.append(v), 1, 2)
    stack.undo()
    assert values[-1] == 1


# -- Home ------------------------------------------------------------------------------------------------


def test_home_shows_what_needs_attention(workspace: Workspace, make_window: WindowFactory) -> None:
    ids = seed(workspace.store)
    window = make_window(workspace)
    home: Any = window.go_to("home")
    upcoming = [home.upcoming.item(i).text() for i in range(home.upcoming.count())]
    assert any("Réunion de suivi" in t for t in upcoming)
    overdue = [home.overdue.item(i) for i in range(home.overdue.count())]
    assert any(i.data(Qt.ItemDataRole.UserRole) == ("action_item", ids.overdue_item)
               for i in overdue)
    waiting = [home.waiting.item(i) for i in range(home.waiting.count())]
    assert any(i.data(Qt.ItemDataRole.UserRole) == ("complaint", ids.complaint) for i in waiting)
    assert home.sync_label.text() == "Last sync: never"
    # Charts: the attendance bars hold the seeded counts; the status bars the complaint.
    chart = home.attendance_view.chart()
    series = chart.series()[0]
    totals = {s.label(): sum(s.at(i) for i in range(s.count())) for s in series.barSets()}
    assert totals == {"Women": 12, "Men": 12, "Unspecified": 0}
    status = home.status_view.chart().series()[0].barSets()[0]
    assert sum(status.at(i) for i in range(status.count())) == 1
    assert COMPLAINANT_NAME not in all_texts(window)
    # Activating an upcoming session opens it in the Sessions page.
    item = home.upcoming.item(0)
    home.upcoming.itemActivated.emit(item)
    assert window.current_key() == "sessions"
    assert window.page("sessions").editor.session_id == ids.upcoming  # type: ignore[attr-defined]


def test_home_follows_new_records(workspace: Workspace, make_window: WindowFactory,
                                  qtbot: QtBot) -> None:
    window = make_window(workspace)
    home: Any = window.go_to("home")
    assert home.upcoming.item(0).text() == "No session planned."
    seed(workspace.store)
    qtbot.waitUntil(lambda: "Réunion de suivi" in home.upcoming.item(0).text(), timeout=5000)


def test_liaison_window_never_shows_an_identity(make_workspace: Callable[..., Workspace],
                                                make_window: WindowFactory,
                                                tmp_path: Path) -> None:
    # The facilitator records a named complaint and sends a real bundle; the liaison device
    # then holds the complaint but not the complainant's identity (sealed away from it), and
    # the UI shows none either.
    from jsd_desk.services import complaints
    from tests.sync_support import dump, introduce, receive, send

    facilitator = make_workspace(name="fatouma")
    liaison = make_workspace(name="liaison", role="liaison")
    introduce(facilitator, liaison)
    named = complaints.receive_complaint(
        facilitator.store, received_on="2026-01-05", channel="walk_in", category="theft",
        description="Vol de moto", complainant={"name": COMPLAINANT_NAME, "contact": "96 00 00 00"})
    assert COMPLAINANT_NAME in dump(facilitator)
    assert receive(liaison, send(facilitator, liaison, tmp_path)).new > 0
    held = dump(liaison)
    assert named.reference in held  # the complaint did arrive
    assert COMPLAINANT_NAME not in held and "96 00 00 00" not in held
    window = make_window(liaison)
    for spec in PAGES:
        window.go_to(spec.key)
    text = all_texts(window)
    assert named.reference in text  # the liaison's window lists it ...
    assert COMPLAINANT_NAME not in text and "96 00 00 00" not in text  # ... without its identity
    assert "Police liaison officer" in window.bars.device_label.text()


# -- Settings ---------------------------------------------------------------------------------------------


def test_settings_switches_language_and_saves_it(workspace: Workspace, make_window: WindowFactory,
                                                 ui_settings: QSettings, qtbot: QtBot) -> None:
    from jsd_desk.ui.language import apply_language

    window = make_window(workspace)
    page: Any = window.go_to("settings")
    assert page.device_values["device_fingerprint"].text() == workspace.keys.info.fingerprint()
    assert page.device_values["device_name"].text() == workspace.keys.info.name
    try:
        page.language.setCurrentIndex(page.language.findData("fr"))
        page.language.activated.emit(page.language.currentIndex())
        qtbot.waitUntil(lambda: window.navigation.item(0).text() == "Accueil")
        assert ui_settings.value("language") == "fr"
        assert window.action_new_session.text() == "Nouvelle &séance"
    finally:
        apply_language("en")
    qtbot.waitUntil(lambda: window.navigation.item(0).text() == "Home")


def test_load_demo_data_runs_in_the_background(workspace: Workspace, make_window: WindowFactory,
                                               qtbot: QtBot) -> None:
    window = make_window(workspace)
    page: Any = window.go_to("settings")
    page.demo_sessions.setValue(2)
    op = page.load_demo_data()
    assert not page.demo_button.isEnabled()
    with qtbot.waitSignal(op.finished, timeout=60_000):
        pass
    assert op.error is None, op.error
    assert queries.has_sessions(workspace.store)
    assert "2 sessions" in page.demo_result.text()
    assert page.demo_button.isEnabled()
    sessions_page: Any = window.go_to("sessions")
    qtbot.waitUntil(lambda: sessions_page.model.rowCount() >= 2, timeout=5000)


# -- first run and unlock ---------------------------------------------------------------------------------


def test_setup_dialog_creates_the_store_and_shows_the_recovery_key(tmp_path: Path,
                                                                   qtbot: QtBot) -> None:
    from jsd_desk.ui.startup import RecoveryKeyDialog, SetupDialog, UnlockDialog

    root = tmp_path / "new-store"
    dialog = SetupDialog(root)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.device_name, "Niamey II laptop")
    dialog.role.setCurrentIndex(dialog.role.findData("facilitator"))
    qtbot.keyClicks(dialog.passphrase, "correct horse battery")
    qtbot.keyClicks(dialog.passphrase_again, "correct horse batterx")
    dialog.create_store()
    assert dialog.error.text() == "The two passphrases differ."
    assert dialog.workspace is None and not root.exists()
    dialog.passphrase_again.clear()
    qtbot.keyClicks(dialog.passphrase_again, "correct horse battery")
    dialog.create_store()
    assert dialog.workspace is not None and dialog.recovery_key
    dialog.workspace.close()

    key = RecoveryKeyDialog(dialog.recovery_key)
    qtbot.addWidget(key)
    key.show()
    assert key.key.text() == dialog.recovery_key
    assert not key.ok.isEnabled()
    key.reject()  # closing before confirming keeps the only copy on screen
    assert key.isVisible()
    key.confirm.setChecked(True)
    assert key.ok.isEnabled()

    unlock = UnlockDialog(root)
    qtbot.addWidget(unlock)
    unlock.show()
    qtbot.keyClicks(unlock.passphrase, "wrong passphrase")
    unlock.unlock()
    assert unlock.workspace is None and unlock.error.isVisible()
    unlock.passphrase.clear()
    qtbot.keyClicks(unlock.passphrase, "correct horse battery")
    unlock.unlock()
    assert unlock.workspace is not None
    assert unlock.workspace.keys.info.name == "Niamey II laptop"
    unlock.workspace.close()


@pytest.mark.parametrize("key", [p.key for p in PAGES])
def test_pages_follow_the_constructor_contract(key: str, workspace: Workspace,
                                               make_window: WindowFactory) -> None:
    window = make_window(workspace)
    page = window.page(key)
    retranslate = getattr(page, "retranslate_ui", None)
    assert callable(retranslate)
    retranslate()
