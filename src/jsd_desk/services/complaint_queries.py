"""Read queries of the Complaints list: paged, filtered light rows and counts (one complaint's
detail is ``complaint_detail``; the intake form's choices are ``choices``).

Lists page by *keyset* (the last row's sort key), not by offset, so the 500th page of 100,000
complaints costs what the first does: the newest first, by ``received_on`` then the row's
insertion order (SQLite's rowid, which the ``received_on`` index already holds, so the index
alone drives the sort). Complaints without a date (an orphan whose creating event has not
arrived yet) come after all the dated ones.

Nothing here returns a complainant's identity on a device whose role must not see it: the
device's own role decides, not the caller.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    column,
    func,
    literal_column,
    or_,
    select,
    text,
    tuple_,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.refs import normalize_receipt_code
from jsd_desk.services.complaint_standing import standings
from jsd_desk.store import models
from jsd_desk.store.projection import fold
from jsd_desk.store.writer import Store

C = models.Complaint
PAGE_SIZE = 200
SUMMARY_CHARS = 200
OPEN = "open"  # a pseudo-status for the filter: every status that is not final
FINAL_STATUSES = tuple(s for s, nxt in vocab.COMPLAINT_TRANSITIONS.items() if not nxt)
PERIODS = ("last_7", "last_30", "last_90", "last_365", "this_year", "last_year")
_TOKEN = re.compile(r"\w+", re.UNICODE)
# A search longer than this is not a search someone typed; cut it rather than build a huge
# FTS query (a paste of a whole letter into the search box must not freeze the window).
SEARCH_MAX = 200


@dataclass(frozen=True)
class ComplaintFilter:
    text: str = ""
    status: str | None = None  # a status code, or OPEN
    category: str | None = None
    channel: str | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None

    def without_status(self) -> ComplaintFilter:
        return replace(self, status=None)


def period_range(period: str | None, today: dt.date | None = None
                 ) -> tuple[dt.date | None, dt.date | None]:
    """The dates (inclusive) of a named period of the filter bar."""
    today = today or dt.date.today()
    if period in ("last_7", "last_30", "last_90", "last_365"):
        days = int(period.split("_")[1])
        return today - dt.timedelta(days=days - 1), today
    if period == "this_year":
        return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    if period == "last_year":
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    return None, None


# The key of the last row shown: (received_on or None, tie-break). The tie-break is SQLite's
# rowid, or the id on PostgreSQL (the ministry hub), which has no rowid.
Cursor = tuple[dt.date | None, Any]


@dataclass(frozen=True)
class ComplaintRow:
    """A complaint as the list shows it: light, and never the complainant's identity."""

    id: str
    reference: str
    received_on: dt.date | None
    channel: str | None
    category: str | None
    status: str | None
    against: str
    summary: str
    anonymous: bool
    # Where it stands against its targets (services.complaint_standing), computed when read.
    deadline_state: str | None = None  # on_time, at_risk, overdue, closed
    next_step: str | None = None
    due_on: dt.date | None = None
    days_left: int = 0
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComplaintPage:
    rows: list[ComplaintRow]
    next: Cursor | None  # None: there is nothing after these rows


def _tie(store: Store) -> Any:
    if store.engine.dialect.name == "sqlite":
        return literal_column("complaint.rowid")
    return C.id


def search_tokens(query: str) -> list[str]:
    return _TOKEN.findall(fold(query[:SEARCH_MAX]))[:12]


def _where(store: Store, f: ComplaintFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [C.deleted.is_(False)]
    if f.status == OPEN:
        where.append(or_(C.status.is_(None), C.status.not_in(FINAL_STATUSES)))
    elif f.status:
        where.append(C.status == f.status)
    if f.category:
        where.append(C.category == f.category)
    if f.channel:
        where.append(C.channel == f.channel)
    if f.received_from:
        where.append(C.received_on >= f.received_from)
    if f.received_to:
        where.append(C.received_on <= f.received_to)
    if f.text.strip():
        where.append(_text_match(store, f.text))
    return where


def _text_match(store: Store, query: str) -> ColumnElement[bool]:
    """Words of the reference, the description or "against", as prefixes; or a receipt code."""
    tokens = search_tokens(query)
    doc = models.SearchDoc
    clauses: list[ColumnElement[bool]] = []
    if tokens:
        if store.engine.dialect.name == "sqlite":
            # Each token a quoted prefix: what people type never reaches FTS5's query syntax.
            match = " ".join('"' + t.replace('"', '""') + '"*' for t in tokens)
            ids = select(doc.entity_id).where(
                doc.entity == "complaint",
                doc.rowid.in_(text("SELECT rowid FROM search_fts WHERE search_fts MATCH :m")
                              .bindparams(m=match).columns(column("rowid", Integer))))
        else:
            ids = select(doc.entity_id).where(
                doc.entity == "complaint", *[doc.body.like(f"%{t}%") for t in tokens])
        clauses.append(C.id.in_(ids))
    receipt = normalize_receipt_code(query[:SEARCH_MAX])
    if receipt:
        clauses.append(C.receipt_code == receipt)
    if not clauses:
        return C.id.is_(None)  # only punctuation: nothing matches
    return or_(*clauses)


def _row_query(store: Store) -> Select[Any]:
    return select(C.id, C.reference, C.received_on, C.channel, C.category, C.status, C.against,
                  func.substr(C.description, 1, SUMMARY_CHARS), C.anonymous, _tie(store))


def _summary(text_: str | None) -> str:
    return " ".join((text_ or "").split())


def _to_row(r: Sequence[Any]) -> ComplaintRow:
    return ComplaintRow(id=r[0], reference=r[1] or "", received_on=r[2], channel=r[3],
                        category=r[4], status=r[5], against=r[6] or "", summary=_summary(r[7]),
                        anonymous=bool(r[8]))


def complaint_page(store: Store, f: ComplaintFilter, after: Cursor | None = None,
                   limit: int = PAGE_SIZE) -> ComplaintPage:
    """The next ``limit`` complaints after ``after`` (the start when None), newest first."""
    if store.engine.dialect.name == "sqlite":
        return _sqlite_page(store, f, after, limit)
    tie = _tie(store)
    base = _where(store, f)
    raw: list[Sequence[Any]] = []
    with store.reading() as s:
        if after is None or after[0] is not None:
            # Dated complaints, by (received_on, tie) descending.
            dated = [*base, C.received_on.is_not(None)]
            if after is not None:
                dated.append(tuple_(C.received_on, tie) < tuple_(after[0], after[1]))
            raw.extend(s.execute(_row_query(store).where(*dated)
                                 .order_by(C.received_on.desc(), tie.desc()).limit(limit)).all())
        if len(raw) < limit:
            raw.extend(_undated(store, s, base, after, limit - len(raw)))
    rows = with_deadlines(store, [_to_row(r) for r in raw])
    nxt: Cursor | None = None
    if len(raw) == limit:
        last = raw[-1]
        nxt = (last[2], last[9])
    return ComplaintPage(rows, nxt)


def with_deadlines(store: Store, rows: list[ComplaintRow]) -> list[ComplaintRow]:
    """The rows with their deadline state, due date and escalation flags filled in."""
    found = standings(store, [r.id for r in rows]) if rows else {}
    out = []
    for r in rows:
        st = found.get(r.id)
        d = None if st is None else st.deadline
        out.append(r if st is None or d is None else replace(
            r, deadline_state=d.state, next_step=d.step, due_on=d.due_on, days_left=d.days_left,
            flags=st.flags))
    return out


def _undated(store: Store, s: Any, base: list[ColumnElement[bool]], after: Cursor | None,
             limit: int) -> list[Sequence[Any]]:
    """Complaints without a date (orphans), after all the dated ones, newest rows first."""
    tie = _tie(store)
    undated = [*base, C.received_on.is_(None)]
    if after is not None and after[0] is None:
        undated.append(tie < after[1])
    return list(s.execute(_row_query(store).where(*undated).order_by(tie.desc())
                          .limit(limit)).all())


# Why the SQLite path looks the way it does. A filter on status, say, matches 20,000 of 100,000
# complaints; "WHERE status = ? ORDER BY received_on" makes SQLite read all 20,000 rows from the
# (encrypted) table to sort them: a visible pause. Instead each criterion that has an index
# becomes a set of rowids read from that index alone ("covering"), and the received_on index is
# walked newest first, also alone, keeping rowids that are in every set: only the rows of the
# page are then read from the table. Tombstones are dropped at that last step (``deleted`` has
# no index), so a page can come back short; the cursor is the walk's, so nothing is skipped.
_BY_DATE = "INDEXED BY ix_complaint_received_on"


def _walk_sql(store: Store, f: ComplaintFilter, *,
              dated_only: bool = True) -> tuple[str, dict[str, Any]]:
    """The WHERE of the walk over the received_on index, as SQL text (SQLAlchemy renders no
    index hint for SQLite), and its parameters."""
    where = ["walk.received_on IS NOT NULL" if dated_only else "1"]
    params: dict[str, Any] = {}
    if f.status == OPEN:
        still_open = [st for st in vocab.COMPLAINT_STATUS.codes() if st not in FINAL_STATUSES]
        names = []
        for n, code in enumerate(still_open):
            params[f"open{n}"] = code
            names.append(f":open{n}")
        where.append("walk.rowid IN (SELECT rowid FROM complaint WHERE status IS NULL OR "
                     f"status IN ({', '.join(names)}))")
    elif f.status:
        params["status"] = f.status
        where.append("walk.rowid IN (SELECT rowid FROM complaint WHERE status = :status)")
    if f.category:
        params["category"] = f.category
        where.append("walk.rowid IN (SELECT rowid FROM complaint WHERE category = :category)")
    if f.text.strip():
        tokens = search_tokens(f.text)
        receipt = normalize_receipt_code(f.text[:SEARCH_MAX])
        alternatives = []
        if tokens:
            # Each token a quoted prefix: what people type never reaches FTS5's query syntax.
            params["match"] = " ".join('"' + t.replace('"', '""') + '"*' for t in tokens)
            alternatives.append(
                "id IN (SELECT entity_id FROM search_doc WHERE entity = 'complaint' AND id IN "
                "(SELECT rowid FROM search_fts WHERE search_fts MATCH :match))")
        if receipt:
            params["receipt"] = receipt
            alternatives.append("receipt_code = :receipt")
        if not alternatives:
            alternatives.append("0")  # only punctuation: nothing matches
        where.append(f"walk.rowid IN (SELECT rowid FROM complaint WHERE "
                     f"{' OR '.join(alternatives)})")
    if f.channel:  # no index: checked on the rows the walk reaches
        params["channel"] = f.channel
        where.append("walk.channel = :channel")
    if f.received_from:
        params["received_from"] = f.received_from.isoformat()
        where.append("walk.received_on >= :received_from")
    if f.received_to:
        params["received_to"] = f.received_to.isoformat()
        where.append("walk.received_on <= :received_to")
    return " AND ".join(where), params


def _sqlite_page(store: Store, f: ComplaintFilter, after: Cursor | None,
                 limit: int) -> ComplaintPage:
    where, params = _walk_sql(store, f)
    rows: list[ComplaintRow] = []
    with store.reading() as s:
        undated_after: Cursor | None = after
        if after is None or after[0] is not None:
            cursor = after
            while True:
                need = limit - len(rows)
                keyed, bound = where, dict(params, need=need)
                if cursor is not None and cursor[0] is not None:
                    keyed += " AND (walk.received_on, walk.rowid) < (:after_on, :after_row)"
                    bound.update(after_on=cursor[0].isoformat(), after_row=cursor[1])
                keys = [(dt.date.fromisoformat(k[0]), k[1]) for k in s.connection().execute(
                    text(f"SELECT walk.received_on, walk.rowid FROM complaint AS walk {_BY_DATE} "
                         f"WHERE {keyed} ORDER BY walk.received_on DESC, walk.rowid DESC "
                         "LIMIT :need"), bound)]
                if keys:
                    wanted = [k[1] for k in keys]
                    found = {r[9]: r for r in s.execute(_row_query(store).where(
                        literal_column("complaint.rowid").in_(wanted), C.deleted.is_(False)))}
                    rows.extend(_to_row(found[k]) for k in wanted if k in found)
                    cursor = (keys[-1][0], keys[-1][1])
                if len(keys) < need:
                    break  # no more dated complaints: the undated ones follow
                if len(rows) >= limit:
                    return ComplaintPage(with_deadlines(store, rows), cursor)
                # Tombstones made this round short: walk on from where it stopped.
            undated_after = None
        raw = _undated(store, s, _where(store, f), undated_after, limit - len(rows))
    rows.extend(_to_row(r) for r in raw)
    rows = with_deadlines(store, rows)
    nxt: Cursor | None = (None, raw[-1][9]) if raw and len(rows) == limit else None
    return ComplaintPage(rows, nxt)


def count_complaints(store: Store, f: ComplaintFilter) -> int:
    if store.engine.dialect.name == "sqlite":
        return total_for(counts_by_status(store, f), f.status)
    with store.reading() as s:
        return int(s.scalar(select(func.count()).select_from(C).where(*_where(store, f))) or 0)


def total_for(counts: dict[str, int], status: str | None) -> int:
    """The number of complaints a filter shows, from its ``counts_by_status``."""
    if status is None:
        return sum(n for st, n in counts.items() if st != OPEN)
    return counts.get(status, 0)


def counts_by_status(store: Store, f: ComplaintFilter) -> dict[str, int]:
    """How many complaints of each status match the filter's other criteria (for the filter
    bar's status choices); ``OPEN`` holds the sum of the statuses that are not final."""
    out = dict.fromkeys(vocab.COMPLAINT_STATUS.codes(), 0)
    with store.reading() as s:
        if store.engine.dialect.name == "sqlite":
            # The criteria as rowid sets read from their indexes (see _sqlite_page); the table
            # itself is read once, in order, for the status and the tombstone.
            where, params = _walk_sql(store, f.without_status(), dated_only=False)
            rows = s.connection().execute(text(
                "SELECT walk.status, count(*) FROM complaint AS walk NOT INDEXED "
                f"WHERE walk.deleted = 0 AND {where} GROUP BY walk.status"), params).all()
        else:
            rows = s.execute(select(C.status, func.count()).where(
                *_where(store, f.without_status())).group_by(C.status)).all()
    for status, n in rows:
        out[status if status in out else "received"] += int(n)
    out[OPEN] = sum(n for st, n in out.items() if st not in FINAL_STATUSES)
    return out


def row_of(store: Store, complaint_id: str) -> ComplaintRow | None:
    """One complaint's list row (to refresh it in place after an edit)."""
    with store.reading() as s:
        r = s.execute(_row_query(store).where(C.id == complaint_id, C.deleted.is_(False))).first()
    return None if r is None else with_deadlines(store, [_to_row(r)])[0]


def filter_is_empty(f: ComplaintFilter) -> bool:
    return f == ComplaintFilter()
