"""Render the Complaints, Action items and Platforms pages with demo data to PNG files.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/render_part_b.py [--out build/screens]

Builds two throw-away stores (a facilitator's and a liaison officer's, the liaison one holding
the same complaints without identities), fills them with demo data and grabs each page, so a
person can look at them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pin_shared_singletons() -> None:
    """PySide6 6.12.0 as installed here releases a reference to None (or True, False, a small
    int) that it never took on each call returning one; enough calls deallocate None and abort.
    Same guard as benchmarks/bench_complaints_list.py (CPython ≤ 3.11 only)."""
    import ctypes

    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for obj in (None, True, False, *range(-5, 257)):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="build/screens")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=760)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtWidgets import QApplication

    from jsd_desk.services.demo import DemoOptions, add_demo_activity
    from jsd_desk.services.workspace import init_workspace
    from jsd_desk.ui.context import UiContext
    from jsd_desk.ui.language import apply_language

    pin_shared_singletons()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_language(args.lang)
    tmp = Path(tempfile.mkdtemp(prefix="jsd-render-"))
    ws, _rk = init_workspace(tmp / "fac", "Niamey animateur", "facilitator", "render passphrase")
    add_demo_activity(ws.store, DemoOptions(seed=7, sessions=24))
    ctx = UiContext(ws)
    suffix = "" if args.lang == "en" else f"-{args.lang}"

    from PySide6.QtWidgets import QWidget

    shown: list[QWidget] = []

    def grab(widget: object, name: str) -> None:
        assert isinstance(widget, QWidget)
        if widget not in shown:
            shown.append(widget)
        widget.resize(args.width, args.height)
        widget.show()
        for _ in range(5):
            app.processEvents()
        wait = getattr(widget, "wait_until_loaded", None)
        if callable(wait):
            wait()
        app.processEvents()
        path = out / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        print(path)

    from jsd_desk.ui.complaints.page import ComplaintsPage

    page = ComplaintsPage(ctx)
    page.table.selectRow(0)
    grab(page, "complaints")
    # A named complaint (identity shown, framed as confidential).
    from jsd_desk.services import complaint_queries as cq

    f = cq.ComplaintFilter()
    rows = cq.complaint_page(ws.store, f, None, 500).rows
    named = next((r for r in rows if not r.anonymous), None)
    if named is not None:
        page.open_complaint(named.id)
        grab(page, "complaints-named")
    page.new_complaint()
    page.intake.named.setChecked(True)
    grab(page, "complaints-intake")
    page.set_filter(status="referred")
    grab(page, "complaints-filtered")

    try:
        from jsd_desk.ui.actions.page import ActionItemsPage

        actions = ActionItemsPage(ctx)
        actions.table.selectRow(0)
        grab(actions, "actions")
    except ImportError as exc:
        print("no actions page yet:", exc)
    try:
        from jsd_desk.ui.platforms.page import PlatformsPage

        platforms = PlatformsPage(ctx)
        platforms.select_first_platform()
        grab(platforms, "platforms")
    except ImportError as exc:
        print("no platforms page yet:", exc)

    # The liaison officer's device: the same complaints, no identity anywhere.
    liaison, _rk2 = init_workspace(tmp / "liaison", "Commissariat central", "liaison",
                                   "render passphrase")
    from jsd_desk.services.complaints import receive_complaint

    for r in rows[:40]:
        receive_complaint(liaison.store, received_on=r.received_on or "2026-01-01",
                          channel=r.channel if r.channel not in (None, "session") else "walk_in",
                          category=r.category or "other", description=r.summary,
                          against=r.against or None)
    lctx = UiContext(liaison)
    lpage = ComplaintsPage(lctx)
    lpage.table.selectRow(0)
    grab(lpage, "complaints-liaison")
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone()  # counts still running in the background
    app.processEvents()
    # Widgets go before the application and the stores: Python's exit order is arbitrary.
    import shiboken6

    for widget in shown:
        if shiboken6.isValid(widget):
            widget.close()
            shiboken6.delete(widget)
    app.processEvents()
    ws.close()
    liaison.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
