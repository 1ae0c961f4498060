"""The DHIS2 metadata export (``report --format dhis2-metadata``): DHIS2's metadata JSON shape,
UIDs that are DHIS2's and stable, and every identifier the data export uses (ADX and
dataValueSets JSON, default mapping and a ministry's own) defined in the metadata or, for the
ministry's own org units, referred to by the data set."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jsd_desk.reports.dhis2 import ADX_NS
from jsd_desk.reports.dhis2_metadata import DEFAULT_CATEGORY_COMBO, UID, uid
from jsd_desk.services.reports import ReportOptions, export_report
from jsd_desk.services.workspace import Workspace
from tests import indicator_data
from tests.indicator_data import AS_OF

NOW = dt.datetime(2026, 7, 1, 9, 30)
TYPES = ("categoryOptions", "categories", "categoryCombos", "categoryOptionCombos",
         "dataElements", "organisationUnits", "dataSets")


@pytest.fixture
def built(make_workspace: Callable[..., Workspace]) -> Workspace:
    ws = make_workspace()
    indicator_data.build(ws.store)
    return ws


def _export(ws: Workspace, out: Path, fmt: str, **kw: Any) -> Path:
    export_report(ws.store, ReportOptions(format=fmt, as_of=AS_OF, **kw), out, now=NOW)
    return out


def _refs(node: Any) -> list[str]:
    """Every ``{"id": …}`` reference inside an object (not its own id)."""
    found: list[str] = []
    if isinstance(node, dict):
        for value in node.values():
            if isinstance(value, dict) and set(value) == {"id"}:
                found.append(value["id"])
            elif isinstance(value, list | dict):
                found += _refs(value)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, dict) and set(item) == {"id"}:
                found.append(item["id"])
            else:
                found += _refs(item)
    return found


def test_the_metadata_has_dhis2_shape_and_refers_only_to_what_it_defines(
        built: Workspace, tmp_path: Path) -> None:
    meta = json.loads(_export(built, tmp_path / "m.json", "dhis2-metadata", lang="en")
                      .read_text("utf-8"))
    assert set(TYPES) <= set(meta)
    ids: set[str] = set()
    for kind in TYPES:
        assert meta[kind], kind
        codes = [o["code"] for o in meta[kind]]
        assert len(set(codes)) == len(codes), kind  # DHIS2: a code is unique within its type
        for obj in meta[kind]:
            assert UID.match(obj["id"]), obj
            assert obj["id"] not in ids, obj  # UIDs are unique across the whole file
            ids.add(obj["id"])
            assert obj["name"]
        if kind != "categoryOptionCombos":
            short = [o["shortName"] for o in meta[kind]]
            assert all(len(s) <= 50 for s in short) and len(set(short)) == len(short), kind
            names = [o["name"] for o in meta[kind]]
            assert len(set(names)) == len(names), kind  # "Women" is a category and a gender
    for kind in TYPES:
        for obj in meta[kind]:
            for ref in _refs(obj):
                assert ref in ids or ref == DEFAULT_CATEGORY_COMBO, (kind, obj["code"], ref)

    (data_set,) = meta["dataSets"]
    assert data_set["code"] == "JSD_DIALOGUE" and data_set["periodType"] == "Monthly"
    elements = {e["code"]: e for e in meta["dataElements"]}
    assert {e["dataElement"]["id"] for e in data_set["dataSetElements"]} == \
        {e["id"] for e in elements.values()}
    participants = elements["JSD_PARTICIPANTS"]
    assert participants["valueType"] == "INTEGER_ZERO_OR_POSITIVE"
    assert participants["aggregationType"] == "SUM" and participants["domainType"] == "AGGREGATE"
    combo = next(c for c in meta["categoryCombos"]
                 if c["id"] == participants["categoryCombo"]["id"])
    cats = {c["id"]: c for c in meta["categories"]}
    assert [cats[c["id"]]["code"] for c in combo["categories"]] == \
        ["JSD_PARTICIPANT_CATEGORY", "JSD_GENDER"]
    # One option combo for each pair of options: 10 participant categories × 4 genders.
    assert sum(1 for c in meta["categoryOptionCombos"]
               if c["categoryCombo"]["id"] == combo["id"]) == 10 * 4
    # The org units: Niger, then its eight regions under it, assigned to the data set.
    units = {u["code"]: u for u in meta["organisationUnits"]}
    regions = [c for c in units if c.startswith("NE-")]
    assert len(regions) == 8 and all(units[c]["parent"]["id"] == units["NE"]["id"] for c in regions)
    assert "parent" not in units["NE"] and units["NE-8"]["name"] == "Niamey"
    assert all(u["openingDate"] for u in units.values())
    assert {o["id"] for o in data_set["organisationUnits"]} == {u["id"] for u in units.values()}


def _codes(meta: dict[str, Any], kind: str) -> set[str]:
    return {o["code"] for o in meta[kind]}


@pytest.mark.parametrize("period", ["month", "quarter"])
def test_every_identifier_of_the_data_export_is_in_the_metadata(
        built: Workspace, tmp_path: Path, period: str) -> None:
    meta = json.loads(_export(built, tmp_path / "m.json", "dhis2-metadata", period=period)
                      .read_text("utf-8"))
    data = json.loads(_export(built, tmp_path / "d.json", "dhis2-json", period=period)
                      .read_text("utf-8"))
    assert data["idScheme"] == "CODE" and data["dataValues"]
    assert data["dataSet"] in _codes(meta, "dataSets")
    combos = {c["code"]: c for c in meta["categoryOptionCombos"]}
    elements = {e["code"]: e for e in meta["dataElements"]}
    units = _codes(meta, "organisationUnits")
    for dv in data["dataValues"]:
        assert dv["dataElement"] in elements, dv
        assert dv["orgUnit"] in units, dv
        assert dv["categoryOptionCombo"] in combos, dv
        # …and the combo belongs to the data element's category combination.
        assert combos[dv["categoryOptionCombo"]]["categoryCombo"] == \
            elements[dv["dataElement"]]["categoryCombo"], dv
    (data_set,) = meta["dataSets"]
    assert data_set["periodType"] == {"month": "Monthly", "quarter": "Quarterly"}[period]

    root = ET.parse(_export(built, tmp_path / "d.xml", "adx", period=period)).getroot()
    categories = {c["code"]: c for c in meta["categories"]}
    options = {o["code"]: o["id"] for o in meta["categoryOptions"]}
    groups = root.findall(f"{{{ADX_NS}}}group")
    assert groups
    for group in groups:
        assert group.get("dataSet") in _codes(meta, "dataSets")
        assert group.get("orgUnit") in units
        for dv in group.findall(f"{{{ADX_NS}}}dataValue"):
            assert dv.get("dataElement") in elements
            for name, value in dv.attrib.items():
                if name in ("dataElement", "value"):
                    continue
                assert name in categories, name
                assert value in options, value
                assert {"id": options[value]} in categories[name]["categoryOptions"]


def test_a_ministrys_own_org_units_are_referred_to_not_made(built: Workspace,
                                                            tmp_path: Path) -> None:
    own = tmp_path / "dhis2-mapping.json"
    own.write_text(json.dumps({"orgUnits": {"NE-8": "ImspTQPwCqd", "NE-2": "DIFFA_REGION"}}))
    meta = json.loads(_export(built, tmp_path / "m.json", "dhis2-metadata", dhis2_mapping=own)
                      .read_text("utf-8"))
    data = json.loads(_export(built, tmp_path / "d.json", "dhis2-json", dhis2_mapping=own)
                      .read_text("utf-8"))
    units = _codes(meta, "organisationUnits")
    assert "NE-8" not in units and "NE-2" not in units and "NE-5" in units
    (data_set,) = meta["dataSets"]
    assert {"id": "ImspTQPwCqd"} in data_set["organisationUnits"]
    assert {"code": "DIFFA_REGION"} in data_set["organisationUnits"]
    sent = {dv["orgUnit"] for dv in data["dataValues"]}
    assert "ImspTQPwCqd" in sent and "DIFFA_REGION" in sent
    ours = {u["id"] for u in meta["organisationUnits"]}
    referred = {ref.get("id") or ref.get("code") for ref in data_set["organisationUnits"]}
    for unit in sent:
        assert unit in units or unit in referred, unit
    assert ours <= referred


def test_uids_are_dhis2_uids_and_stable() -> None:
    assert uid("dataElement", "JSD_PARTICIPANTS") == uid("dataElement", "JSD_PARTICIPANTS")
    assert uid("dataElement", "JSD_PARTICIPANTS") != uid("dataSet", "JSD_PARTICIPANTS")
    many = {uid("categoryOption", f"C{n}") for n in range(2000)}
    assert len(many) == 2000 and all(UID.match(u) for u in many)


def test_names_follow_the_language(built: Workspace, tmp_path: Path) -> None:
    fr = json.loads(_export(built, tmp_path / "fr.json", "dhis2-metadata", lang="fr")
                    .read_text("utf-8"))
    en = json.loads(_export(built, tmp_path / "en.json", "dhis2-metadata", lang="en")
                    .read_text("utf-8"))
    name = {e["code"]: e["name"] for e in fr["dataElements"]}
    assert name["JSD_SESSIONS_HELD"] == "Séances tenues"
    assert {e["code"]: e["name"] for e in en["dataElements"]}["JSD_SESSIONS_HELD"] == \
        "Sessions held"
    # The same UIDs whatever the language: a re-import in English renames, never duplicates.
    assert [o["id"] for o in fr["categoryOptions"]] == [o["id"] for o in en["categoryOptions"]]
