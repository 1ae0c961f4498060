"""The use cases of DESIGN §1 through the services, on a real encrypted store."""

from __future__ import annotations

import datetime as dt

import pytest

from jsd_desk.domain.errors import NotFound, ValidationError
from jsd_desk.domain.refs import REFERENCE_RE
from jsd_desk.services import actions, complaints, places, sessions
from jsd_desk.services.workspace import Workspace
from jsd_desk.store import models


def _platform(ws: Workspace) -> str:
    return places.add_platform(ws.store, name="Plateforme de Koira Kano",
                               place_id=places.place_id_for_code("NE-8"))


def _session(ws: Workspace, pf: str, start: str) -> str:
    return sessions.create_session(ws.store, platform_id=pf, kind="neighbourhood_dialogue",
                                   title=f"Dialogue du {start[:10]}", starts_at=start,
                                   ends_at=start[:11] + "18:00", facilitator="Mariama Issoufou")


def test_reference_places_are_niger_regions(workspace: Workspace) -> None:
    with workspace.store.reading() as s:
        regions = sorted(p.name or "" for p in s.query(models.Place).filter_by(level="region"))
    assert regions == ["Agadez", "Diffa", "Dosso", "Maradi", "Niamey", "Tahoua", "Tillabéri", "Zinder"]
    assert places.place_path(workspace.store, places.place_id_for_code("NE-6")) == ["Niger", "Tillabéri"]


def test_attendance_grid_and_totals(workspace: Workspace) -> None:
    sid = _session(workspace, _platform(workspace), "2026-03-04T16:00")
    sessions.set_attendance(workspace.store, sid, "police", "m", 4)
    sessions.set_attendance(workspace.store, sid, "police", "f", 1)
    sessions.set_attendance(workspace.store, sid, "women", "f", 22)
    sessions.set_attendance(workspace.store, sid, "youth", "m", 15, names="Liste papier jointe")
    sessions.set_attendance(workspace.store, sid, "women", "f", 25)  # corrected: same cell
    totals = sessions.attendance_totals(workspace.store, sid)
    assert totals.total == 45
    assert totals.by_gender() == {"f": 26, "m": 19, "unspecified": 0}
    assert totals.by_category()["women"] == 25 and totals.by_category()["police"] == 5


def test_agenda_order(workspace: Workspace) -> None:
    sid = _session(workspace, _platform(workspace), "2026-03-04T16:00")
    a = sessions.add_agenda_item(workspace.store, sid, "Mot de bienvenue")
    b = sessions.add_agenda_item(workspace.store, sid, "Suivi des engagements")
    c = sessions.add_agenda_item(workspace.store, sid, "Divers")
    sessions.reorder_agenda(workspace.store, sid, [b, a, c])
    with workspace.store.transaction() as tx:
        assert sessions.agenda_ids(tx, sid) == [b, a, c]
    with pytest.raises(ValidationError):
        sessions.reorder_agenda(workspace.store, sid, [a, b])


def test_complaint_workflow_history_and_receipt(workspace: Workspace) -> None:
    store = workspace.store
    named = complaints.receive_complaint(
        store, received_on="2026-04-01", channel="walk_in", category="sgbv",
        description="Agression signalée", complainant={"name": "Zeinabou Moussa", "gender": "f",
                                                        "age_group": "18_35"})
    anon = complaints.receive_complaint(store, received_on=dt.date(2026, 4, 2), channel="phone",
                                        category="police_conduct", description="Racket au contrôle")
    assert REFERENCE_RE.match(named.reference) and named.reference.endswith("-2026-0001")
    assert anon.reference.endswith("-2026-0002")
    assert named.receipt_code != anon.receipt_code
    with store.reading() as s:
        assert s.get(models.Complaint, anon.id).anonymous is True  # type: ignore[union-attr]
        assert s.get(models.Complainant, anon.id) is None
        assert s.get(models.Complainant, named.id).name == "Zeinabou Moussa"  # type: ignore[union-attr]

    with pytest.raises(ValidationError):
        complaints.change_status(store, anon.id, "referred")  # to whom?
    complaints.change_status(store, anon.id, "referred", referred_to="Commissariat central")
    complaints.change_status(store, anon.id, "under_review", note="Enquête interne")
    complaints.change_status(store, anon.id, "resolved", note="Agent sanctionné")
    history = complaints.status_history(store, anon.id)
    assert [(h.from_status, h.to_status) for h in history] == [
        ("received", "referred"), ("referred", "under_review"), ("under_review", "resolved")]

    typed = anon.receipt_code.lower().replace("-", " ")
    assert complaints.find_by_receipt(store, typed) == anon.id
    with pytest.raises(NotFound):
        complaints.find_by_receipt(store, "0000-0000-0000")
    with pytest.raises(ValidationError):
        complaints.find_by_receipt(store, "short")


def test_open_action_items_carry_over_to_the_next_session(workspace: Workspace) -> None:
    store = workspace.store
    pf = _platform(workspace)
    first = _session(workspace, pf, "2026-01-10T16:00")
    kept = actions.add_action_item(store, first, description="Patrouilles de nuit au marché",
                                   responsible_party="police", owner="Commissaire Abdou",
                                   due_on="2026-02-01")
    done = actions.add_action_item(store, first, description="Réparer l'éclairage public",
                                   responsible_party="local_authority", due_on="2026-02-15")
    sessions.finalize_session(store, first)
    second = _session(workspace, pf, "2026-02-10T16:00")
    actions.add_follow_up(store, done, note="Lampadaires réparés", session_id=second,
                          status_after="done")
    actions.add_follow_up(store, kept, note="Deux patrouilles par semaine", session_id=second,
                          status_after="in_progress")
    third = _session(workspace, pf, "2026-03-10T16:00")
    assert [a.id for a in actions.open_items_for_session(store, third)] == [kept]
    assert [f.note for f in actions.follow_ups(store, kept)] == ["Deux patrouilles par semaine"]
    other_platform = places.add_platform(store, name="Autre plateforme", place_id=None)
    elsewhere = _session(workspace, other_platform, "2026-03-10T16:00")
    assert actions.open_items_for_session(store, elsewhere) == []


def test_find_session_by_prefix(workspace: Workspace) -> None:
    pf = _platform(workspace)
    sid = _session(workspace, pf, "2026-01-10T16:00")
    assert sessions.find_session(workspace.store, sid[:8].upper()) == sid
    with pytest.raises(NotFound):
        sessions.find_session(workspace.store, "ffffffff-0000")
    with pytest.raises(ValidationError):
        sessions.find_session(workspace.store, "ab")


def test_unicode_and_long_text_round_trip(workspace: Workspace) -> None:
    sid = _session(workspace, _platform(workspace), "2026-01-10T16:00")
    text = "Ɓaɗaƙaƴ — اجتماع 🤝 " + "x" * 50_000
    sessions.update_session(workspace.store, sid, minutes=text)
    with workspace.store.reading() as s:
        assert s.get(models.DialogueSession, sid).minutes == text  # type: ignore[union-attr]
