"""Background reads of the Complaints page (the list's counts, a text search's first page,
what is late), kept alive until a turn of the event loop after they finished.

An Operation without a parent is deleted when its last Python reference goes; the last one is
dropped while it is still delivering its own signals, and a QObject deleted inside its own
signal emission is a crash waiting to happen. Held here, each goes on a clean turn instead.
"""

from __future__ import annotations

import datetime as dt
import weakref

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from jsd_desk.ui.operations import Operation

_held: set[Operation] = set()


def start_held(op: Operation) -> None:
    _held.add(op)
    ref = weakref.ref(op)

    def release() -> None:
        finished = ref()
        if finished is not None:
            QTimer.singleShot(0, lambda: _held.discard(finished))

    op.finished.connect(release)
    op.start()


def wait_for(pending: object, deadline: dt.datetime) -> None:
    """Process events until ``pending()`` (the read still on its way, or None) is None or the
    deadline passes: block in the worker's event (the GIL is free for it), then deliver its
    signal."""
    assert callable(pending)
    flags = QEventLoop.ProcessEventsFlag.AllEvents
    while (op := pending()) is not None and dt.datetime.now() < deadline:
        op.wait(50)
        QCoreApplication.processEvents(flags, 20)
