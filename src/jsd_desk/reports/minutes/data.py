"""What the minutes of a session show: the snapshot ``services.minutes`` makes and
``render_minutes`` prints. It holds nothing about complainants: a complaint comes as its
reference, category, status, reception date and the due date of its next step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_

PROFILES = ("platform", "public")
# What an amendment corrects, when it names a field or a part of the minutes by its code.
AMENDED_FIELDS = {
    "title": N_("Title"), "kind": N_("Kind of session"), "starts_at": N_("Date"),
    "ends_at": N_("Time"), "venue": N_("Venue"), "facilitator": N_("Facilitator"),
    "minutes": N_("Minutes"), "agenda": N_("Agenda"), "attendance": N_("Attendance"),
    "concerns": N_("Concerns raised"), "complaints": N_("Complaints received"),
    "action_items": N_("New action items"), "follow_up": N_("Follow-up of earlier action items"),
}


@dataclass(frozen=True)
class AgendaEntry:
    id: str
    position: int
    title: str
    notes: str | None


@dataclass(frozen=True)
class ConcernEntry:
    id: str
    theme: str | None
    description: str
    raised_by: str | None
    priority_problem: str | None


@dataclass(frozen=True)
class ComplaintEntry:
    id: str
    reference: str
    category: str | None
    status: str | None
    received_on: dt.date | None = None
    # The next step and its due date by the targets in force (None once closed). Not whether
    # it is late: that depends on the day the minutes are read, not on the records.
    next_step: str | None = None
    due_on: dt.date | None = None


@dataclass(frozen=True)
class ActionEntry:
    id: str
    description: str
    party: str | None
    owner: str | None
    due_on: dt.date | None
    priority_problem: str | None


@dataclass(frozen=True)
class FollowUpNote:
    recorded_on: dt.date | None
    note: str


@dataclass(frozen=True)
class FollowUpEntry:
    """An action item agreed in an earlier session, as it stands in this one."""

    id: str
    description: str
    party: str | None
    owner: str | None
    due_on: dt.date | None
    agreed_on: dt.date | None
    status_before: str
    status_after: str
    notes: tuple[FollowUpNote, ...]

    @property
    def changed(self) -> bool:
        return self.status_before != self.status_after


@dataclass(frozen=True)
class AmendmentEntry:
    id: str
    field: str | None
    text: str
    recorded_at: dt.datetime | None


@dataclass(frozen=True)
class MinutesData:
    session_id: str
    title: str
    kind: str | None
    status: str | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    venue: str | None
    facilitator: str | None
    finalized_at: dt.datetime | None
    platform: str | None
    place_path: tuple[str, ...]
    minutes_text: str | None
    agenda: tuple[AgendaEntry, ...]
    attendance: tuple[tuple[str, str, int], ...]  # (category, gender, count), one per cell
    concerns: tuple[ConcernEntry, ...]
    complaints: tuple[ComplaintEntry, ...]
    new_actions: tuple[ActionEntry, ...]
    follow_ups: tuple[FollowUpEntry, ...]
    amendments: tuple[AmendmentEntry, ...]

    @property
    def is_draft(self) -> bool:
        return self.status != "finalized"


@dataclass(frozen=True)
class AttendanceTable:
    """The category × gender grid with its totals, all computed from the same cells."""

    categories: tuple[str, ...]
    genders: tuple[str, ...]
    cells: dict[tuple[str, str], int]

    @classmethod
    def of(cls, rows: Sequence[tuple[str, str, int]]) -> AttendanceTable:
        cells: dict[tuple[str, str], int] = {}
        for category, gender, count in rows:
            cells[(category, gender)] = cells.get((category, gender), 0) + count
        known_c = vocab.PARTICIPANT_CATEGORY.codes()
        known_g = vocab.GENDER.codes()
        # Codes from a newer version (arriving by sync) get their own row or column.
        extra_c = sorted({c for c, _g in cells} - set(known_c))
        extra_g = sorted({g for _c, g in cells} - set(known_g))
        return cls(known_c + tuple(extra_c), known_g + tuple(extra_g), cells)

    def cell(self, category: str, gender: str) -> int:
        return self.cells.get((category, gender), 0)

    def row_total(self, category: str) -> int:
        return sum(self.cell(category, g) for g in self.genders)

    def column_total(self, gender: str) -> int:
        return sum(self.cell(c, gender) for c in self.categories)

    @property
    def total(self) -> int:
        return sum(self.cells.values())
