"""``jsd-desk``: the command line of DESIGN §7, over the same services as the GUI.

Exit status: 0 done; 2 wrong usage; 3 input refused, with one sentence on stderr.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from jsd_desk.about import version
from jsd_desk.cli import common
from jsd_desk.cli.commands import COMMANDS
from jsd_desk.domain.errors import JsdError
from jsd_desk.faults import storage_fault
from jsd_desk.i18n import _, language_from_environment, set_language

log = logging.getLogger("jsd_desk")


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="jsd-desk", description=_("Community–police dialogue: sessions, "
                                                   "complaints, commitments and sync by file."))
    common.add_common_options(parser)
    parser.add_argument("--version", action="version", version=f"jsd-desk {version()}",
                        help=_("print the version and exit"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        command.register(sub)
    # self-test drives the GUI as well as the services: an entry point, like the GUI itself.
    from jsd_desk import selftest

    selftest.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    set_language(language_from_environment())
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from jsd_desk.app import run_gui

        return run_gui(args)
    try:
        result: int = args.handler(args)
        return result
    except JsdError as exc:
        sys.stderr.write(f"jsd-desk: {exc.message()}\n")
        return exc.exit_status
    except KeyboardInterrupt:
        sys.stderr.write(_("jsd-desk: interrupted; nothing was changed by the unfinished step.") + "\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        # A full disk, a read-only folder or a pulled-out USB stick in the middle of a command:
        # the one sentence, never a traceback. Anything else is a bug and keeps its traceback.
        fault = storage_fault(exc, common.data_dir(args))
        if fault is None:
            raise
        sys.stderr.write(f"jsd-desk: {fault.message()}\n")
        return fault.exit_status
