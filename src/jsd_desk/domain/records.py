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
        "against": text(searchable=True),
        "description": longtext(searchable=True),
        "place_id": ref("place"),
        "language": code(vocab.CONTENT_LANGUAGE),
        "anonymous": BOOL,
        "status": code(vocab.COMPLAINT_STATUS),
        "referred_to": text(),
        "response": longtext(),
        "outcome": longtext(),
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

# Every synced record also carries the tombstone flag, merged like any other field.
DELETED = "deleted"
