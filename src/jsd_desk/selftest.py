"""``jsd-desk self-test``: the whole app exercised on throw-away stores, without a display.

For the ministry's IT department after an install (and for the packaging smoke test, which runs
it from the frozen bundle): two fresh devices in a temporary folder, demo data, the main window
with every page (offscreen), the minutes in French and English, a contact card, a bundle from one
device to the other and its import, and a verification of both stores. It never touches the
user's data folder or settings, and removes what it made unless ``--keep DIR`` is given.
It sits with the entry points (``cli/__init__`` registers it): it drives the GUI as well.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

from jsd_desk.cli.common import add_command
from jsd_desk.domain.errors import InputRefused, UsageError
from jsd_desk.i18n import N_, _


def register(sub: Any) -> None:
    p = add_command(sub, "self-test", _("check this installation on throw-away stores (no "
                                        "display needed; the user's data are not touched)"))
    p.add_argument("--keep", type=Path, metavar="DIR",
                   help=_("make the throw-away stores in this new folder and keep them"))
    p.add_argument("--sessions", type=int, default=4, metavar="N",
                   help=_("demo sessions to create (default 4)"))
    p.set_defaults(handler=cmd_self_test)


def _step(text: str) -> None:
    print(f"  ✓ {text}", flush=True)


def cmd_self_test(args: argparse.Namespace) -> int:
    keep: Path | None = getattr(args, "keep", None)
    if keep is not None:
        if keep.exists() and any(keep.iterdir()):
            raise UsageError(N_("The folder {path} is not empty."), path=str(keep))
        keep.mkdir(parents=True, exist_ok=True)
        root = keep
    else:
        root = Path(tempfile.mkdtemp(prefix="jsd-desk-self-test-"))
    try:
        _run(root, max(1, int(args.sessions)))
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(_("Self-test passed."))
    return 0


def _run(root: Path, sessions: int) -> None:
    from jsd_desk.services import sync
    from jsd_desk.services.demo import DemoOptions, add_demo_activity
    from jsd_desk.services.minutes import export_minutes
    from jsd_desk.services.queries import SessionFilter, session_rows
    from jsd_desk.services.workspace import init_workspace
    from jsd_desk.store.verify import verify_store

    # No display is needed (an IT technician may run this over SSH); a platform the caller
    # chose (QT_QPA_PLATFORM=xcb) is kept.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    passphrase = secrets.token_urlsafe(18)
    print(_("Self-test in {path}:", path=str(root)), flush=True)
    ws, _recovery = init_workspace(root / "facilitator", "Self-test facilitator", "facilitator",
                                   passphrase)
    peer, _peer_recovery = init_workspace(root / "analyst", "Self-test analyst", "analyst",
                                          passphrase)
    try:
        _step(_("two stores created (database migrations applied)"))
        summary = add_demo_activity(ws.store, DemoOptions(seed=1, sessions=sessions))
        _step(summary.describe())

        from jsd_desk.ui.selftest import show_every_page

        pages, listed = show_every_page(ws, root / "window-settings.ini", root / "window.png")
        _step(_("main window shown with its {n} pages", n=len(pages)))
        # The About dialog reads the bundled metadata: in a frozen app it must all be there.
        missing = [name for name in ("Qt 6", "SQLCipher", "reportlab", "PySide6", "DejaVu")
                   if not any(entry.startswith(name) for entry in listed)]
        if missing:
            raise InputRefused(N_("The About dialog does not list {names}."),
                               names=", ".join(missing))
        _step(_("About dialog: {n} third-party licences", n=len(listed)))

        rows = session_rows(ws.store, SessionFilter(), 0, 1)
        if not rows:
            raise InputRefused(N_("The demo data have no session."))
        for lang in ("fr", "en"):
            made = export_minutes(ws.store, rows[0].id, lang, "platform",
                                  root / f"minutes-{lang}.pdf")
            _step(_("minutes ({lang}): {n} pages", lang=lang, n=made.pages))

        # Each device trusts the other's contact card, as two people at a meeting would.
        for mine, theirs, name in ((peer, ws, "analyst"), (ws, peer, "facilitator")):
            card = root / f"{name}.card"
            sync.export_card(mine, card)
            sync.add_peer(theirs, card)
        exported = sync.export_bundle(ws, root / "to-analyst.jsdb", to=peer.keys.info.device_id)
        reports = sync.import_bundles(peer, [exported.path])
        _step(_("bundle of {n} events exported and imported ({new} new)", n=exported.events,
                new=sum(r.new for r in reports)))
        for workspace in (ws, peer):
            with workspace.store.engine.begin() as conn:
                report = verify_store(conn)
            if not report.ok:
                raise InputRefused(N_("The store failed verification ({n} problems)."),
                                   n=len(report.problems))
        _step(_("both stores verified"))
    finally:
        peer.close()
        ws.close()
