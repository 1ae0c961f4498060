"""Translations: gettext catalogs compiled from ``locales/`` and locale-aware formats (babel).

Messages are marked with ``N_`` where they are defined (vocabulary labels, error messages) and
translated with ``_`` when they are shown, so a language switch takes effect everywhere.
"""

from __future__ import annotations

import gettext
import logging
import os
import threading
from collections.abc import Mapping
from importlib import resources
from typing import Any

log = logging.getLogger(__name__)

DOMAIN = "jsd_desk"
SUPPORTED = ("fr", "en")
DEFAULT_LANGUAGE = "fr"  # the working language of Niger's administration and police

_lock = threading.Lock()
_catalogs: dict[str, gettext.NullTranslations] = {}
_current = "en"


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction without translating it now."""
    return message


class Msg(str):
    """A msgid carried as a value (a vocabulary label inside an error), translated when shown."""

    __slots__ = ()


def _load(lang: str) -> gettext.NullTranslations:
    with _lock:
        cached = _catalogs.get(lang)
        if cached is not None:
            return cached
        catalog: gettext.NullTranslations
        try:
            mo = resources.files("jsd_desk.locales") / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
            with mo.open("rb") as fh:
                catalog = gettext.GNUTranslations(fh)
        except FileNotFoundError:
            if lang != "en":
                log.warning("no compiled catalog for %r; falling back to English", lang)
            catalog = gettext.NullTranslations()
        except (OSError, gettext.error) as exc:
            log.warning("unreadable catalog for %r (%s); falling back to English", lang, exc)
            catalog = gettext.NullTranslations()
        _catalogs[lang] = catalog
        return catalog


def normalize_language(code: str | None) -> str | None:
    """``fr_NE.UTF-8`` → ``fr``; None when the code names no supported language."""
    if not code:
        return None
    base = code.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return base if base in SUPPORTED else None


def language_from_environment(env: Mapping[str, str] | None = None) -> str:
    """The language a command-line user asked for through the usual locale variables."""
    env = os.environ if env is None else env
    for var in ("JSD_DESK_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        for part in value.split(":"):
            lang = normalize_language(part)
            if lang:
                return lang
    return "en"


def set_language(lang: str) -> str:
    """Make ``lang`` the current language; returns the language actually in force."""
    global _current
    chosen = normalize_language(lang) or "en"
    _load(chosen)
    _current = chosen
    return chosen


def current_language() -> str:
    return _current


def translator(lang: str | None = None) -> gettext.NullTranslations:
    return _load(normalize_language(lang) or _current if lang else _current)


def _(message: str, **params: Any) -> str:
    """Translate into the current language and fill ``{named}`` placeholders."""
    text = _load(_current).gettext(message)
    if not params:
        return text
    shown = {k: (_load(_current).gettext(v) if isinstance(v, Msg) else v) for k, v in params.items()}
    return text.format(**shown)


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    text = _load(_current).ngettext(singular, plural, n)
    return text.format(n=n, **params)


def gettext_in(lang: str, message: str, **params: Any) -> str:
    """Translate into a given language, whatever the current one (minutes, receipts)."""
    text = translator(lang).gettext(message)
    return text.format(**params) if params else text
