"""The XLSX workbook: a sheet saying what each figure means and which records it covers, then
one sheet per indicator with real numbers (not text) in the value cells, headers in the
document's language, filters and frozen headers ready for a pivot table."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jsd_desk.i18n import N_
from jsd_desk.reports import indicator_text as words
from jsd_desk.reports.localize import Tr
from jsd_desk.services.indicators import INDICATORS, Indicator, IndicatorSet

NUMBER_FORMATS = {"count": "#,##0", "share": "0.0%", "days": "0.0"}
_HEAD = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
_TITLE = Font(bold=True, size=14, color="1F4E79")
_MUTED = Font(italic=True, color="5A6470")
_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(tr: Tr, ind: Indicator, taken: set[str]) -> str:
    name = tr(ind.short or ind.title).translate(_BAD_SHEET_CHARS).strip()[:31]
    base, n = name, 2
    while name.casefold() in taken:  # Excel compares sheet names without case
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width


def _about(ws: Worksheet, tr: Tr, result: IndicatorSet, names: dict[str, str],
           generated: dt.datetime) -> None:
    ws.append([tr(N_("Community–police dialogue: indicators"))])
    ws["A1"].font = _TITLE
    ws.append([tr(N_("Generated on {date} by JSD Desk."), date=tr.date(generated.date()))])
    ws["A2"].font = _MUTED
    ws.append([])
    ws.append([tr(N_("Records covered"))])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    for what, value in words.filter_lines(tr, result):
        ws.append([what, value])
    ws.append([tr(N_("Breakdown")), words.breakdown_text(tr, result)])
    ws.append([])
    ws.append([tr(N_("Codes: “_T” is the total over a column, “_U” a value not recorded. Rows with "
                  "place “_T” cover all places together."))])
    ws.cell(ws.max_row, 1).font = _MUTED
    ws.append([])
    header = [tr(N_("Sheet")), tr(N_("Indicator")), tr(N_("Code")), tr(N_("Unit")), tr(N_("What it counts"))]
    ws.append(header)
    row = ws.max_row
    for col in range(1, len(header) + 1):
        ws.cell(row, col).font = _HEAD
        ws.cell(row, col).fill = _HEAD_FILL
    for ind in INDICATORS:
        ws.append([names[ind.code], tr(ind.title), ind.code, tr(words.UNITS[ind.unit]),
                   tr(ind.meaning)])
        ws.cell(ws.max_row, 5).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(ws.max_row, 1).hyperlink = f"#'{names[ind.code]}'!A1"
    _widths(ws, [28, 40, 34, 12, 90])


def _indicator_sheet(ws: Worksheet, tr: Tr, result: IndicatorSet, ind: Indicator) -> None:
    ws.append([tr(ind.title)])
    ws["A1"].font = _TITLE
    ws.append([tr(ind.meaning)])
    ws["A2"].font = _MUTED
    ws.append([" · ".join(tr(N_("{what}: {value}"), what=what, value=value)
                          for what, value in words.filter_lines(tr, result))])
    ws["A3"].font = _MUTED
    ws.append([])
    header = [tr(N_("Place code")), tr(N_("Place")), tr(N_("Period"))]
    if ind.category:
        header += [tr(N_("Code")), words.dimension_title(tr, ind.category)]
    if ind.option:
        header += [tr(N_("Code")), words.dimension_title(tr, ind.option)]
    header.append(f"{tr('Value')} ({tr(words.UNITS[ind.unit])})")
    ws.append(header)
    head_row = ws.max_row
    for col in range(1, len(header) + 1):
        cell = ws.cell(head_row, col)
        cell.font = _HEAD
        cell.fill = _HEAD_FILL
    fmt = NUMBER_FORMATS[ind.unit]
    for v in result.of(ind.code):
        row: list[object] = [v.place, words.place_label(tr, result, v.place), v.period]
        if ind.category:
            row += [v.category, words.label(tr, result, ind.category, v.category)]
        if ind.option:
            row += [v.option, words.label(tr, result, ind.option, v.option)]
        row.append(v.value)  # a number: int for counts, float for shares and days
        ws.append(row)
        ws.cell(ws.max_row, len(row)).number_format = fmt
    last = get_column_letter(len(header))
    ws.auto_filter.ref = f"A{head_row}:{last}{max(ws.max_row, head_row)}"
    ws.freeze_panes = f"A{head_row + 1}"
    widths = [14, 26, 22] + ([14, 34] if ind.category else []) + ([12, 14] if ind.option else [])
    _widths(ws, [*widths, 16])


def render_xlsx(result: IndicatorSet, lang: str, *, generated: dt.datetime) -> bytes:
    tr = Tr(lang)
    wb = Workbook()
    about = wb.active
    assert about is not None
    taken: set[str] = set()
    about.title = tr(N_("About these figures"))[:31]
    taken.add(about.title.casefold())
    names = {ind.code: sheet_name(tr, ind, taken) for ind in INDICATORS}
    _about(about, tr, result, names, generated)
    for ind in INDICATORS:
        _indicator_sheet(wb.create_sheet(names[ind.code]), tr, result, ind)
    wb.properties.title = tr(N_("Community–police dialogue: indicators"))
    wb.properties.creator = "JSD Desk"
    wb.properties.language = lang
    # Fixed stamps: the same figures give the same workbook, whenever it is written.
    wb.properties.created = wb.properties.modified = generated.replace(microsecond=0)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
