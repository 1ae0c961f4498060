"""Dialogue sessions: details, agenda, attendance, concerns, finalization and amendments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import NotFound, PermissionDenied, ValidationError
from jsd_desk.i18n import N_
from jsd_desk.services.security import check_may_change
from jsd_desk.store import models
from jsd_desk.store.writer import Record, Store, Tx

SESSION_FIELDS = ("platform_id", "kind", "title", "starts_at", "ends_at", "venue", "language",
                  "facilitator", "minutes")


def _require_editor(store: Store) -> None:
    # Sessions are the facilitator's record; a liaison officer updates statuses, not minutes.
    if store.keys.info.role == "liaison":
        raise PermissionDenied(N_("A liaison officer's device cannot edit sessions."))


def _session(tx: Tx, session_id: str) -> Record:
    rec = tx.get("session", session_id)
    if rec is None or rec["deleted"]:
        raise NotFound(N_("No such session."))
    check_may_change(tx, "session", session_id)  # a ministry device: only its own sessions
    return rec


def _draft(tx: Tx, session_id: str) -> Record:
    rec = _session(tx, session_id)
    if rec["status"] == "finalized":
        raise ValidationError("status", N_("This session is finalized; record a correction as an amendment."))
    return rec


def create_session(store: Store, *, platform_id: str, kind: str, title: str,
                   starts_at: dt.datetime | str, ends_at: dt.datetime | str | None = None,
                   venue: str | None = None, language: str = "fr",
                   facilitator: str | None = None, minutes: str | None = None) -> str:
    _require_editor(store)
    with store.transaction() as tx:
        if tx.get("platform", platform_id) is None:
            raise NotFound(N_("No such platform."))
        return tx.create("session", {
            "platform_id": platform_id, "kind": kind, "title": title, "starts_at": starts_at,
            "ends_at": ends_at, "venue": venue, "language": language, "facilitator": facilitator,
            "minutes": minutes, "status": "draft"})


def update_session(store: Store, session_id: str, **fields: Any) -> bool:
    """Change details of a draft session; returns whether anything changed."""
    _require_editor(store)
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], N_("This field cannot be changed here."))
    with store.transaction() as tx:
        _draft(tx, session_id)
        return tx.put("session", session_id, fields) is not None


def add_agenda_item(store: Store, session_id: str, title: str, notes: str | None = None) -> str:
    _require_editor(store)
    with store.transaction() as tx:
        _draft(tx, session_id)
        position = len(agenda_ids(tx, session_id)) + 1
        return tx.create("agenda_item", {"session_id": session_id, "title": title,
                                         "notes": notes, "position": position})


def agenda_ids(tx: Tx, session_id: str) -> list[str]:
    return tx.find("agenda_item", {"session_id": session_id}, ("position",))


def reorder_agenda(store: Store, session_id: str, ordered_ids: list[str]) -> None:
    """Give the agenda the order of ``ordered_ids`` (every item of the session, once)."""
    _require_editor(store)
    with store.transaction() as tx:
        _draft(tx, session_id)
        if sorted(ordered_ids) != sorted(agenda_ids(tx, session_id)):
            raise ValidationError("position", N_("The new order must list every agenda item once."))
        for position, item_id in enumerate(ordered_ids, start=1):
            tx.put("agenda_item", item_id, {"position": position})


def set_attendance(store: Store, session_id: str, category: str, gender: str, count: int,
                   names: str | None = None) -> str:
    """Set the count of one category × gender cell (one record per cell and session)."""
    _require_editor(store)
    with store.transaction() as tx:
        _draft(tx, session_id)
        cells = tx.find("attendance", {"session_id": session_id, "category": category,
                                       "gender": gender})
        existing = cells[0] if cells else None
        fields: dict[str, Any] = {"session_id": session_id, "category": category, "gender": gender,
                                  "count": count}
        if names is not None:
            fields["names"] = names
        if existing is None:
            return tx.create("attendance", fields)
        tx.put("attendance", existing, fields)
        return existing


@dataclass(frozen=True)
class AttendanceTotals:
    by_cell: dict[tuple[str, str], int]

    @property
    def total(self) -> int:
        return sum(self.by_cell.values())

    def by_category(self) -> dict[str, int]:
        out = dict.fromkeys(vocab.PARTICIPANT_CATEGORY.codes(), 0)
        for (cat, _g), n in self.by_cell.items():
            out[cat] = out.get(cat, 0) + n
        return out

    def by_gender(self) -> dict[str, int]:
        out = dict.fromkeys(vocab.GENDER.codes(), 0)
        for (_c, gender), n in self.by_cell.items():
            out[gender] = out.get(gender, 0) + n
        return out


def attendance_totals(store: Store, session_id: str) -> AttendanceTotals:
    cells: dict[tuple[str, str], int] = {}
    with store.reading() as s:
        for row in s.scalars(select(models.Attendance).where(
                models.Attendance.session_id == session_id, models.Attendance.deleted.is_(False))):
            key = (row.category or "other", row.gender or "unspecified")
            cells[key] = cells.get(key, 0) + (row.count or 0)
    return AttendanceTotals(cells)


def add_concern(store: Store, session_id: str, *, description: str, theme: str | None = None,
                raised_by: str | None = None, priority_problem_id: str | None = None) -> str:
    _require_editor(store)
    with store.transaction() as tx:
        _draft(tx, session_id)
        return tx.create("concern", {"session_id": session_id, "theme": theme,
                                     "description": description, "raised_by": raised_by,
                                     "priority_problem_id": priority_problem_id})


def finalize_session(store: Store, session_id: str, at: dt.datetime | None = None) -> None:
    _require_editor(store)
    with store.transaction() as tx:
        _draft(tx, session_id)
        when = at or dt.datetime.now().replace(second=0, microsecond=0)
        tx.put("session", session_id, {"status": "finalized", "finalized_at": when})


def add_amendment(store: Store, session_id: str, *, text: str, field: str | None = None,
                  at: dt.datetime | None = None) -> str:
    """A correction to a finalized session: recorded beside it, shown in the minutes."""
    _require_editor(store)
    with store.transaction() as tx:
        rec = _session(tx, session_id)
        if rec["status"] != "finalized":
            raise ValidationError("status", N_("A draft session is edited directly, not amended."))
        if not text.strip():
            raise ValidationError("text", N_("This field is required."))
        return tx.create("amendment", {"session_id": session_id, "field": field, "text": text,
                                       "recorded_at": at or dt.datetime.now().replace(microsecond=0)})


def find_session(store: Store, id_or_prefix: str) -> str:
    """A session id from a full id or a unique prefix (as the command line accepts)."""
    prefix = id_or_prefix.strip().lower()
    if len(prefix) < 4:
        raise ValidationError("session", N_("Give at least 4 characters of the session id."))
    with store.reading() as s:
        ids = list(s.scalars(select(models.DialogueSession.id).where(
            models.DialogueSession.id.startswith(prefix, autoescape=True),
            models.DialogueSession.deleted.is_(False)).limit(2)))
    if not ids:
        raise NotFound(N_("No session matches “{prefix}”."), prefix=id_or_prefix)
    if len(ids) > 1:
        raise NotFound(N_("Several sessions match “{prefix}”; give more of the id."), prefix=id_or_prefix)
    return ids[0]
