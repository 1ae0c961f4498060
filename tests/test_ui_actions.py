"""The Action items page on real widgets and real stores: the list across sessions filtered by
responsible party, owner, due date and status, overdue items highlighted, the follow-up
history of the selected item and a new follow-up through the UI, refused input, undo, the
liaison officer's limits, and every model under qtmodeltester."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from jsd_desk.services import action_queries as aq
from jsd_desk.services import actions, places, sessions
from jsd_desk.services.workspace import Workspace
from jsd_desk.ui.actions.model import OVERDUE_ROLE, ActionTableModel, FollowUpModel
from jsd_desk.ui.actions.page import ActionItemsPage
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.roles import ID_ROLE
from tests.replicas import copy_events, events_of, introduce
from tests.ui_helpers import type_text

Make = Callable[..., Workspace]
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints")
TODAY = dt.date.today()


@dataclass
class Items:
    overdue_police: str
    overdue_chief: str
    soon: str
    later: str
    undated: str
    done: str
    dropped: str


def seed(ws: Workspace) -> Items:
    store = ws.store
    a = places.add_platform(store, name="Plateforme de Talladjé", place_id=None)
    b = places.add_platform(store, name="Cadre de concertation de Diffa", place_id=None)
    start = dt.datetime.combine(TODAY - dt.timedelta(days=60), dt.time(9))
    s1 = sessions.create_session(store, platform_id=a, kind="neighbourhood_dialogue",
                                 title="Réunion de Talladjé", starts_at=start)
    s2 = sessions.create_session(store, platform_id=b, kind="radio_call_in",
                                 title="Émission radio", starts_at=start + dt.timedelta(days=7))

    def add(session: str, description: str, party: str, owner: str | None,
            due: int | None) -> str:
        return actions.add_action_item(
            store, session, description=description, responsible_party=party, owner=owner,
            due_on=None if due is None else TODAY + dt.timedelta(days=due))

    items = Items(
        overdue_police=add(s1, "Patrouilles de nuit au marché", "police", "Commissariat", -10),
        overdue_chief=add(s1, "Réunir les familles en conflit", "traditional_chief",
                          "Chef de quartier", -3),
        soon=add(s2, "Afficher les numéros verts", "gendarmerie", "Brigade de Diffa", 4),
        later=add(s2, "Former les jeunes relais", "civil_society", "Association des jeunes", 25),
        undated=add(s1, "Recenser les motos", "community", None, None),
        done=add(s1, "Éclairer la ruelle", "local_authority", "Mairie", -20),
        dropped=add(s2, "Construire un poste", "police", "Commissariat", -40))
    actions.add_follow_up(store, items.overdue_police, note="Deux patrouilles faites",
                          status_after="in_progress", recorded_on=TODAY - dt.timedelta(days=20))
    actions.add_follow_up(store, items.overdue_police, note="Patrouilles interrompues",
                          recorded_on=TODAY - dt.timedelta(days=5))
    actions.add_follow_up(store, items.done, note="Lampadaires posés", status_after="done",
                          recorded_on=TODAY - dt.timedelta(days=15))
    actions.update_action_item(store, items.dropped, status="dropped")
    return items


@pytest.fixture
def contexts() -> Iterator[list[UiContext]]:
    made: list[UiContext] = []
    yield made
    for ctx in made:
        ctx.signals.detach()


@pytest.fixture
def open_page(qtbot: QtBot, contexts: list[UiContext]) -> Callable[[Workspace], ActionItemsPage]:
    def make(ws: Workspace) -> ActionItemsPage:
        ctx = UiContext(ws)
        contexts.append(ctx)
        page = ActionItemsPage(ctx)
        qtbot.addWidget(page)
        page.resize(1280, 800)
        page.show()
        qtbot.waitExposed(page)
        return page

    return make


def shown_ids(page: ActionItemsPage) -> list[str]:
    model = page.model
    return [str(model.data(model.index(r, 0), ID_ROLE)) for r in range(model.rowCount())]


def test_the_list_spans_sessions_with_filters_and_overdue_highlighted(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], ActionItemsPage]
) -> None:
    items = seed(workspace)
    page = open_page(workspace)
    # Open items of both platforms, the most overdue first, undated last.
    assert shown_ids(page) == [items.overdue_police, items.overdue_chief, items.soon,
                               items.later, items.undated]
    assert page.count_label.text() == "5 action items · 2 overdue"
    model = page.model
    for row, item in enumerate(shown_ids(page)):
        overdue = item in (items.overdue_police, items.overdue_chief)
        assert model.data(model.index(row, 0), OVERDUE_ROLE) is overdue
        assert (model.data(model.index(row, 2), Qt.ItemDataRole.BackgroundRole)
                is not None) is overdue
        spoken = str(model.data(model.index(row, ActionTableModel.DUE),
                                Qt.ItemDataRole.AccessibleTextRole))
        assert ("overdue" in spoken) is overdue  # not by colour alone
    tip = model.data(model.index(0, ActionTableModel.DUE), Qt.ItemDataRole.ToolTipRole)
    assert tip == "Overdue by 10 days"
    assert model.data(model.index(0, ActionTableModel.FOLLOW_UPS)) == "2"

    page.set_filter(responsible_party="police")
    assert shown_ids(page) == [items.overdue_police]
    page.set_filter(status=None)
    assert set(shown_ids(page)) == {items.overdue_police, items.dropped}
    page.set_filter(responsible_party=None, status="done")
    assert shown_ids(page) == [items.done]
    page.set_filter(status=aq.OPEN, due="overdue")
    assert shown_ids(page) == [items.overdue_police, items.overdue_chief]
    page.set_filter(due="next_7")
    assert shown_ids(page) == [items.soon]
    page.set_filter(due="next_30")
    assert shown_ids(page) == [items.soon, items.later]
    page.set_filter(due="none")
    assert shown_ids(page) == [items.undated]
    page.set_filter(due=None)
    owners = [page.filter_owner.itemText(i) for i in range(page.filter_owner.count())]
    assert owners == ["All owners", "Association des jeunes", "Brigade de Diffa",
                      "Chef de quartier", "Commissariat", "Mairie"]
    page.set_filter(owner="Commissariat")
    assert shown_ids(page) == [items.overdue_police]
    page.set_filter(owner=None)
    qtbot.keyClicks(page.search, "motos")
    qtbot.waitUntil(lambda: shown_ids(page) == [items.undated])


def test_follow_up_history_and_a_new_follow_up_through_the_ui(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], ActionItemsPage]
) -> None:
    items = seed(workspace)
    page = open_page(workspace)
    # The list has the whole width until an item is opened beside it.
    assert page.side.isHidden()
    page.table.selectRow(0)
    detail = page.detail
    assert detail is not None and detail.action_id == items.overdue_police
    assert not page.side.isHidden() and page.side.currentWidget() is page.detail_scroll
    assert 0 < page.splitter.sizes()[1] < page.splitter.sizes()[0]
    assert detail.overdue_chip.isVisibleTo(detail) and "10 days" in detail.overdue_chip.text()
    history = detail.history_model
    assert history.rowCount() == 2
    notes = [history.data(history.index(r, FollowUpModel.NOTE)) for r in range(2)]
    assert notes == ["Deux patrouilles faites", "Patrouilles interrompues"]
    assert "Réunion de Talladjé" in detail.origin.text()

    type_text(qtbot, detail.new_note, "Patrouilles reprises, le marché est calme")
    detail.new_status.setCurrentIndex(detail.new_status.findData("done"))
    qtbot.mouseClick(detail.add_button, Qt.MouseButton.LeftButton)
    assert history.rowCount() == 3
    assert history.data(history.index(2, FollowUpModel.NOTE)) == \
        "Patrouilles reprises, le marché est calme"
    assert history.data(history.index(2, FollowUpModel.STATUS)) == "Done"
    assert detail.new_note.toPlainText() == ""
    lines = actions.follow_ups(workspace.store, items.overdue_police)
    assert [f.status_after for f in lines] == ["in_progress", "in_progress", "done"]
    assert aq.action_detail(workspace.store, items.overdue_police).status == "done"
    assert detail.status_chip.text() == "Done" and not detail.overdue_chip.isVisibleTo(detail)
    # Done is no longer open: the list drops it once it refreshes.
    qtbot.waitUntil(lambda: items.overdue_police not in shown_ids(page))


def test_bad_input_is_refused_inline_and_leaves_the_record_as_it_was(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], ActionItemsPage]
) -> None:
    items = seed(workspace)
    page = open_page(workspace)
    page.open_action(items.soon)
    detail = page.detail
    assert detail is not None
    before = aq.action_detail(workspace.store, items.soon)

    # An unparseable due date: the reason under the field, what was typed kept.
    due = detail.bindings["due_on"]
    detail.due_on.selectAll()
    qtbot.keyClicks(detail.due_on, "le 32 mars")
    due.flush()
    assert due.error_label.isVisibleTo(detail)
    assert "is not a date" in due.error_label.text()
    assert detail.due_on.text() == "le 32 mars"
    assert aq.action_detail(workspace.store, items.soon).due_on == before.due_on
    # A due date before the session is refused too, with its own reason.
    detail.due_on.selectAll()
    qtbot.keyClicks(detail.due_on, "01/01/2001")
    due.flush()
    assert "before the session" in due.error_label.text()
    assert aq.action_detail(workspace.store, items.soon).due_on == before.due_on
    # Day-first dates as written here are understood.
    new_due = TODAY + dt.timedelta(days=9)
    detail.due_on.selectAll()
    qtbot.keyClicks(detail.due_on, new_due.strftime("%d/%m/%Y"))
    due.flush()
    assert not due.error_label.isVisibleTo(detail)
    assert aq.action_detail(workspace.store, items.soon).due_on == new_due

    # 50,000 characters into the owner (a one-line field): refused, nothing stored.
    owner = detail.bindings["owner"]
    detail.owner.selectAll()
    detail.owner.insert("🚓" * 50_000)
    owner.flush()
    assert "too long" in owner.error_label.text()
    assert aq.action_detail(workspace.store, items.soon).owner == "Brigade de Diffa"
    # Arabic script and emoji of a sane length are kept exactly.
    detail.owner.selectAll()
    detail.owner.insert("مفوضية الشرطة 🚓")
    owner.flush()
    assert aq.action_detail(workspace.store, items.soon).owner == "مفوضية الشرطة 🚓"

    # A follow-up with an unparseable date or no note writes nothing.
    qtbot.mouseClick(detail.add_button, Qt.MouseButton.LeftButton)
    assert detail.note_error.isVisibleTo(detail)
    type_text(qtbot, detail.new_note, "Affiches posées")
    detail.new_date.clear()
    qtbot.keyClicks(detail.new_date, "31/02/2026")
    qtbot.mouseClick(detail.add_button, Qt.MouseButton.LeftButton)
    assert detail.date_error.isVisibleTo(detail) and "is not a date" in detail.date_error.text()
    assert not detail.note_error.isVisibleTo(detail)
    assert actions.follow_ups(workspace.store, items.soon) == []
    assert detail.new_note.toPlainText() == "Affiches posées"  # kept for the user to fix


def test_an_edit_is_undone_with_ctrl_z(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], ActionItemsPage]
) -> None:
    items = seed(workspace)
    page = open_page(workspace)
    page.open_action(items.later)
    detail = page.detail
    assert detail is not None
    detail.status.setCurrentIndex(detail.status.findData("in_progress"))
    detail.status.activated.emit(detail.status.currentIndex())  # as a user's choice does
    assert aq.action_detail(workspace.store, items.later).status == "in_progress"
    page.open_action(items.soon)
    page.ctx.undo_stack.undo()
    assert aq.action_detail(workspace.store, items.later).status == "open"
    assert aq.action_detail(workspace.store, items.soon).status == "open"


def test_a_liaison_officer_updates_only_the_security_forces_items(
        qtbot: QtBot, make_workspace: Make, open_page: Callable[[Workspace], ActionItemsPage]
) -> None:
    fac = make_workspace("fatouma", "facilitator")
    liaison = make_workspace("lamine", "liaison")
    introduce(liaison, fac)
    items = seed(fac)
    copy_events(liaison, events_of(fac))
    page = open_page(liaison)
    page.open_action(items.overdue_chief)
    detail = page.detail
    assert detail is not None and not detail.detail.editable
    assert detail.read_only_note.isVisibleTo(detail)
    assert detail.owner.isReadOnly() and not detail.status.isEnabled()
    assert not detail.add_button.isEnabled()
    assert not detail.attachments.action_add.isEnabled()

    page.open_action(items.overdue_police)
    detail = page.detail
    assert detail is not None and detail.detail.editable
    assert not detail.read_only_note.isVisibleTo(detail)
    type_text(qtbot, detail.new_note, "Patrouilles renforcées depuis lundi")
    qtbot.mouseClick(detail.add_button, Qt.MouseButton.LeftButton)
    assert [f.note for f in actions.follow_ups(liaison.store, items.overdue_police)][-1] == \
        "Patrouilles renforcées depuis lundi"


def test_models_pass_qtmodeltester(qtmodeltester: object, workspace: Workspace) -> None:
    items = seed(workspace)
    model = ActionTableModel(workspace.store, page_size=2)
    model.set_filter(aq.ActionFilter(status=None))
    assert model.rowCount() == 2 and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 7
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_filter(aq.ActionFilter(text="nothing-like-this"))
    qtmodeltester.check(model)  # type: ignore[attr-defined]

    follow_ups = FollowUpModel()
    follow_ups.set_rows(aq.action_detail(workspace.store, items.overdue_police).follow_ups)
    assert follow_ups.rowCount() == 2
    qtmodeltester.check(follow_ups)  # type: ignore[attr-defined]
    follow_ups.set_rows(())
    qtmodeltester.check(follow_ups)  # type: ignore[attr-defined]
