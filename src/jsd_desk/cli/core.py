"""init, demo, dump, verify."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from jsd_desk.cli.common import (
    Progress,
    add_command,
    new_data_dir,
    open_from_args,
    read_passphrase,
)
from jsd_desk.i18n import _
from jsd_desk.services.workspace import init_workspace


def register(sub: Any) -> None:
    p = add_command(sub, "init", _("create the encrypted store and the device keys"))
    p.add_argument("--device-name", required=True, metavar="NAME")
    p.add_argument("--role", required=True, choices=("facilitator", "liaison", "analyst"))
    p.add_argument("--recovery-card", type=Path, metavar="FILE.pdf",
                   help=_("also write the recovery key card (PDF) to print, then delete"))
    p.set_defaults(handler=cmd_init)

    p = add_command(sub, "demo", _("add a realistic period of activity"))
    p.add_argument("--seed", type=int, default=None, metavar="N")
    p.add_argument("--sessions", type=int, default=None, metavar="N")
    p.set_defaults(handler=cmd_demo)

    p = add_command(sub, "dump", _("print every readable record as canonical JSON"))
    p.set_defaults(handler=cmd_dump)

    p = add_command(sub, "verify", _("check the database, every signature and hash chain"))
    p.set_defaults(handler=cmd_verify)


def cmd_init(args: argparse.Namespace) -> int:
    card = getattr(args, "recovery_card", None)
    if card is not None and not Path(card).parent.is_dir():
        from jsd_desk.domain.errors import UsageError
        from jsd_desk.i18n import N_

        raise UsageError(N_("The folder of {path} does not exist."), path=str(card))
    root = new_data_dir(args)
    passphrase = read_passphrase(args, confirm=True)
    ws, recovery = init_workspace(root, args.device_name, args.role, passphrase,
                                  database_url=getattr(args, "database", None))
    info = ws.keys.info
    ws.close()
    print(_("Created the store of device “{name}” ({role}) in {path}.", name=info.name,
            role=info.role, path=str(ws.data_dir.root)))
    print(_("Device id: {id}   Fingerprint: {fp}", id=info.device_id, fp=info.fingerprint()))
    print(_("Recovery key (write it on paper and keep it safe; it is shown only once):"))
    print(f"    {recovery}")
    if getattr(args, "recovery_card", None):
        from jsd_desk.services.security import write_card

        write_card(args.recovery_card, recovery, info)
        print(_("The recovery key card is in {path}: print it, then delete the file.",
                path=str(args.recovery_card)))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from jsd_desk.services.demo import DemoOptions, add_demo_activity

    ws = open_from_args(args)
    try:
        progress = Progress(_("Demo data"))
        options = DemoOptions(seed=args.seed, sessions=args.sessions)
        summary = add_demo_activity(ws.store, options, progress=progress)
        progress.close()
    finally:
        ws.close()
    print(summary.describe())
    return 0


def cmd_dump(args: argparse.Namespace) -> int:
    from jsd_desk.store.dump import dump_text

    ws = open_from_args(args)
    try:
        with ws.store.engine.connect() as conn:
            text = dump_text(conn, ws.hidden_entities)
    finally:
        ws.close()
    sys.stdout.write(text)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from jsd_desk.store.verify import verify_store

    ws = open_from_args(args)
    try:
        with ws.store.engine.begin() as conn:
            report = verify_store(conn)
    finally:
        ws.close()
    for problem in report.problems:
        sys.stderr.write(_(problem.msgid, **problem.params) + "\n")
    if not report.ok:
        sys.stderr.write(_("jsd-desk: the store failed verification ({n} problems).",
                           n=len(report.problems)) + "\n")
        return 3
    print(_("OK: {events} events in {feeds} feeds; signatures, chains and records check out.",
            events=report.events, feeds=report.feeds))
    return 0
