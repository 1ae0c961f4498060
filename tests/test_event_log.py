"""Every change is a signed, chained event; verify finds any tampering; the log rebuilds the
projection exactly."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import delete, select, update

from jsd_desk.security.canonical import canonical_bytes, sha256_hex
from jsd_desk.services import complaints, places, sessions
from jsd_desk.services.workspace import Workspace
from jsd_desk.store import models
from jsd_desk.store.dump import dump_text
from jsd_desk.store.eventlog import GENESIS, MalformedEvent, parse_event
from jsd_desk.store.verify import rebuild, verify_store

EVENT = models.tbl(models.Event)
FIELD_CONFLICT = models.tbl(models.FieldConflict)


def _activity(ws: Workspace) -> str:
    store = ws.store
    pf = places.add_platform(store, name="Plateforme de Lazaret", place_id=None)
    sid = sessions.create_session(store, platform_id=pf, kind="neighbourhood_dialogue",
                                  title="Dialogue de quartier", starts_at="2026-02-10T16:00")
    sessions.set_attendance(store, sid, "youth", "m", 14)
    sessions.set_attendance(store, sid, "women", "f", 9)
    sessions.add_concern(store, sid, description="Consommation de drogue près de l'école")
    c = complaints.receive_complaint(store, received_on="2026-02-10", channel="session",
                                     session_id=sid, category="drugs", description="Vente de drogue")
    complaints.change_status(store, c.id, "under_review")
    return sid


def test_events_are_signed_chained_and_canonical(workspace: Workspace) -> None:
    _activity(workspace)
    with workspace.store.engine.connect() as conn:
        rows = conn.execute(select(EVENT).where(EVENT.c.device_id == workspace.keys.info.device_id)
                            .order_by(EVENT.c.seq)).all()
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    prev = GENESIS
    for row in rows:
        ev = parse_event(row.body.encode(), row.signature)
        assert ev.prev_hash == prev
        assert ev.hash == sha256_hex(canonical_bytes(ev.body)) == row.hash
        assert workspace.keys.info.verify(ev.signature, ev.raw)
        assert ev.body["schema"] == 1 and ev.op in ("upsert", "delete")
        prev = ev.hash


def test_unchanged_values_make_no_event(workspace: Workspace) -> None:
    sid = _activity(workspace)
    with workspace.store.engine.connect() as conn:
        before = len(conn.execute(select(EVENT.c.seq)).all())
    assert sessions.update_session(workspace.store, sid, title="Dialogue de quartier") is False
    with workspace.store.engine.connect() as conn:
        assert len(conn.execute(select(EVENT.c.seq)).all()) == before


def test_verify_passes_on_a_healthy_store(workspace: Workspace) -> None:
    _activity(workspace)
    with workspace.store.engine.begin() as conn:
        report = verify_store(conn)
    assert report.ok, report.problems
    assert report.events > 10 and report.feeds == 1


def _tamper(ws: Workspace, **changes: object) -> None:
    with ws.store.engine.begin() as conn:
        row = conn.execute(select(EVENT).where(EVENT.c.entity == "complaint")
                           .order_by(EVENT.c.seq)).first()
        assert row is not None
        body = json.loads(row.body)
        body["fields"].update(changes)
        raw = canonical_bytes(body).decode()
        conn.execute(update(EVENT).where(EVENT.c.device_id == row.device_id, EVENT.c.seq == row.seq)
                     .values(body=raw, hash=sha256_hex(raw.encode())))


def _problems(ws: Workspace) -> list[str]:
    with ws.store.engine.begin() as conn:
        return [p.msgid for p in verify_store(conn).problems]


def test_verify_detects_an_altered_event(workspace: Workspace) -> None:
    _activity(workspace)
    _tamper(workspace, description="Rien à signaler")
    problems = _problems(workspace)
    assert "Event {device}#{seq} has a bad signature." in problems
    assert "Event {device}#{seq} breaks its feed's hash chain." in problems


def test_verify_detects_a_removed_event(workspace: Workspace) -> None:
    _activity(workspace)
    with workspace.store.engine.begin() as conn:
        conn.execute(delete(EVENT).where(EVENT.c.seq == 5))
    assert "Feed {device} has a gap before #{seq}." in _problems(workspace)


def test_verify_detects_a_forged_signature(workspace: Workspace) -> None:
    _activity(workspace)
    with workspace.store.engine.begin() as conn:
        conn.execute(update(EVENT).where(EVENT.c.seq == 3)
                     .values(signature=base64.b64encode(b"\x00" * 64).decode()))
    assert _problems(workspace) == ["Event {device}#{seq} has a bad signature."]


def test_verify_detects_a_projection_edited_behind_the_log(workspace: Workspace) -> None:
    _activity(workspace)
    with workspace.store.engine.begin() as conn:
        conn.execute(update(models.tbl(models.Attendance)).values(count=999))
    assert _problems(workspace) == ["The records differ from a rebuild from the event log."]


def test_rebuild_from_the_log_yields_an_identical_dump(workspace: Workspace) -> None:
    _activity(workspace)
    with workspace.store.engine.begin() as conn:
        before = dump_text(conn)
        assert rebuild(conn) > 10
        assert dump_text(conn) == before


def test_malformed_event_bytes_are_refused() -> None:
    with pytest.raises(MalformedEvent):
        parse_event(b"{not json", "AAAA")
    with pytest.raises(MalformedEvent):
        parse_event(b'{"schema": 1}', base64.b64encode(b"x").decode())
    body = {"schema": 1, "device_id": "d", "seq": 1, "prev_hash": GENESIS, "hlc": "0000000000001.000000",
            "entity": "concern", "entity_id": "x", "op": "upsert", "fields": {"nope": 1}, "base": {}}
    with pytest.raises(MalformedEvent, match="unknown field"):
        parse_event(canonical_bytes(body), "AAAA")
    body["fields"] = {"description": "ok"}
    pretty = json.dumps(body, indent=2).encode()
    with pytest.raises(MalformedEvent, match="canonical"):
        parse_event(pretty, "AAAA")


def _tampered_problems(ws: Workspace, chunk: int) -> list[tuple[str, dict[str, object]]]:
    with ws.store.engine.begin() as conn:
        return [(p.msgid, p.params) for p in verify_store(conn, chunk=chunk, pool_min=0).problems]


def test_verify_by_a_pool_of_processes_names_the_same_problems(workspace: Workspace) -> None:
    """Chunks of 3 events, a pool however few they are: the signatures are checked by worker
    processes, the chains here; against chunks checked in this process."""
    _activity(workspace)
    assert _tampered_problems(workspace, 3) == []
    _tamper(workspace, description="Rien à signaler")
    with workspace.store.engine.begin() as conn:
        conn.execute(delete(EVENT).where(EVENT.c.seq == 5))
        conn.execute(update(EVENT).where(EVENT.c.seq == 3)
                     .values(signature=base64.b64encode(b"\x00" * 64).decode()))
    with workspace.store.engine.begin() as conn:
        in_process = [(p.msgid, p.params) for p in verify_store(conn, chunk=4).problems]
    assert {m for m, _p in in_process} >= {
        "Event {device}#{seq} has a bad signature.", "Event {device}#{seq} breaks its feed's hash chain.",
        "Feed {device} has a gap before #{seq}."}
    assert _tampered_problems(workspace, 3) == in_process


def test_verify_finds_records_added_removed_or_deleted_behind_the_log(workspace: Workspace) -> None:
    sid = _activity(workspace)
    session = models.tbl(models.DialogueSession)
    records = "The records differ from a rebuild from the event log."
    edits = [
        (lambda conn: conn.execute(delete(session).where(session.c.id == sid)), records),
        (lambda conn: conn.execute(update(session).values(deleted=True)), records),
        (lambda conn: conn.execute(models.tbl(models.Concern).insert().values(
            id="00000000-0000-4000-8000-000000000000", deleted=False, session_id=sid,
            description="Ajoutée en douce")), records),
        # A second head with another value: a conflict the log never made, in the writes
        # alone (the conflicts kept say there is none; the dump does not show it).
        (lambda conn: conn.execute(models.tbl(models.FieldWrite).insert().values(
            entity="session", entity_id=sid, field="title", stamp="9999999999999.000000/x",
            value=json.dumps("Autre titre"), superseded=False, device_id="x", seq=1)), records),
        # A head's value changed, or a head superseded, behind the log.
        (lambda conn: conn.execute(update(models.tbl(models.FieldWrite)).where(
            models.tbl(models.FieldWrite).c.field == "title").values(
                value=json.dumps("Titre changé"))), records),
        (lambda conn: conn.execute(update(models.tbl(models.FieldWrite)).where(
            models.tbl(models.FieldWrite).c.field == "title").values(superseded=True)), records),
    ]
    for edit, problem in edits:
        with workspace.store.engine.connect() as conn:
            savepoint = conn.begin()
            edit(conn)
            problems = [p.msgid for p in verify_store(conn).problems]
            savepoint.rollback()
        assert problems == [problem]
    assert _problems(workspace) == []



def _conflicted_workspace(workspace: Workspace) -> tuple[str, set[tuple[str, ...]]]:
    """A session whose title a write that did not see the first one sets otherwise: a conflict."""
    from jsd_desk.store.eventlog import make_event
    from jsd_desk.store.projection import Projector

    sid = _activity(workspace)
    with workspace.store.engine.begin() as conn:
        last = conn.execute(select(EVENT).where(EVENT.c.device_id == workspace.keys.info.device_id)
                            .order_by(EVENT.c.seq.desc())).first()
        assert last is not None
        ev = make_event(workspace.keys, seq=last.seq + 1, prev_hash=last.hash,
                        hlc="1790000000000.000000", entity="session", entity_id=sid,
                        op="upsert", fields={"title": "Titre concurrent"}, base={})
        conn.execute(EVENT.insert().values(
            device_id=ev.device_id, seq=ev.seq, hash=ev.hash, prev_hash=ev.prev_hash, hlc=ev.hlc,
            entity=ev.entity, entity_id=ev.entity_id, op=ev.op, body=ev.raw.decode(),
            signature=ev.signature_b64, received_at=last.received_at))
        Projector(conn).apply(ev)
        kept = {tuple(r) for r in conn.execute(select(FIELD_CONFLICT))}
    return sid, kept


def test_verify_finds_a_conflict_table_out_of_step_with_the_writes(workspace: Workspace) -> None:
    sid, kept = _conflicted_workspace(workspace)
    assert kept == {("session", sid, "title")}
    assert _problems(workspace) == []
    edits = [
        lambda conn: conn.execute(delete(FIELD_CONFLICT)),  # a conflict no longer listed
        lambda conn: conn.execute(FIELD_CONFLICT.insert().values(  # one that is not there
            entity="session", entity_id=sid, field="venue")),
        lambda conn: conn.execute(FIELD_CONFLICT.insert().values(  # of no record at all
            entity="concern", entity_id="00000000-0000-4000-8000-000000000000", field="theme")),
    ]
    for edit in edits:
        with workspace.store.engine.connect() as conn:
            savepoint = conn.begin()
            edit(conn)
            # The dump shows the conflicts as they are kept: the log's differ from them.
            problems = [p.msgid for p in verify_store(conn).problems]
            savepoint.rollback()
        assert problems == ["The records differ from a rebuild from the event log."]
    assert _problems(workspace) == []


def test_a_value_not_of_its_fields_kind_is_checked_by_a_rebuild(workspace: Workspace) -> None:
    """A signed event may carry a number in a text field (the shape check lets it through):
    the column holds SQLite's text of it, which the comparison in memory does not predict, so
    verify rebuilds in the database instead, and finds the store sound."""
    import uuid

    from jsd_desk.store.eventlog import make_event
    from jsd_desk.store.projection import Projector

    sid = _activity(workspace)
    with workspace.store.engine.begin() as conn:
        last = conn.execute(select(EVENT).where(EVENT.c.device_id == workspace.keys.info.device_id)
                            .order_by(EVENT.c.seq.desc())).first()
        assert last is not None
        ev = make_event(workspace.keys, seq=last.seq + 1, prev_hash=last.hash,
                        hlc="1790000000000.000000", entity="concern", entity_id=str(uuid.uuid4()),
                        op="upsert", fields={"session_id": sid, "description": 5}, base={})
        conn.execute(EVENT.insert().values(
            device_id=ev.device_id, seq=ev.seq, hash=ev.hash, prev_hash=ev.prev_hash, hlc=ev.hlc,
            entity=ev.entity, entity_id=ev.entity_id, op=ev.op, body=ev.raw.decode(),
            signature=ev.signature_b64, received_at=last.received_at))
        Projector(conn).apply(ev)
    assert _problems(workspace) == []


def test_verify_finds_a_merge_state_altered_where_the_dump_does_not_show_it(
        workspace: Workspace) -> None:
    """The heads of ``field_write`` are what the next edit or import merges against; the dump
    shows them only for conflicts. A head's value or stamp changed to another of the same
    length (the number and lengths of the heads stay as they were), a head marked superseded
    or one added: the records read the same, and each is found."""
    fw = models.tbl(models.FieldWrite)
    sid = _activity(workspace)
    where = (fw.c.entity == "session", fw.c.entity_id == sid, fw.c.field == "venue")
    sessions.update_session(workspace.store, sid, venue="Maison des jeunes")
    with workspace.store.engine.begin() as conn:
        head = conn.execute(select(fw).where(*where, fw.c.superseded.is_(False))).one()
        before = dump_text(conn)
    assert head.value == '"Maison des jeunes"'
    other_stamp = head.stamp[:-1] + ("0" if head.stamp[-1] != "0" else "1")
    this = (*where, fw.c.stamp == head.stamp)
    edits = [
        update(fw).where(*this).values(value='"Maison des jeuneS"'),
        update(fw).where(*this).values(stamp=other_stamp),
        update(fw).where(*this).values(superseded=True),
        fw.insert().values(**{**head._asdict(), "stamp": other_stamp}),
    ]
    assert _problems(workspace) == []
    for edit in edits:
        with workspace.store.engine.connect() as conn:
            savepoint = conn.begin()
            conn.execute(edit)
            assert dump_text(conn) == before  # nothing the dump shows changed
            problems = [p.msgid for p in verify_store(conn).problems]
            savepoint.rollback()
        assert problems == ["The records differ from a rebuild from the event log."], edit
    assert _problems(workspace) == []
