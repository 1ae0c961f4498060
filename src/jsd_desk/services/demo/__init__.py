"""Demo data: a believable period of dialogue activity in Niger (DESIGN §8), in French and English.

``add_demo_activity`` adds places (Niamey's communes and quartiers, departments and communes of
the other regions), dialogue platforms with their priority problems, and a period of sessions
with agenda, attendance by category and gender, concerns, complaints that move through their
workflow, and action items followed up session after session. Everything goes through the
ordinary services, so the demo writes exactly what a facilitator would.

Run again, it adds the next period, starting the day after the latest session in the store, and
changes what is already there: drafts are finalized, open complaints move on, open action items
are followed up. The content depends only on the seed and on what the store already holds
(record ids and receipt codes stay random).

On a liaison officer's device the demo adds no sessions (a liaison officer does not keep
minutes, and never records a complainant): it only moves on the complaints referred to the
security forces and follows up the action items they owe, and refuses when there are none.
On a ministry (analyst) device it adds its own period and moves on only the records that device
created, since it may not change a platform's records.

The package: ``corpus`` (the bilingual texts), ``texts`` (minutes and dates as a facilitator
writes them), ``state`` (what a run keeps track of), ``run`` (a facilitator's or analyst's
period), ``liaison`` (a liaison officer's answers). Only this module's names are public.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Sequence

from jsd_desk.domain.errors import UsageError
from jsd_desk.i18n import N_
from jsd_desk.services.demo.liaison import LiaisonRun
from jsd_desk.services.demo.options import DemoOptions, DemoSummary, Progress
from jsd_desk.services.demo.run import Run
from jsd_desk.store.eventlog import Committed
from jsd_desk.store.writer import Store

__all__ = ["DEFAULT_SESSIONS", "MAX_SESSIONS", "DemoOptions", "DemoSummary", "add_demo_activity"]

DEFAULT_SESSIONS = 24
MAX_SESSIONS = 20_000


def add_demo_activity(store: Store, options: DemoOptions,
                      progress: Progress | None = None) -> DemoSummary:
    """Add a period of realistic activity to ``store`` (see the module's docstring)."""
    count = DEFAULT_SESSIONS if options.sessions is None else options.sessions
    if not 0 <= count <= MAX_SESSIONS:
        raise UsageError(N_("The number of demo sessions must be between 0 and {max}."), max=MAX_SESSIONS)
    seed = options.seed if options.seed is not None else secrets.randbelow(2**31)
    summary = DemoSummary(seed=seed)
    events: list[Committed] = []
    listener: Callable[[Sequence[Committed]], None] = events.extend
    store.listeners.append(listener)
    try:
        # All or nothing: a full disk or a cancel part-way leaves no half period behind (the
        # per-session transactions of the run join this one).
        with store.transaction():
            if store.keys.info.role == "liaison":
                LiaisonRun(store, random.Random(seed), summary, options.today, progress).run()
            else:
                Run(store, random.Random(seed), summary, count, options.today, progress).run()
    finally:
        store.listeners.remove(listener)
    summary.events = len(events)
    return summary
