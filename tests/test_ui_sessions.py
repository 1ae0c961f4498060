"""The Sessions page on real widgets, offscreen: a whole session recorded through the UI, the
carry-over of open action items, undo, autosave that survives a killed process, search and
filters, refused input, the liaison's read-only view, and every item model under modeltester."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from jsd_desk.services import actions, choices, complaints, places, queries, sessions
from jsd_desk.services.views import ConcernView, SessionView
from jsd_desk.services.workspace import Workspace, open_workspace
from jsd_desk.ui.kit.table import Column, RowsTableModel
from jsd_desk.ui.sessions.editor import SessionEditor
from jsd_desk.ui.sessions.models import (
    AgendaModel,
    AttendanceModel,
    SessionsTableModel,
)
from jsd_desk.ui.sessions.page import SessionsPage
from tests.conftest import PASSPHRASE
from tests.ui_helpers import (  # noqa: F401 - fixtures
    COMPLAINANT_NAME,
    WindowFactory,
    activate,
    all_texts,
    answer_next_dialog,
    click_message_button,
    make_window_fixture,
    seed,
    type_text,
    ui_settings_fixture,
)

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


def _sessions_page(window: Any) -> SessionsPage:
    page = window.go_to("sessions")
    assert isinstance(page, SessionsPage)
    return page


def _type_cell(qtbot: QtBot, table: Any, text: str) -> None:
    """Type into the current attendance cell and press Enter; wait for the cursor to move on
    (the delegate commits on the next turn of the event loop)."""
    before = table.currentIndex()
    for ch in text:  # the first key opens the cell's editor, which takes the next ones
        target = QApplication.focusWidget()
        assert target is not None
        type_text(qtbot, target, ch)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: (table.currentIndex().row(), table.currentIndex().column()) != (
        before.row(), before.column()))


def _stored(ws: Workspace, session_id: str) -> SessionView:
    record = queries.session(ws.store, session_id)
    assert record is not None
    return record


# -- a whole session, recorded through the UI -------------------------------------------------------


def test_a_whole_session_recorded_through_the_ui(workspace: Workspace, make_window: WindowFactory,
                                                 qtbot: QtBot) -> None:
    ids = seed(workspace.store)
    window = make_window(workspace)
    page = _sessions_page(window)

    # New session (Ctrl+N): the dialog asks for the essentials, the editor opens on it.
    def fill(dialog: QWidget) -> None:
        d: Any = dialog
        d.platform.setCurrentIndex(d.platform.findData(ids.platform))
        d.kind.setCurrentIndex(d.kind.findData("neighbourhood_dialogue"))
        type_text(qtbot, d.title, "Réunion de Boukoki")
        d.starts.setText("2026-03-14 09:00")
        type_text(qtbot, d.venue, "Cour de l'école")
        d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer_next_dialog(qtbot, fill)
    window.action_new_session.trigger()
    activate(qtbot, window)  # the dialog took the focus with it
    editor = page.editor
    assert editor is not None and editor.details.title_edit.text() == "Réunion de Boukoki"
    sid = editor.session_id
    assert _stored(workspace, sid).venue == "Cour de l'école"
    assert page.model.row_of(sid) >= 0  # listed, and selected

    # Agenda, typed: text then Enter.
    for title in ("Mot d'ouverture", "Sécurité au marché", "Divers"):
        type_text(qtbot, editor.details.agenda_title, title)
        qtbot.keyClick(editor.details.agenda_title, Qt.Key.Key_Return)
    assert [a.title for a in queries.agenda_items(workspace.store, sid)] == [
        "Mot d'ouverture", "Sécurité au marché", "Divers"]

    # Attendance from a paper sheet, keyboard only: digits and Enter, cell after cell.
    editor.tabs.setCurrentIndex(1)
    grid = editor.attendance
    grid.table.setFocus()
    grid.table.setCurrentIndex(grid.model.index(0, 0))
    for count in ("2", "5", "0", "1", "4"):  # police f, m, unspecified; gendarmerie f, m
        _type_cell(qtbot, grid.table, count)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    totals = sessions.attendance_totals(workspace.store, sid)
    # (A 0 typed into an empty cell changes nothing, so it records nothing.)
    assert totals.by_cell == {("police", "f"): 2, ("police", "m"): 5,
                              ("gendarmerie", "f"): 1, ("gendarmerie", "m"): 4}
    model = grid.model
    last_row, last_col = len(model.categories), len(model.genders)
    assert model.data(model.index(0, last_col)) == "7"  # police total, live
    assert model.data(model.index(last_row, 0)) == "3"  # women total
    assert model.data(model.index(last_row, last_col)) == "12"
    assert grid.summary.text() == "Total: 12 participants · women: 3 (25%)"
    # A negative count is refused in place; what was typed stays, the record does not change.
    grid.table.setCurrentIndex(model.index(5, 0))  # women × women
    grid.table.setFocus()
    _type_cell(qtbot, grid.table, "-4")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert grid.error.isVisible() and grid.error.text() == "A negative number is not allowed here."
    assert model.data(model.index(5, 0)) == "-4"
    assert sessions.attendance_totals(workspace.store, sid).total == 12
    assert model.setData(model.index(5, 0), "30")
    assert not grid.error.isVisible()
    assert sessions.attendance_totals(workspace.store, sid).by_gender()["f"] == 33
    # Names of a cell (optional).
    grid.table.setCurrentIndex(model.index(0, 0))
    grid.names_editor.setFocus()
    type_text(qtbot, grid.names_editor, "Sergent Moussa\nAgent Aïcha")
    assert grid.names_field.flush()
    assert queries.attendance_cells(workspace.store, sid)[("police", "f")].names == (
        "Sergent Moussa\nAgent Aïcha")

    # Minutes, saved as typed.
    editor.tabs.setCurrentIndex(2)
    editor.minutes.minutes_edit.setFocus()
    type_text(qtbot, editor.minutes.minutes_edit, "La séance s'ouvre à 9 h.")
    assert editor.minutes.minutes_field.flush()
    assert _stored(workspace, sid).minutes == "La séance s'ouvre à 9 h."

    # A concern raised.
    editor.tabs.setCurrentIndex(3)
    type_text(qtbot, editor.concerns.theme, "Vols")
    editor.concerns.raised_by.setCurrentIndex(editor.concerns.raised_by.findData("women"))
    type_text(qtbot, editor.concerns.description, "Vols de téléphones au marché le soir")
    qtbot.mouseClick(editor.concerns.add_button, Qt.MouseButton.LeftButton)
    concerns = queries.concerns(workspace.store, sid)
    assert [(c.theme, c.raised_by) for c in concerns] == [("Vols", "women")]
    assert editor.concerns.model.rowCount() == 1
    assert editor.tabs.tabText(3) == "C&oncerns (1)"

    # "New complaint in this session…" hands over to the Complaints page's intake, with this
    # session chosen (the full intake, with the confidential identity fields); recorded
    # there, the complaint shows in the session's list.
    editor.tabs.setCurrentIndex(4)
    qtbot.mouseClick(editor.complaints.new_button, Qt.MouseButton.LeftButton)
    assert window.current_key() == "complaints"
    complaints_page: Any = window.page("complaints")
    intake = complaints_page.intake
    assert intake.channel.currentData() == "session"
    assert intake.session_id.currentData() == sid
    intake.category.setCurrentIndex(intake.category.findData("theft"))
    type_text(qtbot, intake.description, "Moto volée devant la mosquée")
    qtbot.mouseClick(intake.record_button, Qt.MouseButton.LeftButton)
    lines = queries.session_complaints(workspace.store, sid)
    assert [(c.category, c.status, c.anonymous) for c in lines] == [("theft", "received", True)]
    window.go_to("sessions")
    qtbot.waitUntil(lambda: editor.complaints.model.rowCount() == 1)

    # An action item: a bad due date is refused inline and kept; corrected, it is added.
    editor.tabs.setCurrentIndex(5)
    type_text(qtbot, editor.action_items.description, "Éclairer la rue du marché")
    editor.action_items.party.setCurrentIndex(editor.action_items.party.findData("local_authority"))
    type_text(qtbot, editor.action_items.owner, "Mairie de Niamey II")
    type_text(qtbot, editor.action_items.due, "2026-02-30")
    qtbot.mouseClick(editor.action_items.add_button, Qt.MouseButton.LeftButton)
    assert editor.action_items.error.isVisible()
    assert "is not a date" in editor.action_items.error.text()
    assert editor.action_items.due.text() == "2026-02-30"
    assert editor.action_items.description.toPlainText() == "Éclairer la rue du marché"
    editor.action_items.due.setText("2026-04-30")
    qtbot.mouseClick(editor.action_items.add_button, Qt.MouseButton.LeftButton)
    items = queries.session_action_items(workspace.store, sid)
    assert [(a.description, a.responsible_party, a.due_on) for a in items] == [
        ("Éclairer la rue du marché", "local_authority", dt.date(2026, 4, 30))]
    assert not editor.action_items.error.isVisible()

    # Finalize: confirmed, the session is locked; a correction becomes a visible amendment.
    answer_next_dialog(qtbot, lambda box: click_message_button(box, QMessageBox.StandardButton.Yes))
    editor.action_finalize.trigger()
    assert _stored(workspace, sid).status == "finalized"
    assert editor.details.title_edit.isReadOnly() and editor.minutes.minutes_edit.isReadOnly()
    assert not editor.attendance.model.flags(editor.attendance.model.index(0, 0)) & (
        Qt.ItemFlag.ItemIsEditable)
    assert not editor.concerns.box.isEnabled() and not editor.action_finalize.isEnabled()
    assert editor.status_label.text().startswith("Finalized")
    with pytest.raises(Exception, match="finalized"):
        sessions.update_session(workspace.store, sid, title="silent edit")
    editor.tabs.setCurrentIndex(7)
    assert editor.amendments.box.isEnabled()
    editor.amendments.part.setCurrentIndex(editor.amendments.part.findData("attendance"))
    type_text(qtbot, editor.amendments.text, "Deux gendarmes de plus étaient présents.")
    qtbot.mouseClick(editor.amendments.add_button, Qt.MouseButton.LeftButton)
    amendments = queries.amendments(workspace.store, sid)
    assert [(a.field, a.text) for a in amendments] == [
        ("attendance", "Deux gendarmes de plus étaient présents.")]
    assert editor.amendments.model.rowCount() == 1
    assert editor.amendments.model.data(editor.amendments.model.index(0, 1)) == "Attendance"
    assert editor.tabs.tabText(7) == "Amendme&nts (1)"


def test_the_keyboard_alone_reaches_the_editor(workspace: Workspace, make_window: WindowFactory,
                                               qtbot: QtBot) -> None:
    ids = seed(workspace.store)
    window = make_window(workspace)
    page = _sessions_page(window)
    page.focus_search()
    type_text(qtbot, page.search, "suivi")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.editor is not None and page.editor.session_id == ids.upcoming)
    # Every label of the details names its field for screen readers.
    editor = page.editor
    assert editor is not None
    for name in ("title", "platform_id", "kind", "starts_at", "ends_at", "venue", "language",
                 "facilitator", "minutes"):
        widget = editor.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name


# -- carry-over of open action items -------------------------------------------------------------------


def test_open_action_items_carry_over_into_the_next_session(workspace: Workspace,
                                                            make_window: WindowFactory,
                                                            qtbot: QtBot) -> None:
    ids = seed(workspace.store)
    store = workspace.store
    # An item of the other platform never shows up here; one already done does not carry over.
    other_session = sessions.create_session(store, platform_id=ids.other_platform, kind="workshop",
                                            title="Atelier", starts_at=dt.datetime.now()
                                            - dt.timedelta(days=40))
    actions.add_action_item(store, other_session, description="Ailleurs", responsible_party="police")
    done = actions.add_action_item(store, ids.past, description="Déjà fait",
                                   responsible_party="platform")
    actions.update_action_item(store, done, status="done")
    assert queries.action_item(store, done).status == "done"  # type: ignore[union-attr]
    window = make_window(workspace)
    page = _sessions_page(window)
    editor = page.open_session(ids.upcoming)
    assert editor is not None
    carried = [a.id for a in editor.follow_up.model.rows()]
    assert carried == [ids.overdue_item]
    assert editor.tabs.tabText(6) == "Follo&w-up (1)"
    # Overdue and still open: drawn in bold.
    assert editor.follow_up.model.data(editor.follow_up.model.index(0, 0), Qt.ItemDataRole.FontRole).bold()

    editor.tabs.setCurrentIndex(6)
    editor.follow_up.view.setCurrentIndex(editor.follow_up.model.index(0, 0))
    type_text(qtbot, editor.follow_up.note, "Les patrouilles ont commencé le 2 mars.")
    editor.follow_up.status.setCurrentIndex(editor.follow_up.status.findData("done"))
    qtbot.mouseClick(editor.follow_up.add_button, Qt.MouseButton.LeftButton)
    assert not editor.follow_up.error.isVisible(), editor.follow_up.error.text()
    history = actions.follow_ups(store, ids.overdue_item)
    assert [(f.note, f.status_after, f.session_id) for f in history] == [
        ("Les patrouilles ont commencé le 2 mars.", "done", ids.upcoming)]
    assert queries.action_item(store, ids.overdue_item).status == "done"  # type: ignore[union-attr]
    # Still listed in this session, with what was said about it.
    assert [a.id for a in editor.follow_up.model.rows()] == [ids.overdue_item]
    said = editor.follow_up.model.data(editor.follow_up.model.index(0, 5))
    assert "Les patrouilles ont commencé" in said and "Done" in said

    # The next session of the platform no longer carries it: it is done.
    later = sessions.create_session(store, platform_id=ids.platform, kind="neighbourhood_dialogue",
                                    title="Réunion suivante",
                                    starts_at=dt.datetime.now() + dt.timedelta(days=40))
    next_editor = page.open_session(later)
    assert next_editor is not None and next_editor.follow_up.model.rowCount() == 0
    # Following up without choosing an item is explained, not ignored.
    type_text(qtbot, next_editor.follow_up.note, "?")
    next_editor.follow_up.add()
    assert next_editor.follow_up.error.text() == "Choose the commitment this follow-up is about."


# -- undo ------------------------------------------------------------------------------------------------


def test_undo_redo_of_field_attendance_and_agenda_edits(workspace: Workspace,
                                                        make_window: WindowFactory,
                                                        qtbot: QtBot) -> None:
    ids = seed(workspace.store)
    window = make_window(workspace)
    page = _sessions_page(window)
    editor = page.open_session(ids.upcoming)
    assert editor is not None
    editor.details.title_edit.setFocus()
    editor.details.title_edit.selectAll()
    type_text(qtbot, editor.details.title_edit, "Réunion de suivi de mars")
    editor.details.venue_edit.setFocus()  # leaving the field saves it
    assert _stored(workspace, ids.upcoming).title == "Réunion de suivi de mars"
    assert window.action_undo.isEnabled()
    assert window.action_undo.text() == "&Undo Edit “Title”"

    grid = editor.attendance
    assert grid.model.setData(grid.model.index(6, 1), "17")  # youth × men
    assert sessions.attendance_totals(workspace.store, ids.upcoming).total == 17

    sessions.add_agenda_item(workspace.store, ids.upcoming, "Premier point")
    sessions.add_agenda_item(workspace.store, ids.upcoming, "Deuxième point")
    editor.reload()
    editor.details.agenda_view.setFocus()
    editor.details.agenda_view.setCurrentIndex(editor.details.agenda_model.index(0))
    editor.details.action_agenda_down.trigger()
    titles = [a.title for a in queries.agenda_items(workspace.store, ids.upcoming)]
    assert titles == ["Deuxième point", "Premier point"]

    window.action_undo.trigger()  # the agenda order
    assert [a.title for a in queries.agenda_items(workspace.store, ids.upcoming)] == [
        "Premier point", "Deuxième point"]
    assert editor.details.agenda_model.data(editor.details.agenda_model.index(0)) == "1. Premier point"
    window.action_undo.trigger()  # the attendance cell
    assert sessions.attendance_totals(workspace.store, ids.upcoming).total == 0
    assert grid.model.data(grid.model.index(6, 1)) == "0"
    window.action_undo.trigger()  # the title
    assert _stored(workspace, ids.upcoming).title == "Réunion de suivi"
    assert editor.details.title_edit.text() == "Réunion de suivi"
    window.action_redo.trigger()
    assert _stored(workspace, ids.upcoming).title == "Réunion de suivi de mars"
    assert editor.details.title_edit.text() == "Réunion de suivi de mars"
    # Ctrl+Z outside a text field reaches the window's undo.
    editor.details.agenda_view.setFocus()
    qtbot.keyClick(editor.details.agenda_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _stored(workspace, ids.upcoming).title == "Réunion de suivi"


# -- autosave survives a killed process ----------------------------------------------------------------

_CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path

    from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from jsd_desk.services.workspace import open_workspace
    from jsd_desk.ui.context import UiContext
    from jsd_desk.ui.main import make_application
    from jsd_desk.ui.main_window import MainWindow

    root, passphrase, settings, session_id = sys.argv[1:5]
    app = make_application()
    workspace = open_workspace(Path(root), passphrase)
    window = MainWindow(UiContext(workspace), QSettings(settings, QSettings.Format.IniFormat))
    window.show()
    editor = window.go_to("sessions").open_session(session_id)
    editor.tabs.setCurrentIndex(2)
    editor.minutes.minutes_edit.setFocus()
    for ch in "Tapé juste avant la coupure 🙂 مرحبا":  # key by key, as typed
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            key = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch)
            QApplication.sendEvent(editor.minutes.minutes_edit, key)
    # No flush, no close: the user pauses, then the power fails. Tell the test we paused.
    QTimer.singleShot(2500, lambda: print("paused", flush=True))
    app.exec()
""")


def test_autosave_survives_a_killed_process(make_workspace: Callable[..., Workspace],
                                            tmp_path: Path) -> None:
    ws = make_workspace()
    ids = seed(ws.store)
    root = ws.data_dir.root
    ws.close()  # the child process opens the store, as the app does
    script = tmp_path / "child.py"
    script.write_text(_CHILD, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen([sys.executable, str(script), str(root), PASSPHRASE,
                           str(tmp_path / "child.ini"), ids.upcoming],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env) as child:
        try:
            assert child.stdout is not None
            line = child.stdout.readline()
            if line.strip() != "paused":
                child.kill()
                pytest.fail(f"the app did not start: {child.communicate(timeout=30)[1]}")
            assert child.poll() is None  # still running: nothing closed it, nothing flushed
            child.send_signal(signal.SIGKILL)
        finally:
            if child.poll() is None:
                child.kill()
            child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    reopened = open_workspace(root, PASSPHRASE)
    try:
        record = queries.session(reopened.store, ids.upcoming)
        assert record is not None
        assert record.minutes == "Tapé juste avant la coupure 🙂 مرحبا"
    finally:
        reopened.close()


# -- list: search as you type, filters -----------------------------------------------------------------


def test_search_as_you_type_and_filters(workspace: Workspace, make_window: WindowFactory,
                                        qtbot: QtBot) -> None:
    ids = seed(workspace.store)
    window = make_window(workspace)
    page = _sessions_page(window)
    assert page.model.rowCount() == 3 and page.count_label.text() == "3 sessions"
    type_text(qtbot, page.search, "securite routiere")  # accents folded
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.row_at(0).title == "Émission radio sur la sécurité routière"  # type: ignore[union-attr]
    assert page.count_label.text() == "1 session"
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    page.platform_filter.setCurrentIndex(page.platform_filter.findData(ids.platform))
    page.platform_filter.activated.emit(page.platform_filter.currentIndex())
    assert page.model.rowCount() == 2
    page.status_filter.setCurrentIndex(page.status_filter.findData("finalized"))
    page.status_filter.activated.emit(page.status_filter.currentIndex())
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [ids.past]  # type: ignore[union-attr]
    page.status_filter.setCurrentIndex(0)
    page.period_filter.setCurrentIndex(page.period_filter.findData("upcoming"))
    page.period_filter.activated.emit(page.period_filter.currentIndex())
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [ids.upcoming]  # type: ignore[union-attr]
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("workshop"))
    page.kind_filter.activated.emit(page.kind_filter.currentIndex())
    assert page.model.rowCount() == 0 and page.count_label.text() == "0 sessions"
    # Search text that is only punctuation, or FTS syntax, matches nothing and breaks nothing.
    for text in ('"', "*", "AND OR NOT", "(", "x" * 600):
        page.search.setText(text)
        page.apply_filter()


def test_the_list_fetches_lazily(workspace: Workspace, qtbot: QtBot) -> None:
    seed(workspace.store)
    platform = choices.platform_choices(workspace.store)[0].id
    start = dt.datetime(2025, 1, 1, 9)
    with workspace.store.transaction():
        for i in range(SessionsTableModel.PAGE + 30):
            sessions.create_session(workspace.store, platform_id=platform, kind="workshop",
                                    title=f"Atelier {i}", starts_at=start + dt.timedelta(days=i))
    model = SessionsTableModel(workspace.store)
    assert model.rowCount() == SessionsTableModel.PAGE  # the first page only
    assert model.total == SessionsTableModel.PAGE + 33
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == SessionsTableModel.PAGE + 33
    assert not model.canFetchMore(QModelIndex())


# -- refused input -----------------------------------------------------------------------------------------


def test_bad_values_are_refused_inline_and_kept(workspace: Workspace, make_window: WindowFactory,
                                                qtbot: QtBot) -> None:
    ids = seed(workspace.store)
    window = make_window(workspace)
    editor = _sessions_page(window).open_session(ids.upcoming)
    assert editor is not None
    before = _stored(workspace, ids.upcoming)
    starts = editor.details.detail_fields["starts_at"]
    editor.details.starts_edit.setFocus()
    editor.details.starts_edit.selectAll()
    type_text(qtbot, editor.details.starts_edit, "le 30 février")
    editor.details.venue_edit.setFocus()
    assert starts.error_label.isVisible()
    assert starts.error_label.text() == ("“le 30 février” is not a date and time "
                                         "(expected YYYY-MM-DD HH:MM).")
    assert editor.details.starts_edit.text() == "le 30 février"
    assert _stored(workspace, ids.upcoming).starts_at == before.starts_at
    # An end before the start is refused with its reason.
    editor.details.ends_edit.setText("2000-01-01 10:00")
    assert not editor.details.detail_fields["ends_at"].flush()
    assert editor.details.detail_fields["ends_at"].error_label.text() == "The end is before the start."

    # 50,000 characters pasted into a one-line title: refused with the reason, nothing cut.
    title = editor.details.detail_fields["title"]
    editor.details.title_edit.setText("Ω" * 50_000)
    assert not title.flush()
    assert len(editor.details.title_edit.text()) == 50_000
    assert title.error_label.text() == "This text is too long (50000 characters; at most 500)."
    assert _stored(workspace, ids.upcoming).title == "Réunion de suivi"
    # Emoji and Arabic script are text like any other.
    editor.details.title_edit.setText("اجتماع الحي 🙂 Réunion")
    assert title.flush()
    assert _stored(workspace, ids.upcoming).title == "اجتماع الحي 🙂 Réunion"
    # An emptied required field is refused and the stored title kept.
    editor.details.title_edit.clear()
    assert not title.flush()
    assert title.error_label.text() == "This field is required."
    assert _stored(workspace, ids.upcoming).title == "اجتماع الحي 🙂 Réunion"
    # Finalizing with a refused value pending is not allowed.
    answer_next_dialog(qtbot, lambda box: click_message_button(box, QMessageBox.StandardButton.Ok))
    assert editor.finalize(confirm=False) is False
    assert _stored(workspace, ids.upcoming).status == "draft"


# -- the liaison officer -----------------------------------------------------------------------------------


def test_liaison_sees_sessions_read_only_and_no_identity(make_workspace: Callable[..., Workspace],
                                                        make_window: WindowFactory,
                                                        tmp_path: Path) -> None:
    # A facilitator's records, with a named complainant, brought by a real bundle.
    from tests.sync_support import dump, introduce, receive, send

    facilitator = make_workspace(name="fatouma")
    liaison = make_workspace(name="liaison", role="liaison")
    introduce(facilitator, liaison)
    platform = places.add_platform(facilitator.store, name="Plateforme de Talladjé", place_id=None)
    sid = sessions.create_session(facilitator.store, platform_id=platform,
                                  kind="neighbourhood_dialogue", title="Réunion de Talladjé",
                                  starts_at="2026-02-10T09:00", minutes="Compte rendu")
    complaints.receive_complaint(facilitator.store, received_on="2026-02-10", channel="session",
                                 session_id=sid, category="theft", description="Vol de moto",
                                 complainant={"name": COMPLAINANT_NAME})
    assert receive(liaison, send(facilitator, liaison, tmp_path)).new > 0
    assert COMPLAINANT_NAME not in dump(liaison)
    window = make_window(liaison)
    editor = _sessions_page(window).open_session(sid)
    assert editor is not None
    assert editor.minutes.minutes_edit.isReadOnly() and editor.details.title_edit.isReadOnly()
    assert not editor.finalize_button.isVisible() and not editor.action_finalize.isEnabled()
    assert not editor.concerns.box.isEnabled() and not editor.amendments.box.isVisible()
    assert not editor.complaints.new_button.isEnabled()
    assert editor.complaints.model.rowCount() == 1
    assert COMPLAINANT_NAME not in all_texts(window)


# -- item models ------------------------------------------------------------------------------------------


def test_item_models_pass_the_model_tester(workspace: Workspace, qtmodeltester: Any) -> None:
    ids = seed(workspace.store)
    store = workspace.store
    sessions_model = SessionsTableModel(store)
    qtmodeltester.check(sessions_model)
    sessions_model.set_filter(queries.SessionFilter(text="Talladjé"))
    qtmodeltester.check(sessions_model)
    sessions_model.reload()

    sessions.add_agenda_item(store, ids.upcoming, "Un")
    sessions.add_agenda_item(store, ids.upcoming, "Deux")
    agenda = AgendaModel(store, ids.upcoming)
    agenda.reload()
    qtmodeltester.check(agenda)
    assert agenda.move_row(0, 2)
    assert [a.title for a in queries.agenda_items(store, ids.upcoming)] == ["Deux", "Un"]

    attendance = AttendanceModel(store, ids.past)
    attendance.reload()
    qtmodeltester.check(attendance)
    attendance_draft = AttendanceModel(store, ids.upcoming)
    attendance_draft.reload()
    qtmodeltester.check(attendance_draft)
    assert attendance_draft.setData(attendance_draft.index(0, 0), "abc")  # kept, refused
    assert attendance_draft.data(attendance_draft.index(0, 0)) == "abc"
    qtmodeltester.check(attendance_draft)

    rows: RowsTableModel[ConcernView] = RowsTableModel(
        [Column("Theme", lambda c: c.theme or ""), Column("Description", lambda c: c.description or "")],
        lambda c: c.id)
    rows.set_rows(queries.concerns(store, ids.past))
    qtmodeltester.check(rows)


def test_editor_of_a_missing_session_is_refused(workspace: Workspace, qtbot: QtBot) -> None:
    from jsd_desk.domain.errors import ValidationError
    from jsd_desk.ui.context import UiContext

    with pytest.raises(ValidationError):
        SessionEditor(UiContext(workspace), "00000000-0000-0000-0000-000000000000")
