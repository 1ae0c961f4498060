"""Checking values before they enter an event: one clear, translatable error per bad value.

Values travel in events as JSON: dates as ``YYYY-MM-DD``, date-times as ``YYYY-MM-DDTHH:MM[:SS]``
(local wall time of the meeting), codes as their stable code, text as NFC-normalized Unicode.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from typing import Any

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import ValidationError
from jsd_desk.domain.records import DELETED, ENTITIES, EntitySpec, FieldSpec
from jsd_desk.i18n import N_, Msg

JsonValue = str | int | bool | None


def entity_spec(entity: str) -> EntitySpec:
    spec = ENTITIES.get(entity)
    if spec is None:
        raise ValidationError("entity", N_("Unknown kind of record: {entity}."), entity=entity)
    return spec


def parse_date(value: object, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(field, N_("“{value}” is not a date (expected YYYY-MM-DD)."),
                          value=_preview(value))


def parse_datetime(value: object, field: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip()).replace(tzinfo=None, microsecond=0)
        except ValueError:
            pass
    raise ValidationError(field, N_("“{value}” is not a date and time (expected YYYY-MM-DD HH:MM)."),
                          value=_preview(value))


def _preview(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def clean_value(spec: FieldSpec, field: str, value: object) -> JsonValue:
    """The JSON form of ``value`` for ``field``, or a ValidationError naming the field."""
    if value is None:
        return None
    kind = spec.kind
    if kind in ("text", "longtext"):
        if not isinstance(value, str):
            raise ValidationError(field, N_("This field takes text."))
        # NFC so that “é” typed two ways compares and searches as one; NUL would truncate in C.
        text = unicodedata.normalize("NFC", value).replace("\x00", "")
        if len(text) > spec.max_length:
            raise ValidationError(field, N_("This text is too long ({length} characters; at most {limit})."),
                                  length=len(text), limit=spec.max_length)
        return text
    if kind == "code":
        assert spec.vocab is not None
        if not isinstance(value, str) or value not in spec.vocab:
            raise ValidationError(field, N_("“{value}” is not a known value here."), value=_preview(value))
        return value
    if kind == "ref":
        if not isinstance(value, str) or not _looks_like_id(value):
            raise ValidationError(field, N_("“{value}” is not a record identifier."), value=_preview(value))
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.strip().lstrip("-").isdigit():
                value = int(value.strip())
            else:
                raise ValidationError(field, N_("“{value}” is not a whole number."), value=_preview(value))
        assert isinstance(value, int)
        if value < 0:
            raise ValidationError(field, N_("A negative number is not allowed here."))
        if value > 10**9:
            raise ValidationError(field, N_("This number is too large."))
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValidationError(field, N_("This field takes yes or no."))
        return value
    if kind == "date":
        return parse_date(value, field).isoformat()
    if kind == "datetime":
        return parse_datetime(value, field).isoformat(timespec="seconds")
    raise AssertionError(kind)


def _looks_like_id(value: str) -> bool:
    # UUIDs in canonical text form; kept loose (no version check) for ids made by other tools.
    return len(value) == 36 and all(c in "0123456789abcdef-" for c in value)


def clean_fields(entity: str, fields: Mapping[str, Any]) -> dict[str, JsonValue]:
    spec = entity_spec(entity)
    out: dict[str, JsonValue] = {}
    for name, value in fields.items():
        if name == DELETED:
            if not isinstance(value, bool):
                raise ValidationError(name, N_("This field takes yes or no."))
            out[name] = value
            continue
        fspec = spec.fields.get(name)
        if fspec is None:
            raise ValidationError(name, N_("Unknown field “{name}” for this record."), name=name)
        out[name] = clean_value(fspec, name, value)
    return out


def require(record: Mapping[str, Any], *names: str) -> None:
    for name in names:
        value = record.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValidationError(name, N_("This field is required."))


def check_record(entity: str, record: Mapping[str, Any]) -> None:
    """Rules on a whole record (after merging the change into what is stored)."""
    if entity == "session":
        require(record, "platform_id", "kind", "title", "starts_at", "status")
        start, end = record.get("starts_at"), record.get("ends_at")
        if start and end and parse_datetime(end, "ends_at") < parse_datetime(start, "starts_at"):
            raise ValidationError("ends_at", N_("The end is before the start."))
    elif entity == "attendance":
        require(record, "session_id", "category", "gender", "count")
    elif entity == "concern":
        require(record, "session_id", "description")
    elif entity == "complaint":
        require(record, "reference", "received_on", "channel", "category", "status")
        if record.get("channel") == "session":
            require(record, "session_id")
    elif entity == "action_item":
        require(record, "description", "responsible_party", "status")
    elif entity == "platform":
        require(record, "name")
    elif entity == "place":
        require(record, "name", "level")
    elif entity == "priority_problem":
        require(record, "platform_id", "title", "status")
    elif entity == "agenda_item":
        require(record, "session_id", "title")
    elif entity == "follow_up":
        require(record, "action_item_id", "note")


def check_transition(current: str, new: str) -> None:
    if new not in vocab.COMPLAINT_STATUS:
        raise ValidationError("status", N_("“{value}” is not a known value here."), value=new)
    if new not in vocab.COMPLAINT_TRANSITIONS.get(current, ()):
        raise ValidationError(
            "status", N_("A complaint cannot go from “{old}” to “{new}”."),
            old=Msg(vocab.COMPLAINT_STATUS.msgid(current)), new=Msg(vocab.COMPLAINT_STATUS.msgid(new)))


def check_due_date(due_on: object, session_start: object) -> None:
    if due_on is None or session_start is None:
        return
    if parse_date(due_on, "due_on") < parse_datetime(session_start, "starts_at").date():
        raise ValidationError("due_on", N_("The due date is before the session."))
