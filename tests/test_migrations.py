"""Migrations: one head; an empty database upgraded to head is exactly the models, on SQLCipher
and PostgreSQL; rows (and search) survive an upgrade; foreign or newer databases are refused
untouched; a failing upgrade puts the backup back."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Collection, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, inspect, select, text

from jsd_desk.domain.errors import StoreError
from jsd_desk.security.keyslots import KeySlots, subkey
from jsd_desk.services import actions, complaints, places, sessions
from jsd_desk.services.search import search
from jsd_desk.services.workspace import Workspace, open_workspace
from jsd_desk.store.engine import sqlcipher_engine, url_engine
from jsd_desk.store.models import Base
from jsd_desk.store.schema import (
    alembic_config,
    current_revision,
    ensure_schema,
    head_revision,
    script_directory,
)
from tests.conftest import PASSPHRASE

FIRST = "0001"
SEARCH_TABLES = {"search_doc"}


def sqlcipher_file(path: Path) -> Engine:
    return sqlcipher_engine(path, os.urandom(32))


def fts_name(name: str) -> bool:
    return name.startswith("search_fts")


def snapshot(conn: Connection, skip: Collection[str] = frozenset(),
             only: Collection[str] | None = None,
             columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the models declare (sorted), except ``skip``, or of ``only``;
    with ``columns``, only those columns of each table (what an older revision had)."""
    out = {}
    for table in Base.metadata.sorted_tables:
        if table.name in skip or (only is not None and table.name not in only):
            continue
        cols = [table.c[n] for n in columns[table.name]] if columns else list(table.c)
        rows = conn.execute(select(*cols)).all()
        out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def search_docs(conn: Connection) -> set[tuple[str, str, str]]:
    return {tuple(r) for r in conn.execute(text("SELECT entity, entity_id, body FROM search_doc"))}


def fill(ws: Workspace) -> dict[str, str]:
    """Records in several tables, through the real services, with accents to search for."""
    store = ws.store
    platform = places.add_platform(store, name="Plateforme de Gamkallé",
                                   place_id=places.place_id_for_code("NE-8"))
    session = sessions.create_session(
        store, platform_id=platform, kind="neighbourhood_dialogue",
        title="Sécurité du marché de Gamkallé", starts_at=dt.datetime(2026, 3, 14, 9, 0),
        venue="École primaire", minutes="Les commerçants signalent des vols la nuit.")
    sessions.set_attendance(store, session, "women", "f", 23)
    sessions.add_concern(store, session, description="Vols répétés au marché", theme="vol")
    complaint = complaints.receive_complaint(
        store, received_on="2026-03-14", channel="session", category="theft",
        description="Étal pillé pendant la nuit", session_id=session,
        complainant={"name": "Aïssa", "gender": "f"})
    complaints.change_status(store, complaint.id, "under_review")
    action = actions.add_action_item(store, session, description="Patrouilles de nuit renforcées",
                                     responsible_party="police", due_on="2026-04-30")
    return {"platform": platform, "session": session, "complaint": complaint.id,
            "action": action}


@pytest.fixture(params=["sqlcipher", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str | None:
    """None for a SQLCipher file, else a fresh PostgreSQL database's URL."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_database")
        return url
    return None


@pytest.fixture
def sqlcipher_path(tmp_path: Path) -> Iterator[tuple[Path, Engine]]:
    path = tmp_path / "jsd.db"
    engine = sqlcipher_file(path)
    yield path, engine
    engine.dispose()


def test_exactly_one_head_and_a_linear_history() -> None:
    scripts = script_directory()
    assert len(scripts.get_heads()) == 1
    revisions = list(scripts.walk_revisions())
    assert revisions[-1].revision == FIRST and revisions[-1].down_revision is None
    assert all(not r.is_merge_point for r in revisions)


def test_the_shipped_migrations_are_the_repository_ones() -> None:
    # The package maps jsd_desk.migrations onto the top-level migrations/ folder (DESIGN §3).
    shipped = Path(str(resources.files("jsd_desk.migrations")))
    repo = Path(__file__).resolve().parent.parent / "migrations"
    names = sorted(p.name for p in (shipped / "versions").glob("*.py"))
    assert names == sorted(p.name for p in (repo / "versions").glob("*.py"))
    assert "0001_initial_schema.py" in names


def check_matches_models(engine: Engine) -> None:
    with engine.begin() as conn:
        # Raises AutogenerateDiffsDetected on any difference of tables, columns, types, indexes.
        command.check(alembic_config(conn))
        tables = set(inspect(conn).get_table_names())
    declared = {t.name for t in Base.metadata.sorted_tables}
    assert {t for t in tables if not fts_name(t)} == declared | {"alembic_version"}


def test_empty_sqlcipher_database_upgrades_to_exactly_the_models(
        sqlcipher_path: tuple[Path, Engine]) -> None:
    path, engine = sqlcipher_path
    ensure_schema(engine, path)
    assert current_revision(engine) == (head_revision(), True)
    check_matches_models(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        triggers = set(conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())
        assert {"search_doc_ai", "search_doc_ad", "search_doc_au"} <= triggers
        assert conn.exec_driver_sql("SELECT count(*) FROM search_fts").scalar() == 0
    # A first upgrade of an empty file leaves no backup (there was nothing to lose).
    assert sorted(p.name for p in path.parent.iterdir() if ".before-" in p.name) == []


@pytest.mark.postgres
def test_empty_postgres_database_upgrades_to_exactly_the_models(pg_database: str) -> None:
    engine = url_engine(pg_database)
    try:
        ensure_schema(engine)
        assert current_revision(engine) == (head_revision(), True)
        check_matches_models(engine)
        with engine.connect() as conn:
            assert not any(fts_name(t) for t in inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_rows_and_search_survive_an_upgrade_from_the_first_revision(
        backend: str | None, make_workspace: Callable[..., Workspace]) -> None:
    ws = make_workspace(database_url=backend)
    ids = fill(ws)
    with ws.store.engine.connect() as conn:
        at_head_rows = {t.name: [dict(r._mapping) for r in conn.execute(select(t))]
                        for t in Base.metadata.sorted_tables if t.name not in SEARCH_TABLES}
        docs_before = search_docs(conn)
    assert ("session", ids["session"]) in {(e, i) for e, i, _b in docs_before}

    # Back to the first revision: the search index (and what later revisions added) is gone;
    # the rows of the first revision's tables are all there.
    with ws.store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), FIRST)
    with ws.store.engine.connect() as conn:
        first_tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
        # Later revisions may add columns to the first revision's tables: compare those it had.
        first_columns = {t: [c["name"] for c in inspect(conn).get_columns(t)] for t in first_tables}
        before = snapshot(conn, only=first_tables, columns=first_columns)
    assert before == {t: sorted((tuple(r[c] for c in first_columns[t]) for r in rows), key=repr)
                      for t, rows in at_head_rows.items() if t in first_tables}
    assert current_revision(ws.store.engine)[0] == FIRST
    assert "search_doc" not in first_tables
    assert {"session", "complaint", "action_item", "event", "field_write"} <= first_tables
    assert before["session"] and before["complaint"] and before["event"]
    ws.close()

    # Opening the store the ordinary way upgrades it to head.
    reopened = open_workspace(ws.data_dir.root, PASSPHRASE)
    try:
        engine = reopened.store.engine
        assert current_revision(engine)[0] == head_revision()
        with engine.connect() as conn:
            assert snapshot(conn, only=first_tables, columns=first_columns) == before
            # The index was rebuilt from the rows that were already there, the way the write
            # path would have made it.
            assert search_docs(conn) == docs_before
        assert [h.entity_id for h in search(reopened.store, "securite gamkalle",
                                            entities=("session",))] == [ids["session"]]
        assert [h.entity_id for h in search(reopened.store, "PILLÉ")] == [ids["complaint"]]
        assert [h.entity_id for h in search(reopened.store, "patrouilles")] == [ids["action"]]
        # The write path keeps indexing after the upgrade.
        sessions.update_session(reopened.store, ids["session"], title="Réunion sur les motos")
        assert search(reopened.store, "securite", entities=("session",)) == []
        assert [h.entity_id for h in search(reopened.store, "reunion motos")] == [ids["session"]]
        if backend is None:
            backup = ws.data_dir.database.with_name(f"jsd.db.before-{FIRST}")
            assert backup.is_file()
            assert not backup.read_bytes().startswith(b"SQLite format 3")  # encrypted too
    finally:
        reopened.close()


def test_sqlcipher_database_of_someone_else_is_refused_untouched(
        sqlcipher_path: tuple[Path, Engine]) -> None:
    path, engine = sqlcipher_path
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.exec_driver_sql("INSERT INTO notes (body) VALUES ('not ours')")
    with pytest.raises(StoreError, match="not a JSD Desk store"):
        ensure_schema(engine, path)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == ["notes"]
        assert conn.exec_driver_sql("SELECT body FROM notes").scalars().all() == ["not ours"]
    assert [p.name for p in path.parent.iterdir() if ".before-" in p.name] == []


@pytest.mark.postgres
def test_postgres_database_of_someone_else_is_refused_untouched(pg_database: str) -> None:
    engine = url_engine(pg_database)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE invoices (id serial PRIMARY KEY, total int)")
            conn.exec_driver_sql("INSERT INTO invoices (total) VALUES (42)")
        with pytest.raises(StoreError, match="not a JSD Desk store"):
            ensure_schema(engine)
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == ["invoices"]
            assert conn.exec_driver_sql("SELECT total FROM invoices").scalars().all() == [42]
    finally:
        engine.dispose()


def test_a_store_from_a_newer_version_is_refused_untouched(
        make_workspace: Callable[..., Workspace]) -> None:
    ws = make_workspace()
    with ws.store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'a1b2c3d4e5f6'"))
        before = snapshot(conn)
    ws.close()
    with pytest.raises(StoreError, match="does not know") as info:
        open_workspace(ws.data_dir.root, PASSPHRASE)
    assert "a1b2c3d4e5f6" in info.value.message()
    engine = store_engine(ws)
    try:
        assert current_revision(engine)[0] == "a1b2c3d4e5f6"
        with engine.connect() as conn:
            assert snapshot(conn) == before
    finally:
        engine.dispose()


def store_engine(ws: Workspace) -> Engine:
    """A second engine on a workspace's SQLCipher file, keyed the way the workspace keys it."""
    master = KeySlots.load(ws.data_dir.keyslots).open_with_passphrase(PASSPHRASE)
    return sqlcipher_engine(ws.data_dir.database, subkey(master, "database"))


BROKEN_REVISION = '''"""a revision that fails half-way, after committing part of its work"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("session", sa.Column("broken", sa.Text()))
    op.execute("INSERT INTO local_state (key, value) VALUES ('broken', 'half-done')")
    # Commit behind the migration's back, so that only the backup can undo this.
    op.get_bind().exec_driver_sql("COMMIT")
    raise RuntimeError("this revision fails on purpose")


def downgrade() -> None:
    pass
'''


def test_a_failing_upgrade_restores_the_backup(make_workspace: Callable[..., Workspace],
                                               tmp_path: Path) -> None:
    ws = make_workspace()
    ids = fill(ws)
    with ws.store.engine.connect() as conn:
        before = snapshot(conn)
    ws.close()

    scripts = tmp_path / "migrations"
    shutil.copytree(Path(str(resources.files("jsd_desk.migrations"))), scripts,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_broken.py").write_text(
        BROKEN_REVISION.format(head=head_revision()), encoding="utf-8")
    assert head_revision(scripts) == "9999"

    engine = store_engine(ws)
    try:
        with pytest.raises(StoreError, match="restored") as info:
            ensure_schema(engine, ws.data_dir.database, script_location=scripts)
        assert "this revision fails on purpose" in info.value.message()
    finally:
        engine.dispose()
    backup = ws.data_dir.database.with_name(f"jsd.db.before-{head_revision()}")
    assert backup.is_file()

    # The half-done work is gone: the store is as it was, and opens as usual.
    reopened = open_workspace(ws.data_dir.root, PASSPHRASE)
    try:
        engine = reopened.store.engine
        assert current_revision(engine)[0] == head_revision()
        with engine.connect() as conn:
            assert "broken" not in {c["name"] for c in inspect(conn).get_columns("session")}
            assert snapshot(conn) == before
        assert [h.entity_id for h in search(reopened.store, "securite")] == [ids["session"]]
    finally:
        reopened.close()


def test_a_plain_sqlite_file_in_place_of_the_store_is_refused(
        make_workspace: Callable[..., Workspace]) -> None:
    ws = make_workspace()
    ws.close()
    db = ws.data_dir.database
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    plain = sqlite3.connect(db)
    plain.execute("CREATE TABLE contacts (name TEXT)")
    plain.execute("INSERT INTO contacts VALUES ('someone')")
    plain.commit()
    plain.close()
    content = db.read_bytes()

    with pytest.raises(StoreError, match="unencrypted SQLite database"):
        open_workspace(ws.data_dir.root, PASSPHRASE)

    jsd = Path(sys.executable).with_name("jsd-desk")
    result = subprocess.run([str(jsd), "dump", "--data-dir", str(ws.data_dir.root)],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "JSD_DESK_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 3
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "unencrypted SQLite database" in lines[0], result.stderr
    assert db.read_bytes() == content
    assert not db.with_name(db.name + "-wal").exists()



def test_the_shipped_head_constant_matches_the_scripts() -> None:
    # schema.SCHEMA_HEAD lets an up-to-date store open without importing alembic; it must name
    # the scripts' real head, or a store would skip an upgrade.
    from jsd_desk.store.schema import SCHEMA_HEAD, head_revision

    assert head_revision() == SCHEMA_HEAD
