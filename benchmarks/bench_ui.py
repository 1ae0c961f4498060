"""Start-up of the desktop app against a bare PySide6 window, and peak memory.

Each measurement runs in a fresh Python process (offscreen, so no display is needed), timed from
the process's first line to the moment the window is shown and the event loop has painted it:

* ``bare_window_s``: import PySide6, create the QApplication and an empty QMainWindow;
* ``app_window_s``: import the app, open an existing store with its passphrase (Argon2id, a
  deliberate half second or so) and show the main window with its Home page (queries, charts);
* ``app_window_no_unlock_s``: the same without the key derivation (the part the GUI controls);
* ``sessions_page_s``: then open the Sessions page (list and editor of the newest session);
* peak resident memory of each process (``ru_maxrss``).

The store holds demo data (``--sessions`` sessions, default 60), made once per run.

    python -m benchmarks.bench_ui [--sessions N] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from statistics import median

PASSPHRASE = "benchmark passphrase"
# For `python -m benchmarks`' table: (label, measured result, same-run baseline result).
# (Not peak memory: the children's ru_maxrss is the largest of any child so far, so the bare
# and app figures come out the same.)
RATIOS = [("start-up to main window (no unlock) vs bare Qt window", "app_window_no_unlock_s",
           "bare_window_s")]

_BARE = textwrap.dedent("""
    import time
    t0 = time.perf_counter()
    import json, resource, sys
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.grab()  # painted
    shown = time.perf_counter() - t0
    print(json.dumps({"shown": shown, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
""")

_APP = textwrap.dedent("""
    import time
    t0 = time.perf_counter()
    import json, resource, sys
    from pathlib import Path
    from PySide6.QtCore import QSettings
    from jsd_desk.ui.main import make_application
    from jsd_desk.ui.context import UiContext
    from jsd_desk.ui.main_window import MainWindow
    from jsd_desk.services.workspace import open_workspace
    root, passphrase, settings = sys.argv[1:4]
    app = make_application()
    t_unlock = time.perf_counter()
    workspace = open_workspace(Path(root), passphrase)
    unlock = time.perf_counter() - t_unlock
    window = MainWindow(UiContext(workspace), QSettings(settings, QSettings.Format.IniFormat))
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.grab()
    shown = time.perf_counter() - t0
    t1 = time.perf_counter()
    window.go_to("sessions")
    app.processEvents()
    window.grab()
    sessions = time.perf_counter() - t1
    print(json.dumps({"shown": shown, "unlock": unlock, "sessions": sessions,
                      "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
    workspace.close()
""")


def _child(code: str, *args: str) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, check=True, timeout=300)
    line = [ln for ln in done.stdout.splitlines() if ln.startswith("{")][-1]
    result: dict[str, float] = json.loads(line)
    return result


def run(sessions: int = 60, repeat: int = 5) -> dict[str, float]:
    from jsd_desk.services.demo import DemoOptions, add_demo_activity
    from jsd_desk.services.workspace import init_workspace

    with tempfile.TemporaryDirectory(prefix="jsd-bench-ui-") as tmp:
        root = Path(tmp) / "store"
        ws, _recovery = init_workspace(root, "Benchmark laptop", "facilitator", PASSPHRASE)
        add_demo_activity(ws.store, DemoOptions(seed=11, sessions=sessions))
        ws.close()
        settings = str(Path(tmp) / "ui.ini")
        _child(_BARE)  # warm the file cache for both
        bare = [_child(_BARE) for _i in range(repeat)]
        app = [_child(_APP, str(root), PASSPHRASE, settings) for _i in range(repeat)]

    results = {
        "bare_window_s": median(r["shown"] for r in bare),
        "app_window_s": median(r["shown"] for r in app),
        "app_window_no_unlock_s": median(r["shown"] - r["unlock"] for r in app),
        "unlock_s": median(r["unlock"] for r in app),
        "sessions_page_s": median(r["sessions"] for r in app),
        "bare_peak_rss_mb": max(r["rss_kb"] for r in bare) / 1024,
        "app_peak_rss_mb": max(r["rss_kb"] for r in app) / 1024,
    }
    ratio = results["app_window_no_unlock_s"] / results["bare_window_s"]
    print(f"UI start-up ({sessions} demo sessions, median of {repeat} fresh processes, offscreen)")
    print(f"  bare PySide6 window          {results['bare_window_s']:.3f} s, "
          f"peak {results['bare_peak_rss_mb']:.0f} MB")
    print(f"  JSD Desk main window         {results['app_window_s']:.3f} s, "
          f"peak {results['app_peak_rss_mb']:.0f} MB")
    print(f"    of which unlock (Argon2id) {results['unlock_s']:.3f} s")
    print(f"    without the unlock         {results['app_window_no_unlock_s']:.3f} s "
          f"({ratio:.1f} × the bare window)")
    print(f"  then the Sessions page       {results['sessions_page_s']:.3f} s")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    run(args.sessions, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
