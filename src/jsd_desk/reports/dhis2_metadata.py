"""The DHIS2 metadata the data values refer to, as DHIS2's metadata JSON (``POST
/api/metadata``): category options, categories, category combinations and their option combos,
data elements, the data set, and the org units of the place tree — so a DHIS2 administrator
imports this file once (or again, after a new place), then the data (``dhis2.py``).

Every object carries the code the data values use (``idScheme=CODE``) and a UID derived from that
code (the same code gives the same UID, so importing the file again updates the objects it made
rather than adding new ones). Names are in the report's language. Org units the mapping sends to
an existing DHIS2 org unit (``orgUnits``) are the ministry's own: they are not written, only
referred to by the data set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_
from jsd_desk.reports.dhis2 import Mapping
from jsd_desk.reports.indicator_text import dimension_title
from jsd_desk.reports.localize import Tr
from jsd_desk.services.indicators import UNKNOWN, indicator
from jsd_desk.services.indicators.model import LEVEL_RANK

UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")  # DHIS2's identifiers: 11 characters
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# DHIS2's built-in "default" category combination (the same UID in every DHIS2 instance).
DEFAULT_CATEGORY_COMBO = "bjDvmb4bfuf"
PERIOD_TYPES = {"month": "Monthly", "quarter": "Quarterly", "year": "Yearly"}
SHORT_NAME = 50  # DHIS2's limit on a short name
OPENING_DATE = "1970-01-01"  # an org unit must have one; the place tree records none


def uid(kind: str, code: str) -> str:
    """A DHIS2 UID for the object of ``kind`` with ``code``: a letter then ten letters or digits,
    from a hash, so the same code always gives the same UID."""
    number = int.from_bytes(hashlib.sha256(f"jsd-desk/{kind}/{code}".encode()).digest(), "big")
    chars = [_ALPHABET[10 + number % 52]]
    number //= 52
    for _n in range(10):
        chars.append(_ALPHABET[number % 62])
        number //= 62
    return "".join(chars)


@dataclass(frozen=True)
class OrgPlace:
    """A place of the tree as DHIS2 needs it: its code, name, level and parent's code."""

    code: str
    name: str
    level: str | None
    parent_code: str | None


def _short(name: str, code: str) -> str:
    return name if len(name) <= SHORT_NAME else code[:SHORT_NAME]


def _named(kind: str, code: str, name: str, **more: Any) -> dict[str, Any]:
    return {"id": uid(kind, code), "code": code, "name": name[:230],
            "shortName": _short(name, code), **more}


def _ref(kind: str, code: str) -> dict[str, str]:
    return {"id": uid(kind, code)}


def _option_label(tr: Tr, dimension: str, code: str) -> str:
    if code == UNKNOWN:
        return tr(N_("Not recorded"))
    if dimension == "gender":
        return tr.term(vocab.GENDER, code)
    if dimension in vocab.ALL:
        return tr.term(vocab.ALL[dimension], code)
    return code


def _org_ref(mapping: Mapping, place: str) -> dict[str, str]:
    """How the data set names an org unit: ours by UID; the ministry's by UID, or by code when
    the mapping gives a code (DHIS2 then matches it with ``identifier=AUTO``)."""
    target = mapping.org_units.get(place)
    if target is None:
        return _ref("organisationUnit", place)
    return {"id": target} if UID.match(target) else {"code": target}


def metadata(mapping: Mapping, places: Iterable[OrgPlace], lang: str, *,
             exported: dt.datetime) -> dict[str, Any]:
    """The metadata objects, by DHIS2 type, in the order DHIS2 imports them."""
    tr = Tr(lang)
    dims_of = {code: tuple(d for d in (indicator(code).category, indicator(code).option) if d)
               for code in mapping.data_elements}
    used = sorted({d for dims in dims_of.values() for d in dims},
                  key=lambda d: list(mapping.categories).index(d))

    options: list[dict[str, Any]] = []
    categories: list[dict[str, Any]] = []
    for dim in used:
        cat = mapping.categories[dim]
        title = dimension_title(tr, dim)
        for ours, code in cat.options.items():
            options.append(_named("categoryOption", code,
                                  f"{_option_label(tr, dim, ours)} ({title})"))
        categories.append(_named("category", cat.code, title,
                                 dataDimensionType="DISAGGREGATION", dataDimension=True,
                                 categoryOptions=[_ref("categoryOption", c)
                                                  for c in cat.options.values()]))
    option_names = {o["code"]: o["name"] for o in options}

    combos: list[dict[str, Any]] = []
    option_combos: list[dict[str, Any]] = []
    combo_of: dict[tuple[str, ...], str] = {}
    for dims in sorted(set(dims_of.values()), key=lambda ds: [used.index(d) for d in ds]):
        if not dims:
            continue
        cats = [mapping.categories[d] for d in dims]
        code = "_".join(c.code for c in cats)
        combo_of[dims] = code
        combos.append(_named("categoryCombo", code,
                             " × ".join(dimension_title(tr, d) for d in dims),
                             dataDimensionType="DISAGGREGATION",
                             categories=[_ref("category", c.code) for c in cats]))
        for chosen in _product([list(c.options.values()) for c in cats]):
            coc = mapping.combo(chosen)
            option_combos.append({
                "id": uid("categoryOptionCombo", coc), "code": coc,
                "name": ", ".join(option_names[o] for o in chosen)[:230],
                "categoryCombo": _ref("categoryCombo", code),
                "categoryOptions": [_ref("categoryOption", o) for o in chosen]})

    elements = []
    for code, element in mapping.data_elements.items():
        ind = indicator(code)
        combo = combo_of.get(dims_of[code])
        elements.append(_named(
            "dataElement", element, tr(ind.title), description=tr(ind.meaning)[:2000],
            domainType="AGGREGATE", valueType="INTEGER_ZERO_OR_POSITIVE",
            aggregationType="SUM", zeroIsSignificant=False,
            categoryCombo=_ref("categoryCombo", combo) if combo
            else {"id": DEFAULT_CATEGORY_COMBO}))

    units = _org_units(mapping, list(places))
    codes = {p.code for p in units}
    data_set = _named(
        "dataSet", mapping.data_set, tr(N_("Justice and security dialogue")),
        periodType=PERIOD_TYPES[mapping.period],
        categoryCombo={"id": DEFAULT_CATEGORY_COMBO},
        dataSetElements=[{"dataElement": _ref("dataElement", e)}
                         for e in mapping.data_elements.values()],
        # Every place a value can be sent for: those at the level, and coarser ones (a
        # platform placed at the country counts there).
        organisationUnits=[_org_ref(mapping, p.code) for p in units])
    return {
        "system": {"date": exported.replace(microsecond=0).isoformat()},
        "categoryOptions": options, "categories": categories, "categoryCombos": combos,
        "categoryOptionCombos": option_combos, "dataElements": elements,
        "organisationUnits": [_org_unit(p, codes) for p in units
                              if p.code not in mapping.org_units],
        "dataSets": [data_set]}


def _product(lists: Sequence[list[str]]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [()]
    for options in lists:
        out = [(*prefix, o) for prefix in out for o in options]
    return out


def _org_units(mapping: Mapping, places: list[OrgPlace]) -> list[OrgPlace]:
    """The places down to the mapping's level, coarse to fine (DHIS2 imports a parent first)."""
    rank = LEVEL_RANK[mapping.org_unit_level]
    kept = [p for p in places if p.level in LEVEL_RANK and LEVEL_RANK[p.level] <= rank]
    return sorted(kept, key=lambda p: (LEVEL_RANK[p.level or ""], p.code))


def _org_unit(place: OrgPlace, codes: set[str]) -> dict[str, Any]:
    unit = _named("organisationUnit", place.code, place.name, openingDate=OPENING_DATE)
    if place.parent_code in codes:
        unit["parent"] = _ref("organisationUnit", place.parent_code)
    return unit


def render_json(body: dict[str, Any]) -> bytes:
    return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def render_metadata(mapping: Mapping, places: Iterable[OrgPlace], lang: str, *,
                    exported: dt.datetime) -> bytes:
    return render_json(metadata(mapping, places, lang, exported=exported))
