"""The command line as a contract (DESIGN §7): the fixed contract script run from the outside, and
the exit statuses — 2 for wrong usage, 3 with one sentence and no traceback for refused input."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE

# The capabilities that exist so far. The lead extends this as each command lands; every check of
# the contract script whose needs are all in this set must say "ok".
IMPLEMENTED = {"init", "demo", "dump", "verify", "wrong passphrase", "unknown command", "card", "peer",
               "bundle", "age-identity", "minutes", "verify-minutes"}

# Each line of the contract script, and what it needs.
CONTRACT: dict[str, set[str]] = {
    "init a facilitator device": {"init"},
    "init an analyst device": {"init"},
    "demo adds activity": {"init", "demo"},
    "dump prints JSON": {"init", "dump"},
    "dump is stable": {"init", "dump"},
    "verify a healthy store": {"init", "verify"},
    "wrong passphrase: status 3 and one sentence": {"init", "wrong passphrase"},
    "unknown command: status 2": {"unknown command"},
    "card export": {"card"},
    "card export (analyst)": {"card"},
    "peer add": {"card", "peer"},
    "peer add (analyst)": {"card", "peer"},
    "bundle export --all": {"card", "peer", "bundle"},
    "bundle import": {"card", "peer", "bundle"},
    "bundle import again": {"card", "peer", "bundle"},
    "random bytes as a bundle: status 3": {"bundle"},
    "age-identity": {"age-identity"},
    "the age tool opens a bundle": {"card", "peer", "bundle", "age-identity"},
    "the opened bundle is a zip with manifest.json": {"card", "peer", "bundle", "age-identity"},
    "a session id is findable in the dump": {"demo", "dump"},
    "minutes in French": {"demo", "minutes"},
    "minutes in English, public profile": {"demo", "minutes"},
    "verify-minutes on a fresh PDF": {"demo", "minutes", "verify-minutes"},
}
EVERYTHING = set().union(*CONTRACT.values())

REPO = Path(__file__).resolve().parent.parent
JSD = Path(sys.executable).with_name("jsd-desk")


def contract_script() -> Path:
    # In CI the shared folder sits beside the repository; on the team's machines, in /work.
    for candidate in (REPO.parent / "shared" / "contract-check",
                      Path("/work/shared/contract-check")):
        if candidate.is_file():
            return candidate
    pytest.fail("the contract script (../shared/contract-check) is not found")


def parse_contract_output(out: str) -> tuple[dict[str, str], str]:
    """Each check's verdict ("ok", "FAIL …", "skip …") by description, and the closing line."""
    lines = out.strip().splitlines()
    assert lines and re.fullmatch(r"\d+ passed, \d+ failed", lines[-1]), out
    verdicts: dict[str, str] = {}
    for line in lines[:-1]:
        verdict, _sep, rest = line.partition(" ")
        rest = rest.lstrip()
        matches = [d for d in CONTRACT if rest == d or rest.startswith(d + ": ")]
        assert len(matches) == 1 or verdict == "skip", f"a check this test does not know: {line}"
        if verdict == "skip":
            # "skip  the age tool is not installed": the checks that need it did not run.
            for d in ("the age tool opens a bundle", "the opened bundle is a zip with manifest.json"):
                verdicts[d] = line
            continue
        verdicts[max(matches, key=len)] = line if verdict != "ok" else "ok"
    return verdicts, lines[-1]


@pytest.mark.slow
def test_the_contract_script_passes_for_every_implemented_command(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": f"{JSD.parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "TMPDIR": str(tmp_path)}
    env.pop("JSD", None)
    result = subprocess.run(["bash", str(contract_script())], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=900)
    verdicts, summary = parse_contract_output(result.stdout)
    expected = {d for d, needs in CONTRACT.items() if needs <= IMPLEMENTED}
    assert expected, "nothing to check"
    failing = {d: verdicts.get(d, "missing from the output") for d in sorted(expected)
               if verdicts.get(d) != "ok"}
    assert not failing, f"{failing}\n{result.stdout}\n{result.stderr}"
    if IMPLEMENTED >= EVERYTHING:
        assert result.returncode == 0 and summary.endswith(" 0 failed"), result.stdout


# -- exit statuses, checked directly --------------------------------------------------------------


def run(*args: str, env: Mapping[str, str] | None = None,
        passphrase: str | None = PASSPHRASE) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "JSD_DESK_PASSPHRASE"}
    full.update(env or {})
    if passphrase is not None:
        full["JSD_DESK_PASSPHRASE"] = passphrase
    return subprocess.run([str(JSD), *args], capture_output=True, text=True, env=full,
                          stdin=subprocess.DEVNULL, timeout=300)


def assert_refused(result: subprocess.CompletedProcess[str], status: int, words: str) -> None:
    """Refused with ``status``, one sentence on stderr that says ``words``, and no traceback."""
    assert result.returncode == status, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    if status == 3:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("jsd-desk: ")
    assert words.lower() in result.stderr.lower(), result.stderr


# The empty ``lock`` file an opened folder keeps for its flock (security/dirlock.py) holds nothing
# and may stay behind a refused command.
LOCK_FILE = "lock"
# The count of failed unlocks that slows down guessing (security/lockout.py): a refused unlock
# writes it, since it must outlive the command to do its work.
UNLOCK_FAILURES = "unlock-failures.json"


def files_of(root: Path, ignore: frozenset[str] = frozenset({LOCK_FILE})) -> dict[str, bytes]:
    """Every file of a data folder and its bytes, but those named in ``ignore``."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and str(p.relative_to(root)) not in ignore}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store made by the command line, shared by the read-only checks below."""
    root = tmp_path_factory.mktemp("cli") / "alpha"
    result = run("init", "--data-dir", str(root), "--device-name", "alpha", "--role",
                 "facilitator")
    assert result.returncode == 0, result.stderr
    return root


def test_unknown_command_is_a_usage_error(store: Path) -> None:
    assert_refused(run("no-such-command", "--data-dir", str(store)), 2, "invalid choice")


def test_a_missing_required_option_is_a_usage_error(tmp_path: Path) -> None:
    result = run("init", "--data-dir", str(tmp_path / "x"), "--device-name", "alpha")
    assert_refused(result, 2, "--role")
    assert not (tmp_path / "x").exists()


def test_an_unknown_role_is_a_usage_error(tmp_path: Path) -> None:
    result = run("init", "--data-dir", str(tmp_path / "x"), "--device-name", "a", "--role", "chief")
    assert_refused(result, 2, "--role")


def test_no_passphrase_without_a_terminal_is_a_usage_error(store: Path, tmp_path: Path) -> None:
    assert_refused(run("dump", "--data-dir", str(store), passphrase=None), 2,
                   "JSD_DESK_PASSPHRASE")
    assert_refused(run("init", "--data-dir", str(tmp_path / "new"), "--device-name", "b",
                       "--role", "liaison", passphrase=None), 2, "--passphrase-file")
    assert not (tmp_path / "new").exists()


def test_the_passphrase_file_is_read(store: Path, tmp_path: Path) -> None:
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    result = run("verify", "--data-dir", str(store), "--passphrase-file", str(secret),
                 passphrase=None)
    assert result.returncode == 0, result.stderr
    # The file wins over the environment.
    result = run("verify", "--passphrase-file", str(secret), "--data-dir", str(store),
                 passphrase="not the passphrase")
    assert result.returncode == 0, result.stderr
    assert_refused(run("verify", "--data-dir", str(store), "--passphrase-file",
                       str(tmp_path / "absent.txt")), 3, "cannot be read")


def test_a_wrong_passphrase_is_refused_in_one_sentence(store: Path) -> None:
    before = files_of(store)
    result = run("dump", "--data-dir", str(store), passphrase="wrong passphrase")
    assert_refused(result, 3, "passphrase")
    assert result.stdout == ""
    after = files_of(store)
    # The one file a wrong passphrase writes: the failure counter that slows guessing (issue 7).
    assert after.pop(UNLOCK_FAILURES).startswith(b'{"failures": 1')
    assert after == before


def test_a_missing_store_is_refused(tmp_path: Path) -> None:
    result = run("dump", "--data-dir", str(tmp_path / "nothing-here"))
    assert_refused(result, 3, "jsd-desk init")
    assert not (tmp_path / "nothing-here").exists()


@pytest.mark.parametrize("damage", ["keyslots-garbage", "keyslots-truncated",
                                    "device-key-flipped", "device-key-missing"])
def test_a_damaged_key_file_is_refused(damage: str, store: Path, tmp_path: Path) -> None:
    root = tmp_path / "s"
    shutil.copytree(store, root)  # a copy of a healthy store, to damage
    device_key = root / "device.key"
    # The key slots may be kept twice (a copy repairs a damaged file): damage every copy.
    slots = sorted(root.glob("keyslots*.json"))
    assert slots
    if damage == "keyslots-garbage":
        for path in slots:
            path.write_bytes(b"\x00\xffnot json at all")
    elif damage == "keyslots-truncated":
        for path in slots:
            path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    elif damage == "device-key-flipped":
        data = bytearray(device_key.read_bytes())
        data[len(data) // 2] ^= 0x01
        device_key.write_bytes(bytes(data))
    else:
        device_key.unlink()
    ignore = frozenset({LOCK_FILE, UNLOCK_FAILURES})
    before = files_of(root, ignore)
    result = run("dump", "--data-dir", str(root))
    assert_refused(result, 3, "missing" if damage == "device-key-missing" else "damaged")
    assert result.stdout == ""
    assert files_of(root, ignore) == before


def test_init_twice_refuses_and_changes_nothing(store: Path) -> None:
    before = files_of(store)
    result = run("init", "--data-dir", str(store), "--device-name", "again", "--role", "analyst")
    assert_refused(result, 3, "already exists")
    assert files_of(store) == before
    assert run("verify", "--data-dir", str(store)).returncode == 0


def test_dump_is_json_on_stdout_and_quiet_on_stderr(store: Path) -> None:
    import json

    result = run("dump", "--data-dir", str(store))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout)["records"]["place"]
