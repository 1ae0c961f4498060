"""``jsd-desk minutes`` and ``jsd-desk verify-minutes``: outputs and exit statuses (DESIGN §7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest

from jsd_desk.cli import main
from jsd_desk.services import sessions
from jsd_desk.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.test_minutes import COMPLAINANT, build_meeting


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> Callable[..., tuple[int, str, str]]:
    monkeypatch.setenv("JSD_DESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("JSD_DESK_LANG", "en")

    def run(data_dir: Path, *args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            status = main(["--data-dir", str(data_dir), *args])
        except SystemExit as exc:  # argparse's own exits (usage)
            status = int(exc.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return run


def one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("jsd-desk: ") and lines[0].endswith("."), err
    assert "Traceback" not in err
    return lines[0]


def test_minutes_and_verify_minutes(cli: Callable[..., tuple[int, str, str]], tmp_path: Path,
                                    make_workspace: Callable[..., Workspace]) -> None:
    ws = make_workspace()
    meeting = build_meeting(ws.store)
    root = ws.data_dir.root
    fr = tmp_path / "pv.pdf"
    status, out, err = cli(root, "minutes", meeting.session_id[:6], "--lang", "fr",
                           "--out", str(fr))
    assert status == 0, err
    assert str(fr) in out and "2 pages" in out
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(fr).pages)
    assert "Compte rendu de la séance de dialogue" in text and COMPLAINANT not in text

    en = tmp_path / "public.pdf"
    status, out, err = cli(root, "minutes", meeting.session_id, "--lang", "en",
                           "--profile", "public", "--out", str(en))
    assert status == 0, err
    assert "Public summary of the dialogue session" in pypdf.PdfReader(en).pages[0].extract_text()

    status, out, err = cli(root, "verify-minutes", str(fr))
    assert status == 0, err
    assert "These minutes match the records" in out

    sessions.set_attendance(ws.store, meeting.session_id, "youth", "f", 8)
    status, out, err = cli(root, "verify-minutes", str(en))
    assert status == 1, err
    assert "no longer match" in out and "attendance" in out and "concerns" not in out

    status, out, err = cli(root, "verify-minutes", str(tmp_path / "missing.pdf"))
    assert status == 3 and "cannot be read" in one_sentence(err)
    not_minutes = tmp_path / "letter.pdf"
    not_minutes.write_bytes(b"%PDF-1.7\n%%EOF\n")
    status, out, err = cli(root, "verify-minutes", str(not_minutes))
    assert status == 3 and "is not a minutes PDF made by JSD Desk" in one_sentence(err)


def test_minutes_refuses_bad_input_with_status_3_and_leaves_no_file(
        cli: Callable[..., tuple[int, str, str]], tmp_path: Path,
        make_workspace: Callable[..., Workspace]) -> None:
    ws = make_workspace()
    meeting = build_meeting(ws.store)
    # Two sessions whose ids share a prefix: a prefix that names neither is ambiguous.
    with ws.store.transaction() as tx:
        for suffix in ("1", "2"):
            tx.create("session", {"platform_id": meeting.platform_id, "kind": "workshop",
                                  "title": f"Atelier {suffix}", "status": "draft",
                                  "starts_at": dt.datetime(2026, 5, 1, 9, 0)},
                      record_id=f"abcdabcd-0000-4000-8000-00000000000{suffix}")
    root = ws.data_dir.root
    outdir = tmp_path / "out"
    outdir.mkdir()
    out_file = outdir / "out.pdf"

    status, _out, err = cli(root, "minutes", "ffff0000", "--lang", "en", "--out", str(out_file))
    assert status == 3 and "No session matches “ffff0000”" in one_sentence(err)
    status, _out, err = cli(root, "minutes", "abcdabcd", "--lang", "en", "--out", str(out_file))
    assert status == 3 and "Several sessions match" in one_sentence(err)
    missing_dir = outdir / "nowhere" / "out.pdf"
    status, _out, err = cli(root, "minutes", meeting.session_id, "--lang", "en",
                            "--out", str(missing_dir))
    assert status == 3 and "cannot be written" in one_sentence(err)
    assert list(outdir.iterdir()) == []

    status, _out, err = cli(root, "minutes", meeting.session_id, "--out", str(out_file))
    assert status == 2 and "--lang" in err
    status, _out, err = cli(root, "minutes", meeting.session_id, "--lang", "de",
                            "--out", str(out_file))
    assert status == 2
    status, _out, err = cli(root, "minutes", meeting.session_id, "--lang", "fr",
                            "--profile", "press", "--out", str(out_file))
    assert status == 2
    assert list(outdir.iterdir()) == []
