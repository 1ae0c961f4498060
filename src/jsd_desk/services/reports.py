"""Indicator reports (``jsd-desk report``): XLSX, tidy CSV, quarterly PDF, DHIS2 ADX and
``dataValueSets`` JSON — every one drawn from the same ``services.indicators`` values.

A report is built in memory and written atomically: a failure leaves no partial file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from jsd_desk.domain.errors import InputRefused, UsageError
from jsd_desk.files import atomic_write
from jsd_desk.i18n import N_
from jsd_desk.services.indicators import (
    Breakdown,
    Filters,
    Grain,
    IndicatorSet,
    compute,
    last_full_quarter,
)
from jsd_desk.store.writer import Store

if TYPE_CHECKING:
    from jsd_desk.reports.dhis2_metadata import OrgPlace

# reportlab and the minutes service load only when a report is written: ``jsd-desk`` starts fast.
Progress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]

FORMATS = ("xlsx", "csv", "pdf", "adx", "dhis2-json", "dhis2-metadata")
DHIS2_FORMATS = ("adx", "dhis2-json", "dhis2-metadata")
LANGUAGES = ("fr", "en")
SUFFIXES = {"xlsx": ".xlsx", "csv": ".csv", "pdf": ".pdf", "adx": ".xml", "dhis2-json": ".json",
            "dhis2-metadata": ".json"}


@dataclass(frozen=True)
class ReportOptions:
    format: str
    lang: str = "fr"
    filters: Filters = field(default_factory=Filters)
    place_level: str | None = None  # None: by region (the mapping's level for DHIS2)
    period: Grain | None = None  # None: month (xlsx, csv), the mapping's (DHIS2)
    dhis2_mapping: Path | None = None
    as_of: dt.date | None = None

    def check(self) -> None:
        if self.format not in FORMATS:
            raise UsageError(N_("Unknown report format “{format}”: use xlsx, csv, pdf, adx, "
                                "dhis2-json or dhis2-metadata."), format=self.format)
        if self.lang not in LANGUAGES:
            raise UsageError(N_("Unknown language “{lang}”: use fr or en."), lang=self.lang)
        if self.format in DHIS2_FORMATS and self.period == "all":
            raise UsageError(N_("DHIS2 takes months, quarters or years: use --period month, "
                                "quarter or year."))


@dataclass(frozen=True)
class WrittenReport:
    path: Path
    format: str
    values: int  # figures written (data values for DHIS2)
    pages: int | None = None
    left_out: int = 0  # DHIS2: values without a place or a DHIS2 code


def report_set(store: Store, filters: Filters, place_level: str | None, period: Grain, *,
               as_of: dt.date) -> IndicatorSet:
    """The values by place at ``place_level`` and, beside them, for all places together
    (place ``_T``): one table that says both, computed once each."""
    by_place = compute(store, filters, Breakdown(place_level, period), as_of=as_of)
    if place_level is None:
        return by_place
    together = compute(store, filters, Breakdown(None, period), as_of=as_of)
    values = tuple(sorted((*by_place.values, *together.values), key=lambda v: v.sort_key()))
    return IndicatorSet(filters, by_place.breakdown, as_of, values, by_place.names)


def org_places(store: Store) -> list[OrgPlace]:
    """The live places of the tree, as DHIS2 org units are made of them (a place without a code
    goes by its id, as the indicators name it)."""
    from jsd_desk.reports.dhis2_metadata import OrgPlace
    from jsd_desk.services.platforms import place_nodes

    nodes = place_nodes(store)
    code = {n.id: n.code or n.id for n in nodes}
    return [OrgPlace(code[n.id], n.name or code[n.id], n.level,
                     code.get(n.parent_id) if n.parent_id else None) for n in nodes]


def _write(out_path: Path, data: bytes) -> None:
    try:
        atomic_write(out_path, data, 0o644)
    except OSError as exc:
        raise InputRefused(N_("The file {path} cannot be written ({reason})."),
                           path=str(out_path), reason=exc.strerror or type(exc).__name__) from None


def quarter_filters(filters: Filters, today: dt.date) -> Filters:
    """A quarterly report without dates covers the last full quarter."""
    if filters.date_from or filters.date_to:
        return filters
    start, end = last_full_quarter(today)
    return Filters(filters.place_id, filters.platform_id, filters.kind, start, end)


def export_report(store: Store, options: ReportOptions, out_path: Path | str, *,
                  now: dt.datetime | None = None, data_dir: Path | None = None,
                  progress: Progress | None = None,
                  cancelled: CancelCheck | None = None) -> WrittenReport:
    """Write the report ``options`` asks for to ``out_path``. ``data_dir`` is where a ministry's
    own ``dhis2-mapping.json`` is looked for when no mapping file is given. ``progress(done,
    total)`` is called as the work goes; ``cancelled()`` returning True stops it with
    ``ExportCancelled`` and nothing is written (for the GUI, off its thread)."""
    options.check()
    from jsd_desk.services.minutes import ExportCancelled

    def check() -> None:
        if cancelled is not None and cancelled():
            raise ExportCancelled

    def step(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total)

    step(0, 3)
    out = Path(out_path)
    if not out.parent.is_dir():
        raise UsageError(N_("The folder of {path} does not exist."), path=str(out))
    now = now or dt.datetime.now().replace(microsecond=0)
    as_of = options.as_of or now.date()
    fmt = options.format
    if fmt in DHIS2_FORMATS:
        from jsd_desk.reports import dhis2

        mapping_file = options.dhis2_mapping
        if mapping_file is None and data_dir is not None and (data_dir / "dhis2-mapping.json").is_file():
            mapping_file = data_dir / "dhis2-mapping.json"
        mapping = dhis2.load_mapping(mapping_file)
        grain: Grain = options.period or mapping.period  # type: ignore[assignment]
        level = options.place_level or mapping.org_unit_level
        if fmt == "dhis2-metadata":
            from jsd_desk.reports.dhis2_metadata import metadata, render_json

            mapping = replace(mapping, period=grain, org_unit_level=level)
            body = metadata(mapping, org_places(store), options.lang, exported=now)
            step(2, 3)
            check()
            _write(out, render_json(body))
            step(3, 3)
            return WrittenReport(out, fmt, sum(len(v) for v in body.values()
                                               if isinstance(v, list)))
        result = compute(store, options.filters, Breakdown(level, grain), as_of=as_of)
        step(2, 3)
        check()
        export = dhis2.data_values(result, mapping)
        render = dhis2.render_adx if fmt == "adx" else dhis2.render_data_value_sets
        data = render(export, mapping, exported=now)
        check()
        _write(out, data)
        step(3, 3)
        return WrittenReport(out, fmt, len(export.values), left_out=export.left_out)
    if fmt == "pdf":
        from jsd_desk.reports.pdfdoc import BuildCancelled
        from jsd_desk.reports.quarterly import render_quarterly
        from jsd_desk.reports.quarterly_writer import QuarterlyData

        filters = quarter_filters(options.filters, as_of)
        figures = QuarterlyData(
            headline=compute(store, filters, Breakdown(None, "all"), as_of=as_of),
            by_place=compute(store, filters, Breakdown(options.place_level or "region", "all"),
                             as_of=as_of),
            by_month=compute(store, filters, Breakdown(None, "month"), as_of=as_of),
            previous=_previous(store, filters, as_of))
        step(1, 3)
        check()

        steps = [3]

        def layout(done: int, total: int) -> None:  # the figures (1), the pages, the file (1)
            steps[0] = total + 2
            step(done + 1, total + 2)

        try:
            pdf = render_quarterly(figures, options.lang, generated=now, progress=layout,
                                   cancelled=cancelled)
        except BuildCancelled:
            raise ExportCancelled from None
        check()
        _write(out, pdf.data)
        step(steps[0], steps[0])
        return WrittenReport(out, fmt, len(figures.headline.values), pages=pdf.pages)
    result = report_set(store, options.filters, options.place_level or "region",
                        options.period or "month", as_of=as_of)
    step(1, 3)
    check()
    if fmt == "csv":
        from jsd_desk.reports.indicator_csv import render_csv

        data = render_csv(result)
    else:
        from jsd_desk.reports.indicator_xlsx import render_xlsx

        data = render_xlsx(result, options.lang, generated=now)
    step(2, 3)
    check()
    _write(out, data)
    step(3, 3)
    return WrittenReport(out, fmt, len(result.values))


def _previous(store: Store, filters: Filters, as_of: dt.date) -> IndicatorSet | None:
    """The same figures for the period just before, of the same length (for comparison)."""
    if not (filters.date_from and filters.date_to):
        return None
    days = (filters.date_to - filters.date_from).days + 1
    end = filters.date_from - dt.timedelta(days=1)
    start = end - dt.timedelta(days=days - 1)
    if filters.date_from.day == 1 and (filters.date_to + dt.timedelta(days=1)).day == 1:
        # Whole months: compare with as many whole months just before.
        months = (filters.date_to.year - filters.date_from.year) * 12 + \
            filters.date_to.month - filters.date_from.month + 1
        y, m = divmod(filters.date_from.year * 12 + filters.date_from.month - 1 - months, 12)
        start = dt.date(y, m + 1, 1)
    previous = Filters(filters.place_id, filters.platform_id, filters.kind, start, end)
    return compute(store, previous, Breakdown(None, "all"), as_of=as_of)
