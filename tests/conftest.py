"""Shared fixtures: real SQLCipher stores in temporary folders, a real PostgreSQL for the hub."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from jsd_desk.i18n import set_language  # noqa: E402
from jsd_desk.services.workspace import Workspace, init_workspace  # noqa: E402

PASSPHRASE = "test passphrase 42"


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    # Each test starts in English; a test about French switches explicitly.
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def make_workspace(tmp_path: Path) -> Iterator[Callable[..., Workspace]]:
    """Factory: ``make_workspace(name="alpha", role="facilitator", clock=None)``."""
    opened: list[Workspace] = []

    def make(name: str = "alpha", role: str = "facilitator", clock: Callable[[], int] | None = None,
             database_url: str | None = None) -> Workspace:
        kwargs = {"clock": clock} if clock else {}
        ws, _recovery = init_workspace(tmp_path / f"{name}-{len(opened)}", name, role, PASSPHRASE,
                                       database_url=database_url, **kwargs)
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
