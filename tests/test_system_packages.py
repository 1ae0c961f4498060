"""The Debian packages `make run` installs are the ones Qt's X11 plugin links against.

scripts/system-packages.txt is the one list (setup-system.sh installs it, the .deb depends on
it). Here it is checked against `ldd` of the installed PySide6: after setup nothing is "not
found", every library ldd resolves belongs to a listed `run` package, and every listed `run`
package owns one of them (no stale entries). On a system without dpkg (not Debian) the check
cannot be made: skipped there, but never in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LIST = REPO / "scripts" / "system-packages.txt"
QT = Path(__import__("PySide6").__file__).parent / "Qt"
# What the app loads: the X11 platform plugin (and offscreen, which the tests use), and the Qt
# libraries of the modules it imports (QtCharts brings QtOpenGL and QtOpenGLWidgets).
LOADED = ["plugins/platforms/libqxcb.so", "plugins/platforms/libqoffscreen.so",
          *(f"lib/libQt6{m}.so.6" for m in ("Core", "Gui", "Widgets", "Charts", "DBus", "XcbQpa",
                                            "OpenGL", "OpenGLWidgets"))]
# Not a library but needed all the same: without any font Qt draws no text (fontconfig finds
# it; the PDFs embed their own copy from resources/fonts).
NOT_A_LIBRARY = {"fonts-dejavu-core"}


def _need_debian() -> None:
    if shutil.which("dpkg-query") and shutil.which("ldd"):
        return
    reason = "dpkg-query and ldd are needed to check the Debian package list"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI runs on Debian")
    pytest.skip(reason)


def listed(who: str) -> set[str]:
    names = set()
    for line in LIST.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if fields:
            assert len(fields) == 2 and fields[1] in ("run", "test"), f"bad line: {line!r}"
            if fields[1] == who:
                names.add(fields[0])
    return names


@cache
def ldd(path: Path) -> list[tuple[str, str | None]]:
    """(soname, resolved path or None when "not found") for every library ``path`` loads."""
    out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        name, arrow, rest = line.strip().partition(" => ")
        if not arrow:
            continue
        target = rest.split(" (")[0].strip()
        found.append((name, None if target == "not found" else target))
    return found


@cache
def _installed_files() -> dict[str, str]:
    """Path → package from dpkg's own file lists (what `dpkg -S` reads, in one pass)."""
    files: dict[str, str] = {}
    for listing in Path("/var/lib/dpkg/info").glob("*.list"):
        package = listing.stem.split(":", 1)[0]
        for line in listing.read_text(encoding="utf-8", errors="replace").splitlines():
            files[line] = package
    return files


def owner(path: str) -> str:
    """The Debian package that installed ``path`` (merged /usr: try both spellings)."""
    files = _installed_files()
    real = os.path.realpath(path)
    for candidate in (path, real, "/usr" + path, real.removeprefix("/usr")):
        if candidate in files:
            return files[candidate]
    raise AssertionError(f"no Debian package owns {path}")


def system_libraries() -> dict[str, str]:
    """Resolved path → owning package, for every library outside PySide6 the app loads."""
    libs = {}
    for rel in LOADED:
        for _name, target in ldd(QT / rel):
            if target and not target.startswith(str(QT.parent)):
                libs[target] = owner(target)
    return libs


def test_the_list_says_who_needs_each_package() -> None:
    run, test = listed("run"), listed("test")
    assert "libxcb-cursor0" in run and "xvfb" in test and not run & test


def test_the_setup_script_reads_the_list() -> None:
    script = (REPO / "scripts" / "setup-system.sh").read_text(encoding="utf-8")
    assert "system-packages.txt" in script
    # No second list hidden in the script: none of the listed names is spelled there.
    assert not [p for p in listed("run") | listed("test") if f" {p} " in f" {script} "]


def test_nothing_qt_loads_is_missing() -> None:
    _need_debian()
    missing = {f"{rel}: {name}" for rel in LOADED for name, target in ldd(QT / rel)
               if target is None}
    assert not missing, f"ldd finds no {sorted(missing)}; run scripts/setup-system.sh --run"


def test_every_library_of_the_xcb_plugin_is_covered_and_nothing_else() -> None:
    _need_debian()
    owners = set(system_libraries().values())
    run = listed("run")
    assert owners - run == set(), f"add to {LIST.name} as run: {sorted(owners - run)}"
    stale = run - owners - NOT_A_LIBRARY
    assert stale == set(), f"listed as run but loaded by no Qt library: {sorted(stale)}"
    # The xcb plugin's own links are the ones a fresh desktop lacks.
    xcb = {owner(t) for _n, t in ldd(QT / LOADED[0]) if t and not t.startswith(str(QT.parent))}
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxkbcommon-x11-0"} <= xcb


def test_every_run_package_is_installed() -> None:
    _need_debian()
    status = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Status}\n",
                             *sorted(listed("run"))], capture_output=True, text=True).stdout
    installed = {line.split()[0] for line in status.splitlines() if line.endswith("ok installed")}
    assert listed("run") - installed == set()
