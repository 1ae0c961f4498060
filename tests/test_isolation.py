"""The suite never touches the user's real configuration: each test has its own HOME and XDG
folders (tests/conftest.py), and Qt's settings — ours and QFileDialog's — land there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import settings

from tests.conftest import REAL_CONFIG, REAL_HOME


def test_each_test_has_its_own_home_and_config(_isolated_user_folders: Path) -> None:
    home = _isolated_user_folders
    assert Path.home() == home != REAL_HOME
    assert os.environ["XDG_CONFIG_HOME"] == str(home / ".config")
    assert not str(REAL_CONFIG).startswith(str(home))
    import platformdirs

    from jsd_desk.paths import default_data_dir

    assert Path(platformdirs.user_config_dir("jsd-desk")).is_relative_to(home)
    assert default_data_dir().is_relative_to(home)


def test_qt_settings_are_written_under_the_test_home(_isolated_user_folders: Path,
                                                      qapp: object) -> None:
    from PySide6.QtCore import QSettings

    home = _isolated_user_folders
    before = {p: p.stat().st_mtime_ns for p in REAL_CONFIG.rglob("*") if p.is_file()} \
        if REAL_CONFIG.exists() else {}
    # QFileDialog keeps its state in the "QtProject" settings; the app in its own.
    for settings_ in (QSettings(QSettings.Scope.UserScope, "QtProject"),
                      QSettings("jsd-desk", "JSD Desk")):
        settings_.setValue("isolation/probe", "written")
        settings_.sync()
        assert settings_.status() == QSettings.Status.NoError, settings_.fileName()
        assert Path(settings_.fileName()).is_relative_to(home / ".config"), settings_.fileName()
        assert Path(settings_.fileName()).exists()
    after = {p: p.stat().st_mtime_ns for p in REAL_CONFIG.rglob("*") if p.is_file()} \
        if REAL_CONFIG.exists() else {}
    assert after == before


def test_a_process_the_suite_starts_inherits_the_isolation(_isolated_user_folders: Path) -> None:
    code = ("import os, pathlib, platformdirs; "
            "print(pathlib.Path.home()); print(platformdirs.user_config_dir('jsd-desk'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert all(Path(line).is_relative_to(_isolated_user_folders) for line in out), out


def test_ci_runs_property_tests_with_at_least_200_examples() -> None:
    from hypothesis import settings as hsettings

    ci = hsettings.get_profile("ci")
    assert ci.max_examples >= 200
    if os.environ.get("CI", "").lower() == "true" and not os.environ.get("HYPOTHESIS_PROFILE"):
        assert settings.default.max_examples >= 200
