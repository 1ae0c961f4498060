"""The Qt binding must survive a long working day.

PySide6 6.12.0 gives up a reference to None on every call that returns None: after some tens of
thousands of ``setText`` calls CPython 3.11 aborts with "deallocating None". pyproject.toml
excludes that release; this test runs the pattern in a child process so a regression shows as a
failed test, not as a crashed test run.
"""

from __future__ import annotations

import os
import subprocess
import sys

PROGRAM = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for _ in range(120_000):
    label.setText("x")
    label.setVisible(False)
print(sys.getrefcount(None) - before)
"""


def test_calls_returning_none_do_not_leak_references_to_none() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert abs(int(result.stdout.strip())) < 1000
