"""The Platforms & places page on real widgets: the place tree (orphans and cycles from a bad
sync included), platforms below a place, adding a place, a platform and a priority problem,
a problem's story across sessions, renaming a platform, the liaison's read-only view, and the
models under qtmodeltester."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from jsd_desk.services import actions, places, sessions
from jsd_desk.services import platforms as service
from jsd_desk.services.workspace import Workspace
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.roles import ID_ROLE
from jsd_desk.ui.platforms.models import (
    PlaceTreeModel,
    PlatformTableModel,
    ProblemTableModel,
    StoryModel,
)
from jsd_desk.ui.platforms.page import PlatformsPage
from tests.ui_helpers import type_text

Make = Callable[..., Workspace]
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints")


@pytest.fixture
def contexts() -> Iterator[list[UiContext]]:
    made: list[UiContext] = []
    yield made
    for ctx in made:
        ctx.signals.detach()


@pytest.fixture
def open_page(qtbot: QtBot, contexts: list[UiContext]) -> Callable[[Workspace], PlatformsPage]:
    def make(ws: Workspace) -> PlatformsPage:
        ctx = UiContext(ws)
        contexts.append(ctx)
        page = PlatformsPage(ctx)
        qtbot.addWidget(page)
        page.resize(1280, 800)
        page.show()
        qtbot.waitExposed(page)
        return page

    return make


def niamey(ws: Workspace) -> str:
    (node,) = [n for n in service.place_nodes(ws.store) if n.name == "Niamey"]
    return node.id


def test_places_platforms_problems_and_a_problems_story(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], PlatformsPage]
) -> None:
    store = workspace.store
    commune = places.add_place(store, name="Niamey IV", level="commune", parent_id=niamey(
        workspace))
    quartier = places.add_place(store, name="Talladjé", level="quartier", parent_id=commune)
    platform = places.add_platform(store, name="Plateforme de Talladjé", place_id=quartier)
    problem = places.add_priority_problem(store, platform_id=platform, title="Vols de motos")
    when = dt.datetime(2026, 3, 2, 9)
    session = sessions.create_session(store, platform_id=platform,
                                      kind="neighbourhood_dialogue", title="Réunion de mars",
                                      starts_at=when)
    sessions.add_concern(store, session, description="Motos volées au marché",
                         theme="Vols", priority_problem_id=problem)
    actions.add_action_item(store, session, description="Patrouilles de nuit",
                            responsible_party="police", priority_problem_id=problem)

    page = open_page(workspace)
    # At first the country is chosen: every platform, the first one open in its editor.
    assert page.platform_editor is not None and page.platform_editor.platform_id == platform
    assert not page.platform_none.isVisibleTo(page)
    # Choosing Niamey shows the platforms of Niamey and of every place below it.
    page.tree.setCurrentIndex(page.place_model.index_of(niamey(workspace)))
    assert page.platform_model.rowCount() == 1
    assert page.platform_model.data(page.platform_model.index(0, 0)) == "Plateforme de Talladjé"
    assert page.platform_model.data(page.platform_model.index(
        0, PlatformTableModel.SESSIONS)) == "1"
    assert page.platform_model.data(page.platform_model.index(
        0, PlatformTableModel.OPEN_ACTIONS)) == "1"
    assert "Niamey" in page.platforms_title.text()
    # Another region has none.
    (agadez,) = [n for n in page.place_model.nodes if n.name == "Agadez"]
    page.tree.setCurrentIndex(page.place_model.index_of(agadez.id))
    assert page.platform_model.rowCount() == 0 and page.platforms_empty.isVisible()

    page.open_record("priority_problem", problem)
    assert page.platform_id == platform and page.problem_id == problem
    assert page.problem_model.data(page.problem_model.index(0, ProblemTableModel.CONCERNS)) \
        == "1"
    story = page.story_model
    assert story.rowCount() == 2
    texts = [str(story.data(story.index(r, 0))) for r in range(2)]
    assert "Concern raised — Vols: Motos volées au marché" in texts[0]
    assert "Action item (Open) — Patrouilles de nuit" in texts[1]

    # The problem's status is chosen in place.
    page.problem_status.setCurrentIndex(page.problem_status.findData("addressed"))
    page.problem_status.activated.emit(page.problem_status.currentIndex())
    assert service.problem_rows(store, platform)[0].status == "addressed"

    # A new priority problem, typed and added with Enter.
    qtbot.keyClicks(page.new_problem, "Drogue chez les jeunes")
    qtbot.keyClick(page.new_problem, Qt.Key.Key_Return)
    assert sorted(p.title for p in service.problem_rows(store, platform)) == \
        ["Drogue chez les jeunes", "Vols de motos"]
    assert page.new_problem.text() == ""
    qtbot.keyClick(page.new_problem, Qt.Key.Key_Return)  # empty: refused with a reason
    assert page.problem_error.isVisible()

    # The platform's name saves itself.
    editor = page.platform_editor
    assert editor is not None and editor.platform_id == platform
    editor.name.selectAll()
    type_text(qtbot, editor.name, "Plateforme de dialogue de Talladjé")
    editor.bindings["name"].flush()
    assert service.platform_detail(store, platform).name == "Plateforme de dialogue de Talladjé"


def test_add_a_place_and_a_platform_through_their_dialogs(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], PlatformsPage]
) -> None:
    page = open_page(workspace)
    page.tree.setCurrentIndex(page.place_model.index_of(niamey(workspace)))
    dialog = page.add_place()
    assert dialog is not None and dialog.isVisible()
    assert dialog.level.currentData() == "department"  # the level below a region
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # no name: refused, the dialog stays
    assert dialog.isVisible() and dialog.error.isVisible()
    dialog.level.setCurrentIndex(dialog.level.findData("commune"))
    type_text(qtbot, dialog.name, "Niamey V")
    qtbot.keyClicks(dialog.code, "NE-8-5")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    (node,) = [n for n in service.place_nodes(workspace.store) if n.name == "Niamey V"]
    assert node.parent_id == niamey(workspace) and node.level == "commune"
    assert page.selected_place_id() == node.id

    platform_dialog = page.new_platform()
    assert platform_dialog is not None
    assert platform_dialog.place.currentData() == node.id
    type_text(qtbot, platform_dialog.name, "Plateforme de Gamkallé")
    qtbot.mouseClick(platform_dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    (row,) = service.platform_rows(workspace.store, {node.id})
    assert row.name == "Plateforme de Gamkallé"
    assert page.platform_id == row.id and page.platform_model.rowCount() == 1


def test_orphans_and_cycles_from_a_bad_sync_still_show(qtmodeltester: object,
                                                       workspace: Workspace) -> None:
    store = workspace.store
    a = places.add_place(store, name="A", level="quartier", parent_id=None)
    b = places.add_place(store, name="B", level="quartier", parent_id=a)
    with store.transaction() as tx:
        tx.put("place", a, {"parent_id": b})  # a ← b ← a
        tx.create("place", {"name": "Orphelin", "level": "village",
                            "parent_id": "99999999-9999-9999-9999-999999999999"})
    nodes = service.place_nodes(store)
    names = {n.name for n in nodes}
    assert {"A", "B", "Orphelin", "Niger", "Diffa"} <= names
    assert len(nodes) == len({n.id for n in nodes})
    model = PlaceTreeModel()
    model.set_nodes(nodes)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    top = {str(model.data(model.index(r, 0))) for r in range(model.rowCount())}
    assert {"Niger", "Orphelin"} <= top and ({"A", "B"} & top)


def test_models_pass_qtmodeltester(qtmodeltester: object, workspace: Workspace) -> None:
    store = workspace.store
    platform = places.add_platform(store, name="Plateforme de Talladjé", place_id=niamey(
        workspace))
    problem = places.add_priority_problem(store, platform_id=platform, title="Vols")
    session = sessions.create_session(store, platform_id=platform, kind="workshop",
                                      title="Atelier", starts_at="2026-04-01T09:00")
    sessions.add_concern(store, session, description="Vols", priority_problem_id=problem)
    tree = PlaceTreeModel()
    tree.set_nodes(service.place_nodes(store))
    qtmodeltester.check(tree)  # type: ignore[attr-defined]
    index = tree.index_of(niamey(workspace))
    assert tree.data(index, ID_ROLE) == niamey(workspace)
    assert tree.data(index.siblingAtColumn(PlaceTreeModel.PLATFORMS)) == "1"
    assert tree.parent(index).isValid() and not tree.parent(tree.parent(index)).isValid()
    table = PlatformTableModel()
    table.set_rows(service.platform_rows(store))
    qtmodeltester.check(table)  # type: ignore[attr-defined]
    problems = ProblemTableModel()
    problems.set_rows(service.problem_rows(store, platform))
    qtmodeltester.check(problems)  # type: ignore[attr-defined]
    story = StoryModel()
    story.set_rows(service.problem_story(store, problem))
    assert story.rowCount() == 1
    qtmodeltester.check(story)  # type: ignore[attr-defined]
    assert not tree.index(99, 0, QModelIndex()).isValid()


def test_a_liaison_device_reads_platforms_but_does_not_change_them(
        make_workspace: Make, open_page: Callable[[Workspace], PlatformsPage]) -> None:
    liaison = make_workspace("lamine", "liaison")
    page = open_page(liaison)
    assert not page.editable
    assert page.add_place() is None and page.new_platform() is None
    assert page.add_priority_problem() is None
    with pytest.raises(Exception, match="does not change platforms"):
        service.update_platform(liaison.store, "00000000-0000-0000-0000-000000000000",
                                name="x")
