"""Choices for the forms' drop-downs: platforms, their priority problems, recent sessions and
places, each as an id and the label the list shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from jsd_desk.store import models
from jsd_desk.store.projection import fold
from jsd_desk.store.writer import Store


@dataclass(frozen=True)
class Choice:
    id: str
    label: str


def platform_choices(store: Store) -> list[Choice]:
    p = models.Platform
    with store.reading() as s:
        return [Choice(r.id, r.name or "") for r in s.scalars(
            select(p).where(p.deleted.is_(False)).order_by(p.name, p.id))]


def priority_problem_choices(store: Store, platform_id: str | None) -> list[Choice]:
    p = models.PriorityProblem
    with store.reading() as s:
        return [Choice(r.id, r.title or "") for r in s.scalars(
            select(p).where(p.platform_id == platform_id, p.deleted.is_(False))
            .order_by(p.title, p.id))]


def session_choices(store: Store, limit: int = 300) -> list[Choice]:
    """Recent sessions, newest first, for a complaint received in a session."""
    sess, plat = models.DialogueSession, models.Platform
    with store.reading() as s:
        rows = s.execute(select(sess.id, sess.title, sess.starts_at, plat.name)
                         .outerjoin(plat, plat.id == sess.platform_id)
                         .where(sess.deleted.is_(False))
                         .order_by(sess.starts_at.desc(), sess.id).limit(limit)).all()
    out = []
    for sid, title, starts, platform in rows:
        when = starts.strftime("%Y-%m-%d") if starts else ""
        label = " · ".join(p for p in (when, title or "", platform or "") if p)
        out.append(Choice(sid, label))
    return out


def place_choices(store: Store) -> list[Choice]:
    """Every place, in tree order, labelled by its path below the country
    ("Niamey › Niamey IV › Talladjé"); the country itself by its name."""
    p = models.Place
    with store.reading() as s:
        rows = s.execute(select(p.id, p.parent_id, p.name).where(p.deleted.is_(False))).all()
    children: dict[str | None, list[tuple[str, str]]] = {}
    ids = {r[0] for r in rows}
    for pid, parent, name in rows:
        key = parent if parent in ids else None  # an orphan shows at the top
        children.setdefault(key, []).append((pid, name or ""))
    out: list[Choice] = []
    seen: set[str] = set()

    def walk(parent: str | None, path: tuple[str, ...]) -> None:
        for pid, name in sorted(children.get(parent, []), key=lambda x: (fold(x[1]), x[0])):
            if pid in seen:
                continue
            seen.add(pid)
            # Below the top level the country is implied: the path starts at the region.
            here = (*path, name) if parent is not None else ()
            out.append(Choice(pid, " › ".join(here) or name))
            walk(pid, here)

    walk(None, ())
    return out
