"""The ministry hub: the records live in PostgreSQL (``--database URL``), the device's keys stay in
the data folder. Each test has a fresh database of its own (fixture ``pg_database``)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect

from jsd_desk.services import actions, complaints, places, sessions
from jsd_desk.services.search import search
from jsd_desk.services.settings import read_settings
from jsd_desk.services.workspace import Workspace, open_workspace
from jsd_desk.store.dump import dump_text
from jsd_desk.store.schema import alembic_config, current_revision, head_revision
from jsd_desk.store.verify import rebuild, verify_store
from tests.conftest import PASSPHRASE
from tests.replicas import copy_events, events_of, introduce

JSD = Path(sys.executable).with_name("jsd-desk")

pytestmark = pytest.mark.postgres


def jsd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(JSD), *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "JSD_DESK_PASSPHRASE": PASSPHRASE})


def activity(ws: Workspace) -> dict[str, str]:
    store = ws.store
    platform = places.add_platform(store, name="Plateforme de Diffa",
                                   place_id=places.place_id_for_code("NE-2"))
    session = sessions.create_session(
        store, platform_id=platform, kind="radio_call_in", title="Émission « Sécurité et nous »",
        starts_at=dt.datetime(2026, 5, 2, 18, 0), ends_at=dt.datetime(2026, 5, 2, 19, 0),
        venue="Radio Anfani")
    sessions.set_attendance(store, session, "police", "m", 2)
    sessions.set_attendance(store, session, "youth", "f", 5)
    sessions.add_concern(store, session, description="Racket aux postes de contrôle",
                         theme="conduite des forces")
    complaint = complaints.receive_complaint(
        store, received_on="2026-05-02", channel="radio", category="police_conduct",
        description="Un auditeur dénonce un racket au poste de Chétimari", session_id=session,
        complainant={"name": "Moussa", "gender": "m", "age_group": "18_35"})
    complaints.change_status(store, complaint.id, "under_review")
    complaints.change_status(store, complaint.id, "referred", note="Transmis",
                            referred_to="Commissariat de Diffa")
    action = actions.add_action_item(store, session, description="Enquête sur le poste",
                                     responsible_party="police", due_on="2026-06-01")
    actions.add_follow_up(store, action, note="Enquête ouverte")
    return {"session": session, "complaint": complaint.id, "reference": complaint.reference,
            "action": action}


def test_cli_init_on_postgres_keeps_keys_local_and_records_in_the_hub(
        pg_database: str, tmp_path: Path) -> None:
    data = tmp_path / "ministry"
    result = jsd("init", "--data-dir", str(data), "--device-name", "ministère",
                 "--role", "analyst", "--database", pg_database)
    assert result.returncode == 0, result.stderr
    assert (data / "keyslots.json").is_file() and (data / "device.key").is_file()
    assert not (data / "jsd.db").exists()  # the records are in PostgreSQL

    # Later commands find the hub through the data folder's settings.
    ws = open_workspace(data, PASSPHRASE)
    try:
        assert ws.database_url == pg_database == read_settings(ws.data_dir)["database_url"]
        assert ws.store.engine.dialect.name == "postgresql"
        assert current_revision(ws.store.engine)[0] == head_revision()
        with ws.store.engine.begin() as conn:
            command.check(alembic_config(conn))  # the real init path made exactly the models
            assert not any(t.startswith("search_fts") for t in inspect(conn).get_table_names())
        ids = activity(ws)
    finally:
        ws.close()

    dumped = jsd("dump", "--data-dir", str(data))
    assert dumped.returncode == 0, dumped.stderr
    records = json.loads(dumped.stdout)["records"]
    assert [s["title"] for s in records["session"]] == ["Émission « Sécurité et nous »"]
    assert records["complaint"][0]["status"] == "referred"
    assert records["complainant"][0]["name"] == "Moussa"  # an analyst reads identities
    assert [a["id"] for a in records["action_item"]] == [ids["action"]]
    assert len(records["place"]) >= 9  # Niger and its eight regions

    verified = jsd("verify", "--data-dir", str(data))
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("OK:")


def test_a_hub_dump_is_the_dump_of_its_log(pg_database: str,
                                          make_workspace: Callable[..., Workspace]) -> None:
    hub = make_workspace("hub", "analyst", database_url=pg_database)
    laptop = make_workspace("laptop", "analyst")
    introduce(hub, laptop)  # the hub seals what it writes to the laptop too
    activity(hub)
    with hub.store.engine.connect() as conn:
        before = dump_text(conn)
    # Rebuilt from the event log, PostgreSQL holds the same records.
    with hub.store.engine.begin() as conn:
        assert rebuild(conn) == len(events_of(hub))
        assert dump_text(conn) == before
        report = verify_store(conn)
    assert report.ok, report.problems

    # The same events applied to a SQLCipher store give the same bytes: the dump depends on the
    # events only, not on the database that holds them. (Sealed values — identities, and the
    # description, against whom and outcome of complaints — are sealed to the devices the hub
    # trusts, the laptop among them, so every record compares.)
    copy_events(laptop, events_of(hub))
    with hub.store.engine.connect() as conn:
        hub_dump = dump_text(conn)
    with laptop.store.engine.connect() as conn:
        assert dump_text(conn) == hub_dump
    assert '"Un auditeur dénonce un racket au poste de Chétimari"' in hub_dump


def test_search_on_the_hub_folds_accents(pg_database: str,
                                         make_workspace: Callable[..., Workspace]) -> None:
    hub = make_workspace("hub", "analyst", database_url=pg_database)
    ids = activity(hub)
    store = hub.store
    assert [h.entity_id for h in search(store, "securite", entities=("session",))] == [ids["session"]]
    assert [h.entity_id for h in search(store, "CHETIMARI racket")] == [ids["complaint"]]
    assert [h.entity_id for h in search(store, ids["reference"])] == [ids["complaint"]]
    assert search(store, "inexistant") == []
    # LIKE wildcards typed by a user are text, not patterns.
    assert search(store, "%") == [] and search(store, "_") == []
    sessions.update_session(store, ids["session"], title="Émission du jeudi")
    assert search(store, "securite", entities=("session",)) == []
    assert [h.entity_id for h in search(store, "emission jeudi")] == [ids["session"]]


def test_an_unreachable_hub_is_one_sentence(tmp_path: Path) -> None:
    # Port 1 on loopback: nothing listens there.
    result = jsd("init", "--data-dir", str(tmp_path / "d"), "--device-name", "m", "--role",
                 "analyst", "--database", "postgresql+psycopg://jsd@127.0.0.1:1/nowhere")
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be reached" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_removing_a_failed_init_schema_spares_another_device_s_hub(
        pg_database: str, make_workspace: Callable[..., Workspace]) -> None:
    """The clean-up of a failed hub init takes away only a schema its own device made: a hub
    where another device is registered as itself (a second init raced the first) stays."""
    from jsd_desk.store.schema import remove_schema

    hub = make_workspace("hub", "analyst", database_url=pg_database)
    engine = hub.store.engine
    remove_schema(engine, "a-device-that-never-registered")
    assert current_revision(engine) == (head_revision(), True)
    with engine.begin() as conn:
        assert verify_store(conn).ok


def test_verify_and_rebuild_on_the_hub_read_the_log_by_server_side_cursors(
        pg_database: str, make_workspace: Callable[..., Workspace]) -> None:
    # psycopg's ordinary cursor fetches a whole result at execute: the event bodies of a hub's
    # log (millions) would all be in memory at once. Every read of the log or of a whole
    # record table that verify and rebuild make goes through a server-side cursor instead.
    import psycopg
    from sqlalchemy import event

    hub = make_workspace("hub", "analyst", database_url=pg_database)
    activity(hub)
    logged = len(events_of(hub))
    seen: list[tuple[str, bool]] = []

    def record(_conn: object, cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, isinstance(cursor, psycopg.ServerCursor)))

    engine = hub.store.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        with engine.begin() as conn:
            assert verify_store(conn).ok
            assert rebuild(conn) == logged
    finally:
        event.remove(engine, "before_cursor_execute", record)
    whole = [(s, server) for s, server in seen
             if ("FROM event" in s and "WHERE event.device_id" not in s and "count(" not in s)
             or ("FROM field_write" in s and "entity_id IN" not in s)
             or ("FROM complaint" in s and "complaint.id IN" not in s)]
    assert len(whole) >= 5, seen  # the log check, the log by entity, rebuild, heads, records
    assert all(server for _s, server in whole), [s for s, server in whole if not server]


_LIKE = "SELECT entity, entity_id FROM search_doc WHERE body LIKE %s ESCAPE '\\'"


def test_the_hub_s_search_words_are_found_through_a_trigram_index(
        pg_database: str, make_workspace: Callable[..., Workspace]) -> None:
    # The search box's LIKE '%word%' (services.search) read every document of the hub; the
    # trigram index of migration 0007 serves it as it is.
    hub = make_workspace("hub", "analyst", database_url=pg_database)
    ids = activity(hub)
    with hub.store.engine.connect() as conn:
        assert conn.exec_driver_sql(
            "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_search_doc_trgm'").first()
        conn.exec_driver_sql("SET enable_seqscan = off")  # a handful of rows: force the choice
        plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + _LIKE, ("%chetimari%",)))
        assert "ix_search_doc_trgm" in plan, plan
        assert conn.exec_driver_sql(_LIKE, ("%chetimari%",)).all() == [
            ("complaint", ids["complaint"])]
    assert [h.entity_id for h in search(hub.store, "CHETIMARI")] == [ids["complaint"]]


def test_a_hub_whose_role_may_not_create_pg_trgm_searches_without_the_index(
        pg_database: str, make_workspace: Callable[..., Workspace]) -> None:
    # A ministry's database role may lack the right to create extensions: the hub is still
    # made, and searches as before (every document read), without the index.
    import secrets

    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(pg_database)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)  # in it
    role = f"jsd_plain_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'REVOKE CREATE ON DATABASE "{url.database}" FROM PUBLIC')
        conn.execute(f'GRANT CONNECT ON DATABASE "{url.database}" TO "{role}"')
        conn.execute(f'GRANT CREATE, USAGE ON SCHEMA public TO "{role}"')
    try:
        hub = make_workspace("hub", "analyst",
                             database_url=url.set(username=role).render_as_string(
                                 hide_password=False))
        ids = activity(hub)
        with hub.store.engine.connect() as conn:
            assert not conn.exec_driver_sql(
                "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first()
            assert not conn.exec_driver_sql(
                "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_search_doc_trgm'").first()
        assert current_revision(hub.store.engine) == (head_revision(), True)
        assert [h.entity_id for h in search(hub.store, "CHETIMARI")] == [ids["complaint"]]
        hub.close()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:  # its tables go with the role
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
