"""Read queries the GUI needs: paged lists, the Home summary, a session's related records.

The ``ui`` layer never runs SQL itself; it calls these functions, which return plain values
(dataclasses, ORM rows already loaded). Nothing here returns a complainant's identity.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Integer, and_, column, func, or_, select, text

from jsd_desk.domain import vocab
from jsd_desk.services.search import Hit
from jsd_desk.services.views import (
    ActionItemView,
    AgendaItemView,
    AmendmentView,
    ConcernView,
    FollowUpView,
    SessionView,
    view_of,
)
from jsd_desk.store import models
from jsd_desk.store.projection import fold
from jsd_desk.store.writer import Store

S = models.DialogueSession
_TOKEN = re.compile(r"\w+", re.UNICODE)

FINAL_COMPLAINT_STATUSES = ("resolved", "closed_unresolved", "withdrawn")
OPEN_ACTION_STATUSES = ("open", "in_progress")
PERIODS = ("upcoming", "last_30", "last_90", "this_year")


# -- sessions list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionFilter:
    text: str = ""
    platform_id: str | None = None
    kind: str | None = None
    status: str | None = None
    period: str | None = None  # one of PERIODS


@dataclass(frozen=True)
class SessionRow:
    id: str
    title: str
    starts_at: dt.datetime | None
    platform: str
    kind: str | None
    status: str | None
    participants: int


def _fts_match(query: str) -> str | None:
    # Each token a quoted prefix: user input never reaches FTS5's query syntax.
    tokens = _TOKEN.findall(fold(query[:500]))[:12]
    if not tokens:
        return None
    return " ".join('"' + t.replace('"', '""') + '"*' for t in tokens)


def _session_where(store: Store, f: SessionFilter, now: dt.datetime) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [S.deleted.is_(False)]
    if f.platform_id:
        where.append(S.platform_id == f.platform_id)
    if f.kind:
        where.append(S.kind == f.kind)
    if f.status:
        where.append(S.status == f.status)
    if f.period == "upcoming":
        where.append(S.starts_at >= now.replace(hour=0, minute=0, second=0, microsecond=0))
    elif f.period in ("last_30", "last_90"):
        days = 30 if f.period == "last_30" else 90
        where.append(and_(S.starts_at >= now - dt.timedelta(days=days), S.starts_at <= now))
    elif f.period == "this_year":
        where.append(and_(S.starts_at >= dt.datetime(now.year, 1, 1),
                          S.starts_at < dt.datetime(now.year + 1, 1, 1)))
    match = _fts_match(f.text) if f.text.strip() else None
    if f.text.strip() and match is None:
        where.append(S.id.is_(None))  # only punctuation: nothing matches
    elif match is not None:
        doc = models.SearchDoc
        if store.engine.dialect.name == "sqlite":
            ids = select(doc.entity_id).where(
                doc.entity == "session",
                doc.rowid.in_(text("SELECT rowid FROM search_fts WHERE search_fts MATCH :m")
                              .bindparams(m=match).columns(column("rowid", Integer))))
        else:
            tokens = _TOKEN.findall(fold(f.text[:500]))[:12]
            ids = select(doc.entity_id).where(
                doc.entity == "session", *[doc.body.like(f"%{t}%") for t in tokens])
        where.append(S.id.in_(ids))
    return where


def count_sessions(store: Store, f: SessionFilter, *, now: dt.datetime | None = None) -> int:
    now = now or dt.datetime.now()
    with store.reading() as s:
        return int(s.scalar(select(func.count()).select_from(S)
                            .where(*_session_where(store, f, now))) or 0)


def session_rows(store: Store, f: SessionFilter, offset: int, limit: int, *,
                 now: dt.datetime | None = None) -> list[SessionRow]:
    """One page of sessions, newest first."""
    now = now or dt.datetime.now()
    att = models.Attendance
    participants = (select(func.coalesce(func.sum(att.count), 0))
                    .where(att.session_id == S.id, att.deleted.is_(False))
                    .correlate(S).scalar_subquery())
    platform = models.Platform
    query = (
        select(S.id, S.title, S.starts_at, platform.name, S.kind, S.status, participants)
        .outerjoin(platform, platform.id == S.platform_id)
        .where(*_session_where(store, f, now))
        .order_by(S.starts_at.desc(), S.id).offset(offset).limit(limit))
    with store.reading() as s:
        return [SessionRow(r[0], r[1] or "", r[2], r[3] or "", r[4], r[5], int(r[6] or 0))
                for r in s.execute(query)]


def has_sessions(store: Store) -> bool:
    with store.reading() as s:
        return s.scalar(select(S.id).where(S.deleted.is_(False)).limit(1)) is not None


# -- one session and what belongs to it ----------------------------------------------------------


def session(store: Store, session_id: str) -> SessionView | None:
    with store.reading() as s:
        rec = s.get(S, session_id)
        return None if rec is None or rec.deleted else view_of(SessionView, rec)


def agenda_items(store: Store, session_id: str) -> list[AgendaItemView]:
    a = models.AgendaItem
    with store.reading() as s:
        return [view_of(AgendaItemView, r) for r in s.scalars(
            select(a).where(a.session_id == session_id, a.deleted.is_(False))
            .order_by(a.position, a.id))]


@dataclass(frozen=True)
class AttendanceCell:
    count: int
    names: str | None


def attendance_cells(store: Store, session_id: str) -> dict[tuple[str, str], AttendanceCell]:
    a = models.Attendance
    cells: dict[tuple[str, str], AttendanceCell] = {}
    with store.reading() as s:
        for row in s.scalars(select(a).where(a.session_id == session_id, a.deleted.is_(False))
                             .order_by(a.id)):
            key = (row.category or "other", row.gender or "unspecified")
            prev = cells.get(key)
            count = (row.count or 0) + (prev.count if prev else 0)
            names = "\n".join(n for n in ((prev.names if prev else None), row.names) if n) or None
            cells[key] = AttendanceCell(count, names)
    return cells


def concerns(store: Store, session_id: str) -> list[ConcernView]:
    c = models.Concern
    with store.reading() as s:
        return [view_of(ConcernView, r) for r in s.scalars(
            select(c).where(c.session_id == session_id, c.deleted.is_(False)).order_by(c.id))]


@dataclass(frozen=True)
class ComplaintLine:
    """A complaint as lists show it: never the complainant's identity."""

    id: str
    reference: str
    received_on: dt.date | None
    category: str | None
    status: str | None
    anonymous: bool
    description: str


def _complaint_line(c: models.Complaint) -> ComplaintLine:
    return ComplaintLine(c.id, c.reference or "", c.received_on, c.category, c.status,
                         bool(c.anonymous), c.description or "")


def session_complaints(store: Store, session_id: str) -> list[ComplaintLine]:
    c = models.Complaint
    with store.reading() as s:
        return [_complaint_line(r) for r in s.scalars(
            select(c).where(c.session_id == session_id, c.deleted.is_(False))
            .order_by(c.reference, c.id))]


def session_action_items(store: Store, session_id: str) -> list[ActionItemView]:
    a = models.ActionItem
    with store.reading() as s:
        return [view_of(ActionItemView, r) for r in s.scalars(
            select(a).where(a.session_id == session_id, a.deleted.is_(False))
            .order_by(a.due_on, a.id))]


def action_item(store: Store, action_id: str) -> ActionItemView | None:
    with store.reading() as s:
        rec = s.get(models.ActionItem, action_id)
        return None if rec is None or rec.deleted else view_of(ActionItemView, rec)


def follow_ups_in_session(store: Store, session_id: str) -> dict[str, list[FollowUpView]]:
    """Follow-ups recorded in this session, by action item."""
    fu = models.FollowUp
    out: dict[str, list[FollowUpView]] = {}
    with store.reading() as s:
        for row in s.scalars(select(fu).where(fu.session_id == session_id, fu.deleted.is_(False))
                             .order_by(fu.recorded_on, fu.id)):
            out.setdefault(row.action_item_id or "", []).append(view_of(FollowUpView, row))
    return out


def amendments(store: Store, session_id: str) -> list[AmendmentView]:
    a = models.Amendment
    with store.reading() as s:
        return [view_of(AmendmentView, r) for r in s.scalars(
            select(a).where(a.session_id == session_id, a.deleted.is_(False))
            .order_by(a.recorded_at, a.id))]


# -- Home ------------------------------------------------------------------------------------------


def upcoming_sessions(store: Store, *, now: dt.datetime | None = None,
                      limit: int = 6) -> list[SessionRow]:
    now = now or dt.datetime.now()
    rows = session_rows(store, SessionFilter(period="upcoming"), 0, 1000, now=now)
    return sorted(rows, key=lambda r: (r.starts_at or now, r.id))[:limit]


@dataclass(frozen=True)
class ActionLine:
    id: str
    description: str
    responsible_party: str | None
    owner: str | None
    due_on: dt.date | None
    status: str | None
    platform: str


def overdue_action_items(store: Store, *, today: dt.date | None = None,
                         limit: int = 8) -> tuple[list[ActionLine], int]:
    """The most overdue open action items, and how many are overdue in all."""
    today = today or dt.date.today()
    a, p = models.ActionItem, models.Platform
    where = (a.deleted.is_(False), a.status.in_(OPEN_ACTION_STATUSES), a.due_on < today)
    with store.reading() as s:
        total = int(s.scalar(select(func.count()).select_from(a).where(*where)) or 0)
        rows = s.execute(select(a, p.name).outerjoin(p, p.id == a.platform_id).where(*where)
                         .order_by(a.due_on, a.id).limit(limit)).all()
    return [ActionLine(r[0].id, r[0].description or "", r[0].responsible_party, r[0].owner,
                       r[0].due_on, r[0].status, r[1] or "") for r in rows], total


def complaints_waiting_longest(store: Store, *, limit: int = 8) -> tuple[list[ComplaintLine], int]:
    """Complaints still open, oldest first, and how many are open in all."""
    c = models.Complaint
    where = (c.deleted.is_(False), or_(c.status.is_(None), c.status.not_in(FINAL_COMPLAINT_STATUSES)))
    with store.reading() as s:
        total = int(s.scalar(select(func.count()).select_from(c).where(*where)) or 0)
        rows = list(s.scalars(select(c).where(*where).order_by(c.received_on, c.reference)
                              .limit(limit)))
    return [_complaint_line(r) for r in rows], total


@dataclass(frozen=True)
class SessionAttendance:
    id: str
    title: str
    starts_at: dt.datetime | None
    by_gender: dict[str, int] = field(default_factory=dict)


def attendance_by_gender_recent(store: Store, *, now: dt.datetime | None = None,
                                limit: int = 8) -> list[SessionAttendance]:
    """Participants by gender in the most recent past sessions, oldest first (for a chart)."""
    now = now or dt.datetime.now()
    att = models.Attendance
    with store.reading() as s:
        recent = list(s.execute(select(S.id, S.title, S.starts_at).where(
            S.deleted.is_(False), S.starts_at <= now).order_by(S.starts_at.desc(), S.id)
            .limit(limit)))
        ids = [r[0] for r in recent]
        totals: dict[str, dict[str, int]] = {i: dict.fromkeys(vocab.GENDER.codes(), 0) for i in ids}
        if ids:
            for sid, gender, n in s.execute(
                    select(att.session_id, att.gender, func.sum(att.count))
                    .where(att.session_id.in_(ids), att.deleted.is_(False))
                    .group_by(att.session_id, att.gender)):
                bucket = totals[str(sid)]
                key = gender if gender in bucket else "unspecified"
                bucket[key] += int(n or 0)
    return [SessionAttendance(r[0], r[1] or "", r[2], totals[r[0]]) for r in reversed(recent)]


def complaints_by_status(store: Store) -> dict[str, int]:
    c = models.Complaint
    out = dict.fromkeys(vocab.COMPLAINT_STATUS.codes(), 0)
    with store.reading() as s:
        for status, n in s.execute(select(c.status, func.count()).where(c.deleted.is_(False))
                                   .group_by(c.status)):
            if status in out:
                out[status] = int(n)
    return out


# -- search results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HitView:
    entity: str
    record_id: str
    label: str


def describe_hits(store: Store, hits: Sequence[Hit]) -> list[HitView]:
    """Labels for search hits, in the hits' order."""
    wanted: dict[str, list[str]] = {}
    for h in hits:
        wanted.setdefault(h.entity, []).append(h.entity_id)
    labels: dict[tuple[str, str], str] = {}
    with store.reading() as s:
        for entity, ids in wanted.items():
            model = models.SYNCED_MODELS.get(entity)
            if model is None:
                continue
            for row in s.scalars(select(model).where(model.id.in_(ids), model.deleted.is_(False))):
                labels[(entity, row.id)] = _label(entity, row)
    out = []
    for h in hits:
        key = (h.entity, h.entity_id)
        if key in labels:
            out.append(HitView(key[0], key[1], labels[key]))
    return out


def _short(value: str | None, n: int = 70) -> str:
    value = " ".join((value or "").split())
    return value if len(value) <= n else value[:n - 1] + "…"


def _label(entity: str, row: object) -> str:
    # Labels are data plus a vocabulary label; the kind of record is shown by the UI.
    if isinstance(row, models.DialogueSession):
        when = row.starts_at.strftime("%Y-%m-%d") if row.starts_at else ""
        return f"{when} · {_short(row.title)}"
    if isinstance(row, models.Complaint):
        return f"{row.reference} · {vocab.COMPLAINT_CATEGORY.label(row.category or '')}"
    if isinstance(row, models.ActionItem):
        return _short(row.description)
    if isinstance(row, models.Concern):
        return _short(row.theme or row.description)
    for attr in ("name", "title"):
        if hasattr(row, attr):
            return _short(getattr(row, attr))
    return entity
