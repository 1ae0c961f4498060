"""Target times of complaints and where each complaint stands against them (issue 12).

Everything here is a pure function of a complaint's facts (received date, category, severity,
status), its status history, the targets in force and *today*: nothing is stored, so two
replicas holding the same events always show the same state, whatever order the events came
in. Targets are counted in whole days from the day the complaint was received; a step is due
by the end of its due day.

The steps people measure (as grievance bodies report them): received → first contact with the
complainant (the review begins) → referral or response → resolution.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import ValidationError
from jsd_desk.i18n import N_

STEPS: Final = vocab.COMPLAINT_STEP.codes()  # review, referral, resolution
# The step a complaint waits for, by its status; final statuses wait for nothing.
NEXT_STEP: Final[dict[str, str]] = {
    "received": "review",
    "under_review": "referral",
    "referred": "resolution",
}
FINAL_STATUSES: Final = frozenset(s for s, nxt in vocab.COMPLAINT_TRANSITIONS.items() if not nxt)
MAX_TARGET_DAYS: Final = 730  # two years: beyond that a "target" is no target


@dataclass(frozen=True)
class Target:
    """Days from reception by which each step is due."""

    review_days: int
    referral_days: int
    resolution_days: int

    def days(self, step: str) -> int:
        return {"review": self.review_days, "referral": self.referral_days,
                "resolution": self.resolution_days}[step]


# The built-in targets, used where neither the platform nor the ministry set one. Sexual and
# gender-based violence: reviewed within 24 hours, referred or answered within 7 days.
DEFAULT_TARGETS: Final[dict[str, Target]] = {
    "sgbv": Target(1, 7, 30),
    "extremism": Target(1, 7, 30),
    "assault": Target(2, 7, 30),
    "police_conduct": Target(3, 14, 45),
    "theft": Target(5, 14, 60),
    "drugs": Target(5, 14, 60),
    "traffic": Target(7, 21, 60),
    "land": Target(7, 30, 90),
    "other": Target(7, 30, 90),
}
# An urgent complaint gets half the time of a normal one, a critical one a quarter (at least a
# day per step), unless a target set for that severity says otherwise.
SEVERITY_DIVISOR: Final[dict[str, int]] = {"normal": 1, "urgent": 2, "critical": 4}


def default_target(category: str | None, severity: str | None) -> Target:
    base = DEFAULT_TARGETS.get(category or "other", DEFAULT_TARGETS["other"])
    divisor = SEVERITY_DIVISOR.get(severity or "normal", 1)
    return Target(*(max(1, math.ceil(d / divisor))
                    for d in (base.review_days, base.referral_days, base.resolution_days)))


@dataclass(frozen=True)
class TargetRule:
    """A target set as a record: a platform's (``platform_id``) or the ministry's (None), for a
    category and one severity or every severity (None)."""

    platform_id: str | None
    category: str
    severity: str | None
    target: Target


def pick_target(rules: Iterable[TargetRule], *, platform_id: str | None, category: str | None,
                severity: str | None) -> tuple[Target, str]:
    """The target in force for a complaint, and where it comes from (``platform``, ``ministry``
    or ``default``): the platform's rule for its severity, then the platform's for every
    severity, then the ministry's in the same order, then the built-in one."""
    sev = severity or "normal"
    by_key = {(r.platform_id, r.category, r.severity): r.target for r in rules}
    scopes: list[tuple[str | None, str]] = []
    if platform_id is not None:
        scopes.append((platform_id, "platform"))
    scopes.append((None, "ministry"))
    for scope, source in scopes:
        for s in (sev, None):
            found = by_key.get((scope, category or "other", s))
            if found is not None:
                return found, source
    return default_target(category, sev), "default"


@dataclass(frozen=True)
class Move:
    """One status change of the history: to which status, when."""

    to_status: str | None
    at: dt.datetime | None


@dataclass(frozen=True)
class StepTimes:
    received: dt.date | None
    first_contact: dt.datetime | None  # the first move out of "received"
    referred: dt.datetime | None  # the first referral
    closed: dt.datetime | None  # the move into a final status (resolved, closed, withdrawn)


def step_times(received_on: dt.date | None, moves: Iterable[Move]) -> StepTimes:
    """When each measured step happened. Independent of the order ``moves`` are given in."""
    dated = sorted((m.at, m.to_status or "") for m in moves if m.at is not None)
    first = dated[0][0] if dated else None
    referred = next((at for at, to in dated if to == "referred"), None)
    closed = next((at for at, to in reversed(dated) if to in FINAL_STATUSES), None)
    return StepTimes(received_on, first, referred, closed)


@dataclass(frozen=True)
class Deadline:
    """Where a complaint stands: its next step, when it is due and whether it is late."""

    step: str | None  # None once the complaint is closed
    due_on: dt.date | None
    state: str  # a DEADLINE_STATE code
    days_left: int  # days until due (negative: days overdue); for a closed one, spare days
    target_days: int
    escalated: bool  # overdue by more than the step's own target again

    @property
    def late(self) -> bool:
        return self.state in ("at_risk", "overdue")


def at_risk_days(target_days: int) -> int:
    """A step is at risk in the last quarter of its time (on its due day at the latest)."""
    return target_days // 4


def assess(*, received_on: dt.date | None, status: str | None, target: Target,
           today: dt.date, closed_at: dt.datetime | None = None) -> Deadline | None:
    """The deadline of a complaint's next step, or None without a received date (an orphan
    whose first event has not arrived yet)."""
    if received_on is None:
        return None
    if status in FINAL_STATUSES:
        days = target.resolution_days
        spare = days - ((closed_at.date() - received_on).days if closed_at else 0)
        return Deadline(None, None, "closed", spare, days, False)
    step = NEXT_STEP.get(status or "received", "review")
    days = target.days(step)
    due = received_on + dt.timedelta(days=days)
    left = (due - today).days
    if left < 0:
        state = "overdue"
    elif left <= at_risk_days(days):
        state = "at_risk"
    else:
        state = "on_time"
    return Deadline(step, due, state, left, days, -left > days)


STATE_ORDER: Final[dict[str, int]] = {"overdue": 0, "at_risk": 1, "on_time": 2, "closed": 3}


def urgency_key(deadline: Deadline | None) -> tuple[int, int]:
    """Sorts what is late first: overdue (longest overdue first), at risk, on time, closed."""
    if deadline is None:
        return (4, 0)
    return (STATE_ORDER[deadline.state], deadline.days_left if deadline.step else 0)


def check_target(category: str, severity: str | None, days: Sequence[int]) -> None:
    """Raise ``ValidationError`` unless a target can be set as given."""
    if category not in vocab.COMPLAINT_CATEGORY:
        raise ValidationError("category", N_("“{value}” is not a known category of complaint."),
                              value=str(category)[:40])
    if severity is not None and severity not in vocab.COMPLAINT_SEVERITY:
        raise ValidationError("severity", N_("“{value}” is not a known severity (normal, urgent "
                                             "or critical)."), value=str(severity)[:40])
    for name, value in zip(("review_days", "referral_days", "resolution_days"), days, strict=True):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError(name, N_("A target is a whole number of days, at least one."))
        if value > MAX_TARGET_DAYS:
            raise ValidationError(name, N_("A target of more than {limit} days is not a target."),
                                  limit=MAX_TARGET_DAYS)
    if not days[0] <= days[1] <= days[2]:
        raise ValidationError("referral_days", N_("A later step cannot be due before an earlier "
                                                  "one (first contact, then referral, then "
                                                  "resolution)."))
