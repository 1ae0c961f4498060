"""Sealed complainant identities (DESIGN §4, issue 7): encrypted inside their events to the
facilitators and ministry devices the author trusts; relayed but never opened by a liaison
officer's device; re-sealed for a reader trusted later; tampering and forgeries named."""

from __future__ import annotations

import base64
import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text, update

from jsd_desk.security.device import new_device
from jsd_desk.security.sealing import SEALED_MARKER_JSON, UNREADABLE, Reader, is_envelope, seal
from jsd_desk.services import audit, complaints
from jsd_desk.services.security import reseal_for, sealed_fields
from jsd_desk.services.workspace import Workspace
from jsd_desk.store import models
from jsd_desk.store.dump import dump_data, dump_text
from jsd_desk.store.eventlog import MalformedEvent, check_body, make_event
from jsd_desk.store.verify import verify_store
from jsd_desk.store.writer import sealing_recipients
from tests.replicas import copy_events, events_of, introduce

NAME = "Zalika Abdou-Sekou"
PHONE = "+227 96 41 27 35"
Make = Callable[..., Workspace]


def _complaint(ws: Workspace, name: str = NAME, phone: str = PHONE) -> str:
    return complaints.receive_complaint(
        ws.store, received_on="2026-04-12", channel="walk_in", category="sgbv",
        description="Agression signalée au marché", complainant={
            "name": name, "contact": phone, "gender": "f", "age_group": "18_35"}).id


def _identity(ws: Workspace, cid: str) -> dict[str, object]:
    with ws.store.engine.connect() as conn:
        row = conn.execute(select(models.tbl(models.Complainant))
                           .where(models.Complainant.id == cid)).one()
    return {"name": row.name, "contact": row.contact, "gender": row.gender}


def _all_text(ws: Workspace) -> str:
    """Every row of every table of the decrypted database, as SQL text."""
    out = []
    with ws.store.engine.connect() as conn:
        tables = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars()
        for table in list(tables):
            out += [repr(tuple(row)) for row in conn.execute(text(f'SELECT * FROM "{table}"'))]
    return "\n".join(out)


def _verify_ok(ws: Workspace) -> None:
    with ws.store.engine.begin() as conn:
        report = verify_store(conn)
    assert report.ok, [(p.msgid, p.params) for p in report.problems]


def test_an_identity_travels_sealed_and_opens_for_its_author(make_workspace: Make,
                                                             tmp_path: Path) -> None:
    fac = make_workspace("fatouma", "facilitator")
    cid = _complaint(fac)
    (ev,) = [e for e in events_of(fac) if e.entity == "complainant"]
    assert NAME.encode() not in ev.raw and PHONE.encode() not in ev.raw
    assert set(ev.fields) == {"complaint_id", "name", "contact", "gender", "age_group"}
    assert all(is_envelope(v) for v in ev.fields.values())
    assert _identity(fac, cid) == {"name": NAME, "contact": PHONE, "gender": "f"}
    _verify_ok(fac)  # the rebuild from the log opens the same values

    # The standard age tool opens a sealed value with the device's identity (DESIGN §4).
    identity = tmp_path / "identity.txt"
    identity.write_text(str(fac.keys.age_identity) + "\n")
    sealed = tmp_path / "name.age"
    sealed.write_bytes(base64.b64decode(ev.fields["name"]["sealed"]))
    opened = subprocess.run(["age", "--decrypt", "-i", str(identity), str(sealed)],
                            capture_output=True, check=True, timeout=60)
    assert json.loads(opened.stdout) == NAME


def test_the_event_format_refuses_plain_identities_and_envelopes_elsewhere(
        make_workspace: Make) -> None:
    fac = make_workspace("fatouma", "facilitator")
    _complaint(fac)
    events = events_of(fac)
    (ev,) = [e for e in events if e.entity == "complainant"]
    plain = json.loads(ev.raw)
    plain["fields"]["name"] = NAME
    with pytest.raises(MalformedEvent):
        check_body(plain)
    (other,) = [e for e in events if e.entity == "complaint"]
    smuggled = json.loads(other.raw)
    smuggled["fields"]["response"] = seal("x", [fac.keys.info.age_recipient])
    with pytest.raises(MalformedEvent):
        check_body(smuggled)
    check_body(json.loads(ev.raw))  # the real ones pass


def test_a_liaison_device_relays_identities_it_cannot_open(make_workspace: Make) -> None:
    fac = make_workspace("fatouma", "facilitator")
    liaison = make_workspace("lamine", "liaison")
    introduce(fac, liaison)  # even trusted, a liaison officer's device is never a reader
    introduce(liaison, fac)
    assert liaison.keys.info.age_recipient not in _recipients(fac)
    cid = _complaint(fac)
    complaints.change_status(fac.store, cid, "referred", referred_to="Commissariat central")
    copy_events(liaison, events_of(fac))

    assert _identity(liaison, cid) == {"name": None, "contact": None, "gender": None}
    assert sealed_fields(liaison.store, "complainant", cid) == {
        "complaint_id", "name", "contact", "gender", "age_group"}
    assert sealed_fields(fac.store, "complainant", cid) == set()
    with liaison.store.engine.connect() as conn:
        values = set(conn.execute(select(models.FieldWrite.value).where(
            models.FieldWrite.entity == "complainant", models.FieldWrite.field != "deleted"))
            .scalars())
        assert values == {SEALED_MARKER_JSON}
        dumped = dump_text(conn, liaison.hidden_entities)
        assert json.loads(dumped)["records"]["complaint"][0]["status"] == "referred"
    everything = _all_text(liaison)
    for secret in (NAME, PHONE, "Zalika"):
        assert secret not in dumped and secret not in everything
    # The events themselves are there, intact, for relaying.
    assert {e.hash for e in events_of(liaison)} >= {e.hash for e in events_of(fac)}
    _verify_ok(liaison)
    shown = [e for e in audit.record_history(liaison.store, cid) if e.entity == "complainant"]
    assert shown and all(e.new is audit.SEALED for e in shown)


def _recipients(ws: Workspace) -> list[str]:
    with ws.store.engine.connect() as conn:
        return sealing_recipients(conn, ws.keys)


def test_a_reader_trusted_later_gets_what_was_written_before(make_workspace: Make) -> None:
    fac = make_workspace("fatouma", "facilitator")
    other = make_workspace("bako", "facilitator")
    late = make_workspace("chaibou", "facilitator")
    introduce(other, fac)
    introduce(late, fac)
    cid = _complaint(fac)
    gone = _complaint(fac, name="Retirée", phone="0")
    complaints.set_complainant(fac.store, cid, contact="+227 90 00 00 01")
    complaints.update_complaint(fac.store, cid, description="Précisée")
    with fac.store.transaction() as tx:
        tx.delete("complainant", gone)
    copy_events(other, events_of(fac))
    assert _identity(other, cid)["name"] is None  # not yet a reader
    assert reseal_for(fac.store, other.keys.info) == 0  # not trusted yet: nothing to do

    introduce(fac, other)  # ``peer add`` on the author's device, then:
    introduce(fac, late)
    # The live identity and both complaints' need-to-know fields (issue 12); the deleted
    # identity is not handed on.
    assert reseal_for(fac.store, other.keys.info) == 3
    copy_events(other, events_of(fac))
    with other.store.reading() as s:
        assert s.get(models.Complaint, cid).description == "Précisée"
    assert _identity(other, cid) == {"name": NAME, "contact": "+227 90 00 00 01", "gender": "f"}
    assert _identity(other, gone)["name"] is None
    _verify_ok(other)

    # Order does not matter: the re-sealed event first, the originals after.
    events = events_of(fac)
    resealed = [e for e in events if e.entity == "complainant"][-1]
    copy_events(late, [resealed])
    copy_events(late, list(reversed(events)))
    with fac.store.engine.connect() as a, late.store.engine.connect() as b, \
            other.store.engine.connect() as c:
        assert dump_data(a)["records"]["complainant"] == dump_data(b)["records"]["complainant"] \
            == dump_data(c)["records"]["complainant"]
    # A liaison officer's card never triggers re-sealing.
    liaison = make_workspace("lamine", "liaison")
    introduce(fac, liaison)
    assert reseal_for(fac.store, liaison.keys.info) == 0


def test_a_trusted_ministry_reads_at_once_and_the_history_shows_who_changed_what(
        make_workspace: Make) -> None:
    fac = make_workspace("fatouma", "facilitator")
    ministry = make_workspace("ministere", "analyst")
    introduce(fac, ministry)
    introduce(ministry, fac)
    assert ministry.keys.info.age_recipient in _recipients(fac)
    cid = _complaint(fac)
    complaints.set_complainant(fac.store, cid, name="Zalika A.")
    copy_events(ministry, events_of(fac))
    assert _identity(ministry, cid)["name"] == "Zalika A."
    names = [(e.old, e.new) for e in audit.record_history(ministry.store, cid)
             if e.entity == "complainant" and e.field == "name"]
    assert names == [(None, NAME), (NAME, "Zalika A.")]
    assert {e.device for e in audit.record_history(ministry.store, cid)} == {"fatouma"}


def test_reader_opens_only_its_own_envelopes() -> None:
    a, b = new_device("a", "facilitator"), new_device("b", "facilitator")
    env = seal("secret", [a.info.age_recipient])
    assert Reader([a.age_identity]).open(env) == "secret"
    assert Reader([b.age_identity]).open(env) is UNREADABLE
    assert Reader([a.age_identity]).open({"sealed": "bm90IGFnZQ=="}) is UNREADABLE
    assert Reader([a.age_identity]).open({"sealed": "!!"}) is UNREADABLE


def test_tampered_and_forged_events_are_named_by_verify(make_workspace: Make) -> None:
    fac = make_workspace("fatouma", "facilitator")
    cid = _complaint(fac)
    event = models.tbl(models.Event)
    with fac.store.engine.begin() as conn:
        body = conn.execute(select(event.c.body).where(
            event.c.entity == "complaint", event.c.entity_id == cid)).scalar_one()
        conn.execute(update(event).where(event.c.entity == "complaint", event.c.entity_id == cid)
                     .values(body=body.replace('"walk_in"', '"phone"')))
        # And an event signed by a key this store has never seen.
        stranger = new_device("intrus", "facilitator")
        forged = make_event(stranger, seq=1, prev_hash="0" * 64, hlc="1790000000000.000000",
                            entity="complaint", entity_id=cid, op="upsert",
                            fields={"status": "withdrawn"}, base={})
        conn.execute(insert(event).values(
            device_id=forged.device_id, seq=1, hash=forged.hash, prev_hash=forged.prev_hash,
            hlc=forged.hlc, entity="complaint", entity_id=cid, op="upsert",
            body=forged.raw.decode(), signature=forged.signature_b64,
            received_at=dt.datetime(2026, 5, 1)))
    with fac.store.engine.begin() as conn:
        problems = [p.msgid for p in verify_store(conn).problems]
    assert any("malformed" in p or "does not match" in p or "bad signature" in p
               for p in problems), problems
    assert any("unknown device" in p for p in problems), problems
