"""Composition root of the desktop app: ``python -m jsd_desk.app [--demo]``.

It finds the data folder, reads a non-interactive passphrase (file or environment) when one is
given, and hands over to ``jsd_desk.ui.main.run``, which opens (or on first run creates) the
store and shows the main window. ``--demo`` fills a store that has no sessions yet with demo data.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from jsd_desk.i18n import _, language_from_environment, set_language


def _passphrase(args: argparse.Namespace) -> str | None:
    # Only the non-interactive sources here; otherwise the GUI asks in its unlock dialog.
    if getattr(args, "passphrase_file", None) or os.environ.get("JSD_DESK_PASSPHRASE") is not None:
        from jsd_desk.cli.common import read_passphrase

        return read_passphrase(args)
    return None


def no_display() -> bool:
    """True on Linux (and the BSDs) when there is no screen to draw on: no X display, no Wayland
    compositor, and no platform chosen (``QT_QPA_PLATFORM=offscreen`` and the like). Qt would
    abort the process (status 134) when creating its application object."""
    if sys.platform.startswith(("win", "darwin")):
        return False
    return not any(os.environ.get(var) for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def run_gui(args: argparse.Namespace) -> int:
    if no_display():  # checked before Qt is imported: its abort cannot be caught
        sys.stderr.write(_("jsd-desk: there is no display to open the window on (neither DISPLAY "
                           "nor WAYLAND_DISPLAY is set); start JSD Desk from the desktop, or use "
                           "a command: see “jsd-desk --help”.") + "\n")
        return 2
    try:
        from jsd_desk.ui.main import run
    except ImportError as exc:  # PySide6 missing from this installation
        sys.stderr.write(_("jsd-desk: the desktop interface is not available ({reason}); "
                           "see “jsd-desk --help” for the commands.", reason=str(exc)) + "\n")
        return 2
    from jsd_desk.domain.errors import JsdError

    try:
        args.passphrase = _passphrase(args)
    except JsdError as exc:
        sys.stderr.write(f"jsd-desk: {exc.message()}\n")
        return exc.exit_status
    result: int = run(args)
    return result


def build_parser() -> argparse.ArgumentParser:
    from jsd_desk.cli.common import add_common_options

    parser = argparse.ArgumentParser(prog="python -m jsd_desk.app",
                                     description=_("JSD Desk, the desktop app."))
    add_common_options(parser)
    parser.add_argument("--demo", action="store_true",
                        help=_("fill a store that has no sessions yet with demo data"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    set_language(language_from_environment())
    args = build_parser().parse_args(argv)
    return run_gui(args)


if __name__ == "__main__":
    raise SystemExit(main())
