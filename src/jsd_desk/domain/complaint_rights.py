"""Who may change a complaint, and how: the one rule (issue 10) that the services enforce, the
GUI predicts (which buttons and fields it offers) and an import applies to a liaison officer's
events (``sync.liaison_check``).

- a facilitator's device changes every complaint;
- the ministry's device (analyst) changes only the complaints it recorded itself;
- a police liaison officer's device acts only on a complaint referred to it (or to the police
  without naming a device), once referred: it answers (referral, response, outcome) and closes
  it, resolved or not; it never touches the facts or the identity;
- only a device whose role sees complainants' identities (not a liaison officer's) records
  or shows them (``sees_identity``): the intake, the detail, the history and the attachments
  ask it, and the services refuse by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_

LIAISON_STATUSES: Final = ("referred", "resolved", "closed_unresolved")
LIAISON_MOVES: Final = ("resolved", "closed_unresolved")
FACT_FIELDS: Final = frozenset({"category", "severity", "against", "description", "place_id",
                                "language"})
ANSWER_FIELDS: Final = frozenset({"referred_to", "response", "outcome"})

NOT_OURS: Final = N_("A ministry device changes only the records it created; this one belongs "
                     "to a platform.")
NOT_REFERRED: Final = N_("A liaison officer acts only on complaints referred to the security "
                         "forces.")
REFERRED_ELSEWHERE: Final = N_("This complaint is referred to another liaison officer's device.")
LIAISON_MOVE: Final = N_("A liaison officer can only close a referred complaint, resolved or not.")
FIELD_REFUSED: Final = N_("This field cannot be changed here.")
IDENTITY_REFUSED: Final = N_("A liaison officer's device does not record complainants' "
                             "identities.")
IDENTITY_ENTITIES: Final = frozenset({"complainant"})  # the records that are an identity


def sees_identity(role: str) -> bool:
    """Whether a device of ``role`` reads and records complainants' identities: a police
    liaison officer's never does (DESIGN §1)."""
    return role != "liaison"


def hidden_entities(role: str) -> frozenset[str]:
    """The kinds of record a device of ``role`` never shows (nor their history, nor what is
    attached to them)."""
    return frozenset() if sees_identity(role) else IDENTITY_ENTITIES


@dataclass(frozen=True)
class ComplaintRights:
    moves: tuple[str, ...] = ()  # the workflow moves this device may make now
    may_edit_facts: bool = False  # category, severity, against, place, language, description
    may_answer: bool = False  # referral, response, outcome
    may_edit_identity: bool = False
    refusal: str | None = None  # why this device may do nothing with it (a msgid)

    @property
    def fields(self) -> frozenset[str]:
        """The complaint's fields this device may change."""
        return (FACT_FIELDS if self.may_edit_facts else frozenset()) | (
            ANSWER_FIELDS if self.may_answer else frozenset())


def referred_to(device_id: str, status: str | None, liaison_device_id: str | None) -> bool:
    """Whether a liaison device may act on the complaint: referred (or past it), to this device
    or to the police without naming one."""
    return status in LIAISON_STATUSES and liaison_device_id in (None, "", device_id)


def complaint_rights(*, role: str, device_id: str, status: str | None,
                     liaison_device_id: str | None, created_here: bool) -> ComplaintRights:
    legal = vocab.COMPLAINT_TRANSITIONS.get(status or "", ())
    if role == "analyst" and not created_here:
        return ComplaintRights(refusal=NOT_OURS)
    if role == "liaison":
        if status not in LIAISON_STATUSES:
            return ComplaintRights(refusal=NOT_REFERRED)
        if not referred_to(device_id, status, liaison_device_id):
            return ComplaintRights(refusal=REFERRED_ELSEWHERE)
        return ComplaintRights(moves=tuple(m for m in legal if m in LIAISON_MOVES),
                               may_answer=True)
    return ComplaintRights(moves=legal, may_edit_facts=True, may_answer=True,
                           may_edit_identity=sees_identity(role))
