"""Roles are enforced in the services, not only hidden in the GUI (issue 7): a liaison officer
answers for what is referred to the security forces and never records identities, minutes or
platforms; the ministry's device (analyst) reads everything and changes only its own records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from jsd_desk.domain.errors import PermissionDenied
from jsd_desk.services import actions, complaints, places, sessions
from jsd_desk.services.workspace import Workspace
from tests.replicas import copy_events, events_of, introduce

Make = Callable[..., Workspace]


def _activity(ws: Workspace) -> dict[str, str]:
    platform = places.add_platform(ws.store, name="Plateforme de Maradi", place_id=None)
    session = sessions.create_session(ws.store, platform_id=platform, kind="neighbourhood_dialogue",
                                      title="Dialogue de quartier",
                                      starts_at=dt.datetime(2026, 6, 3, 9, 0))
    referred = complaints.receive_complaint(ws.store, received_on="2026-06-03", channel="session",
                                            session_id=session, category="police_conduct",
                                            description="Racket au poste",
                                            complainant={"name": "Issa", "gender": "m"}).id
    complaints.change_status(ws.store, referred, "referred", referred_to="Commissariat")
    fresh = complaints.receive_complaint(ws.store, received_on="2026-06-04", channel="walk_in",
                                         category="theft", description="Vol de moto").id
    police = actions.add_action_item(ws.store, session, description="Patrouilles de nuit",
                                     responsible_party="police")
    mayor = actions.add_action_item(ws.store, session, description="Éclairage public",
                                    responsible_party="local_authority")
    return {"platform": platform, "session": session, "referred": referred, "fresh": fresh,
            "police": police, "mayor": mayor}


def _receive(make: Make, role: str, name: str) -> tuple[Workspace, dict[str, str]]:
    fac = make("fatouma", "facilitator")
    ids = _activity(fac)
    other = make(name, role)
    introduce(other, fac)
    copy_events(other, events_of(fac))
    return other, ids


def test_a_liaison_officer_cannot_edit_minutes_identities_or_platforms(make_workspace: Make) -> None:
    liaison, ids = _receive(make_workspace, "liaison", "lamine")
    store = liaison.store
    refused: list[Callable[[], object]] = [
        lambda: sessions.update_session(store, ids["session"], minutes="Compte rendu"),
        lambda: sessions.add_concern(store, ids["session"], description="Bruit"),
        lambda: sessions.finalize_session(store, ids["session"]),
        lambda: complaints.set_complainant(store, ids["referred"], name="Quelqu'un"),
        lambda: complaints.receive_complaint(store, received_on="2026-06-05", channel="walk_in",
                                             category="theft", description="x",
                                             complainant={"name": "Quelqu'un"}),
        lambda: complaints.change_status(store, ids["fresh"], "withdrawn"),
        lambda: complaints.update_complaint(store, ids["fresh"], response="Vu"),
        lambda: complaints.change_status(store, ids["referred"], "under_review"),
        lambda: complaints.update_complaint(store, ids["referred"], description="Autre"),
        lambda: actions.update_action_item(store, ids["mayor"], status="done"),
        lambda: actions.add_action_item(store, ids["session"], description="x",
                                        responsible_party="police"),
        lambda: places.add_platform(store, name="Autre", place_id=None),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    # What a liaison officer does: answer for referred complaints and the police's commitments.
    complaints.update_complaint(store, ids["referred"], response="Enquête ouverte")
    complaints.change_status(store, ids["referred"], "resolved", note="Agent sanctionné")
    complaints.update_complaint(store, ids["referred"], outcome="Sanction disciplinaire")
    actions.add_follow_up(store, ids["police"], note="Patrouilles commencées",
                          status_after="in_progress")


def test_the_ministry_reads_everything_and_changes_only_its_own(make_workspace: Make) -> None:
    ministry, ids = _receive(make_workspace, "analyst", "ministere")
    store = ministry.store
    refused: list[Callable[[], object]] = [
        lambda: sessions.update_session(store, ids["session"], title="Autre titre"),
        lambda: sessions.set_attendance(store, ids["session"], "women", "f", 12),
        lambda: complaints.change_status(store, ids["fresh"], "under_review"),
        lambda: complaints.update_complaint(store, ids["referred"], outcome="Classée"),
        lambda: complaints.set_complainant(store, ids["referred"], contact="+227"),
        lambda: actions.update_action_item(store, ids["police"], status="done"),
        lambda: actions.add_follow_up(store, ids["mayor"], note="?"),
        lambda: actions.add_action_item(store, ids["session"], description="x",
                                        responsible_party="other"),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    # Its own records — the monthly working group it holds with civil society — it edits.
    own = _activity(ministry)
    sessions.update_session(store, own["session"], minutes="Relevé de conclusions")
    complaints.change_status(store, own["fresh"], "under_review")
    actions.update_action_item(store, own["mayor"], status="in_progress")
    # The edits took effect — and the refused ones left the received records as they were.
    from jsd_desk.services import queries

    own_session = queries.session(store, own["session"])
    assert own_session is not None and own_session.minutes == "Relevé de conclusions"
    assert queries.complaints_by_status(store).get("under_review", 0) >= 1
    own_item, their_item = queries.action_item(store, own["mayor"]), queries.action_item(
        store, ids["police"])
    assert own_item is not None and own_item.status == "in_progress"
    assert their_item is not None and their_item.status != "done"
    their_session = queries.session(store, ids["session"])
    assert their_session is not None and their_session.title != "Autre titre"


FIELD_VALUES = {"category": "theft", "severity": "normal", "against": "Inconnu",
                "description": "Autre récit", "place_id": None, "language": "fr",
                "referred_to": "Brigade", "response": "Vu", "outcome": "Réglé"}


@pytest.mark.parametrize("role", ["liaison", "analyst", "facilitator"])
def test_what_the_gui_offers_is_what_the_services_allow(make_workspace: Make, role: str) -> None:
    """One rule (``domain.complaint_rights``): the detail's prediction (which fields and
    buttons the GUI offers) is, field by field, what the services then accept or refuse."""
    from jsd_desk.services.complaint_detail import identity_hidden, rights

    ws, ids = _receive(make_workspace, role, "autre")
    store = ws.store
    for key in ("referred", "fresh"):
        offered = rights(store, ids[key])
        for field, value in FIELD_VALUES.items():
            allowed = (
                (offered["may_edit_facts"] and field not in ("referred_to", "response", "outcome"))
                or (offered["may_answer"] and field in ("referred_to", "response", "outcome")))
            try:
                complaints.update_complaint(store, ids[key], **{field: value})
                accepted = True
            except PermissionDenied:
                accepted = False
            assert accepted == allowed, (role, key, field)
        try:
            complaints.set_complainant(store, ids[key], name="Quelqu'un")
            accepted = True
        except PermissionDenied:
            accepted = False
        assert accepted == offered["may_edit_identity"] == (not identity_hidden(store)
                                                            and offered["may_edit_facts"])
