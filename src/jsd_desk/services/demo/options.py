"""What a demo run is asked for (``DemoOptions``) and what it reports back (``DemoSummary``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from jsd_desk.i18n import _, ngettext

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoOptions:
    seed: int | None = None
    sessions: int | None = None
    # The last day of the period on a store without sessions (default: today).
    today: dt.date | None = None


@dataclass
class DemoSummary:
    seed: int
    sessions: int = 0
    complaints: int = 0
    action_items: int = 0
    follow_ups: int = 0
    concerns: int = 0
    status_changes: int = 0
    amendments: int = 0
    changed: int = 0  # records that existed before this run and were changed by it
    events: int = 0
    first_day: dt.date | None = None
    last_day: dt.date | None = None

    def describe(self) -> str:
        return _("Added {sessions}, {complaints}, {actions} and {follow_ups}; changed {changed} "
                 "(seed {seed}).",
                 sessions=ngettext("{n} session", "{n} sessions", self.sessions),
                 complaints=ngettext("{n} complaint", "{n} complaints", self.complaints),
                 actions=ngettext("{n} action item", "{n} action items", self.action_items),
                 follow_ups=ngettext("{n} follow-up", "{n} follow-ups", self.follow_ups),
                 changed=ngettext("{n} existing record", "{n} existing records", self.changed),
                 seed=self.seed)
