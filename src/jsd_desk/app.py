"""Composition root of the GUI (the desktop app arrives with its own issue)."""

from __future__ import annotations

import argparse
import sys

from jsd_desk.i18n import _


def run_gui(args: argparse.Namespace) -> int:
    try:
        from jsd_desk.ui.main import run  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        sys.stderr.write(_("jsd-desk: the desktop interface is not available in this build; "
                           "see “jsd-desk --help” for the commands.") + "\n")
        return 2
    result: int = run(args)
    return result
