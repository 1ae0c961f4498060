"""Demo data (``jsd-desk demo``): a believable period of activity, repeatable by seed, that a
second run extends and moves on. Real encrypted stores, the real services, the real CLI."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from jsd_desk.cli import main
from jsd_desk.domain.errors import PermissionDenied, UsageError
from jsd_desk.domain.records import ENTITIES
from jsd_desk.services.demo import DemoOptions, DemoSummary, add_demo_activity
from jsd_desk.services.workspace import Workspace, init_workspace
from jsd_desk.store.dump import dump_data
from jsd_desk.store.verify import verify_store
from tests.conftest import PASSPHRASE
from tests.replicas import copy_events, events_of, introduce

TODAY = dt.date(2026, 6, 30)

Records = dict[str, list[dict[str, Any]]]


def records(ws: Workspace) -> Records:
    with ws.store.engine.connect() as conn:
        data: Records = dump_data(conn, ws.hidden_entities)["records"]
    return data


def verified(ws: Workspace) -> None:
    with ws.store.engine.begin() as conn:
        report = verify_store(conn)
    assert report.ok, [(p.msgid, p.params) for p in report.problems]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[Workspace, DemoSummary, Records, DemoSummary, Records]]:
    """One store, demo run twice with different seeds (shared by the read-only tests below)."""
    ws, _recovery = init_workspace(tmp_path_factory.mktemp("demo") / "store", "Niamey laptop",
                                   "facilitator", PASSPHRASE)
    try:
        first = add_demo_activity(ws.store, DemoOptions(seed=11, sessions=24, today=TODAY))
        before = records(ws)
        second = add_demo_activity(ws.store, DemoOptions(seed=12, sessions=10))
        after = records(ws)
        yield ws, first, before, second, after
    finally:
        ws.close()


def test_a_fresh_store_gets_a_believable_period(two_runs: Any) -> None:
    _ws, first, recs, _second, _after = two_runs
    assert first.sessions == len(recs["session"]) == 24
    assert first.last_day == TODAY and first.first_day is not None
    assert first.first_day < TODAY - dt.timedelta(days=60)  # months of activity
    assert all(first.first_day.isoformat() <= s["starts_at"][:10] <= TODAY.isoformat()
               for s in recs["session"])
    assert len(recs["platform"]) >= 6 and len(recs["priority_problem"]) >= 12
    kinds = Counter(s["kind"] for s in recs["session"])
    assert kinds["neighbourhood_dialogue"] >= 10 and kinds["radio_call_in"] >= 2
    assert len(kinds) >= 4

    languages = Counter(s["language"] for s in recs["session"])
    assert languages["fr"] > languages["en"] >= 3
    english = [s for s in recs["session"] if s["language"] == "en"]
    assert all("Participants:" in (s["minutes"] or "") for s in english)
    assert any("Participants :" in (s["minutes"] or "") for s in recs["session"])

    statuses = Counter(s["status"] for s in recs["session"])
    assert statuses["finalized"] > statuses["draft"] >= 1
    latest = max(recs["session"], key=lambda s: s["starts_at"])
    assert latest["status"] == "draft"  # the most recent one is still being written up
    earliest = min(recs["session"], key=lambda s: s["starts_at"])
    assert earliest["status"] == "finalized"

    # Niamey's communes and quartiers, and the crisis regions' communes, as a tree.
    places = {p["name"]: p for p in recs["place"]}
    for name in ("Niamey I", "Niamey V", "Yantala", "Talladjé", "Lazaret", "Gamkallé", "Harobanda",
                 "Diffa", "Bosso", "Tillabéri", "Téra", "Agadez", "Zinder"):
        assert name in places, name
    assert places["Yantala"]["parent_id"] == places["Niamey I"]["id"]
    assert places["Niamey I"]["parent_id"] == places["Niamey"]["id"]


def test_attendance_concerns_and_actions_look_real(two_runs: Any) -> None:
    _ws, _first, recs, _second, _after = two_runs
    cells = recs["attendance"]
    assert {c["category"] for c in cells} >= {"police", "gendarmerie", "traditional_chief",
                                              "religious_leader", "women", "youth"}
    assert all(c["count"] > 0 for c in cells)
    kinds = {s["id"]: s["kind"] for s in recs["session"]}
    for sid, kind in kinds.items():
        mine = [c for c in cells if c["session_id"] == sid]
        assert mine, "every session has its attendance"
        women = sum(c["count"] for c in mine if c["gender"] == "f")
        men = sum(c["count"] for c in mine if c["gender"] == "m")
        if kind != "radio_call_in":
            assert 0.22 <= women / (women + men) <= 0.48, (kind, women, men)
    assert all(c["gender"] == "f" for c in cells if c["category"] == "women")

    concerns = recs["concern"]
    assert len(concerns) >= 2 * len(recs["session"])
    assert sum(1 for c in concerns if c["priority_problem_id"]) >= len(concerns) // 3
    problems = {p["id"] for p in recs["priority_problem"]}
    assert all(c["priority_problem_id"] in problems for c in concerns if c["priority_problem_id"])
    assert any("tramadol" in c["description"] or "motos" in c["description"] for c in concerns)

    items = recs["action_item"]
    assert len({i["responsible_party"] for i in items}) >= 4
    starts = {s["id"]: s["starts_at"][:10] for s in recs["session"]}
    assert all(i["due_on"] >= starts[i["session_id"]] for i in items)
    assert Counter(i["status"] for i in items).keys() >= {"open", "done"}
    follow = recs["follow_up"]
    assert follow and all(f["session_id"] in starts for f in follow)
    by_item = {i["id"]: i for i in items}
    # A follow-up is said in a later session than the one that agreed the item.
    assert all(starts[f["session_id"]] > starts[by_item[f["action_item_id"]]["session_id"]]
               for f in follow)


@pytest.mark.parametrize("period", [0, 1], ids=["first run", "after a second run"])
def test_complaints_move_through_their_workflow(two_runs: Any, period: int) -> None:
    _ws, first, before, _second, after = two_runs
    recs = (before, after)[period]
    cases = recs["complaint"]
    assert len(cases) >= 15 and first.complaints == len(before["complaint"])
    statuses = Counter(c["status"] for c in cases)
    assert statuses["resolved"] >= 3 and len(statuses) >= 4
    assert {c["channel"] for c in cases} >= {"session", "radio", "walk_in"}
    assert len({c["category"] for c in cases}) >= 5
    anonymous = [c for c in cases if c["anonymous"]]
    named = {c["id"] for c in cases if not c["anonymous"]}
    assert anonymous and named
    assert {p["complaint_id"] for p in recs["complainant"]} == named
    assert all(p["name"] and p["gender"] in ("f", "m") for p in recs["complainant"])
    # Each complaint's history leads, step by legal step, from "received" to its status.
    history: dict[str, list[dict[str, Any]]] = {}
    for change in recs["complaint_status_change"]:
        history.setdefault(change["complaint_id"], []).append(change)
    for case in cases:
        steps = sorted(history.get(case["id"], []), key=lambda c: c["changed_at"])
        status = "received"
        for step in steps:
            assert step["from_status"] == status
            assert step["changed_at"][:10] >= case["received_on"]
            status = step["to_status"]
        assert status == case["status"]
        if case["status"] == "resolved":
            assert case["outcome"]
    assert any(c["referred_to"] for c in cases)


def test_the_store_verifies_after_two_runs(two_runs: Any) -> None:
    ws, _first, _before, _second, _after = two_runs
    verified(ws)


def test_a_second_run_adds_the_next_period_and_moves_existing_records_on(two_runs: Any) -> None:
    _ws, first, before, second, after = two_runs
    old_ids = {s["id"] for s in before["session"]}
    new_sessions = [s for s in after["session"] if s["id"] not in old_ids]
    assert len(new_sessions) == second.sessions == 10
    last_before = max(s["starts_at"] for s in before["session"])
    assert min(s["starts_at"] for s in new_sessions) > last_before
    assert second.first_day is not None and first.last_day is not None
    assert second.first_day.isoformat() > last_before[:10]

    # Existing records changed: drafts finalized, complaints moved, action items followed up.
    old = {e: {r["id"]: r for r in rs} for e, rs in before.items()}
    changed = {e: [r for r in rs if r["id"] in old[e] and r != old[e][r["id"]]]
               for e, rs in after.items()}
    assert all(s["status"] == "finalized" for s in changed["session"])
    assert {s["id"] for s in changed["session"]} == {
        s["id"] for s in before["session"] if s["status"] == "draft"}
    assert changed["complaint"], "open complaints move on"
    assert second.changed >= len(changed["session"]) + len(changed["complaint"])
    old_items = set(old["action_item"])
    assert any(f["action_item_id"] in old_items for f in after["follow_up"]
               if f["id"] not in old["follow_up"])
    # Nothing of the first period disappears.
    for entity in before:
        assert set(old[entity]) <= {r["id"] for r in after[entity]}, entity
    # The platforms and places are reused, not duplicated.
    assert len(after["platform"]) == len(before["platform"])
    assert len(after["place"]) == len(before["place"])


def normalized(recs: Records) -> dict[str, list[str]]:
    """The content without what is random by design: record ids, references, receipt codes."""
    out: dict[str, list[str]] = {}
    for entity, rows in recs.items():
        refs = {f for f, spec in ENTITIES[entity].fields.items() if spec.kind == "ref"}
        drop = refs | {"id", "reference", "receipt_code"}
        out[entity] = sorted(json.dumps({k: v for k, v in r.items() if k not in drop},
                                        sort_keys=True, ensure_ascii=False) for r in rows)
    return out


def test_the_same_seed_gives_the_same_content(make_workspace: Callable[..., Workspace]) -> None:
    a, b, c = make_workspace("a"), make_workspace("b"), make_workspace("c")
    add_demo_activity(a.store, DemoOptions(seed=5, sessions=6, today=TODAY))
    add_demo_activity(b.store, DemoOptions(seed=5, sessions=6, today=TODAY))
    add_demo_activity(c.store, DemoOptions(seed=6, sessions=6, today=TODAY))
    ra, rb, rc = records(a), records(b), records(c)
    assert {s["id"] for s in ra["session"]}.isdisjoint({s["id"] for s in rb["session"]})
    assert normalized(ra) == normalized(rb)
    assert sorted(s["title"] for s in ra["session"]) != sorted(s["title"] for s in rc["session"])


def test_a_liaison_device_only_moves_security_force_items_on(
        make_workspace: Callable[..., Workspace]) -> None:
    liaison = make_workspace("commissariat", role="liaison")
    with pytest.raises(PermissionDenied) as refused:
        add_demo_activity(liaison.store, DemoOptions(seed=1))
    assert "liaison" in refused.value.message()

    facilitator = make_workspace("animatrice")
    add_demo_activity(facilitator.store, DemoOptions(seed=3, sessions=12, today=TODAY))
    introduce(liaison, facilitator)
    copy_events(liaison, events_of(facilitator))
    before = records(liaison)
    me = liaison.keys.info.device_id
    seq0 = max(ev.seq for ev in events_of(liaison) if ev.device_id == me)
    summary = add_demo_activity(liaison.store, DemoOptions(seed=1))
    after = records(liaison)
    assert summary.sessions == summary.complaints == summary.action_items == 0
    assert summary.changed > 0
    assert len(after["session"]) == len(before["session"])
    old_items = {i["id"]: i for i in before["action_item"]}
    for item in after["action_item"]:
        if item != old_items[item["id"]]:
            assert item["responsible_party"] in ("police", "gendarmerie", "garde_nationale")
    mine = [ev for ev in events_of(liaison) if ev.device_id == me and ev.seq > seq0]
    assert mine and not any(ev.entity == "complainant" for ev in mine)
    assert {ev.entity for ev in mine} <= {"complaint", "complaint_status_change", "follow_up",
                                          "action_item"}
    verified(liaison)


def test_a_ministry_device_leaves_the_platforms_records_alone(
        make_workspace: Callable[..., Workspace]) -> None:
    facilitator, ministry = make_workspace("animateur"), make_workspace("ministere", role="analyst")
    add_demo_activity(facilitator.store, DemoOptions(seed=8, sessions=6, today=TODAY))
    introduce(ministry, facilitator)
    copy_events(ministry, events_of(facilitator))
    theirs = records(ministry)
    summary = add_demo_activity(ministry.store, DemoOptions(seed=9, sessions=4))
    assert summary.sessions == 4 and summary.changed == 0
    after = records(ministry)
    for entity, rows in theirs.items():
        now = {r["id"]: r for r in after[entity]}
        assert all(now[r["id"]] == r for r in rows), entity


def test_out_of_range_session_counts_are_refused(workspace: Workspace) -> None:
    with pytest.raises(UsageError):
        add_demo_activity(workspace.store, DemoOptions(sessions=-1))
    assert records(workspace)["session"] == []


def test_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("JSD_DESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("JSD_DESK_LANG", "en")
    data = str(tmp_path / "cli")
    assert main(["--data-dir", data, "init", "--device-name", "Yantala", "--role",
                 "facilitator"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data, "demo", "--sessions", "5"]) == 0  # a random seed, shown
    out = capsys.readouterr().out
    assert out.startswith("Added 5 sessions, ") and "(seed " in out
    assert main(["--data-dir", data, "demo", "--sessions", "-3"]) == 2
    assert "between 0 and" in capsys.readouterr().err
    assert main(["--data-dir", data, "verify"]) == 0
    assert capsys.readouterr().out.startswith("OK:")
    assert main(["--data-dir", data, "dump"]) == 0
    dumped = json.loads(capsys.readouterr().out)
    assert len(dumped["records"]["session"]) == 5
