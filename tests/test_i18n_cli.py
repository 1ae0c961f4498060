"""The command line speaks the language of the locale it runs under (a real subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jsd_desk.i18n.pseudo import pseudo as pseudo_text

NBSP = "\u00a0"


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).with_name("jsd-desk")
    assert executable.exists(), "jsd-desk is not installed in this environment"
    clean = {k: v for k, v in os.environ.items()
             if k not in ("JSD_DESK_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    clean.update(JSD_DESK_PASSPHRASE="not the point here", PYTHONIOENCODING="utf-8", **env)
    return subprocess.run([str(executable), *args], env=clean, capture_output=True, text=True,
                          encoding="utf-8", timeout=120, check=False)


def test_cli_errors_are_in_french_under_a_french_locale(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = _run(["dump", "--data-dir", str(missing)], LANG="fr_FR.UTF-8")
    assert result.returncode == 3
    assert result.stdout == ""
    assert result.stderr == (f"jsd-desk: Il n'y a pas de base JSD Desk dans {missing}{NBSP}; "
                             f"lancez d'abord «{NBSP}jsd-desk init{NBSP}».\n")
    assert not missing.exists()


def test_the_same_error_in_english_and_in_the_pseudo_locale(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    english = _run(["dump", "--data-dir", str(missing)], LANG="en_US.UTF-8")
    assert english.returncode == 3
    assert english.stderr == (f"jsd-desk: There is no JSD Desk store in {missing}; "
                              "run “jsd-desk init” first.\n")
    pseudo = _run(["dump", "--data-dir", str(missing)], LANG="fr_FR.UTF-8", JSD_DESK_LANG="qps")
    assert pseudo.returncode == 3
    sentence = "There is no JSD Desk store in {path}; run “jsd-desk init” first."
    assert pseudo.stderr == f"jsd-desk: {pseudo_text(sentence).format(path=missing)}\n"
    assert pseudo.stderr.startswith("jsd-desk: [Ťĥéŕé îš ñö ĴŠĐ Đéšķ šťöŕé îñ ")


def test_cli_help_is_in_french_under_a_french_locale() -> None:
    result = _run(["dump", "--help"], LC_ALL="fr_NE.UTF-8")
    assert result.returncode == 0
    assert "afficher chaque enregistrement lisible en JSON canonique" in result.stdout
