"""What the UI reads about one record: frozen, typed copies of the projection's rows.

The query services hand these to the GUI instead of SQLAlchemy objects, so a widget can never
lazy-load, write through, or hold a session open (DESIGN §3: no SQL in ``ui/``). Field names are
the records' own (``domain.records``), so a view reads like the row it copies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, TypeVar

V = TypeVar("V")


def view_of(cls: type[V], row: Any) -> V:
    """A ``cls`` holding the same-named attributes of ``row`` (an ORM row or a result row)."""
    return cls(**{f.name: getattr(row, f.name) for f in dataclasses.fields(cls)})  # type: ignore[arg-type]


@dataclasses.dataclass(frozen=True)
class SessionView:
    id: str
    platform_id: str | None
    kind: str | None
    title: str | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    venue: str | None
    language: str | None
    facilitator: str | None
    minutes: str | None
    status: str | None
    finalized_at: dt.datetime | None


@dataclasses.dataclass(frozen=True)
class AgendaItemView:
    id: str
    session_id: str | None
    position: int | None
    title: str | None
    notes: str | None


@dataclasses.dataclass(frozen=True)
class ConcernView:
    id: str
    session_id: str | None
    theme: str | None
    description: str | None
    raised_by: str | None
    priority_problem_id: str | None


@dataclasses.dataclass(frozen=True)
class ActionItemView:
    id: str
    session_id: str | None
    platform_id: str | None
    description: str | None
    responsible_party: str | None
    owner: str | None
    due_on: dt.date | None
    status: str | None
    priority_problem_id: str | None


@dataclasses.dataclass(frozen=True)
class FollowUpView:
    id: str
    action_item_id: str | None
    session_id: str | None
    note: str | None
    status_after: str | None
    recorded_on: dt.date | None


@dataclasses.dataclass(frozen=True)
class AmendmentView:
    id: str
    session_id: str | None
    field: str | None
    text: str | None
    recorded_at: dt.datetime | None


@dataclasses.dataclass(frozen=True)
class PlatformView:
    id: str
    name: str | None
    place_id: str | None
    description: str | None


@dataclasses.dataclass(frozen=True)
class StatusStep:
    """One move of a complaint's status (a ``complaint_status_change``); ``note`` is "" when
    none was given."""

    id: str
    from_status: str | None
    to_status: str | None
    changed_at: dt.datetime | None
    note: str
