"""Translations at run time: French and English from the real compiled catalogs, a damaged or
missing catalog, the pseudo-locale, formats of dates and numbers, the language setting."""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.pofile import read_po

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import NotFound, ValidationError
from jsd_desk.i18n import (
    _,
    current_language,
    current_locale,
    formats,
    gettext_in,
    language_from_environment,
    ngettext,
    normalize_language,
    set_catalog_dir,
    set_language,
)
from jsd_desk.i18n.pseudo import pseudo
from jsd_desk.i18n.settings import (
    LANGUAGE_KEY,
    UnknownLanguageError,
    available_languages,
    choose_language,
    load_language,
    save_language,
)

NNBSP = "\u202f"  # CLDR's French group separator
NBSP = "\u00a0"
LOCALES = Path(str(resources.files("jsd_desk.locales")))


# --- French and English ---------------------------------------------------------------------

def test_labels_defined_at_import_follow_the_language_when_shown() -> None:
    label = vocab.COMPLAINT_CATEGORY.label
    assert label("sgbv") == "Sexual and gender-based violence"
    set_language("fr")
    assert label("sgbv") == "Violences sexuelles et basées sur le genre (VSBG)"
    assert vocab.ACTION_STATUS.label("in_progress") == "En cours"
    assert vocab.ROLE.label("liaison") == "Officier de liaison de la police"
    set_language("en")
    assert label("sgbv") == "Sexual and gender-based violence"


def test_errors_read_in_the_language_current_when_shown() -> None:
    error = NotFound("No session matches “{prefix}”.", prefix="3f2a")
    assert error.message() == "No session matches “3f2a”."
    set_language("fr_NE.UTF-8")
    assert current_language() == "fr"
    assert error.message() == f"Aucune séance ne correspond à «{NBSP}3f2a{NBSP}»."
    assert ValidationError("title", "This field is required.").message() == \
        "Ce champ est obligatoire."


def test_gettext_in_translates_into_a_given_language_whatever_the_current_one() -> None:
    assert current_language() == "en"
    assert gettext_in("fr", "Minutes of the dialogue session") == \
        "Compte rendu de la séance de dialogue"
    assert gettext_in("en", "Minutes of the dialogue session") == \
        "Minutes of the dialogue session"


def test_plural_forms_follow_each_language() -> None:
    with (LOCALES / "fr" / "LC_MESSAGES" / "jsd_desk.po").open("rb") as fh:
        catalog = read_po(fh, locale="fr")
    message = next(m for m in catalog if isinstance(m.id, tuple))
    assert isinstance(message.id, tuple) and isinstance(message.string, tuple)
    singular, plural = message.id
    names = {field for text in message.id for _lit, field, _spec, _conv in Formatter().parse(text)}
    params = {name: "x" for name in names if name and name != "n"}
    set_language("fr")
    one, many = (form.format(n="{n}", **params) for form in message.string)
    # French: 0 and 1 take the singular.
    for n, form in ((0, one), (1, one), (2, many), (10, many)):
        assert ngettext(singular, plural, n, **params) == form.replace("{n}", str(n))
    set_language("en")
    assert ngettext(singular, plural, 0, **params) == plural.format(n=0, **params)
    assert ngettext(singular, plural, 1, **params) == singular.format(n=1, **params)


def test_unknown_codes_are_not_languages() -> None:
    assert normalize_language("de_DE.UTF-8") is None
    assert normalize_language("C") is None
    assert normalize_language("") is None
    assert normalize_language("fr-CI") == "fr"
    assert set_language("tlh") == "en"
    assert language_from_environment({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert language_from_environment({"LANGUAGE": "de:fr", "LANG": "en_US.UTF-8"}) == "fr"
    assert language_from_environment({"JSD_DESK_LANG": "qps", "LANG": "fr_FR.UTF-8"}) == "qps"


# --- a missing or damaged catalog -----------------------------------------------------------

@pytest.fixture
def locales_copy(tmp_path: Path) -> Iterator[Path]:
    """A copy of the package's compiled catalogs, which the app reads instead for this test."""
    copy = tmp_path / "locales"
    for mo in LOCALES.glob("*/LC_MESSAGES/jsd_desk.mo"):
        target = copy / mo.relative_to(LOCALES)
        target.parent.mkdir(parents=True)
        shutil.copyfile(mo, target)
    set_catalog_dir(copy)
    yield copy
    set_catalog_dir(None)


def test_the_copy_of_the_catalogs_is_really_read(locales_copy: Path) -> None:
    set_language("fr")
    assert _("This field is required.") == "Ce champ est obligatoire."


def _damage_ways(good: bytes) -> dict[str, bytes]:
    return {
        "empty": b"",
        "garbage": b"this is not a catalog at all, just text\n" * 10,
        "truncated": good[: len(good) // 3],
        "header only": good[:20],
        "bad magic": b"\x00\x00\x00\x00" + good[4:],
        "bad offsets": good[:12] + b"\xff\xff\xff\x7f" + good[16:],
    }


@pytest.mark.parametrize("how", list(_damage_ways(b"x" * 64)))
def test_a_damaged_catalog_falls_back_to_english_with_a_warning(
        locales_copy: Path, caplog: pytest.LogCaptureFixture, how: str) -> None:
    mo = locales_copy / "fr" / "LC_MESSAGES" / "jsd_desk.mo"
    mo.write_bytes(_damage_ways(mo.read_bytes())[how])
    with caplog.at_level(logging.WARNING, logger="jsd_desk.i18n"):
        assert set_language("fr") == "fr"
    assert _("This field is required.") == "This field is required."
    assert NotFound("No such session.").message() == "No such session."
    assert vocab.SESSION_STATUS.label("draft") == "Draft"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "'fr'" in warnings[0].getMessage() and "English" in warnings[0].getMessage()


def test_a_missing_catalog_falls_back_to_english_with_a_warning(
        locales_copy: Path, caplog: pytest.LogCaptureFixture) -> None:
    (locales_copy / "fr" / "LC_MESSAGES" / "jsd_desk.mo").unlink()
    with caplog.at_level(logging.WARNING, logger="jsd_desk.i18n"):
        set_language("fr")
    assert _("This field is required.") == "This field is required."
    assert any("no compiled catalog for 'fr'" in r.getMessage() for r in caplog.records)


# --- the pseudo-locale ----------------------------------------------------------------------

def _template_ids() -> list[str]:
    with (LOCALES / "jsd_desk.pot").open("rb") as fh:
        catalog = read_po(fh)
    ids: list[str] = []
    for m in catalog:
        if isinstance(m.id, tuple):
            ids += list(m.id)
        elif m.id:
            ids.append(str(m.id))
    return ids


def test_the_pseudo_locale_lengthens_every_message_by_40_percent_keeping_placeholders() -> None:
    from tests.test_i18n_catalogs import tool

    ids = _template_ids()
    assert len(ids) > 300
    for msgid in ids:
        shown = pseudo(msgid)
        assert len(shown) >= 1.4 * len(msgid), msgid
        assert shown.startswith("[") and shown.endswith("]")
        assert tool.placeholders(shown) == tool.placeholders(msgid), msgid
        assert shown[1:-1] != msgid  # accented, so an untranslated string stands out


def test_the_pseudo_locale_is_a_language_of_the_app() -> None:
    assert set_language("qps") == "qps"
    assert current_locale() == "en"
    shown = _("No session matches “{prefix}”.", prefix="3f2a")
    assert shown.startswith("[Ñö šéššîöñ ɱàťçĥéš “3f2a”.") and shown.endswith("]")
    assert vocab.GENDER.label("f") == pseudo("Women")
    assert ngettext("{n} day late", "{n} days late", 3).startswith("[3 đàýš ĺàťé")
    assert pseudo("&File").startswith("[&F")  # the mnemonic letter is kept
    assert pseudo("") == ""


# --- formats --------------------------------------------------------------------------------

DAY = dt.date(2026, 3, 5)
MOMENT = dt.datetime(2026, 3, 5, 14, 30)


def test_a_known_date_and_number_in_french_and_english() -> None:
    set_language("fr")
    assert current_locale() == "fr_NE"
    assert formats.format_date(DAY) == "5 mars 2026"
    assert formats.format_date(DAY, "full") == "jeudi 5 mars 2026"
    assert formats.format_date(DAY, "short") == "05/03/2026"
    assert formats.format_datetime(MOMENT, "short") == "05/03/2026 14:30"
    assert formats.format_time(MOMENT) == "14:30"
    assert formats.format_number(1234567) == f"1{NNBSP}234{NNBSP}567"
    assert formats.format_number(Decimal("1234.5")) == f"1{NNBSP}234,5"
    assert formats.format_decimal(42, 1) == "42,0"
    assert formats.format_percent(0.25) == f"25{NBSP}%"
    assert formats.weekday_names()[0] == "lundi"
    assert formats.first_week_day() == 0  # Monday

    set_language("en")
    assert current_locale() == "en"
    assert formats.format_date(DAY) == "5 Mar 2026"
    assert formats.format_date(DAY, "full") == "Thursday, 5 March 2026"
    assert formats.format_datetime(MOMENT, "short") == "05/03/2026, 14:30"
    assert formats.format_number(1234567) == "1,234,567"
    assert formats.format_number(Decimal("1234.5")) == "1,234.5"
    assert formats.format_percent(0.25) == "25%"
    assert formats.first_week_day() == 0


def test_the_format_locale_can_differ_from_the_interface_language() -> None:
    set_language("fr", locale="fr_CI")
    assert (current_language(), current_locale()) == ("fr", "fr_CI")
    assert formats.format_date(DAY) == "5 mars 2026"
    assert formats.first_week_day() == 0
    set_language("fr_CI.UTF-8")
    assert current_locale() == "fr_CI"
    set_language("en")
    # A document in French while the interface is in English.
    assert formats.format_date(DAY, "long", locale="fr") == "5 mars 2026"
    assert formats.format_percent(0.425, 1, locale="fr_NE") == f"42,5{NBSP}%"
    assert formats.month_names(locale="fr")[0] == "janvier"


# --- the language setting -------------------------------------------------------------------

def test_first_run_takes_the_system_language_and_french_when_unsure() -> None:
    def pick(env: dict[str, str], desktop: tuple[str, ...] = ()) -> tuple[str, str, str]:
        choice = choose_language(None, env=env, desktop=desktop)
        assert choice.first_run and choice.problem is None
        return choice.language, choice.locale, choice.source

    assert pick({"LANG": "en_US.UTF-8"}) == ("en", "en", "system")
    assert pick({"LANG": "fr_FR.UTF-8"}) == ("fr", "fr_NE", "system")
    assert pick({"LANGUAGE": "fr_CI:en", "LANG": "en_US.UTF-8"}) == ("fr", "fr_CI", "system")
    assert pick({"LANG": "C.UTF-8"}) == ("fr", "fr_NE", "default")
    assert pick({"LANG": "de_DE.UTF-8"}) == ("fr", "fr_NE", "default")
    assert pick({}) == ("fr", "fr_NE", "default")
    assert pick({}, desktop=("French_Niger.1252",)) == ("fr", "fr_NE", "system")
    assert pick({}, desktop=("en_GB",)) == ("en", "en", "system")


def test_a_saved_language_is_used_and_an_unknown_one_is_ignored_with_a_message() -> None:
    saved = choose_language("en", "en", env={"LANG": "fr_FR.UTF-8"})
    assert (saved.language, saved.source, saved.first_run, saved.notice()) == \
        ("en", "settings", False, None)

    unknown = choose_language("tlh", env={"LANG": "fr_NE.UTF-8"})
    assert (unknown.language, unknown.locale, unknown.first_run) == ("fr", "fr_NE", False)
    assert unknown.notice() == ("The language “tlh” in the settings is not available; the "
                                "interface is shown in Français instead.")
    set_language(unknown.language)
    assert unknown.notice() == (f"La langue «{NBSP}tlh{NBSP}» indiquée dans les paramètres "
                                f"n'est pas disponible{NBSP}; l'interface s'affiche en Français.")
    assert choose_language(42, env={}).problem is not None


def test_the_developer_override_wins_but_a_bad_one_is_ignored() -> None:
    choice = choose_language("fr", env={"JSD_DESK_LANG": "qps"})
    assert (choice.language, choice.locale, choice.source) == ("qps", "en", "environment")
    # Not to be saved, even at first run: the next run without it starts as usual.
    assert not choose_language(None, env={"JSD_DESK_LANG": "qps"}).first_run
    bad = choose_language("en", env={"JSD_DESK_LANG": "xx"})
    assert (bad.language, bad.source) == ("en", "settings")


def test_the_setting_is_saved_beside_the_other_settings(tmp_path: Path) -> None:
    path = tmp_path / "data" / "settings.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"database_url": "postgresql+psycopg://hub/jsd"}))
    first = load_language(path, env={"LANG": "en_GB.UTF-8"})
    assert (first.language, first.first_run) == ("en", True)

    assert save_language(path, "fr_CI") == "fr"
    settings = json.loads(path.read_text())
    assert settings == {"database_url": "postgresql+psycopg://hub/jsd", LANGUAGE_KEY: "fr",
                        "format_locale": "fr_CI"}
    again = load_language(path, env={"LANG": "en_GB.UTF-8"})
    assert (again.language, again.locale, again.source, again.first_run) == \
        ("fr", "fr_CI", "settings", False)

    with pytest.raises(UnknownLanguageError):
        save_language(path, "klingon")
    assert json.loads(path.read_text()) == settings  # nothing written


def test_the_language_menu_names_each_language_in_itself() -> None:
    assert available_languages()[:2] == [("fr", "Français"), ("en", "English")]
    assert ("qps", "[Ƥšéûđö]") in available_languages(include_pseudo=True)
    assert "qps" not in dict(available_languages())
