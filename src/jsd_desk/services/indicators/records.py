"""The records behind one figure (a dashboard's click on a bar or a point).

The same filters and definitions as the figure itself (``facts``), narrowed to one place, one
period and one category/option; returns plain values, never a complainant's identity nor a
sealed text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, literal, select
from sqlalchemy.sql.elements import ColumnElement

from jsd_desk.services.indicators import facts
from jsd_desk.services.indicators.compute import PlaceTree, load_tree, theme_key
from jsd_desk.services.indicators.definitions import TOTAL, UNKNOWN, indicator
from jsd_desk.services.indicators.facts import ATT, CON, A, C, P, S
from jsd_desk.services.indicators.model import Breakdown, Filters, period_bounds
from jsd_desk.store.writer import Store


@dataclass(frozen=True)
class RecordRef:
    """One record behind a figure: enough to list it and to open it."""

    entity: str  # session, concern, complaint, action_item
    id: str
    date: dt.date | None
    label: str  # a session's title, a complaint's reference, an action item's description
    code: str | None  # the record's own vocabulary code shown beside it (kind, category, status)


def _narrow(filters: Filters, period: str) -> Filters:
    start, end = period_bounds(period)
    lo = max(d for d in (start, filters.date_from) if d) if (start or filters.date_from) else None
    hi = min(d for d in (end, filters.date_to) if d) if (end or filters.date_to) else None
    return Filters(filters.place_id, filters.platform_id, filters.kind, lo, hi)


def _place_ids(tree: PlaceTree, breakdown: Breakdown, place: str) -> frozenset[str] | None:
    """Ids of the places that count under ``place`` at the breakdown's level (None: any)."""
    if breakdown.place_level is None or place == TOTAL:
        return None
    return frozenset(pid for pid in tree.by_id if tree.code_at(pid, breakdown.place_level) == place)


def _eq(column: Any, code: str) -> ColumnElement[bool]:
    cond: ColumnElement[bool] = column.is_(None) if code == UNKNOWN else column == code
    return cond


def records_behind(store: Store, code: str, *, filters: Filters | None = None,
                   breakdown: Breakdown | None = None, place: str = TOTAL, period: str = TOTAL,
                   category: str = TOTAL, option: str = TOTAL, as_of: dt.date | None = None,
                   limit: int = 500) -> list[RecordRef]:
    """The records counted in the value of ``code`` at (place, period, category, option), as
    ``compute`` with the same filters and breakdown gave it; at most ``limit``, oldest first.
    For a share or a delay: the records it is computed over (its denominator)."""
    filters = filters or Filters()
    breakdown = breakdown or Breakdown()
    as_of = as_of or dt.date.today()
    ind = indicator(code)
    narrowed = _narrow(filters, period)
    with store.reading() as s:
        conn = s.connection()
        tree = load_tree(conn)
        ids = tree.descendants(filters.place_id) if filters.place_id else None
        cell = _place_ids(tree, breakdown, place)
        unknown_place = breakdown.place_level is not None and place == UNKNOWN
        scope = facts.Scope(narrowed, ids, as_of)
        family = ind.family
        if family in ("sessions", "participants", "concerns"):
            query = _session_based(scope, code, category, option)
            place_col = facts.P.c.place_id
        elif family == "complaints":
            query, place_col = _complaints(conn, scope, code, category)
        else:
            query, place_col = _actions(scope, code, category)
        if unknown_place:
            known = sorted(tree.by_id)
            query = query.where((place_col.is_(None)) | (place_col.not_in(known)))
        elif cell is not None:
            query = query.where(place_col.in_(sorted(cell)))
        # A theme is matched in Python (case and spacing folded), so its query cannot stop early.
        by_theme = code == "concerns_by_theme" and category != TOTAL
        rows = list(conn.execute(query if by_theme else query.limit(limit)))
    out = [RecordRef(r[0], r[1], r[2].date() if isinstance(r[2], dt.datetime) else r[2],
                     r[3] or "", r[4]) for r in rows]
    if by_theme:
        out = [r for r in out if theme_key(r.label) == category]
    return out[:limit]


def _session_based(scope: facts.Scope, code: str, category: str, option: str) -> Any:
    base = S.outerjoin(P, P.c.id == S.c.platform_id)
    where = facts.session_conditions(scope, P.c.place_id, S.c.platform_id)
    if code.startswith("concerns"):
        q = (select(literal("concern"), CON.c.id,
                    S.c.starts_at, CON.c.theme, CON.c.priority_problem_id)
             .select_from(CON.join(base, S.c.id == CON.c.session_id))
             .where(CON.c.deleted.is_(False), *where))
        if code == "concerns_by_priority_problem" and category != TOTAL:
            q = q.where(_eq(CON.c.priority_problem_id, category))
        return q.order_by(S.c.starts_at, CON.c.id)
    q = (select(literal("session"), S.c.id, S.c.starts_at, S.c.title, S.c.kind)
         .select_from(base).where(*where))
    if code == "sessions_held" and category != TOTAL:
        q = q.where(_eq(S.c.kind, category))
    elif code == "sessions_by_platform" and category != TOTAL:
        q = q.where(_eq(S.c.platform_id, category))
    elif code.startswith("participants"):
        cond = [ATT.c.session_id == S.c.id, ATT.c.deleted.is_(False)]
        if category not in (TOTAL, ""):
            cond.append(_eq(ATT.c.category, category))
        if option not in (TOTAL, ""):
            cond.append(_eq(ATT.c.gender, option))
        q = q.where(exists().where(*cond))
    return q.order_by(S.c.starts_at, S.c.id)


def _complaints(conn: Any, scope: facts.Scope, code: str, category: str) -> tuple[Any, Any]:
    src, _platform, place, where = facts.complaint_source(conn, scope)
    shown = C.c.category
    if code == "complaints_by_channel":
        shown = C.c.channel
    elif code == "complaints_by_status":
        shown = C.c.status
    q = select(literal("complaint"), C.c.id, C.c.received_on, C.c.reference, shown)
    if code in ("complaints_resolved", "complaints_days_to_resolve_median",
                "complaints_days_to_resolve_p90"):
        resolved = facts.first_move(("resolved",))
        src = src.join(resolved, resolved.c.cid == C.c.id)
    elif code in ("complaints_share_open_30", "complaints_share_open_90"):
        closed = facts.first_move(facts.FINAL_STATUSES)
        src = src.outerjoin(closed, closed.c.cid == C.c.id)
        eligible, _still_open = facts.open_after(conn, scope, int(code[-2:]), closed.c.at)
        where = [*where, eligible]
    q = q.select_from(src).where(*where)
    if category != TOTAL and category != "":
        column = {"complaints_by_channel": C.c.channel,
                  "complaints_by_status": C.c.status}.get(code, C.c.category)
        q = q.where(_eq(column, category))
    return q.order_by(C.c.received_on, C.c.reference, C.c.id), place


def _actions(scope: facts.Scope, code: str, category: str) -> tuple[Any, Any]:
    src, _platform, place, where = facts.action_source(scope)
    q = (select(literal("action_item"), A.c.id, A.c.due_on, A.c.description, A.c.status)
         .select_from(src).where(*where))
    if code == "actions_done":
        q = q.where(A.c.status == "done")
    elif code == "actions_overdue":
        q = q.where(facts.overdue(scope))
    if category != TOTAL and category != "":
        q = q.where(_eq(A.c.responsible_party, category))
    return q.order_by(S.c.starts_at, A.c.due_on, A.c.id), place

