"""The UI kit: the list-backed table model (its Qt contract under qtmodeltester, and that
``set_rows`` announces exactly what changed, counted signal by signal), paging, and the
``Page`` lifecycle (stale when hidden, one refresh for a burst of commits)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout
from pytestqt.qtbot import QtBot

from jsd_desk.i18n import N_
from jsd_desk.services.workspace import Workspace
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.page import Page
from jsd_desk.ui.kit.roles import ID_ROLE, RIGHT, ROW_ROLE
from jsd_desk.ui.kit.table import (
    Column,
    PagedRowsModel,
    RowsPage,
    RowsTableModel,
    bold_font,
    offset_pages,
)
from tests.ui_helpers import (  # noqa: F401 - fixtures
    WindowFactory,
    make_window_fixture,
    seed,
    ui_settings_fixture,
)

# Offscreen windows cannot pass size hints to a window manager; nothing to do with the kit.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    count: int = 0


COLUMNS: list[Column[Item]] = [
    Column(N_("Title"), lambda r: r.name, tooltip=lambda r: f"{r.name} ({r.id})",
           font=lambda r: bold_font() if r.count > 5 else None),
    Column(N_("Participants"), lambda r: str(r.count), alignment=RIGHT,
           decoration=lambda r: QColor("#6aa84f") if r.count else None,
           short_header=N_("People")),
]

SIGNALS = ("modelReset", "rowsInserted", "rowsRemoved", "dataChanged", "layoutChanged",
           "rowsMoved")


def count_signals(model: QAbstractItemModel) -> Counter[str]:
    seen: Counter[str] = Counter()
    for name in SIGNALS:
        getattr(model, name).connect(lambda *_a, n=name: seen.update([n]))
    return seen


def items(spec: str) -> list[Item]:
    """``"a b:2 c"``: rows a, b (count 2), c."""
    out = []
    for part in spec.split():
        key, _sep, count = part.partition(":")
        out.append(Item(key, key.upper(), int(count or 0)))
    return out


def ids(model: RowsTableModel[Item]) -> list[str]:
    return [str(model.data(model.index(r, 0), ID_ROLE)) for r in range(model.rowCount())]


def test_the_model_answers_qt_through_its_columns(qtmodeltester: Any) -> None:
    model = RowsTableModel(COLUMNS, lambda r: r.id)
    model.set_rows([Item("a", "Réunion\nmensuelle", 7), Item("b", "Atelier", 0)])
    qtmodeltester.check(model)
    first = model.index(0, 0)
    assert model.data(first) == "Réunion mensuelle"  # one line for display
    assert model.data(first, Qt.ItemDataRole.ToolTipRole) == "Réunion\nmensuelle (a)"
    assert model.data(first, Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(1, 0), Qt.ItemDataRole.FontRole) is None
    assert model.data(first, ROW_ROLE) == Item("a", "Réunion\nmensuelle", 7)
    count = model.index(0, 1)
    assert model.data(count, Qt.ItemDataRole.TextAlignmentRole) == int(RIGHT)
    assert model.data(count, Qt.ItemDataRole.DecorationRole) == QColor("#6aa84f")
    assert model.data(model.index(1, 1), Qt.ItemDataRole.DecorationRole) is None
    assert model.data(count, Qt.ItemDataRole.ToolTipRole) == "7"  # the default tooltip
    assert model.headerData(1, Qt.Orientation.Horizontal) == "People"
    assert model.headerData(1, Qt.Orientation.Horizontal,
                            Qt.ItemDataRole.ToolTipRole) == "Participants"
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.row_of("b") == 1 and model.row_of("zz") == -1
    assert model.row_at(5) is None and model.id_at(0) == "a"
    model.extra_roles[Qt.ItemDataRole.UserRole + 9] = lambda r: r.count * 2
    assert model.data(first, Qt.ItemDataRole.UserRole + 9) == 14


@pytest.mark.parametrize(("before", "after", "expected"), [
    # first fill: an insertion, not a reset
    ("", "a b c", {"rowsInserted": 1}),
    # same ids, one value changed: one dataChanged for that row only
    ("a b c", "a b:3 c", {"dataChanged": 1}),
    # two separate rows changed: two dataChanged, the row between untouched
    ("a b c", "a:1 b c:1", {"dataChanged": 2}),
    # nothing changed: nothing said
    ("a b c", "a b c", {}),
    # a run removed in the middle, one at the end
    ("a b c d e", "a d", {"rowsRemoved": 2}),
    # new rows in two places
    ("a b", "x a y z b", {"rowsInserted": 2}),
    # a new order: one layout change (the selection follows its row)
    ("a b c", "c a b", {"layoutChanged": 1}),
    # all at once
    ("a b c d", "d:1 x a", {"rowsRemoved": 1, "layoutChanged": 1, "rowsInserted": 1,
                            "dataChanged": 1}),
    # emptied: a removal
    ("a b", "", {"rowsRemoved": 1}),
])
def test_set_rows_announces_only_what_changed(qtmodeltester: Any, before: str, after: str,
                                              expected: dict[str, int]) -> None:
    model = RowsTableModel(COLUMNS, lambda r: r.id)
    model.set_rows(items(before))
    qtmodeltester.check(model)
    seen = count_signals(model)
    model.set_rows(items(after))
    assert dict(seen) == expected
    assert model.rows() == items(after)


def test_a_refresh_keeps_the_selected_row_wherever_it_moves(qtmodeltester: Any) -> None:
    model = RowsTableModel(COLUMNS, lambda r: r.id)
    model.set_rows(items("a b c d"))
    qtmodeltester.check(model)
    kept = QPersistentModelIndex(model.index(2, 1))  # c, second column
    gone = QPersistentModelIndex(model.index(1, 0))  # b
    model.set_rows(items("x c:4 a d"))
    assert kept.isValid() and kept.row() == 1 and kept.column() == 1
    assert kept.data(ID_ROLE) == "c" and kept.data() == "4"
    assert not gone.isValid()


def test_duplicate_ids_cannot_be_diffed_and_reset(qtmodeltester: Any) -> None:
    model = RowsTableModel(COLUMNS, lambda r: r.id)
    model.set_rows(items("a b"))
    qtmodeltester.check(model)
    seen = count_signals(model)
    model.set_rows(items("a a b"))
    assert dict(seen) == {"modelReset": 1} and ids(model) == ["a", "a", "b"]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.tuples(st.sampled_from("abcdefghij"), st.integers(0, 2)),
                         max_size=8, unique_by=lambda t: t[0]), min_size=1, max_size=5))
def test_any_sequence_of_lists_is_shown_exactly_and_never_reset(
        qtmodeltester: Any, lists: list[list[tuple[str, int]]]) -> None:
    model = RowsTableModel(COLUMNS, lambda r: r.id)
    qtmodeltester.check(model)  # checks every signal below against Qt's rules
    seen = count_signals(model)
    for spec in lists:
        before = {r.id: r for r in model.rows()}
        handles = {k: QPersistentModelIndex(model.index(n, 0)) for n, k in enumerate(before)}
        rows = [Item(k, k.upper(), c) for k, c in spec]
        model.set_rows(rows)
        assert model.rows() == rows
        assert [model.data(model.index(n, 1)) for n in range(len(rows))] == \
            [str(c) for _k, c in spec]
        for key, handle in handles.items():  # kept rows are followed; removed ones dropped
            assert handle.isValid() == (key in dict(spec))
            if handle.isValid():
                assert handle.data(ID_ROLE) == key
    assert seen["modelReset"] == 0


def test_retranslate_asks_the_views_again(qtmodeltester: Any) -> None:
    model = RowsTableModel(COLUMNS, lambda r: r.id)
    model.set_rows(items("a b"))
    qtmodeltester.check(model)
    headers: list[tuple[Any, ...]] = []
    model.headerDataChanged.connect(lambda *a: headers.append(a))
    seen = count_signals(model)
    model.retranslate()
    assert headers == [(Qt.Orientation.Horizontal, 0, 1)] and seen["dataChanged"] == 1


def test_the_paged_model_reads_a_page_at_a_time(qtmodeltester: Any) -> None:
    table = [Item(f"r{n:03}", f"Row {n}", n % 3) for n in range(25)]
    reads: list[tuple[int, int]] = []

    def fetch(offset: int, limit: int) -> list[Item]:
        reads.append((offset, limit))
        return table[offset:offset + limit]

    model = PagedRowsModel(COLUMNS, lambda r: r.id, offset_pages(fetch), page_size=10)
    assert reads == []  # nothing read until a view asks
    qtmodeltester.check(model)
    assert model.rowCount() >= 10 and reads[0] == (0, 10)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rows() == table
    seen = count_signals(model)
    table[4] = Item("r004", "Row four", 1)  # a value changes, a row goes
    del table[7]
    model.reload()  # re-reads as many rows as shown, in one read
    assert reads[-1] == (0, 25) and model.rows() == table
    assert dict(seen) == {"dataChanged": 1, "rowsRemoved": 1}
    model.set_reader(offset_pages(lambda offset, limit: table[::-1][offset:offset + limit]))
    assert seen["modelReset"] == 0 and model.rowCount() == 10
    assert ids(model) == [r.id for r in table[::-1][:10]]


def test_the_paged_model_reads_by_keyset(qtmodeltester: Any) -> None:
    """Pages that start after the last row's key (the complaints list): each read asks for
    what follows the cursor it was given, a row met twice is shown once, and a first page
    read elsewhere (off the GUI thread) is shown diffed and read on from its own cursor."""
    table = {f"r{n:02}": n for n in range(23)}  # id -> sort key, newest (highest) first
    reads: list[tuple[int | None, int]] = []

    def read(after: int | None, limit: int) -> RowsPage[Item]:
        reads.append((after, limit))
        keys = sorted(((k, i) for i, k in table.items() if after is None or k < after),
                      reverse=True)[:limit]
        rows = [Item(i, i.upper(), k % 3) for k, i in keys]
        return RowsPage(rows, keys[-1][0] if len(keys) == limit else None)

    model = PagedRowsModel(COLUMNS, lambda r: r.id, read, page_size=10)
    assert reads == []
    assert model.rowCount() == 10 and reads == [(None, 10)]
    table["r20"] = 5  # moved below the cursor (13) since the first page: met twice
    model.fetchMore(QModelIndex())
    assert reads[-1] == (13, 10) and model.rowCount() == 19  # r20 again: skipped
    assert len(set(ids(model))) == 19
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert sorted(ids(model)) == sorted(table) and not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)  # and it watches every signal below
    seen = count_signals(model)
    before = len(reads)
    model.reload()
    # As many rows as shown, in one read from the start (a full page may have more after it:
    # the tester, like a view, asks, and an empty page ends the list).
    assert reads[before:] in ([(None, 23)], [(None, 23), (0, 10)])
    assert seen["modelReset"] == 0 and seen["layoutChanged"] == 1  # r20 moved down
    first = read(None, 10)  # "read elsewhere"
    before = len(reads)
    model.show_first_page(read, first)
    assert model.rows()[:10] == list(first.rows) and seen["modelReset"] == 0
    if model.canFetchMore(QModelIndex()):  # the tester may have asked already
        model.fetchMore(QModelIndex())
    assert reads[before] == (first.next, 10) and model.rowCount() == 20


# -- the page base ----------------------------------------------------------------------------


class CountingPage(Page):
    WATCHED = frozenset({"session"})

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.refreshes = 0
        self.label = QLabel()
        QVBoxLayout(self).addWidget(self.label)
        self.busy = False
        self.action_run = self._action("action_run", self.run)
        self.runs = 0
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.label.setText("page")

    def run(self) -> None:
        self.runs += 1

    def can_refresh_now(self) -> bool:
        return not self.busy

    def _refresh(self) -> None:
        self.refreshes += 1


@pytest.fixture
def ctx(workspace: Workspace) -> UiContext:
    return UiContext(workspace)


def test_a_visible_page_refreshes_once_after_a_burst(qtbot: QtBot, ctx: UiContext) -> None:
    page = CountingPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    for _n in range(20):
        ctx.signals.records_changed.emit(frozenset({"session", "attendance"}))
    ctx.signals.records_changed.emit(frozenset({"complaint"}))  # not watched
    assert page.refreshes == 0 and page.stale
    qtbot.waitUntil(lambda: page.refreshes == 1)
    qtbot.wait(page.REFRESH_DELAY_MS + 50)
    assert page.refreshes == 1 and not page.stale
    ctx.signals.records_changed.emit(frozenset({"complaint"}))
    qtbot.wait(page.REFRESH_DELAY_MS + 50)
    assert page.refreshes == 1 and not page.stale
    page.action_run.trigger()
    assert page.runs == 1 and page.action_run in page.actions()


def test_a_hidden_or_busy_page_refreshes_when_shown(qtbot: QtBot, ctx: UiContext) -> None:
    page = CountingPage(ctx)
    qtbot.addWidget(page)
    ctx.signals.records_changed.emit(frozenset({"session"}))
    ctx.signals.records_changed.emit(frozenset({"session"}))
    qtbot.wait(page.REFRESH_DELAY_MS + 50)
    assert page.refreshes == 0 and page.stale  # hidden: nothing read
    page.show()
    qtbot.waitExposed(page)
    assert page.refreshes == 1 and not page.stale
    page.busy = True
    ctx.signals.records_changed.emit(frozenset({"session"}))
    qtbot.wait(page.REFRESH_DELAY_MS + 50)
    assert page.refreshes == 1 and page.stale
    page.busy = False
    page.refresh_if_stale()
    assert page.refreshes == 2
    page.refresh_if_stale()  # no longer stale: no second read
    assert page.refreshes == 2


# -- every list of every page: its Column list under Qt's model tester --------------------------

PAGE_KEYS = ("home", "sessions", "complaints", "actions", "platforms", "sync")


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_every_column_list_of_every_page_passes_qtmodeltester(
        qtmodeltester: Any, workspace: Workspace, make_window: WindowFactory, key: str) -> None:
    """Each page opened on real records (and its record opened: the session editor, a
    complaint, an action item), then every kit model it holds checked by Qt's tester, asked
    for every role of every cell, retranslated, and refreshed in another order (diffed)."""
    ids = seed(workspace.store)
    window = make_window(workspace)
    page = window.go_to(key)
    opened = {"sessions": lambda: page.open_session(ids.past),  # type: ignore[attr-defined]
              "complaints": lambda: page.open_complaint(ids.complaint),  # type: ignore[attr-defined]
              "actions": lambda: page.open_action(ids.overdue_item),  # type: ignore[attr-defined]
              "platforms": lambda: page.open_record("platform", ids.platform)  # type: ignore[attr-defined]
              or True}
    if key in opened:
        assert opened[key]()
    models = [m for m in page.findChildren(RowsTableModel)]
    assert models or key == "home", f"{key}: no kit model found"
    roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
             Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.DecorationRole,
             Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole,
             Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole,
             Qt.ItemDataRole.EditRole, ID_ROLE, ROW_ROLE]
    for model in models:
        qtmodeltester.check(model)
        for r in range(model.rowCount()):
            for c in range(model.columnCount()):
                for role in roles:
                    model.data(model.index(r, c), role)  # no column callable may raise
            assert model.data(model.index(r, 0), ID_ROLE) is not None
        for c in range(model.columnCount()):
            assert str(model.headerData(c, Qt.Orientation.Horizontal)), \
                f"{key}: column {c} of {model.objectName() or type(model).__name__} unnamed"
        model.retranslate()
        rows = model.rows()
        if not isinstance(model, PagedRowsModel):
            model.set_rows(rows[::-1])
            model.set_rows(rows)
            assert model.rows() == rows
    if key in ("sessions", "actions", "platforms"):  # their seeded records are in kit lists
        assert sum(m.rowCount() for m in models) > 0, f"{key}: the records show in no list"
