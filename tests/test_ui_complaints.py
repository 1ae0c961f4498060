"""The Complaints page on real widgets and real encrypted stores, offscreen: intake (anonymous
and named), the workflow offering only legal moves, the status timeline, referral, response and
outcome, receipt-code lookup and the receipt slip, filters and search-as-you-type over a lazy
model, refused input, undo, and a liaison officer's device that shows no identity anywhere."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from jsd_desk.domain import vocab
from jsd_desk.services import complaint_queries as cq
from jsd_desk.services import complaints
from jsd_desk.services.complaint_detail import complaint_detail
from jsd_desk.services.workspace import Workspace
from jsd_desk.store import models
from jsd_desk.ui.complaints.model import ComplaintTableModel, StatusHistoryModel
from jsd_desk.ui.complaints.page import ComplaintsPage
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import flush_all
from jsd_desk.ui.kit.roles import ID_ROLE
from tests.replicas import copy_events, events_of, introduce
from tests.ui_helpers import all_texts, type_text

Make = Callable[..., Workspace]
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints")

SECRET_NAME = "Zalika Moussa-Garba"
SECRET_CONTACT = "+227 96 12 34 56"
# The paths through the workflow that reach each status (from "received").
PATHS = {
    "received": (), "under_review": ("under_review",), "referred": ("referred",),
    "resolved": ("under_review", "resolved"),
    "closed_unresolved": ("referred", "closed_unresolved"), "withdrawn": ("withdrawn",),
}


@pytest.fixture
def contexts() -> Iterator[list[UiContext]]:
    made: list[UiContext] = []
    yield made
    for ctx in made:
        ctx.signals.detach()


@pytest.fixture
def open_page(qtbot: QtBot, contexts: list[UiContext]) -> Callable[[Workspace], ComplaintsPage]:
    def make(ws: Workspace) -> ComplaintsPage:
        ctx = UiContext(ws)
        contexts.append(ctx)
        page = ComplaintsPage(ctx)
        qtbot.addWidget(page)
        page.resize(1280, 800)
        page.show()
        qtbot.waitExposed(page)
        page.wait_until_loaded()
        return page

    return make


def receive(ws: Workspace, *, day: int = 1, category: str = "theft", channel: str = "walk_in",
            description: str = "Vol de moto au marché", name: str | None = None,
            status: str = "received") -> complaints.NewComplaint:
    new = complaints.receive_complaint(
        ws.store, received_on=dt.date(2026, 3, 1) + dt.timedelta(days=day), channel=channel,
        category=category, description=description, against="inconnu",
        complainant={"name": name, "contact": SECRET_CONTACT, "gender": "f",
                     "age_group": "18_35"} if name else None)
    for step in PATHS[status]:
        complaints.change_status(ws.store, new.id, step, referred_to="Commissariat central")
    return new


def status_of(ws: Workspace, complaint_id: str) -> str | None:
    with ws.store.reading() as s:
        row = s.get(models.Complaint, complaint_id)
        return row.status if row else None


def workflow_buttons(page: ComplaintsPage) -> set[str]:
    assert page.detail is not None
    return {b.objectName().removeprefix("action_status_")
            for b in page.detail.findChildren(QPushButton)
            if b.objectName().startswith("action_status_") and b.isVisibleTo(page.detail)}


def test_anonymous_intake_then_the_whole_workflow_through_the_ui(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], ComplaintsPage]
) -> None:
    page = open_page(workspace)
    assert page.model.rowCount() == 0 and page.list.empty.isVisible()
    page.action_new_complaint.trigger()
    intake = page.intake
    assert page.side.currentWidget() is page.side.intake_scroll
    assert intake.anonymous.isChecked() and not intake.identity_fields.isEnabled()
    intake.received_on.clear()
    qtbot.keyClicks(intake.received_on, "02/03/2026")  # as written here: day first
    intake.category.setCurrentIndex(intake.category.findData("police_conduct"))
    intake.channel.setCurrentIndex(intake.channel.findData("phone"))
    type_text(qtbot, intake.against, "Agents du poste de contrôle")
    type_text(qtbot, intake.description, "Racket au poste de contrôle de Gotheye")
    qtbot.mouseClick(intake.record_button, Qt.MouseButton.LeftButton)

    assert page.model.rowCount() == 1
    (row,) = cq.complaint_page(workspace.store, cq.ComplaintFilter()).rows
    assert row.received_on == dt.date(2026, 3, 2) and row.category == "police_conduct"
    assert row.channel == "phone" and row.anonymous and row.status == "received"
    detail = page.detail
    assert detail is not None and detail.complaint_id == row.id
    assert page.side.currentWidget() is page.side.detail_scroll
    assert detail.header.reference.text() == row.reference
    # An anonymous complainant gets the receipt code, shown with its printable slip.
    code = detail.detail.receipt_code
    assert len(code) == 14 and detail.identity_box.receipt_row.isVisibleTo(detail)
    assert detail.identity_box.receipt_code.text() == code
    assert workflow_buttons(page) == set(vocab.COMPLAINT_TRANSITIONS["received"])

    # "Referred" needs to whom: refused inline, the status stays.
    qtbot.mouseClick(detail.workflow.status_buttons["referred"], Qt.MouseButton.LeftButton)
    referral_error = detail.bindings["referred_to"].error_label
    assert referral_error.isVisibleTo(detail) and "referred" in referral_error.text()
    assert status_of(workspace, row.id) == "received"
    qtbot.keyClicks(detail.referred_to, "Commissariat central de Niamey")
    qtbot.keyClicks(detail.workflow.status_note, "Transmis au commissaire")
    qtbot.mouseClick(detail.workflow.status_buttons["referred"], Qt.MouseButton.LeftButton)
    assert status_of(workspace, row.id) == "referred"
    assert not referral_error.isVisibleTo(detail)
    assert detail.header.status_chip.text() == "Referred"
    assert workflow_buttons(page) == set(vocab.COMPLAINT_TRANSITIONS["referred"])
    # The list follows the change (announced by the store, refreshed a moment later).
    qtbot.waitUntil(lambda: page.model.data(page.model.index(0, ComplaintTableModel.STATUS))
                    == "Referred")

    # The response and outcome save as they are typed (when the field is left).
    type_text(qtbot, detail.response, "Les agents ont été rappelés à l'ordre.")
    type_text(qtbot, detail.outcome, "Le plaignant a été informé par téléphone.")
    flush_all(detail)

    # A final status asks for a confirmation first; cancelling changes nothing.
    qtbot.mouseClick(detail.workflow.status_buttons["resolved"], Qt.MouseButton.LeftButton)
    assert detail.workflow.confirm_frame.isVisibleTo(detail) and status_of(workspace, row.id) == "referred"
    qtbot.mouseClick(detail.workflow.cancel_button, Qt.MouseButton.LeftButton)
    assert status_of(workspace, row.id) == "referred"
    qtbot.mouseClick(detail.workflow.status_buttons["resolved"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(detail.workflow.confirm_button, Qt.MouseButton.LeftButton)
    assert status_of(workspace, row.id) == "resolved"
    assert workflow_buttons(page) == set()
    assert detail.workflow.final_label.isVisibleTo(detail)

    # The timeline: received, then each move with its note.
    history = detail.history_model
    assert history.rowCount() == 3
    lines = [str(history.data(history.index(r, 0))) for r in range(3)]
    assert "Received" in lines[0]
    assert "Received → Referred" in lines[1] and "Transmis au commissaire" in lines[1]
    assert "Referred → Resolved" in lines[2]
    steps = complaints.status_history(workspace.store, row.id)
    assert [(s.from_status, s.to_status) for s in steps] == [("received", "referred"),
                                                             ("referred", "resolved")]
    d = complaint_detail(workspace.store, row.id)
    assert d.referred_to == "Commissariat central de Niamey"
    assert d.response == "Les agents ont été rappelés à l'ordre."
    assert d.outcome == "Le plaignant a été informé par téléphone."


def test_named_intake_keeps_the_identity_in_the_confidential_box(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], ComplaintsPage]
) -> None:
    page = open_page(workspace)
    page.new_complaint()
    intake = page.intake
    intake.category.setCurrentIndex(intake.category.findData("sgbv"))
    qtbot.mouseClick(intake.named, Qt.MouseButton.LeftButton)
    assert intake.identity_fields.isEnabled()
    # Named without a name is refused in place, nothing recorded.
    qtbot.mouseClick(intake.record_button, Qt.MouseButton.LeftButton)
    assert intake.errors["name"].isVisibleTo(intake)
    assert cq.count_complaints(workspace.store, cq.ComplaintFilter()) == 0
    qtbot.keyClicks(intake.name, SECRET_NAME)
    qtbot.keyClicks(intake.contact, SECRET_CONTACT)
    intake.gender.setCurrentIndex(intake.gender.findData("f"))
    qtbot.mouseClick(intake.record_button, Qt.MouseButton.LeftButton)

    detail = page.detail
    assert detail is not None
    assert detail.identity_box.objectName() == "confidential_identity"
    assert "Confidential" in detail.identity_box.title()
    identity = detail.identity_box
    assert identity.name.text() == SECRET_NAME and identity.contact.text() == SECRET_CONTACT
    assert not detail.identity_box.receipt_row.isVisibleTo(detail)  # a named complaint needs no code
    with workspace.store.reading() as s:
        who = s.get(models.Complainant, detail.complaint_id)
        assert who is not None and who.name == SECRET_NAME and who.gender == "f"


def test_an_anonymous_complaint_can_get_an_identity_later(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], ComplaintsPage]
) -> None:
    new = receive(workspace)
    page = open_page(workspace)
    page.open_complaint(new.id)
    detail = page.detail
    assert detail is not None
    assert detail.identity_box.add_identity_button.isVisibleTo(detail)
    assert not detail.identity_box.identity_form_widget.isVisibleTo(detail)
    qtbot.mouseClick(detail.identity_box.add_identity_button, Qt.MouseButton.LeftButton)
    assert detail.identity_box.identity_form_widget.isVisibleTo(detail)
    qtbot.keyClicks(detail.identity_box.name, SECRET_NAME)
    detail.bindings["name"].flush()
    d = complaint_detail(workspace.store, new.id)
    assert d.identity is not None and d.identity.name == SECRET_NAME and not d.anonymous


@pytest.mark.parametrize("status", list(PATHS))
def test_only_the_legal_transitions_are_offered(
        status: str, workspace: Workspace, open_page: Callable[[Workspace], ComplaintsPage]
) -> None:
    new = receive(workspace, status=status)
    page = open_page(workspace)
    page.table.selectRow(0)
    assert page.detail is not None and page.detail.complaint_id == new.id
    assert workflow_buttons(page) == set(vocab.COMPLAINT_TRANSITIONS[status])
    assert page.detail.workflow.final_label.isVisibleTo(page.detail) == (status in cq.FINAL_STATUSES)
    # Asking for an illegal move by hand does nothing.
    illegal = set(vocab.COMPLAINT_STATUS.codes()) - set(vocab.COMPLAINT_TRANSITIONS[status])
    for target in illegal:
        assert page.detail.workflow.move_to(target) is False
    assert status_of(workspace, new.id) == status


def test_receipt_code_lookup_from_the_toolbar(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], ComplaintsPage]
) -> None:
    wanted = receive(workspace, day=3, description="Vol de bétail à Ayorou")
    for day in range(6):
        receive(workspace, day=day)
    page = open_page(workspace)
    assert page.model.rowCount() == 7
    field = page.receipt_lookup
    assert field.objectName() == "receipt_lookup" and field.accessibleName()
    # As a person reads it over the phone: lower case, spaces, O for zero.
    typed = wanted.receipt_code.lower().replace("-", " ").replace("0", "o")
    qtbot.keyClicks(field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not page.receipt_error.isVisible()
    # The complaint opens at once; the list, searched off the GUI thread, follows.
    assert page.detail is not None and page.detail.complaint_id == wanted.id
    page.wait_until_loaded()
    assert page.model.rowCount() == 1
    assert page.selected_id() == wanted.id
    assert page.detail is not None and page.detail.complaint_id == wanted.id

    field.clear()
    qtbot.keyClicks(field, "ZZZZ-ZZZZ-ZZZZ")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert page.receipt_error.isVisible()
    assert page.receipt_error.text() == "No complaint has this receipt code."
    field.clear()
    qtbot.keyClicks(field, "ABC")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "12 letters and digits" in page.receipt_error.text()
    qtbot.keyClicks(field, "D")  # typing again clears the message
    assert not page.receipt_error.isVisible()


def test_print_receipt_writes_the_slip_off_the_gui_thread(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], ComplaintsPage],
        tmp_path: Path) -> None:
    new = receive(workspace)
    page = open_page(workspace)
    page.open_complaint(new.id)
    assert page.action_print_receipt.isEnabled()
    out = tmp_path / "recu.pdf"
    op = page.print_receipt(out_path=out)
    assert op is not None
    qtbot.waitUntil(op.is_finished, timeout=30_000)
    qtbot.waitUntil(lambda: out.exists())
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert new.receipt_code in text and new.reference in text
    # A named complaint has no slip to print.
    named = receive(workspace, name=SECRET_NAME)
    page.open_complaint(named.id)
    assert not page.action_print_receipt.isEnabled()


def test_filters_and_search_as_you_type(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], ComplaintsPage]
) -> None:
    for day, (category, status) in enumerate([("theft", "received"), ("theft", "referred"),
                                              ("sgbv", "referred"), ("land", "resolved"),
                                              ("drugs", "withdrawn"), ("theft", "under_review")]):
        receive(workspace, day=day, category=category, status=status,
                description="Moto volée" if category == "theft" else "Autre affaire")
    receive(workspace, day=40, category="traffic", description="Accident à Téra")
    page = open_page(workspace)
    assert page.model.rowCount() == 7
    assert page.filters.count_label.text() == "7 complaints"
    # The status choices show how many complaints each holds.
    texts = [page.filters.filter_status.itemText(i) for i in range(page.filters.filter_status.count())]
    assert "Referred (2)" in texts and "Open (not closed) (5)" in texts

    page.filters.filter_status.setCurrentIndex(page.filters.filter_status.findData("referred"))
    page.wait_until_loaded()
    shown = {page.model.data(page.model.index(r, 0), ID_ROLE) for r in range(2)}
    assert page.model.rowCount() == 2 and len(shown) == 2
    assert page.filters.count_label.text() == "2 complaints"
    page.filters.filter_category.setCurrentIndex(page.filters.filter_category.findData("sgbv"))
    assert page.model.rowCount() == 1
    page.clear_filters()
    assert page.model.rowCount() == 7

    # Search as you type: the list follows after a short pause, accents folded.
    qtbot.keyClicks(page.filters.search, "tera")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.data(page.model.index(0, ComplaintTableModel.SUMMARY)) == "Accident à Téra"
    page.filters.search.clear()
    qtbot.keyClicks(page.filters.search, "moto")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    # With words to search, a filter change reads off the GUI thread too.
    page.filters.filter_status.setCurrentIndex(page.filters.filter_status.findData(cq.OPEN))
    page.wait_until_loaded()
    assert page.model.rowCount() == 3  # received, referred, under review
    page.filters.filter_period.setCurrentIndex(page.filters.filter_period.findData("last_7"))
    page.wait_until_loaded()
    assert page.model.rowCount() == 0 and page.list.empty.isVisible()
    assert "No complaint matches" in page.list.empty.text()


def test_the_list_is_lazy_and_pages_by_keyset(qtmodeltester: object, workspace: Workspace
                                              ) -> None:
    made = [receive(workspace, day=d % 9) for d in range(23)]  # many share a date
    model = ComplaintTableModel(workspace.store, page_size=5)
    model.set_filter(cq.ComplaintFilter())
    assert model.rowCount() == 5 and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    ids = [model.data(model.index(r, 0), ID_ROLE) for r in range(model.rowCount())]
    assert len(ids) == 23 and set(ids) == {m.id for m in made}
    dates = [model.row_at(r).received_on for r in range(23)]  # type: ignore[union-attr]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    # A refresh after a change re-reads the rows shown in one read and tells the view what
    # changed: one row's values, no reset (the selection and the scroll stay).
    signals: list[str] = []
    model.modelReset.connect(lambda: signals.append("reset"))
    model.dataChanged.connect(lambda a, b, *_r: signals.append(f"data {a.row()}-{b.row()}"))
    complaints.change_status(workspace.store, made[0].id, "under_review")
    model.reload()
    row = model.row_of(made[0].id)
    assert signals == [f"data {row}-{row}"] and model.rowCount() == 23
    model.set_filter(cq.ComplaintFilter(text="zzzz-nothing"))
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_undated_orphans_come_after_the_dated_complaints(workspace: Workspace) -> None:
    dated = receive(workspace)
    # A later edit that arrived before the complaint itself projects a row with no date yet
    # (DESIGN §4: show orphans, never reject them).
    orphan_id = "11111111-1111-1111-1111-111111111111"
    with workspace.store.engine.begin() as conn:
        conn.execute(models.Complaint.__table__.insert().values(  # type: ignore[attr-defined]
            id=orphan_id, deleted=False, status="referred"))
    page1 = cq.complaint_page(workspace.store, cq.ComplaintFilter(), None, 1)
    assert [r.id for r in page1.rows] == [dated.id] and page1.next is not None
    page2 = cq.complaint_page(workspace.store, cq.ComplaintFilter(), page1.next, 1)
    assert [r.id for r in page2.rows] == [orphan_id] and page2.rows[0].received_on is None
    page3 = cq.complaint_page(workspace.store, cq.ComplaintFilter(), page2.next, 1)
    assert page3.rows == [] and page3.next is None


def test_status_history_model_passes_qtmodeltester(qtmodeltester: object,
                                                   workspace: Workspace) -> None:
    new = receive(workspace, status="resolved")
    d = complaint_detail(workspace.store, new.id)
    model = StatusHistoryModel()
    model.set_history(d.received_on, d.history)
    assert model.rowCount() == 3
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_history(None, ())
    assert model.rowCount() == 1 and "date unknown" in str(model.data(model.index(0, 0)))
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_bad_input_is_refused_inline_and_leaves_the_record_as_it_was(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], ComplaintsPage]
) -> None:
    page = open_page(workspace)
    page.new_complaint()
    intake = page.intake
    intake.received_on.clear()
    qtbot.keyClicks(intake.received_on, "32/13/2026")
    intake.category.setCurrentIndex(intake.category.findData("theft"))
    type_text(qtbot, intake.description, "Vol")
    qtbot.mouseClick(intake.record_button, Qt.MouseButton.LeftButton)
    error = intake.errors["received_on"]
    assert error.isVisibleTo(intake) and "is not a date" in error.text()
    assert intake.received_on.text() == "32/13/2026"  # what was typed stays
    assert intake.description.toPlainText() == "Vol"
    assert cq.count_complaints(workspace.store, cq.ComplaintFilter()) == 0

    new = receive(workspace)
    page.open_complaint(new.id)
    detail = page.detail
    assert detail is not None
    against = detail.bindings["against"]
    # 50,000 characters pasted into a one-line field: refused with the reason, kept on screen.
    detail.against.selectAll()
    detail.against.insert("ب" * 50_000)
    against.flush()
    assert against.error_label.isVisibleTo(detail)
    assert "too long" in against.error_label.text()
    assert len(detail.against.text()) == 50_000
    assert complaint_detail(workspace.store, new.id).against == "inconnu"
    # Emoji and Arabic script, of a sane length, are stored exactly and shown in the list.
    text = "الشرطة 🚓 police de Téra"
    detail.against.selectAll()
    detail.against.insert(text)
    against.flush()
    assert not against.error_label.isVisibleTo(detail)
    assert complaint_detail(workspace.store, new.id).against == text
    # 50,000 characters in the description (a long text field) are kept whole.
    long_text = ("Témoignage détaillé 🙏 شهادة " * 2000)[:50_000]
    detail.description.setPlainText(long_text)
    detail.bindings["description"].flush()
    assert complaint_detail(workspace.store, new.id).description == long_text
    page.refresh()
    row = page.model.row_of(new.id)
    assert page.model.data(page.model.index(row, ComplaintTableModel.AGAINST)) == text
    # The search box takes a huge paste without freezing or failing.
    page.set_search_text("x" * 50_000)
    page.wait_until_loaded()
    assert page.model.rowCount() == 0


def test_a_field_edit_is_undone_with_ctrl_z(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], ComplaintsPage]
) -> None:
    new = receive(workspace)
    page = open_page(workspace)
    page.open_complaint(new.id)
    detail = page.detail
    assert detail is not None
    detail.against.selectAll()
    qtbot.keyClicks(detail.against, "Brigade de gendarmerie")
    detail.bindings["against"].flush()
    assert complaint_detail(workspace.store, new.id).against == "Brigade de gendarmerie"
    # Another complaint is opened: the undo still goes to the first one.
    other = receive(workspace, day=5)
    page.open_complaint(other.id)
    page.ctx.undo_stack.undo()
    assert complaint_detail(workspace.store, new.id).against == "inconnu"
    assert complaint_detail(workspace.store, other.id).against == "inconnu"


def test_a_liaison_device_shows_no_identity_anywhere(
        qtbot: QtBot, make_workspace: Make, open_page: Callable[[Workspace], ComplaintsPage]
) -> None:
    fac = make_workspace("fatouma", "facilitator")
    liaison = make_workspace("lamine", "liaison")
    introduce(fac, liaison)
    introduce(liaison, fac)
    named = [receive(fac, day=d, name=f"{SECRET_NAME} {d}", category="sgbv") for d in range(3)]
    receive(fac, day=9)
    complaints.change_status(fac.store, named[0].id, "referred", referred_to="Commissariat")
    copy_events(liaison, events_of(fac))

    # The facilitator's page does show the identity (the check below can fail).
    fac_page = open_page(fac)
    fac_page.open_complaint(named[0].id)
    assert SECRET_NAME in all_texts(fac_page)

    page = open_page(liaison)
    assert page.model.rowCount() == 4
    seen = []
    for row in range(page.model.rowCount()):
        page.table.selectRow(row)
        assert page.detail is not None
        seen.append(page.detail.complaint_id)
        texts = all_texts(page)
        for secret in (SECRET_NAME, SECRET_CONTACT, "Moussa"):
            assert secret not in texts
        box = page.detail.identity_box
        assert "Confidential" in box.title()
        assert "Confidential" in page.detail.identity_box.identity_note.text()
        assert not page.detail.identity_box.identity_form_widget.isVisibleTo(page.detail)
        assert not hasattr(page.detail.identity_box, "name")  # no identity editor is even built
        # The liaison answers a referred complaint (referral, response, outcome) and closes it;
        # the facts are the facilitator's record.
        referred = page.detail.complaint_id == named[0].id
        assert page.detail.referred_to.isReadOnly() != referred
        assert page.detail.response.isReadOnly() != referred
        assert page.detail.description.isReadOnly() and page.detail.against.isReadOnly()
        assert not page.detail.category.isEnabled()
        assert workflow_buttons(page) == ({"resolved", "closed_unresolved"} if referred
                                          else set())
    assert set(seen) == {r.id for r in cq.complaint_page(liaison.store,
                                                         cq.ComplaintFilter()).rows}
    # Every role of every row of the list model, too.
    for r in range(page.model.rowCount()):
        for c in range(page.model.columnCount()):
            for role in range(0, 40):
                value = page.model.data(page.model.index(r, c), role)
                assert value is None or SECRET_NAME not in str(value)
    # The intake form cannot record an identity here.
    page.new_complaint()
    assert not page.intake.named.isEnabled() and not page.intake.identity_fields.isVisibleTo(
        page.intake)
    assert SECRET_NAME not in all_texts(page)
    # A search for the name finds nothing (identities are not indexed).
    page.set_search_text(SECRET_NAME)
    page.wait_until_loaded()
    assert page.model.rowCount() == 0
    # The liaison answers and closes the referred complaint.
    page.clear_filters()
    page.open_complaint(named[0].id)
    detail = page.detail
    assert detail is not None
    type_text(qtbot, detail.response, "Agent sanctionné.")
    detail.bindings["response"].flush()
    assert detail.workflow.move_to("resolved") is False  # final: asks first
    qtbot.mouseClick(detail.workflow.confirm_button, Qt.MouseButton.LeftButton)
    assert status_of(liaison, named[0].id) == "resolved"
    assert complaint_detail(liaison.store, named[0].id).response == "Agent sanctionné."


def test_the_page_follows_a_language_switch(
        qtbot: QtBot, workspace: Workspace, open_page: Callable[[Workspace], ComplaintsPage]
) -> None:
    from jsd_desk.ui.language import apply_language

    new = receive(workspace, status="referred")
    page = open_page(workspace)
    page.open_complaint(new.id)
    detail = page.detail
    assert detail is not None
    try:
        apply_language("fr")  # Qt posts LanguageChange to every widget
        qtbot.waitUntil(lambda: page.action_new_complaint.text() == "Nouvelle plainte")
        assert page.model.headerData(ComplaintTableModel.STATUS, Qt.Orientation.Horizontal) \
            == "Statut"
        assert page.model.data(page.model.index(0, ComplaintTableModel.STATUS)) == "Transmise"
        assert detail.workflow.status_buttons["resolved"].text() == "Résolue"
        assert page.filters.filter_category.itemText(0) != "All categories"
        assert "Confidentiel" in detail.identity_box.title()
    finally:
        apply_language("en")
    qtbot.waitUntil(lambda: page.action_new_complaint.text() == "New complaint")
    assert detail.workflow.status_buttons["resolved"].text() == "Resolved"
    assert page.filters.filter_category.itemText(0) == "All categories"
