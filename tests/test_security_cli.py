"""The security commands (issue 7), run as the ministry's scripts would: secrets from files or
the environment, one sentence and status 3 when refused, nothing changed then."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jsd_desk.services import places

JSD = Path(sys.executable).with_name("jsd-desk")
PASS = "cli passphrase 1"


def run(*args: str, passphrase: str = PASS, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "JSD_DESK_PASSPHRASE": passphrase, "JSD_DESK_LANG": "en", **env}
    return subprocess.run([str(JSD), *args], capture_output=True, text=True, timeout=300,
                          env=full)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 3, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jsd-desk: ") and words in lines[0], lines


def test_keys_backups_and_audit_from_the_command_line(tmp_path: Path) -> None:
    d = str(tmp_path / "store")
    card = tmp_path / "card.pdf"
    out = ok(run("init", "--data-dir", d, "--device-name", "Agadez", "--role", "facilitator",
                 "--recovery-card", str(card)))
    recovery = out.split("shown only once):")[1].split()[0]
    assert card.read_bytes().startswith(b"%PDF")

    (tmp_path / "new.txt").write_text("cli passphrase 2\n")
    ok(run("passphrase", "change", "--data-dir", d, "--new-passphrase-file",
           str(tmp_path / "new.txt")))
    refused(run("recover", "--data-dir", d, JSD_DESK_RECOVERY_KEY=recovery[:-1] + "?",
                JSD_DESK_NEW_PASSPHRASE=PASS), "recovery key")
    ok(run("recover", "--data-dir", d, JSD_DESK_RECOVERY_KEY=recovery,
           JSD_DESK_NEW_PASSPHRASE=PASS))

    niger = places.place_id_for_code("NE")
    history = ok(run("audit", niger[:8], "--data-dir", d))  # this open made the day's backup
    assert "\tplace\tname\t\t→\tNiger" in history
    assert ok(run("backup", "list", "--data-dir", d)).count("jsd-") == 1

    rekeyed = ok(run("rekey", "--keep-passphrase", "--data-dir", d))
    new_recovery = rekeyed.split("shown only once):")[1].split()[0]
    assert new_recovery != recovery
    assert "new feed" in ok(run("backup", "restore", "--data-dir", d))
    assert ok(run("verify", "--data-dir", d)).startswith("OK:")
