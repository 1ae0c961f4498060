"""Controlled vocabularies: stable codes stored in records, labels translated when shown."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from jsd_desk.i18n import N_, _


@dataclass(frozen=True)
class Vocabulary:
    name: str
    terms: tuple[tuple[str, str], ...]  # (code, untranslated label)

    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _label in self.terms)

    def __contains__(self, code: object) -> bool:
        return any(code == c for c, _label in self.terms)

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes())

    def label(self, code: str) -> str:
        """The label in the current language; an unknown code is shown as it is."""
        for c, label in self.terms:
            if c == code:
                return _(label)
        return code

    def msgid(self, code: str) -> str:
        for c, label in self.terms:
            if c == code:
                return label
        return code


SESSION_KIND = Vocabulary("session_kind", (
    ("neighbourhood_dialogue", N_("Neighbourhood dialogue")),
    ("civil_society_exchange", N_("Civil-society exchange")),
    ("radio_call_in", N_("Radio call-in show")),
    ("workshop", N_("Workshop")),
    ("awareness_meeting", N_("Awareness meeting")),
    ("other", N_("Other")),
))

SESSION_STATUS = Vocabulary("session_status", (
    ("draft", N_("Draft")),
    ("finalized", N_("Finalized")),
))

PARTICIPANT_CATEGORY = Vocabulary("participant_category", (
    ("police", N_("Police")),
    ("gendarmerie", N_("Gendarmerie")),
    ("local_authority", N_("Local authority")),
    ("traditional_chief", N_("Traditional chief")),
    ("religious_leader", N_("Religious leader")),
    ("women", N_("Women")),
    ("youth", N_("Youth")),
    ("civil_society", N_("Civil society")),
    ("other", N_("Other")),
))

GENDER = Vocabulary("gender", (
    ("f", N_("Women")),
    ("m", N_("Men")),
    ("unspecified", N_("Unspecified")),
))

COMPLAINT_CHANNEL = Vocabulary("complaint_channel", (
    ("session", N_("Dialogue session")),
    ("radio", N_("Radio")),
    ("walk_in", N_("Walk-in")),
    ("phone", N_("Phone")),
    ("other", N_("Other")),
))

COMPLAINT_CATEGORY = Vocabulary("complaint_category", (
    ("police_conduct", N_("Conduct of security forces")),
    ("theft", N_("Theft")),
    ("assault", N_("Assault")),
    ("sgbv", N_("Sexual and gender-based violence")),
    ("drugs", N_("Drugs")),
    ("extremism", N_("Violent extremism")),
    ("land", N_("Land dispute")),
    ("traffic", N_("Traffic")),
    ("other", N_("Other")),
))

COMPLAINT_STATUS = Vocabulary("complaint_status", (
    ("received", N_("Received")),
    ("under_review", N_("Under review")),
    ("referred", N_("Referred")),
    ("resolved", N_("Resolved")),
    ("closed_unresolved", N_("Closed, unresolved")),
    ("withdrawn", N_("Withdrawn")),
))

# The legal moves of the complaint workflow; final statuses lead nowhere.
COMPLAINT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("under_review", "referred", "withdrawn"),
    "under_review": ("referred", "resolved", "closed_unresolved", "withdrawn"),
    "referred": ("under_review", "resolved", "closed_unresolved", "withdrawn"),
    "resolved": (),
    "closed_unresolved": (),
    "withdrawn": (),
}

# How grave a complaint is: it shortens the targets of each step (see ``domain.deadlines``).
COMPLAINT_SEVERITY = Vocabulary("complaint_severity", (
    ("normal", N_("Normal")),
    ("urgent", N_("Urgent")),
    ("critical", N_("Critical")),
))

# The steps of handling a complaint that have a target time, in the order they come.
COMPLAINT_STEP = Vocabulary("complaint_step", (
    ("review", N_("First contact")),
    ("referral", N_("Referral or response")),
    ("resolution", N_("Resolution")),
))

# Where a complaint stands against its next step's target: computed when read, never stored.
DEADLINE_STATE = Vocabulary("deadline_state", (
    ("on_time", N_("On time")),
    ("at_risk", N_("At risk")),
    ("overdue", N_("Overdue")),
    ("closed", N_("Closed")),
))

ACTION_STATUS = Vocabulary("action_status", (
    ("open", N_("Open")),
    ("in_progress", N_("In progress")),
    ("done", N_("Done")),
    ("dropped", N_("Dropped")),
))

# Who owes an action item: a security force, an authority or the community itself.
RESPONSIBLE_PARTY = Vocabulary("responsible_party", (
    ("police", N_("Police")),
    ("gendarmerie", N_("Gendarmerie")),
    ("garde_nationale", N_("National guard")),
    ("local_authority", N_("Local authority")),
    ("traditional_chief", N_("Traditional chief")),
    ("community", N_("Community")),
    ("civil_society", N_("Civil society")),
    ("platform", N_("Dialogue platform")),
    ("other", N_("Other")),
))

AGE_GROUP = Vocabulary("age_group", (
    ("under_18", N_("Under 18")),
    ("18_35", N_("18 to 35")),
    ("36_60", N_("36 to 60")),
    ("over_60", N_("Over 60")),
    ("unknown", N_("Unknown")),
))

PLACE_LEVEL = Vocabulary("place_level", (
    ("country", N_("Country")),
    ("region", N_("Region")),
    ("department", N_("Department")),
    ("commune", N_("Commune")),
    ("quartier", N_("Quartier")),
    ("village", N_("Village")),
))

PRIORITY_STATUS = Vocabulary("priority_status", (
    ("active", N_("Active")),
    ("addressed", N_("Addressed")),
    ("dropped", N_("Dropped")),
))

ROLE = Vocabulary("role", (
    ("facilitator", N_("Facilitator")),
    ("liaison", N_("Police liaison officer")),
    ("analyst", N_("Ministry analyst")),
))

CONTENT_LANGUAGE = Vocabulary("content_language", (
    ("fr", N_("French")),
    ("en", N_("English")),
    ("ha", N_("Hausa")),
    ("dje", N_("Zarma")),
    ("other", N_("Other")),
))

ALL = {v.name: v for v in (
    SESSION_KIND, SESSION_STATUS, PARTICIPANT_CATEGORY, GENDER, COMPLAINT_CHANNEL,
    COMPLAINT_CATEGORY, COMPLAINT_STATUS, COMPLAINT_SEVERITY, COMPLAINT_STEP, DEADLINE_STATE,
    ACTION_STATUS, RESPONSIBLE_PARTY, AGE_GROUP,
    PLACE_LEVEL, PRIORITY_STATUS, ROLE, CONTENT_LANGUAGE,
)}
