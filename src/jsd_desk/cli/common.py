"""Options every command takes (DESIGN §7) and how the passphrase is read."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from jsd_desk.domain.errors import InputRefused, UsageError
from jsd_desk.faults import MISSING, StorageFault, check_data_dir, new_folder_fault
from jsd_desk.i18n import N_, _
from jsd_desk.paths import default_data_dir
from jsd_desk.services.startup import start
from jsd_desk.services.workspace import Workspace


def add_common_options(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    # On subcommands the defaults are SUPPRESS so an option given before the command survives.
    default: Any = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", type=Path, default=default, metavar="DIR",
                        help=_("the device's data folder (default: env JSD_DESK_DATA_DIR or the "
                               "user data folder)"))
    parser.add_argument("--passphrase-file", type=Path, default=default, metavar="FILE",
                        help=_("read the passphrase from this file (or env JSD_DESK_PASSPHRASE)"))
    parser.add_argument("--database", default=default, metavar="URL",
                        help=_("a hub's database, e.g. postgresql+psycopg://…"))


def add_command(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    add_common_options(parser, suppress=True)
    return parser


def data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if getattr(args, "data_dir", None) else default_data_dir()


def new_data_dir(args: argparse.Namespace) -> Path:
    """The folder ``init`` is to create, refused at once when it cannot be made there
    (jsd_desk.faults.new_folder_fault)."""
    root = data_dir(args)
    named = bool(getattr(args, "data_dir", None) or os.environ.get("JSD_DESK_DATA_DIR"))
    fault = new_folder_fault(root, named=named)
    if fault is not None:
        raise fault
    return root


def read_passphrase(args: argparse.Namespace, *, confirm: bool = False) -> str:
    path = getattr(args, "passphrase_file", None)
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise InputRefused(N_("The passphrase file {path} cannot be read."), path=str(path)) from None
        return text.rstrip("\r\n")
    env = os.environ.get("JSD_DESK_PASSPHRASE")
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise UsageError(N_("No passphrase: use --passphrase-file FILE or set JSD_DESK_PASSPHRASE."))
    first = getpass.getpass(_("Passphrase: "))
    if confirm and getpass.getpass(_("Passphrase again: ")) != first:
        raise InputRefused(N_("The two passphrases differ."))
    return first


def open_from_args(args: argparse.Namespace) -> Workspace:
    root = data_dir(args)
    check_data_dir(root)
    if not root.exists() and not root.parent.exists():  # e.g. on a USB stick not plugged in
        raise StorageFault(MISSING, path=str(root))
    started = start(root, read_passphrase(args), database_url=getattr(args, "database", None))
    if started.warning:
        sys.stderr.write(f"jsd-desk: {started.warning}\n")
    return started.workspace


class Progress:
    """A one-line progress counter on a terminal's stderr; silent when not a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.active = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if self.active:
            sys.stderr.write(f"\r{self.label} {done}/{total}")
            sys.stderr.flush()

    def clear(self) -> None:
        """Wipe the counter so a line can be printed in its place."""
        if self.active:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()

    def close(self) -> None:
        if self.active:
            sys.stderr.write("\n")
