"""Bad values raise one clear, translatable error and write nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jsd_desk.domain.errors import PermissionDenied, ValidationError
from jsd_desk.i18n import set_language
from jsd_desk.services import actions, complaints, places, sessions
from jsd_desk.services.workspace import Workspace
from jsd_desk.store import models


def event_count(ws: Workspace) -> int:
    with ws.store.reading() as s:
        return int(s.scalar(select(func.count()).select_from(models.Event)) or 0)


@pytest.fixture
def session_id(workspace: Workspace) -> str:
    pf = places.add_platform(workspace.store, name="Plateforme de Yantala", place_id=None)
    return sessions.create_session(workspace.store, platform_id=pf, kind="neighbourhood_dialogue",
                                   title="Réunion mensuelle", starts_at="2026-03-04T09:00",
                                   ends_at="2026-03-04T11:00")


BAD_CALLS = {
    "end before start": (lambda ws, sid: sessions.update_session(ws.store, sid, ends_at="2026-03-04T08:00"),
                         "ends_at", "The end is before the start."),
    "negative count": (lambda ws, sid: sessions.set_attendance(ws.store, sid, "women", "f", -1),
                       "count", "A negative number is not allowed here."),
    "unknown category": (lambda ws, sid: sessions.set_attendance(ws.store, sid, "aliens", "f", 3),
                         "category", "“aliens” is not a known value here."),
    "empty title": (lambda ws, sid: sessions.update_session(ws.store, sid, title="   "),
                    "title", "This field is required."),
    "unparseable date": (lambda ws, sid: sessions.update_session(ws.store, sid, starts_at="4 mars"),
                         "starts_at", "“4 mars” is not a date and time (expected YYYY-MM-DD HH:MM)."),
    "due before session": (lambda ws, sid: actions.add_action_item(
        ws.store, sid, description="Patrouilles", responsible_party="police", due_on="2026-03-01"),
        "due_on", "The due date is before the session."),
    "text too long": (lambda ws, sid: sessions.update_session(ws.store, sid, title="x" * 501),
                      "title", "This text is too long (501 characters; at most 500)."),
}


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_bad_value_is_refused_and_nothing_written(workspace: Workspace, session_id: str, case: str) -> None:
    call, field, message = BAD_CALLS[case]
    before = event_count(workspace)
    with pytest.raises(ValidationError) as info:
        call(workspace, session_id)
    assert info.value.field == field
    assert info.value.message() == message
    assert event_count(workspace) == before


def test_illegal_status_transition(workspace: Workspace) -> None:
    c = complaints.receive_complaint(workspace.store, received_on="2026-03-04", channel="walk_in",
                                     category="theft", description="Vol de moto")
    complaints.change_status(workspace.store, c.id, "under_review")
    complaints.change_status(workspace.store, c.id, "resolved")
    before = event_count(workspace)
    with pytest.raises(ValidationError) as info:
        complaints.change_status(workspace.store, c.id, "under_review")
    assert info.value.message() == "A complaint cannot go from “Resolved” to “Under review”."
    set_language("fr")
    assert info.value.message() != "A complaint cannot go from “Resolved” to “Under review”."
    assert event_count(workspace) == before


def test_error_is_translated_when_shown(workspace: Workspace, session_id: str) -> None:
    with pytest.raises(ValidationError) as info:
        sessions.set_attendance(workspace.store, session_id, "women", "f", -5)
    set_language("fr")
    french = info.value.message()
    set_language("en")
    assert info.value.message() == "A negative number is not allowed here."
    assert french != info.value.message()


def test_a_batch_with_a_bad_value_writes_nothing(workspace: Workspace, session_id: str) -> None:
    before = event_count(workspace)
    with pytest.raises(ValidationError), workspace.store.transaction():
        sessions.set_attendance(workspace.store, session_id, "women", "f", 12)
        sessions.add_concern(workspace.store, session_id, description="Vols de motos")
        sessions.set_attendance(workspace.store, session_id, "youth", "m", -2)
    assert event_count(workspace) == before
    assert sessions.attendance_totals(workspace.store, session_id).total == 0


def test_finalized_session_is_read_only_and_amendments_are_recorded(
        workspace: Workspace, session_id: str) -> None:
    sessions.finalize_session(workspace.store, session_id)
    with pytest.raises(ValidationError):
        sessions.update_session(workspace.store, session_id, minutes="changed afterwards")
    with pytest.raises(ValidationError):
        sessions.set_attendance(workspace.store, session_id, "women", "f", 3)
    aid = sessions.add_amendment(workspace.store, session_id, text="Le chef de quartier était présent.",
                                 field="attendance")
    with workspace.store.reading() as s:
        amendment = s.get(models.Amendment, aid)
        assert amendment is not None and amendment.session_id == session_id


def test_liaison_cannot_edit_sessions_or_record_identities(make_workspace) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace("liaison", role="liaison")
    # Each refusal in its own block: in one block the second call would never run.
    with pytest.raises(PermissionDenied):
        places.add_platform(ws.store, name="P", place_id=None)
    facilitator = make_workspace("alpha")
    platform_id = places.add_platform(facilitator.store, name="P", place_id=None)
    with pytest.raises(PermissionDenied):
        sessions.create_session(ws.store, platform_id=platform_id, kind="workshop", title="t",
                                starts_at="2026-01-01T10:00")
    with pytest.raises(PermissionDenied):
        complaints.receive_complaint(ws.store, received_on="2026-01-02", channel="phone",
                                     category="assault", description="x",
                                     complainant={"name": "Aïssa"})
