"""Indicator reports: CSV (byte-identical on SQLite and PostgreSQL), XLSX, quarterly PDF, DHIS2
ADX and dataValueSets JSON, the mapping file, and the command line's bad-input exits."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jsd_desk.domain.errors import InputRefused
from jsd_desk.reports.dhis2 import ADX_NS, load_mapping
from jsd_desk.services.indicators import INDICATORS, Breakdown, Filters, compute
from jsd_desk.services.reports import ReportOptions, export_report
from jsd_desk.services.workspace import Workspace
from tests import indicator_data
from tests.conftest import PASSPHRASE
from tests.indicator_data import AS_OF
from tests.replicas import copy_events, events_of, introduce

JSD = Path(sys.executable).with_name("jsd-desk")
NOW = dt.datetime(2026, 7, 1, 9, 30)
Q1 = Filters(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 3, 31))
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


@pytest.fixture
def built(make_workspace: Callable[..., Workspace]) -> Workspace:
    ws = make_workspace()
    indicator_data.build(ws.store)
    return ws


def _export(ws: Workspace, out: Path, fmt: str, **kw: object) -> Path:
    options = ReportOptions(format=fmt, as_of=AS_OF, **kw)  # type: ignore[arg-type]
    export_report(ws.store, options, out, now=NOW)
    return out


def test_csv_is_tidy_and_byte_identical_on_sqlite_and_postgresql(
        pg_database: str, make_workspace: Callable[..., Workspace], tmp_path: Path) -> None:
    # The same events on two databases: a facilitator's SQLite store and the ministry's hub.
    office = make_workspace()
    indicator_data.build(office.store)
    hub = make_workspace("ministry", "analyst", database_url=pg_database)
    introduce(hub, office)
    assert copy_events(hub, events_of(office)) > 50
    outputs = [_export(ws, tmp_path / f"{ws.store.engine.dialect.name}.csv", "csv").read_bytes()
               for ws in (office, hub)]
    assert hub.store.engine.dialect.name == "postgresql"
    assert outputs[0] == outputs[1]
    # The command line on the hub (its data folder names the PostgreSQL database) says the same.
    cli = tmp_path / "cli.csv"
    result = subprocess.run(
        [str(JSD), "report", "--data-dir", str(hub.data_dir.root), "--format", "csv", "--out",
         str(cli), "--as-of", AS_OF.isoformat()], capture_output=True, text=True, timeout=120,
        env={**os.environ, "JSD_DESK_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 0, result.stderr
    assert cli.read_bytes() == outputs[0]
    rows = list(csv.reader(io.StringIO(outputs[0].decode("utf-8-sig"), newline="")))
    assert rows[0] == ["indicator", "place", "period", "category", "gender", "value"]
    cells = {tuple(r[:5]): r[5] for r in rows[1:]}
    assert len(cells) == len(rows) - 1  # one row per figure
    assert cells[("sessions_held", "NE-8", "2026-01", "_T", "")] == "1"
    assert cells[("participants", "NE-8", "2026-01", "youth", "f")] == "4"
    assert cells[("participants", "_T", "2026-01", "_T", "_T")] == "12"  # all places together
    assert cells[("complaints_share_open_30", "_T", "2026-01", "_T", "")] == "0.5000"  # c2 of c1 c2
    assert cells[("complaints_days_to_resolve_median", "NE-8", "2026-01", "_T", "")] == "25.0"
    assert {r[0] for r in rows[1:]} == {i.code for i in INDICATORS}
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", r[5]) for r in rows[1:])


def test_xlsx_has_a_sheet_per_indicator_with_numbers_and_french_headers(
        built: Workspace, tmp_path: Path) -> None:
    path = _export(built, tmp_path / "r.xlsx", "xlsx", lang="fr", filters=Q1)
    wb = load_workbook(path)
    assert len(wb.sheetnames) == 1 + len(INDICATORS)
    about = wb.worksheets[0]
    about_text = " ".join(str(c.value) for row in about.iter_rows() for c in row if c.value)
    assert "Période" in about_text and "Date de référence" in about_text
    assert "complaints_days_to_resolve_p90" in about_text  # every figure explained
    participants = wb.worksheets[1 + [i.code for i in INDICATORS].index("participants")]
    header_row = next(r for r in participants.iter_rows(values_only=True) if r[0] == "Code du lieu")
    assert header_row[-1].startswith("Valeur") and "Sexe" in header_row
    rows = [r for r in participants.iter_rows(values_only=True)][5:]
    assert rows and all(isinstance(r[-1], int) for r in rows)
    assert ("NE-8", "Niamey", "2026-01", "youth", "Jeunes", "f", "Femmes", 4) in rows
    shares = wb.worksheets[1 + [i.code for i in INDICATORS].index("participants_share_women")]
    last = [r for r in shares.iter_rows()][5:]
    # A share is a number (0–1) shown as a percentage; Excel keeps 1.0 as 1.
    assert last and all(isinstance(r[-1].value, int | float) and r[-1].number_format == "0.0%"
                        and 0 <= r[-1].value <= 1 for r in last)
    assert any(isinstance(r[-1].value, float) and 0 < r[-1].value < 1 for r in last)


@pytest.mark.parametrize("lang, title, quarter", [("fr", "Rapport trimestriel", "T1 2026"),
                                                  ("en", "Quarterly report", "Q1 2026")])
def test_quarterly_pdf_renders_with_embedded_fonts_only(
        built: Workspace, tmp_path: Path, lang: str, title: str, quarter: str) -> None:
    path = _export(built, tmp_path / f"q-{lang}.pdf", "pdf", lang=lang, filters=Q1)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    lines = fonts.stdout.splitlines()[2:]
    assert lines and all(line.split()[-5] == "yes" for line in lines), fonts.stdout  # emb
    assert not any("Helvetica" in line for line in lines)
    shown = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert title in shown and quarter in shown
    assert re.search(r"\b20\s+participants", shown)  # s1 18 + s5 2 in the first quarter
    pages = tmp_path / f"page-{lang}"
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(pages)], check=True)
    assert len(list(tmp_path.glob(f"page-{lang}*.png"))) >= 3


def test_adx_is_well_formed_ihe_adx(built: Workspace, tmp_path: Path) -> None:
    path = _export(built, tmp_path / "r.adx.xml", "adx")
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{ADX_NS}}}adx"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", root.attrib["exported"])
    groups = root.findall(f"{{{ADX_NS}}}group")
    assert groups and {g.attrib["period"] for g in groups} >= {"2026-01-01/P1M", "2026-04-01/P1M"}
    found: dict[tuple[str, str, frozenset[tuple[str, str]]], str] = {}
    for group in groups:
        assert {"orgUnit", "period", "dataSet"} <= set(group.attrib)
        assert re.fullmatch(r"\d{4}-\d\d-01/P1M", group.attrib["period"])
        for dv in group:
            assert dv.tag == f"{{{ADX_NS}}}dataValue"
            assert {"dataElement", "value"} <= set(dv.attrib)
            assert all(NCNAME.match(name) for name in dv.attrib)
            assert dv.attrib["value"].isdigit()
            coords = frozenset((k, v) for k, v in dv.attrib.items() if k != "value")
            found[(group.attrib["orgUnit"], group.attrib["period"], coords)] = dv.attrib["value"]
    police_men = frozenset({("dataElement", "JSD_PARTICIPANTS"), ("JSD_GENDER", "JSD_G_M"),
                            ("JSD_PARTICIPANT_CATEGORY", "JSD_PC_POLICE")})
    assert found[("NE-8", "2026-01-01/P1M", police_men)] == "3"
    # Totals and the unknown place are not sent: DHIS2 adds up the cells itself.
    assert not any(g.attrib["orgUnit"] in ("_T", "_U") for g in groups)


def test_data_value_sets_json_has_dhis2_shape(built: Workspace, tmp_path: Path) -> None:
    path = _export(built, tmp_path / "r.json", "dhis2-json", period="quarter")
    body = json.loads(path.read_text("utf-8"))
    assert body["dataSet"] == "JSD_DIALOGUE" and isinstance(body["dataValues"], list)
    for dv in body["dataValues"]:
        assert set(dv) == {"dataElement", "period", "orgUnit", "categoryOptionCombo", "value"}
        assert re.fullmatch(r"\d{4}Q[1-4]", dv["period"]) and dv["value"].isdigit()
    participants = [dv for dv in body["dataValues"] if dv["dataElement"] == "JSD_PARTICIPANTS"]
    assert sum(int(dv["value"]) for dv in participants) == 21  # 23, less the 2 with no place
    assert {"orgUnit": "NE-8", "period": "2026Q1", "dataElement": "JSD_PARTICIPANTS",
            "categoryOptionCombo": "JSD_PC_YOUTH_JSD_G_F", "value": "4"} in participants


def test_a_ministry_mapping_overrides_codes_and_bad_codes_are_refused(
        built: Workspace, tmp_path: Path) -> None:
    own = tmp_path / "dhis2-mapping.json"
    own.write_text(json.dumps({"orgUnits": {"NE-8": "ImspTQPwCqd"},
                               "categoryOptionCombos": {"JSD_PC_YOUTH,JSD_G_F": "cocYouthF01"}}))
    path = _export(built, tmp_path / "r.json", "dhis2-json", dhis2_mapping=own)
    values = json.loads(path.read_text("utf-8"))["dataValues"]
    assert {"ImspTQPwCqd", "NE-2"} <= {dv["orgUnit"] for dv in values}
    assert "NE-8" not in {dv["orgUnit"] for dv in values}
    assert "cocYouthF01" in {dv["categoryOptionCombo"] for dv in values}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"categories": {"gender": {"code": "1 GENDER"}}}))
    with pytest.raises(InputRefused, match="1 GENDER"):
        load_mapping(bad)
    bad.write_text("{not json")
    with pytest.raises(InputRefused, match="line 1"):
        load_mapping(bad)
    assert load_mapping().data_elements["participants"] == "JSD_PARTICIPANTS"


def test_report_cli_writes_and_refuses_bad_input_with_status_2(
        built: Workspace, tmp_path: Path) -> None:
    root = str(built.data_dir.root)
    env = {**os.environ, "JSD_DESK_PASSPHRASE": PASSPHRASE, "LANGUAGE": "fr"}

    def jsd(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(JSD), "report", "--data-dir", root, *args],
                              capture_output=True, text=True, timeout=120, env=env)

    out = tmp_path / "r.csv"
    done = jsd("--format", "csv", "--out", str(out), "--place", "NE-8", "--period", "quarter",
               "--place-level", "commune", "--as-of", "2026-06-30")
    assert done.returncode == 0, done.stderr
    assert "Rapport csv écrit" in done.stdout
    text = out.read_text("utf-8-sig")
    assert "sessions_held,NE-8-C1,2026-Q1,_T,,2" in text and "NE-2" not in text
    done = jsd("--format", "csv", "--out", str(out), "--platform", "Plateforme de Diffa",
               "--period", "all", "--as-of", "2026-06-30")
    assert done.returncode == 0, done.stderr
    assert "sessions_held,_T,_T,_T,,1" in out.read_text("utf-8-sig")
    for args, words in [
            (("--format", "csv", "--from", "2026-03-01", "--to", "2026-01-01"), "inversée"),
            (("--format", "csv", "--from", ""), "vide"),
            (("--format", "csv", "--from", "2026-02-30"), "n'est pas une date"),
            (("--format", "docx"), "docx"),
            (("--format", "pdf", "--lang", "de"), "de"),
            (("--format", "csv", "--period", "week"), "week"),
            (("--format", "csv", "--place", "XX-9"), "XX-9"),
            (("--format", "csv", "--platform", "Nulle part"), "Nulle part"),
            (("--format", "csv", "--kind", "picnic"), "picnic"),
            (("--format", "adx", "--period", "all"), "DHIS2")]:
        target = tmp_path / "bad.out"
        result = jsd(*args, "--out", str(target))
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0] and "Traceback" not in result.stderr, args
        assert not target.exists()
    assert shutil.which("pdftoppm")  # the PDF checks above ran for real
    assert compute(built.store, breakdown=Breakdown(None, "all"), as_of=AS_OF).values


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "adx"])
def test_progress_ends_done_and_cancel_writes_nothing(built: Workspace, tmp_path: Path,
                                                      fmt: str) -> None:
    from jsd_desk.services.minutes import ExportCancelled

    seen: list[tuple[int, int]] = []
    out = tmp_path / f"r.{fmt}"
    export_report(built.store, ReportOptions(format=fmt, as_of=AS_OF, filters=Q1), out, now=NOW,
                  progress=lambda done, total: seen.append((done, total)))
    assert out.is_file() and seen[-1][0] == seen[-1][1] and len(seen) >= 3
    assert all(done <= total for done, total in seen)
    calls = iter(range(1000))
    late = tmp_path / f"late.{fmt}"
    with pytest.raises(ExportCancelled):  # cancelled once the figures are in: nothing written
        export_report(built.store, ReportOptions(format=fmt, as_of=AS_OF, filters=Q1), late,
                      now=NOW, cancelled=lambda: next(calls) >= 1)
    assert not late.exists() and not list(tmp_path.glob(".late*"))
