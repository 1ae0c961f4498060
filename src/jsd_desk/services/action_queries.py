"""Read queries of the Action items page: every session's commitments, filtered, with what
they became (their follow-ups)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Integer, column, func, select, text

from jsd_desk.domain.errors import NotFound
from jsd_desk.i18n import N_
from jsd_desk.services.actions import OPEN_STATUSES, SECURITY_FORCES
from jsd_desk.services.security import may_change
from jsd_desk.store import models
from jsd_desk.store.projection import fold
from jsd_desk.store.writer import Store

A = models.ActionItem
PAGE_SIZE = 200
OPEN = "open_any"  # the filter's "still open" (open or in progress)
DUE_CHOICES = ("overdue", "next_7", "next_30", "none")
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class ActionFilter:
    text: str = ""
    responsible_party: str | None = None
    owner: str | None = None  # exact owner, as chosen from the list of owners
    status: str | None = OPEN  # a status code, OPEN, or None for all
    due: str | None = None  # one of DUE_CHOICES
    platform_id: str | None = None


@dataclass(frozen=True)
class ActionRow:
    id: str
    description: str
    responsible_party: str | None
    owner: str
    due_on: dt.date | None
    status: str | None
    session_id: str | None
    session_title: str
    session_starts: dt.datetime | None
    platform: str
    follow_ups: int
    last_follow_up: dt.date | None
    overdue: bool


def is_overdue(due_on: dt.date | None, status: str | None, today: dt.date) -> bool:
    return due_on is not None and due_on < today and status in OPEN_STATUSES


def _where(store: Store, f: ActionFilter, today: dt.date) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [A.deleted.is_(False)]
    if f.responsible_party:
        where.append(A.responsible_party == f.responsible_party)
    if f.owner:
        where.append(A.owner == f.owner)
    if f.platform_id:
        where.append(A.platform_id == f.platform_id)
    if f.status == OPEN:
        where.append(A.status.in_(OPEN_STATUSES))
    elif f.status:
        where.append(A.status == f.status)
    if f.due == "overdue":
        where.extend((A.due_on < today, A.status.in_(OPEN_STATUSES)))
    elif f.due in ("next_7", "next_30"):
        days = 7 if f.due == "next_7" else 30
        where.extend((A.due_on >= today, A.due_on <= today + dt.timedelta(days=days)))
    elif f.due == "none":
        where.append(A.due_on.is_(None))
    tokens = _TOKEN.findall(fold(f.text[:200]))[:12]
    if f.text.strip() and not tokens:
        where.append(A.id.is_(None))
    elif tokens:
        doc = models.SearchDoc
        if store.engine.dialect.name == "sqlite":
            match = " ".join('"' + t.replace('"', '""') + '"*' for t in tokens)
            ids = select(doc.entity_id).where(
                doc.entity == "action_item",
                doc.rowid.in_(text("SELECT rowid FROM search_fts WHERE search_fts MATCH :m")
                              .bindparams(m=match).columns(column("rowid", Integer))))
        else:
            ids = select(doc.entity_id).where(doc.entity == "action_item",
                                              *[doc.body.like(f"%{t}%") for t in tokens])
        where.append(A.id.in_(ids))
    return where


def count_actions(store: Store, f: ActionFilter, *, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    with store.reading() as s:
        return int(s.scalar(select(func.count()).select_from(A)
                            .where(*_where(store, f, today))) or 0)


def count_overdue(store: Store, f: ActionFilter, *, today: dt.date | None = None) -> int:
    """How many of the filtered items are overdue (for the filter bar)."""
    today = today or dt.date.today()
    with store.reading() as s:
        return int(s.scalar(select(func.count()).select_from(A).where(
            *_where(store, f, today), A.due_on < today, A.status.in_(OPEN_STATUSES))) or 0)


def action_rows(store: Store, f: ActionFilter, offset: int, limit: int = PAGE_SIZE, *,
                today: dt.date | None = None) -> list[ActionRow]:
    """One page of action items: the soonest due first (overdue ones at the top), those
    without a due date last."""
    today = today or dt.date.today()
    sess, plat, fu = models.DialogueSession, models.Platform, models.FollowUp
    followups = (select(func.count(fu.id), func.max(fu.recorded_on))
                 .where(fu.action_item_id == A.id, fu.deleted.is_(False)).correlate(A))
    n_fu = followups.with_only_columns(func.count(fu.id)).scalar_subquery()
    last_fu = followups.with_only_columns(func.max(fu.recorded_on)).scalar_subquery()
    query = (select(A.id, A.description, A.responsible_party, A.owner, A.due_on, A.status,
                    A.session_id, sess.title, sess.starts_at, plat.name, n_fu, last_fu)
             .outerjoin(sess, sess.id == A.session_id)
             .outerjoin(plat, plat.id == A.platform_id)
             .where(*_where(store, f, today))
             .order_by(A.due_on.is_(None), A.due_on, A.id).offset(offset).limit(limit))
    with store.reading() as s:
        rows = s.execute(query).all()
    return [ActionRow(
        id=r[0], description=" ".join((r[1] or "").split()), responsible_party=r[2],
        owner=r[3] or "", due_on=r[4], status=r[5], session_id=r[6], session_title=r[7] or "",
        session_starts=r[8], platform=r[9] or "", follow_ups=int(r[10] or 0),
        last_follow_up=_as_date(r[11]), overdue=is_overdue(r[4], r[5], today)) for r in rows]


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])  # max() over a DATE comes back as text


def owners(store: Store) -> list[str]:
    """Every owner named on an action item, for the owner filter."""
    with store.reading() as s:
        names = s.scalars(select(A.owner).where(A.deleted.is_(False), A.owner.is_not(None),
                                                A.owner != "").distinct())
        return sorted({n.strip() for n in names if n and n.strip()}, key=fold)


@dataclass(frozen=True)
class FollowUpLine:
    id: str
    recorded_on: dt.date | None
    note: str
    status_after: str | None
    session_title: str


@dataclass(frozen=True)
class ActionDetail:
    id: str
    description: str
    responsible_party: str | None
    owner: str
    due_on: dt.date | None
    status: str | None
    session_id: str | None
    session_title: str
    session_starts: dt.datetime | None
    platform_id: str | None
    platform: str
    priority_problem: str
    follow_ups: tuple[FollowUpLine, ...]
    overdue: bool
    # Whether this device may change it (a liaison officer: only the security forces' items).
    editable: bool


def may_edit(store: Store, action_id: str, responsible_party: str | None) -> bool:
    """The rules ``services.actions`` enforces: a liaison officer updates only what the security
    forces owe; a ministry device only the items it recorded."""
    if store.keys.info.role == "liaison" and responsible_party not in SECURITY_FORCES:
        return False
    return may_change(store, "action_item", action_id)


def action_detail(store: Store, action_id: str, *, today: dt.date | None = None) -> ActionDetail:
    today = today or dt.date.today()
    sess, fu = models.DialogueSession, models.FollowUp
    with store.reading() as s:
        a = s.get(A, action_id)
        if a is None or a.deleted:
            raise NotFound(N_("No such action item."))
        session = s.get(sess, a.session_id) if a.session_id else None
        platform = s.get(models.Platform, a.platform_id) if a.platform_id else None
        problem = (s.get(models.PriorityProblem, a.priority_problem_id)
                   if a.priority_problem_id else None)
        lines = tuple(FollowUpLine(row.id, row.recorded_on, row.note or "", row.status_after,
                                   _session_label(title, starts))
                      for row, title, starts in s.execute(
                          select(fu, sess.title, sess.starts_at)
                          .outerjoin(sess, sess.id == fu.session_id)
                          .where(fu.action_item_id == action_id, fu.deleted.is_(False))
                          .order_by(fu.recorded_on, fu.id)).all())
        return ActionDetail(
            id=a.id, description=a.description or "", responsible_party=a.responsible_party,
            owner=a.owner or "", due_on=a.due_on, status=a.status, session_id=a.session_id,
            session_title=(session.title or "") if session else "",
            session_starts=session.starts_at if session else None, platform_id=a.platform_id,
            platform=(platform.name or "") if platform else "",
            priority_problem=(problem.title or "") if problem else "", follow_ups=lines,
            overdue=is_overdue(a.due_on, a.status, today),
            editable=may_edit(store, a.id, a.responsible_party))


def _session_label(title: str | None, starts: dt.datetime | None) -> str:
    if not title and not starts:
        return ""
    when = starts.strftime("%Y-%m-%d") if starts else ""
    return " · ".join(p for p in (when, title or "") if p)
