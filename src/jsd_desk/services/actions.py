"""Action items (commitments) and their follow-up, session after session."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from jsd_desk.domain.errors import NotFound, PermissionDenied
from jsd_desk.domain.validation import check_due_date
from jsd_desk.i18n import N_
from jsd_desk.services.security import check_may_change
from jsd_desk.services.views import ActionItemView, FollowUpView, view_of
from jsd_desk.store import models
from jsd_desk.store.writer import Record, Store, Tx

SECURITY_FORCES = ("police", "gendarmerie", "garde_nationale")
OPEN_STATUSES = ("open", "in_progress")


def _action(tx: Tx, action_id: str) -> Record:
    rec = tx.get("action_item", action_id)
    if rec is None or rec["deleted"]:
        raise NotFound(N_("No such action item."))
    check_may_change(tx, "action_item", action_id)  # a ministry device: only its own
    return rec


def _check_liaison(store: Store, rec: Record) -> None:
    # A liaison officer answers for what the security forces owe, not for others' commitments.
    if store.keys.info.role == "liaison" and rec.get("responsible_party") not in SECURITY_FORCES:
        raise PermissionDenied(N_("A liaison officer updates only the security forces' action items."))


def add_action_item(store: Store, session_id: str, *, description: str, responsible_party: str,
                    owner: str | None = None, due_on: dt.date | str | None = None,
                    priority_problem_id: str | None = None) -> str:
    if store.keys.info.role == "liaison":
        raise PermissionDenied(N_("A liaison officer's device cannot edit sessions."))
    with store.transaction() as tx:
        session = tx.get("session", session_id)
        if session is None or session["deleted"]:
            raise NotFound(N_("No such session."))
        check_may_change(tx, "session", session_id)
        check_due_date(due_on, session["starts_at"])
        return tx.create("action_item", {
            "session_id": session_id, "platform_id": session["platform_id"],
            "description": description, "responsible_party": responsible_party, "owner": owner,
            "due_on": due_on, "status": "open", "priority_problem_id": priority_problem_id})


def update_action_item(store: Store, action_id: str, **fields: Any) -> bool:
    with store.transaction() as tx:
        rec = _action(tx, action_id)
        _check_liaison(store, rec)
        if "due_on" in fields and rec.get("session_id"):
            session = tx.get("session", rec["session_id"])
            if session is not None:
                check_due_date(fields["due_on"], session["starts_at"])
        return tx.put("action_item", action_id, fields) is not None


def add_follow_up(store: Store, action_id: str, *, note: str, session_id: str | None = None,
                  status_after: str | None = None, recorded_on: dt.date | None = None) -> str:
    """What was said about an action item (in a session or not), and its status after."""
    with store.transaction() as tx:
        rec = _action(tx, action_id)
        _check_liaison(store, rec)
        fid = tx.create("follow_up", {
            "action_item_id": action_id, "session_id": session_id, "note": note,
            "status_after": status_after or rec["status"],
            "recorded_on": recorded_on or dt.date.today()})
        if status_after:
            tx.put("action_item", action_id, {"status": status_after})
        return fid


def open_items_for_session(store: Store, session_id: str) -> list[ActionItemView]:
    """The platform's open action items agreed before this session: they carry over into it."""
    with store.reading() as s:
        session = s.get(models.DialogueSession, session_id)
        if session is None:
            return []
        earlier = select(models.DialogueSession.id).where(
            models.DialogueSession.platform_id == session.platform_id,
            models.DialogueSession.starts_at < session.starts_at)
        return [view_of(ActionItemView, r) for r in s.scalars(select(models.ActionItem).where(
            models.ActionItem.platform_id == session.platform_id,
            models.ActionItem.session_id.in_(earlier),
            models.ActionItem.status.in_(OPEN_STATUSES),
            models.ActionItem.deleted.is_(False)).order_by(models.ActionItem.due_on,
                                                          models.ActionItem.id))]


def follow_ups(store: Store, action_id: str) -> list[FollowUpView]:
    with store.reading() as s:
        return [view_of(FollowUpView, r) for r in s.scalars(select(models.FollowUp).where(
            models.FollowUp.action_item_id == action_id, models.FollowUp.deleted.is_(False))
            .order_by(models.FollowUp.recorded_on, models.FollowUp.id))]
