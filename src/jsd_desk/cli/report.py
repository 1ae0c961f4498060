"""report (DESIGN §7): indicators as XLSX, CSV, quarterly PDF, DHIS2 ADX or dataValueSets JSON.

Wrong values (format, language, dates, place, platform, kind, period) are usage errors: exit
status 2 with one sentence, checked before the store is opened, and nothing is written.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any, cast

from jsd_desk.cli.common import Progress, add_command, data_dir, open_from_args
from jsd_desk.domain import vocab
from jsd_desk.domain.errors import NotFound, UsageError
from jsd_desk.i18n import N_, _, current_language
from jsd_desk.services.indicators import GRAINS, PLACE_LEVELS, Filters, Grain
from jsd_desk.services.reports import FORMATS, LANGUAGES, ReportOptions, export_report
from jsd_desk.store.writer import Store


def register(sub: Any) -> None:
    p = add_command(sub, "report", _("write the indicators as XLSX, CSV, a quarterly PDF, "
                                     "DHIS2 data (ADX, dataValueSets JSON) or the DHIS2 metadata "
                                     "that data refers to"))
    p.add_argument("--format", required=True, metavar="|".join(FORMATS),
                   help=_("a workbook, a tidy table, the quarterly report, DHIS2 data, or "
                          "DHIS2 metadata to import first (docs/reports.md, docs/dhis2.md)"))
    p.add_argument("--out", required=True, type=Path, metavar="FILE",
                   help=_("the file to write (replaced whole, or left as it was on error)"))
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                   help=_("the first day counted (a session's start, a complaint's date received)"))
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                   help=_("the last day counted (a PDF without dates covers the last full "
                          "quarter)"))
    p.add_argument("--lang", default=None, metavar="fr|en",
                   help=_("the language of the report (default: the interface's, or French)"))
    p.add_argument("--place", "--region", dest="place", metavar="CODE",
                   help=_("only this place and the places below it, by code (e.g. NE-8)"))
    p.add_argument("--platform", metavar="ID_OR_NAME", help=_("only this dialogue platform"))
    p.add_argument("--kind", metavar="KIND",
                   help=_("only sessions of this kind: {kinds}",
                          kinds=", ".join(vocab.SESSION_KIND.codes())))
    p.add_argument("--period", metavar="|".join(GRAINS),
                   help=_("figures by month, quarter, year, or all for the whole range "
                          "(default: month)"))
    p.add_argument("--place-level", metavar="LEVEL",
                   help=_("figures by place at this level: {levels} (default: region)",
                          levels=", ".join(PLACE_LEVELS)))
    p.add_argument("--as-of", metavar="YYYY-MM-DD",
                   help=_("the reference date for overdue items and complaints still open "
                          "(default: today)"))
    p.add_argument("--dhis2-mapping", type=Path, metavar="FILE.json",
                   help=_("the ministry's DHIS2 codes, merged over the built-in mapping "
                          "(default: dhis2-mapping.json in the data folder, if any)"))
    p.set_defaults(handler=cmd_report)


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    if not value.strip():
        raise UsageError(N_("{option} is empty: give a date as YYYY-MM-DD."), option=option)
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(N_("{option} “{value}” is not a date (expected YYYY-MM-DD)."),
                         option=option, value=value[:40]) from None


def _options(args: argparse.Namespace) -> ReportOptions:
    lang = args.lang or (current_language() if current_language() in LANGUAGES else "fr")
    period = args.period
    if period is not None and period not in GRAINS:
        raise UsageError(N_("Unknown period “{period}”: use month, quarter, year or all."),
                         period=period)
    if args.place_level is not None and args.place_level not in PLACE_LEVELS:
        raise UsageError(N_("Unknown place level “{level}”."), level=args.place_level)
    if args.kind is not None and args.kind not in vocab.SESSION_KIND:
        raise UsageError(N_("Unknown kind of session “{kind}”: use one of {kinds}."),
                         kind=args.kind, kinds=", ".join(vocab.SESSION_KIND.codes()))
    filters = Filters(date_from=_date(args.date_from, "--from"),
                      date_to=_date(args.date_to, "--to"), kind=args.kind)
    options = ReportOptions(format=args.format, lang=lang, filters=filters,
                            place_level=args.place_level, period=cast(Grain | None, period),
                            dhis2_mapping=args.dhis2_mapping,
                            as_of=_date(args.as_of, "--as-of"))
    options.check()
    if not Path(args.out).parent.is_dir():
        raise UsageError(N_("The folder of {path} does not exist."), path=str(args.out))
    return options


def _platform_id(store: Store, wanted: str) -> str:
    from jsd_desk.services.choices import platform_choices

    choices = platform_choices(store)
    exact = [c.id for c in choices if wanted in (c.id, c.label)]
    prefix = [c.id for c in choices if c.id.startswith(wanted.lower())] if len(wanted) >= 4 else []
    found = exact or prefix
    if len(set(found)) != 1:
        raise UsageError(N_("No single platform matches “{platform}”."), platform=wanted)
    return found[0]


def cmd_report(args: argparse.Namespace) -> int:
    from jsd_desk.services.indicators import place_id_for

    options = _options(args)
    ws = open_from_args(args)
    try:
        place_id = platform_id = None
        if args.place:
            try:
                place_id = place_id_for(ws.store, args.place)
            except NotFound as exc:
                raise UsageError(exc.msgid, **exc.params) from None
        if args.platform:
            platform_id = _platform_id(ws.store, args.platform)
        f = options.filters
        options = ReportOptions(
            options.format, options.lang,
            Filters(place_id, platform_id, f.kind, f.date_from, f.date_to),
            options.place_level, options.period, options.dhis2_mapping, options.as_of)
        progress = Progress(_("Report"))
        try:
            written = export_report(ws.store, options, args.out, data_dir=data_dir(args),
                                    progress=progress)
        finally:
            progress.close()
    finally:
        ws.close()
    if written.format == "dhis2-metadata":
        print(_("Wrote the DHIS2 metadata to {path} ({n} objects).", path=str(written.path),
                n=written.values))
    elif written.pages is not None:
        print(_("Wrote the {format} report to {path} ({pages} pages).", format=written.format,
                path=str(written.path), pages=written.pages))
    else:
        print(_("Wrote the {format} report to {path} ({n} values).", format=written.format,
                path=str(written.path), n=written.values))
    if written.left_out:
        print(_("{n} values were left out of the DHIS2 data: their place is not recorded, or "
                "their code has no DHIS2 option in the mapping.", n=written.left_out))
    return 0
