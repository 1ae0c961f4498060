"""The app never uses the network: a whole scenario inside a network namespace with no network.

`unshare -n` gives the scenario a namespace with only a loopback interface that is down, so no
address outside is reachable whatever a C library might try; and inside, a Python audit hook
turns every internet socket, connection or name lookup into a failure, so an attempt that the
namespace would silently refuse is caught too. Steps: two devices (init), demo data, minutes,
contact cards both ways, a bundle exported and imported, reports in every format, the main
window with every page (self-test), verify. Skipped only where namespaces are unavailable, and
never in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CI = os.environ.get("CI", "").lower() == "true"

DRIVER = r'''
import contextlib, errno, io, json, socket, sys

# The namespace really has no network: a connection to an outside address fails at once.
probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    probe.connect(("192.0.2.1", 53))  # TEST-NET-1: never routed anywhere
except OSError as exc:
    assert exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH), exc
else:
    sys.exit("the namespace has a route out: not a network-less namespace")
finally:
    probe.close()

attempts = []
NET = (socket.AF_INET, socket.AF_INET6)
LOOKUPS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
           "socket.getnameinfo", "socket.gethostbyname_ex"}

def hook(event, args):
    if event in LOOKUPS or (event == "socket.__new__" and args[1] in NET) or (
            event in ("socket.connect", "socket.sendto", "socket.bind")
            and isinstance(args[1], tuple)):
        attempts.append(f"{event} {args[1:]!r}"[:300])
        raise OSError(f"network use during the no-network scenario: {event}")

sys.addaudithook(hook)
from jsd_desk.cli import main

A, B, W = sys.argv[1], sys.argv[2], sys.argv[3]

def run(*argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(list(argv))
    if status != 0:
        sys.exit(f"jsd-desk {' '.join(argv)}: status {status}\n{out.getvalue()}")
    print("ok:", " ".join(argv[2:4]), flush=True)
    return out.getvalue()

run("--data-dir", A, "init", "--device-name", "Niamey facilitator", "--role", "facilitator")
run("--data-dir", B, "init", "--device-name", "Ministry", "--role", "analyst")
run("--data-dir", A, "demo", "--seed", "5", "--sessions", "3")
session = json.loads(run("--data-dir", A, "dump"))["records"]["session"][0]["id"]
run("--data-dir", A, "minutes", session, "--lang", "fr", "--out", f"{W}/minutes.pdf")
run("--data-dir", A, "card", "--out", f"{W}/a.card")
run("--data-dir", B, "card", "--out", f"{W}/b.card")
run("--data-dir", A, "peer", "add", f"{W}/b.card")
run("--data-dir", B, "peer", "add", f"{W}/a.card")
run("--data-dir", A, "bundle", "export", "--all", "--out", f"{W}/a.bundle")
run("--data-dir", B, "bundle", "import", f"{W}/a.bundle")
for fmt, suffix in (("xlsx", "xlsx"), ("csv", "csv"), ("pdf", "pdf"), ("adx", "xml"),
                    ("dhis2-json", "json")):
    run("--data-dir", B, "report", "--format", fmt, "--out", f"{W}/report.{suffix}")
run("self-test", "--sessions", "1")
run("--data-dir", A, "verify")
run("--data-dir", B, "verify")
if attempts:
    sys.exit("network use: " + "; ".join(attempts))
print("no-network scenario: done", flush=True)
'''


def _namespace_command() -> list[str]:
    unshare = shutil.which("unshare")
    # As root a plain network namespace; otherwise inside a user namespace (-r) as well.
    command = [unshare, "-n"] if os.geteuid() == 0 else [unshare, "-r", "-n"]
    if unshare is None or subprocess.run([*command, "true"], capture_output=True).returncode:
        reason = "network namespaces are not available here (unshare -n failed)"
        if CI:
            pytest.fail(f"{reason}; CI must run the no-network scenario")
        pytest.skip(reason)
    return command  # type: ignore[return-value]


@pytest.mark.slow
@pytest.mark.qt_log_ignore(r"^This plugin does not support ")
def test_a_whole_scenario_without_network(tmp_path: Path) -> None:
    command = _namespace_command()
    driver = tmp_path / "scenario.py"
    driver.write_text(DRIVER, encoding="utf-8")
    work = tmp_path / "files"
    work.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "JSD_DESK_PASSPHRASE": "no network passphrase"}
    result = subprocess.run([*command, sys.executable, str(driver), str(tmp_path / "a"),
                             str(tmp_path / "b"), str(work)], capture_output=True, text=True,
                            env=env, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "no-network scenario: done" in result.stdout
    for name in ("minutes.pdf", "a.bundle", "report.xlsx", "report.csv", "report.pdf",
                 "report.xml", "report.json"):
        assert (work / name).stat().st_size > 0, name
