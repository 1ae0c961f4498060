"""What each indicator is: its code, family, unit, dimensions and its meaning in words.

This list is the single definition every output reads (dashboard, XLSX, CSV, PDF, DHIS2). The
meanings below are shown in the XLSX "about" sheet, in the PDF's notes and in ``docs/dhis2.md``;
change a definition here and every output follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from jsd_desk.i18n import N_

Unit = Literal["count", "share", "days"]
Family = Literal["sessions", "participants", "concerns", "complaints", "actions"]

FAMILIES: tuple[Family, ...] = ("sessions", "participants", "concerns", "complaints", "actions")

# Reserved dimension values (SDMX usage): the total over a dimension, and "not recorded".
TOTAL = "_T"
UNKNOWN = "_U"

# A dimension is a controlled vocabulary (domain.vocab name) or one of these data-driven ones.
DATA_DIMENSIONS = ("platform", "theme", "priority_problem", "place")


@dataclass(frozen=True)
class Indicator:
    code: str  # stable, a valid XML name (DHIS2/ADX codes derive from it)
    family: Family
    unit: Unit
    title: str  # N_ msgid
    meaning: str  # N_ msgid: what the figure counts, in one or two sentences
    category: str | None = None  # the dimension in the "category" column (vocabulary name)
    option: str | None = None  # the dimension in the "option" column (e.g. "gender")
    short: str = ""  # N_ msgid of at most 31 characters in every language: a sheet's name


INDICATORS: tuple[Indicator, ...] = (
    Indicator("sessions_held", "sessions", "count", N_("Sessions held"),
              N_("Dialogue sessions that took place (start on or before the reference date), "
                 "by kind of session; any status, draft or finalized."),
              category="session_kind",
              short=N_("Sessions")),
    Indicator("sessions_by_platform", "sessions", "count", N_("Sessions held by platform"),
              N_("The same sessions, counted for each dialogue platform."),
              category="platform",
              short=N_("Sessions by platform")),
    Indicator("participants", "participants", "count", N_("Participants"),
              N_("People recorded on the attendance of the sessions held, by participant "
                 "category and gender; rows marked “Total” add up a category or a gender."),
              category="participant_category", option="gender",
              short=N_("Participants")),
    Indicator("participants_share_women", "participants", "share", N_("Share of women"),
              N_("Participants recorded as women (gender), out of all participants."),
              short=N_("Women (share)")),
    Indicator("participants_share_youth", "participants", "share", N_("Share of youth"),
              N_("Participants in the youth category, out of all participants."),
              short=N_("Youth (share)")),
    Indicator("concerns_by_theme", "concerns", "count", N_("Concerns by theme"),
              N_("Security problems raised in the sessions held, by theme as written (case "
                 "and spacing ignored)."),
              category="theme",
              short=N_("Concerns by theme")),
    Indicator("concerns_by_priority_problem", "concerns", "count",
              N_("Concerns by priority problem"),
              N_("The same concerns, by the platform's priority problem they are linked to."),
              category="priority_problem",
              short=N_("Concerns by problem")),
    Indicator("complaints_by_category", "complaints", "count", N_("Complaints received by category"),
              N_("Complaints received in the period (date received), by category."),
              category="complaint_category",
              short=N_("Complaints by category")),
    Indicator("complaints_by_channel", "complaints", "count", N_("Complaints received by channel"),
              N_("The same complaints, by the channel they came through."),
              category="complaint_channel",
              short=N_("Complaints by channel")),
    Indicator("complaints_by_status", "complaints", "count", N_("Complaints by current status"),
              N_("The same complaints, by the status they have today."),
              category="complaint_status",
              short=N_("Complaints by status")),
    Indicator("complaints_resolved", "complaints", "count", N_("Complaints resolved"),
              N_("Complaints received in the period that have been resolved (their first move "
                 "to “Resolved” in their history), by category."),
              category="complaint_category",
              short=N_("Complaints resolved")),
    Indicator("complaints_days_to_resolve_median", "complaints", "days",
              N_("Median days to resolve"),
              N_("Half of the resolved complaints took at most this many days from the date "
                 "received to the day of resolution (linear interpolation between ranks, like "
                 "PostgreSQL's percentile_cont), by category."),
              category="complaint_category",
              short=N_("Days to resolve (median)")),
    Indicator("complaints_days_to_resolve_p90", "complaints", "days",
              N_("90th percentile of days to resolve"),
              N_("Nine resolved complaints in ten took at most this many days from the date "
                 "received to the day of resolution (same method as the median), by category."),
              category="complaint_category",
              short=N_("Days to resolve (P90)")),
    Indicator("complaints_share_police_conduct", "complaints", "share",
              N_("Share about police conduct"),
              N_("Complaints about the conduct of security forces, out of all complaints "
                 "received."),
              short=N_("Police conduct (share)")),
    Indicator("complaints_share_open_30", "complaints", "share",
              N_("Share still open after 30 days"),
              N_("Among complaints received at least 30 days before the reference date, the "
                 "share not yet resolved, closed or withdrawn 30 days after they were received."),
              short=N_("Open after 30 days")),
    Indicator("complaints_share_open_90", "complaints", "share",
              N_("Share still open after 90 days"),
              N_("The same, 90 days after they were received."),
              short=N_("Open after 90 days")),
    Indicator("actions_made", "actions", "count", N_("Action items made"),
              N_("Commitments agreed in the sessions held, by responsible party."),
              category="responsible_party",
              short=N_("Actions made")),
    Indicator("actions_done", "actions", "count", N_("Action items done"),
              N_("Those commitments whose status today is “Done”, by responsible party."),
              category="responsible_party",
              short=N_("Actions done")),
    Indicator("actions_overdue", "actions", "count", N_("Action items overdue"),
              N_("Those commitments still open or in progress whose due date is before the "
                 "reference date, by responsible party."),
              category="responsible_party",
              short=N_("Actions overdue")),
    Indicator("actions_completion_rate", "actions", "share", N_("Completion rate"),
              N_("Commitments done, out of all commitments made (dropped ones included), by "
                 "responsible party."),
              category="responsible_party",
              short=N_("Completion rate")),
)

BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
ORDER: dict[str, int] = {i.code: n for n, i in enumerate(INDICATORS)}


def indicator(code: str) -> Indicator:
    """The definition of ``code``; KeyError for a code that does not exist."""
    return BY_CODE[code]


def of_family(family: Family) -> tuple[Indicator, ...]:
    return tuple(i for i in INDICATORS if i.family == family)


# How many decimals a value of each unit keeps, everywhere (CSV text, XLSX cells, DHIS2): the
# rounding is done once, when the value is made, so SQLite and PostgreSQL give the same bytes.
DECIMALS: dict[Unit, int] = {"count": 0, "share": 4, "days": 1}
