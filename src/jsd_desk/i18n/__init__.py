"""Translations: gettext catalogs compiled from ``locales/`` and locale-aware formats (babel).

Messages are marked with ``N_`` where they are defined (vocabulary labels, error messages) and
translated with ``_`` when they are shown, so a language switch takes effect everywhere.

Three things are chosen separately (docs/translating.md):

- the *language* of the interface: a catalog under ``locales/<lang>/`` (``fr``, ``en``, and any
  catalog added later, e.g. ``ha`` or ``dje``), or the developers' pseudo-locale ``qps``;
- the *format locale* (dates, numbers): ``fr_NE``, ``fr_CI`` or ``en``, see :mod:`.formats`;
- the language of a record's *content* and of printed minutes, which are data, not settings.
"""

from __future__ import annotations

import gettext
import logging
import os
import struct
import threading
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DOMAIN = "jsd_desk"
DEFAULT_LANGUAGE = "fr"  # the working language of Niger's administration and police
PSEUDO = "qps"  # pseudo-locale for developers: every string 40% longer, accented, in brackets
# Format locales (babel/CLDR codes); a language maps to the first one that starts with it.
FORMAT_LOCALES = ("fr_NE", "fr_CI", "en")

_lock = threading.Lock()
_catalogs: dict[str, gettext.NullTranslations] = {}
_catalog_dir: Path | None = None
_current = "en"
_current_locale = "en"


def _catalog_root() -> Traversable:
    return _catalog_dir if _catalog_dir is not None else resources.files("jsd_desk.locales")


def _discover_languages() -> tuple[str, ...]:
    """fr and en first, then every other catalog shipped in ``locales/`` (no code to touch)."""
    found: set[str] = set()
    try:
        for entry in _catalog_root().iterdir():
            messages = entry / "LC_MESSAGES"
            if entry.is_dir() and any((messages / f"{DOMAIN}{ext}").is_file()
                                      for ext in (".mo", ".po")):
                found.add(entry.name)
    except (OSError, ModuleNotFoundError):  # pragma: no cover - a broken install
        pass
    return ("fr", "en", *sorted(found - {"fr", "en"}))


SUPPORTED = _discover_languages()


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction without translating it now."""
    return message


class Msg(str):
    """A msgid carried as a value (a vocabulary label inside an error), translated when shown."""

    __slots__ = ()


def set_catalog_dir(path: Path | None) -> None:
    """Read catalogs from ``path`` (a copy of ``locales/``) instead of the package's; None
    restores the package's. For tests and for trying a catalog without reinstalling."""
    global _catalog_dir
    with _lock:
        _catalog_dir = None if path is None else Path(path)
        _catalogs.clear()


def _load(lang: str) -> gettext.NullTranslations:
    with _lock:
        cached = _catalogs.get(lang)
        if cached is not None:
            return cached
        catalog: gettext.NullTranslations
        if lang == PSEUDO:
            from jsd_desk.i18n.pseudo import PseudoTranslations

            catalog = PseudoTranslations()
        else:
            try:
                mo = _catalog_root() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
                with mo.open("rb") as fh:
                    catalog = gettext.GNUTranslations(fh)
            except FileNotFoundError:
                if lang != "en":
                    log.warning("no compiled catalog for %r; falling back to English", lang)
                catalog = gettext.NullTranslations()
            # A damaged .mo raises any of these from gettext's parser (bad magic, truncated
            # tables, undecodable text, a bad Plural-Forms header): the app must still start.
            except (OSError, ValueError, LookupError, struct.error, SyntaxError) as exc:
                log.warning("unreadable catalog for %r (%s); falling back to English", lang, exc)
                catalog = gettext.NullTranslations()
        _catalogs[lang] = catalog
        return catalog


def normalize_language(code: str | None) -> str | None:
    """``fr_NE.UTF-8`` → ``fr``; ``qps``/``en_XA`` → the pseudo-locale; None when the code names
    no available language."""
    if not code:
        return None
    tag = code.split(".")[0].split("@")[0].replace("-", "_").lower()
    if tag in (PSEUDO, "qps_ploc", "en_xa"):
        return PSEUDO
    base = tag.split("_")[0]
    return base if base in SUPPORTED else None


def locale_for(code: str | None) -> str:
    """The format locale for a language or locale code: ``fr_CI`` → ``fr_CI``, ``fr``/``fr_FR``
    → ``fr_NE``, ``en_GB`` → ``en``, another shipped language → itself, anything else → ``en``."""
    tag = (code or "").split(".")[0].split("@")[0].replace("-", "_")
    for known in FORMAT_LOCALES:
        if tag.lower() == known.lower():
            return known
    base = tag.split("_")[0].lower()
    for known in FORMAT_LOCALES:
        if known.split("_")[0] == base:
            return known
    # A catalog added later (ha, dje) formats by its own CLDR data; babel knows both.
    return base if base in SUPPORTED else "en"


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


def set_language(lang: str, *, locale: str | None = None) -> str:
    """Make ``lang`` the current language; returns the language actually in force.

    ``locale`` picks the format locale (``fr_NE``, ``fr_CI``, ``en``); by default it follows
    ``lang`` (a region in ``lang`` such as ``fr_CI`` is kept)."""
    global _current, _current_locale
    chosen = normalize_language(lang) or "en"
    _load(chosen)
    _current = chosen
    _current_locale = locale_for(locale or (lang if chosen != PSEUDO else "en"))
    return chosen


def current_language() -> str:
    return _current


def current_locale() -> str:
    """The format locale in force (``fr_NE``, ``fr_CI`` or ``en``), for :mod:`.formats`."""
    return _current_locale


def translator(lang: str | None = None) -> gettext.NullTranslations:
    return _load(normalize_language(lang) or _current if lang else _current)


def _(message: str, **params: Any) -> str:
    """Translate into the current language and fill ``{named}`` placeholders."""
    text = _load(_current).gettext(message)
    if not params:
        return text
    catalog = _load(_current)
    shown = {k: (catalog.gettext(v) if isinstance(v, Msg) else v) for k, v in params.items()}
    return text.format(**shown)


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    text = _load(_current).ngettext(singular, plural, n)
    return text.format(n=n, **params)


def gettext_in(lang: str, message: str, **params: Any) -> str:
    """Translate into a given language, whatever the current one (minutes, receipts)."""
    text = translator(lang).gettext(message)
    return text.format(**params) if params else text
