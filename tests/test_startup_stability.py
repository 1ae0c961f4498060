"""The app stays up: the start-up segmentation fault (libQt6Widgets, some seconds after the first
window with ``--demo``) came from the demo's progress dialog being deleted while its own modal
``setValue`` was still processing events. A unit test pins the fix; a slow test starts the real
app under Xvfb with demo data and keeps it idle for a minute, several times at once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from jsd_desk.ui.operations import Operation, _ProgressView

PASSPHRASE = "soak test passphrase"
IDLE_SECONDS = 60
RUNS = 3


def test_the_progress_dialog_is_not_deleted_inside_its_own_set_value(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    op = Operation(lambda _progress: None, parent)
    view = _ProgressView(op, "Working", parent, 0)
    dialog = view._dialog
    alive_inside: list[bool] = []
    nested: list[int] = []

    def set_value(value: int) -> None:
        # What a modal setValue's processEvents() delivers: a later report, then the end.
        if not nested:
            nested.append(value)
            op.progressed.emit(7, 10)
        op.finished.emit()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        alive_inside.append(shiboken6.isValid(dialog))

    dialog.setValue = set_value  # type: ignore[method-assign]
    view.on_progress(1, 10)
    assert alive_inside and all(alive_inside), "the dialog was deleted inside its own setValue"
    assert nested == [1]  # the report delivered inside setValue did not re-enter it
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(dialog)  # and once out of it, the dialog does go
    view.on_progress(9, 10)  # a report after the end is ignored, not sent to a dead dialog


def _xvfb() -> str:
    found = shutil.which("Xvfb")
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Xvfb is missing in CI: scripts/setup-system.sh installs it")
        pytest.skip("Xvfb is not installed (Debian package xvfb)")
    return found


def _start_xvfb(xvfb: str) -> tuple[subprocess.Popen[bytes], str]:
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1366x768x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    assert number, "Xvfb did not report its display"
    return server, f":{number}"


@pytest.mark.slow
def test_the_real_app_stays_up_idle_with_demo_data(tmp_path: Path) -> None:
    xvfb = _xvfb()
    env_base = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env_base.update(JSD_DESK_PASSPHRASE=PASSPHRASE, JSD_DESK_LANG="fr", PYTHONFAULTHANDLER="1")
    servers, apps = [], []
    try:
        for i in range(RUNS):
            root = tmp_path / f"store{i}"
            subprocess.run([sys.executable, "-m", "jsd_desk", "--data-dir", str(root), "init",
                            "--device-name", f"soak {i}", "--role", "facilitator"],
                           env=env_base, check=True, capture_output=True)
            server, display = _start_xvfb(xvfb)
            servers.append(server)
            env = dict(env_base, DISPLAY=display, QT_QPA_PLATFORM="xcb")
            apps.append(subprocess.Popen(
                [sys.executable, "-X", "faulthandler", "-m", "jsd_desk.app", "--demo",
                 "--data-dir", str(root)], env=env, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE))
        deadline = time.monotonic() + IDLE_SECONDS
        while time.monotonic() < deadline and all(app.poll() is None for app in apps):
            time.sleep(1)
        alive = [app.poll() is None for app in apps]
        for app in apps:
            if app.poll() is None:
                app.send_signal(signal.SIGTERM)
        outputs = [app.communicate(timeout=30) for app in apps]
    finally:
        for proc in apps + servers:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for i, (ok, app, (out, err)) in enumerate(zip(alive, apps, outputs, strict=True)):
        text = (out + err).decode(errors="replace")
        assert ok, f"run {i} died (status {app.returncode}) within {IDLE_SECONDS} s:\n{text}"
        # Any Qt warning, Python traceback or fault report fails the run.
        assert text.strip() == "", f"run {i} printed:\n{text}"
