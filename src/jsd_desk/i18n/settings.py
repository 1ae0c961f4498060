"""The interface language setting: chosen at first run, changed in Settings, kept on disk.

At first run the language comes from the system locale (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``, then what the desktop reports, e.g. Qt's ``uiLanguages()``), and is
French when unsure: French is the working language of Niger's administration and police. The
choice is then saved and used from then on: :func:`save_language`/:func:`load_language` keep it
in a ``settings.json`` (beside its other keys), or the GUI keeps it where it keeps its other
preferences and hands the saved values to :func:`choose_language`. ``JSD_DESK_LANG`` overrides
it for one run without being saved (developers: ``JSD_DESK_LANG=qps`` for the pseudo-locale).

A code that names no available catalog (a hand-edited file, a catalog removed) is ignored: the
choice falls back as at first run, and :attr:`LanguageChoice.notice` says so in one sentence for
the user; the log says it too.
"""

from __future__ import annotations

import json
import locale as _stdlib_locale
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from jsd_desk.files import atomic_write
from jsd_desk.i18n import (
    DEFAULT_LANGUAGE,
    FORMAT_LOCALES,
    N_,
    PSEUDO,
    SUPPORTED,
    _,
    locale_for,
    normalize_language,
)

log = logging.getLogger(__name__)

LANGUAGE_KEY = "ui_language"
LOCALE_KEY = "format_locale"
ENV_OVERRIDE = "JSD_DESK_LANG"
_ENV_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# Windows reports its locale by English names ("French_Niger.1252").
_WINDOWS_NAMES = {"french": "fr", "english": "en", "hausa": "ha"}
_REGIONS = {"fr_niger": "fr_NE", "fr_côte d'ivoire": "fr_CI", "fr_cote d'ivoire": "fr_CI"}


@dataclass(frozen=True)
class LanguageChoice:
    """The language to use now, where it came from, and what went wrong if anything."""

    language: str  # fr, en, a later catalog (ha, dje), or qps
    locale: str  # format locale: fr_NE, fr_CI, en
    source: str  # "settings", "system", "default" (French when unsure), "environment"
    first_run: bool  # nothing was saved yet: the caller saves this choice (not an override)
    problem: str | None = None  # an untranslated msgid, see notice()
    problem_params: Mapping[str, Any] = field(default_factory=dict)

    def notice(self) -> str | None:
        """The problem as one sentence in the current language, or None."""
        return _(self.problem, **self.problem_params) if self.problem else None


def available_languages(*, include_pseudo: bool = False) -> list[tuple[str, str]]:
    """``[(code, name)]`` for a language menu, each name in its own language (``Français``)."""
    items = [(code, _native_name(code)) for code in SUPPORTED]
    if include_pseudo:
        items.append((PSEUDO, "[Ƥšéûđö]"))
    return items


def available_locales() -> list[tuple[str, str]]:
    """``[(code, name)]`` of the format locales, named in the current language's terms."""
    names = {"fr_NE": N_("French (Niger)"), "fr_CI": N_("French (Côte d'Ivoire)"),
             "en": N_("English")}
    return [(code, _(names[code])) for code in FORMAT_LOCALES]


def _native_name(code: str) -> str:
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


def system_locales(env: Mapping[str, str] | None = None,
                   desktop: Sequence[str] = ()) -> list[str]:
    """The locale codes the system states, most preferred first (may be empty)."""
    env = os.environ if env is None else env
    found: list[str] = []
    for var in _ENV_VARS:
        found += [part for part in env.get(var, "").split(":") if part]
    found += list(desktop)
    if env is os.environ:
        try:
            name = _stdlib_locale.getlocale(_stdlib_locale.LC_CTYPE)[0]
        except ValueError:
            name = None
        if name:
            found.append(name)
    return [_windows_to_posix(code) for code in found if code not in ("C", "POSIX")]


def _windows_to_posix(code: str) -> str:
    head = code.split(".")[0]
    if "_" not in head or head.split("_")[0].lower() not in _WINDOWS_NAMES:
        return code
    lang_name, _sep, region = head.partition("_")
    lang = _WINDOWS_NAMES[lang_name.lower()]
    return _REGIONS.get(f"{lang}_{region.lower()}", lang)


def system_choice(env: Mapping[str, str] | None = None,
                  desktop: Sequence[str] = ()) -> tuple[str, str, str]:
    """(language, format locale, source) from the system; French when unsure."""
    for code in system_locales(env, desktop):
        lang = normalize_language(code)
        if lang and lang != PSEUDO:
            return lang, locale_for(code), "system"
    return DEFAULT_LANGUAGE, locale_for(DEFAULT_LANGUAGE), "default"


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def choose_language(saved: object = None, saved_locale: object = None, *,
                    env: Mapping[str, str] | None = None,
                    desktop: Sequence[str] = ()) -> LanguageChoice:
    """The language to start with: ``JSD_DESK_LANG``, else the saved setting, else the system's.

    ``saved``/``saved_locale``: what the settings hold (None at first run; whatever a file or
    QSettings gave back, checked here). ``desktop``: locale names the desktop reports (the GUI
    passes :func:`jsd_desk.ui.language.desktop_locales`)."""
    env = os.environ if env is None else env
    first_run = saved is None
    override = env.get(ENV_OVERRIDE, "")
    if override:
        lang = normalize_language(override)
        if lang:
            # For this run only: never saved, so not a first run's choice either.
            return LanguageChoice(lang, locale_for(override if lang != PSEUDO else "en"),
                                  "environment", first_run=False)
        log.warning("%s=%r names no available language; ignored", ENV_OVERRIDE, override)
    if first_run:
        lang, loc, source = system_choice(env, desktop)
        return LanguageChoice(lang, loc, source, first_run=True)
    lang = normalize_language(saved) if isinstance(saved, str) else None
    if lang is None:
        fallback, loc, source = system_choice(env, desktop)
        log.warning("unknown interface language %r in the settings; using %r", saved, fallback)
        return LanguageChoice(
            fallback, loc, source, first_run=False,
            problem=N_("The language “{code}” in the settings is not available; the interface "
                       "is shown in {language} instead."),
            problem_params={"code": str(saved), "language": _native_name(fallback)})
    loc = saved_locale if saved_locale in FORMAT_LOCALES else locale_for(str(saved))
    return LanguageChoice(lang, str(loc), "settings", first_run=False)


def load_language(settings_path: Path, *, env: Mapping[str, str] | None = None,
                  desktop: Sequence[str] = ()) -> LanguageChoice:
    """:func:`choose_language` with what ``settings.json`` at ``settings_path`` holds."""
    settings = _read(settings_path)
    return choose_language(settings.get(LANGUAGE_KEY), settings.get(LOCALE_KEY), env=env,
                           desktop=desktop)


class UnknownLanguageError(ValueError):
    """A code that names no available catalog: nothing was saved."""


def checked_language(language: str, locale: str | None = None) -> tuple[str, str]:
    """(language, format locale) to save for a user's choice; UnknownLanguageError for a code
    with no catalog (the caller keeps the current language and says so)."""
    lang = normalize_language(language)
    if lang is None:
        raise UnknownLanguageError(language)
    return lang, locale_for(locale or (language if lang != PSEUDO else "en"))


def save_language(settings_path: Path, language: str, locale: str | None = None) -> str:
    """Save the interface language (and format locale) in ``settings.json``, keeping its other
    keys. Returns the normalized code; raises UnknownLanguageError for a code with no catalog."""
    lang, loc = checked_language(language, locale)
    settings = _read(settings_path)
    settings[LANGUAGE_KEY] = lang
    settings[LOCALE_KEY] = loc
    path = Path(settings_path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(path, json.dumps(settings, indent=2, sort_keys=True).encode(), 0o600)
    return lang
