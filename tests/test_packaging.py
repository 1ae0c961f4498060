"""The wheel: built from the sources, it carries the migrations, the compiled catalogs and the
resources, and once installed into a fresh virtual environment `jsd-desk init` and `demo` work.

Installing PySide6 and the other dependencies into a fresh venv would take minutes, so the fresh
venv gets only the wheel (``--no-deps``) and sees the dependencies of the development venv through
a plain path entry. A path entry is not a site directory: the development venv's ``.pth`` files —
among them the editable install's finder — are not processed, so ``jsd_desk`` can only come from
the wheel. The test checks that it does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from jsd_desk.i18n import gettext_in

REPO = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "setup.py", "README.md", "src", "migrations", "locales", "resources")
PASSPHRASE = "wheel test passphrase"

pytestmark = pytest.mark.slow


def run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None,
        timeout: int = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=cwd,
                            env=env, timeout=timeout)
    assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the sources (the working tree gets no build products)."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src-copy"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.mo", "*.pyc")
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        else:
            shutil.copy2(path, src / name)
    # No build isolation: the same setuptools and babel as the dev venv, and no network.
    run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", work / "dist",
        src, cwd=work)
    wheels = list((work / "dist").glob("jsd_desk-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


@pytest.fixture(scope="module")
def names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def test_the_wheel_carries_the_migrations(names: set[str]) -> None:
    assert {"jsd_desk/migrations/env.py", "jsd_desk/migrations/script.py.mako",
            "jsd_desk/migrations/versions/__init__.py"} <= names
    revisions = {f"jsd_desk/migrations/versions/{p.name}"
                 for p in (REPO / "migrations" / "versions").glob("*.py")}
    assert "jsd_desk/migrations/versions/0001_initial_schema.py" in revisions
    assert revisions <= names


def test_the_wheel_carries_compiled_catalogs(names: set[str]) -> None:
    for lang in ("fr", "en"):
        assert f"jsd_desk/locales/{lang}/LC_MESSAGES/jsd_desk.mo" in names
    assert "jsd_desk/locales/__init__.py" in names


def test_the_wheel_carries_every_resource_and_package(names: set[str]) -> None:
    resources = {f"jsd_desk/resources/{p.relative_to(REPO / 'resources').as_posix()}"
                 for p in (REPO / "resources").rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert "jsd_desk/resources/reference/places-niger.json" in resources
    assert resources <= names
    assert "jsd_desk/py.typed" in names
    # Every module of src/ is in the wheel: a new subpackage cannot be forgotten.
    modules = {p.relative_to(REPO / "src").as_posix()
               for p in (REPO / "src" / "jsd_desk").rglob("*.py") if "__pycache__" not in p.parts}
    assert modules <= names, sorted(modules - names)
    assert not any(n.startswith(("tests/", "benchmarks/")) or "__pycache__" in n for n in names)


@pytest.fixture(scope="module")
def fresh_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=venv.parent)
    python = venv / "bin" / "python"
    # pip runs from the dev venv but installs into the fresh one (and writes its scripts there).
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "--no-cache-dir", "--quiet", wheel, cwd=venv.parent)
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
               cwd=venv.parent).stdout.strip()
    dev_paths = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (Path(site) / "zz_dev_dependencies.pth").write_text("\n".join(dev_paths) + "\n")
    yield venv


def fresh_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "JSD_DESK_", "VIRTUAL_ENV"))}
    env.update(JSD_DESK_PASSPHRASE=PASSPHRASE, QT_QPA_PLATFORM="offscreen", HOME=str(tmp),
               JSD_DESK_LANG="en")
    return env


def test_the_installed_wheel_runs_init_and_demo(fresh_venv: Path, tmp_path: Path) -> None:
    env = fresh_env(tmp_path)
    python, jsd = fresh_venv / "bin" / "python", fresh_venv / "bin" / "jsd-desk"
    where = json.loads(run(python, "-c", (
        "import json, jsd_desk, jsd_desk.migrations, jsd_desk.store.schema as s, "
        "importlib.metadata as m, importlib.resources as r; "
        "print(json.dumps({'package': jsd_desk.__file__, "
        "'migrations': jsd_desk.migrations.__file__, "
        "'mo': str(r.files('jsd_desk.locales') / 'fr' / 'LC_MESSAGES' / 'jsd_desk.mo'), "
        "'dist': str(m.distribution('jsd-desk').locate_file('')), "
        "'head': s.head_revision()}))"), cwd=tmp_path, env=env).stdout)
    for key in ("package", "migrations", "mo", "dist"):
        assert Path(where[key]).resolve().is_relative_to(fresh_venv.resolve()), (key, where)
    assert Path(where["mo"]).is_file()

    data = tmp_path / "store"
    init = run(jsd, "init", "--data-dir", data, "--device-name", "wheel", "--role", "facilitator",
               cwd=tmp_path, env=env)
    assert "Recovery key" in init.stdout
    run(jsd, "demo", "--data-dir", data, "--seed", "7", cwd=tmp_path, env=env, timeout=900)
    dump = json.loads(run(jsd, "dump", "--data-dir", data, cwd=tmp_path, env=env).stdout)
    assert dump["records"]["session"] and dump["records"]["complaint"]
    assert run(jsd, "verify", "--data-dir", data, cwd=tmp_path, env=env).stdout.startswith("OK")

    # The store was made by the wheel's migrations: at their head.
    version = run(python, "-c", (
        "import sys; from jsd_desk.services.workspace import open_workspace; "
        "from jsd_desk.store.schema import current_revision; "
        "ws = open_workspace(sys.argv[1], sys.argv[2]); "
        "print(current_revision(ws.store.engine)[0]); ws.close()"), data, PASSPHRASE,
        cwd=tmp_path, env=env).stdout.strip()
    assert version == where["head"]


def test_the_installed_wheel_speaks_french(fresh_venv: Path, tmp_path: Path) -> None:
    env = {**fresh_env(tmp_path), "JSD_DESK_LANG": "fr"}
    missing = tmp_path / "absent"
    result = subprocess.run([str(fresh_venv / "bin" / "jsd-desk"), "dump", "--data-dir",
                             str(missing)], capture_output=True, text=True, env=env, timeout=300)
    msgid = "There is no JSD Desk store in {path}; run “jsd-desk init” first."
    french = gettext_in("fr", msgid, path=str(missing))
    assert french != msgid.format(path=str(missing)), "the French catalog lacks this message"
    assert result.returncode == 3
    assert result.stderr.strip() == f"jsd-desk: {french}"
