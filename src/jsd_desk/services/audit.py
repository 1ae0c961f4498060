"""The audit trail (DESIGN §4: the feed is the audit trail): for every record, who changed which
field when, from what to what — read from the signed events, never from a separate log.

- *who* is the device that signed the event (its name as this store knows it);
- *when* is the event's clock stamp (UTC);
- *old* is the value the author replaced (the writes named in the event's ``base``), *new* the
  value written. Values come from the merge state, where sealed values are already opened — or
  marked sealed when this device may not read them, and then they show as "Confidential".

A liaison officer's device never shows an identity here either: on its role the complainant's
fields are always "Confidential", whatever it holds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from jsd_desk.domain.complaint_rights import hidden_entities
from jsd_desk.domain.errors import NotFound, UsageError, ValidationError
from jsd_desk.domain.records import DELETED
from jsd_desk.files import atomic_write
from jsd_desk.i18n import N_, _
from jsd_desk.security.sealing import SEALED_MARKER_JSON

# What a role never shows, not even as history (a liaison officer: the complainant).
from jsd_desk.store import models
from jsd_desk.store.eventlog import MalformedEvent, parse_event
from jsd_desk.store.writer import Store

EVENT = models.tbl(models.Event)
FW = models.tbl(models.FieldWrite)
DEVICE = models.tbl(models.Device)
COMPLAINT = models.tbl(models.Complaint)

AUDIT_FORMAT = "jsd-audit/1"
CONFIDENTIAL = N_("Confidential")
COLUMNS = ("when_utc", "device", "device_id", "seq", "entity", "record_id", "field", "old_value",
           "new_value")


class _Sealed:
    def __repr__(self) -> str:
        return "CONFIDENTIAL"


SEALED = _Sealed()  # a value this device may not show


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime  # UTC, naive
    device_id: str
    device: str
    seq: int
    entity: str
    record_id: str
    field: str
    old: Any  # the value replaced (None when there was none); SEALED when not shown
    new: Any

    @property
    def confidential(self) -> bool:
        return self.old is SEALED or self.new is SEALED


def _at(hlc: str) -> dt.datetime:
    wall_ms = int(hlc.split(".")[0])
    return dt.datetime.fromtimestamp(wall_ms / 1000, dt.UTC).replace(tzinfo=None)


def _replaced(olds: list[Any]) -> Any:
    """The value a write replaced: one value, or several joined when it resolved a conflict."""
    if not olds:
        return None
    if any(o is SEALED for o in olds):
        return SEALED
    distinct = list(dict.fromkeys(json.dumps(o, ensure_ascii=False) for o in olds))
    return olds[0] if len(distinct) == 1 else " | ".join(show_value(json.loads(d)) for d in distinct)


def _device_names(conn: Connection) -> dict[str, str]:
    return {d: n for d, n in conn.execute(select(DEVICE.c.device_id, DEVICE.c.name))}


def _history(conn: Connection, record_id: str, names: dict[str, str],
             hidden: frozenset[str]) -> list[AuditEntry]:
    values: dict[tuple[str, str, str], Any] = {}
    for entity, field, stamp, value in conn.execute(
            select(FW.c.entity, FW.c.field, FW.c.stamp, FW.c.value)
            .where(FW.c.entity_id == record_id)):
        values[(entity, field, stamp)] = SEALED if value == SEALED_MARKER_JSON else json.loads(value)
    entries: list[AuditEntry] = []
    for body, sig in conn.execute(select(EVENT.c.body, EVENT.c.signature)
                                  .where(EVENT.c.entity_id == record_id)
                                  .order_by(EVENT.c.hlc, EVENT.c.device_id, EVENT.c.seq)):
        try:
            ev = parse_event(body.encode("utf-8"), sig)
        except MalformedEvent:
            continue  # ``verify`` names it; the history shows what can be read
        fields = {DELETED: True} if ev.op == "delete" else ev.fields
        for field in sorted(fields):
            key = (ev.entity, field, ev.stamp)
            new = values[key] if key in values else fields[field]
            if isinstance(new, dict):
                new = SEALED  # an envelope (sealed value) never shows as such
            bases = ev.base.get(field, ())
            old = _replaced([values.get((ev.entity, field, b)) for b in bases])
            if ev.entity in hidden:
                new, old = SEALED, (SEALED if bases else None)
            if old is None and new is None:
                continue  # an empty field of a new record: nothing happened to it
            entries.append(AuditEntry(_at(ev.hlc), ev.device_id,
                                      names.get(ev.device_id, ev.device_id[:8]), ev.seq,
                                      ev.entity, ev.entity_id, field, old, new))
    return entries


def resolve_record(store: Store, text: str) -> str:
    """A record id from a full id, a unique prefix (8+ characters) or a complaint reference."""
    text = text.strip()
    with store.engine.connect() as conn:
        ref = conn.execute(select(COMPLAINT.c.id).where(COMPLAINT.c.reference == text.upper())
                           ).scalar_one_or_none()
        if ref is not None:
            return str(ref)
        if len(text) < 8:
            raise ValidationError("record", N_("Give at least 8 characters of the record id."))
        ids = list(conn.execute(select(EVENT.c.entity_id).where(
            EVENT.c.entity_id.startswith(text.lower(), autoescape=True))
            .group_by(EVENT.c.entity_id).limit(2)).scalars())
    if not ids:
        raise NotFound(N_("No record matches “{prefix}”."), prefix=text)
    if len(ids) > 1:
        raise NotFound(N_("Several records match “{prefix}”; give more of the id."), prefix=text)
    return str(ids[0])


def record_history(store: Store, record_id: str) -> list[AuditEntry]:
    """Every change to the record (and to the complainant of a complaint, which shares its id),
    oldest first."""
    hidden = hidden_entities(store.keys.info.role)
    with store.engine.connect() as conn:
        return _history(conn, record_id, _device_names(conn), hidden)


def store_history(store: Store) -> Iterator[AuditEntry]:
    """The whole audit trail, record by record."""
    hidden = hidden_entities(store.keys.info.role)
    with store.engine.connect() as conn:
        names = _device_names(conn)
        ids = list(conn.execute(select(EVENT.c.entity_id).group_by(EVENT.c.entity_id)
                                .order_by(EVENT.c.entity_id)).scalars())
        for record_id in ids:
            yield from _history(conn, record_id, names, hidden)


# -- showing and exporting --------------------------------------------------------------------


def show_value(value: Any) -> str:
    if value is SEALED:
        return _(CONFIDENTIAL)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv_cell(text: str) -> str:
    # A spreadsheet runs a cell that starts like a formula: quote it (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(entries: Iterable[AuditEntry]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for e in entries:
        writer.writerow([e.at.isoformat(timespec="seconds") + "Z", _csv_cell(e.device), e.device_id,
                         e.seq, e.entity, e.record_id, e.field, _csv_cell(show_value(e.old)),
                         _csv_cell(show_value(e.new))])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes spreadsheets read UTF-8


def _json_value(value: Any) -> Any:
    return None if value is SEALED else value


def to_json(entries: Iterable[AuditEntry]) -> bytes:
    items = [{"when_utc": e.at.isoformat(timespec="seconds") + "Z", "device": e.device,
              "device_id": e.device_id, "seq": e.seq, "entity": e.entity,
              "record_id": e.record_id, "field": e.field, "old_value": _json_value(e.old),
              "new_value": _json_value(e.new), "confidential": e.confidential}
             for e in entries]
    return (json.dumps({"format": AUDIT_FORMAT, "entries": items}, ensure_ascii=False, indent=1)
            + "\n").encode("utf-8")


def export_audit(entries: Iterable[AuditEntry], out_path: Path | str, fmt: str | None = None) -> int:
    """Write the entries as CSV or JSON (by ``fmt`` or the file's extension), atomically.
    Returns how many were written."""
    path = Path(out_path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in ("csv", "json"):
        raise UsageError(N_("Export the audit trail as .csv or .json."))
    listed = list(entries)
    atomic_write(path, to_csv(listed) if fmt == "csv" else to_json(listed), mode=0o600)
    return len(listed)
