"""The sync folder: devices visiting one folder in turn converge, acknowledgements flow back,
outboxes and the folder empty, lost bundles are written again, strangers' files are left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from jsd_desk.domain.errors import InputRefused
from jsd_desk.services import sync
from jsd_desk.services.workspace import Workspace
from jsd_desk.sync.folder import FolderMemory
from tests.sync_support import MakeWorkspace, add_concern, dump, edit, introduce


def visit_until_quiet(folder: Path, devices: list[Workspace], limit: int = 8) -> int:
    """Passes in turn until a whole round imports and writes nothing; returns the rounds."""
    for rounds in range(1, limit + 1):
        busy = False
        for ws in devices:
            report = sync.run_sync_folder(ws, folder)
            assert not report.refused, report.refused
            busy |= bool(report.imported or report.written)
        if not busy:
            return rounds
    raise AssertionError("the sync folder never settled")


def bundles_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".jsdb"))


def test_devices_visiting_a_folder_converge_and_leave_it_empty(make_workspace: MakeWorkspace,
                                                               tmp_path: Path) -> None:
    a, b, m = make_workspace("ana"), make_workspace("bako"), make_workspace("mina", "analyst")
    introduce(a, b, m)
    folder = tmp_path / "usb"
    folder.mkdir()
    rid = add_concern(a, "Vol de bétail")
    add_concern(b, "Drogue près du marché")
    visit_until_quiet(folder, [a, b, m])
    assert dump(a) == dump(b) == dump(m)
    assert bundles_in(folder) == []
    assert sync.outbox(a) == sync.outbox(b) == sync.outbox(m) == []

    # Later work flows the same way, including a conflict, seen alike everywhere.
    edit(a, rid, theme="vol")
    edit(b, rid, theme="bétail")
    visit_until_quiet(folder, [b, m, a])
    assert dump(a) == dump(b) == dump(m)
    assert len(sync.list_conflicts(m)) == 1
    assert bundles_in(folder) == []
    assert sync.outbox(a) == sync.outbox(b) == sync.outbox(m) == []


def test_a_lost_bundle_is_written_again(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    a, b = make_workspace("ana"), make_workspace("bako")
    introduce(a, b)
    folder = tmp_path / "share"
    folder.mkdir()
    add_concern(a, "Litige foncier")
    first = sync.run_sync_folder(a, folder)
    assert [w.to for w in first.written] == [b.keys.info.device_id]
    for name in bundles_in(folder):  # someone tidied the stick before B saw it
        (folder / name).unlink()
    again = sync.run_sync_folder(a, folder)
    assert [w.to for w in again.written] == [b.keys.info.device_id]
    assert sync.run_sync_folder(a, folder).written == []  # one pending bundle is enough
    visit_until_quiet(folder, [b, a])
    assert dump(a) == dump(b)
    assert bundles_in(folder) == []


def test_strangers_files_and_bad_bundles_are_left_alone(make_workspace: MakeWorkspace,
                                                        tmp_path: Path) -> None:
    a, b, c = make_workspace("ana"), make_workspace("bako"), make_workspace("chaibou")
    introduce(a, b)
    introduce(c, b)
    folder = tmp_path / "share"
    folder.mkdir()
    add_concern(c, "Circulation")
    sync.run_sync_folder(c, folder)  # a bundle for B only: not A's business
    (folder / "garbage.jsdb").write_bytes(b"age-encryption.org/v1\n-> X25519 abc\n" + bytes(99))
    (folder / ".half-copied.jsdb.1234.tmp").write_bytes(b"partial")
    (folder / "notes.txt").write_text("liste de présence")
    memory = FolderMemory()
    before = dump(a)
    report = sync.run_sync_folder(a, folder, memory=memory)
    assert [p.name for p, _e in report.refused] == ["garbage.jsdb"]
    assert report.imported == [] and report.skipped == 1
    assert dump(a) == before
    second = sync.run_sync_folder(a, folder, memory=memory)  # remembered: not tried again
    assert second.refused == [] and second.skipped == 2
    assert (folder / "notes.txt").exists() and (folder / "garbage.jsdb").exists()


def test_the_sync_folder_setting_and_an_absent_folder(make_workspace: MakeWorkspace,
                                                      tmp_path: Path) -> None:
    a = make_workspace("ana")
    assert sync.sync_folder(a) is None and not sync.sync_folder_available(a)
    with pytest.raises(InputRefused, match="No sync folder"):
        sync.run_sync_folder(a)
    stick = tmp_path / "stick"
    sync.set_sync_folder(a, stick)
    assert sync.sync_folder(a) == stick.resolve() and not sync.sync_folder_available(a)
    with pytest.raises(InputRefused, match="not available"):
        sync.run_sync_folder(a)
    stick.mkdir()
    assert sync.sync_folder_available(a)
    assert sync.run_sync_folder(a).written == []  # trusts no one yet: nothing to write
    sync.set_sync_folder(a, None)
    assert sync.sync_folder(a) is None
