"""A hub imports whole folders of bundles: junk, unreadable files and bundles for other devices
are listed and skipped, the rest imported; twice changes nothing; another order gives the same
indicators; a pass killed (-9) midway resumes and loses or doubles nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jsd_desk.cli import main
from jsd_desk.services import folder_import as fi
from jsd_desk.services import indicators
from jsd_desk.services.workspace import Workspace
from jsd_desk.store import models
from tests import indicator_data
from tests.conftest import PASSPHRASE
from tests.sync_support import MakeWorkspace, add_concern, dump, edit, introduce, send, state

JSD = Path(sys.executable).with_name("jsd-desk")

pytestmark = pytest.mark.postgres


def figures(ws: Workspace) -> tuple[indicators.IndicatorValue, ...]:
    return indicators.compute(ws.store, as_of=indicator_data.AS_OF).values


def ledger_rows(ws: Workspace) -> int:
    with ws.store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(
            models.tbl(models.ImportLedger))).scalar_one())


def platforms_folder(make_workspace: MakeWorkspace, hubs: list[Workspace], folder: Path) -> dict[str, str]:
    """Two facilitators' bundles for the hubs (the first one's in two steps), and beside them a
    stray document, a dangling link, a damaged bundle and a bundle between two other devices.
    Returns the expected reason word of each skipped file."""
    fati, bako, lami = make_workspace("fati"), make_workspace("bako"), make_workspace("lami")
    for hub in hubs:
        introduce(fati, hub)
        introduce(bako, hub)
    introduce(lami, bako)  # lami knows no ministry: its bundles are for bako only
    folder.mkdir()
    indicator_data.build(fati.store)
    first = send(fati, hubs[0], folder)
    rid = add_concern(fati, "Vols de bétail signalés au marché")
    edit(fati, rid, theme="vol")
    send(fati, hubs[0], folder)
    add_concern(bako, "Patrouilles de nuit demandées")
    (folder / "region-diffa").mkdir()
    send(bako, hubs[0], folder / "region-diffa")
    (folder / "lisez-moi.txt").write_text("Paquets de novembre\n")
    (folder / "perdu.jsdb").symlink_to(folder / "nowhere.jsdb")
    (folder / "abime.jsdb").write_bytes(first.read_bytes()[:-200])
    foreign = send(lami, bako, folder)
    return {"lisez-moi.txt": "not a JSD Desk bundle", "perdu.jsdb": "cannot be read",
            "abime.jsdb": "damaged", foreign.name: "not addressed to this device"}


def test_a_folder_is_imported_past_what_it_must_skip_twice_alike_in_any_order(
        pg_database: str, make_workspace: MakeWorkspace, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    hub = make_workspace("hub", "analyst", database_url=pg_database)
    office = make_workspace("office", "analyst")  # an SQLite hub, fed the files in reverse
    folder = tmp_path / "inbox"
    expected = platforms_folder(make_workspace, [hub, office], folder)

    monkeypatch.setenv("JSD_DESK_PASSPHRASE", PASSPHRASE)
    capsys.readouterr()
    assert main(["bundle", "import", "--data-dir", str(hub.data_dir.root), str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    per_file = {Path(line.split(": ", 1)[0]).name: line.split(": ", 1)[1] for line in out[:-1]}
    assert len(per_file) == 7
    for name, word in expected.items():
        assert per_file[name].startswith("skipped: ") and word in per_file[name], per_file[name]
    assert sum(v.startswith("imported: ") for v in per_file.values()) == 3
    assert out[-1].startswith("7 files — imported: 3, already imported: 0, skipped: 4 · ")
    after_first = state(hub)
    assert ledger_rows(hub) == 3

    again = fi.import_folder(hub, [folder])
    assert [f.outcome for f in again.files].count(fi.ALREADY) == 3 and again.new == 0
    assert state(hub) == after_first

    # Another order, another database engine: the same records and the same indicators.
    reverse = tmp_path / "reverse"
    reverse.mkdir()
    for n, path in enumerate(reversed(fi.bundle_files([folder]))):
        if path.is_file() and not path.is_symlink():
            shutil.copy(path, reverse / f"{n:02d}-{path.name}")
    report = fi.import_folder(office, [reverse])
    assert report.count(fi.IMPORTED) == 3 and len(report.skipped) == 3
    assert dump(office) == dump(hub)
    assert figures(office) == figures(hub) and len(figures(hub)) > 20


def test_a_missing_argument_is_refused_before_anything(make_workspace: MakeWorkspace,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    hub = make_workspace("office", "analyst")
    monkeypatch.setenv("JSD_DESK_PASSPHRASE", PASSPHRASE)
    before = state(hub)
    assert main(["bundle", "import", "--keep-going", "--data-dir", str(hub.data_dir.root),
                 str(tmp_path / "absent")]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "does not exist" in err[0]
    assert state(hub) == before


def test_cancel_keeps_the_bundles_already_imported(make_workspace: MakeWorkspace,
                                                   tmp_path: Path) -> None:
    import threading

    hub, fati = make_workspace("office", "analyst"), make_workspace("fati")
    introduce(fati, hub)
    folder = tmp_path / "inbox"
    folder.mkdir()
    for n in range(3):
        add_concern(fati, f"Préoccupation {n}")
        send(fati, hub, folder)
    cancel = threading.Event()

    def after(result: fi.FileResult) -> None:
        cancel.set()  # the user presses Cancel once the first bundle is in

    report = fi.import_folder(hub, [folder], cancel=cancel, on_file=after)
    assert report.cancelled and report.count(fi.IMPORTED) == 1 and ledger_rows(hub) == 1
    rest = fi.import_folder(hub, [folder])
    assert [f.outcome for f in rest.files].count(fi.ALREADY) == 1
    assert rest.count(fi.IMPORTED) == 2 and dump(hub) == dump(fati)


def test_a_folder_import_killed_midway_resumes_losing_and_doubling_nothing(
        pg_database: str, make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    hub = make_workspace("hub", "analyst", database_url=pg_database)
    devices = [make_workspace(f"plateforme{n}") for n in range(3)]
    folder = tmp_path / "inbox"
    folder.mkdir()
    for n, ws in enumerate(devices):
        introduce(ws, hub)
        for step in range(2):
            with ws.store.transaction():
                for i in range(250):
                    add_concern(ws, f"Préoccupation {n}.{step}.{i} soulevée en réunion")
            send(ws, hub, folder)
    root = str(hub.data_dir.root)

    child = subprocess.Popen([str(JSD), "bundle", "import", "--data-dir", root, str(folder)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "JSD_DESK_PASSPHRASE": PASSPHRASE})
    assert child.stdout is not None and child.stderr is not None
    try:
        lines = [child.stdout.readline() for _ in range(2)]  # two bundles in, the third begun
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=120)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL, lines
    assert all("imported: " in line for line in lines), lines
    interrupted = ledger_rows(hub)
    assert 2 <= interrupted < 6

    resumed = subprocess.run([str(JSD), "bundle", "import", "--data-dir", root, str(folder)],
                             capture_output=True, text=True, timeout=300,
                             env={**os.environ, "JSD_DESK_PASSPHRASE": PASSPHRASE})
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.count("already imported\n") == interrupted
    assert ledger_rows(hub) == 6
    with hub.store.engine.connect() as conn:
        concerns = int(conn.execute(select(func.count()).select_from(
            models.tbl(models.Concern))).scalar_one())
    assert concerns == 3 * 2 * 250  # nothing doubled, nothing lost
    for ws in devices:  # every event of every platform, once
        assert feed_length(hub, ws) == feed_length(ws, ws)
    assert "Préoccupation 2.1.249 soulevée" in dump(hub)


def feed_length(holder: Workspace, author: Workspace) -> int:
    table = models.tbl(models.Event)
    with holder.store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(
            table.c.device_id == author.keys.info.device_id)).scalar_one())
