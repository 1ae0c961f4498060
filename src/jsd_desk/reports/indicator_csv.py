"""The tidy CSV: one row per figure — indicator, place, period, category, gender, value.

Codes only (no translated label), so a script reads the same columns whatever the language;
UTF-8 with a byte-order mark (Excel then shows accents right; pandas and ``csv`` with
``utf-8-sig`` read it as is); values written by their unit's fixed decimals, so the bytes depend
on the figures alone, not on the database that computed them.
"""

from __future__ import annotations

import csv
import io

from jsd_desk.services.indicators import DECIMALS, IndicatorSet, indicator

HEADER = ("indicator", "place", "period", "category", "gender", "value")


def value_cell(code: str, value: int | float) -> str:
    digits = DECIMALS[indicator(code).unit]
    return str(int(value)) if digits == 0 else f"{value:.{digits}f}"


def render_csv(result: IndicatorSet) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADER)
    for v in result.values:
        writer.writerow((v.indicator, v.place, v.period, v.category, v.option,
                         value_cell(v.indicator, v.value)))
    return buf.getvalue().encode("utf-8-sig")
