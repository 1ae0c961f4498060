"""One complaint as the detail pane shows it: its facts, its status history, the complainant's
identity where this device's role may see it, and what this device may do with it.

The identity is never read on a device whose role must not see it: the device's own role
decides, not the caller.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from jsd_desk.domain import vocab
from jsd_desk.domain.complaint_rights import sees_identity
from jsd_desk.domain.errors import NotFound
from jsd_desk.i18n import N_
from jsd_desk.services.complaint_standing import Standing, standings
from jsd_desk.services.complaints import history_steps
from jsd_desk.services.places import place_path
from jsd_desk.services.security import complaint_rights_of, sealed_fields
from jsd_desk.services.views import StatusStep
from jsd_desk.store import models
from jsd_desk.store.writer import Store, Tx

C = models.Complaint


@dataclass(frozen=True)
class Identity:
    name: str
    contact: str
    gender: str | None
    age_group: str | None


@dataclass(frozen=True)
class ComplaintDetail:
    id: str
    reference: str
    receipt_code: str
    received_on: dt.date | None
    channel: str | None
    session_id: str | None
    session_title: str
    category: str | None
    against: str
    description: str
    place_id: str | None
    place_path: tuple[str, ...]
    language: str | None
    anonymous: bool
    status: str | None
    referred_to: str
    response: str
    outcome: str
    # None when anonymous, and always None where the role must not see identities.
    identity: Identity | None
    identity_hidden: bool  # True on a device whose role never shows an identity
    history: tuple[StatusStep, ...] = field(default_factory=tuple)
    # What this device may do with it (the services refuse the rest; the GUI offers only this).
    moves: tuple[str, ...] = ()  # the workflow buttons
    may_edit_facts: bool = False  # category, against, place, language, description
    may_answer: bool = False  # referral, response, outcome
    may_edit_identity: bool = False
    severity: str | None = None
    liaison_device_id: str | None = None  # the police liaison device it is referred to
    # Deadline, step dates and escalation flags (services.complaint_standing), when read.
    standing: Standing | None = None
    # Sealed fields this device may not open (shown as confidential, not as empty).
    sealed: frozenset[str] = frozenset()

    @property
    def next_statuses(self) -> tuple[str, ...]:
        """The legal moves of the workflow from the current status, whoever makes them."""
        return vocab.COMPLAINT_TRANSITIONS.get(self.status or "", ())


def identity_hidden(store: Store) -> bool:
    """This device never shows a complainant's identity (``domain.complaint_rights``)."""
    return not sees_identity(store.keys.info.role)


def rights(store: Store, complaint_id: str, status: str | None = None) -> dict[str, Any]:
    """What this device may do with a complaint: the rule ``services.complaints`` enforces
    (``domain.complaint_rights``), read without writing. ``status`` is kept for callers; the
    stored record decides."""
    with store.engine.connect() as conn:
        tx = Tx(store, conn)
        rec = tx.get("complaint", complaint_id) or {"id": complaint_id, "status": status}
        r = complaint_rights_of(tx, rec)
    return {"moves": r.moves, "may_edit_facts": r.may_edit_facts, "may_answer": r.may_answer,
            "may_edit_identity": r.may_edit_identity}


def complaint_detail(store: Store, complaint_id: str) -> ComplaintDetail:
    with store.reading() as s:
        c = s.get(C, complaint_id)
        if c is None or c.deleted:
            raise NotFound(N_("No such complaint."))
        hidden = identity_hidden(store)
        identity = None
        if not hidden:
            who = s.get(models.Complainant, complaint_id)
            if who is not None and not who.deleted:
                identity = Identity(who.name or "", who.contact or "", who.gender, who.age_group)
        session_title = ""
        if c.session_id:
            sess = s.get(models.DialogueSession, c.session_id)
            if sess is not None:
                when = sess.starts_at.strftime("%Y-%m-%d") if sess.starts_at else ""
                session_title = f"{when} · {sess.title or ''}".strip(" ·")
        history = history_steps(s, complaint_id)
        detail = ComplaintDetail(
            id=c.id, reference=c.reference or "", receipt_code=c.receipt_code or "",
            received_on=c.received_on, channel=c.channel, session_id=c.session_id,
            session_title=session_title, category=c.category, against=c.against or "",
            description=c.description or "", place_id=c.place_id, place_path=(),
            language=c.language, anonymous=bool(c.anonymous), status=c.status,
            referred_to=c.referred_to or "", response=c.response or "", outcome=c.outcome or "",
            identity=identity, identity_hidden=hidden, history=history)
    return replace(detail, place_path=tuple(place_path(store, c.place_id)),
                   severity=c.severity, liaison_device_id=c.liaison_device_id,
                   standing=standings(store, [complaint_id]).get(complaint_id),
                   sealed=sealed_fields(store, "complaint", complaint_id),
                   **rights(store, complaint_id, detail.status))
