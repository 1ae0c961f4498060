"""What the Platforms & places page reads and changes: the tree of places, the platforms at a
place with their activity, each platform's priority problems and the story of one problem
across sessions (the concerns and action items linked to it). Creating places, platforms and
problems is ``services.places``; the edits it lacks (rename, describe, a problem's status) are
here, through the same write path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from jsd_desk.domain.errors import NotFound, PermissionDenied
from jsd_desk.i18n import N_
from jsd_desk.services.actions import OPEN_STATUSES
from jsd_desk.store import models
from jsd_desk.store.projection import fold
from jsd_desk.store.writer import Store

P, PL, PP = models.Place, models.Platform, models.PriorityProblem


@dataclass(frozen=True)
class PlaceNode:
    id: str
    parent_id: str | None  # None at the top, and for an orphan whose parent has not arrived
    name: str
    level: str | None
    code: str | None
    platforms: int  # platforms at this very place


def place_nodes(store: Store) -> list[PlaceNode]:
    """Every place, parents before children, siblings by name."""
    with store.reading() as s:
        rows = s.execute(select(P.id, P.parent_id, P.name, P.level, P.code)
                         .where(P.deleted.is_(False))).all()
        counts = dict(s.execute(select(PL.place_id, func.count()).where(PL.deleted.is_(False))
                                .group_by(PL.place_id)).all())
    ids = {r[0] for r in rows}
    children: dict[str | None, list[Any]] = {}
    for r in rows:
        children.setdefault(r[1] if r[1] in ids else None, []).append(r)
    out: list[PlaceNode] = []
    seen: set[str] = set()
    stack: list[tuple[str | None, list[Any]]] = [(None, sorted(
        children.get(None, []), key=lambda r: (fold(r[2] or ""), r[0]), reverse=True))]
    # Depth-first without recursion: a deep or cyclic tree from a bad sync cannot overflow.
    while stack:
        _parent, pending = stack[-1]
        if not pending:
            stack.pop()
            continue
        r = pending.pop()
        if r[0] in seen:
            continue
        seen.add(r[0])
        parent = r[1] if r[1] in ids else None
        out.append(PlaceNode(r[0], parent, r[2] or "", r[3], r[4], int(counts.get(r[0], 0))))
        kids = sorted(children.get(r[0], []), key=lambda k: (fold(k[2] or ""), k[0]),
                      reverse=True)
        stack.append((r[0], kids))
    # Places caught in a cycle (a ← b ← a) are nobody's descendant: show them at the top.
    for r in rows:
        if r[0] not in seen:
            seen.add(r[0])
            out.append(PlaceNode(r[0], None, r[2] or "", r[3], r[4], int(counts.get(r[0], 0))))
    return out


def descendants(nodes: list[PlaceNode], place_id: str) -> set[str]:
    kids: dict[str | None, list[str]] = {}
    for n in nodes:
        kids.setdefault(n.parent_id, []).append(n.id)
    out, todo = {place_id}, [place_id]
    while todo:
        for child in kids.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


@dataclass(frozen=True)
class PlatformRow:
    id: str
    name: str
    place_id: str | None
    place: str
    sessions: int
    last_session: dt.datetime | None
    open_actions: int
    problems: int


def platform_rows(store: Store, place_ids: set[str] | None = None) -> list[PlatformRow]:
    """Platforms (at the given places, or all), by name, with their activity."""
    sess, act = models.DialogueSession, models.ActionItem
    n_sessions = (select(func.count(sess.id)).where(sess.platform_id == PL.id,
                                                    sess.deleted.is_(False))
                  .correlate(PL).scalar_subquery())
    last = (select(func.max(sess.starts_at)).where(sess.platform_id == PL.id,
                                                   sess.deleted.is_(False))
            .correlate(PL).scalar_subquery())
    n_open = (select(func.count(act.id)).where(act.platform_id == PL.id, act.deleted.is_(False),
                                               act.status.in_(OPEN_STATUSES))
              .correlate(PL).scalar_subquery())
    n_problems = (select(func.count(PP.id)).where(PP.platform_id == PL.id,
                                                  PP.deleted.is_(False))
                  .correlate(PL).scalar_subquery())
    query = (select(PL.id, PL.name, PL.place_id, P.name, n_sessions, last, n_open, n_problems)
             .outerjoin(P, P.id == PL.place_id).where(PL.deleted.is_(False)))
    if place_ids is not None:
        query = query.where(PL.place_id.in_(sorted(place_ids)))
    with store.reading() as s:
        rows = s.execute(query).all()
    out = [PlatformRow(r[0], r[1] or "", r[2], r[3] or "", int(r[4] or 0), _as_datetime(r[5]),
                       int(r[6] or 0), int(r[7] or 0)) for r in rows]
    return sorted(out, key=lambda p: (fold(p.name), p.id))


def _as_datetime(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))  # max() over a DATETIME can come back as text


@dataclass(frozen=True)
class PlatformDetail:
    id: str
    name: str
    place_id: str | None
    description: str


def platform_detail(store: Store, platform_id: str) -> PlatformDetail:
    with store.reading() as s:
        p = s.get(PL, platform_id)
        if p is None or p.deleted:
            raise NotFound(N_("No such platform."))
        return PlatformDetail(p.id, p.name or "", p.place_id, p.description or "")


@dataclass(frozen=True)
class ProblemRow:
    id: str
    title: str
    description: str
    status: str | None
    concerns: int
    actions: int
    open_actions: int


def problem_rows(store: Store, platform_id: str) -> list[ProblemRow]:
    con, act = models.Concern, models.ActionItem
    n_con = (select(func.count(con.id)).where(con.priority_problem_id == PP.id,
                                              con.deleted.is_(False))
             .correlate(PP).scalar_subquery())
    n_act = (select(func.count(act.id)).where(act.priority_problem_id == PP.id,
                                              act.deleted.is_(False))
             .correlate(PP).scalar_subquery())
    n_open = (select(func.count(act.id)).where(act.priority_problem_id == PP.id,
                                               act.deleted.is_(False),
                                               act.status.in_(OPEN_STATUSES))
              .correlate(PP).scalar_subquery())
    with store.reading() as s:
        rows = s.execute(select(PP.id, PP.title, PP.description, PP.status, n_con, n_act, n_open)
                         .where(PP.platform_id == platform_id, PP.deleted.is_(False))).all()
    out = [ProblemRow(r[0], r[1] or "", r[2] or "", r[3], int(r[4] or 0), int(r[5] or 0),
                      int(r[6] or 0)) for r in rows]
    order = {"active": 0, "addressed": 1, "dropped": 2}
    return sorted(out, key=lambda p: (order.get(p.status or "", 3), fold(p.title), p.id))


@dataclass(frozen=True)
class StoryLine:
    """One moment in a priority problem's story: a concern raised or an action item agreed."""

    entity: str  # "concern" or "action_item"
    id: str
    when: dt.datetime | None  # the session's start
    session_title: str
    text: str
    status: str | None  # an action item's status


def problem_story(store: Store, problem_id: str) -> list[StoryLine]:
    """The concerns and action items linked to a priority problem, session after session."""
    con, act, sess = models.Concern, models.ActionItem, models.DialogueSession
    with store.reading() as s:
        concerns = s.execute(select(con.id, sess.starts_at, sess.title, con.description,
                                    con.theme)
                             .outerjoin(sess, sess.id == con.session_id)
                             .where(con.priority_problem_id == problem_id,
                                    con.deleted.is_(False))).all()
        actions = s.execute(select(act.id, sess.starts_at, sess.title, act.description,
                                   act.status)
                            .outerjoin(sess, sess.id == act.session_id)
                            .where(act.priority_problem_id == problem_id,
                                   act.deleted.is_(False))).all()
    lines = [StoryLine("concern", r[0], r[1], r[2] or "",
                       _one_line(f"{r[4]}: {r[3] or ''}" if r[4] else r[3]), None)
             for r in concerns]
    lines.extend(StoryLine("action_item", r[0], r[1], r[2] or "", _one_line(r[3]), r[4])
                 for r in actions)
    # In one session, what was raised comes before what was agreed about it.
    return sorted(lines, key=lambda x: (x.when or dt.datetime.min, x.entity != "concern", x.id))


def platform_of_problem(store: Store, problem_id: str) -> str | None:
    with store.reading() as s:
        problem = s.get(PP, problem_id)
        return problem.platform_id if problem is not None and not problem.deleted else None


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


# -- edits ----------------------------------------------------------------------------------------


def _require_not_liaison(store: Store) -> None:
    # Platforms and their problems are the facilitators' and the ministry's records.
    if store.keys.info.role == "liaison":
        raise PermissionDenied(N_("A liaison officer's device does not change platforms."))


def update_platform(store: Store, platform_id: str, **fields: Any) -> bool:
    """Rename, move or describe a platform."""
    _require_not_liaison(store)
    bad = set(fields) - {"name", "place_id", "description"}
    if bad:
        raise PermissionDenied(N_("This field cannot be changed here."))
    with store.transaction() as tx:
        rec = tx.get("platform", platform_id)
        if rec is None or rec["deleted"]:
            raise NotFound(N_("No such platform."))
        return tx.put("platform", platform_id, fields) is not None


def update_priority_problem(store: Store, problem_id: str, **fields: Any) -> bool:
    """Change a priority problem's title, description or status (active, addressed,
    dropped)."""
    _require_not_liaison(store)
    bad = set(fields) - {"title", "description", "status"}
    if bad:
        raise PermissionDenied(N_("This field cannot be changed here."))
    with store.transaction() as tx:
        rec = tx.get("priority_problem", problem_id)
        if rec is None or rec["deleted"]:
            raise NotFound(N_("No such priority problem."))
        return tx.put("priority_problem", problem_id, fields) is not None


def update_place(store: Store, place_id: str, **fields: Any) -> bool:
    _require_not_liaison(store)
    bad = set(fields) - {"name", "code", "level"}
    if bad:
        raise PermissionDenied(N_("This field cannot be changed here."))
    with store.transaction() as tx:
        rec = tx.get("place", place_id)
        if rec is None or rec["deleted"]:
            raise NotFound(N_("The place does not exist."))
        return tx.put("place", place_id, fields) is not None
