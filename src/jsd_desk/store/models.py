"""SQLAlchemy 2 typed models.

Synced records (DESIGN §2) are projections of the event log: UUID primary key, no other unique
constraint and no enforced foreign key, since an event may arrive before the record it points to.
Every column here follows ``jsd_desk.domain.records``; a test keeps the two in step.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Code = String(40)
Ref = String(36)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def tbl(model: type[Base]) -> Table:
    """A model's Core table, typed as one (``__table__`` is typed as a mere FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class Synced(Base):
    """A record built from events: its id and its tombstone."""

    __abstract__ = True
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class Place(Synced):
    __tablename__ = "place"
    parent_id: Mapped[str | None] = mapped_column(Ref, index=True)
    level: Mapped[str | None] = mapped_column(Code)
    code: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(Text)


class Platform(Synced):
    __tablename__ = "platform"
    name: Mapped[str | None] = mapped_column(Text)
    place_id: Mapped[str | None] = mapped_column(Ref, index=True)
    description: Mapped[str | None] = mapped_column(Text)


class PriorityProblem(Synced):
    __tablename__ = "priority_problem"
    platform_id: Mapped[str | None] = mapped_column(Ref, index=True)
    title: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(Code)


class DialogueSession(Synced):
    __tablename__ = "session"
    platform_id: Mapped[str | None] = mapped_column(Ref, index=True)
    kind: Mapped[str | None] = mapped_column(Code)
    title: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    ends_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    venue: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(Code)
    facilitator: Mapped[str | None] = mapped_column(Text)
    minutes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(Code, index=True)
    finalized_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AgendaItem(Synced):
    __tablename__ = "agenda_item"
    session_id: Mapped[str | None] = mapped_column(Ref, index=True)
    position: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class Attendance(Synced):
    __tablename__ = "attendance"
    session_id: Mapped[str | None] = mapped_column(Ref, index=True)
    category: Mapped[str | None] = mapped_column(Code)
    gender: Mapped[str | None] = mapped_column(Code)
    count: Mapped[int | None] = mapped_column(Integer)
    names: Mapped[str | None] = mapped_column(Text)


class Concern(Synced):
    __tablename__ = "concern"
    session_id: Mapped[str | None] = mapped_column(Ref, index=True)
    theme: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    raised_by: Mapped[str | None] = mapped_column(Code)
    priority_problem_id: Mapped[str | None] = mapped_column(Ref, index=True)


class Complaint(Synced):
    __tablename__ = "complaint"
    reference: Mapped[str | None] = mapped_column(Text, index=True)
    receipt_code: Mapped[str | None] = mapped_column(Text, index=True)
    received_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    channel: Mapped[str | None] = mapped_column(Code)
    session_id: Mapped[str | None] = mapped_column(Ref, index=True)
    category: Mapped[str | None] = mapped_column(Code, index=True)
    against: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    place_id: Mapped[str | None] = mapped_column(Ref)
    language: Mapped[str | None] = mapped_column(Code)
    anonymous: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[str | None] = mapped_column(Code, index=True)
    referred_to: Mapped[str | None] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str | None] = mapped_column(Code)
    liaison_device_id: Mapped[str | None] = mapped_column(Text, index=True)


class ComplaintTarget(Synced):
    __tablename__ = "complaint_target"
    platform_id: Mapped[str | None] = mapped_column(Ref, index=True)
    category: Mapped[str | None] = mapped_column(Code)
    severity: Mapped[str | None] = mapped_column(Code)
    review_days: Mapped[int | None] = mapped_column(Integer)
    referral_days: Mapped[int | None] = mapped_column(Integer)
    resolution_days: Mapped[int | None] = mapped_column(Integer)


class Complainant(Synced):
    __tablename__ = "complainant"
    complaint_id: Mapped[str | None] = mapped_column(Ref, index=True)
    name: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(Text)
    gender: Mapped[str | None] = mapped_column(Code)
    age_group: Mapped[str | None] = mapped_column(Code)


class ComplaintStatusChange(Synced):
    __tablename__ = "complaint_status_change"
    complaint_id: Mapped[str | None] = mapped_column(Ref, index=True)
    from_status: Mapped[str | None] = mapped_column(Code)
    to_status: Mapped[str | None] = mapped_column(Code)
    changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)


class ActionItem(Synced):
    __tablename__ = "action_item"
    session_id: Mapped[str | None] = mapped_column(Ref, index=True)
    platform_id: Mapped[str | None] = mapped_column(Ref, index=True)
    description: Mapped[str | None] = mapped_column(Text)
    responsible_party: Mapped[str | None] = mapped_column(Code)
    owner: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str | None] = mapped_column(Code, index=True)
    priority_problem_id: Mapped[str | None] = mapped_column(Ref, index=True)


class FollowUp(Synced):
    __tablename__ = "follow_up"
    action_item_id: Mapped[str | None] = mapped_column(Ref, index=True)
    session_id: Mapped[str | None] = mapped_column(Ref, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    status_after: Mapped[str | None] = mapped_column(Code)
    recorded_on: Mapped[dt.date | None] = mapped_column(Date)


class Amendment(Synced):
    __tablename__ = "amendment"
    session_id: Mapped[str | None] = mapped_column(Ref, index=True)
    field: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Attachment(Synced):
    __tablename__ = "attachment"
    entity: Mapped[str | None] = mapped_column(Code)
    entity_id: Mapped[str | None] = mapped_column(Text, index=True)
    filename: Mapped[str | None] = mapped_column(Text)
    media_type: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    caption: Mapped[str | None] = mapped_column(Text)


SYNCED_MODELS: dict[str, type[Synced]] = {
    m.__tablename__: m for m in (
        Place, Platform, PriorityProblem, DialogueSession, AgendaItem, Attendance, Concern,
        Complaint, Complainant, ComplaintStatusChange, ComplaintTarget, ActionItem, FollowUp,
        Amendment, Attachment)
}


# --- Local tables: the log itself and what the write path keeps beside it (not synced) ---------


class Event(Base):
    """One signed event of one device's feed (DESIGN §4). ``body`` holds the canonical bytes."""

    __tablename__ = "event"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hlc: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(Code)
    entity_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_event_entity", "entity", "entity_id"),)


class FieldWrite(Base):
    """Every value ever written to a field, with its stamp (``hlc/device``) — the merge state.

    The projected value is the write with the greatest stamp; the writes no later write has
    superseded are the field's heads: more than one head is a conflict the user can see.
    """

    __tablename__ = "field_write"
    entity: Mapped[str] = mapped_column(Code, primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(60), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    superseded: Mapped[bool] = mapped_column(Boolean)
    device_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)

    # The heads alone (migration 0006): what a local edit reads does not grow with the history.
    __table_args__ = (Index("ix_field_write_head", "entity_id", "field",
                            sqlite_where=text("NOT superseded"),
                            postgresql_where=text("NOT superseded")),)


class FieldBase(Base):
    """Stamps that some write declared it replaced; kept so that a late arrival is seen as old."""

    __tablename__ = "field_base"
    entity: Mapped[str] = mapped_column(Code, primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(60), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(60), primary_key=True)


class FieldConflict(Base):
    """A field whose heads (its writes nothing superseded) hold more than one value: a conflict
    the user can see. Kept exact by the projectors beside ``field_write``, so that listing the
    conflicts (``dump``) reads these rows, not every write ever made."""

    __tablename__ = "field_conflict"
    entity: Mapped[str] = mapped_column(Code, primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(60), primary_key=True)


class Device(Base):
    """Devices this store knows: itself, trusted peers and those introduced by them."""

    __tablename__ = "device"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Code)
    short_code: Mapped[str] = mapped_column(String(8))
    sign_public: Mapped[str] = mapped_column(String(60))
    age_recipient: Mapped[str] = mapped_column(String(80))
    trusted: Mapped[bool] = mapped_column(Boolean)
    is_self: Mapped[bool] = mapped_column(Boolean)
    introduced_by: Mapped[str | None] = mapped_column(String(36))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Feed(Base):
    """Where each device's feed stands here: the last contiguous seq applied and its hash."""

    __tablename__ = "feed"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class LocalState(Base):
    """Small per-store values: the clock, reference counters, settings."""

    __tablename__ = "local_state"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Blob(Base):
    """Attachment contents by SHA-256 (encrypted at rest with the rest of the store)."""

    __tablename__ = "blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SearchDoc(Base):
    """The searchable text of one record, accents folded; indexed by FTS5 on SQLite."""

    __tablename__ = "search_doc"
    rowid: Mapped[int] = mapped_column("id", Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(Code)
    entity_id: Mapped[str] = mapped_column(String(36), unique=True)
    body: Mapped[str] = mapped_column(Text)


# --- Sync by file (DESIGN §5): local bookkeeping, never synced -------------------------------


class SyncPeer(Base):
    """What this device knows of one peer from the bundles it exchanged with it.

    Vectors are JSON objects ``{device_id: last_seq}``. ``proven`` is the peer's own vector as
    its latest bundle showed it (what it holds; exports to it start there, and exporting never
    advances it). ``acked`` is what the peer's bundles say it knows of ours (acknowledgements,
    which prune the outbox). ``shown_*`` is what our last bundle to it said.
    """

    __tablename__ = "sync_peer"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    proven: Mapped[str] = mapped_column(Text)
    acked: Mapped[str] = mapped_column(Text)
    shown_vector: Mapped[str] = mapped_column(Text)
    shown_base: Mapped[str] = mapped_column(Text)
    last_received_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class OutboxEntry(Base):
    """A bundle this device wrote, kept until every addressee acknowledged what it carried."""

    __tablename__ = "outbox"
    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    to_devices: Mapped[str] = mapped_column(Text)  # JSON list of device ids
    vector: Mapped[str] = mapped_column(Text)  # our vector when it was written
    events: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(Text)
    folder: Mapped[str | None] = mapped_column(Text)  # the sync folder it was written into
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    acked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ImportLedger(Base):
    """Every bundle imported here, once, with what its import did."""

    __tablename__ = "import_ledger"
    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    sender: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[str] = mapped_column(String(40))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    events: Mapped[int] = mapped_column(Integer)
    new: Mapped[int] = mapped_column(Integer)
    known: Mapped[int] = mapped_column(Integer)
    conflicts: Mapped[int] = mapped_column(Integer)
    held: Mapped[int] = mapped_column(Integer)


class HeldEvent(Base):
    """A verified event not applied yet: after a gap in its feed, or stamped implausibly far
    in the future (and those after it). Released, in feed order, once it can be applied."""

    __tablename__ = "held_event"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hlc: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(10))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)
