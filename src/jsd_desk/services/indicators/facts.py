"""The SQL side of the indicators: one GROUP BY per family, the same on SQLite and PostgreSQL.

Each query groups the projection by (platform, place, month, the family's dimensions) and
returns small integer cells; everything else (place tree roll-up, quarters and years, shares,
percentiles) is arithmetic on those integers in Python, so both databases give identical values.
The only dialect differences are the month of a date and a difference of days, written here.

Only sessions are grouped by platform too (the only family broken down by platform): the
others group by place, which keeps their cells as few as the places, months and codes.

A record's *place* is its platform's place (a complaint's own place first); its *month* is its
session's start (a complaint's date received).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    not_,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from jsd_desk.services.indicators.model import Filters
from jsd_desk.store import models

S = models.tbl(models.DialogueSession)
P = models.tbl(models.Platform)
ATT = models.tbl(models.Attendance)
CON = models.tbl(models.Concern)
C = models.tbl(models.Complaint)
CSC = models.tbl(models.ComplaintStatusChange)
A = models.tbl(models.ActionItem)

FINAL_STATUSES = ("resolved", "closed_unresolved", "withdrawn")
OPEN_ACTION_STATUSES = ("open", "in_progress")
OPEN_AFTER_DAYS = (30, 90)


@dataclass(frozen=True)
class Scope:
    """Filters made ready for SQL. ``place_ids`` is the filter place and every place below it
    (None: no place restriction)."""

    filters: Filters
    place_ids: frozenset[str] | None
    as_of: dt.date


def month_of(conn: Connection, column: Any) -> ColumnElement[str]:
    """``YYYY-MM`` of a DATE or TIMESTAMP column."""
    if conn.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def days_between(conn: Connection, later: Any, earlier: Any) -> ColumnElement[int]:
    """Whole calendar days from the DATE ``earlier`` to the day of the TIMESTAMP ``later``."""
    if conn.dialect.name == "postgresql":
        return type_coerce(cast(later, Date) - earlier, Integer)
    return cast(func.julianday(func.date(later)) - func.julianday(earlier), Integer)


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def session_conditions(scope: Scope, place: Any, platform: Any) -> list[ColumnElement[bool]]:
    f = scope.filters
    where: list[ColumnElement[bool]] = [
        S.c.deleted.is_(False), S.c.starts_at.is_not(None),
        # Held: started on or before the reference date (a planned meeting is not counted).
        S.c.starts_at < _start(scope.as_of + dt.timedelta(days=1))]
    if f.date_from:
        where.append(S.c.starts_at >= _start(f.date_from))
    if f.date_to:
        where.append(S.c.starts_at < _start(f.date_to + dt.timedelta(days=1)))
    if f.kind:
        where.append(S.c.kind == f.kind)
    if f.platform_id:
        where.append(platform == f.platform_id)
    if scope.place_ids is not None:
        where.append(place.in_(sorted(scope.place_ids)))
    return where


def _group(query: Select[Any], columns: Sequence[Any]) -> Select[Any]:
    return query.group_by(*columns).order_by(*columns)


def sessions(conn: Connection, scope: Scope) -> list[tuple[Any, ...]]:
    """(platform, place, month, kind, n)"""
    month = month_of(conn, S.c.starts_at)
    cols = (S.c.platform_id, P.c.place_id, month, S.c.kind)
    q = (select(*cols, func.count()).select_from(S.outerjoin(P, P.c.id == S.c.platform_id))
         .where(*session_conditions(scope, P.c.place_id, S.c.platform_id)))
    return [tuple(r) for r in conn.execute(_group(q, cols)).all()]


def participants(conn: Connection, scope: Scope) -> list[tuple[Any, ...]]:
    """(place, month, category, gender, n)"""
    month = month_of(conn, S.c.starts_at)
    cols = (P.c.place_id, month, ATT.c.category, ATT.c.gender)
    q = (select(*cols, func.coalesce(func.sum(ATT.c.count), 0))
         .select_from(ATT.join(S, S.c.id == ATT.c.session_id)
                      .outerjoin(P, P.c.id == S.c.platform_id))
         .where(ATT.c.deleted.is_(False), *session_conditions(scope, P.c.place_id, S.c.platform_id)))
    return [tuple(r) for r in conn.execute(_group(q, cols)).all()]


def concerns(conn: Connection, scope: Scope) -> list[tuple[Any, ...]]:
    """(place, month, theme, priority_problem, n)"""
    month = month_of(conn, S.c.starts_at)
    cols = (P.c.place_id, month, CON.c.theme, CON.c.priority_problem_id)
    q = (select(*cols, func.count())
         .select_from(CON.join(S, S.c.id == CON.c.session_id)
                      .outerjoin(P, P.c.id == S.c.platform_id))
         .where(CON.c.deleted.is_(False), *session_conditions(scope, P.c.place_id, S.c.platform_id)))
    return [tuple(r) for r in conn.execute(_group(q, cols)).all()]


def first_move(statuses: Collection[str]) -> Any:
    return (select(CSC.c.complaint_id.label("cid"), func.min(CSC.c.changed_at).label("at"))
            .where(CSC.c.deleted.is_(False), CSC.c.to_status.in_(sorted(statuses)))
            .group_by(CSC.c.complaint_id).subquery())


def final_moves() -> Any:
    """``first_move`` of "resolved" (``resolved_at``) and of every final status (``closed_at``)
    of each complaint, in one pass over the status changes: as two subqueries, a hub's
    history was read twice, each time in its index's order (a lookup per row)."""
    return (select(CSC.c.complaint_id.label("cid"),
                   func.min(case((CSC.c.to_status == "resolved", CSC.c.changed_at))).label(
                       "resolved_at"),
                   func.min(CSC.c.changed_at).label("closed_at"))
            .where(CSC.c.deleted.is_(False), CSC.c.to_status.in_(sorted(FINAL_STATUSES)))
            .group_by(CSC.c.complaint_id).subquery())


def complaint_source(conn: Connection, scope: Scope) -> tuple[Any, Any, Any, list[ColumnElement[bool]]]:
    """(from clause, platform column, place column, conditions) shared with the drill-down."""
    platform = S.c.platform_id
    place = func.coalesce(C.c.place_id, P.c.place_id)
    src = (C.outerjoin(S, and_(S.c.id == C.c.session_id, S.c.deleted.is_(False)))
           .outerjoin(P, P.c.id == S.c.platform_id))
    f = scope.filters
    where: list[ColumnElement[bool]] = [C.c.deleted.is_(False), C.c.received_on.is_not(None),
                                        C.c.received_on <= scope.as_of]
    if f.date_from:
        where.append(C.c.received_on >= f.date_from)
    if f.date_to:
        where.append(C.c.received_on <= f.date_to)
    if f.kind:
        where.append(S.c.kind == f.kind)
    if f.platform_id:
        where.append(platform == f.platform_id)
    if scope.place_ids is not None:
        where.append(place.in_(sorted(scope.place_ids)))
    return src, platform, place, where


def open_after(conn: Connection, scope: Scope, days: int, closed_at: Any) -> tuple[
        ColumnElement[bool], ColumnElement[bool]]:
    """(eligible, still open ``days`` after receipt) for a complaint row. Eligible: received at
    least ``days`` before the reference date. A final status with no dated move in its history
    counts as closed in time (nothing says otherwise)."""
    eligible = C.c.received_on <= scope.as_of - dt.timedelta(days=days)
    close_days = days_between(conn, closed_at, C.c.received_on)
    still_open = or_(and_(closed_at.is_(None),
                          or_(C.c.status.is_(None), not_(C.c.status.in_(FINAL_STATUSES)))),
                     close_days > days)
    return eligible, and_(eligible, still_open)


def complaints(conn: Connection, scope: Scope) -> list[tuple[Any, ...]]:
    """(place, month, category, channel, status, days_to_resolve|None, n,
    eligible30, open30, eligible90, open90)"""
    moves = final_moves()
    src, _platform, place, where = complaint_source(conn, scope)
    src = src.outerjoin(moves, moves.c.cid == C.c.id)
    month = month_of(conn, C.c.received_on)
    resolve_days = days_between(conn, moves.c.resolved_at, C.c.received_on)
    cols = (place, month, C.c.category, C.c.channel, C.c.status, resolve_days)
    flags: list[Any] = []
    for days in OPEN_AFTER_DAYS:
        eligible, still_open = open_after(conn, scope, days, moves.c.closed_at)
        flags += [func.sum(case((eligible, 1), else_=0)),
                  func.sum(case((still_open, 1), else_=0))]
    q = select(*cols, func.count(), *flags).select_from(src).where(*where)
    return [tuple(r) for r in conn.execute(_group(q, cols)).all()]


def action_source(scope: Scope) -> tuple[Any, Any, Any, list[ColumnElement[bool]]]:
    platform = func.coalesce(A.c.platform_id, S.c.platform_id)
    src = (A.join(S, S.c.id == A.c.session_id)
           .outerjoin(P, P.c.id == func.coalesce(A.c.platform_id, S.c.platform_id)))
    where = [A.c.deleted.is_(False), *session_conditions(scope, P.c.place_id, platform)]
    return src, platform, P.c.place_id, where


def overdue(scope: Scope) -> ColumnElement[bool]:
    return and_(A.c.status.in_(OPEN_ACTION_STATUSES), A.c.due_on.is_not(None),
                A.c.due_on < scope.as_of)


def actions(conn: Connection, scope: Scope) -> list[tuple[Any, ...]]:
    """(place, month, responsible_party, status, overdue 0/1, n)"""
    src, _platform, place, where = action_source(scope)
    month = month_of(conn, S.c.starts_at)
    late = case((overdue(scope), 1), else_=0)
    cols = (place, month, A.c.responsible_party, A.c.status, late)
    q = select(*cols, func.count()).select_from(src).where(*where)
    return [tuple(r) for r in conn.execute(_group(q, cols)).all()]


def places(conn: Connection) -> list[tuple[str, str | None, str | None, str | None, str | None]]:
    """(id, code, name, level, parent_id) of every place, live ones first, tombstones included
    (a deleted place still locates the records made there)."""
    t = models.tbl(models.Place)
    return [(r[0], r[1], r[2], r[3], r[4]) for r in conn.execute(
        select(t.c.id, t.c.code, t.c.name, t.c.level, t.c.parent_id)
        .order_by(t.c.deleted, t.c.id))]


def platforms(conn: Connection) -> list[tuple[str, str | None, str | None]]:
    return [(r[0], r[1], r[2]) for r in conn.execute(
        select(P.c.id, P.c.name, P.c.place_id).order_by(P.c.id))]


def priority_problems(conn: Connection) -> list[tuple[str, str | None]]:
    t = models.tbl(models.PriorityProblem)
    return [(r[0], r[1]) for r in conn.execute(select(t.c.id, t.c.title).order_by(t.c.id))]

