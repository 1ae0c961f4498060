"""The interface language and the format locale are remembered together across restarts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from jsd_desk.i18n import _, current_language, current_locale, set_language
from jsd_desk.ui.main import startup_language
from jsd_desk.ui.main_window import LANGUAGE_SETTING, LOCALE_SETTING


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


def test_a_saved_cote_d_ivoire_locale_survives_a_restart(qtbot: QtBot, settings: QSettings,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JSD_DESK_LANG", raising=False)
    settings.setValue(LANGUAGE_SETTING, "fr")
    settings.setValue(LOCALE_SETTING, "fr_CI")
    try:
        assert startup_language(settings) is None
        assert (current_language(), current_locale()) == ("fr", "fr_CI")
    finally:
        set_language("en")


def test_first_run_saves_language_and_locale(qtbot: QtBot, settings: QSettings,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JSD_DESK_LANG", raising=False)
    monkeypatch.setenv("LANG", "fr_NE.UTF-8")
    try:
        startup_language(settings)
        # The system's French (Niger) is what the first run chose — and saved.
        assert (current_language(), current_locale()) == ("fr", "fr_NE")
        assert _("Cancel") == "Annuler"
        assert settings.value(LANGUAGE_SETTING) == "fr"
        assert settings.value(LOCALE_SETTING) == "fr_NE"
    finally:
        set_language("en")
