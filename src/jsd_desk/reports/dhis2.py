"""DHIS2 aggregate data values from the indicators: ADX XML (IHE ADX) and ``dataValueSets`` JSON.

A data value is one indicator count for one org unit (a place code at the mapping's level), one
ISO period and one category option combo (the indicator's dimensions: participant category ×
gender, session kind, complaint category, responsible party). The mapping file
(``resources/dhis2/mapping.json``, overridable by the ministry; ``docs/dhis2.md``) names every
DHIS2 code. Only fully disaggregated cells are sent (DHIS2 adds them up itself); values whose
place was not recorded are left out and counted.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from jsd_desk.domain.errors import InputRefused
from jsd_desk.i18n import N_
from jsd_desk.services.indicators import TOTAL, UNKNOWN, IndicatorSet, indicator
from jsd_desk.services.indicators.model import PLACE_LEVELS, period_bounds

ADX_NS = "urn:ihe:qrph:adx:2015"
# XML NCName, restricted to ASCII: what an ADX attribute name (a category code) may be.
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_ADX_RESERVED = {"dataElement", "value", "annotation", "orgUnit", "period", "dataSet",
                 "completeDate"}
PERIOD_GRAINS = ("month", "quarter", "year")


@dataclass(frozen=True)
class Category:
    code: str
    options: dict[str, str]  # our code (or _U) → DHIS2 category option code


@dataclass(frozen=True)
class Mapping:
    data_set: str
    period: str
    org_unit_level: str
    org_units: dict[str, str]  # place code → DHIS2 org unit (code or uid); default: the same
    id_scheme: str
    default_combo: str
    data_elements: dict[str, str]  # indicator code → DHIS2 data element
    categories: dict[str, Category]  # dimension name → category
    combos: dict[str, str]  # "OPT_A,OPT_B" → category option combo; default: OPT_A_OPT_B

    def org_unit(self, place: str) -> str:
        return self.org_units.get(place, place)

    def combo(self, options: tuple[str, ...]) -> str:
        if not options:
            return self.default_combo
        return self.combos.get(",".join(options), "_".join(options))


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _where(path: Path | None) -> str:
    return str(path) if path else "(built-in)"


def _bad(path: Path | None, key: str, value: Any) -> InputRefused:
    return InputRefused(N_("The DHIS2 mapping {path} cannot be used: “{value}” is not a valid "
                           "value for {key}."), path=_where(path), key=key, value=str(value)[:60])


def default_mapping_data() -> dict[str, Any]:
    text = (resources.files("jsd_desk.resources") / "dhis2" / "mapping.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def load_mapping(override: Path | None = None) -> Mapping:
    """The shipped mapping, with ``override`` (a JSON file) merged over it key by key."""
    data = default_mapping_data()
    if override is not None:
        try:
            extra = json.loads(Path(override).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            raise InputRefused(N_("The file {path} cannot be read."), path=str(override)) from None
        except json.JSONDecodeError as exc:
            raise InputRefused(N_("The DHIS2 mapping {path} is not valid JSON (line {line})."),
                               path=str(override), line=exc.lineno) from None
        if not isinstance(extra, dict):
            raise InputRefused(N_("The DHIS2 mapping {path} is not valid JSON (line {line})."),
                               path=str(override), line=1)
        data = _merge(data, extra)
    try:
        return _parse(data, override)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputRefused(N_("The DHIS2 mapping {path} cannot be used: {key} is missing or "
                              "malformed."), path=_where(override), key=str(exc)[:60]) from None


def _code(value: Any, path: Path | None) -> str:
    if not isinstance(value, str) or not _NCNAME.match(value):
        raise InputRefused(N_("The DHIS2 mapping {path} cannot be used: “{value}” is not a valid "
                              "code (letters, digits, _ . -; not starting with a digit)."),
                           path=_where(path), value=str(value)[:60])
    return value


def _parse(data: dict[str, Any], path: Path | None) -> Mapping:
    period = data["period"]
    if period not in PERIOD_GRAINS:
        raise _bad(path, "period", period)
    level = data["orgUnitLevel"]
    if level not in PLACE_LEVELS:
        raise _bad(path, "orgUnitLevel", level)
    elements: dict[str, str] = {}
    for code, element in dict(data["dataElements"]).items():
        try:
            indicator(code)
        except KeyError:
            raise _bad(path, "dataElements", code) from None
        if indicator(code).unit != "count":
            raise _bad(path, "dataElements", code)
        elements[code] = _code(element, path)
    categories: dict[str, Category] = {}
    for dimension, spec in dict(data["categories"]).items():
        cat = _code(spec["code"], path)
        if cat in _ADX_RESERVED:
            raise _bad(path, "categories", cat)
        options = {str(k): _code(v, path) for k, v in dict(spec["options"]).items()}
        categories[str(dimension)] = Category(cat, options)
    for code in elements:
        for dim in (indicator(code).category, indicator(code).option):
            if dim and dim not in categories:
                raise _bad(path, "categories", dim)
    return Mapping(
        data_set=_code(data["dataSet"], path), period=period, org_unit_level=level,
        org_units={str(k): str(v) for k, v in dict(data.get("orgUnits", {})).items()},
        id_scheme=str(data.get("idScheme", "code")),
        default_combo=str(data.get("defaultCategoryOptionCombo", "default")),
        data_elements=elements, categories=categories,
        combos={str(k): str(v) for k, v in dict(data.get("categoryOptionCombos", {})).items()})


@dataclass(frozen=True)
class DataValue:
    data_element: str
    org_unit: str
    period: str  # our label: 2026-11, 2026-Q4, 2026
    options: tuple[tuple[str, str], ...]  # (category code, option code), in dimension order
    value: int


@dataclass(frozen=True)
class Export:
    values: tuple[DataValue, ...]
    left_out: int  # values whose place was not recorded, or whose code has no DHIS2 option


def data_values(result: IndicatorSet, mapping: Mapping) -> Export:
    out: list[DataValue] = []
    left_out = 0
    for code, element in mapping.data_elements.items():
        ind = indicator(code)
        dims = [d for d in (ind.category, ind.option) if d]
        for v in result.of(code):
            coords = [c for c in (v.category, v.option) if c][:len(dims)]
            if v.place == TOTAL or TOTAL in coords or v.period == TOTAL or "/" in v.period:
                continue  # totals: DHIS2 computes them from the disaggregated cells
            if v.place == UNKNOWN:
                left_out += 1
                continue
            options: list[tuple[str, str]] = []
            for dim, c in zip(dims, coords, strict=True):
                cat = mapping.categories[dim]
                option = cat.options.get(c)
                if option is None:
                    break
                options.append((cat.code, option))
            else:
                out.append(DataValue(element, mapping.org_unit(v.place), v.period, tuple(options),
                                     int(v.value)))
                continue
            left_out += 1
    out.sort(key=lambda d: (d.org_unit, d.period, d.data_element, d.options))
    return Export(tuple(out), left_out)


def adx_period(label: str) -> str:
    """``2026-11`` → ``2026-11-01/P1M``; ``2026-Q4`` → ``2026-10-01/P3M``; ``2026`` →
    ``2026-01-01/P1Y`` (ADX: start date / ISO 8601 duration)."""
    start, _end = period_bounds(label)
    assert start is not None
    duration = "P1M" if len(label) == 7 and "-Q" not in label else "P3M" if "-Q" in label else "P1Y"
    return f"{start.isoformat()}/{duration}"


def dhis2_period(label: str) -> str:
    """``2026-11`` → ``202611``; ``2026-Q4`` → ``2026Q4``; ``2026`` → ``2026``."""
    if "-Q" in label:
        return label.replace("-", "")
    return label.replace("-", "")


def render_adx(export: Export, mapping: Mapping, *, exported: dt.datetime) -> bytes:
    ET.register_namespace("", ADX_NS)
    root = ET.Element(f"{{{ADX_NS}}}adx", {"exported": _stamp(exported)})
    groups: dict[tuple[str, str], ET.Element] = {}
    for dv in export.values:
        key = (dv.org_unit, dv.period)
        group = groups.get(key)
        if group is None:
            group = groups[key] = ET.SubElement(root, f"{{{ADX_NS}}}group", {
                "dataSet": mapping.data_set, "orgUnit": dv.org_unit,
                "period": adx_period(dv.period)})
        attrs = {"dataElement": dv.data_element, **dict(dv.options), "value": str(dv.value)}
        ET.SubElement(group, f"{{{ADX_NS}}}dataValue", attrs)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return data + b"\n"


def render_data_value_sets(export: Export, mapping: Mapping, *, exported: dt.datetime) -> bytes:
    values = [{"dataElement": dv.data_element, "period": dhis2_period(dv.period),
               "orgUnit": dv.org_unit,
               "categoryOptionCombo": mapping.combo(tuple(o for _c, o in dv.options)),
               "value": str(dv.value)} for dv in export.values]
    body = {"dataSet": mapping.data_set, "idScheme": mapping.id_scheme.upper(),
            "completeDate": exported.date().isoformat(), "dataValues": values}
    return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _stamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
