"""The read queries behind the Complaints, Action items and Platforms pages, without widgets:
keyset paging (unique, ordered, whatever the ties), counts for the filter bar, search, the
device's rights, on the encrypted SQLite store and on the ministry hub's PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from jsd_desk.services import action_queries as aq
from jsd_desk.services import actions, complaints, places, sessions
from jsd_desk.services import complaint_queries as cq
from jsd_desk.services import platforms as pq
from jsd_desk.services.complaint_detail import complaint_detail
from jsd_desk.services.workspace import Workspace
from tests.replicas import copy_events, events_of, introduce

Make = Callable[..., Workspace]
STATUSES = ("received", "under_review", "referred", "resolved", "withdrawn")


def fill(ws: Workspace, n: int = 37) -> list[str]:
    ids = []
    for i in range(n):
        new = complaints.receive_complaint(
            ws.store, received_on=dt.date(2026, 1, 1) + dt.timedelta(days=i % 6),
            channel=("walk_in", "phone", "radio")[i % 3],
            category=("theft", "sgbv", "land")[i % 3],
            description=f"Plainte numéro {i}: " + ("moto volée à Téra" if i % 4 == 0
                                                   else "troupeau égaré"),
            against="inconnu")
        status = STATUSES[i % len(STATUSES)]
        if status in ("under_review", "resolved"):
            complaints.change_status(ws.store, new.id, "under_review")
        if status == "referred":
            complaints.change_status(ws.store, new.id, "referred", referred_to="Commissariat")
        if status in ("resolved", "withdrawn"):
            complaints.change_status(ws.store, new.id, status)
        ids.append(new.id)
    return ids


def all_pages(ws: Workspace, f: cq.ComplaintFilter, size: int) -> list[cq.ComplaintRow]:
    rows: list[cq.ComplaintRow] = []
    after = None
    while True:
        page = cq.complaint_page(ws.store, f, after, size)
        rows.extend(page.rows)
        if page.next is None:
            return rows
        after = page.next


def check_paging(ws: Workspace, ids: list[str]) -> None:
    for size in (1, 4, 36, 37, 200):
        rows = all_pages(ws, cq.ComplaintFilter(), size)
        assert [r.id for r in rows] == [r.id for r in all_pages(ws, cq.ComplaintFilter(), 500)]
        assert sorted(r.id for r in rows) == sorted(ids)
        dates = [r.received_on for r in rows]
        assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    f = cq.ComplaintFilter(status="referred")
    referred = all_pages(ws, f, 3)
    assert {r.status for r in referred} == {"referred"}
    assert len(referred) == cq.count_complaints(ws.store, f) == 7
    counts = cq.counts_by_status(ws.store, cq.ComplaintFilter(status="resolved"))
    assert counts["referred"] == 7 and counts["resolved"] == 7 and counts["received"] == 8
    assert counts[cq.OPEN] == 8 + 8 + 7
    assert cq.count_complaints(ws.store, cq.ComplaintFilter(status=cq.OPEN)) == 23
    # Search: word prefixes, accents folded either way.
    assert cq.count_complaints(ws.store, cq.ComplaintFilter(text="tera moto")) == 10
    assert cq.count_complaints(ws.store, cq.ComplaintFilter(text="ÉGARÉ")) == 27
    assert cq.count_complaints(ws.store, cq.ComplaintFilter(text="égaré", category="sgbv")) \
        == len([i for i in range(37) if i % 4 and i % 3 == 1])
    assert cq.count_complaints(ws.store, cq.ComplaintFilter(text="«»!!")) == 0
    assert cq.count_complaints(ws.store, cq.ComplaintFilter(
        received_from=dt.date(2026, 1, 2), received_to=dt.date(2026, 1, 3))) == 12


def test_keyset_paging_counts_and_search(workspace: Workspace) -> None:
    check_paging(workspace, fill(workspace))


@pytest.mark.postgres
def test_the_same_queries_on_the_hub(pg_database: str, make_workspace: Make) -> None:
    hub = make_workspace("ministere", "analyst", database_url=pg_database)
    check_paging(hub, fill(hub))


def test_a_receipt_code_finds_its_complaint_in_the_search_box(workspace: Workspace) -> None:
    fill(workspace, 5)
    new = complaints.receive_complaint(workspace.store, received_on="2026-02-01",
                                       channel="phone", category="theft", description="x")
    typed = new.receipt_code.replace("-", " ").lower()
    (row,) = cq.complaint_page(workspace.store, cq.ComplaintFilter(text=typed)).rows
    assert row.id == new.id
    assert complaints.find_by_receipt(workspace.store, typed) == new.id


def test_period_ranges() -> None:
    today = dt.date(2026, 3, 15)
    assert cq.period_range("last_7", today) == (dt.date(2026, 3, 9), today)
    assert cq.period_range("this_year", today) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert cq.period_range("last_year", today) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert cq.period_range(None, today) == (None, None)


def test_rights_follow_the_services_rules(make_workspace: Make) -> None:
    fac = make_workspace("fatouma", "facilitator")
    liaison = make_workspace("lamine", "liaison")
    ministry = make_workspace("ministere", "analyst")
    for a in (fac, liaison, ministry):
        for b in (fac, liaison, ministry):
            if a is not b:
                introduce(a, b)
    received = complaints.receive_complaint(fac.store, received_on="2026-02-01",
                                            channel="walk_in", category="theft",
                                            description="x").id
    referred = complaints.receive_complaint(fac.store, received_on="2026-02-01",
                                            channel="walk_in", category="theft",
                                            description="y").id
    complaints.change_status(fac.store, referred, "referred", referred_to="Commissariat")
    for target in (liaison, ministry):
        copy_events(target, events_of(fac))

    d = complaint_detail(fac.store, received)
    assert d.moves == d.next_statuses and d.may_edit_facts and d.may_edit_identity
    d = complaint_detail(liaison.store, received)
    assert d.moves == () and not d.may_answer and not d.may_edit_facts and d.identity_hidden
    d = complaint_detail(liaison.store, referred)
    assert d.moves == ("resolved", "closed_unresolved") and d.may_answer
    assert not d.may_edit_facts and not d.may_edit_identity
    d = complaint_detail(ministry.store, referred)
    assert d.moves == () and not d.may_answer and not d.may_edit_facts
    own = complaints.receive_complaint(ministry.store, received_on="2026-02-01",
                                       channel="phone", category="other", description="z").id
    assert complaint_detail(ministry.store, own).may_edit_facts
    # What the rights promise, the services do: every offered move succeeds.
    for status in complaint_detail(liaison.store, referred).moves[:1]:
        complaints.change_status(liaison.store, referred, status)


def test_action_rows_and_platform_rows(workspace: Workspace) -> None:
    store = workspace.store
    platform = places.add_platform(store, name="Plateforme", place_id=None)
    problem = places.add_priority_problem(store, platform_id=platform, title="Vols")
    session = sessions.create_session(store, platform_id=platform, kind="workshop",
                                      title="Atelier", starts_at="2026-01-10T09:00")
    today = dt.date(2026, 3, 1)
    late = actions.add_action_item(store, session, description="Patrouilles",
                                   responsible_party="police", due_on="2026-02-01",
                                   priority_problem_id=problem)
    actions.add_follow_up(store, late, note="Commencé", status_after="in_progress",
                          recorded_on=dt.date(2026, 2, 15))
    actions.add_action_item(store, session, description="Réunion", responsible_party="community",
                            due_on="2026-03-10")
    rows = aq.action_rows(store, aq.ActionFilter(), 0, today=today)
    assert [r.description for r in rows] == ["Patrouilles", "Réunion"]
    assert rows[0].overdue and not rows[1].overdue
    assert rows[0].follow_ups == 1 and rows[0].last_follow_up == dt.date(2026, 2, 15)
    assert rows[0].platform == "Plateforme" and rows[0].session_title == "Atelier"
    assert aq.count_overdue(store, aq.ActionFilter(), today=today) == 1
    (prow,) = pq.platform_rows(store)
    assert (prow.sessions, prow.open_actions, prow.problems) == (1, 2, 1)
    assert prow.last_session == dt.datetime(2026, 1, 10, 9, 0)
    (problem_row,) = pq.problem_rows(store, platform)
    assert (problem_row.actions, problem_row.open_actions) == (1, 1)


def test_tombstones_are_skipped_without_losing_a_page(workspace: Workspace) -> None:
    ids = fill(workspace, 30)
    rows = all_pages(workspace, cq.ComplaintFilter(), 500)
    # Delete a run of consecutive complaints longer than a page, and a few scattered ones.
    gone = {r.id for r in rows[3:12]} | {rows[20].id, rows[-1].id}
    with workspace.store.transaction() as tx:
        for complaint_id in gone:
            tx.delete("complaint", complaint_id)
    kept = [r.id for r in rows if r.id not in gone]
    for size in (1, 2, 5, 7, 30):
        assert [r.id for r in all_pages(workspace, cq.ComplaintFilter(), size)] == kept
    assert cq.count_complaints(workspace.store, cq.ComplaintFilter()) == len(ids) - len(gone)
    page = cq.complaint_page(workspace.store, cq.ComplaintFilter(), None, 5)
    assert len(page.rows) == 5 and page.next is not None
