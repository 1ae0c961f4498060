"""The receipt slip handed to a complainant (often anonymous): the reference, the receipt code
big and clear, the date, the category and how to ask about the case. Never an identity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_
from jsd_desk.reports import fonts
from jsd_desk.reports.localize import DASH, Tr
from jsd_desk.reports.pdfdoc import (
    ACCENT,
    RULE,
    SHADE,
    DocMeta,
    Heading,
    PageDecor,
    RenderedPdf,
    build_pdf,
    make_styles,
    text,
)

WIDTH = A5[0] - 2 * 14 * mm
# A slip found in a pocket must not tell what happened: these categories are not printed.
UNPRINTED_CATEGORIES = frozenset({"sgbv"})


@dataclass(frozen=True)
class ReceiptData:
    complaint_id: str
    reference: str
    receipt_code: str
    received_on: dt.date | None
    category: str | None
    channel: str | None
    platform: str | None
    place: str | None


def render_receipt(data: ReceiptData, *, lang: str, generated_at: dt.datetime) -> RenderedPdf:
    t = Tr(lang)
    s = make_styles()
    story: list[Flowable] = [
        Paragraph(text(t(N_("Justice and Security Dialogue")).upper()), s.muted),
        Heading(t(N_("Complaint receipt")), s.title, "receipt"),
        Paragraph(text(t(N_("Your complaint has been recorded. Keep this slip."))), s.subtitle),
    ]
    rows = [
        (t(N_("Reference")), data.reference),
        (t(N_("Received on")), t.date(data.received_on)),
        (t(N_("Category")), t(N_("Confidential")) if data.category in UNPRINTED_CATEGORIES
         else t.term(vocab.COMPLAINT_CATEGORY, data.category)),
        (t(N_("Received through")), t.term(vocab.COMPLAINT_CHANNEL, data.channel)),
    ]
    if data.platform:
        rows.append((t(N_("Dialogue platform")), data.platform))
    if data.place:
        rows.append((t(N_("Place")), data.place))
    details = Table([[Paragraph(text(k), s.cell_head), Paragraph(text(v or DASH), s.cell)]
                     for k, v in rows], colWidths=[38 * mm, WIDTH - 38 * mm], hAlign="LEFT")
    details.setStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                      ("VALIGN", (0, 0), (-1, -1), "TOP"),
                      ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                      ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                      ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])
    code_box = Table([[Paragraph(text(t(N_("Receipt code"))), s.center)],
                      [Paragraph(text(data.receipt_code), s.big_code)]],
                     colWidths=[WIDTH], hAlign="CENTER")
    code_box.setStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                       ("BOX", (0, 0), (-1, -1), 1.4, ACCENT),
                       ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                       ("TOPPADDING", (0, 0), (-1, -1), 5),
                       ("BOTTOMPADDING", (0, 1), (-1, 1), 10)])
    where = (t(N_("the facilitator of your dialogue platform ({platform})"),
               platform=data.platform)
             if data.platform else t(N_("the facilitator of your dialogue platform")))
    story += [
        details, Spacer(1, 6 * mm), code_box, Spacer(1, 5 * mm),
        Heading(t(N_("How to ask about your case")), s.h1, "how"),
        Paragraph(text(t(N_(
            "Give the reference and the receipt code to {where}: in person, at a dialogue "
            "session or by phone. You do not need to give your name."), where=where)), s.body),
        Paragraph(text(t(N_(
            "Anyone who holds this code can ask about the case: keep it private and do not "
            "show it to anyone you do not trust."))), s.body),
    ]
    meta = DocMeta(title=t(N_("Complaint receipt {reference}"), reference=data.reference),
                   author="JSD Desk", subject=t(N_("Complaint receipt")),
                   keywords=f"JSD Desk; jsd-receipt/1; reference={data.reference}",
                   lang={"fr": "fr-FR", "en": "en-GB"}.get(t.lang, t.lang))
    decor = PageDecor(
        footer_left=t(N_("Generated on {date} by JSD Desk"), date=t.date(generated_at.date())),
        footer_center="", page_of=t(N_("Page {page} of {pages}")))
    return build_pdf(story, meta, decor, pagesize=A5,
                     margins=(14 * mm, 14 * mm, 14 * mm, 18 * mm))
