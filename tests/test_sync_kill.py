"""Power cut or kill in the middle of an import: the transaction never commits, nothing is
half written, and importing the same bundle again completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from jsd_desk.services import sync
from tests.conftest import PASSPHRASE
from tests.sync_support import MakeWorkspace, add_concern, dump, introduce, state

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from jsd_desk.services.workspace import open_workspace
    from jsd_desk.sync.importer import import_bundle

    ws = open_workspace(Path(sys.argv[1]), sys.argv[2])
    data = Path(sys.argv[3]).read_bytes()

    def progress(done, total):
        if done > total // 2:  # applying: events are being written inside the transaction
            print("applying", flush=True)
            time.sleep(60)

    import_bundle(ws.store, data, progress=progress)
    print("finished", flush=True)
""")


def test_an_import_killed_midway_leaves_nothing_and_completes_when_run_again(
        make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    with a.store.transaction():
        for i in range(700):
            add_concern(a, f"Préoccupation n° {i} soulevée en réunion de quartier")
    bundle = tmp_path / "big.jsdb"
    summary = sync.export_bundle(a, bundle, to=b.keys.info.device_id)
    before = state(b)

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(b.data_dir.root), PASSPHRASE, str(bundle)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ})
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        assert line == "applying", child.stderr.read() if child.stderr else line
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
        if child.stdout:
            child.stdout.close()
        if child.stderr:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    assert state(b) == before
    (report,) = sync.import_bundles(b, [bundle])
    assert report.new == summary.events > 700
    assert dump(b) == dump(a)
