"""Deadlines on screen (issue 12): Home lists the open complaints most urgent first, a liaison
officer's Home what the police owe and by when, the Complaints page puts what is late on top;
a liaison device's screens show no description of a complaint not referred to it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox

from jsd_desk.services import complaints, places, targets
from jsd_desk.services.workspace import Workspace
from jsd_desk.store import models
from jsd_desk.ui.kit.roles import ID_ROLE
from tests.sync_support import MakeWorkspace, dump, introduce, receive, send
from tests.ui_helpers import (  # noqa: F401 - fixtures
    WindowFactory,
    all_texts,
    make_window_fixture,
    ui_settings_fixture,
)

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")
TODAY = dt.date.today()
HIDDEN = "Violences conjugales répétées ; la plaignante a été blessée au bras"
REFERRED = "Racket au poste de contrôle du pont Kennedy"


def _receive(ws: Workspace, category: str, days_ago: int, description: str = "x") -> str:
    return complaints.receive_complaint(
        ws.store, received_on=TODAY - dt.timedelta(days=days_ago), channel="walk_in",
        category=category, description=description).id


def _items(widget: Any) -> list[tuple[Any, str]]:
    return [(widget.item(i).data(Qt.ItemDataRole.UserRole), widget.item(i).text())
            for i in range(widget.count())]


def test_home_lists_open_complaints_most_urgent_first(make_workspace: MakeWorkspace,
                                                      make_window: WindowFactory) -> None:
    fac = make_workspace("fatouma", "facilitator")
    fresh = _receive(fac, "land", 0)  # first contact due in 7 days: on time
    late = _receive(fac, "theft", 9)  # first contact was due 4 days ago
    sgbv = _receive(fac, "sgbv", 1)  # first contact due today: at risk, immediate attention
    done = _receive(fac, "theft", 30)
    complaints.change_status(fac.store, done, "withdrawn")
    window = make_window(fac)
    home: Any = window.go_to("home")
    items = _items(home.waiting)
    assert [data for data, _text in items] == [("complaint", c) for c in (late, sgbv, fresh)]
    assert "Overdue" in items[0][1] and "4 days late" in items[0][1]
    assert "At risk" in items[1][1] and "Immediate attention" in items[1][1]
    assert "On time" in items[2][1]
    assert home.waiting_box.title() == "Complaints, most urgent first"


def test_a_liaison_device_sees_what_the_police_owe_and_no_unreferred_text(
        make_workspace: MakeWorkspace, make_window: WindowFactory, tmp_path: Path) -> None:
    fac, liaison = make_workspace("fatouma", "facilitator"), make_workspace("lamine", "liaison")
    introduce(fac, liaison)
    hidden = _receive(fac, "sgbv", 2, HIDDEN)
    referred = _receive(fac, "police_conduct", 3, REFERRED)
    complaints.change_status(fac.store, referred, "referred", referred_to="Commissariat")
    receive(liaison, send(fac, liaison, tmp_path))
    window = make_window(liaison)
    home: Any = window.go_to("home")
    assert home.waiting_box.title() == "What the police owe complainants"
    items = _items(home.waiting)
    assert [data for data, _t in items] == [("complaint", referred)]
    due = TODAY - dt.timedelta(days=3) + dt.timedelta(days=45)
    assert f"Resolution due {due.day} " in items[0][1]
    # Every screen of the complaints, each complaint opened in turn: never the unreferred text.
    page: Any = window.go_to("complaints")
    shown = []
    for row in range(page.model.rowCount()):
        page.table.selectRow(row)
        shown.append(all_texts(window))
    assert len(shown) == 2
    assert all(HIDDEN not in text for text in shown)
    assert any(REFERRED in text for text in shown)  # the referred one, once its bundle came
    assert hidden != referred


def test_the_targets_panel_refuses_bad_days_and_saves_a_platforms_target(
        make_workspace: MakeWorkspace, make_window: WindowFactory) -> None:
    fac = make_workspace("fatouma", "facilitator")
    platform = places.add_platform(fac.store, name="Plateforme de Tahoua", place_id=None)
    window = make_window(fac)
    settings: Any = window.go_to("settings")
    panel = settings.targets
    assert panel.scope.currentData() == platform  # no ministry scope on a platform's device
    review = panel.findChild(QSpinBox, "target_sgbv_review")
    assert review.value() == 1 and panel.table.item(3, 4).text() == "Built in"
    before = dump(fac)
    review.setValue(0)
    assert panel.save() == 0
    assert "at least one" in panel.message.text() and "Sexual" in panel.message.text()
    assert dump(fac) == before  # nothing written
    review.setValue(2)
    assert panel.save() == 1
    assert panel.table.item(3, 4).text() == "This platform"
    assert [t.target.review_days for t in targets.effective_targets(fac.store, platform)
            if (t.category, t.severity) == ("sgbv", "normal")] == [2]


def test_the_complaints_page_puts_what_is_late_on_top_and_refers_to_a_liaison_device(
        make_workspace: MakeWorkspace, make_window: WindowFactory, tmp_path: Path) -> None:
    fac, liaison = make_workspace("fatouma", "facilitator"), make_workspace("lamine", "liaison")
    introduce(fac, liaison)
    late = _receive(fac, "theft", 20)  # first contact 15 days late: escalated too
    soon = _receive(fac, "land", 7)  # first contact due today
    _receive(fac, "traffic", 0)
    new = complaints.receive_complaint(fac.store, received_on=TODAY, channel="walk_in",
                                       category="police_conduct", description=REFERRED)
    window = make_window(fac)
    page: Any = window.go_to("complaints")
    page.wait_until_loaded()  # what is late is read off the GUI thread
    strip = _items(page.attention.list)
    assert [data for data, _t in strip] == [late, soon]
    # How late comes right after the reference (a narrow strip cuts the end of a line); the
    # state word, which would only repeat it, is in the tooltip with everything else.
    assert strip[0][1].startswith(f"{page.attention._late[0].reference} · 15 days late · ")
    assert "Escalated" in strip[0][1] and "At risk" in strip[1][1]
    assert "Overdue" in page.attention.list.item(0).toolTip()
    # Whole rows only: the strip is exactly as tall as the rows it shows.
    shown = page.attention.list
    assert shown.height() == 2 * shown.sizeHintForRow(0) + 2 * shown.frameWidth()
    assert page.attention.label.text() == "At risk or overdue (2)"
    column = page.model.DEADLINE
    states = {page.model.data(page.model.index(r, 0), ID_ROLE):
              page.model.data(page.model.index(r, column)) for r in range(page.model.rowCount())}
    assert states[late] == "Overdue ⚑" and states[soon] == "At risk"
    # Activating a late one opens it; its deadline reads in the detail.
    page.attention.list.itemActivated.emit(page.attention.list.item(0))
    assert page.detail.complaint_id == late
    assert "First contact due" in page.detail.header.deadline_line.text()
    # The referral goes to the liaison device chosen (the only one this device trusts).
    page.open_complaint(new.id)
    detail = page.detail
    assert detail.liaison_device.currentData() == liaison.keys.info.device_id
    detail.referred_to.setText("Commissariat central")
    assert detail.workflow.move_to("referred")
    receive(liaison, send(fac, liaison, tmp_path))
    with liaison.store.reading() as s:
        assert s.get(models.Complaint, new.id).description == REFERRED
    # The receipt lookup says where it stands, in French and in English, and nothing else.
    assert page.lookup_receipt(new.receipt_code) == new.id
    answer = page.receipt_answer.text()
    assert "Français : Votre plainte" in answer and "English : Your complaint" in answer
    assert "security forces" in answer and REFERRED not in answer and "Commissariat" not in answer
