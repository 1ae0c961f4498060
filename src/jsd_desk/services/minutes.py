"""Meeting minutes and complaint receipts as PDF; checking a minutes PDF against the records.

The minutes print a fingerprint of the session's records: a SHA-256 over a canonical
serialization of each section (what the minutes show, with the records' ids), then over the
section hashes. The full fingerprint, the per-section hashes and the session id travel in the
PDF's metadata, so ``verify_minutes`` can recompute them from the store and say which sections
changed. The record ids are random UUIDs that no minutes print, so a hash gives nothing away
about what a public summary leaves out; both profiles of the same records share one fingerprint.

Each export is a pure function of the store's records and its arguments, safe to run off the
GUI thread, with optional ``progress(done, total)`` and ``cancelled()`` callables. The PDF is
built in memory and written atomically: a failure leaves no partial file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jsd_desk.domain.errors import InputRefused, JsdError, NotFound, UsageError
from jsd_desk.files import atomic_write
from jsd_desk.i18n import N_, SUPPORTED, _
from jsd_desk.reports.minutes import (
    PROFILES,
    ActionEntry,
    AgendaEntry,
    AmendmentEntry,
    ComplaintEntry,
    ConcernEntry,
    FollowUpEntry,
    FollowUpNote,
    MinutesData,
    render_minutes,
)
from jsd_desk.reports.pdfdoc import BuildCancelled
from jsd_desk.reports.receipt import ReceiptData, render_receipt
from jsd_desk.security.canonical import canonical_bytes, sha256_hex
from jsd_desk.services.actions import open_items_for_session
from jsd_desk.services.complaint_standing import Standing, standings
from jsd_desk.services.sessions import find_session
from jsd_desk.store import models
from jsd_desk.store.writer import Store

Progress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]

FORMAT = "jsd-minutes/1"
# The sections a fingerprint covers, in the order of the minutes, with the words that name them.
SECTIONS: dict[str, str] = {
    "details": N_("session details"),
    "agenda": N_("agenda"),
    "attendance": N_("attendance"),
    "minutes": N_("minutes text"),
    "concerns": N_("concerns"),
    "complaints": N_("complaints"),
    "action_items": N_("new action items"),
    "follow_up": N_("follow-up of earlier action items"),
    "amendments": N_("amendments"),
}
SECTION_HASH_CHARS = 16


class ExportCancelled(JsdError):
    """The user cancelled an export; no file was written."""

    exit_status = 130

    def __init__(self) -> None:
        super().__init__(N_("The export was cancelled; no file was written."))


# -- reading the records ---------------------------------------------------------------------


def _creation_order(s: Session, entity: str, ids: Iterable[str]) -> dict[str, str]:
    """The clock stamp of each record's first event: the order people entered them in, the
    same on every replica."""
    wanted = list(ids)
    if not wanted:
        return {}
    ev = models.Event
    rows = s.execute(select(ev.entity_id, func.min(ev.hlc))
                     .where(ev.entity == entity, ev.entity_id.in_(wanted))
                     .group_by(ev.entity_id))
    return {entity_id: hlc for entity_id, hlc in rows}


def _in_creation_order(s: Session, entity: str, rows: list[Any]) -> list[Any]:
    order = _creation_order(s, entity, (r.id for r in rows))
    return sorted(rows, key=lambda r: (order.get(r.id, ""), r.id))


def _place_path(s: Session, place_id: str | None) -> tuple[str, ...]:
    names: list[str] = []
    seen: set[str] = set()
    while place_id and place_id not in seen:
        seen.add(place_id)
        place = s.get(models.Place, place_id)
        if place is None or place.deleted:
            break
        if place.name:
            names.append(place.name)
        place_id = place.parent_id
    return tuple(reversed(names))


def _problem_titles(s: Session, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    pp = models.PriorityProblem
    return {p.id: p.title or "" for p in s.scalars(
        select(pp).where(pp.id.in_(wanted), pp.deleted.is_(False)))}


def _live(model: Any, session_id: str) -> Any:
    return select(model).where(model.session_id == session_id, model.deleted.is_(False))


def _next_step(st: Standing | None) -> tuple[str | None, dt.date | None]:
    d = None if st is None else st.deadline
    return (None, None) if d is None else (d.step, d.due_on)


def minutes_data(store: Store, session_id: str) -> MinutesData:
    """A snapshot of everything the minutes of a session show (never a complainant)."""
    carried_over = [a.id for a in open_items_for_session(store, session_id)]
    with store.reading() as s:
        sess = s.get(models.DialogueSession, session_id)
        if sess is None or sess.deleted:
            raise NotFound(N_("No such session."))
        platform = s.get(models.Platform, sess.platform_id) if sess.platform_id else None
        place_path = _place_path(s, platform.place_id if platform else None)

        agenda = [AgendaEntry(a.id, a.position or 0, a.title or "", a.notes)
                  for a in s.scalars(_live(models.AgendaItem, session_id)
                                     .order_by(models.AgendaItem.position, models.AgendaItem.id))]

        cells: dict[tuple[str, str], int] = {}
        for row in s.scalars(_live(models.Attendance, session_id)):
            key = (row.category or "other", row.gender or "unspecified")
            cells[key] = cells.get(key, 0) + (row.count or 0)
        attendance = tuple((c, g, n) for (c, g), n in sorted(cells.items()))

        concern_rows = _in_creation_order(s, "concern",
                                          list(s.scalars(_live(models.Concern, session_id))))
        action_rows = _in_creation_order(s, "action_item",
                                         list(s.scalars(_live(models.ActionItem, session_id))))
        problems = _problem_titles(s, [c.priority_problem_id for c in concern_rows]
                                   + [a.priority_problem_id for a in action_rows])
        concerns = tuple(ConcernEntry(c.id, c.theme, c.description or "", c.raised_by,
                                      problems.get(c.priority_problem_id or ""))
                         for c in concern_rows)
        # Reference, category, status and deadline: nothing else of a complaint reaches the
        # minutes (never the identity, the description or whom it is against).
        received = list(s.scalars(_live(models.Complaint, session_id)
                                  .order_by(models.Complaint.reference, models.Complaint.id)))
        standing = standings(store, [c.id for c in received])
        complaints = tuple(
            ComplaintEntry(c.id, c.reference or "", c.category, c.status, c.received_on,
                           *_next_step(standing.get(c.id)))
            for c in received)
        new_actions = tuple(ActionEntry(a.id, a.description or "", a.responsible_party, a.owner,
                                        a.due_on, problems.get(a.priority_problem_id or ""))
                            for a in action_rows)
        follow = _follow_ups(s, sess, carried_over)
        amendments = tuple(
            AmendmentEntry(a.id, a.field, a.text or "", a.recorded_at)
            for a in s.scalars(_live(models.Amendment, session_id)
                               .order_by(models.Amendment.recorded_at, models.Amendment.id)))
        return MinutesData(
            session_id=sess.id, title=sess.title or "", kind=sess.kind, status=sess.status,
            starts_at=sess.starts_at, ends_at=sess.ends_at, venue=sess.venue,
            facilitator=sess.facilitator, finalized_at=sess.finalized_at,
            platform=platform.name if platform and not platform.deleted else None,
            place_path=place_path, minutes_text=sess.minutes, agenda=tuple(agenda),
            attendance=attendance, concerns=concerns, complaints=complaints,
            new_actions=new_actions, follow_ups=follow, amendments=amendments)


def _follow_ups(s: Session, sess: models.DialogueSession,
                carried_over: list[str]) -> tuple[FollowUpEntry, ...]:
    """Earlier action items of the platform that are still open or were discussed in this
    session, with their status before it and after it."""
    ds, ai, fu = models.DialogueSession, models.ActionItem, models.FollowUp
    starts = {sid: at for sid, at in s.execute(
        select(ds.id, ds.starts_at).where(ds.platform_id == sess.platform_id))}
    this_start = sess.starts_at
    discussed = set(s.scalars(select(fu.action_item_id).where(
        fu.session_id == sess.id, fu.deleted.is_(False))))
    ids = set(carried_over) | {i for i in discussed if i}
    items = [a for a in s.scalars(select(ai).where(ai.id.in_(ids), ai.deleted.is_(False)))
             if a.session_id != sess.id]
    notes_by_item: dict[str, list[models.FollowUp]] = {}
    for f in s.scalars(select(fu).where(fu.action_item_id.in_([a.id for a in items]),
                                        fu.deleted.is_(False))):
        notes_by_item.setdefault(f.action_item_id or "", []).append(f)

    def when(f: models.FollowUp) -> tuple[str, str, str]:
        at = starts.get(f.session_id or "")
        return (at.isoformat() if at else (f.recorded_on.isoformat() if f.recorded_on else ""),
                f.recorded_on.isoformat() if f.recorded_on else "", f.id)

    def before_this(f: models.FollowUp) -> bool:
        at = starts.get(f.session_id or "")
        if f.session_id == sess.id:
            return False
        if at is not None and this_start is not None:
            return at < this_start
        return (f.recorded_on is not None and this_start is not None
                and f.recorded_on < this_start.date())

    entries = []
    for a in items:
        history = sorted(notes_by_item.get(a.id, []), key=when)
        earlier = [f for f in history if before_this(f)]
        here = [f for f in history if f.session_id == sess.id]
        status_before = (earlier[-1].status_after if earlier else None) or "open"
        status_after = (here[-1].status_after if here else None) or a.status or status_before
        agreed = starts.get(a.session_id or "")
        entries.append(FollowUpEntry(
            id=a.id, description=a.description or "", party=a.responsible_party, owner=a.owner,
            due_on=a.due_on, agreed_on=agreed.date() if agreed else None,
            status_before=status_before, status_after=status_after,
            notes=tuple(FollowUpNote(f.recorded_on, f.note or "") for f in here)))
    entries.sort(key=lambda e: (e.due_on is None, e.due_on or dt.date.min,
                                e.agreed_on or dt.date.min, e.id))
    return tuple(entries)


# -- fingerprint -----------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def section_payloads(data: MinutesData) -> dict[str, Any]:
    """What each section of the minutes shows, as canonical JSON-ready values."""
    d = _jsonable(data)
    return {
        "details": {k: d[k] for k in ("title", "kind", "status", "starts_at", "ends_at", "venue",
                                      "facilitator", "finalized_at", "platform", "place_path")},
        "agenda": d["agenda"],
        "attendance": d["attendance"],
        "minutes": d["minutes_text"],
        "concerns": d["concerns"],
        "complaints": d["complaints"],
        "action_items": d["new_actions"],
        "follow_up": d["follow_ups"],
        "amendments": d["amendments"],
    }


@dataclass(frozen=True)
class Fingerprint:
    session_id: str
    full: str  # 64 hex digits
    sections: dict[str, str]  # section → first SECTION_HASH_CHARS hex digits

    @property
    def short(self) -> str:
        """What the footer prints: 12 hex digits in groups of four."""
        head = self.full[:12].upper()
        return f"{head[0:4]}-{head[4:8]}-{head[8:12]}"


def fingerprint(data: MinutesData) -> Fingerprint:
    sections = {}
    for name, payload in section_payloads(data).items():
        digest = sha256_hex(canonical_bytes({"format": FORMAT, "session": data.session_id,
                                             "section": name, "data": payload}))
        sections[name] = digest
    full = sha256_hex(canonical_bytes({"format": FORMAT, "session": data.session_id,
                                       "sections": sections}))
    return Fingerprint(data.session_id, full,
                       {k: v[:SECTION_HASH_CHARS] for k, v in sections.items()})


def metadata_keywords(fp: Fingerprint, lang: str, profile: str) -> str:
    parts = ["JSD Desk", FORMAT, f"session={fp.session_id}", f"lang={lang}",
             f"profile={profile}", f"fingerprint={fp.full}"]
    parts += [f"{name}={digest}" for name, digest in fp.sections.items()]
    return "; ".join(parts)


def parse_keywords(keywords: str) -> dict[str, str] | None:
    """The values ``metadata_keywords`` wrote, or None when the text is not ours."""
    parts = [p.strip() for p in keywords.split(";")]
    if FORMAT not in parts:
        return None
    values = dict(p.split("=", 1) for p in parts if "=" in p)
    if not values.get("session") or len(values.get("fingerprint", "")) != 64:
        return None
    return values


# -- export ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedMinutes:
    path: Path
    session_id: str
    pages: int
    fingerprint: Fingerprint
    lang: str
    profile: str


def _check_lang(lang: str) -> None:
    if lang not in SUPPORTED:
        raise UsageError(N_("Unknown language “{lang}”: use fr or en."), lang=lang)


def _write(out_path: Path, data: bytes) -> None:
    try:
        atomic_write(out_path, data, 0o644)
    except OSError as exc:
        raise InputRefused(N_("The file {path} cannot be written ({reason})."),
                           path=str(out_path), reason=exc.strerror or type(exc).__name__) from None


def export_minutes(store: Store, session: str, lang: str, profile: str, out_path: Path | str, *,
                   progress: Progress | None = None, cancelled: CancelCheck | None = None,
                   now: dt.datetime | None = None) -> ExportedMinutes:
    """Write the minutes of ``session`` (an id or a unique prefix of one) to ``out_path``."""
    _check_lang(lang)
    if profile not in PROFILES:
        raise UsageError(N_("Unknown profile “{profile}”: use platform or public."),
                         profile=profile)
    out = Path(out_path)
    session_id = find_session(store, session)
    data = minutes_data(store, session_id)
    fp = fingerprint(data)

    # Steps: the snapshot (done), each flowable laid out, the file written.
    steps = [1, 3]

    def step(done: int, total: int) -> None:
        steps[:] = [done + 1, total + 2]
        if progress is not None:
            progress(*steps)

    if progress is not None:
        progress(*steps)
    try:
        pdf = render_minutes(data, lang=lang, profile=profile, fingerprint=fp.short,
                             keywords=metadata_keywords(fp, lang, profile),
                             generated_at=now or dt.datetime.now(), progress=step,
                             cancelled=cancelled)
    except BuildCancelled:
        raise ExportCancelled from None
    if cancelled is not None and cancelled():
        raise ExportCancelled
    _write(out, pdf.data)
    if progress is not None:
        progress(steps[1], steps[1])
    return ExportedMinutes(out, session_id, pdf.pages, fp, lang, profile)


# -- verification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesCheck:
    session_id: str
    lang: str
    profile: str
    fingerprint_pdf: str
    fingerprint_now: str
    changed: tuple[str, ...]  # section codes, in the order of the minutes

    @property
    def matches(self) -> bool:
        return self.fingerprint_pdf == self.fingerprint_now

    def changed_labels(self) -> list[str]:
        """The changed sections named in the current language."""
        return [_(SECTIONS[c]) if c in SECTIONS else c for c in self.changed]

    def describe(self) -> str:
        short = self.fingerprint_now[:12].upper()
        short = f"{short[0:4]}-{short[4:8]}-{short[8:12]}"
        if self.matches:
            return _("These minutes match the records of session {session} (fingerprint "
                     "{fingerprint}).", session=self.session_id[:8], fingerprint=short)
        return _("These minutes no longer match the records of session {session}; changed "
                 "since: {sections}.", session=self.session_id[:8],
                 sections=", ".join(self.changed_labels()))


def read_minutes_metadata(pdf_path: Path | str) -> dict[str, str]:
    """The fingerprint metadata of a minutes PDF; refuses any other file with one sentence."""
    import pypdf
    from pypdf.errors import PyPdfError

    path = Path(pdf_path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputRefused(N_("The file {path} cannot be read ({reason})."), path=str(path),
                           reason=exc.strerror or type(exc).__name__) from None
    not_ours = InputRefused(N_("{path} is not a minutes PDF made by JSD Desk."), path=str(path))
    try:
        info = pypdf.PdfReader(io.BytesIO(raw)).metadata
        keywords = info.get("/Keywords") if info is not None else None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        raise not_ours from None
    values = parse_keywords(str(keywords)) if keywords else None
    if values is None:
        raise not_ours
    return values


def verify_minutes(store: Store, pdf_path: Path | str) -> MinutesCheck:
    """Whether a minutes PDF still matches the records, and which sections changed if not."""
    values = read_minutes_metadata(pdf_path)
    session_id = values["session"]
    try:
        data = minutes_data(store, session_id)
    except NotFound:
        raise NotFound(N_("The session of these minutes ({session}) is not in this store."),
                       session=session_id[:8]) from None
    now = fingerprint(data)
    changed = tuple(name for name, digest in now.sections.items()
                    if values.get(name) != digest)
    if values["fingerprint"] != now.full and not changed:
        changed = tuple(now.sections)  # made by another format of the same name: all differ
    return MinutesCheck(session_id, values.get("lang", ""), values.get("profile", ""),
                        values["fingerprint"], now.full, changed)


# -- complaint receipt -----------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedReceipt:
    path: Path
    complaint_id: str
    reference: str


def receipt_data(store: Store, complaint_id: str) -> ReceiptData:
    with store.reading() as s:
        c = s.get(models.Complaint, complaint_id)
        if c is None or c.deleted:
            raise NotFound(N_("No such complaint."))
        platform: str | None = None
        if c.session_id:
            sess = s.get(models.DialogueSession, c.session_id)
            plat = s.get(models.Platform, sess.platform_id) if sess and sess.platform_id else None
            platform = plat.name if plat and not plat.deleted else None
        place = _place_path(s, c.place_id)
        return ReceiptData(complaint_id=c.id, reference=c.reference or "",
                           receipt_code=c.receipt_code or "", received_on=c.received_on,
                           category=c.category, channel=c.channel, platform=platform,
                           place=place[-1] if place else None)


def export_receipt(store: Store, complaint_id: str, lang: str, out_path: Path | str, *,
                   now: dt.datetime | None = None) -> ExportedReceipt:
    """The printable receipt slip of a complaint: reference, receipt code, date, category and
    how to ask about the case. Never the complainant's identity."""
    _check_lang(lang)
    data = receipt_data(store, complaint_id)
    pdf = render_receipt(data, lang=lang, generated_at=now or dt.datetime.now())
    out = Path(out_path)
    _write(out, pdf.data)
    return ExportedReceipt(out, data.complaint_id, data.reference)
