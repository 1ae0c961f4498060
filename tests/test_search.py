"""Full-text search follows the write path and ignores accents and case."""

from __future__ import annotations

from jsd_desk.services import actions, complaints, places, search, sessions
from jsd_desk.services.workspace import Workspace


def test_search_folds_accents_and_follows_edits(workspace: Workspace) -> None:
    store = workspace.store
    pf = places.add_platform(store, name="Plateforme de Talladjé", place_id=None)
    sid = sessions.create_session(store, platform_id=pf, kind="awareness_meeting",
                                  title="Sécurité routière et motos-taxis", starts_at="2026-05-02T10:00")
    cid = sessions.add_concern(store, sid, description="Les kabou-kabou roulent sans phares",
                               theme="Circulation")
    comp = complaints.receive_complaint(store, received_on="2026-05-02", channel="radio",
                                        category="police_conduct",
                                        description="Racket au poste de contrôle de Kollo")
    aid = actions.add_action_item(store, sid, description="Contrôles de sécurité aux carrefours",
                                  responsible_party="police", owner="Commissaire du 3e arrondissement")

    def found(q: str) -> set[str]:
        return {h.entity_id for h in search.search(store, q)}

    assert found("securite") == {sid, aid}
    assert found("SÉCURITÉ routiere") == {sid}
    assert found("kabou") == {cid}
    assert found("racket kollo") == {comp.id}
    assert found("commissaire") == {aid}
    assert {h.entity for h in search.search(store, "secur", entities=("action_item",))} == {"action_item"}
    sessions.update_session(store, sid, title="Réunion sur la circulation")
    assert found("routiere") == set()
    assert found("circulation") == {sid, cid}


def test_search_input_never_reaches_fts_syntax(workspace: Workspace) -> None:
    # FTS5 operators typed by a user are searched as words, never parsed as a query.
    store = workspace.store
    pf = places.add_platform(store, name="P", place_id=None)
    sid = sessions.create_session(store, platform_id=pf, kind="radio_call_in",
                                  title="Émission NEAR the market OR not", starts_at="2026-06-01T09:00")
    assert [h.entity_id for h in search.search(store, "NEAR(")] == [sid]
    assert [h.entity_id for h in search.search(store, "market OR")] == [sid]
    for hostile in ['"', "*", "()", "-", "😀"]:
        assert search.search(store, hostile) == []
    assert search.search(store, "title:x") == []
    assert search.search(store, "مرحبا") == []


def test_deleted_records_leave_the_index(workspace: Workspace) -> None:
    store = workspace.store
    pf = places.add_platform(store, name="P", place_id=None)
    sid = sessions.create_session(store, platform_id=pf, kind="workshop", title="Atelier stratégie",
                                  starts_at="2026-06-01T09:00")
    with store.transaction() as tx:
        tx.delete("session", sid)
    assert search.search(store, "strategie") == []
