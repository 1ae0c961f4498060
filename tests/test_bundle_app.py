"""The installable app: the PyInstaller one-folder bundle smoke-tested, the .deb installed with
`dpkg -i` and started, and the Linux desktop metadata valid.

Building the bundle takes minutes on two cores, so those tests run in CI (CI=true; .ci/run
builds it before the suite and passes JSD_PKG_PREBUILT) and where JSD_TEST_PACKAGING=1 asks for
them; a developer's `make test` skips them and says why. In CI nothing here may skip: a missing
tool or no root fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CI = os.environ.get("CI", "").lower() == "true"
WANTED = CI or os.environ.get("JSD_TEST_PACKAGING") == "1"


def _cannot(reason: str) -> None:
    if CI:
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        _cannot(f"{name} is not installed (scripts/setup-system.sh installs it)")
    assert path is not None
    return path


def test_appstream_metadata_validates() -> None:
    tool = _tool("appstreamcli")
    metainfo = REPO / "packaging" / "linux" / "org.jsddesk.JsdDesk.metainfo.xml"
    result = subprocess.run([tool, "validate", "--no-net", str(metainfo)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    # It names the desktop entry and the icon the packages install.
    text = metainfo.read_text(encoding="utf-8")
    assert "<launchable type=\"desktop-id\">jsd-desk.desktop</launchable>" in text
    assert f'<release version="{metadata.version("jsd-desk")}"' in text


def test_desktop_entry_names_the_icon_and_the_command() -> None:
    entry = (REPO / "packaging" / "linux" / "jsd-desk.desktop").read_text(encoding="utf-8")
    lines = dict(line.split("=", 1) for line in entry.splitlines() if "=" in line)
    assert lines["Exec"] == "jsd-desk" and lines["Icon"] == "jsd-desk"
    assert lines["Type"] == "Application" and "Office;" in lines["Categories"]
    assert (REPO / "resources" / "icons" / "hicolor" / "48x48" / "apps" / "jsd-desk.png").is_file()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    if not WANTED:
        pytest.skip("builds the one-folder app with PyInstaller (minutes on 2 cores): runs in CI, "
                    "or here with JSD_TEST_PACKAGING=1")
    _tool("dpkg-deb")
    prebuilt = os.environ.get("JSD_PKG_PREBUILT")
    if prebuilt:  # .ci/run built it before the suite (minutes), with its log and exit status
        out = Path(prebuilt)
        log = (out / "build.log").read_text(encoding="utf-8", errors="replace")
        status = (out / "build.status").read_text(encoding="utf-8").strip()
        assert status == "0", f"packaging/build-linux.sh --deb exited {status}:\n{log[-6000:]}"
        yield out, log
        return
    out = tmp_path_factory.mktemp("pkg")
    env = {**os.environ, "PY": sys.executable, "JSD_PKG_OUT": str(out)}
    result = subprocess.run([str(REPO / "packaging" / "build-linux.sh"), "--deb"], env=env,
                            capture_output=True, text=True, timeout=1500)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-6000:]
    yield out, log
    shutil.rmtree(out, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.packaging
def test_one_folder_app_passes_its_smoke_test(built: tuple[Path, str]) -> None:
    out, log = built
    app = out / "dist" / "jsd-desk"
    # packaging/smoke-test.sh ran the frozen app: init, demo, minutes, cards, a bundle exported
    # and imported, verify, the self-test's window with every page, a refused input in French.
    assert "smoke-test: OK" in log and "Self-test passed." in log
    assert f"smoke-test: jsd-desk {metadata.version('jsd-desk')}" in log
    assert "✓ main window shown with its" in log
    # Lean: the Qt modules the app never imports are left out.
    internal = app / "_internal" / "PySide6"
    assert not list(internal.glob("QtWebEngine*")) and not list(internal.glob("QtQuick*"))
    size = sum(p.stat().st_size for p in app.rglob("*") if p.is_file())
    assert size < 400 * 2**20, f"the bundle grew to {size / 2**20:.0f} MiB"


@pytest.mark.slow
@pytest.mark.packaging
def test_deb_installs_and_starts(built: tuple[Path, str], tmp_path: Path) -> None:
    out, _log = built
    debs = list(out.glob("jsd-desk_*.deb"))
    assert len(debs) == 1
    deb = debs[0]
    if os.geteuid() != 0:
        _cannot("installing a .deb needs root")
    dpkg = _tool("dpkg")
    info = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Version", "Depends"],
                          capture_output=True, text=True, check=True).stdout
    assert f"Version: {metadata.version('jsd-desk')}" in info and "libxcb-cursor0" in info
    data = tmp_path / "data"
    try:
        # Inside the try: a refused install (a dependency missing) still purges the half-installed
        # package, which would otherwise leave apt refusing every later install on the machine.
        install = subprocess.run([dpkg, "-i", str(deb)], capture_output=True, text=True,
                                 timeout=600)
        assert install.returncode == 0, install.stdout + install.stderr
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "JSD_DESK_PASSPHRASE": "deb test 1234"}
        version = subprocess.run(["/usr/bin/jsd-desk", "--version"], capture_output=True,
                                 text=True, check=True, timeout=120, env=env).stdout
        assert version.strip() == f"jsd-desk {metadata.version('jsd-desk')}"
        subprocess.run(["/usr/bin/jsd-desk", "--data-dir", str(data), "init", "--device-name",
                        "Deb", "--role", "facilitator"], capture_output=True, text=True,
                       check=True, timeout=300, env=env)
        for installed in ("/usr/share/applications/jsd-desk.desktop",
                          "/usr/share/metainfo/org.jsddesk.JsdDesk.metainfo.xml",
                          "/usr/share/icons/hicolor/256x256/apps/jsd-desk.png"):
            assert Path(installed).is_file(), installed
    finally:
        removed = subprocess.run([dpkg, "--purge", "jsd-desk"], capture_output=True, text=True,
                                 timeout=600)
    assert removed.returncode == 0, removed.stderr
    assert not Path("/opt/jsd-desk").exists()
    # Removing the program never touches a user's data.
    assert (data / "store.db").exists() or any(data.iterdir())
