"""passphrase change, recover, recovery-key new, rekey, backup create|list|restore, audit.

Secrets are read as the passphrase is (DESIGN §7): from a file or an environment variable when
not interactive, else typed twice on the terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from jsd_desk.cli.common import add_command, data_dir, open_from_args, read_passphrase
from jsd_desk.domain.errors import InputRefused, UsageError
from jsd_desk.i18n import N_, _, ngettext

NEW_PASSPHRASE_ENV = "JSD_DESK_NEW_PASSPHRASE"
RECOVERY_KEY_ENV = "JSD_DESK_RECOVERY_KEY"


def _secret(args: argparse.Namespace, file_attr: str, env: str, prompt: str, again: str | None,
            missing: str) -> str:
    path = getattr(args, file_attr, None)
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError):
            raise InputRefused(N_("The file {path} cannot be read."), path=str(path)) from None
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UsageError(missing)
    first = getpass.getpass(prompt)
    if again is not None and getpass.getpass(again) != first:
        raise InputRefused(N_("The two passphrases differ."))
    return first


def _new_passphrase(args: argparse.Namespace) -> str:
    return _secret(args, "new_passphrase_file", NEW_PASSPHRASE_ENV, _("New passphrase: "),
                   _("New passphrase again: "),
                   N_("No new passphrase: use --new-passphrase-file FILE or set "
                      "JSD_DESK_NEW_PASSPHRASE."))


def _add_new_passphrase(p: argparse.ArgumentParser) -> None:
    p.add_argument("--new-passphrase-file", type=Path, metavar="FILE",
                   help=_("read the new passphrase from this file (or env "
                          "JSD_DESK_NEW_PASSPHRASE)"))


def _add_card(p: argparse.ArgumentParser) -> None:
    p.add_argument("--card", type=Path, metavar="FILE.pdf",
                   help=_("also write the recovery key card (PDF) to print"))
    p.add_argument("--lang", choices=("fr", "en"), default=None,
                   help=_("the language of the card (default: the interface's)"))


def register(sub: Any) -> None:
    p = add_command(sub, "passphrase", _("change the passphrase (the data stay as they are)"))
    p.add_argument("action", choices=("change",))
    _add_new_passphrase(p)
    p.set_defaults(handler=cmd_passphrase)

    p = add_command(sub, "recover", _("open the store with the recovery key and choose a new "
                                      "passphrase"))
    p.add_argument("--recovery-key-file", type=Path, metavar="FILE",
                   help=_("read the recovery key from this file (or env JSD_DESK_RECOVERY_KEY)"))
    _add_new_passphrase(p)
    p.set_defaults(handler=cmd_recover)

    p = add_command(sub, "recovery-key", _("issue a new recovery key (the old one stops "
                                           "working)"))
    p.add_argument("action", choices=("new",))
    _add_card(p)
    p.set_defaults(handler=cmd_recovery_key)

    p = add_command(sub, "rekey", _("re-encrypt the store under new keys after a suspected "
                                    "compromise; prints a new recovery key"))
    _add_new_passphrase(p)
    p.add_argument("--keep-passphrase", action="store_true",
                   help=_("keep the current passphrase (otherwise a new one is asked for)"))
    _add_card(p)
    p.set_defaults(handler=cmd_rekey)

    p = add_command(sub, "backup", _("encrypted backups of the store: create, list, restore"))
    p.add_argument("action", choices=("create", "list", "restore"))
    p.add_argument("name", nargs="?", metavar="NAME",
                   help=_("restore: the backup to restore (default: the newest good one)"))
    p.set_defaults(handler=cmd_backup)

    p = add_command(sub, "audit", _("the history of a record (who, when, which field, old and "
                                    "new value), or export the whole audit trail"))
    p.add_argument("record", nargs="?", metavar="RECORD_ID_OR_REFERENCE")
    p.add_argument("--all", action="store_true", help=_("every record of the store"))
    p.add_argument("--export", type=Path, metavar="FILE", help=_("write CSV or JSON to FILE"))
    p.add_argument("--format", choices=("csv", "json"), default=None,
                   help=_("the export format (default: by the file's extension)"))
    p.set_defaults(handler=cmd_audit)


def cmd_passphrase(args: argparse.Namespace) -> int:
    from jsd_desk.services.security import change_passphrase

    old = read_passphrase(args)
    change_passphrase(data_dir(args), old, _new_passphrase(args))
    print(_("The passphrase was changed; the recovery key still works."))
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from jsd_desk.services.security import recover

    key = _secret(args, "recovery_key_file", RECOVERY_KEY_ENV, _("Recovery key: "), None,
                  N_("No recovery key: use --recovery-key-file FILE or set JSD_DESK_RECOVERY_KEY."))
    recover(data_dir(args), key, _new_passphrase(args))
    print(_("The store opens with the new passphrase; the recovery key still works."))
    return 0


def _print_recovery_key(key: str, card: Path | None) -> None:
    print(_("New recovery key (write it on paper and keep it safe; it is shown only once):"))
    print(f"    {key}")
    if card is not None:
        print(_("The recovery key card is in {path}: print it, then delete the file.",
                path=str(card)))


def cmd_recovery_key(args: argparse.Namespace) -> int:
    from jsd_desk.services.security import issue_recovery_key

    key = issue_recovery_key(data_dir(args), read_passphrase(args), card=args.card, lang=args.lang)
    _print_recovery_key(key, args.card)
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    from jsd_desk.cli.common import Progress
    from jsd_desk.services.security import REKEY_STEPS, rekey

    passphrase = read_passphrase(args)
    new = None if args.keep_passphrase else _new_passphrase(args)
    progress = Progress(_("Re-keying"))
    try:
        result = rekey(data_dir(args), passphrase, new_passphrase=new, card=args.card,
                       lang=args.lang,
                       on_step=lambda s: progress(REKEY_STEPS.index(s) + 1, len(REKEY_STEPS)))
    finally:
        progress.close()
    print(_("The store was re-keyed: new database key, new device key file, new key slots."))
    _print_recovery_key(result.recovery_key, args.card)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from jsd_desk.paths import DataDir
    from jsd_desk.services import backup

    if args.action != "restore" and args.name:
        raise UsageError(N_("Only “backup restore” takes a backup name."))
    if args.action == "list":
        backups = backup.list_backups(DataDir(data_dir(args)))
        for b in backups:
            print(f"{b.name}\t{b.created:%Y-%m-%d %H:%M:%S} UTC\t{b.size}")
        if not backups:
            print(_("There is no backup yet."))
        return 0
    if args.action == "create":
        ws = open_from_args(args)
        try:
            if ws.database_url:
                raise UsageError(N_("A hub's database is backed up with PostgreSQL's own tools."))
            made = backup.backup_now(ws.data_dir, ws.store.engine)
        finally:
            ws.close()
        print(_("Backup {name} written.", name=made.name))
        return 0
    result = backup.restore_backup(data_dir(args), read_passphrase(args), args.name)
    print(_("Restored {name} (made {date} UTC). This device continues as a new feed {device}; "
            "the previous feed {old} stays trusted.", name=result.backup.name,
            date=f"{result.backup.created:%Y-%m-%d %H:%M}", device=result.new_device_id[:8],
            old=result.old_device_id[:8]))
    if result.replaced is not None:
        print(_("The database it replaced was kept as {path}.", path=str(result.replaced)))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from jsd_desk.services import audit

    if bool(args.all) == bool(args.record):
        raise UsageError(N_("Give a record id (or complaint reference), or --all."))
    if args.all and args.export is None:
        raise UsageError(N_("The whole audit trail goes to a file: add --export FILE."))
    ws = open_from_args(args)
    try:
        if args.all:
            entries = list(audit.store_history(ws.store))
        else:
            entries = audit.record_history(ws.store, audit.resolve_record(ws.store, args.record))
        if args.export is not None:
            n = audit.export_audit(entries, args.export, args.format)
            print(ngettext("Wrote {n} change to {path}.", "Wrote {n} changes to {path}.", n,
                           path=str(args.export)))
            return 0
    finally:
        ws.close()
    for e in entries:
        print("\t".join((e.at.isoformat(timespec="seconds") + "Z", e.device, e.entity, e.field,
                         audit.show_value(e.old), "→", audit.show_value(e.new))))
    return 0
