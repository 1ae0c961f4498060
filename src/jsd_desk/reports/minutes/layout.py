"""The shared layout of the minutes: the content width, data tables and the small helpers
every section uses (``Builder``)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table

from jsd_desk.reports import fonts
from jsd_desk.reports.localize import DASH, Tr
from jsd_desk.reports.minutes.data import MinutesData
from jsd_desk.reports.pdfdoc import ACCENT, INK, RULE, SHADE, SHADE_LIGHT, Heading, Styles, text

CONTENT_WIDTH = 174 * mm  # A4 less 18 mm margins


def data_table(rows: list[list[Flowable | str]], widths: Sequence[float], *, header_rows: int = 1,
           total_row: bool = False, zebra: bool = True, right: Sequence[int] = ()) -> Table:
    """A data table. Cells that are plain strings (numbers, dates: one short line) are drawn
    directly, much faster than a Paragraph; ``right`` lists the columns aligned right."""
    table = Table(rows, colWidths=list(widths), repeatRows=header_rows, hAlign="LEFT")
    style: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("LEADING", (0, 0), (-1, -1), 11),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, ACCENT),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
    ]
    if zebra and len(rows) > header_rows + 1:
        style.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [None, SHADE_LIGHT]))
    style += [("ALIGN", (col, 0), (col, -1), "RIGHT") for col in right]
    if total_row:
        style += [("BACKGROUND", (0, -1), (-1, -1), SHADE),
                  ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT)]
    table.setStyle(style)
    return table


class Builder:
    """The story of one document being built; each section mixin appends to it."""

    def __init__(self, data: MinutesData, tr: Tr, profile: str, styles: Styles) -> None:
        self.d = data
        self.t = tr
        self.profile = profile
        self.s = styles
        self.number = 0
        self.story: list[Flowable] = []

    # -- small helpers --------------------------------------------------------------------------

    def p(self, value: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(value, style or self.s.body)

    def cell(self, value: str | None, *, bold: bool = False, right: bool = False) -> Paragraph:
        style = self.s.cell_bold if bold else self.s.cell_right if right else self.s.cell
        return Paragraph(text(value) if value else DASH, style)

    def head(self, value: str, *, right: bool = False) -> Paragraph:
        return Paragraph(text(value), self.s.cell_head_right if right else self.s.cell_head)

    def heading(self, key: str, label: str) -> None:
        self.number += 1
        self.story.append(CondPageBreak(30 * mm))
        self.story.append(Heading(f"{self.number}. {label}", self.s.h1, key))

    def none(self, label: str) -> None:
        self.story.append(self.p(text(label), self.s.muted))
