"""The machinery every PDF of ours shares: embedded fonts, styles, running header and footer with
"page x of y", a DRAFT watermark, bookmarks for headings, metadata, progress and cancel.

The document is built in one pass into memory: "of y" is a form XObject drawn on every page and
defined once the last page is known, so the page count costs no second layout pass. The caller
writes the bytes atomically; nothing touches the disk here.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from jsd_desk.reports import fonts

Progress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]

INK = colors.HexColor("#1B1F24")
MUTED = colors.HexColor("#5A6470")
ACCENT = colors.HexColor("#1F4E79")
RULE = colors.HexColor("#B8C4D2")
SHADE = colors.HexColor("#E9EFF6")
SHADE_LIGHT = colors.HexColor("#F5F8FB")
ALERT = colors.HexColor("#B3261E")
ALERT_BACKGROUND = colors.HexColor("#FCEEEE")

_TOTAL_FORM = "jsdPageTotal"


class BuildCancelled(Exception):
    """Raised inside the build when the caller's ``cancelled()`` says so; nothing is kept."""


def text(value: str | None) -> str:
    """Plain text made safe for a Paragraph: markup escaped, line breaks kept."""
    return escape(value or "").replace("\n", "<br/>")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_right: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    banner: ParagraphStyle
    big_code: ParagraphStyle
    center: ParagraphStyle


def make_styles() -> Styles:
    family = fonts.register_fonts()
    base = ParagraphStyle("body", fontName=family, fontSize=9.5, leading=13, textColor=INK,
                          spaceAfter=4)
    cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11, spaceAfter=0)
    head = ParagraphStyle("cell_head", parent=cell, fontName=fonts.BOLD, textColor=ACCENT)
    return Styles(
        body=base,
        small=ParagraphStyle("small", parent=base, fontSize=8, leading=10.5),
        muted=ParagraphStyle("muted", parent=base, fontSize=8.5, leading=11.5, textColor=MUTED),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=fonts.BOLD),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=2),
        cell_head=head,
        cell_head_right=ParagraphStyle("cell_head_right", parent=head, alignment=2),
        title=ParagraphStyle("title", parent=base, fontName=fonts.BOLD, fontSize=17, leading=21,
                             textColor=ACCENT, spaceAfter=2),
        subtitle=ParagraphStyle("subtitle", parent=base, fontSize=11.5, leading=15,
                                textColor=INK, spaceAfter=8),
        h1=ParagraphStyle("h1", parent=base, fontName=fonts.BOLD, fontSize=12, leading=15,
                          textColor=ACCENT, spaceBefore=12, spaceAfter=5),
        banner=ParagraphStyle("banner", parent=base, fontName=fonts.BOLD, fontSize=9.5,
                              leading=13, textColor=ALERT, spaceAfter=0),
        big_code=ParagraphStyle("big_code", parent=base, fontName=fonts.BOLD, fontSize=26,
                                leading=32, alignment=TA_CENTER, textColor=INK),
        center=ParagraphStyle("center", parent=base, alignment=TA_CENTER),
    )


class Heading(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A section heading that becomes a bookmark (outline entry) where it lands."""

    def __init__(self, label: str, style: ParagraphStyle, key: str, level: int = 0) -> None:
        super().__init__(text(label), style)
        self.label = label
        self.outline_key = key
        self.outline_level = level


@dataclass(frozen=True)
class DocMeta:
    title: str
    author: str
    subject: str
    keywords: str
    lang: str  # BCP 47, written as the catalog's /Lang
    creator: str = "JSD Desk"


@dataclass(frozen=True)
class PageDecor:
    """What is printed around the content of every page, already in the document's language."""

    footer_left: str
    footer_center: str  # printed after footer_left, never over the page number
    page_of: str  # e.g. "Page {page} of {pages}"
    header: str | None = None  # from page 2 on
    watermark: str | None = None  # DRAFT / PROVISOIRE
    header_first: bool = False


@dataclass
class _Counter:
    total: int
    done: int = 0
    progress: Progress | None = None
    cancelled: CancelCheck | None = None
    pages: int = 0

    def step(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise BuildCancelled
        self.done = min(self.done + 1, self.total)
        if self.progress is not None:
            self.progress(self.done, self.total)


def _canvas_class(counter: _Counter) -> type[Canvas]:
    class JsdCanvas(Canvas):  # type: ignore[misc]
        def save(self) -> None:
            # The total page count, drawn on every page through this one form.
            self.beginForm(_TOTAL_FORM)
            self.setFont(fonts.REGULAR, 7.5)
            self.setFillColor(MUTED)
            self.drawString(0, 0, str(counter.pages))
            self.endForm()
            super().save()

    return JsdCanvas


class _Document(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buf: io.BytesIO, counter: _Counter, decor: PageDecor, meta: DocMeta,
                 pagesize: tuple[float, float], margins: tuple[float, float, float, float]) -> None:
        left, right, top, bottom = margins
        super().__init__(buf, pagesize=pagesize, leftMargin=left, rightMargin=right,
                         topMargin=top, bottomMargin=bottom, title=meta.title,
                         author=meta.author, subject=meta.subject, keywords=meta.keywords,
                         creator=meta.creator, lang=meta.lang,
                         initialFontName=fonts.REGULAR, initialFontSize=9.5,
                         initialLeading=13)
        self.counter = counter
        self.decor = decor
        frame = Frame(left, bottom, pagesize[0] - left - right, pagesize[1] - top - bottom,
                      id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's hook
        if isinstance(flowable, Heading):
            self.canv.bookmarkPage(flowable.outline_key)
            self.canv.addOutlineEntry(flowable.label, flowable.outline_key,
                                      level=flowable.outline_level, closed=False)
        self.counter.step()

    def _decorate(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        if self.counter.cancelled is not None and self.counter.cancelled():
            raise BuildCancelled
        self.counter.pages = doc.page
        width, height = self.pagesize
        left, right = self.leftMargin, width - self.rightMargin
        decor = self.decor
        canv.saveState()
        if decor.watermark:
            canv.setFillColor(ALERT, alpha=0.09)
            canv.setFont(fonts.BOLD, 72)
            canv.translate(width / 2, height / 2)
            canv.rotate(45)
            canv.drawCentredString(0, -24, decor.watermark)
            canv.rotate(-45)
            canv.translate(-width / 2, -height / 2)
        canv.setFillColor(MUTED)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        if decor.header and (doc.page > 1 or decor.header_first):
            y = height - self.topMargin + 6 * mm
            canv.setFont(fonts.REGULAR, 7.5)
            canv.drawString(left, y, _fit(decor.header, right - left, fonts.REGULAR, 7.5))
            canv.line(left, y - 2 * mm, right, y - 2 * mm)
        y = self.bottomMargin - 7 * mm
        canv.line(left, y + 3.5 * mm, right, y + 3.5 * mm)
        canv.setFont(fonts.REGULAR, 7.5)
        # "Page x of " ends where the form holding y begins; room is kept for three digits.
        before, _sep, after = decor.page_of.partition("{pages}")
        room = stringWidth("999", fonts.REGULAR, 7.5)
        after_text = after.format(page=doc.page)
        after_w = stringWidth(after_text, fonts.REGULAR, 7.5)
        x_total = right - room - after_w
        before_text = before.format(page=doc.page)
        canv.drawRightString(x_total, y, before_text)
        footer = "  ·  ".join(x for x in (decor.footer_left, decor.footer_center) if x)
        free = x_total - stringWidth(before_text, fonts.REGULAR, 7.5) - 6 * mm - left
        canv.drawString(left, y, _fit(footer, free, fonts.REGULAR, 7.5))
        canv.saveState()
        canv.translate(x_total, y)
        canv.doForm(_TOTAL_FORM)
        canv.restoreState()
        if after_text:
            canv.drawRightString(right, y, after_text)
        canv.restoreState()


def _fit(value: str, width: float, font: str, size: float) -> str:
    """Shorten a one-line text with an ellipsis so that it fits ``width``."""
    if stringWidth(value, font, size) <= width:
        return value
    while value and stringWidth(value + "…", font, size) > width:
        value = value[:-1]
    return value.rstrip() + "…"


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def build_pdf(story: Sequence[Flowable], meta: DocMeta, decor: PageDecor, *,
              pagesize: tuple[float, float] = A4,
              margins: tuple[float, float, float, float] = (18 * mm, 18 * mm, 20 * mm, 20 * mm),
              progress: Progress | None = None,
              cancelled: CancelCheck | None = None) -> RenderedPdf:
    """Lay out ``story`` and return the PDF bytes. ``progress(done, total)`` counts flowables;
    ``cancelled()`` returning True stops the build with ``BuildCancelled``."""
    fonts.register_fonts()
    counter = _Counter(total=max(len(story), 1), progress=progress, cancelled=cancelled)
    if cancelled is not None and cancelled():
        raise BuildCancelled
    buf = io.BytesIO()
    doc = _Document(buf, counter, decor, meta, pagesize, margins)
    doc.build(list(story), canvasmaker=_canvas_class(counter))
    return RenderedPdf(buf.getvalue(), counter.pages)
