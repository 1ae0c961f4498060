"""What the Sync page says: its tables' columns (devices, outbox) and the sentences that
sum up an import, a folder pass or an event held aside."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, _, ngettext
from jsd_desk.security.device import DeviceInfo
from jsd_desk.services.sync import PeerView
from jsd_desk.sync.folder import FolderReport
from jsd_desk.sync.importer import ImportReport
from jsd_desk.sync.outbox import OutboxItem
from jsd_desk.ui.conflicts import local_time
from jsd_desk.ui.kit.table import Column


def import_summary(reports: list[ImportReport]) -> str:
    """The one line an import reports (the same words as ``jsd-desk bundle import``)."""
    return _("{new} new · {known} already known · {conflicts} conflicts · {held} held aside",
             new=sum(r.new + r.released for r in reports), known=sum(r.known for r in reports),
             conflicts=sum(r.conflicts for r in reports), held=sum(r.held for r in reports))


def default_bundle_name(me: DeviceInfo, to: DeviceInfo | None, today: dt.date) -> str:
    target = to.short_code if to is not None else "all"
    return f"jsd-{me.short_code}-{target}-{today.isoformat()}.jsdb".lower()


def peer_columns() -> list[Column[PeerView]]:
    def intro(p: PeerView) -> str:
        if p.trusted:
            return _("you")  # "Introduced by: you", after checking its card
        return p.introduced_by.name if p.introduced_by else "?"

    return [
        Column(N_("Name"), lambda p: p.info.name),
        Column(N_("Role"), lambda p: vocab.ROLE.label(p.info.role)),
        Column(N_("Fingerprint"), lambda p: p.fingerprint),
        Column(N_("Introduced by"), intro),
        Column(N_("Last bundle received"),
               lambda p: local_time(p.last_received_at) if p.last_received_at else _("never")),
        Column(N_("Bundles waiting"), lambda p: str(p.pending) if p.pending else ""),
    ]


def outbox_columns(names: dict[str, str]) -> list[Column[OutboxItem]]:
    return [
        Column(N_("Written"), lambda i: local_time(i.created_at)),
        Column(N_("For"), lambda i: ", ".join(names.get(d, d[:8]) for d in i.to)),
        Column(N_("Events"), lambda i: str(i.events)),
        Column(N_("Status"), lambda i: _("Acknowledged") if i.acked_at is not None else
               _("Waiting")),
        Column(N_("File"), lambda i: Path(i.path).name),
    ]


def held_reason(reason: str) -> str:
    return {"gap": _("follows a missing event"),
            "future": _("stamped too far in the future"),
            "behind": _("follows an event stamped in the future")}.get(reason, reason)


def folder_summary(report: FolderReport) -> str:
    now = dt.datetime.now().strftime("%H:%M")
    if not (report.imported or report.written or report.refused or report.released):
        return _("Last pass at {time}: nothing new.", time=now)
    parts = [ngettext("{n} bundle imported", "{n} bundles imported", len(report.imported)),
             ngettext("{n} written", "{n} written", len(report.written))]
    if report.refused:
        parts.append(ngettext("{n} refused", "{n} refused", len(report.refused)))
    text = _("Last pass at {time}: {parts}.", time=now, parts=", ".join(parts))
    if report.refused:
        path, exc = report.refused[0]
        text += " " + _("{file}: {reason}", file=path.name, reason=exc.message())
    return text
