"""Merging through bundles: relays with signatures verifiable end to end, deletes against
concurrent edits, conflicts the user settles with an event, gaps and future stamps held aside."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from jsd_desk.domain.clock import now_ms
from jsd_desk.services import sync
from jsd_desk.store import models
from jsd_desk.store.verify import verify_store
from jsd_desk.sync.peers import PeerState, save_peer_state
from tests.sync_support import (
    MakeWorkspace,
    add_concern,
    concern,
    dump,
    edit,
    introduce,
    receive,
    send,
)

DAY_MS = 24 * 3600 * 1000


def test_relay_from_a_through_b_to_c_keeps_signatures_verifiable(
        make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    # A liaison officer's events reach the ministry through a facilitator's bundle.
    liaison = make_workspace("lami", "liaison")
    facilitator = make_workspace("fati")
    ministry = make_workspace("mina", "analyst")
    introduce(liaison, facilitator)
    introduce(facilitator, ministry)
    rid = add_concern(liaison, "Réponse de la police : patrouilles renforcées")
    receive(facilitator, send(liaison, facilitator, tmp_path))
    report = receive(ministry, send(facilitator, ministry, tmp_path))
    assert [c.device_id for c in report.introduced] == [liaison.keys.info.device_id]
    assert concern(ministry, rid) == concern(liaison, rid)

    peers = {p.info.device_id: p for p in sync.list_peers(ministry)}
    seen = peers[liaison.keys.info.device_id]
    assert not seen.trusted and seen.introduced_by == facilitator.keys.info
    with ministry.store.engine.begin() as conn:
        checked = verify_store(conn)
        stored = conn.execute(select(models.Event.body).where(
            models.Event.device_id == liaison.keys.info.device_id)).scalars().all()
    assert checked.ok, checked.problems
    with liaison.store.engine.connect() as conn:
        original = conn.execute(select(models.Event.body).where(
            models.Event.device_id == liaison.keys.info.device_id)).scalars().all()
    assert sorted(stored) == sorted(original)  # the very bytes the liaison signed

    # Meeting the liaison officer later, the ministry trusts the card directly.
    assert sync.add_peer(ministry, liaison.keys.info).status == "now_trusted"
    again = {p.info.device_id: p for p in sync.list_peers(ministry)}[liaison.keys.info.device_id]
    assert again.trusted and again.introduced_by is None
    # Relays go on: the ministry's bundle to the facilitator carries nothing it already has.
    assert receive(facilitator, send(ministry, facilitator, tmp_path)).new >= 0
    assert dump(facilitator) == dump(ministry)


def test_an_introduced_card_is_not_taken_from_an_untrusted_sender(
        make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    a, b, c = make_workspace("ana"), make_workspace("bako"), make_workspace("chaibou")
    introduce(a, b)
    introduce(b, c)
    add_concern(a, "Vol")
    receive(b, send(a, b, tmp_path))
    receive(c, send(b, c, tmp_path))  # C knows A through B now, introduced
    add_concern(b, "Drogue")
    d = make_workspace("dodo")
    introduce(d, c)
    # D sends C a bundle that relays A's events: C knows A already (no new card needed).
    receive(d, send(c, d, tmp_path))
    assert receive(c, send(d, c, tmp_path)).new >= 0
    assert dump(c) == dump(d)


def test_delete_against_a_concurrent_edit_then_undelete(make_workspace: MakeWorkspace,
                                                        tmp_path: Path) -> None:
    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    rid = add_concern(a, "Tension entre la police et les jeunes")
    receive(b, send(a, b, tmp_path))
    with a.store.transaction() as tx:
        tx.delete("concern", rid)
    edit(b, rid, theme="jeunesse")  # concurrent, offline
    to_b, to_a = send(a, b, tmp_path), send(b, a, tmp_path)
    receive(b, to_b)
    receive(a, to_a)
    assert dump(a) == dump(b)
    assert concern(a, rid)["deleted"] and concern(b, rid)["deleted"]  # type: ignore[index]

    with a.store.transaction() as tx:
        tx.undelete("concern", rid)
    receive(b, send(a, b, tmp_path))
    assert dump(a) == dump(b)
    back = concern(b, rid)
    assert back is not None and not back["deleted"]
    assert back["theme"] == "jeunesse"  # the concurrent edit was kept, not lost


def test_concurrent_edits_conflict_alike_everywhere_and_a_choice_settles_them(
        make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    rid = add_concern(a, "Vol de moto")
    receive(b, send(a, b, tmp_path))
    edit(a, rid, theme="vol")
    edit(b, rid, theme="banditisme")
    to_b, to_a = send(a, b, tmp_path), send(b, a, tmp_path)
    assert receive(b, to_b).conflicts == 1
    assert receive(a, to_a).conflicts == 1
    assert dump(a) == dump(b)
    (conflict,) = sync.list_conflicts(a)
    assert (conflict.entity, conflict.entity_id, conflict.field) == ("concern", rid, "theme")
    assert {h.value for h in conflict.heads} == {"vol", "banditisme"}
    assert sum(h.winning for h in conflict.heads) == 1
    assert {h.device_name for h in conflict.heads} == {"ana", "bako"}
    loser = next(h for h in conflict.heads if not h.winning)

    choice = sync.resolve_conflict(a, "concern", rid, "theme", stamp=loser.stamp)
    assert choice is not None and choice.device_id == a.keys.info.device_id
    assert sync.list_conflicts(a) == []
    receive(b, send(a, b, tmp_path))
    assert sync.list_conflicts(b) == []
    assert concern(b, rid)["theme"] == loser.value  # type: ignore[index]
    assert dump(a) == dump(b)


def test_a_gap_is_reported_and_filled_later(make_workspace: MakeWorkspace,
                                            tmp_path: Path) -> None:
    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    rid = add_concern(a, "Éclairage public")
    receive(b, send(a, b, tmp_path))
    with a.store.engine.connect() as conn:
        held_by_b = {d: s for d, s in conn.execute(select(models.Feed.device_id,
                                                             models.Feed.last_seq))}
    ours = a.keys.info.device_id
    for theme in ("un", "deux", "trois", "quatre"):
        edit(a, rid, theme=theme)
    # A believes B holds two more of its events than it does (say B claimed so, then lost
    # them): its next bundle starts after them, and B sees a gap.
    with a.store.transaction() as tx:
        proven = {**held_by_b, ours: held_by_b[ours] + 2}
        save_peer_state(tx.conn, b.keys.info.device_id, PeerState(proven, {}, {}, {}))
    report = receive(b, send(a, b, tmp_path))
    assert (report.new, report.held) == (0, 2)
    gap = report.gaps[0]
    assert (gap.device_id, gap.first, gap.last) == (ours, held_by_b[ours] + 1,
                                                     held_by_b[ours] + 2)
    assert concern(b, rid)["theme"] is None  # type: ignore[index]
    assert [h.reason for h in sync.held_aside(b)] == ["gap", "gap"]
    # A bundle of everything fills the gap and releases the rest.
    filled = receive(b, send(a, None, tmp_path))
    assert filled.new == 4 and filled.released == 2 and filled.gaps == []
    assert sync.held_aside(b) == []
    assert dump(a) == dump(b)


def test_events_stamped_far_in_the_future_wait_for_the_clock(make_workspace: MakeWorkspace,
                                                            tmp_path: Path) -> None:
    skew = {"a": 0, "b": 0}
    a = make_workspace("ana", clock=lambda: now_ms() + skew["a"])
    b = make_workspace("bako", clock=lambda: now_ms() + skew["b"])
    introduce(a, b)
    rid = add_concern(a, "Litige foncier")
    receive(b, send(a, b, tmp_path))
    skew["a"] = 3 * DAY_MS  # A's clock is three days fast
    edit(a, rid, theme="foncier")
    skew["a"] = 0  # set right again; its clock stamps later edits after that one still
    edit(a, rid, description="Litige foncier au quartier Koira Kano")
    edit(b, rid, theme="terres")  # B's own edit, now

    report = receive(b, send(a, b, tmp_path))
    assert (report.new, report.held, report.future) == (0, 2, 2)
    assert [h.reason for h in sync.held_aside(b)] == ["future", "future"]
    assert concern(b, rid)["theme"] == "terres"  # type: ignore[index]
    assert sync.release_held(b) == 0  # still too early

    skew["b"] = 3 * DAY_MS  # B's clock reaches the stamp
    assert sync.release_held(b) == 2
    assert sync.held_aside(b) == []
    receive(a, send(b, a, tmp_path))
    assert dump(a) == dump(b)
    assert concern(b, rid)["theme"] == "foncier"  # type: ignore[index]
