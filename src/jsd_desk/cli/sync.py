"""card, peer add|list, bundle export|import, sync-folder, age-identity (DESIGN §5, §7)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from jsd_desk.cli.common import Progress, add_command, open_from_args
from jsd_desk.i18n import _
from jsd_desk.services import sync


def _group(sub: Any, name: str, help_text: str) -> Any:
    parser = add_command(sub, name, help_text)
    return parser.add_subparsers(dest=f"{name}_command", metavar="COMMAND", required=True,
                                 parser_class=type(parser))


def register(sub: Any) -> None:
    p = add_command(sub, "card", _("export this device's contact card"))
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.set_defaults(handler=cmd_card)

    peer = _group(sub, "peer", _("trust other devices by their contact cards"))
    p = add_command(peer, "add", _("trust the device of a contact card"))
    p.add_argument("card", type=Path, metavar="FILE")
    p.add_argument("--fingerprint", metavar="FP",
                   help=_("the fingerprint the card's owner read out; refused if it differs"))
    p.set_defaults(handler=cmd_peer_add)
    p = add_command(peer, "list", _("list the devices this one knows"))
    p.set_defaults(handler=cmd_peer_list)

    bundle = _group(sub, "bundle", _("sync by file: write and read bundles"))
    p = add_command(bundle, "export", _("write a bundle of what a device lacks, or of everything"))
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--to", metavar="DEVICE_ID", help=_("the device the bundle is for"))
    target.add_argument("--all", action="store_true",
                        help=_("every event, for every trusted device"))
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.set_defaults(handler=cmd_bundle_export)
    p = add_command(bundle, "import", _("import bundles and print what they brought"))
    p.add_argument("files", nargs="+", type=Path, metavar="FILE",
                   help=_("bundle files, or folders of them (imported one by one, skipping "
                          "what cannot be imported)"))
    p.add_argument("--keep-going", action="store_true",
                   help=_("import the files one by one, listing and skipping those that cannot "
                          "be imported (the default for folders)"))
    p.set_defaults(handler=cmd_bundle_import)

    p = add_command(sub, "sync-folder", _("import the bundles of a sync folder and write ours"))
    p.add_argument("folder", nargs="?", type=Path, metavar="DIR",
                   help=_("the folder (default: the one set in the app)"))
    p.set_defaults(handler=cmd_sync_folder)

    p = add_command(sub, "age-identity", _("write the device's age identity, to open bundles "
                                          "with the age tool"))
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.set_defaults(handler=cmd_age_identity)


def cmd_card(args: argparse.Namespace) -> int:
    ws = open_from_args(args)
    try:
        info = sync.export_card(ws, args.out)
    finally:
        ws.close()
    print(_("Wrote the contact card of “{name}” to {path}.", name=info.name, path=str(args.out)))
    print(_("Fingerprint: {fp}", fp=info.fingerprint()))
    return 0


def cmd_peer_add(args: argparse.Namespace) -> int:
    ws = open_from_args(args)
    try:
        added = sync.add_peer(ws, args.card, fingerprint=args.fingerprint)
    finally:
        ws.close()
    info = added.info
    if added.status == "already":
        print(_("“{name}” ({id}) was already trusted.", name=info.name, id=info.device_id))
    else:
        print(_("Trusted “{name}” ({role}), device {id}.", name=info.name, role=info.role,
                id=info.device_id))
    print(_("Fingerprint: {fp} — check it with the device's owner.", fp=info.fingerprint()))
    if added.ministry:
        print(_("This is a ministry device: every bundle will also be encrypted to it."))
    return 0


def cmd_peer_list(args: argparse.Namespace) -> int:
    ws = open_from_args(args)
    try:
        peers = sync.list_peers(ws)
    finally:
        ws.close()
    for p in peers:
        if p.is_self:
            status = _("this device")
        elif p.trusted:
            status = _("trusted")
        else:
            status = _("introduced by {name}",
                       name=p.introduced_by.name if p.introduced_by else "?")
        print(f"{p.info.device_id}  {p.info.short_code}  {p.info.role:<11}  {p.fingerprint}  "
              f"{p.info.name}  ({status})")
    return 0


def cmd_bundle_export(args: argparse.Namespace) -> int:
    ws = open_from_args(args)
    try:
        progress = Progress(_("Export"))
        summary = sync.export_bundle(ws, args.out, to=args.to, everything=bool(args.all),
                                     progress=progress)
        progress.close()
    finally:
        ws.close()
    names = ", ".join(d.name for d in summary.recipients)
    print(_("Wrote {path}: {n} events, {b} attachments, encrypted to {names}.",
            path=str(args.out), n=summary.events, b=summary.blobs, names=names))
    return 0


def cmd_bundle_import(args: argparse.Namespace) -> int:
    if args.keep_going or any(Path(f).is_dir() for f in args.files):
        return _import_each(args)
    ws = open_from_args(args)
    try:
        progress = Progress(_("Import"))
        reports = sync.import_bundles(ws, args.files, progress=progress)
        progress.close()
        names = {p.info.device_id: p.info.name for p in sync.list_peers(ws)}
    finally:
        ws.close()
    for path, report in zip(args.files, reports, strict=True):
        line = _("{new} new · {known} already known · {conflicts} conflicts · {held} held aside",
                 new=report.new, known=report.known, conflicts=report.conflicts,
                 held=report.held)
        print(f"{path.name}: {line}" if len(reports) > 1 else line)
        for card in report.introduced:
            print(_("  “{name}” ({role}) was introduced by “{by}”.", name=card.name,
                    role=card.role, by=report.sender.name))
        for gap in report.gaps:
            print(_("  Events #{first} to #{last} of “{name}” are missing; the later ones wait "
                    "for them.", first=gap.first, last=gap.last,
                    name=names.get(gap.device_id, gap.device_id[:8])))
        if report.future:
            print(_("  {n} events are stamped too far in the future; they wait until this "
                    "device's clock reaches them.", n=report.future))
    return 0


def cmd_sync_folder(args: argparse.Namespace) -> int:
    ws = open_from_args(args)
    try:
        progress = Progress(_("Sync folder"))
        report = sync.run_sync_folder(ws, args.folder, progress=progress)
        progress.close()
    finally:
        ws.close()
    print(_("{i} bundles imported ({new} new events), {w} written, {r} removed, {f} refused.",
            i=len(report.imported), new=report.new, w=len(report.written),
            r=len(report.removed), f=len(report.refused)))
    for path, exc in report.refused:
        print(f"  {path.name}: {exc.message()}")
    return 0


def cmd_age_identity(args: argparse.Namespace) -> int:
    ws = open_from_args(args)
    try:
        recipient = sync.export_age_identity(ws, args.out)
    finally:
        ws.close()
    print(_("Wrote the age identity to {path}; keep it secret. Its public key: {r}",
            path=str(args.out), r=recipient))
    return 0


def _import_each(args: argparse.Namespace) -> int:
    """Folders (or --keep-going): each bundle all or nothing, the others still imported. Exit 0
    once every file was tried, the skipped ones listed with their reason (a ministry receives
    stray files, and bundles meant for others, all the time); 3 only when nothing can start."""
    from jsd_desk.services import folder_import as fi

    fi.bundle_files(args.files)  # a missing argument is refused before the store opens
    ws = open_from_args(args)
    progress = Progress(_("Import"))

    def show(result: fi.FileResult) -> None:
        if result.outcome == fi.IMPORTED and result.report is not None:
            r = result.report
            text = _("imported: {new} new · {known} already known · {conflicts} conflicts · "
                     "{held} held aside", new=r.new, known=r.known, conflicts=r.conflicts,
                     held=r.held)
        elif result.outcome == fi.ALREADY:
            text = _("already imported")
        else:
            text = _("skipped: {reason}", reason=result.reason_text())
        progress.clear()
        print(f"{result.path}: {text}", flush=True)

    try:
        report = fi.import_folder(ws, args.files, progress=progress, on_file=show)
        progress.close()
    finally:
        ws.close()
    print(fi.describe(report))
    return 0
