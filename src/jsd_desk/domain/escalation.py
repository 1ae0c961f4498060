"""Escalation rules of complaints (issue 12), as pure functions of what a device can read.

- a complaint of sexual or gender-based violence needs immediate attention while it is open;
- a complaint overdue by more than its step's target again is escalated;
- the same complainant's third complaint (or later) within six months is flagged — matched on
  the identity, so only on a device that can open identities (elsewhere the rule is unknown,
  never guessed from the rest).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from jsd_desk.domain.deadlines import Deadline
from jsd_desk.domain.vocab import Vocabulary
from jsd_desk.i18n import N_

ESCALATION = Vocabulary("escalation", (
    ("immediate_attention", N_("Immediate attention")),
    ("escalated", N_("Escalated")),
    ("repeat_complainant", N_("Third complaint in six months")),
))
REPEAT_COUNT: Final = 3
REPEAT_MONTHS: Final = 6
# A contact is matched on its digits when it has enough of them to be a phone number.
MIN_CONTACT_DIGITS: Final = 6


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(y, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError(day)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", plain))


def identity_keys(name: str | None, contact: str | None) -> frozenset[str]:
    """What two complaints by the same person may share: the contact's digits when it has
    enough of them (a phone number, its last eight digits, with or without +227), and the
    name folded (case, accents, spacing). Empty when anonymous."""
    keys = set()
    digits = re.sub(r"\D", "", contact or "")
    if len(digits) >= MIN_CONTACT_DIGITS:
        keys.add("tel:" + digits[-8:])
    folded = _fold(name or "")
    if folded:
        keys.add("name:" + folded)
    return frozenset(keys)


@dataclass(frozen=True)
class Filed:
    """One complaint as the repeat rule sees it."""

    id: str
    received_on: dt.date | None
    keys: frozenset[str]  # ``identity_keys`` of its complainant


def _people(filed: list[Filed]) -> dict[str, list[Filed]]:
    """Complaints grouped by person: two complaints sharing a phone number or a name are the
    same person's, and so on transitively (union-find over the keys)."""
    parent: dict[str, str] = {}

    def root(k: str) -> str:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for f in filed:
        first, *rest = sorted(f.keys)
        for k in rest:
            parent[root(k)] = root(first)
    groups: dict[str, list[Filed]] = {}
    for f in filed:
        groups.setdefault(root(min(f.keys)), []).append(f)
    return groups


def repeat_complaints(filed: Iterable[Filed]) -> frozenset[str]:
    """The complaints that are their complainant's third (or later) within six months: with
    two earlier ones (by date, then id) received no more than six months before."""
    known = [f for f in filed if f.keys and f.received_on is not None]
    flagged: set[str] = set()
    for group in _people(known).values():
        items = sorted((f.received_on, f.id) for f in group if f.received_on is not None)
        for i in range(REPEAT_COUNT - 1, len(items)):
            day, cid = items[i]
            if items[i - REPEAT_COUNT + 1][0] >= months_before(day, REPEAT_MONTHS):
                flagged.add(cid)
    return frozenset(flagged)


def escalations(*, category: str | None, deadline: Deadline | None,
                repeat: bool) -> tuple[str, ...]:
    """The escalation flags of one complaint, in the vocabulary's order."""
    out: list[str] = []
    open_ = deadline is not None and deadline.step is not None
    if category == "sgbv" and open_:
        out.append("immediate_attention")
    if deadline is not None and deadline.escalated:
        out.append("escalated")
    if repeat:
        out.append("repeat_complainant")
    return tuple(out)
