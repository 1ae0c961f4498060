"""Meeting minutes (*procès-verbal*) of a dialogue session as PDF.

``render_minutes`` is a pure function of a ``MinutesData`` snapshot (made by
``services.minutes``), the document language, the audience profile and the moment of
generation. The snapshot holds nothing about complainants and nothing the minutes do not print.
The sections live beside this module, one file per part of the document.
"""

from __future__ import annotations

import datetime as dt

from reportlab.platypus import Flowable

from jsd_desk.i18n import N_
from jsd_desk.reports.localize import DASH, Tr
from jsd_desk.reports.minutes.closing import ClosingSections
from jsd_desk.reports.minutes.commitments import CommitmentSections
from jsd_desk.reports.minutes.complaints import ComplaintSections
from jsd_desk.reports.minutes.data import (
    AMENDED_FIELDS,
    PROFILES,
    ActionEntry,
    AgendaEntry,
    AmendmentEntry,
    AttendanceTable,
    ComplaintEntry,
    ConcernEntry,
    FollowUpEntry,
    FollowUpNote,
    MinutesData,
)
from jsd_desk.reports.minutes.layout import CONTENT_WIDTH
from jsd_desk.reports.minutes.session import SessionSections
from jsd_desk.reports.pdfdoc import (
    CancelCheck,
    DocMeta,
    PageDecor,
    Progress,
    RenderedPdf,
    build_pdf,
    make_styles,
)

__all__ = ["AMENDED_FIELDS", "CONTENT_WIDTH", "PROFILES", "ActionEntry", "AgendaEntry",
           "AmendmentEntry", "AttendanceTable", "ComplaintEntry", "ConcernEntry",
           "FollowUpEntry", "FollowUpNote", "MinutesData", "document_title", "render_minutes"]


class _Minutes(SessionSections, ComplaintSections, CommitmentSections, ClosingSections):
    """Builds the story of one document; one instance per rendering."""

    def build(self) -> list[Flowable]:
        self.title_block()
        self.attendance()
        if self.profile == "public":
            self.in_brief()
            self.new_actions()
            self.follow_ups()
        else:
            self.agenda()
            self.minutes_text()
            self.concerns()
            self.complaints()
            self.new_actions()
            self.follow_ups()
            if self.d.amendments:
                self.amendments()
        self.signatures()
        return self.story


def document_title(data: MinutesData, tr: Tr) -> str:
    date, _times = tr.when(data.starts_at, data.ends_at)
    return tr(N_("Minutes: {title}, {date}"), title=data.title, date=date)


def render_minutes(data: MinutesData, *, lang: str, profile: str, fingerprint: str,
                   keywords: str, generated_at: dt.datetime, progress: Progress | None = None,
                   cancelled: CancelCheck | None = None) -> RenderedPdf:
    """The minutes as PDF bytes. ``fingerprint`` is printed in every footer (its short form);
    ``keywords`` go into the metadata for ``verify-minutes``."""
    tr = Tr(lang)
    styles = make_styles()
    story = _Minutes(data, tr, profile, styles).build()
    date, _times = tr.when(data.starts_at, data.ends_at)
    place = " › ".join(data.place_path)
    meta = DocMeta(
        title=document_title(data, tr),
        author=data.facilitator or data.platform or "JSD Desk",
        subject=tr(N_("Minutes of a dialogue session of the platform {platform} ({place})"),
                   platform=data.platform or DASH, place=place or DASH),
        keywords=keywords,
        lang={"fr": "fr-FR", "en": "en-GB"}.get(tr.lang, tr.lang),
    )
    header = " — ".join(x for x in (data.platform, data.title, date) if x)
    decor = PageDecor(
        footer_left=tr(N_("Generated on {date} by JSD Desk"), date=tr.date(generated_at.date())),
        footer_center=tr(N_("Session {session} · fingerprint {fingerprint}"),
                         session=data.session_id[:8], fingerprint=fingerprint),
        page_of=tr(N_("Page {page} of {pages}")),
        header=header,
        watermark=tr(N_("DRAFT")) if data.is_draft else None,
    )
    return build_pdf(story, meta, decor, progress=progress, cancelled=cancelled)
