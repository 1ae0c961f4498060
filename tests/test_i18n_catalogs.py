"""The catalogs: up to date with the code, complete in French and English, placeholders intact,
compiled into the package as they are in the .po files."""

from __future__ import annotations

import gettext
import importlib.machinery
import importlib.util
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent
FIX = "run `.venv/bin/python scripts/update-catalogs`"


def _load_tool() -> ModuleType:
    # The one command translators run; the checks here are the ones it reports.
    path = ROOT / "scripts" / "update-catalogs"
    loader = importlib.machinery.SourceFileLoader("update_catalogs", str(path))
    spec = importlib.util.spec_from_loader("update_catalogs", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The messages of the code as it is now, extracted by pybabel into a temporary .pot."""
    template: Catalog = tool.extract(tmp_path_factory.mktemp("pot") / "fresh.pot")
    return template


def _catalog(lang: str) -> Catalog:
    catalog: Catalog = tool.read_catalog(tool.po_path(lang), locale=lang)
    return catalog


def _show(ids: set[object]) -> str:
    return "\n".join(f"  {i!r}" for i in sorted(ids, key=str))


def test_the_template_holds_every_message_of_the_code(fresh_template: Catalog) -> None:
    committed = tool.msgids(tool.read_catalog(tool.POT))
    fresh = tool.msgids(fresh_template)
    assert fresh, "pybabel extracted nothing: check locales/babel.cfg"
    assert fresh - committed == set(), f"new in the code, missing from the .pot ({FIX}):\n" \
        + _show(fresh - committed)
    assert committed - fresh == set(), f"in the .pot, gone from the code ({FIX}):\n" \
        + _show(committed - fresh)


def test_extraction_finds_the_messages_of_every_kind_of_marker(fresh_template: Catalog) -> None:
    found = tool.msgids(fresh_template)
    assert "Neighbourhood dialogue" in found  # N_ in a vocabulary
    assert "This field is required." in found  # N_ inside ValidationError(field, …)
    assert "The two passphrases differ." in found  # a JsdError subclass
    assert "Passphrase: " in found  # _ in the CLI
    assert any(isinstance(i, tuple) for i in found)  # ngettext singular and plural
    keywords = tool.keywords()
    assert "ValidationError:2" in keywords and "NotFound" in keywords
    assert "gettext_in:2" in keywords and "ngettext:1,2" in keywords


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_catalog_is_updated_from_the_template(lang: str) -> None:
    template = tool.msgids(tool.read_catalog(tool.POT))
    catalog = tool.msgids(_catalog(lang))
    assert catalog == template, f"{lang} differs from the .pot ({FIX}):\n" \
        + _show(catalog ^ template)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_message_is_translated_not_fuzzy_with_the_same_placeholders(lang: str) -> None:
    catalog = _catalog(lang)
    assert len(list(catalog)) > 300
    assert tool.untranslated(catalog) == [], f"untranslated in {lang}"
    assert tool.fuzzy(catalog) == [], f"fuzzy (to check and unmark) in {lang}"
    assert tool.placeholder_problems(catalog) == [], f"placeholders differ in {lang}"


def test_the_english_catalog_is_the_source_text() -> None:
    for message in _catalog("en"):
        if message.id:
            assert tuple(tool._forms(message.string)) == tuple(tool._forms(message.id))


def test_french_plurals_follow_the_french_rule() -> None:
    catalog = _catalog("fr")
    assert catalog.plural_forms == "nplurals=2; plural=(n > 1);"
    assert any(isinstance(m.id, tuple) for m in catalog)


def test_the_checks_catch_what_they_are_for() -> None:
    """A catalog with every fault: the checks used above must report each one."""
    bad = Catalog(locale="fr")
    bad.add("Fine {name}.", "Bien {name}.")
    bad.add("Empty", "")
    bad.add("Unsure", "Pas sûr", flags=["fuzzy"])
    bad.add("Renamed {name}.", "Renommé {nom}.")
    bad.add("Lost {n} and {limit}", "Perdu {n}")
    bad.add("Printf %(count)s", "Printf %(compte)s")
    bad.add(("{n} item", "{n} items"), ("{n} élément", "éléments"))
    assert tool.untranslated(bad) == ["Empty"]
    assert tool.fuzzy(bad) == ["Unsure"]
    assert [m for m, _t in tool.placeholder_problems(bad)] == [
        "Renamed {name}.", "Lost {n} and {limit}", "Printf %(count)s", "{n} item"]
    assert tool.placeholders("« {a} » {{not}} %(b)s %s") == ["%(b)s", "%s", "{a}"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_package_ships_the_compiled_catalog_of_the_po(lang: str) -> None:
    """The .mo the app loads says what the .po says: a stale build fails here, not in use."""
    mo = resources.files("jsd_desk.locales") / lang / "LC_MESSAGES" / "jsd_desk.mo"
    assert mo.is_file(), f"no compiled {lang} catalog in the package ({FIX} or reinstall)"
    with mo.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale: list[object] = []
    for message in _catalog(lang):
        if not message.id:
            continue
        source = tool._forms(message.id)
        translated = tool._forms(message.string)
        # A fuzzy or empty translation is not compiled: the source text shows instead.
        shown = source if message.fuzzy or not all(translated) else translated
        if len(source) == 2:
            got = [compiled.ngettext(source[0], source[1], n) for n in (1, 2)]
        else:
            got = [compiled.gettext(source[0])]
        if got != shown:
            stale.append(message.id)
    assert stale == [], f"the compiled {lang} catalog is stale ({FIX}):\n" + _show(set(stale))
