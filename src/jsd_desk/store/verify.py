"""Integrity of a store: SQLite's own check, every event's hash and signature, every feed's
chain, and the projection against a rebuild from the log (DESIGN §4: the log is the truth)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, select

from jsd_desk.i18n import N_
from jsd_desk.security.device import DeviceInfo, unb64
from jsd_desk.store import models
from jsd_desk.store.batch_projection import BatchProjector
from jsd_desk.store.dump import dump_text
from jsd_desk.store.eventlog import GENESIS, MalformedEvent, SignedEvent, parse_event
from jsd_desk.store.projection import clear

EVENT = models.tbl(models.Event)
DEVICE = models.tbl(models.Device)


@dataclass
class Problem:
    msgid: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass
class VerifyReport:
    events: int = 0
    feeds: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def known_devices(conn: Connection) -> dict[str, DeviceInfo]:
    return {r.device_id: DeviceInfo(r.device_id, r.name, r.role, r.short_code, r.sign_public,
                                    r.age_recipient)
            for r in conn.execute(select(DEVICE))}


_CHUNK = 2000


def _bad_signatures(checks: list[tuple[DeviceInfo, SignedEvent]]) -> set[int]:
    """Indices of the events whose signature does not verify, checked on every core
    (``cryptography`` releases the GIL while it verifies)."""
    keys: dict[str, Ed25519PublicKey] = {}
    pairs = []
    for info, ev in checks:
        key = keys.get(info.device_id)
        if key is None:
            key = keys[info.device_id] = Ed25519PublicKey.from_public_bytes(unb64(info.sign_public))
        pairs.append((key, ev))

    def bad(start: int) -> list[int]:
        out = []
        for i in range(start, min(start + _CHUNK, len(pairs))):
            key, ev = pairs[i]
            try:
                key.verify(ev.signature, ev.raw)
            except InvalidSignature:
                out.append(i)
        return out

    starts = range(0, len(pairs), _CHUNK)
    if len(pairs) <= _CHUNK:
        return {i for s in starts for i in bad(s)}
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with ThreadPoolExecutor(max(1, min(4, cores or 1)), thread_name_prefix="jsd-verify") as pool:
        return {i for found in pool.map(bad, starts) for i in found}


def verify_log(conn: Connection, report: VerifyReport) -> None:
    devices = known_devices(conn)
    signed: list[tuple[DeviceInfo, SignedEvent]] = []
    where_of: list[dict[str, object]] = []
    current: str | None = None
    expected_seq, prev = 1, GENESIS
    for row in conn.execute(select(EVENT).order_by(EVENT.c.device_id, EVENT.c.seq)):
        report.events += 1
        if row.device_id != current:
            current, expected_seq, prev = row.device_id, 1, GENESIS
            report.feeds += 1
        where = {"device": row.device_id[:8], "seq": row.seq}
        try:
            ev = parse_event(row.body.encode("utf-8"), row.signature)
        except MalformedEvent:
            report.problems.append(Problem(N_("Event {device}#{seq} is malformed."), where))
            continue
        if ev.device_id != row.device_id or ev.seq != row.seq or ev.hash != row.hash:
            report.problems.append(Problem(N_("Event {device}#{seq} does not match its index."), where))
        info = devices.get(row.device_id)
        if info is None:
            report.problems.append(Problem(N_("Event {device}#{seq} is signed by an unknown device."), where))
        else:
            signed.append((info, ev))
            where_of.append(where)
        if row.seq != expected_seq:
            report.problems.append(Problem(N_("Feed {device} has a gap before #{seq}."), where))
        elif ev.prev_hash != prev:
            report.problems.append(Problem(N_("Event {device}#{seq} breaks its feed's hash chain."), where))
        expected_seq, prev = row.seq + 1, ev.hash
    for i in sorted(_bad_signatures(signed)):
        report.problems.append(Problem(N_("Event {device}#{seq} has a bad signature."), where_of[i]))


def verify_projection(conn: Connection, report: VerifyReport) -> None:
    """Rebuild the projection from the log inside a savepoint and compare the dumps."""
    before = dump_text(conn)
    savepoint = conn.begin_nested()
    try:
        rebuild(conn)
        after = dump_text(conn)
    finally:
        savepoint.rollback()
    if before != after:
        report.problems.append(Problem(N_("The records differ from a rebuild from the event log.")))


def rebuild(conn: Connection) -> int:
    """Recompute the whole projection from the stored events; returns how many were applied."""
    clear(conn)
    projector = BatchProjector(conn)  # the order does not matter: the batches merge in memory
    n = 0
    batch: list[SignedEvent] = []
    for body, sig in conn.execute(select(EVENT.c.body, EVENT.c.signature)).all():
        batch.append(parse_event(body.encode("utf-8"), sig))
        if len(batch) >= _CHUNK:
            projector.apply(batch)
            n += len(batch)
            batch = []
    projector.apply(batch)
    return n + len(batch)


def integrity_check(conn: Connection, report: VerifyReport) -> None:
    if conn.dialect.name != "sqlite":
        return
    rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        report.problems.append(Problem(N_("The database file is damaged: {detail}"),
                                       {"detail": "; ".join(rows[:3])}))


def verify_store(conn: Connection) -> VerifyReport:
    report = VerifyReport()
    integrity_check(conn, report)
    verify_log(conn, report)
    verify_projection(conn, report)
    return report
