"""Integrity of a store: SQLite's own check, every event's hash and signature, every feed's
chain, and the projection against a rebuild from the log (DESIGN §4: the log is the truth)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from jsd_desk.i18n import N_
from jsd_desk.security.device import DeviceInfo
from jsd_desk.store import models
from jsd_desk.store.dump import dump_text
from jsd_desk.store.eventlog import GENESIS, MalformedEvent, parse_event
from jsd_desk.store.projection import Projector, clear

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


def verify_log(conn: Connection, report: VerifyReport) -> None:
    devices = known_devices(conn)
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
        elif not info.verify(ev.signature, ev.raw):
            report.problems.append(Problem(N_("Event {device}#{seq} has a bad signature."), where))
        if row.seq != expected_seq:
            report.problems.append(Problem(N_("Feed {device} has a gap before #{seq}."), where))
        elif ev.prev_hash != prev:
            report.problems.append(Problem(N_("Event {device}#{seq} breaks its feed's hash chain."), where))
        expected_seq, prev = row.seq + 1, ev.hash


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
    projector = Projector(conn)
    n = 0
    for body, sig in conn.execute(select(EVENT.c.body, EVENT.c.signature)).all():
        projector.apply(parse_event(body.encode("utf-8"), sig))
        n += 1
    return n


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
