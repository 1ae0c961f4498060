"""No leaks (issue 7): after real work through the services — records, identities, a backup, a
re-key, a restore — no byte of the data folder (database, write-ahead log, backups, key and
device files), no temporary file and no log line holds any of a set of known plaintexts."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from jsd_desk.services import backup, complaints, places, security, sessions
from jsd_desk.services.workspace import init_workspace, open_workspace

PASS = "leak passphrase 5"
SECRETS = {
    "name": "Ramatou Kountché-Issoufou",
    "contact": "+227 91 23 45 67",
    "description": "Extorsion répétée au poste de Gaya par l'agent Oumarou",
    "minutes": "Procès-verbal : le commandant Saïdou s'engage publiquement",
    "concern": "Recrutement de jeunes par un groupe armé à Banibangou",
}


def _scan(folder: Path) -> list[str]:
    """Every (file, secret) pair where a secret appears in the file's raw bytes, in the
    encodings a database or a log could use."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for label, secret in SECRETS.items():
            for encoded in (secret.encode("utf-8"), secret.encode("utf-16-le"),
                            secret.split()[0].encode("utf-8")):
                if len(encoded) >= 6 and encoded in data:
                    found.append(f"{path.relative_to(folder)}: {label}")
    return found


def test_no_plaintext_in_files_temporaries_or_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    control = tmp_path / "control"
    control.mkdir()
    (control / "plain.txt").write_bytes(SECRETS["contact"].encode("utf-16-le"))
    assert _scan(control) == ["plain.txt: contact"]  # the scan finds what is there
    temp = tmp_path / "tmp"
    temp.mkdir()
    for var in ("TMPDIR", "SQLITE_TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(var, str(temp))
    caplog.set_level(logging.DEBUG)
    root = tmp_path / "data"
    ws, _recovery = init_workspace(root, "Gaya fac", "facilitator", PASS)
    platform = places.add_platform(ws.store, name="Plateforme de Gaya", place_id=None)
    session = sessions.create_session(ws.store, platform_id=platform, kind="radio_call_in",
                                      title="Émission", starts_at=dt.datetime(2026, 8, 1, 18),
                                      minutes=SECRETS["minutes"])
    sessions.add_concern(ws.store, session, description=SECRETS["concern"])
    complaints.receive_complaint(ws.store, received_on="2026-08-01", channel="radio",
                                 category="police_conduct", description=SECRETS["description"],
                                 complainant={"name": SECRETS["name"],
                                              "contact": SECRETS["contact"]})
    # While open: the write-ahead log holds the latest commits, encrypted like the rest.
    assert (root / "jsd.db-wal").exists()
    assert _scan(root) == []
    backup.startup(ws.data_dir, ws.store.engine)
    ws.close()
    security.rekey(root, PASS)
    backup.restore_backup(root, PASS)
    ws = open_workspace(root, PASS)
    try:
        complaints.receive_complaint(ws.store, received_on="2026-08-02", channel="phone",
                                     category="theft", description=SECRETS["description"] + " 2")
    finally:
        ws.close()

    assert sorted(p.name for p in (root / "backups").iterdir())  # there are backups to scan
    assert _scan(root) == []
    assert _scan(temp) == []
    logged = caplog.text
    assert not [s for s in SECRETS.values() if s in logged or s.split()[0] in logged]
