"""minutes, verify-minutes (DESIGN §7)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from jsd_desk.cli.common import Progress, add_command, open_from_args
from jsd_desk.i18n import _, ngettext
from jsd_desk.reports.minutes import PROFILES

# verify-minutes: 0 the PDF matches the records, 1 it no longer does (like cmp and diff);
# 3 the file is not our minutes or its session is not in this store.
MISMATCH = 1


def register(sub: Any) -> None:
    p = add_command(sub, "minutes", _("write the meeting minutes of a session as PDF"))
    p.add_argument("session", metavar="SESSION_ID_OR_PREFIX")
    p.add_argument("--lang", required=True, choices=("fr", "en"),
                   help=_("the language of the minutes, whatever the interface's"))
    p.add_argument("--profile", default="platform", choices=PROFILES,
                   help=_("platform: the full minutes, without identities; public: aggregates "
                          "and action items only (default: platform)"))
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    p.set_defaults(handler=cmd_minutes)

    p = add_command(sub, "verify-minutes",
                    _("say whether a minutes PDF still matches the records, or what changed"))
    p.add_argument("pdf", type=Path, metavar="FILE.pdf")
    p.set_defaults(handler=cmd_verify_minutes)


def cmd_minutes(args: argparse.Namespace) -> int:
    from jsd_desk.services.minutes import export_minutes

    ws = open_from_args(args)
    try:
        progress = Progress(_("Minutes"))
        try:
            result = export_minutes(ws.store, args.session, args.lang, args.profile, args.out,
                                    progress=progress)
        finally:
            progress.close()
    finally:
        ws.close()
    print(ngettext("Wrote the minutes of session {session} to {path} ({n} page, fingerprint "
                   "{fingerprint}).",
                   "Wrote the minutes of session {session} to {path} ({n} pages, fingerprint "
                   "{fingerprint}).", result.pages, session=result.session_id[:8],
                   path=str(result.path), fingerprint=result.fingerprint.short))
    return 0


def cmd_verify_minutes(args: argparse.Namespace) -> int:
    from jsd_desk.services.minutes import verify_minutes

    ws = open_from_args(args)
    try:
        check = verify_minutes(ws.store, args.pdf)
    finally:
        ws.close()
    sys.stdout.write(check.describe() + "\n")
    return 0 if check.matches else MISMATCH
