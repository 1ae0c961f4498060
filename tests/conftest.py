"""Shared fixtures: real SQLCipher stores in temporary folders, a real PostgreSQL for the hub."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from jsd_desk.i18n import set_language
from jsd_desk.paths import DataDir
from jsd_desk.security.keyslots import KeySlots
from jsd_desk.services.workspace import Workspace, init_workspace, open_with_master
from jsd_desk.store import streaming
from jsd_desk.sync import signatures

PASSPHRASE = "test passphrase 42"

# Property tests: a quick profile while developing, at least 200 examples in CI (CI=true selects
# it; HYPOTHESIS_PROFILE overrides). Tests set only what is theirs (deadline, health checks) and
# leave the number of examples to the profile.
settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev"))

# The user's real configuration, data and cache folders, captured before any test runs: the
# suite must never write there (tests/test_isolation.py and the session-end check below).
REAL_HOME = Path(os.path.expanduser("~"))
REAL_CONFIG = Path(os.environ.get("XDG_CONFIG_HOME") or REAL_HOME / ".config")
REAL_DATA = Path(os.environ.get("XDG_DATA_HOME") or REAL_HOME / ".local" / "share")
_USER_VARS = ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
              "JSD_DESK_DATA_DIR")


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` with its size and mtime (what a write would change)."""
    out: dict[str, tuple[int, int]] = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            try:
                st = path.stat()
            except OSError:
                continue
            out[str(path)] = (st.st_size, st.st_mtime_ns)
    return out


_REAL_BEFORE = {str(root): _snapshot(root) for root in (REAL_CONFIG, REAL_DATA / "jsd-desk")}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # The whole suite, not one test: any write to the real folders fails the run.
    changed = [path for root, before in _REAL_BEFORE.items()
               for path, stamp in _snapshot(Path(root)).items() if before.get(path) != stamp]
    if changed:
        session.config.stash[_CHANGED] = changed
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_CHANGED = pytest.StashKey[list[str]]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    changed = terminalreporter.config.stash.get(_CHANGED, None)
    if changed:
        terminalreporter.write_line("The suite wrote to the user's real folders: "
                                    + ", ".join(sorted(changed)[:10]), red=True)


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory,
                           monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own HOME and XDG folders, and Qt's QSettings (ours and QFileDialog's
    ``QtProject``) write there: nothing reaches the user's real ~/.config, whatever the test
    does, in this process or in the processes it starts (they inherit the environment)."""
    home = tmp_path_factory.mktemp("home")
    for var in _USER_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                     ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
        (home / sub).mkdir(parents=True)
        monkeypatch.setenv(var, str(home / sub))
    qsettings = _qsettings_class()
    if qsettings is not None:
        # QSettings caches its folders at first use in a process: point them here each time.
        for fmt in (qsettings.Format.NativeFormat, qsettings.Format.IniFormat):
            qsettings.setPath(fmt, qsettings.Scope.UserScope, str(home / ".config"))
            qsettings.setPath(fmt, qsettings.Scope.SystemScope, str(home / "etc-xdg"))
    yield home


def _qsettings_class() -> type | None:
    try:
        from PySide6.QtCore import QSettings
    except ImportError:  # a test run without the GUI extra
        return None
    return QSettings


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


@pytest.fixture(params=["pool", "inline"])
def import_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """An import's first pass in worker processes ("pool") or in the importing process
    ("inline"), in many small chunks and batches, so that order across them matters."""
    if request.param == "pool":
        monkeypatch.setenv("JSD_IMPORT_WORKERS", "2")
        monkeypatch.setattr(signatures, "POOL_MIN_EVENTS", 0)
    else:
        monkeypatch.setenv("JSD_IMPORT_WORKERS", "0")
    monkeypatch.setattr(signatures, "CHUNK", 7)
    monkeypatch.setattr(streaming, "STORE_BATCH", 5)
    return str(request.param)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Every test that needs the hub's server carries the ``postgres`` mark, whether or not its
    # module remembered to say so: ``-m postgres`` selects all the hub tests.
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_server = "pg_url" in getattr(item, "fixturenames", ()) or (
            callspec is not None and any(str(v).startswith("postgres")
                                         for v in callspec.params.values()))
        if on_server and not item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.postgres)


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI the hub is tested for real: without a reachable server the run stops at once,
    failed, rather than as a hundred errors (or, worse, skips) further down."""
    if os.environ.get("CI", "").lower() != "true":
        return
    url = os.environ.get("JSD_TEST_PG_URL")
    reason = None
    if not url:
        reason = "JSD_TEST_PG_URL is not set"
    else:
        import psycopg
        from sqlalchemy.engine import make_url

        plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        try:
            psycopg.connect(plain, connect_timeout=10).close()
        except psycopg.Error as exc:
            reason = f"PostgreSQL at {make_url(url)!r} does not answer: {exc}"
    if reason:
        pytest.exit(f"CI runs the hub tests on a real PostgreSQL and {reason} (`make test` "
                    "starts it with scripts/start-postgres.sh)", returncode=1)


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


@pytest.fixture(params=["sqlcipher", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str | None:
    """None for a SQLCipher file, else a fresh PostgreSQL database's URL."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_database")
        return url
    return None
