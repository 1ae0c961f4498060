"""What each synced record holds: its fields, their kinds and which are confidential.

This is the domain's description of DESIGN §2. The store's ORM models follow it (a test keeps the
two in step) and the write path uses it to check and convert every value that enters an event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from jsd_desk.domain import vocab
from jsd_desk.domain.vocab import Vocabulary

Kind = Literal["text", "longtext", "date", "datetime", "int", "bool", "code", "ref"]

# A title, a name or a code fits on a line; minutes and descriptions are long but bounded, so a
# paste of a whole book is refused with a message instead of bloating every bundle.
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 200_000


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    vocab: Vocabulary | None = None
    ref: str | None = None
    confidential: bool = False
    searchable: bool = False

    @property
    def max_length(self) -> int:
        return LONG_TEXT_MAX if self.kind == "longtext" else SHORT_TEXT_MAX


def text(*, searchable: bool = False, confidential: bool = False) -> FieldSpec:
    return FieldSpec("text", searchable=searchable, confidential=confidential)


def longtext(*, searchable: bool = False, confidential: bool = False) -> FieldSpec:
    return FieldSpec("longtext", searchable=searchable, confidential=confidential)


def code(v: Vocabulary, *, confidential: bool = False) -> FieldSpec:
    return FieldSpec("code", vocab=v, confidential=confidential)


def ref(entity: str) -> FieldSpec:
    return FieldSpec("ref", ref=entity)


DATE = FieldSpec("date")
DATETIME = FieldSpec("datetime")
INT = FieldSpec("int")
BOOL = FieldSpec("bool")


@dataclass(frozen=True)
class EntitySpec:
    name: str
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    confidential: bool = False  # every field is sealed to the allowed readers

    def searchable_fields(self) -> tuple[str, ...]:
        return tuple(n for n, f in self.fields.items() if f.searchable)


ENTITIES: dict[str, EntitySpec] = {e.name: e for e in (
    EntitySpec("place", {
        "parent_id": ref("place"),
        "level": code(vocab.PLACE_LEVEL),
        "code": text(),
        "name": text(searchable=True),
    }),
    EntitySpec("platform", {
        "name": text(searchable=True),
        "place_id": ref("place"),
        "description": longtext(),
    }),
    EntitySpec("priority_problem", {
        "platform_id": ref("platform"),
        "title": text(searchable=True),
        "description": longtext(searchable=True),
        "status": code(vocab.PRIORITY_STATUS),
    }),
    EntitySpec("session", {
        "platform_id": ref("platform"),
        "kind": code(vocab.SESSION_KIND),
        "title": text(searchable=True),
        "starts_at": DATETIME,
        "ends_at": DATETIME,
        "venue": text(searchable=True),
        "language": code(vocab.CONTENT_LANGUAGE),
        "facilitator": text(),
        "minutes": longtext(searchable=True),
        "status": code(vocab.SESSION_STATUS),
        "finalized_at": DATETIME,
    }),
    EntitySpec("agenda_item", {
        "session_id": ref("session"),
        "position": INT,
        "title": text(),
        "notes": longtext(),
    }),
    EntitySpec("attendance", {
        "session_id": ref("session"),
        "category": code(vocab.PARTICIPANT_CATEGORY),
        "gender": code(vocab.GENDER),
        "count": INT,
        "names": longtext(),
    }),
    EntitySpec("concern", {
        "session_id": ref("session"),
        "theme": text(searchable=True),
        "description": longtext(searchable=True),
        "raised_by": code(vocab.PARTICIPANT_CATEGORY),
        "priority_problem_id": ref("priority_problem"),
    }),
    EntitySpec("complaint", {
        "reference": text(searchable=True),
        "receipt_code": text(),
        "received_on": DATE,
        "channel": code(vocab.COMPLAINT_CHANNEL),
        "session_id": ref("session"),
        "category": code(vocab.COMPLAINT_CATEGORY),
        # Need to know (issue 12): sealed like the identity, and re-sealed to the police liaison
        # device the complaint is referred to (``REFERRAL_DISCLOSED``).
        "against": text(searchable=True, confidential=True),
        "description": longtext(searchable=True, confidential=True),
        "place_id": ref("place"),
        "language": code(vocab.CONTENT_LANGUAGE),
        "anonymous": BOOL,
        "status": code(vocab.COMPLAINT_STATUS),
        "referred_to": text(),
        "response": longtext(),
        "outcome": longtext(confidential=True),
        "severity": code(vocab.COMPLAINT_SEVERITY),
        # The police liaison officer's device the complaint is referred to: the one device of
        # that role that may open ``REFERRAL_DISCLOSED`` fields and act on the complaint.
        "liaison_device_id": text(),
    }),
    # The complainant's identity: confidential as a whole, one record per complaint (same id).
    EntitySpec("complainant", {
        "complaint_id": ref("complaint"),
        "name": text(confidential=True),
        "contact": text(confidential=True),
        "gender": code(vocab.GENDER, confidential=True),
        "age_group": code(vocab.AGE_GROUP, confidential=True),
    }, confidential=True),
    EntitySpec("complaint_status_change", {
        "complaint_id": ref("complaint"),
        "from_status": code(vocab.COMPLAINT_STATUS),
        "to_status": code(vocab.COMPLAINT_STATUS),
        "changed_at": DATETIME,
        "note": longtext(),
    }),
    # A target time per category (and optionally severity) for each step of a complaint: a
    # platform's own (``platform_id``) or the ministry's (no platform). Days counted from the
    # day the complaint was received. See ``domain.deadlines``.
    EntitySpec("complaint_target", {
        "platform_id": ref("platform"),
        "category": code(vocab.COMPLAINT_CATEGORY),
        "severity": code(vocab.COMPLAINT_SEVERITY),
        "review_days": INT,
        "referral_days": INT,
        "resolution_days": INT,
    }),
    EntitySpec("action_item", {
        "session_id": ref("session"),
        "platform_id": ref("platform"),
        "description": longtext(searchable=True),
        "responsible_party": code(vocab.RESPONSIBLE_PARTY),
        "owner": text(searchable=True),
        "due_on": DATE,
        "status": code(vocab.ACTION_STATUS),
        "priority_problem_id": ref("priority_problem"),
    }),
    EntitySpec("follow_up", {
        "action_item_id": ref("action_item"),
        "session_id": ref("session"),
        "note": longtext(),
        "status_after": code(vocab.ACTION_STATUS),
        "recorded_on": DATE,
    }),
    EntitySpec("amendment", {
        "session_id": ref("session"),
        "field": text(),
        "text": longtext(),
        "recorded_at": DATETIME,
    }),
    EntitySpec("attachment", {
        "entity": text(),
        "entity_id": text(),
        "filename": text(),
        "media_type": text(),
        "sha256": text(),
        "size": INT,
        "caption": text(),
    }),
)}

# Sealed fields a police liaison device may open once the complaint is referred to it (DESIGN
# §1: it sees the complaints referred to police); never the complainant's identity. Events
# written before these fields were sealed carry them in clear: readers that may see them take
# such values as they are, a liaison device never does (``security.sealing.Reader``).
REFERRAL_DISCLOSED: frozenset[tuple[str, str]] = frozenset({
    ("complaint", "against"), ("complaint", "description"), ("complaint", "outcome")})

# Every synced record also carries the tombstone flag, merged like any other field.
DELETED = "deleted"
