"""A hub's data folder is bound to the database it was initialised with: another ``--database``,
an empty or foreign database, an unreachable server or an unknown user is refused with one
sentence (exit status 3), and nothing is written anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from jsd_desk.services.settings import read_settings
from jsd_desk.services.workspace import same_database
from tests.conftest import PASSPHRASE
from tests.sync_support import MakeWorkspace

JSD = Path(sys.executable).with_name("jsd-desk")

pytestmark = pytest.mark.postgres


def jsd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(JSD), *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "JSD_DESK_PASSPHRASE": PASSPHRASE})


def one_sentence(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 3, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


@pytest.fixture
def second_database(pg_url: str) -> Iterator[str]:
    """Another empty database on the same server (the pg_database fixture gives one per test)."""
    import secrets

    import psycopg

    server = make_url(pg_url)
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"jsd_test_{secrets.token_hex(6)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_hub_folder_refuses_another_database_and_an_empty_one(
        pg_database: str, second_database: str, make_workspace: MakeWorkspace) -> None:
    hub = make_workspace("hub", "analyst", database_url=pg_database)
    root = str(hub.data_dir.root)
    hub.close()

    assert jsd("dump", "--data-dir", root).returncode == 0  # none given: the remembered one
    assert jsd("dump", "--data-dir", root, "--database", pg_database).returncode == 0

    before = hub.data_dir.settings.read_bytes()
    line = one_sentence(jsd("dump", "--data-dir", root, "--database", second_database),
                        "initialised with the database")
    assert make_url(second_database).database in line
    assert tables(second_database) == set()  # not silently migrated into a new, empty store
    assert hub.data_dir.settings.read_bytes() == before  # a refused URL is not remembered

    # The folder's memory pointed elsewhere (a moved server, an edited file): an empty database
    # is refused before a single table is made in it.
    settings_file = hub.data_dir.settings
    saved = settings_file.read_bytes()
    settings_file.write_text(saved.decode().replace(pg_database, second_database))
    assert read_settings(hub.data_dir)["database_url"] == second_database
    one_sentence(jsd("verify", "--data-dir", root), "is empty")
    assert tables(second_database) == set()
    settings_file.write_bytes(saved)


def test_a_new_password_is_given_once_and_remembered(pg_database: str,
                                                     make_workspace: MakeWorkspace) -> None:
    """README: later commands find the URL in the folder's settings, and a new password is
    fine — so the URL that opened the hub with a new password is the one they find next."""
    hub = make_workspace("hub", "analyst", database_url=pg_database)
    root = str(hub.data_dir.root)
    hub.close()
    rotated = make_url(pg_database).set(password="rotated-secret")
    given = rotated.render_as_string(hide_password=False)
    result = jsd("dump", "--data-dir", root, "--database", given)
    assert result.returncode == 0, result.stderr
    assert "rotated-secret" not in result.stdout + result.stderr
    assert make_url(read_settings(hub.data_dir)["database_url"]).password == "rotated-secret"
    assert jsd("dump", "--data-dir", root).returncode == 0  # none given: the new one
    # The remembered URL is the folder's only binding: the same database, however named.
    assert same_database(read_settings(hub.data_dir)["database_url"], pg_database)


def test_a_database_holding_another_store_is_refused(
        pg_database: str, make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    make_workspace("hub", "analyst", database_url=pg_database).close()
    # init on a database that already holds a store: refused, the first store untouched.
    other = tmp_path / "other"
    one_sentence(jsd("init", "--data-dir", str(other), "--device-name", "m2", "--role",
                     "analyst", "--database", pg_database), "already holds tables")
    # another hub folder pointed at the first hub's database: not this device's records.
    second = make_workspace("hub2", "analyst", database_url=None)
    root = second.data_dir.root
    second.close()
    (root / "jsd.db").unlink()
    settings = read_settings(second.data_dir)
    settings["database_url"] = pg_database
    import json

    second.data_dir.settings.write_text(json.dumps(settings))
    one_sentence(jsd("dump", "--data-dir", str(root)), "does not hold this device's records")


def test_an_sqlite_folder_refuses_a_database_url(make_workspace: MakeWorkspace,
                                                 pg_database: str) -> None:
    ws = make_workspace("office")
    root = str(ws.data_dir.root)
    ws.close()
    one_sentence(jsd("dump", "--data-dir", root, "--database", pg_database),
                 "its own encrypted file")
    assert tables(pg_database) == set()


def test_unreachable_server_and_unknown_user_are_one_sentence(pg_url: str,
                                                              tmp_path: Path) -> None:
    nobody = make_url(pg_url).set(username="nobody_here", password="wrong").render_as_string(
        hide_password=False)
    result = jsd("init", "--data-dir", str(tmp_path / "d"), "--device-name", "m", "--role",
                 "analyst", "--database", nobody)
    line = one_sentence(result, "cannot be reached")
    assert "wrong" not in line  # a password is never echoed
    missing = make_url(pg_url).set(database="no_such_database_here").render_as_string(
        hide_password=False)
    one_sentence(jsd("init", "--data-dir", str(tmp_path / "e"), "--device-name", "m", "--role",
                     "analyst", "--database", missing), "cannot be reached")
    one_sentence(jsd("init", "--data-dir", str(tmp_path / "f"), "--device-name", "m", "--role",
                     "analyst", "--database", "postgresql+nosuchdriver://x@127.0.0.1/db"))


def test_the_same_database_is_recognised_whatever_the_password() -> None:
    a = "postgresql+psycopg://jsd:old@127.0.0.1:5432/hub"
    assert same_database(a, "postgresql+psycopg://jsd:new@127.0.0.1:5432/hub")
    assert same_database(a, "postgresql://jsd@127.0.0.1:5432/hub")
    assert not same_database(a, "postgresql+psycopg://jsd@127.0.0.1:5432/hub2")
    assert not same_database(a, "postgresql+psycopg://jsd@10.0.0.2:5432/hub")
