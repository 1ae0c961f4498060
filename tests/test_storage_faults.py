"""The command-line contract under faults (DESIGN §7): a read-only data folder, a missing one, a
path through a file, a full disk (at init, demo, bundle import and backup) and no display each
give exit status 2 or 3, one sentence in the user's language on stderr, no traceback — and
nothing left behind.

Real faults, not mocks: a tmpfs with a size limit is a disk that fills up, a read-only bind
mount is a read-only folder that even root cannot write (as root, ``chmod`` would be ignored;
as another user the test uses ``chmod``)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from jsd_desk.cli import main
from tests.conftest import PASSPHRASE
from tests.ui_helpers import WindowFactory, make_window_fixture, ui_settings_fixture  # noqa: F401

IS_ROOT = os.geteuid() == 0
IN_CI = os.environ.get("CI", "").lower() == "true"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def jsd(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run ``jsd-desk ARGS`` in this process: (status, stdout, stderr)."""
    monkeypatch.setenv("JSD_DESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("JSD_DESK_LANG", "en")

    def run(*args: str | Path, lang: str = "en") -> tuple[int, str, str]:
        monkeypatch.setenv("JSD_DESK_LANG", lang)
        capsys.readouterr()
        status = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)


def _cannot_mount(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"mount must work in CI: {reason}")
    pytest.skip(f"cannot mount here: {reason}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """``small_disk("64k")``: a fresh tmpfs of that size, unmounted after the test."""
    mounted: list[Path] = []

    def make(size: str) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        if not IS_ROOT:
            _cannot_mount("mounting a tmpfs needs root")
        try:
            _mount("-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(point))
        except (OSError, subprocess.CalledProcessError) as exc:
            _cannot_mount(str(exc))
        mounted.append(point)
        return point

    yield make
    for point in mounted:
        _umount(point)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` read-only while inside: a read-only bind mount as root, chmod otherwise."""
    if not IS_ROOT:
        modes = {p: p.stat().st_mode for p in (folder, *folder.rglob("*"))}
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    try:
        _mount("--bind", str(folder), str(folder))
        _mount("-o", "remount,bind,ro", str(folder))
    except (OSError, subprocess.CalledProcessError) as exc:
        _umount(folder)
        _cannot_mount(str(exc))
    try:
        yield
    finally:
        _umount(folder)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill ``disk`` until ``leave`` bytes (about) are free; returns the filler file."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free - leave
    with filler.open("wb") as fh, contextlib.suppress(OSError):
        while free > 0:
            chunk = min(free, 1 << 16)
            fh.write(b"\0" * chunk)
            fh.flush()
            free -= chunk
    return filler


def listing(root: Path) -> set[str]:
    """Every file and folder under ``root`` — what "nothing left behind" compares. SQLite's
    -wal/-shm companions are left out: they come and go with every connection."""
    return {str(p.relative_to(root)) for p in root.rglob("*")
            if not p.name.endswith(("-wal", "-shm"))}


def one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "Error:" not in err and "sqlcipher" not in err, err
    assert lines[0].startswith("jsd-desk: ")
    return lines[0]


def init(jsd: Run, root: Path, name: str = "alpha") -> None:
    status, _out, err = jsd("--data-dir", root, "init", "--device-name", name, "--role",
                            "facilitator")
    assert status == 0, err


# -- the data folder -------------------------------------------------------------------------


def test_a_path_through_a_file_is_wrong_usage(jsd: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file")
    for command in (("init", "--device-name", "a", "--role", "facilitator"), ("demo",),
                    ("dump",)):
        status, _out, err = jsd("--data-dir", blocker / "store", *command)
        assert status == 2
        assert one_sentence(err) == (f"jsd-desk: {blocker / 'store'} cannot be a data folder: "
                                     f"{blocker} is a file, not a folder.")
    assert blocker.read_text() == "a file" and sorted(tmp_path.iterdir()) == [blocker]
    status, _out, err = jsd("--data-dir", "/etc/passwd/x", "init", "--device-name", "a",
                            "--role", "facilitator", lang="fr")
    assert status == 2
    assert one_sentence(err) == ("jsd-desk: /etc/passwd/x ne peut pas être un dossier de données : "
                                 "/etc/passwd est un fichier, pas un dossier.")


def test_a_missing_data_folder_is_named_and_not_made_elsewhere(jsd: Run, tmp_path: Path) -> None:
    # The folder was on a USB stick that is not plugged in: its mount point is not there either.
    gone = tmp_path / "media" / "STICK" / "jsd"
    for command in (("init", "--device-name", "a", "--role", "facilitator"), ("demo",),
                    ("bundle", "import", str(tmp_path / "x.jsdb")), ("backup", "create")):
        status, _out, err = jsd("--data-dir", gone, *command)
        assert status == 3, err
        assert one_sentence(err) == (f"jsd-desk: The data folder {gone} is not there: if it is "
                                     "on a USB stick or an external disk, plug it in and try "
                                     "again. Nothing was changed.")
    assert list(tmp_path.iterdir()) == []  # init did not make the folders on the laptop's disk
    status, _out, err = jsd("--data-dir", gone, "demo", lang="fr")
    assert status == 3 and "clé USB" in one_sentence(err)


def test_a_read_only_data_folder_is_refused_untouched(jsd: Run, tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    with read_only(parent):
        status, _out, err = jsd("--data-dir", parent / "store", "init", "--device-name", "a",
                                "--role", "facilitator")
        assert status == 3
        assert one_sentence(err) == (f"jsd-desk: JSD Desk cannot write in {parent}: the folder is "
                                     "read-only or this user may not change it. Nothing was "
                                     "changed.")
    assert list(parent.iterdir()) == []

    store = tmp_path / "store"
    init(jsd, store)
    assert jsd("--data-dir", store, "dump")[0] == 0  # the day's backup is made now
    before = listing(store)
    with read_only(store):
        for command, lang, words in ((("demo", "--sessions", "2"), "en", "is read-only"),
                                     (("backup", "create"), "en", "is read-only"),
                                     (("demo",), "fr", "en lecture seule")):
            status, _out, err = jsd("--data-dir", store, *command, lang=lang)
            assert status == 3, err
            assert words in one_sentence(err)
    assert listing(store) == before


# -- a full disk -----------------------------------------------------------------------------


def test_init_on_a_full_disk_leaves_nothing(jsd: Run, small_disk: Callable[[str], Path]) -> None:
    for size in ("64k", "300k"):  # full at the first page, and part-way through the schema
        disk = small_disk(size)
        for root in (disk / "store", disk):  # a folder init makes, and one that was there
            status, _out, err = jsd("--data-dir", root, "init", "--device-name", "a", "--role",
                                    "facilitator")
            assert status == 3
            assert one_sentence(err) == (f"jsd-desk: The disk that holds {root} is full: free "
                                         "some space, then try again. Nothing was changed.")
            assert list(disk.iterdir()) == []  # no 4 KB jsd.db, no key files, no folder
    status, _out, err = jsd("--data-dir", disk / "store", "init", "--device-name", "a",
                            "--role", "facilitator", lang="fr")
    assert status == 3 and "est plein" in one_sentence(err)
    assert list(disk.iterdir()) == []


@pytest.fixture
def full_store(jsd: Run, small_disk: Callable[[str], Path],
               tmp_path: Path) -> tuple[Path, Path, Path]:
    """A store on a small disk that knows a peer, and a bundle from that peer to import:
    (store, bundle, disk)."""
    disk = small_disk("12m")
    store, peer = disk / "store", tmp_path / "peer"
    init(jsd, store)
    init(jsd, peer, "bako")
    for a, b in ((store, peer), (peer, store)):
        assert jsd("--data-dir", a, "card", "--out", tmp_path / "card")[0] == 0
        assert jsd("--data-dir", b, "peer", "add", tmp_path / "card")[0] == 0
    assert jsd("--data-dir", peer, "demo", "--sessions", "3", "--seed", "4")[0] == 0
    bundle = tmp_path / "peer.jsdb"
    status, _out, err = jsd("--data-dir", peer, "bundle", "export", "--all", "--out", bundle)
    assert status == 0, err
    return store, bundle, disk


@pytest.mark.parametrize("leave", [0, 200_000], ids=["no-room-at-all", "room-to-open"])
def test_demo_import_and_backup_on_a_full_disk_change_nothing(
        jsd: Run, full_store: tuple[Path, Path, Path], leave: int) -> None:
    store, bundle, disk = full_store
    status, dump_before, err = jsd("--data-dir", store, "dump")
    assert status == 0, err
    before = listing(store)
    filler = fill(disk, leave)
    sentence = (f"jsd-desk: The disk that holds {store} is full: free some space, then try "
                "again. Nothing was changed.")
    for command in (("demo", "--sessions", "6", "--seed", "1"), ("bundle", "import", bundle),
                    ("backup", "create")):
        status, _out, err = jsd("--data-dir", store, *command)
        assert status == 3, (command, err)
        assert one_sentence(err) == sentence, command
        assert listing(store) == before, command  # no half backup, no temp file
    filler.unlink()
    status, dump_after, err = jsd("--data-dir", store, "dump")
    assert status == 0, err
    assert dump_after == dump_before  # no half demo, no half import
    status, _out, err = jsd("--data-dir", store, "verify")
    assert status == 0, err
    # With room again, the same commands work: the store was not harmed.
    assert jsd("--data-dir", store, "bundle", "import", bundle)[0] == 0


# -- no display ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, expected", [
    ("en", "jsd-desk: there is no display to open the window on (neither DISPLAY nor "
           "WAYLAND_DISPLAY is set); start JSD Desk from the desktop, or use a command: see "
           "“jsd-desk --help”."),
    ("fr", "jsd-desk: il n’y a pas d’écran où ouvrir la fenêtre (ni DISPLAY ni WAYLAND_DISPLAY "
           "ne sont définis) ; lancez JSD Desk depuis le bureau, ou utilisez une commande : voir "
           "« jsd-desk --help »."),
])
def test_no_display_is_one_sentence_not_a_qt_abort(jsd: Run, monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path, lang: str,
                                                   expected: str) -> None:
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    status, _out, err = jsd("--data-dir", tmp_path / "store", lang=lang)
    assert status == 2
    assert one_sentence(err) == expected
    assert list(tmp_path.iterdir()) == []


def test_no_display_in_a_real_process(tmp_path: Path) -> None:
    # Before the fix Qt aborted the process (status 134) when making its application object.
    import sys

    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "jsd_desk", "--data-dir", str(tmp_path / "s")],
                            env=dict(env, JSD_DESK_LANG="en"), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2, result.stderr
    assert one_sentence(result.stderr).startswith("jsd-desk: there is no display")


# -- the app's start-up ----------------------------------------------------------------------


@pytest.fixture
def start_app(qapp: object,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., tuple[int, list[str]]]]:
    """Start the app (``jsd_desk.ui.main.run``) in a language; (status, messages shown)."""
    import argparse

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from jsd_desk.ui import main as ui_main
    from jsd_desk.ui.language import apply_language
    from jsd_desk.ui.main_window import LANGUAGE_SETTING

    shown: list[str] = []

    def critical(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)

    def start(root: Path, lang: str = "fr",
              passphrase: str | None = PASSPHRASE) -> tuple[int, list[str]]:
        QSettings().setValue(LANGUAGE_SETTING, lang)
        monkeypatch.setenv("JSD_DESK_LANG", lang)
        shown.clear()
        args = argparse.Namespace(data_dir=root, database=None, passphrase=passphrase, demo=True)
        return ui_main.run(args), list(shown)

    yield start
    apply_language("en")


def test_the_app_on_a_removed_usb_stick_says_so_and_makes_nothing(
        start_app: Callable[..., tuple[int, list[str]]], tmp_path: Path) -> None:
    gone = tmp_path / "media" / "STICK" / "jsd"
    status, shown = start_app(gone)
    assert status == 3
    assert shown == [f"Le dossier de données {gone} est introuvable : s’il se trouve sur une clé "
                     "USB ou un disque externe, branchez-le et réessayez. Rien n’a été modifié."]
    assert list(tmp_path.iterdir()) == []  # no new, empty store where the stick's data was
    status, shown = start_app(gone, lang="en")
    assert status == 3 and shown and "USB stick" in shown[0]


def test_the_app_on_a_path_through_a_file_says_so(
        start_app: Callable[..., tuple[int, list[str]]], tmp_path: Path) -> None:
    blocker = tmp_path / "f"
    blocker.write_text("x")
    status, shown = start_app(blocker / "store")
    assert status == 2
    assert shown == [f"{blocker / 'store'} ne peut pas être un dossier de données : {blocker} "
                     "est un fichier, pas un dossier."]


def test_the_app_on_a_read_only_folder_says_so(
        start_app: Callable[..., tuple[int, list[str]]], jsd: Run, tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    with read_only(parent):
        status, shown = start_app(parent / "store")  # a first run: no store to set up there
    assert status == 3 and len(shown) == 1 and "en lecture seule" in shown[0], shown
    assert list(parent.iterdir()) == []
    store = tmp_path / "store"
    init(jsd, store)
    before = listing(store)
    with read_only(store):
        status, shown = start_app(store)
    assert status == 3 and len(shown) == 1 and "en lecture seule" in shown[0], shown
    assert listing(store) == before


def test_the_app_on_a_full_disk_says_so_and_loses_nothing(
        start_app: Callable[..., tuple[int, list[str]]], jsd: Run,
        small_disk: Callable[[str], Path]) -> None:
    disk = small_disk("8m")
    store = disk / "store"
    init(jsd, store)
    status, dump_before, _err = jsd("--data-dir", store, "dump")
    before = listing(store)
    filler = fill(disk)
    status, shown = start_app(store)
    assert status == 3
    assert shown == [f"Le disque qui contient {store} est plein : libérez de la place, puis "
                     "réessayez. Rien n’a été modifié."]
    assert listing(store) == before
    filler.unlink()
    assert jsd("--data-dir", store, "dump")[1] == dump_before


@pytest.mark.qt_log_ignore(r"^This plugin does not support ")
def test_demo_data_on_a_full_disk_in_the_app_says_so_and_adds_nothing(
        jsd: Run, small_disk: Callable[[str], Path], make_window: WindowFactory,
        qtbot: object) -> None:
    """The Settings page's "Load demo data" once the disk filled up after the app opened: the
    page shows the sentence the command line gives (not "Something went wrong: database or
    disk is full"), in the user's language, and the store is as it was."""
    from jsd_desk.i18n import set_language
    from jsd_desk.services.workspace import open_workspace

    disk = small_disk("12m")
    store = disk / "store"
    init(jsd, store)
    status, dump_before, _err = jsd("--data-dir", store, "dump")
    assert status == 0
    ws = open_workspace(store, PASSPHRASE)
    try:
        set_language("fr")
        window = make_window(ws)
        page: Any = window.go_to("settings")
        page.demo_sessions.setValue(20)
        filler = fill(disk, 200_000)
        op = page.load_demo_data()
        with qtbot.waitSignal(op.finished, timeout=60_000):  # type: ignore[attr-defined]
            pass
        assert op.error is not None
        assert page.demo_result.text() == (
            f"Le disque qui contient {store} est plein : libérez de la place, puis réessayez. "
            "Rien n’a été modifié.")
        assert page.demo_button.isEnabled()
    finally:
        set_language("en")
        ws.close()
    filler.unlink()
    assert jsd("--data-dir", store, "dump")[1] == dump_before
    assert jsd("--data-dir", store, "verify")[0] == 0


@pytest.mark.postgres
def test_a_hub_init_that_fails_on_a_full_disk_leaves_the_database_empty(
        jsd: Run, small_disk: Callable[[str], Path], pg_database: str) -> None:
    """A ministry hub: the records go to PostgreSQL, the keys to the laptop's folder. When that
    disk is full, the init fails after the schema and the device's row were made in the
    database: they are taken away again, so the same command works once there is room (it
    was refused as "already holds tables")."""
    from jsd_desk.store.engine import url_engine
    from jsd_desk.store.schema import current_revision

    disk = small_disk("64k")
    filler = fill(disk)
    root = disk / "ministry"
    command = ("--data-dir", root, "init", "--device-name", "ministère", "--role", "analyst",
               "--database", pg_database)
    status, _out, err = jsd(*command)
    assert status == 3, err
    assert "is full" in one_sentence(err)
    assert not root.exists()
    engine = url_engine(pg_database)
    try:
        assert current_revision(engine) == (None, False)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM pg_tables WHERE schemaname = "
                                        "'public'").scalar_one() == 0
    finally:
        engine.dispose()
    filler.unlink()
    status, _out, err = jsd(*command)
    assert status == 0, err
    assert jsd("--data-dir", root, "verify")[0] == 0
