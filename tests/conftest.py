"""Shared fixtures: real SQLCipher stores in temporary folders, a real PostgreSQL for the hub."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from jsd_desk.i18n import set_language
from jsd_desk.paths import DataDir
from jsd_desk.security.keyslots import KeySlots
from jsd_desk.services.workspace import Workspace, init_workspace, open_with_master

PASSPHRASE = "test passphrase 42"


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    # Each test starts in English; a test about French switches explicitly.
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="session")
def _store_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[Path, bytes]]:
    return {}


@pytest.fixture
def make_workspace(tmp_path: Path, _store_templates: dict[tuple[str, str], tuple[Path, bytes]],
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Workspace]]:
    """Factory: ``make_workspace(name="alpha", role="facilitator", clock=None)``.

    A fresh store costs an Argon2id derivation (half a second, on purpose). So each (name, role)
    is initialized once per test run, for real, and every test gets its own copy of those
    files, opened with the master key the template's passphrase slot unwrapped. Tests of init
    and open themselves call the services directly.
    """
    opened: list[Workspace] = []

    def make(name: str = "alpha", role: str = "facilitator", clock: Callable[[], int] | None = None,
             database_url: str | None = None) -> Workspace:
        kwargs = {"clock": clock} if clock else {}
        root = tmp_path / f"{name}-{len(opened)}"
        if database_url:
            ws, _recovery = init_workspace(root, name, role, PASSPHRASE, database_url=database_url,
                                           **kwargs)
        else:
            template = _store_templates.get((name, role))
            if template is None:
                tdir = tmp_path_factory.mktemp("template") / name
                init_workspace(tdir, name, role, PASSPHRASE)[0].close()
                master = KeySlots.load(DataDir(tdir).keyslots).open_with_passphrase(PASSPHRASE)
                template = _store_templates[(name, role)] = (tdir, master)
            shutil.copytree(template[0], root)
            ws = open_with_master(DataDir(root), template[1], **kwargs)
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.close()


@pytest.fixture
def workspace(make_workspace: Callable[..., Workspace]) -> Workspace:
    return make_workspace()


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The PostgreSQL server started by ``make test`` (.ci/run). Absent it, the test fails:
    the hub must be tested for real, never skipped silently."""
    url = os.environ.get("JSD_TEST_PG_URL")
    if not url:
        pytest.fail("JSD_TEST_PG_URL is not set: run the suite with `make test`, which starts "
                    "PostgreSQL (scripts/start-postgres.sh)")
    return url


@pytest.fixture
def pg_database(pg_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database of its own for one test, dropped after; yields its URL.
    (Request it before ``make_workspace`` so the workspaces close before the drop.)"""
    import secrets

    import psycopg
    from sqlalchemy.engine import make_url

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
